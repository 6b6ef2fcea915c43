"""Arabic date-and-time formats, which Django's own Arabic formats leave out.

Without them Django writes a date and time in its global (English) order with
Arabic words, "نوفمبر 22, 2026, 11:47 م", on the round page and on the page a
respondent sees before a round opens. These follow Django's Arabic date ("j F، Y",
with the Arabic comma) and time ("g:i A"); everything else stays Django's.
"""

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y، g:i A"
