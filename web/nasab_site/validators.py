"""Field validators shared by the registry's models and forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

# The easternmost time zone (UTC+14, Kiribati): a date is in the future only
# once it has begun nowhere on earth, so a family in Damascus (UTC+3) entering
# today's date just after its midnight is not refused by a server on UTC.
_EASTERNMOST = datetime.timezone(datetime.timedelta(hours=14))


def latest_today() -> datetime.date:
    """The latest calendar date that has begun somewhere on earth now."""
    return timezone.now().astimezone(_EASTERNMOST).date()


def not_in_future(value) -> None:
    """Dates of things that have happened (found, collected, signed, last seen)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        if value > timezone.now() + datetime.timedelta(minutes=5):  # clocks differ a little
            raise ValidationError("This cannot be in the future.", code="future")
    elif value > latest_today():
        raise ValidationError("This date cannot be in the future.", code="future")
