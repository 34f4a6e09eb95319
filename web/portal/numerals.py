"""Arabic-Indic or Latin digits, as the reader prefers (a cookie; default by language)."""

from __future__ import annotations

from django.utils import translation

COOKIE = "nasab_digits"
ARAB, LATN = "arab", "latn"
_TO_ARAB = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def preference(request) -> str:
    value = request.COOKIES.get(COOKIE) if request is not None else None
    if value in (ARAB, LATN):
        return value
    return ARAB if translation.get_language() == "ar" else LATN


def localise(value, style: str) -> str:
    text = "" if value is None else str(value)
    return text.translate(_TO_ARAB) if style == ARAB else text
