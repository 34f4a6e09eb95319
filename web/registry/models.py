"""The missing, the events of their disappearance, who reported them, and their families.

A family's relatives form the pedigree the kinship engine compares remains against:
each :class:`Relative` states a claimed relationship to the missing person, which a
case worker validates (or not), and may link to its own father and mother in the same
pedigree. A relative who gives a reference sample is a *donor*; their
:class:`Consent` decides what that sample's profile may be used for.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nasab_site.append_only import EvidenceModel
from nasab_site.validators import latest_today, not_in_future


class Governorate(models.TextChoices):
    DAMASCUS = "damascus", _("Damascus")
    RIF_DIMASHQ = "rif_dimashq", _("Rif Dimashq")
    ALEPPO = "aleppo", _("Aleppo")
    HOMS = "homs", _("Homs")
    HAMA = "hama", _("Hama")
    LATAKIA = "latakia", _("Latakia")
    TARTUS = "tartus", _("Tartus")
    IDLIB = "idlib", _("Idlib")
    RAQQA = "raqqa", _("Raqqa")
    DEIR_EZ_ZOR = "deir_ez_zor", _("Deir ez-Zor")
    HASAKAH = "hasakah", _("Al-Hasakah")
    DARAA = "daraa", _("Daraa")
    SUWAYDA = "suwayda", _("As-Suwayda")
    QUNEITRA = "quneitra", _("Quneitra")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class MissingPerson(EvidenceModel):
    """A person reported missing. Names are kept as written in Arabic and in Latin script."""

    case_number = models.CharField(max_length=20, unique=True, editable=False)
    name_ar = models.CharField("full name (Arabic script)", max_length=200)
    name_latin = models.CharField("full name (Latin script)", max_length=200, blank=True)
    given_name = models.CharField("given name", max_length=80)
    father_name = models.CharField("father's name", max_length=80, blank=True)
    grandfather_name = models.CharField("grandfather's name", max_length=80, blank=True)
    family_name = models.CharField("family name", max_length=80, blank=True)
    mother_name = models.CharField("mother's name", max_length=160, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="When only the year is known."
    )
    governorate = models.CharField(max_length=20, choices=Governorate.choices, blank=True)
    district = models.CharField(max_length=100, blank=True)
    civil_registry_place = models.CharField(
        "civil registry place",
        max_length=120,
        blank=True,
        help_text="Place of the family's civil registry entry (qayd).",
    )
    civil_registry_number = models.CharField("civil registry number", max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_family_id = models.CharField(
        "external family identifier",
        max_length=60,
        blank=True,
        db_index=True,
        help_text="The family's identifier in the file it was loaded from (e.g. a simulation's "
        "family_id); exports name the family by it.",
    )
    external_id = models.CharField(
        "external identifier",
        max_length=60,
        blank=True,
        help_text="The person's identifier within that family (e.g. a simulation's missing id).",
    )

    class Meta:
        verbose_name = _("missing person")
        verbose_name_plural = _("missing persons")
        ordering = ["case_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="missingperson_birth_year_plausible",
                violation_error_message="The year of birth must be between 1900 and 2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.name_latin or self.name_ar}"

    @property
    def known_birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    def clean(self) -> None:
        if self.birth_year and self.birth_year > latest_today().year:
            raise ValidationError({"birth_year": "The year of birth cannot be in the future."})
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise ValidationError({"birth_year": "Birth year differs from the birth date's year."})

    def save(self, *args, **kwargs) -> None:
        if self.birth_date and not self.birth_year:
            self.birth_year = self.birth_date.year
        super().save(*args, **kwargs)
        if not self.case_number:
            self.case_number = f"MP-{self.pk:06d}"
            super().save(update_fields=["case_number"])


class Circumstance(models.TextChoices):
    ARREST = "arrest", _("Arrest or detention")
    CHECKPOINT = "checkpoint", _("Taken at a checkpoint")
    ABDUCTION = "abduction", _("Abduction")
    HOSTILITIES = "hostilities", _("During hostilities")
    DISPLACEMENT = "displacement", _("During displacement or flight")
    UNKNOWN = "unknown", _("Unknown")


class DisappearanceEvent(EvidenceModel):
    """When and where a person was last seen; the dates bound a range, not a point."""

    person = models.ForeignKey(
        MissingPerson, on_delete=models.CASCADE, related_name="disappearances"
    )
    date_from = models.DateField("not seen since (earliest)", validators=[not_in_future])
    date_to = models.DateField(
        "not seen since (latest)", null=True, blank=True, validators=[not_in_future]
    )
    place = models.CharField(max_length=200)
    governorate = models.CharField(max_length=20, choices=Governorate.choices, blank=True)
    circumstances = models.CharField(
        max_length=20, choices=Circumstance.choices, default=Circumstance.UNKNOWN
    )
    narrative = models.TextField(blank=True)

    class Meta:
        verbose_name = _("disappearance event")
        verbose_name_plural = _("disappearance events")
        ordering = ["date_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__isnull=True) | Q(date_to__gte=models.F("date_from")),
                name="disappearance_dates_ordered",
                violation_error_message="The latest date cannot be before the earliest.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.case_number}: {self.date_from} at {self.place}"


class Relationship(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    FULL_SIBLING = "full_sibling", _("Full sibling")
    HALF_SIBLING_PATERNAL = "half_sibling_paternal", _("Paternal half-sibling")
    HALF_SIBLING_MATERNAL = "half_sibling_maternal", _("Maternal half-sibling")
    CHILD = "child", _("Child")
    SPOUSE = "spouse", _("Spouse (not genetic)")
    GRANDPARENT = "grandparent", _("Grandparent")
    UNCLE_AUNT = "uncle_aunt", _("Uncle or aunt")
    COUSIN = "cousin", _("First cousin")
    OTHER = "other", _("Other")


class Report(EvidenceModel):
    """One report of the disappearance: who told us, when, and how they are related."""

    person = models.ForeignKey(MissingPerson, on_delete=models.CASCADE, related_name="reports")
    reporter_name = models.CharField(max_length=200)
    reporter_contact = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(
        "reporter's relationship", max_length=30, choices=Relationship.choices
    )
    reported_on = models.DateField(default=timezone.localdate, validators=[not_in_future])
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    source_record = models.CharField(
        max_length=255,
        blank=True,
        default="",
        help_text="The record this report was imported from (e.g. pfif:DOMAIN/ID); importing "
        "the same record again adds nothing.",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["reported_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_record"],
                condition=~Q(source_record=""),
                name="report_once_per_source_record",
                violation_error_message="This record has already been imported.",
            )
        ]

    def __str__(self) -> str:
        return f"Report on {self.person.case_number} by {self.reporter_name} ({self.reported_on})"


class Relative(EvidenceModel):
    """A member of the missing person's pedigree; a donor once they give a sample."""

    person = models.ForeignKey(MissingPerson, on_delete=models.CASCADE, related_name="relatives")
    name_ar = models.CharField("name (Arabic script)", max_length=200)
    name_latin = models.CharField("name (Latin script)", max_length=200, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    claimed_relationship = models.CharField(max_length=30, choices=Relationship.choices)
    relationship_validated = models.BooleanField(default=False)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validation_note = models.TextField(blank=True, help_text="Documents seen, interviews.")
    father = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children_as_father"
    )
    mother = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children_as_mother"
    )
    deceased = models.BooleanField(default=False)
    missing_person = models.OneToOneField(
        "MissingPerson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pedigree_place",
        help_text="This member of the pedigree is himself missing (several missing persons in "
        "one family): matching searches him in this pedigree, with its donors.",
    )

    class Meta:
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")
        ordering = ["person", "claimed_relationship", "pk"]

    def __str__(self) -> str:
        return f"{self.name_latin or self.name_ar} ({self.get_claimed_relationship_display()} of {self.person.case_number})"

    def clean(self) -> None:
        errors = {}
        for role, wanted in (("father", Sex.MALE), ("mother", Sex.FEMALE)):
            parent = getattr(self, role)
            if parent is None:
                continue
            if parent.person_id != self.person_id:
                errors[role] = f"The {role} must belong to the same family record."
            elif parent.sex != wanted:
                errors[role] = f"The {role} must be recorded with sex {wanted.label}."
            elif self.pk and parent.pk == self.pk:
                errors[role] = "A person cannot be their own parent."
        if self.relationship_validated and not self.validated_by_id:
            errors["validated_by"] = "Say who validated the relationship."
        if errors:
            raise ValidationError(errors)

    @property
    def is_donor(self) -> bool:
        return self.samples.exists()

    def current_consent(self) -> Consent | None:
        return self.consents.order_by("-signed_on", "-pk").first()


class Consent(EvidenceModel):
    """What a donor agreed to, in which text and language; withdrawal ends all use."""

    relative = models.ForeignKey(Relative, on_delete=models.CASCADE, related_name="consents")
    for_identification = models.BooleanField("use for identifying the missing", default=True)
    for_court = models.BooleanField("use as evidence in court", default=False)
    text_version = models.CharField(max_length=40, help_text="Version of the consent form.")
    language = models.CharField(
        max_length=8,
        choices=[("ar", _("Arabic")), ("en", _("English")), ("ku", _("Kurdish"))],
        default="ar",
    )
    signed_on = models.DateField(default=timezone.localdate, validators=[not_in_future])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"Consent {self.text_version} ({self.language}) of {self.relative}: {state}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def withdraw(self, reason: str = "") -> None:
        self.withdrawn_at = timezone.now()
        self.withdrawal_reason = reason
        self.save(update_fields=["withdrawn_at", "withdrawal_reason"])

    def allows_sharing_with(self, recipient: str) -> bool:
        return (
            self.is_active
            and self.sharing.filter(recipient=recipient, withdrawn_at__isnull=True).exists()
        )


class ConsentSharing(EvidenceModel):
    """Permission to share the donor's profile with one named recipient."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="sharing")
    recipient = models.CharField(max_length=200, help_text="Named organisation or laboratory.")
    granted_on = models.DateField(default=timezone.localdate)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent sharing")
        verbose_name_plural = _("consent sharings")
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "recipient"],
                name="consent_sharing_once_per_recipient",
                violation_error_message="Sharing with this recipient is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"share with {self.recipient}"
