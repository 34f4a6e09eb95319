"""The family portal's logic: reports, case codes and secrets, status look-up, relatives,
duplicate decisions. Views call these and only render."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record as audit
from nasab.linkage.dates import stated_date, stated_year
from nasab_site.identifiers import LATIN_DIGITS
from registry.models import (
    Consent,
    ConsentSharing,
    DisappearanceEvent,
    Governorate,
    MissingPerson,
    Relationship,
    Relative,
    Report,
    Sex,
)

from . import linkage_adapter
from .models import AccessAttempt, CaseStatus, Decision, DuplicateDecision, PortalCase

log = logging.getLogger("nasab.portal")

# Codes and secrets are read aloud, copied by hand and shown on Arabic pages: no symbol that
# looks like another. No 0/O/Q... : digits 2-9 only (no 0, 1); no letter that looks like a
# digit or another letter (B/8, G/6, I/1, L/1, O/0, Q/O, S/5, U/V, Z/2). Always shown in
# Latin characters, never as Arabic-Indic digits (Arabic-Indic 7 looks like a V).
ALPHABET = "23456789ACDEFHJKMNPRTVWXY"
CODE_LENGTH = 8
SECRET_GROUPS = 3
CONSENT_TEXT_VERSION = "portal-1"
PARTNER_RECIPIENT = "Partner humanitarian organisations"
OTHER_REPORTERS_RECIPIENT = "Other relatives who reported the same person"
ARABIC_DIGITS = LATIN_DIGITS  # Arabic-Indic and Persian digits to Latin (the engine's map)


class PortalError(ValueError):
    """A refusal with a message for the family, already in their language."""


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def new_code() -> str:
    return f"F-{_random(CODE_LENGTH)}"


def new_secret() -> str:
    return "-".join(_random(4) for _ in range(SECRET_GROUPS))


def normalise_code(value: str) -> str:
    """Upper case, Latin digits, no spaces; 'f 2345 6789' and 'F-23456789' are the same."""
    value = unicodedata.normalize("NFKC", value or "").translate(ARABIC_DIGITS).upper()
    value = re.sub(r"[^0-9A-Z]", "", value)
    if value.startswith("F"):
        value = value[1:]
    return f"F-{value}"[:32]


def normalise_secret(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").translate(ARABIC_DIGITS).upper()
    value = re.sub(r"[^0-9A-Z]", "", value)
    return "-".join(value[i : i + 4] for i in range(0, len(value), 4))[:64]


# --- notification backends -------------------------------------------------------------


class ConsoleNotifier:
    """Writes the message to the log (the default); a real SMS/e-mail backend has the
    same ``send(contact, message)`` method and is named in ``NASAB_PORTAL_NOTIFIER``."""

    def send(self, contact: str, message: str) -> None:
        log.info("portal notification to %s: %s", contact, message)


def notifier():
    path = getattr(settings, "NASAB_PORTAL_NOTIFIER", "portal.services.ConsoleNotifier")
    return import_string(path)()


# --- submitting a report ---------------------------------------------------------------


@dataclass
class Submission:
    case: PortalCase
    secret: str | None  # None when the same submission came again: the secret was shown once
    created: bool


REPORTER_SEX = {Relationship.FATHER: Sex.MALE, Relationship.MOTHER: Sex.FEMALE}


def submit_report(data: dict, token: str, language: str) -> Submission:
    """Create the missing person, the report, the reporter's consent and the portal case.

    The same ``token`` twice (a repeated POST after a dropped connection) returns the case
    created the first time and creates nothing.
    """
    existing = PortalCase.objects.filter(submission_token=token).first()
    if existing:
        return Submission(existing, None, False)
    secret = new_secret()
    try:
        with transaction.atomic():
            case = _create(data, token, language, secret)
    except IntegrityError:
        existing = PortalCase.objects.filter(submission_token=token).first()
        if existing is None:
            raise
        return Submission(existing, None, False)
    if data.get("notify") and data.get("reporter_contact"):
        notifier().send(
            data["reporter_contact"],
            _("Your report was received. Case code: %(code)s") % {"code": case.code},
        )
    log.info("portal report %s received", case.code)
    return Submission(case, secret, True)


def _create(data: dict, token: str, language: str, secret: str) -> PortalCase:
    parts = [
        data.get(k, "") for k in ("given_name", "father_name", "grandfather_name", "family_name")
    ]
    parts_latin = [
        data.get(f"{k}_latin", "")
        for k in ("given_name", "father_name", "grandfather_name", "family_name")
    ]
    person = MissingPerson.objects.create(
        name_ar=" ".join(p for p in parts if p),
        name_latin=" ".join(p for p in parts_latin if p),
        given_name=data.get("given_name") or data.get("given_name_latin", ""),
        father_name=data.get("father_name") or data.get("father_name_latin", ""),
        grandfather_name=data.get("grandfather_name") or data.get("grandfather_name_latin", ""),
        family_name=data.get("family_name") or data.get("family_name_latin", ""),
        mother_name=data.get("mother_name", ""),
        sex=data.get("sex") or Sex.UNKNOWN,
        birth_year=data.get("birth_year"),
        governorate=data.get("governorate", ""),
    )
    # last seen: a date, or (earliest, latest) for an approximate one (month, year)
    seen = data["last_seen_date"]
    seen_from, seen_to = seen if isinstance(seen, tuple | list) else (seen, seen)
    DisappearanceEvent.objects.create(
        person=person,
        date_from=seen_from,
        date_to=seen_to if seen_to != seen_from else None,
        place=data["last_seen_place"],
        governorate=data.get("governorate", ""),
        narrative=data.get("last_seen_details", ""),
    )
    report = Report.objects.create(
        person=person,
        reporter_name=data["reporter_name"],
        reporter_contact=data.get("reporter_contact", ""),
        relationship=data["relationship"],
        notes="Reported through the family portal.",
    )
    reporter = Relative.objects.create(
        person=person,
        name_ar=data["reporter_name"],
        sex=REPORTER_SEX.get(data["relationship"], Sex.UNKNOWN),
        claimed_relationship=data["relationship"],
    )
    consent = Consent.objects.create(
        relative=reporter,
        for_identification=True,
        for_court=bool(data.get("court_consent")),
        text_version=CONSENT_TEXT_VERSION,
        language=language if language in ("ar", "en") else "ar",
    )
    for wanted, recipient in (
        (data.get("share_partners"), PARTNER_RECIPIENT),
        (data.get("share_other_reporters"), OTHER_REPORTERS_RECIPIENT),
    ):
        if wanted:
            ConsentSharing.objects.create(consent=consent, recipient=recipient)
    for _attempt in range(5):
        code = new_code()
        if not PortalCase.objects.filter(code=code).exists():
            break
    case = PortalCase.objects.create(
        code=code,
        secret_hash=make_password(secret),
        report=report,
        submission_token=token,
        language=language,
        share_partners=bool(data.get("share_partners")),
        share_other_reporters=bool(data.get("share_other_reporters")),
        court_consent=bool(data.get("court_consent")),
    )
    audit(
        None,
        AuditAction.PORTAL_SUBMIT,
        case,
        object_id=case.code,
        person=person.case_number,
        by="family (portal)",
    )
    audit(
        None,
        AuditAction.GIVE_CONSENT,
        consent,
        relative=reporter.pk,
        person=person.case_number,
        text_version=consent.text_version,
        for_identification=True,
        for_court=consent.for_court,
        share_with=[
            r
            for w, r in (
                (data.get("share_partners"), PARTNER_RECIPIENT),
                (data.get("share_other_reporters"), OTHER_REPORTERS_RECIPIENT),
            )
            if w
        ],
        by="family (portal)",
    )
    return case


# --- looking a case up -----------------------------------------------------------------

_dummy_hash: dict[str, str] = {}


def _dummy() -> str:
    """A hash made with the current hasher, checked when the code does not exist."""
    key = settings.PASSWORD_HASHERS[0]
    if key not in _dummy_hash:
        _dummy_hash[key] = make_password(secrets.token_urlsafe(16))
    return _dummy_hash[key]


class RateLimited(PortalError):
    pass


def _limits() -> tuple[int, int, int, int]:
    conf = getattr(settings, "NASAB_PORTAL_RATE", {})
    return (
        conf.get("per_ip", 20),
        conf.get("per_code", 5),
        conf.get("per_code_all", 200),
        conf.get("window_s", 900),
    )


def _locked(code: str, ip: str | None) -> bool:
    """Locked out: this address after ``per_ip`` failures on any codes; this code *from
    this address* after ``per_code`` failures; this code from everywhere only after
    ``per_code_all`` (a distributed attack). A stranger's failures on a family's code,
    from another address, do not lock the family out; failures on one code do not lock
    out other families."""
    per_ip, per_code, per_code_all, window = _limits()
    since = timezone.now() - timedelta(seconds=window)
    failures = AccessAttempt.objects.filter(at__gte=since, success=False)
    if ip and failures.filter(ip=ip).count() >= per_ip:
        return True
    reset = PortalCase.objects.filter(code=code).values_list("secret_set_at", flat=True).first()
    on_code = failures.filter(code=code, at__gte=max(since, reset or since))
    return on_code.filter(ip=ip).count() >= per_code or on_code.count() >= per_code_all


def open_case(code: str, secret: str, ip: str | None) -> PortalCase | None:
    """The case for ``code`` and ``secret``, or None, with the same work and answer for a
    wrong code and a wrong secret. Raises :class:`RateLimited` past the limits. ``ip`` is
    the client's address (:func:`nasab_site.client_address.client_address`)."""
    code = normalise_code(code)
    if _locked(code, ip):
        AccessAttempt.objects.create(ip=ip, code=code, success=False, limited=True)
        log.warning("portal look-up refused (rate limit) ip=%s code=%s", ip, code)
        raise RateLimited(_("Too many attempts. Please wait 15 minutes and try again."))
    case = PortalCase.objects.filter(code=code).first()
    ok = check_password(normalise_secret(secret), case.secret_hash if case else _dummy())
    ok = bool(case) and ok and hmac.compare_digest(case.code, code)
    AccessAttempt.objects.create(ip=ip, code=code, success=ok)
    log.info("portal look-up ip=%s code=%s success=%s", ip, code, ok)
    return case if ok else None


def session_stamp(case: PortalCase) -> str:
    """Kept in a family's session beside the case: a secret reset changes it, which ends
    every session opened with the old secret."""
    return hashlib.sha256(case.secret_hash.encode()).hexdigest()[:16]


@transaction.atomic
def reset_secret(case: PortalCase, user, reason: str, identity_checked: str) -> str:
    """A new secret for a family that lost theirs, given by a staff member who has checked
    who they are. Returns the new secret (shown once, to be handed over); the old secret and
    every session opened with it stop working; the reset is audited (who, when, why, how
    the identity was checked), never the secret itself."""
    if not reason.strip() or not identity_checked.strip():
        raise PortalError(
            "Say why the secret is reset and how the family member's identity was checked."
        )
    case = PortalCase.objects.select_for_update().get(pk=case.pk)
    secret = new_secret()
    case.secret_hash = make_password(secret)
    case.updated_at = case.secret_set_at = timezone.now()  # earlier failures no longer lock
    case.save(update_fields=["secret_hash", "updated_at", "secret_set_at"])
    audit(
        user,
        "reset_portal_secret",
        object_type="portal case",
        object_id=case.code,
        reason=reason.strip(),
        identity_checked=identity_checked.strip(),
    )
    log.info("portal case %s secret reset by %s", case.code, getattr(user, "username", "?"))
    return secret


# --- relatives -------------------------------------------------------------------------

_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u0640]")


def name_key(name: str) -> str:
    """A loose key to spot the same name typed twice (case, diacritics, alef forms)."""
    s = unicodedata.normalize("NFKC", name or "").casefold()
    s = _TASHKEEL.sub("", s)
    s = s.translate(str.maketrans("أإآٱىةؤئ", "اااايهوي"))
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", s).strip()


def add_relative(case: PortalCase, data: dict) -> Relative:
    person = case.report.person
    kind = data["relationship"]
    existing = list(person.relatives.all())
    if kind in (Relationship.FATHER, Relationship.MOTHER) and any(
        r.claimed_relationship == kind for r in existing
    ):
        raise PortalError(
            str(
                {
                    Relationship.FATHER: _("A father is already in the family tree."),
                    Relationship.MOTHER: _("A mother is already in the family tree."),
                }[kind]
            )
        )
    keys = {name_key(data.get("name_ar", "")), name_key(data.get("name_latin", ""))} - {""}
    for r in existing:
        if r.claimed_relationship == kind and keys & (
            {name_key(r.name_ar), name_key(r.name_latin)} - {""}
        ):
            raise PortalError(_("This relative has already been added."))
    sex = data.get("sex") or REPORTER_SEX.get(kind, Sex.UNKNOWN)
    relative = Relative.objects.create(
        person=person,
        name_ar=data.get("name_ar", ""),
        name_latin=data.get("name_latin", ""),
        sex=sex,
        claimed_relationship=kind,
        deceased=bool(data.get("deceased")),
    )
    audit(
        None,
        AuditAction.ADD_RECORD,
        relative,
        kind="relative",
        person=person.case_number,
        case=case.code,
        by="family (portal)",
    )
    return relative


@dataclass
class FamilyStatus:
    """What a family sees, and where it comes from."""

    status: str  # a CaseStatus value
    derived: str  # what the case's own records say
    overridden: bool
    informed_on: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(CaseStatus(self.status).label)

    @property
    def derived_label(self) -> str:
        return str(CaseStatus(self.derived).label)


def derived_status(person: MissingPerson) -> tuple[str, datetime.date | None]:
    """The state the records give: a confirmed identification whose family was told
    (informed), a confirmed one not yet told (please contact us: the family is told in
    person, never by the portal), work going on (a relative gave a sample, or remains are
    under review against this person), or just received."""
    from identification.models import FamilyNotification, IdentificationStatus, MatchCandidate

    confirmed = MatchCandidate.objects.filter(
        person=person, identification__status=IdentificationStatus.CONFIRMED
    )
    if confirmed.exists():
        told = (
            FamilyNotification.objects.filter(identification__candidate__in=confirmed)
            .order_by("notified_on")
            .first()
        )
        return (CaseStatus.INFORMED, told.notified_on) if told else (CaseStatus.CONTACT, None)
    under_review = (
        MatchCandidate.objects.filter(person=person, current=True)
        .exclude(identification__status=IdentificationStatus.EXCLUDED)
        .exists()
    )
    sampled = person.relatives.filter(samples__isnull=False).exists()
    return (CaseStatus.IN_PROGRESS if under_review or sampled else CaseStatus.RECEIVED), None


def family_status(case: PortalCase) -> FamilyStatus:
    derived, informed_on = derived_status(case.report.person)
    if case.status_override:
        return FamilyStatus(case.status_override, derived, True, informed_on)
    return FamilyStatus(derived, derived, False, informed_on)


@transaction.atomic
def override_status(case: PortalCase, status: str, reason: str, user) -> PortalCase:
    """Staff set the state a family sees (``""``: follow the records again), with a reason;
    recorded in the audit log."""
    if status and status not in CaseStatus.values:
        raise PortalError(f"Unknown state {status!r}.")
    if not reason.strip():
        raise PortalError(_("Say why."))
    case = PortalCase.objects.select_for_update().get(pk=case.pk)
    before = case.status_override
    case.status_override = status
    case.override_reason = reason.strip()
    case.override_by = user
    case.override_at = timezone.now()
    case.updated_at = case.override_at
    case.save(
        update_fields=[
            "status_override",
            "override_reason",
            "override_by",
            "override_at",
            "updated_at",
        ]
    )
    audit(
        user,
        AuditAction.PORTAL_STATUS,
        case,
        object_type="portal case",
        object_id=case.code,
        before=before or "(follows the case)",
        after=status or "(follows the case)",
        reason=case.override_reason,
    )
    log.info(
        "portal case %s state override %r by %s", case.code, status, getattr(user, "username", "?")
    )
    return case


def save_antemortem(case: PortalCase, data: dict) -> None:
    case.antemortem = {k: v for k, v in data.items() if v not in ("", None)}
    case.updated_at = timezone.now()
    case.save(update_fields=["antemortem", "updated_at"])
    audit(
        None,
        AuditAction.ADD_RECORD,
        case,
        object_id=case.code,
        kind="antemortem",
        fields=sorted(case.antemortem),
        by="family (portal)",
    )


# --- duplicates (staff) ----------------------------------------------------------------


def merged_away_ids() -> set[int]:
    """Persons whose reports were merged into another and not given back."""
    return set(
        DuplicateDecision.objects.filter(
            decision=Decision.MERGE, undone_by__isnull=True
        ).values_list("person_other_id", flat=True)
    )


def rejected_pairs() -> set[frozenset[int]]:
    return {
        frozenset(p)
        for p in DuplicateDecision.objects.filter(decision=Decision.REJECT).values_list(
            "person_kept_id", "person_other_id"
        )
    }


@transaction.atomic
def merge(
    keep: MissingPerson, other: MissingPerson, user, reason: str, score=None, reasons=()
) -> DuplicateDecision:
    """Move every report and relative of ``other`` to ``keep``: every reporter is kept
    and the two family trees become one."""
    if keep.pk == other.pk:
        raise PortalError(_("A record cannot be merged with itself."))
    if not reason.strip():
        raise PortalError(_("Say why."))
    moved = {
        "reports": list(other.reports.values_list("pk", flat=True)),
        "relatives": list(other.relatives.values_list("pk", flat=True)),
        "disappearances": list(other.disappearances.values_list("pk", flat=True)),
    }
    other.reports.update(person=keep)
    other.relatives.update(person=keep)
    other.disappearances.update(person=keep)
    decision = DuplicateDecision.objects.create(
        decision=Decision.MERGE,
        person_kept=keep,
        person_other=other,
        score=score,
        reasons=list(reasons),
        moved=moved,
        reason=reason,
        decided_by=user,
    )
    return _audited(decision, user)


def _audited(decision: DuplicateDecision, user) -> DuplicateDecision:
    audit(
        user,
        AuditAction.MERGE_PERSONS,
        decision,
        decision=decision.decision,
        kept=decision.person_kept.case_number,
        other=decision.person_other.case_number,
        moved=decision.moved,
        reason=decision.reason,
    )
    return decision


@transaction.atomic
def reject(
    a: MissingPerson, b: MissingPerson, user, reason: str, score=None, reasons=()
) -> DuplicateDecision:
    if not reason.strip():
        raise PortalError(_("Say why."))
    return _audited(
        DuplicateDecision.objects.create(
            decision=Decision.REJECT,
            person_kept=a,
            person_other=b,
            score=score,
            reasons=list(reasons),
            reason=reason,
            decided_by=user,
        ),
        user,
    )


@transaction.atomic
def undo_merge(decision: DuplicateDecision, user, reason: str) -> DuplicateDecision:
    if decision.decision != Decision.MERGE or hasattr(decision, "undone_by"):
        raise PortalError(_("Only a merge that has not been undone can be undone."))
    if not reason.strip():
        raise PortalError(_("Say why."))
    keep, other = decision.person_kept, decision.person_other
    moved = decision.moved
    Report.objects.filter(pk__in=moved.get("reports", []), person=keep).update(person=other)
    Relative.objects.filter(pk__in=moved.get("relatives", []), person=keep).update(person=other)
    DisappearanceEvent.objects.filter(pk__in=moved.get("disappearances", []), person=keep).update(
        person=other
    )
    return _audited(
        DuplicateDecision.objects.create(
            decision=Decision.UNDO,
            person_kept=keep,
            person_other=other,
            undoes=decision,
            moved=moved,
            reason=reason,
            decided_by=user,
        ),
        user,
    )


GOVERNORATE_CODES = {code for code, _label in Governorate.choices}
RELATION_CODES = {code for code, _label in Relationship.choices}


@dataclass
class PFIFImport:
    made: list[MissingPerson]
    already: list[str]  # records imported before: nothing added for them

    def __len__(self) -> int:
        return len(self.made)

    def __iter__(self):
        return iter(self.made)


def import_pfif_reports(reports: list[dict], user) -> PFIFImport:
    """Registry records from reports parsed by the linkage adapter (PFIF). Idempotent: a
    record (``person_record_id``) imported before is not imported again."""
    made, already = [], []
    with transaction.atomic():
        for r in reports:
            source = f"pfif:{r.get('report_id', '')}"[:255]
            if r.get("report_id") and Report.objects.filter(source_record=source).exists():
                already.append(str(r["report_id"]))
                continue
            keys = ("given_name", "father_name", "grandfather_name", "family_name")
            parts = [r.get(k) or "" for k in keys]
            full = " ".join(p for p in parts if p)
            if not full and r.get("full_name"):
                # only a full name (PFIF full_name): boxes as the matcher reads the chain
                full = r["full_name"]
                boxes = linkage_adapter.full_name_parts(full)
                parts = [boxes[k] for k in keys]
            arabic = bool(re.search("[\u0600-\u06ff]", full))
            governorate = r.get("governorate") if r.get("governorate") in GOVERNORATE_CODES else ""
            person = MissingPerson.objects.create(
                name_ar=full if arabic else "",
                name_latin="" if arabic else full,
                given_name=parts[0],
                father_name=parts[1],
                grandfather_name=parts[2],
                family_name=parts[3],
                mother_name=r.get("mother_name") or "",
                sex=r.get("sex") if r.get("sex") in ("M", "F") else Sex.UNKNOWN,
                birth_year=stated_year(r.get("birth_year")),
                governorate=governorate,
                created_by=user,
            )
            # read as the PFIF reader checked it (nasab.linkage.dates): a date written
            # year first with / or in Arabic digits is kept, not dropped
            when = stated_date(r.get("disappearance_date"))
            if when:
                DisappearanceEvent.objects.create(
                    person=person,
                    date_from=when,
                    governorate=governorate,
                    place=r.get("disappearance_place") or "?",
                )
            Report.objects.create(
                person=person,
                reporter_name=r.get("author_name") or "PFIF",
                reporter_contact=r.get("author_email") or r.get("author_phone") or "",
                relationship=r.get("reporter_relation")
                if r.get("reporter_relation") in RELATION_CODES
                else Relationship.OTHER,
                received_by=user,
                notes=f"Imported from PFIF ({r.get('report_id', '')}).",
                source_record=source if r.get("report_id") else "",
            )
            made.append(person)
        audit(
            user,
            AuditAction.IMPORT_PFIF,
            object_type="PFIF reports",
            object_id=str(len(made)),
            persons=[p.case_number for p in made],
            already=len(already),
        )
    return PFIFImport(made, already)
