from django.utils import translation

from . import numerals


def portal(request):
    return {"digits": numerals.preference(request),
            "text_dir": "rtl" if translation.get_language_bidi() else "ltr"}
