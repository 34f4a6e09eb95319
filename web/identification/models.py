"""From a kinship match to a confirmed identification and the family being told.

A :class:`MatchCandidate` records what the engine computed (likelihood ratio, prior,
posterior) and with what (engine version, allele frequency table and its version).
An :class:`Identification` walks candidate → preliminary → confirmed (or excluded);
confirmation needs a second person, other than the analyst who proposed it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fieldwork.models import RemainsUnit
from nasab_site.append_only import EvidenceModel, ImmutableEvidenceModel
from registry.models import MissingPerson, Relative


class MatchCandidate(ImmutableEvidenceModel):
    remains = models.ForeignKey(RemainsUnit, on_delete=models.PROTECT, related_name="match_candidates")
    person = models.ForeignKey(MissingPerson, on_delete=models.PROTECT, related_name="match_candidates")
    likelihood_ratio = models.FloatField(help_text="LR of 'remains are this person' vs 'unrelated'.")
    prior = models.FloatField()
    posterior = models.FloatField()
    engine_version = models.CharField(max_length=40)
    frequency_table = models.CharField(max_length=120)
    frequency_table_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField(default=timezone.now)
    prior_justification = models.TextField(blank=True, help_text="Why this prior was used.")
    marker_log10_lrs = models.JSONField(default=dict, blank=True,
                                        help_text="Marker name -> log10 LR, as the engine computed it.")
    samples_used = models.JSONField(default=list, blank=True,
                                    help_text="Barcodes of the samples whose profiles were compared.")

    class Meta:
        ordering = ["-posterior", "-likelihood_ratio"]
        indexes = [models.Index(fields=["-posterior", "-likelihood_ratio"], name="candidate_list_order")]
        constraints = [
            models.CheckConstraint(condition=Q(prior__gt=0, prior__lt=1), name="candidate_prior_in_0_1"),
            models.CheckConstraint(condition=Q(posterior__gte=0, posterior__lte=1),
                                   name="candidate_posterior_in_0_1"),
            models.CheckConstraint(condition=Q(likelihood_ratio__gte=0), name="candidate_lr_nonnegative"),
            # One result per pair and computation: two matching jobs running at once (two
            # workers) cannot both record it; the second one's get_or_create finds the first.
            models.UniqueConstraint(fields=["remains", "person", "engine_version", "frequency_table",
                                            "frequency_table_version"],
                                    name="candidate_once_per_computation"),
        ]

    def __str__(self) -> str:
        return f"{self.remains.code} ~ {self.person.case_number} (LR {self.likelihood_ratio:.3g})"

    @property
    def status_label(self) -> str:
        """Where this candidate stands (a candidate until someone decides on it)."""
        try:
            return self.identification.get_status_display()
        except Identification.DoesNotExist:
            return IdentificationStatus.CANDIDATE.label


class IdentificationStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    PRELIMINARY = "preliminary", _("Preliminary")
    EXCLUSION_PROPOSED = "to_exclude", _("Exclusion proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    EXCLUDED = "excluded", _("Excluded")


# An exclusion is proposed by one person and decided by another, as a confirmation is; a
# proposed exclusion that the second person does not agree with goes back to where it was.
ALLOWED_TRANSITIONS = {
    IdentificationStatus.CANDIDATE: {IdentificationStatus.PRELIMINARY,
                                     IdentificationStatus.EXCLUSION_PROPOSED},
    IdentificationStatus.PRELIMINARY: {IdentificationStatus.CONFIRMED,
                                       IdentificationStatus.EXCLUSION_PROPOSED},
    IdentificationStatus.EXCLUSION_PROPOSED: {IdentificationStatus.EXCLUDED,
                                              IdentificationStatus.CANDIDATE,
                                              IdentificationStatus.PRELIMINARY},
    IdentificationStatus.CONFIRMED: set(),
    IdentificationStatus.EXCLUDED: set(),
}


class Identification(EvidenceModel):
    candidate = models.OneToOneField(MatchCandidate, on_delete=models.PROTECT,
                                     related_name="identification")
    status = models.CharField(max_length=12, choices=IdentificationStatus.choices,
                              default=IdentificationStatus.CANDIDATE)
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                help_text="Who proposed it as preliminary.")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    exclusion_proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+",
                                              help_text="Who proposed to exclude it.")
    excluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text="Who agreed to the exclusion (a second person).")
    excluded_at = models.DateTimeField(null=True, blank=True)
    inputs_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a record this identification rests on was corrected after it "
                                         "was confirmed: it needs review, and its reports are superseded.")
    inputs_changed_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="identification_confirmed_by_second_person",
                condition=~Q(status=IdentificationStatus.CONFIRMED)
                | (Q(confirmed_by__isnull=False, analyst__isnull=False)
                   & ~Q(confirmed_by=models.F("analyst")))),
            # Exclusions decided before the two-person rule have no excluded_by.
            models.CheckConstraint(
                name="identification_excluded_by_second_person",
                condition=Q(excluded_by__isnull=True)
                | (Q(exclusion_proposed_by__isnull=False)
                   & ~Q(excluded_by=models.F("exclusion_proposed_by")))),
        ]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.status == IdentificationStatus.CONFIRMED:
            if not self.analyst_id or not self.confirmed_by_id:
                raise ValidationError("A confirmed identification names its analyst and confirmer.")
            if self.analyst_id == self.confirmed_by_id:
                raise ValidationError("Confirmation needs a second person, not the analyst.")
        if self.excluded_by_id and self.excluded_by_id == self.exclusion_proposed_by_id:
            raise ValidationError("Exclusion needs a second person, not the one who proposed it.")


class IdentificationDecision(ImmutableEvidenceModel):
    """Each status change, who made it, and why."""

    identification = models.ForeignKey(Identification, on_delete=models.CASCADE,
                                       related_name="decisions")
    from_status = models.CharField(max_length=12, choices=IdentificationStatus.choices)
    to_status = models.CharField(max_length=12, choices=IdentificationStatus.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} by {self.decided_by}"


class NotificationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")


class FamilyNotification(ImmutableEvidenceModel):
    """The family being told of a confirmed identification."""

    identification = models.ForeignKey(Identification, on_delete=models.PROTECT,
                                       related_name="notifications")
    relative = models.ForeignKey(Relative, on_delete=models.PROTECT, related_name="notifications")
    notified_on = models.DateField(default=timezone.localdate)
    method = models.CharField(max_length=10, choices=NotificationMethod.choices)
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    support_offered = models.TextField(blank=True, help_text="Psychosocial support, repatriation of remains.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-notified_on"]

    def __str__(self) -> str:
        return f"{self.relative} told on {self.notified_on}"

    def clean(self) -> None:
        if self.identification_id and self.identification.status != IdentificationStatus.CONFIRMED:
            raise ValidationError("Families are notified only of confirmed identifications.")
        if (self.relative_id and self.identification_id
                and self.relative.person_id != self.identification.candidate.person_id):
            raise ValidationError({"relative": "This relative belongs to another missing person."})


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class MatchingJob(models.Model):
    """A matching run asked for from the web (or the command line), run by
    ``manage.py matching_worker``. The queue is this table, so a job outlives a restart of
    the web server or the worker; a running job whose heartbeat stops is taken up again."""

    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=120, blank=True, help_text="host:pid of the worker running it.")
    attempts = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="matching_job_queue")]

    def __str__(self) -> str:
        return f"matching job {self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class ReportLanguage(models.TextChoices):
    EN = "en", "English"
    AR = "ar", "العربية"


class IdentificationReport(ImmutableEvidenceModel):
    """A PDF identification report as issued: the document itself and its SHA-256.

    ``content_sha256`` is the hash of the report's content (canonical JSON of every figure
    in it) and is printed on the report; ``pdf_sha256`` is the hash of the PDF file."""

    identification = models.ForeignKey(Identification, on_delete=models.PROTECT, related_name="reports")
    language = models.CharField(max_length=2, choices=ReportLanguage.choices)
    content_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True,
                                         help_text="Set when a record the report rests on was corrected.")
    superseded_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["identification", "language", "content_sha256"],
                                               name="report_once_per_content")]

    def __str__(self) -> str:
        return f"report {self.content_sha256[:12]} ({self.language}) for {self.identification}"
