"""What the family portal keeps beside the registry's own records.

A :class:`PortalCase` is the family's handle on one :class:`registry.models.Report`: a
case code and a *hashed* secret (Django's password hasher), the idempotency token of the
submission, the humane status shown to the family, and the optional ante-mortem
questionnaire. :class:`AccessAttempt` logs every status look-up (for rate limiting and
review). :class:`DuplicateDecision` records every staff decision on proposed duplicates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nasab_site.append_only import EvidenceModel, ImmutableEvidenceModel
from registry.models import MissingPerson, Report


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    CONTACT = "contact", _("Please contact us")
    INFORMED = "informed", _("Your family has been informed")


class PortalCase(EvidenceModel):
    code = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=256)
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="portal_case")
    submission_token = models.CharField(max_length=64, unique=True)
    # What the family sees follows the identification and the notification
    # (:func:`portal.services.family_status`); staff may override it, giving a reason.
    status_override = models.CharField(
        max_length=20,
        choices=CaseStatus.choices,
        blank=True,
        default="",
        help_text="Empty: the state follows the case.",
    )
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="ar")
    share_partners = models.BooleanField(default=False)
    share_other_reporters = models.BooleanField(default=False)
    court_consent = models.BooleanField(default=False)
    antemortem = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    secret_set_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff last reset the secret."
    )

    class Meta:
        verbose_name = _("portal case")
        verbose_name_plural = _("portal cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code


class AccessAttempt(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    code = models.CharField(max_length=32, blank=True, db_index=True)
    success = models.BooleanField(default=False)
    limited = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("access attempt")
        verbose_name_plural = _("access attempts")
        ordering = ["-at"]


class Decision(models.TextChoices):
    MERGE = "merge", "Merged"
    REJECT = "reject", "Not the same person"
    UNDO = "undo", "Merge undone"


class DuplicateDecision(ImmutableEvidenceModel):
    decision = models.CharField(max_length=10, choices=Decision.choices)
    person_kept = models.ForeignKey(MissingPerson, on_delete=models.PROTECT, related_name="+")
    person_other = models.ForeignKey(MissingPerson, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    moved = models.JSONField(default=dict, blank=True)  # report and relative ids moved by a merge
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("duplicate decision")
        verbose_name_plural = _("duplicate decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.person_kept} / {self.person_other}"
