"""The one place the portal calls :mod:`nasab.linkage` (duplicate detection, PFIF).

``nasab.linkage`` is optional: when it (or splink) is not installed, :func:`available`
says so and the staff pages show "duplicate detection not installed" instead of failing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from registry.models import MissingPerson


class LinkageUnavailable(RuntimeError):
    pass


class PFIFUploadError(ValueError):
    """A broken PFIF file; the message names the line and what is wrong."""


@dataclass(frozen=True)
class Pair:
    person_a: MissingPerson
    person_b: MissingPerson
    score: float
    reasons: tuple[str, ...]
    reasons_ar: tuple[str, ...] = ()  # the same reasons in Arabic (nasab.linkage)


def _module(name: str):
    try:
        return importlib.import_module(f"nasab.linkage.{name}")
    except ImportError as exc:
        raise LinkageUnavailable(str(exc)) from exc


def available() -> tuple[bool, str]:
    try:
        _module("dedup")
    except LinkageUnavailable as exc:
        return False, str(exc)
    return True, ""


def report_dict(person: MissingPerson) -> dict:
    """A registry record in the shape of ``nasab.linkage.synth.REPORT_FIELDS``."""
    event = person.disappearances.first()
    report = person.reports.first()
    return {
        "report_id": str(person.pk),
        "reporter_relation": report.relationship if report else "",
        "given_name": person.given_name,
        "father_name": person.father_name,
        "grandfather_name": person.grandfather_name,
        "family_name": person.family_name,
        "mother_name": person.mother_name,
        "sex": person.sex if person.sex in ("M", "F") else "",
        "birth_year": person.known_birth_year,
        "governorate": person.governorate,
        "disappearance_date": event.date_from.isoformat() if event else "",
        "disappearance_place": event.place if event else "",
    }


def _pair(by_id: dict, a, b, score, reasons, reasons_ar) -> Pair | None:
    if str(a) not in by_id or str(b) not in by_id:
        return None
    return Pair(by_id[str(a)], by_id[str(b)], float(score), tuple(reasons), tuple(reasons_ar))


def review_lists(persons) -> tuple[list[Pair], list[Pair]]:
    """Proposed duplicate pairs among ``persons`` (best first), and the pairs that need
    a person to decide (not proposed: names that fit a brother or cousin as well, no
    birth years to tell), each with its reasons in English and Arabic."""
    dedup = _module("dedup")
    persons = list(persons)
    if len(persons) < 2:
        return [], []
    by_id = {str(p.pk): p for p in persons}
    reports = [report_dict(p) for p in persons]
    model_cls = getattr(dedup, "DedupModel", None)
    if model_cls is None:  # a linkage module without the model object: pairs only
        found, undecided = dedup.find_duplicates(reports), []
    else:
        model = model_cls(reports).train()
        found = model.predict()
        undecided = [
            _pair(by_id, a, b, s, (en, *ex_en), (ar, *ex_ar))
            for (a, b, s) in model.undecided
            for (en, ar) in [model.undecided_reasons.get((a, b), ("", ""))]
            for ex_en, ex_ar in [dedup.explain_pair(model.raw[a], model.raw[b])]
        ]
    pairs = [
        _pair(by_id, p.report_a, p.report_b, p.score, p.reasons, getattr(p, "reasons_ar", ()) or ())
        for p in found
    ]
    return (
        sorted((p for p in pairs if p), key=lambda p: -p.score),
        sorted((p for p in undecided if p), key=lambda p: -p.score),
    )


def proposed_pairs(persons) -> list[Pair]:
    """Proposed duplicate pairs among ``persons``, best first."""
    return review_lists(persons)[0]


def full_name_parts(full_name: str) -> dict[str, str]:
    """Name boxes (given, father's, grandfather's, family name) of a free-text full name,
    read by the matcher's name-chain reader (a kunya, a compound, an Abd- name)."""
    return _module("chain").full_name_parts(full_name)


def parse_pfif(data: bytes, source: str = "upload") -> list[dict]:
    pfif = _module("pfif")
    try:
        return pfif.parse_pfif(data, source=source)
    except pfif.PFIFError as exc:
        raise PFIFUploadError(str(exc)) from exc
