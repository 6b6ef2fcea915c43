"""Chinese number grouping, which Django's own Simplified Chinese formats leave out.

Django gives zh_Hans an empty thousands separator, so a population total of
eleven million reads 11000000 on the margins page. Unicode's CLDR, which
Chinese-language software follows, writes 11,000,000; the rest stays Django's.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
