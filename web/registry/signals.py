"""Signals other apps follow (matching recompiles a family when a donor withdraws)."""

from django.dispatch import Signal

# sent after a donor's consents were withdrawn: sender=Relative, relative=..., reason=...
consent_withdrawn = Signal()
