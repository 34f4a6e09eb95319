from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from . import numerals

# The number of settings.py's default: said to be a demonstration number, in the reader's
# language, wherever the portal gives it.
DEMO_PHONE = "+963 11 000 0000"


def portal(request):
    phone = settings.NASAB_CONTACT_PHONE
    note = gettext("(demonstration number)") if phone == DEMO_PHONE else ""
    return {
        "digits": numerals.preference(request),
        "contact_phone": phone,
        "contact_phone_note": note,
        "contact_phone_text": f"{phone} {note}" if note else phone,
        "text_dir": "rtl" if translation.get_language_bidi() else "ltr",
    }
