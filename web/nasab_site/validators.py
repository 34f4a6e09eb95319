"""Field validators shared by the registry's models and forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from nasab.linkage.dates import latest_today as _latest_today


def latest_today() -> datetime.date:
    """The latest calendar date that has begun somewhere on earth now (UTC+14), by
    Django's clock: the linkage engine's rule for what is "in the future", one rule for
    a report file and a form (a family in Damascus entering today's date just after its
    midnight is not refused by a server on UTC)."""
    return _latest_today(timezone.now())


def not_in_future(value) -> None:
    """Dates of things that have happened (found, collected, signed, last seen)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        if value > timezone.now() + datetime.timedelta(minutes=5):  # clocks differ a little
            raise ValidationError("This cannot be in the future.", code="future")
    elif value > latest_today():
        raise ValidationError("This date cannot be in the future.", code="future")
