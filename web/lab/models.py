"""DNA profiles typed from samples. Who may see them: :mod:`accounts.roles`; which may be
used at all: :func:`lab.selectors.usable_profiles`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fieldwork.models import Sample
from nasab_site.append_only import ImmutableEvidenceModel


class QualityStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    PARTIAL = "partial", _("Accepted, partial profile")
    REJECTED = "rejected", _("Rejected")


USABLE_QUALITY = (QualityStatus.ACCEPTED, QualityStatus.PARTIAL)


class DNAProfile(ImmutableEvidenceModel):
    """An STR profile: ``markers`` maps marker name to its two alleles, e.g. ``{"TH01": ["6", "9.3"]}``."""

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="profiles")
    markers = models.JSONField()
    # Y-STR haplotype and mtDNA sequence typed with the profile (docs/lineage.md):
    # {"Y": {"DYS19": "14", "DYS385": "11,14"}, "mtDNA": "16024-16365: 16129A"}; {} if none
    lineage = models.JSONField(default=dict, blank=True)
    kit = models.CharField(max_length=80, help_text="Typing kit, e.g. a 24-locus STR kit.")
    lab = models.CharField(max_length=120)
    quality_status = models.CharField(
        max_length=10, choices=QualityStatus.choices, default=QualityStatus.PENDING
    )
    source_file_name = models.CharField(max_length=255)
    source_sha256 = models.CharField("SHA-256 of the source file", max_length=64)
    source_line = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The earlier profile of the same sample this one replaces (kept, not used).",
    )
    supersession_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("DNA profile")
        verbose_name_plural = _("DNA profiles")
        ordering = ["-imported_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "source_sha256"],
                name="profile_once_per_sample_and_file",
                violation_error_message="This file's profile of this sample is already imported.",
            ),
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True) | ~models.Q(supersession_reason=""),
                name="profile_supersession_has_reason",
                violation_error_message="Say why the earlier profile is superseded.",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.sample.barcode} ({self.kit}, {len(self.markers)} markers)"

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by")

    @property
    def marker_count(self) -> int:
        return len(self.markers)


class SNPPanelFile(ImmutableEvidenceModel):
    """A SNP panel file as the lab gave it (markers, map, allele frequencies; docs/snp.md),
    kept whole so that every SNP likelihood can be recomputed from the very same file."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    text = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["file_name", "pk"]
        verbose_name = _("SNP panel file")
        verbose_name_plural = _("SNP panel files")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"


class SNPCalls(ImmutableEvidenceModel):
    """The calls of one sample typed with a dense SNP panel (FORCE, XFORCE).

    ``panel`` names the panel files in the order read (``[{"file": name, "sha256": ...}]``);
    ``calls`` is one character per SNP of that panel, in the panel's order: ``0``, ``1``,
    ``2`` (dosage of the panel's first allele) or ``.`` (no call). Like DNA profiles,
    corrections are new rows that supersede the old one, with the reason; the old row stays.
    """

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="snp_calls")
    panel = models.JSONField()
    panel_sha256 = models.CharField(
        "SHA-256 of the panel",
        max_length=64,
        help_text="Over the panel files' own hashes, in order.",
    )
    calls = models.TextField()
    called = models.PositiveIntegerField(help_text="SNPs with a call.")
    lab = models.CharField(max_length=120)
    source_file_name = models.CharField(max_length=255)
    source_sha256 = models.CharField("SHA-256 of the source file", max_length=64)
    source_line = models.PositiveIntegerField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The earlier SNP calls of the same sample these replace (kept, not used).",
    )
    supersession_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-imported_at", "pk"]
        verbose_name = _("SNP calls")
        verbose_name_plural = _("SNP calls")
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "source_sha256", "panel_sha256"],
                name="snp_calls_once_per_sample_and_file",
                violation_error_message="This file's SNP calls of this sample are already imported.",
            ),
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True) | ~models.Q(supersession_reason=""),
                name="snp_calls_supersession_has_reason",
                violation_error_message="Say why the earlier SNP calls are superseded.",
            ),
        ]

    def __str__(self) -> str:
        return f"SNP calls of {self.sample.barcode} ({self.called} of {len(self.calls)} SNPs)"

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by")
