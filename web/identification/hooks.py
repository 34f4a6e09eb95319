"""What keeps the compiled store in step with the registry.

A usable remains profile saved -> that remains is scored against every family; a donor's
profile, a relative or a consent saved -> the family is recompiled; a consent withdrawn ->
candidates that used the donor are flagged and the family recompiled. Each change is a
:class:`~identification.models.ScoringRequest`, applied right after the transaction commits
(in the same web request: the candidates are there when the page reloads) or, when the store
is busy or absent, by the matching worker.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from django.db import transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)
_state = threading.local()


@contextlib.contextmanager
def suspended():
    """No scoring requests within the block (bulk loads followed by a full run)."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def active() -> bool:
    return not getattr(_state, "depth", 0)


def apply_soon() -> None:
    """Apply pending requests once the current transaction has committed."""
    transaction.on_commit(_apply)


def _apply() -> None:
    from . import compiled

    try:
        compiled.process_pending(lock_timeout=5.0)
    except Exception:  # never fail the user's request: the worker retries pending requests
        log.exception("scoring the registry's changes failed; left for the matching worker")


def profile_saved(sender, instance, created, **kwargs) -> None:
    if not active():
        return
    from . import compiled

    sample = instance.sample
    while sample.parent_sample_id:
        sample = sample.parent_sample
    if sample.remains_id:
        compiled.remains_profile_changed(sample.remains, f"profile {instance.pk} saved")
    elif sample.donor_id:
        compiled.family_changed(sample.donor.person, f"donor profile {instance.pk} saved")
    else:
        return
    apply_soon()


def relative_saved(sender, instance, created, **kwargs) -> None:
    if not active():
        return
    from . import compiled

    if created and not instance.samples.exists():
        return  # a new member without a sample changes no likelihood yet... unless linked
    compiled.family_changed(instance.person, f"relative {instance.pk} saved")
    apply_soon()


def consent_saved(sender, instance, created, **kwargs) -> None:
    if not active() or not created:
        return
    from . import compiled

    if instance.relative.samples.exists():
        compiled.family_changed(instance.relative.person, f"consent {instance.pk} recorded")
        apply_soon()


def consent_withdrawn(sender, relative, reason="", **kwargs) -> None:
    if not active():
        return
    from . import compiled

    compiled.donor_withdrew(relative, reason)
    apply_soon()


def connect() -> None:
    from lab.models import DNAProfile
    from registry.models import Consent, Relative
    from registry.signals import consent_withdrawn as withdrawn

    post_save.connect(profile_saved, sender=DNAProfile, dispatch_uid="nasab-profile-saved")
    post_save.connect(relative_saved, sender=Relative, dispatch_uid="nasab-relative-saved")
    post_save.connect(consent_saved, sender=Consent, dispatch_uid="nasab-consent-saved")
    withdrawn.connect(consent_withdrawn, dispatch_uid="nasab-consent-withdrawn")
