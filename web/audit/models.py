"""Who did, looked at or exported what: kept in its own table, apart from the data it describes.

Events are append-only and hash-chained (:mod:`nasab.custody.anchor`): each carries a global
``sequence``, the previous event's hash and its own hash over every field; after each
committed change the chain's head is signed and appended to the anchor log outside the
database (:mod:`audit.anchoring`).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nasab.custody import anchor as chain
from nasab_site.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    VIEW_PROFILE = "view_profile", "Viewed a DNA profile"
    IMPORT_PROFILES = "import_profiles", "Imported DNA profiles"
    EXPORT_PROFILES = "export_profiles", "Exported DNA profiles"
    EXPORT_CUSTODY = "export_custody", "Exported a custody bundle"
    VERIFY_CUSTODY = "verify_custody", "Verified the chain of custody"
    CONFIRM_IDENTIFICATION = "decide_identification", "Decided on an identification"
    CHANGE_ROLES = "change_roles", "Changed a user's roles"
    RUN_MATCHING = "run_matching", "Compared profiles (matching job)"
    QUEUE_MATCHING = "queue_matching", "Queued a matching job"
    EXPORT_REPORT = "export_report", "Exported an identification report"
    RECORD_CUSTODY = "record_custody", "Recorded a custody event"
    GIVE_CONSENT = "give_consent", "Recorded a consent"
    WITHDRAW_CONSENT = "withdraw_consent", "Withdrew a consent"
    CREATE_SITE = "create_site", "Registered a grave site"
    CHANGE_SITE_STAGE = "change_site_stage", "Moved a grave site to a new stage"
    RECORD_SITE_ACCESS = "record_site_access", "Recorded access to a grave site"
    CREATE_REMAINS = "create_remains", "Registered remains"
    CREATE_SAMPLE = "create_sample", "Registered a sample"
    NOTIFY_FAMILY = "notify_family", "Recorded the notification of a family"
    PORTAL_STATUS = "portal_status", "Set the state a family sees"
    PORTAL_SUBMIT = "portal_submit", "A family submitted a portal report"
    IMPORT_PFIF = "import_pfif", "Imported missing-person reports (PFIF)"
    MERGE_PERSONS = "merge_persons", "Decided on a possible duplicate"
    CREATE_PERSON = "create_person", "Registered a missing person"
    ADD_RECORD = "add_record", "Added to a missing person's file"
    CORRECT_RECORD = "correct_record", "Corrected an evidence record"
    FLAG_IDENTIFICATION = "flag_identification", "Flagged an identification for review"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGIN_LOCKED_OUT = "login_locked_out", "Login locked out (too many failures)"
    ENROL_SECOND_FACTOR = "enrol_second_factor", "Enrolled a second factor"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Wrong second-factor code"
    RESET_PORTAL_SECRET = "reset_portal_secret", "Reset a portal case's secret"
    LOGOUT = "logout", "Logged out"
    BACKUP = "backup", "Backed up the registry"
    RESTORE = "restore", "Restored the registry from a backup"
    CHANGE_SETTINGS = "change_settings", "Changed the programme's matching settings"
    REGISTER_TABLE = "register_table", "Registered a frequency table"
    IMPORT_SNP_CALLS = "import_snp_calls", "Imported SNP panel calls"
    SNP_CONFIRMATION = "snp_confirmation", "Computed a SNP confirmation"


class AuditEvent(AppendOnlyModel):
    """An append-only, hash-chained audit record. The user is stored by name so the log outlives accounts."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    sequence = models.PositiveBigIntegerField(
        unique=True,
        null=True,
        editable=False,
        help_text="Position in the audit chain (1, 2, 3, ...).",
    )
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        db_table = chain.AUDIT_TABLE
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"

    def as_chain_record(self) -> chain.AuditRecord:
        return chain.AuditRecord.from_mapping(
            {name: getattr(self, name) for name in chain.AUDIT_COLUMNS}
        )

    def save(self, *args, **kwargs) -> None:
        """Append to the chain: take the next sequence number after the current head, under a
        lock (PostgreSQL advisory lock; SQLite writes one at a time), retrying on a collision."""
        if not self._state.adding:
            super().save(*args, **kwargs)  # refused by AppendOnlyModel
            return
        self.detail = chain.normalise_json(self.detail or {})
        self.object_type, self.object_id = str(self.object_type)[:60], str(self.object_id)[:60]
        for attempt in range(5):
            try:
                with transaction.atomic():
                    if connection.vendor == "postgresql":
                        with connection.cursor() as cursor:
                            cursor.execute("SELECT pg_advisory_xact_lock(7242017)")
                    head = AuditEvent.objects.exclude(sequence=None).order_by("-sequence").first()
                    record = chain.next_audit_record(
                        head.as_chain_record() if head else None,
                        at=self.at,
                        username=self.username,
                        action=self.action,
                        object_type=self.object_type,
                        object_id=self.object_id,
                        detail=self.detail,
                        remote_addr=self.remote_addr,
                    )
                    self.sequence, self.prev_hash, self.entry_hash = (
                        record.sequence,
                        record.prev_hash,
                        record.entry_hash,
                    )
                    super().save(*args, **kwargs)
                break
            except IntegrityError:
                if attempt == 4:
                    raise
                self.pk = None
                self._state.adding = True
        from . import anchoring

        anchoring.changed()


class Correction(AppendOnlyModel):
    """A correction of an evidence record: who, when, why, and each field before and after.

    Written by :func:`audit.corrections.correct` together with its audit event; never changed."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=150)
    object_type = models.CharField(
        max_length=60, help_text="app_label.Model of the corrected record."
    )
    object_pk = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    reason = models.TextField()
    changes = models.JSONField(help_text="field -> {before, after}, as stored.")
    audit_sequence = models.PositiveBigIntegerField(
        null=True, help_text="The audit event recording it."
    )
    flagged_identifications = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        db_table = "audit_correction"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} corrected {self.object_type} {self.object_pk}"
