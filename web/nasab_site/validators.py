"""Field validators shared by the registry's models and forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def not_in_future(value) -> None:
    """Dates of things that have happened (found, collected, signed, last seen)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        if value > timezone.now() + datetime.timedelta(minutes=5):  # clocks differ a little
            raise ValidationError("This cannot be in the future.", code="future")
    elif value > timezone.localdate():
        raise ValidationError("This date cannot be in the future.", code="future")
