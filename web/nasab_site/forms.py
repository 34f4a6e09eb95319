"""Shared form behaviour."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

LONG_TEXT_MAX = 10_000


class BoundedText:
    """Every text field without a length limit gets one (``LONG_TEXT_MAX`` characters): a
    too-long text gets a form error, and the form comes back with what was typed. (The
    request itself may be far larger: ``DATA_UPLOAD_MAX_MEMORY_SIZE``.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = LONG_TEXT_MAX
                field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
