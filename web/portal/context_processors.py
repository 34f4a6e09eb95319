from django.conf import settings
from django.utils import translation

from . import numerals


def portal(request):
    return {
        "digits": numerals.preference(request),
        "contact_phone": settings.NASAB_CONTACT_PHONE,
        "text_dir": "rtl" if translation.get_language_bidi() else "ltr",
    }
