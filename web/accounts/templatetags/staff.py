"""Template helpers of the staff pages: log times in the reader's language, and the words of
stored codes (job states, audit actions, settings choices) in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext

from nasab_site.labels import CHOICE_LABELS, job_error_headline

register = template.Library()


def log_time_text(value) -> str:
    """``3 Dec 2026, 14:05 UTC`` (``3 ديسمبر 2026، 14:05 بالتوقيت العالمي`` in Arabic): one
    format per language for the custody and audit logs; minutes, in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    when = timezone.localtime(value, UTC) if timezone.is_aware(value) else value
    return gettext("%(when)s UTC") % {"when": date_format(when, "DATETIME_FORMAT")}


@register.filter
def log_time(value):
    """A ``<time>`` element: the date in the reader's format, the exact ISO 8601 timestamp
    (microseconds, UTC) in its ``datetime`` and ``title`` attributes."""
    if not value:
        return ""
    if isinstance(value, str):  # a stored ISO 8601 timestamp
        value = datetime.fromisoformat(value)
    exact = (timezone.localtime(value, UTC) if timezone.is_aware(value) else value).isoformat()
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', exact, exact, log_time_text(value)
    )


@register.filter
def choice_label(value, kind: str) -> str:
    """The reader's word for a stored code (``job_status``, ``audit_action``...); the code
    itself when it has none."""
    labels = CHOICE_LABELS.get(kind, {})
    return str(labels.get(value, value))


@register.filter
def error_headline(error: str) -> str:
    """A failed job's headline in the reader's language (the stored error stays as data)."""
    return job_error_headline(error or "")
