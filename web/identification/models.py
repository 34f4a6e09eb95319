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
from nasab_site.append_only import (
    AppendOnlyError,
    EvidenceModel,
    ImmutableEvidenceModel,
    ImmutableQuerySet,
    correction_in_progress,
)
from registry.models import MissingPerson, Relative


class FrequencyTableFile(models.Model):
    """An allele frequency table as registered: the file's text and its SHA-256. Rows are
    never changed; a corrected table is a new row (new hash)."""

    name = models.CharField(max_length=120, help_text="File name, e.g. NIST1036_All.tsv.")
    description = models.CharField(max_length=255, blank=True)
    content = models.TextField(help_text="The table as read (Familias or TSV format).")
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    bundled = models.BooleanField(default=False, help_text="Shipped with nasab.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("frequency table file")
        verbose_name_plural = _("frequency table files")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} (sha256 {self.sha256[:12]})"


class LineageSystem(models.TextChoices):
    Y = "Y", "Y-STR haplotypes"
    MTDNA = "mtDNA", "mtDNA sequences"


class YstrMethod(models.TextChoices):
    """``nasab lr --ystr-method`` (docs/lineage.md)."""

    COUNTING = "counting", "Counting with a confidence bound"
    AUGMENTED = "augmented", "Augmented counting, (x+1)/(N+1)"
    DLAPLACE = "dlaplace", "Discrete Laplace mixture"


class LineageDatabaseFile(models.Model):
    """A Y-STR haplotype or mtDNA sequence database as registered: the table's text, its
    SHA-256 and size (men / sequences, as the engine read it). Never changed; a corrected
    database is a new row."""

    kind = models.CharField(max_length=8, choices=LineageSystem.choices)
    name = models.CharField(max_length=120, help_text="File name.")
    description = models.CharField(max_length=255, blank=True)
    content = models.TextField(help_text="The table as read (docs/lineage.md, Databases).")
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.PositiveIntegerField(help_text="Men (Y-STR) or sequences (mtDNA) in it.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("lineage database file")
        verbose_name_plural = _("lineage database files")
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} (N = {self.size}, sha256 {self.sha256[:12]})"

    def describe(self) -> dict:
        return {"name": self.name, "sha256": self.sha256, "size": self.size}


class MutationModel(models.TextChoices):
    STEPWISE = "stepwise", "Stepwise (AABB 2003 rates per marker and sex)"
    PROPORTIONAL = "proportional", "Proportional to frequency (fast at national scale)"
    EQUAL = "equal", "Equal"
    NONE = "none", "No mutation"


class PriorRule(models.TextChoices):
    PER_MISSING = "per_missing", "1 / number of missing persons searched"
    FIXED = "fixed", "A fixed value"


class ProgrammeSettings(models.Model):
    """The identification programme's matching model. The newest row is in force; a change
    is a new row, and every candidate names the row it was computed under."""

    frequency_table = models.ForeignKey(
        FrequencyTableFile, on_delete=models.PROTECT, related_name="settings"
    )
    mutation_model = models.CharField(
        max_length=12, choices=MutationModel.choices, default=MutationModel.STEPWISE
    )
    default_mutation_rate = models.FloatField(
        default=1e-3, help_text="Per meiosis, for markers without a published rate."
    )
    theta = models.FloatField(
        "θ (Balding–Nichols)",
        default=0.0,
        help_text="0: Hardy–Weinberg. Costly with the stepwise model.",
    )
    dropout_bone = models.FloatField(default=0.0)
    dropin_bone = models.FloatField(default=0.0)
    dropout_tooth = models.FloatField(default=0.0)
    dropin_tooth = models.FloatField(default=0.0)
    dropout_reference = models.FloatField(
        default=0.0,
        help_text="Reference swabs and blood cards (the family's donors): probability "
        "that one allele copy drops out (0: complete profiles).",
    )
    dropin_reference = models.FloatField(
        default=0.0,
        help_text="Reference swabs and blood cards: no drop-in (0); a reference profile is "
        "typed from plenty of DNA.",
    )
    threshold = models.FloatField(
        "LR threshold",
        default=1e4,
        help_text="Candidates are kept at this likelihood ratio or above.",
    )
    prior_rule = models.CharField(
        max_length=12, choices=PriorRule.choices, default=PriorRule.PER_MISSING
    )
    prior_value = models.FloatField(null=True, blank=True, help_text="For the fixed rule.")
    ystr_database = models.ForeignKey(
        LineageDatabaseFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": LineageSystem.Y},
        help_text="Y-STR haplotype database (none: Y-STR data are not used in matching).",
    )
    ystr_method = models.CharField(
        max_length=12, choices=YstrMethod.choices, default=YstrMethod.COUNTING
    )
    mtdna_database = models.ForeignKey(
        LineageDatabaseFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": LineageSystem.MTDNA},
        help_text="mtDNA sequence database (none: mtDNA data are not used in matching).",
    )
    lineage_confidence = models.FloatField(
        default=0.95, help_text="Confidence of the counting bound (Y-STR counting and mtDNA)."
    )
    note = models.TextField(blank=True, help_text="Why the settings changed.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(theta__gte=0, theta__lt=0.5), name="settings_theta"),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="settings_threshold"),
            models.CheckConstraint(
                condition=Q(
                    dropout_bone__gte=0,
                    dropout_bone__lt=1,
                    dropin_bone__gte=0,
                    dropin_bone__lt=1,
                    dropout_tooth__gte=0,
                    dropout_tooth__lt=1,
                    dropin_tooth__gte=0,
                    dropin_tooth__lt=1,
                ),
                name="settings_drop_probabilities",
            ),
            models.CheckConstraint(
                condition=Q(dropout_reference__gte=0, dropout_reference__lt=1, dropin_reference=0),
                name="settings_reference_dropout",
            ),
            models.CheckConstraint(
                condition=Q(prior_rule="per_missing") | Q(prior_value__gt=0, prior_value__lt=1),
                name="settings_fixed_prior_in_0_1",
            ),
            models.CheckConstraint(
                condition=Q(lineage_confidence__gt=0, lineage_confidence__lt=1),
                name="settings_lineage_confidence",
            ),
        ]

    def __str__(self) -> str:
        return f"settings {self.pk} ({self.created_at:%Y-%m-%d %H:%M})"

    def describe(self) -> dict:
        """Every choice that changes a likelihood ratio or a posterior, as recorded."""
        return {
            "frequency_table": {
                "name": self.frequency_table.name,
                "sha256": self.frequency_table.sha256,
            },
            "mutation_model": self.mutation_model,
            "default_mutation_rate": self.default_mutation_rate,
            "theta": self.theta,
            "dropout_dropin": {
                "bone": [self.dropout_bone, self.dropin_bone],
                "tooth": [self.dropout_tooth, self.dropin_tooth],
                "reference": [self.dropout_reference, self.dropin_reference],
            },
            "threshold": self.threshold,
            "prior_rule": self.prior_rule,
            "prior_value": self.prior_value,
            # only with a database (settings without one keep their fingerprint)
            **({"lineage": self.describe_lineage()} if self.uses_lineage else {}),
        }

    @property
    def uses_lineage(self) -> bool:
        return self.ystr_database_id is not None or self.mtdna_database_id is not None

    def describe_lineage(self) -> dict:
        """The Y-STR and mtDNA databases (name, SHA-256, N), the method, the confidence."""
        y = self.ystr_database
        mt = self.mtdna_database
        return {
            "Y": {**y.describe(), "method": self.ystr_method} if y else None,
            "mtDNA": {**mt.describe(), "method": "counting"} if mt else None,
            "confidence": self.lineage_confidence,
        }

    @property
    def fingerprint(self) -> str:
        """SHA-256 of :meth:`describe` (canonical JSON): equal settings, equal fingerprint."""
        import hashlib
        import json

        text = json.dumps(self.describe(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# What may change on a candidate after it is written: its place among later computations
# and the review figures derived from it. The engine's figures (LR, prior, posterior,
# per-marker LRs, the profiles used) never change.
CANDIDATE_STATE_FIELDS = frozenset(
    {
        "current",
        "needs_review",
        "review_reason",
        "alternatives",
        "alternatives_computed_at",
        "joint_context",
    }
)


class CandidateQuerySet(ImmutableQuerySet):
    def set_state(self, **fields) -> int:
        """Update the candidate's state fields (:data:`CANDIDATE_STATE_FIELDS`) only."""
        bad = set(fields) - CANDIDATE_STATE_FIELDS
        if bad:
            raise AppendOnlyError(f"match candidates' {sorted(bad)} are never changed in place")
        with correction_in_progress():
            return super().update(**fields)


class MatchCandidate(ImmutableEvidenceModel):
    objects = CandidateQuerySet.as_manager()

    remains = models.ForeignKey(
        RemainsUnit, on_delete=models.PROTECT, related_name="match_candidates"
    )
    person = models.ForeignKey(
        MissingPerson, on_delete=models.PROTECT, related_name="match_candidates"
    )
    likelihood_ratio = models.FloatField(
        help_text="LR of 'remains are this person' vs 'unrelated'."
    )
    prior = models.FloatField()
    posterior = models.FloatField()
    engine_version = models.CharField(max_length=40)
    frequency_table = models.CharField(max_length=120)
    frequency_table_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField(default=timezone.now)
    prior_justification = models.TextField(blank=True, help_text="Why this prior was used.")
    marker_log10_lrs = models.JSONField(
        default=dict, blank=True, help_text="Marker name -> log10 LR, as the engine computed it."
    )
    samples_used = models.JSONField(
        default=list, blank=True, help_text="Barcodes of the samples whose profiles were compared."
    )
    programme_settings = models.ForeignKey(
        ProgrammeSettings,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    log10_lr = models.FloatField(null=True, blank=True, help_text="Exact log10 LR (engine).")
    n_markers = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Markers typed in the remains."
    )
    n_inconsistent = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Markers impossible without mutation (-1: the references themselves are).",
    )
    family_kind = models.CharField(
        max_length=20, blank=True, help_text="Which relatives typed (both_parents, siblings...)."
    )
    donors = models.ManyToManyField(
        Relative,
        blank=True,
        related_name="match_candidates",
        help_text="The donors whose profiles the LR used.",
    )
    basis = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the settings and the profiles compared."
    )
    current = models.BooleanField(
        default=True, help_text="False once a later computation with other data replaced it."
    )
    needs_review = models.BooleanField(default=False)
    review_reason = models.TextField(blank=True)
    alternatives = models.JSONField(
        default=dict,
        blank=True,
        help_text="LR of 'the remains are the missing person' against 'they are his full "
        "brother / father / son' (see identification.alternatives).",
    )
    alternatives_computed_at = models.DateTimeField(null=True, blank=True)
    log10_lr_autosomal = models.FloatField(
        null=True, blank=True, help_text="Autosomal STR log10 LR (engine); null: not recorded."
    )
    log10_lr_y = models.FloatField(
        null=True, blank=True, help_text="Y-STR log10 LR factor (0: no Y evidence)."
    )
    log10_lr_mtdna = models.FloatField(
        null=True, blank=True, help_text="mtDNA log10 LR factor (0: no mtDNA evidence)."
    )
    lineage_evidence = models.JSONField(
        default=dict,
        blank=True,
        help_text="Y-STR and mtDNA evidence lines as nasab lr states them (statement, "
        "database, model, factor) and the combination assumption; empty without lineage "
        "databases.",
    )
    joint_context = models.JSONField(
        default=dict,
        blank=True,
        help_text="Joint identification this pair was part of, by scope ('family': the "
        "family's several missing; 'site': the remains of one grave): the analysis, "
        "the pair's share of the top assignments, the conclusion (see "
        "identification.joint).",
    )

    class Meta:
        verbose_name = _("match candidate")
        verbose_name_plural = _("match candidates")
        ordering = ["-posterior", "-likelihood_ratio"]
        indexes = [
            models.Index(fields=["-posterior", "-likelihood_ratio"], name="candidate_list_order")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(prior__gt=0, prior__lt=1), name="candidate_prior_in_0_1"
            ),
            models.CheckConstraint(
                condition=Q(posterior__gte=0, posterior__lte=1), name="candidate_posterior_in_0_1"
            ),
            models.CheckConstraint(
                condition=Q(likelihood_ratio__gte=0), name="candidate_lr_nonnegative"
            ),
            # One result per pair and computation: two matching jobs running at once (two
            # workers) cannot both record it; the second one's get_or_create finds the first.
            models.UniqueConstraint(
                fields=[
                    "remains",
                    "person",
                    "engine_version",
                    "frequency_table",
                    "frequency_table_version",
                ],
                condition=Q(basis=""),
                name="candidate_once_per_computation",
            ),
            models.UniqueConstraint(
                fields=["remains", "person", "basis"],
                condition=~Q(basis=""),
                name="candidate_once_per_basis",
            ),
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
    IdentificationStatus.CANDIDATE: {
        IdentificationStatus.PRELIMINARY,
        IdentificationStatus.EXCLUSION_PROPOSED,
    },
    IdentificationStatus.PRELIMINARY: {
        IdentificationStatus.CONFIRMED,
        IdentificationStatus.EXCLUSION_PROPOSED,
    },
    IdentificationStatus.EXCLUSION_PROPOSED: {
        IdentificationStatus.EXCLUDED,
        IdentificationStatus.CANDIDATE,
        IdentificationStatus.PRELIMINARY,
    },
    IdentificationStatus.CONFIRMED: set(),
    IdentificationStatus.EXCLUDED: set(),
}


class Identification(EvidenceModel):
    candidate = models.OneToOneField(
        MatchCandidate, on_delete=models.PROTECT, related_name="identification"
    )
    status = models.CharField(
        max_length=12, choices=IdentificationStatus.choices, default=IdentificationStatus.CANDIDATE
    )
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who proposed it as preliminary.",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    exclusion_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who proposed to exclude it.",
    )
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who agreed to the exclusion (a second person).",
    )
    excluded_at = models.DateTimeField(null=True, blank=True)
    inputs_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a record this identification rests on was corrected after it "
        "was confirmed: it needs review, and its reports are superseded.",
    )
    inputs_changed_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")
        constraints = [
            models.CheckConstraint(
                name="identification_confirmed_by_second_person",
                condition=~Q(status=IdentificationStatus.CONFIRMED)
                | (
                    Q(confirmed_by__isnull=False, analyst__isnull=False)
                    & ~Q(confirmed_by=models.F("analyst"))
                ),
            ),
            # Exclusions decided before the two-person rule have no excluded_by.
            models.CheckConstraint(
                name="identification_excluded_by_second_person",
                condition=Q(excluded_by__isnull=True)
                | (
                    Q(exclusion_proposed_by__isnull=False)
                    & ~Q(excluded_by=models.F("exclusion_proposed_by"))
                ),
            ),
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

    identification = models.ForeignKey(
        Identification, on_delete=models.CASCADE, related_name="decisions"
    )
    from_status = models.CharField(max_length=12, choices=IdentificationStatus.choices)
    to_status = models.CharField(max_length=12, choices=IdentificationStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    class Meta:
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} by {self.decided_by}"


class NotificationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")


class FamilyNotification(ImmutableEvidenceModel):
    """The family being told of a confirmed identification."""

    identification = models.ForeignKey(
        Identification, on_delete=models.PROTECT, related_name="notifications"
    )
    relative = models.ForeignKey(Relative, on_delete=models.PROTECT, related_name="notifications")
    notified_on = models.DateField(default=timezone.localdate)
    method = models.CharField(max_length=10, choices=NotificationMethod.choices)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    support_offered = models.TextField(
        blank=True, help_text="Psychosocial support, repatriation of remains."
    )
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = _("family notification")
        verbose_name_plural = _("family notifications")
        ordering = ["-notified_on"]

    def __str__(self) -> str:
        return f"{self.relative} told on {self.notified_on}"

    def clean(self) -> None:
        if self.identification_id and self.identification.status != IdentificationStatus.CONFIRMED:
            raise ValidationError("Families are notified only of confirmed identifications.")
        if (
            self.relative_id
            and self.identification_id
            and self.relative.person_id != self.identification.candidate.person_id
        ):
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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(
        max_length=120, blank=True, help_text="host:pid of the worker running it."
    )
    attempts = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.TextField(blank=True)
    error = models.TextField(blank=True)
    kind = models.CharField(
        max_length=12,
        default="full",
        help_text="full: every family against every remains (new store); joint, "
        "alternatives, fragments: the review analyses of what changed (a batch each).",
    )
    priority = models.SmallIntegerField(
        default=0,
        help_text="Higher runs first among queued jobs; a job queued longer than the "
        "worker's longest wait runs before any younger one.",
    )

    class Meta:
        verbose_name = _("matching job")
        verbose_name_plural = _("matching jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="matching_job_queue"),
            models.Index(
                fields=["status", "-priority", "created_at"], name="matching_job_priority"
            ),
        ]

    def __str__(self) -> str:
        return f"matching job {self.pk} ({self.get_status_display()})"

    @property
    def summary(self) -> str:
        """The result, the error, or why the run was asked for."""
        return self.result or self.error or (self.parameters or {}).get("reason", "")

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

    identification = models.ForeignKey(
        Identification, on_delete=models.PROTECT, related_name="reports"
    )
    language = models.CharField(max_length=2, choices=ReportLanguage.choices)
    content_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a record the report rests on was corrected."
    )
    superseded_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("identification report")
        verbose_name_plural = _("identification reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["identification", "language", "content_sha256"],
                name="report_once_per_content",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.content_sha256[:12]} ({self.language}) for {self.identification}"


class MatchingWorker(models.Model):
    """A running matching worker's heartbeat, for the search page (a dead worker shows)."""

    name = models.CharField(max_length=120, unique=True, help_text="host:pid")
    started_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=200, blank=True, help_text="What it is doing.")

    class Meta:
        verbose_name = _("matching worker")
        verbose_name_plural = _("matching workers")
        ordering = ["-heartbeat_at"]

    def __str__(self) -> str:
        return self.name


class ScoringRequest(models.Model):
    """A change the compiled store must follow: a remains profile to score against every
    family, or a family to recompile and score against every remains. Done at once where the
    change is made (the web request); the worker does what could not be done then."""

    REMAINS, FAMILY = "remains", "family"
    kind = models.CharField(max_length=8, choices=[(REMAINS, "Remains"), (FAMILY, "Family")])
    key = models.CharField(
        max_length=40, help_text="Remains code, or the pedigree owner's case number."
    )
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("scoring request")
        verbose_name_plural = _("scoring requests")
        ordering = ["pk"]
        indexes = [models.Index(fields=["done_at", "id"], name="scoring_pending")]

    def __str__(self) -> str:
        return f"score {self.kind} {self.key}"


class JointAnalysis(models.Model):
    """Joint identification (the engine's ``nasab joint``) of a family with several missing
    persons, or of the remains of one grave site, on the candidates: best assignments,
    posteriors and conclusions (undisputed, symmetric, cannot tell apart)."""

    FAMILY, SITE = "family", "site"
    kind = models.CharField(max_length=8, choices=[(FAMILY, "Family"), (SITE, "Grave site")])
    key = models.CharField(max_length=40, help_text="Pedigree owner's case number, or site code.")
    programme_settings = models.ForeignKey(
        ProgrammeSettings, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    inputs = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the settings and the candidates analysed."
    )
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("joint analysis")
        verbose_name_plural = _("joint analyses")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "key", "-created_at"], name="joint_latest")]

    def __str__(self) -> str:
        return f"joint identification of {self.kind} {self.key}"


class FragmentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed (one individual)"
    REJECTED = "rejected", "Rejected"


class FragmentGroup(models.Model):
    """Remains units whose profiles come from one person (fragments of one body, a
    commingled grave), proposed by remains-against-remains matching (the engine's ``nasab
    direct``) and reviewed like an identification: confirmed by someone other than the
    analyst who proposed it. Each fragment keeps its own remains unit and custody chain."""

    members = models.ManyToManyField(RemainsUnit, related_name="fragment_groups")
    members_key = models.CharField(max_length=64, help_text="SHA-256 of the member codes.")
    programme_settings = models.ForeignKey(
        ProgrammeSettings, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    links = models.JSONField(
        default=list, blank=True, help_text="The linking pairs: a, b, log10 LR, shared markers."
    )
    min_log10_lr = models.FloatField(help_text="Weakest link of the group (log10 LR).")
    threshold = models.FloatField(help_text="LR at which remains were linked.")
    status = models.CharField(
        max_length=10, choices=FragmentStatus.choices, default=FragmentStatus.PROPOSED
    )
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fragment group")
        verbose_name_plural = _("fragment groups")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["members_key", "programme_settings"],
                name="fragment_group_once_per_settings",
            ),
            models.CheckConstraint(
                name="fragment_group_confirmed_by_second_person",
                condition=~Q(status="confirmed")
                | (
                    Q(decided_by__isnull=False, analyst__isnull=False)
                    & ~Q(decided_by=models.F("analyst"))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"fragment group {self.pk} ({self.get_status_display()})"


class FamilyEstimate(models.Model):
    """A family's power estimate (``nasab.power``: P(LR >= 10^4) for the true missing person,
    and whom to ask next), computed by the matching worker, never inside a request. Derived
    data, not evidence: recomputed when the references change (``requested_at`` set), the
    last result kept and shown with its date meanwhile."""

    person = models.OneToOneField(
        MissingPerson, on_delete=models.CASCADE, related_name="power_estimate"
    )
    inputs_key = models.CharField(
        max_length=64, blank=True, help_text="Fingerprint of what the result was computed from."
    )
    typed = models.PositiveSmallIntegerField(default=0, help_text="Typed references used.")
    power = models.FloatField(null=True, blank=True, help_text="P(LR >= 10^4); none: no number.")
    suggestions = models.JSONField(
        default=list, blank=True, help_text="[[label, relation, power with them typed], ...]"
    )
    error = models.TextField(blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="How long it took.")
    requested_at = models.DateTimeField(
        null=True, blank=True, help_text="A recomputation is queued (none: up to date)."
    )
    reason = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("family estimate")
        verbose_name_plural = _("family estimates")
        indexes = [models.Index(fields=["requested_at"], name="family_estimate_queue")]

    def __str__(self) -> str:
        return f"power estimate of {self.person_id}"


class SNPConfirmation(ImmutableEvidenceModel):
    """Stage 2 of the two-stage programme for one STR candidate: the linked SNP LR
    (autosomal, X) and the combined STR x SNP LR, as computed once from the stored SNP calls
    (``identification.snp_confirm.record_snp_confirmation``) and never recomputed on
    display. A later computation (new calls, a superseded row) is a new record; the newest
    one is shown. ``result`` holds every figure as computed; ``inputs`` names each SNP
    call record used, with its source file's SHA-256."""

    candidate = models.ForeignKey(
        MatchCandidate, on_delete=models.PROTECT, related_name="snp_confirmations"
    )
    panel = models.JSONField(help_text="The panel files, each with its SHA-256.")
    inputs = models.JSONField(help_text="The SNP call records used and their files' hashes.")
    inputs_sha256 = models.CharField("SHA-256 of the inputs", max_length=64)
    result = models.JSONField()
    error = models.TextField(blank=True)
    snp_log10_lr = models.FloatField(null=True, blank=True)
    combined_log10_lr = models.FloatField(null=True, blank=True)
    posterior = models.FloatField(null=True, blank=True)
    engine_version = models.CharField(max_length=40)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the background worker computed it.",
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        verbose_name = _("SNP confirmation")
        verbose_name_plural = _("SNP confirmations")
        get_latest_by = ["computed_at", "pk"]

    def __str__(self) -> str:
        return f"SNP confirmation of candidate {self.candidate_id} ({self.computed_at:%Y-%m-%d})"
