"""Arabic date-and-time formats and number grouping, which Django's own Arabic formats leave out.

Without them Django writes a date and time in its global (English) order with
Arabic words, "نوفمبر 22, 2026, 11:47 م", on the round page and on the page a
respondent sees before a round opens. These follow Django's Arabic date ("j F، Y",
with the Arabic comma) and time ("g:i A"); everything else stays Django's, but for
the grouping of thousands below.
"""

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y، g:i A"

# Django's Arabic formats write 1.234,5 (as in the Maghreb) but group nothing, so a
# population total of eleven million read 11000000; grouped by thousands it reads
# 11.000.000, with Django's own separators.
NUMBER_GROUPING = 3
