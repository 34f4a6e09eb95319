"""Errors raised for bad input.

Every user mistake surfaces as an :class:`InputError` that names where the problem is
(file, line, field) and what is wrong; the CLI prints it and exits with code 2.
"""

from __future__ import annotations

MAX_MESSAGE = 400  # characters of a message before it is shortened in the middle


def shorten(text: str, limit: int = 60) -> str:
    """A long offending value shortened for a one-line message: its start and end."""
    text = str(text)
    if len(text) <= limit:
        return text
    half = max(limit // 2 - 2, 1)
    return f"{text[:half]} ... {text[-half:]} ({len(text)} characters)"


class NasabError(Exception):
    """Base class of all errors raised by nasab on purpose."""


class RunFailure(NasabError):
    """The run could not finish for a reason outside the input (a worker cluster lost, a
    disk full): said in one line, exit code 1; nothing half-written is left."""


class InputError(NasabError):
    """Bad input data: a file, a line or a field that cannot be used as given."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field!r}")
        prefix = ", ".join(shorten(w, 200) for w in where)
        msg = " ".join(shorten(self.message, MAX_MESSAGE).splitlines())
        return f"{prefix}: {msg}" if prefix else msg


class PedigreeError(InputError):
    """A pedigree that is not a valid family tree."""


class ModelError(InputError):
    """Model parameters out of range (mutation rates, theta, dropout...)."""
