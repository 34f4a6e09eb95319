"""Reference pedigrees from the registry, and the matching job (when the engine is present)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fieldwork.models import Sample
from identification import matching, pedigree
from identification.models import MatchCandidate
from lab.models import DNAProfile, QualityStatus
from registry.models import MissingPerson, Relative
from registry.services import withdraw_consent

try:
    from nasab.search.run import search_data  # noqa: F401

    HAVE_ENGINE = True
except ImportError:
    HAVE_ENGINE = False
needs_engine = pytest.mark.skipif(
    not HAVE_ENGINE, reason="the kinship engine is not in this checkout"
)


def relative(person, name, sex, kind, **links):
    return Relative.objects.create(
        person=person, name_ar=name, name_latin=name, sex=sex, claimed_relationship=kind, **links
    )


def as_dict(reference):
    return {pid: (f, m, sex) for pid, f, m, sex in reference.records}


def test_parents_siblings_and_children(family):
    person, father, mother = family["person"], family["father"], family["mother"]
    sister = relative(person, "Sister", "F", "full_sibling")
    half = relative(person, "Half", "M", "half_sibling_maternal")
    child = relative(person, "Son", "M", "child")
    records = as_dict(pedigree.build(person))
    f, m = f"R{father.pk}", f"R{mother.pk}"
    assert records["MP"] == (f, m, 1)
    assert records[f"R{sister.pk}"] == (f, m, 2)
    half_father, half_mother, _ = records[f"R{half.pk}"]
    assert half_mother == m and half_father.startswith("U") and records[half_father][2] == 1
    child_father, child_mother, _ = records[f"R{child.pk}"]
    assert child_father == "MP" and records[child_mother] == (None, None, 2)


def test_siblings_without_recorded_parents_share_placeholders(db):
    person = MissingPerson.objects.create(name_ar="x", given_name="x", sex="F")
    a = relative(person, "A", "M", "full_sibling")
    b = relative(person, "B", "F", "full_sibling")
    records = as_dict(pedigree.build(person))
    assert records[f"R{a.pk}"][:2] == records[f"R{b.pk}"][:2] == records["MP"][:2]
    assert records["MP"][0] is not None and records["MP"][2] == 2


def test_side_unknown_relatives_need_links(family):
    person, father = family["person"], family["father"]
    loose = relative(person, "Uncle", "M", "uncle_aunt")
    grandfather = relative(person, "Grandfather", "M", "grandparent")
    father.father = grandfather
    father.save()
    reference = pedigree.build(person)
    records = as_dict(reference)
    assert f"R{loose.pk}" not in records
    assert records[f"R{father.pk}"][0] == f"R{grandfather.pk}"
    assert any("Uncle" in note and "not linked" in note for note in reference.notes)


def test_unknown_sex_of_missing_parent(db):
    person = MissingPerson.objects.create(name_ar="x", given_name="x", sex="U")
    relative(person, "Kid", "F", "child")
    reference = pedigree.build(person)
    assert list(as_dict(reference)) == ["MP"]
    assert "missing person's sex is not recorded" in reference.notes[0]


@pytest.mark.skipif(HAVE_ENGINE, reason="the engine is present")
def test_without_engine_the_command_says_so(db):
    with pytest.raises(CommandError, match="kinship engine"):
        call_command("run_matching")


# ------------------------------------------------------------------ with the engine


@needs_engine
def test_matching_finds_the_demo_families(db):
    """With the engine installed the demo programme's candidates come from the engine, and
    they are exactly the four remains the demo planted as four families' missing."""
    call_command("demo_programme", stdout=io.StringIO())
    # Case numbers follow the database's sequences (which PostgreSQL does not reset between
    # tests): compare by the order in which the demo created the missing persons.
    order = {
        n: i + 1
        for i, n in enumerate(sorted(MissingPerson.objects.values_list("case_number", flat=True)))
    }
    pairs = {
        (c.remains.code, order[c.person.case_number])
        for c in MatchCandidate.objects.select_related("remains", "person")
    }
    assert pairs == {("GS-001-R001", 1), ("GS-001-R002", 2), ("GS-002-R001", 3), ("GS-002-R002", 4)}
    for candidate in MatchCandidate.objects.all():
        assert candidate.engine_version.startswith("nasab ") and candidate.likelihood_ratio > 1e6
        assert candidate.frequency_table_version.startswith("sha256:")
    out = io.StringIO()
    call_command("run_matching", stdout=out)
    assert "0 new match candidates" in out.getvalue()  # a rerun adds nothing twice


@needs_engine
def test_withdrawn_donor_is_not_used(family, sample, users, django_capture_on_commit_callbacks):
    from identification.programme import change_settings

    markers = {"TH01": ["6", "9.3"], "D3S1358": ["15", "16"], "vWA": ["17", "18"]}
    for barcode, genotype in [
        ("D-father", {"TH01": ["6", "7"], "D3S1358": ["15", "15"], "vWA": ["17", "17"]}),
        ("D-mother", {"TH01": ["9.3", "9.3"], "D3S1358": ["16", "17"], "vWA": ["18", "19"]}),
        (sample.barcode, markers),
    ]:
        DNAProfile.objects.create(
            sample=Sample.objects.get(barcode=barcode),
            markers=genotype,
            kit="k",
            lab="l",
            quality_status=QualityStatus.ACCEPTED,
            source_file_name="f",
            source_sha256=barcode.ljust(64, "0"),
            source_line=2,
            imported_by=users["lab"],
        )
    change_settings(threshold=1.0, prior_rule="fixed", prior_value=0.01)
    report = matching.run()
    assert report.families == 1 and report.created == 1
    candidate = MatchCandidate.objects.get()
    assert (candidate.remains, candidate.person) == (sample.remains, family["person"])
    assert candidate.likelihood_ratio > 1 and candidate.prior == 0.01
    assert set(candidate.donors.all()) == {family["father"], family["mother"]}
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(family["father"])
    candidate.refresh_from_db()
    assert candidate.needs_review and "withdrew consent" in candidate.review_reason
    assert not candidate.current  # recomputed with the mother alone
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(family["mother"])
    assert matching.run().families == 0
    assert not MatchCandidate.objects.filter(current=True).exists()
    from audit.models import AuditAction, AuditEvent

    runs = AuditEvent.objects.filter(action=AuditAction.RUN_MATCHING).order_by("id")
    assert [e.detail["families"] for e in runs] == [1, 0]
