from django import template
from django.utils.formats import date_format

from portal import numerals

register = template.Library()


@register.simple_tag(takes_context=True)
def num(context, value):
    """A number (or code) in the reader's digits."""
    return numerals.localise(value, context.get("digits", numerals.LATN))


@register.simple_tag(takes_context=True)
def day(context, value):
    """A date in the reader's language (month names translated) and digits."""
    if not value:
        return ""
    return numerals.localise(date_format(value, "j F Y"), context.get("digits", numerals.LATN))
