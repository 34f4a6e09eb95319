"""One format for the registry's identifiers: grave-site codes, remains codes, sample barcodes.

An identifier is 1 to ``max_length`` characters: Latin letters, digits, and the
separators ``-``, ``.`` and ``_`` inside (not first or last, never two in a row). No spaces,
no slashes, nothing a URL, a file name or a spreadsheet would change. Forms, imports and
services all check :func:`validate`; what people type is first brought to this form by
:func:`normalise` (Arabic-Indic and Persian digits to Latin, full-width forms to ASCII, surrounding
spaces dropped; letters keep their case, as printed on labels).

Records created before this rule may hold other characters. Every URL that names an
identifier goes through :class:`IdentifierConverter`, which escapes any character (a ``/``
included) so that those pages still work.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from nasab.engine.genotypes import LATIN_DIGITS  # the one map of Arabic-Indic/Persian digits

PATTERN = re.compile(r"[A-Za-z0-9]+(?:[-._][A-Za-z0-9]+)*")
ALLOWED = "Latin letters A-Z, digits 0-9, and - . _ between them"


def normalise(value: str) -> str:
    """What a person typed, in the identifier's form (not yet checked)."""
    return unicodedata.normalize("NFKC", value or "").translate(LATIN_DIGITS).strip()


def problem(value: str, max_length: int = 40) -> str | None:
    """Why ``value`` is not a valid identifier, or ``None`` when it is."""
    if not value:
        return "An identifier cannot be empty."
    if len(value) > max_length:
        return f"{value[:60]!r} is {len(value)} characters long; at most {max_length} are allowed."
    if not PATTERN.fullmatch(value):
        bad = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c in "-._"))})
        shown = (
            ", ".join("a space" if c.isspace() else repr(c) for c in bad)
            or "a separator at the start or end, or two in a row"
        )
        return f"{value[:60]!r} cannot be used as an identifier ({shown}); allowed are {ALLOWED}."
    return None


@deconstructible
class IdentifierValidator:
    """Model-field validator: the one identifier format."""

    def __init__(self, max_length: int = 40):
        self.max_length = max_length

    def __call__(self, value: str) -> None:
        reason = problem(value, self.max_length)
        if reason:
            raise ValidationError(reason, code="identifier")

    def __eq__(self, other) -> bool:
        return isinstance(other, IdentifierValidator) and other.max_length == self.max_length


class IdentifierConverter:
    """URL converter for identifiers: any stored value (even one with ``/`` or spaces from
    before the format was enforced) makes a URL that resolves back to it."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return quote(str(value), safe="")


def clash(instance, field: str) -> None:
    """Refuse an identifier that differs from an existing one only in letter case (``bc-1``
    beside ``BC-1``): labels are read aloud and copied by hand."""
    value = getattr(instance, field)
    if not value:
        return
    others = type(instance)._default_manager.filter(**{f"{field}__iexact": value})
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    other = others.exclude(**{field: value}).first()
    if other is not None:
        raise ValidationError(
            {
                field: f"{getattr(other, field)!r} already exists; identifiers that differ only "
                f"in capital and small letters are not allowed."
            }
        )
