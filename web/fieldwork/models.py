"""Grave sites, the remains recovered from them, and samples taken from remains or donors."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nasab_site.append_only import EvidenceModel, ImmutableEvidenceModel
from nasab_site.identifiers import IdentifierValidator, clash
from nasab_site.validators import not_in_future
from registry.models import Governorate, Relative


class SiteStage(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSESSED = "assessed", _("Assessed")
    EXCAVATING = "excavating", _("Excavating")
    EXCAVATED = "excavated", _("Excavated")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = [stage.value for stage in SiteStage]


class Protection(models.TextChoices):
    UNPROTECTED = "unprotected", _("Unprotected")
    GUARDED = "guarded", _("Guarded")
    FENCED = "fenced", _("Fenced and guarded")
    COURT_ORDER = "court_order", _("Under court protection order")
    COMPROMISED = "compromised", _("Compromised (disturbed or looted)")


class GraveSite(EvidenceModel):
    """A known or suspected grave site, from first report to closure."""

    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[IdentifierValidator(20)],
        help_text="e.g. GS-001: Latin letters, digits, - . _ between them.",
    )
    name = models.CharField(max_length=200)
    governorate = models.CharField(max_length=20, choices=Governorate.choices)
    district = models.CharField(max_length=100, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_description = models.TextField(blank=True)
    stage = models.CharField(max_length=12, choices=SiteStage.choices, default=SiteStage.REPORTED)
    protection = models.CharField(
        max_length=12, choices=Protection.choices, default=Protection.UNPROTECTED
    )
    reported_on = models.DateField(default=timezone.localdate, validators=[not_in_future])
    estimated_individuals = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("grave site")
        verbose_name_plural = _("grave sites")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="gravesite_latitude_range",
                violation_error_message="Latitude is between -90 and 90 degrees.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="gravesite_longitude_range",
                violation_error_message="Longitude is between -180 and 180 degrees.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        clash(self, "code")

    def next_stages(self) -> list[str]:
        """The stage after this one (sites move forward only)."""
        index = STAGE_ORDER.index(self.stage)
        return STAGE_ORDER[index + 1 : index + 2]


class SiteStageChange(ImmutableEvidenceModel):
    """History of a site's life-cycle stage."""

    site = models.ForeignKey(GraveSite, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=SiteStage.choices)
    to_stage = models.CharField(max_length=12, choices=SiteStage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("site stage change")
        verbose_name_plural = _("site stage changes")
        ordering = ["changed_at"]


class SiteAccess(EvidenceModel):
    """Who entered a site, for what, and when: the site's access log."""

    site = models.ForeignKey(GraveSite, on_delete=models.CASCADE, related_name="access_log")
    person_name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=200)
    entered_at = models.DateTimeField(default=timezone.now, validators=[not_in_future])
    left_at = models.DateTimeField(null=True, blank=True, validators=[not_in_future])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("site access")
        verbose_name_plural = _("site access log")
        ordering = ["-entered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("entered_at")),
                name="siteaccess_left_after_entered",
                violation_error_message="Leaving cannot be before entering.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} at {self.site.code} from {self.entered_at:%Y-%m-%d %H:%M}"


class Completeness(models.TextChoices):
    COMPLETE = "complete", _("Complete skeleton")
    PARTIAL = "partial", _("Partial skeleton")
    FRAGMENTARY = "fragmentary", _("Fragmentary")
    COMMINGLED = "commingled", _("Commingled remains")


class RemainsUnit(EvidenceModel):
    """One unit of human remains as recovered: the label given at discovery is kept as is."""

    code = models.CharField(
        max_length=30,
        unique=True,
        validators=[IdentifierValidator(30)],
        help_text="Registry code, e.g. GS-001-R0007.",
    )
    site = models.ForeignKey(GraveSite, on_delete=models.PROTECT, related_name="remains")
    label_at_discovery = models.CharField(max_length=60)
    position = models.CharField(max_length=200, blank=True, help_text="Grid square, trench, layer.")
    depth_cm = models.PositiveIntegerField(null=True, blank=True)
    east_m = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Metres east of the site's datum point, where recorded.",
    )
    north_m = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Metres north of the site's datum point, where recorded.",
    )
    completeness = models.CharField(max_length=12, choices=Completeness.choices)
    recovered_on = models.DateField(default=timezone.localdate, validators=[not_in_future])
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = _("remains unit")
        verbose_name_plural = _("remains units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "label_at_discovery"],
                name="remains_label_unique_per_site",
                violation_error_message="This site already has remains with this label at discovery.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.label_at_discovery})"

    def clean(self) -> None:
        clash(self, "code")


class SampleKind(models.TextChoices):
    BONE = "bone", _("Bone")
    TOOTH = "tooth", _("Tooth")
    BUCCAL_SWAB = "buccal_swab", _("Buccal swab")
    BLOOD_CARD = "blood_card", _("Blood card")
    DNA_EXTRACT = "dna_extract", _("DNA extract")


class SkeletalElement(models.TextChoices):
    FEMUR = "femur", _("Femur")
    TIBIA = "tibia", _("Tibia")
    HUMERUS = "humerus", _("Humerus")
    PETROUS = "petrous", _("Petrous part of temporal bone")
    METATARSAL = "metatarsal", _("Metatarsal")
    MOLAR = "molar", _("Molar")
    PREMOLAR = "premolar", _("Premolar")
    OTHER = "other", _("Other")


SKELETAL_KINDS = {SampleKind.BONE, SampleKind.TOOTH}


class Sample(EvidenceModel):
    """A physical sample with a unique barcode, taken from remains, a donor, or another sample."""

    barcode = models.CharField(
        max_length=40,
        unique=True,
        validators=[IdentifierValidator(40)],
        help_text="As printed on the label: Latin letters, digits, - . _",
    )
    kind = models.CharField(max_length=12, choices=SampleKind.choices)
    skeletal_element = models.CharField(max_length=12, choices=SkeletalElement.choices, blank=True)
    remains = models.ForeignKey(
        RemainsUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="samples"
    )
    donor = models.ForeignKey(
        Relative, null=True, blank=True, on_delete=models.PROTECT, related_name="samples"
    )
    parent_sample = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subsamples"
    )
    storage_location = models.CharField(max_length=200, blank=True)
    collected_on = models.DateField(default=timezone.localdate, validators=[not_in_future])
    consumed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["barcode"]
        constraints = [
            models.CheckConstraint(
                name="sample_has_exactly_one_parent",
                violation_error_message="A sample comes from exactly one of: remains, a donor, a parent sample.",
                condition=(
                    Q(remains__isnull=False, donor__isnull=True, parent_sample__isnull=True)
                    | Q(remains__isnull=True, donor__isnull=False, parent_sample__isnull=True)
                    | Q(remains__isnull=True, donor__isnull=True, parent_sample__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.barcode

    @property
    def parent(self):
        return self.remains or self.donor or self.parent_sample

    @property
    def origin_remains(self) -> RemainsUnit | None:
        sample = self
        while sample.parent_sample_id:
            sample = sample.parent_sample
        return sample.remains

    @property
    def origin_donor(self) -> Relative | None:
        sample = self
        while sample.parent_sample_id:
            sample = sample.parent_sample
        return sample.donor

    def clean(self) -> None:
        clash(self, "barcode")
        parents = [p for p in (self.remains_id, self.donor_id, self.parent_sample_id) if p]
        if len(parents) != 1:
            raise ValidationError(
                "A sample comes from exactly one of: remains, a donor, a parent sample."
            )
        if self.kind in SKELETAL_KINDS and not self.skeletal_element:
            raise ValidationError({"skeletal_element": "Say which bone or tooth was sampled."})
        if self.kind not in SKELETAL_KINDS and self.skeletal_element:
            raise ValidationError(
                {"skeletal_element": "Only bone and tooth samples have a skeletal element."}
            )
        if self.donor_id and self.kind in SKELETAL_KINDS:
            raise ValidationError(
                {"kind": "Reference samples from living donors are swabs or blood cards."}
            )
