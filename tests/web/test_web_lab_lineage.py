"""Y-STR and mtDNA columns in the lab's profile files (issue 20): imported with the STR calls,
consent applied with the profile, shown to lab roles, exported in the import format."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lab import services
from lab.models import DNAProfile, QualityStatus
from lab.selectors import usable_profiles
from registry.services import withdraw_consent

LINEAGE = (
    "barcode\tD3S1358\tDYS19\tDYS385a\tDYS385b\tmtDNA\n"
    "GS-T01-R001-S1\t15/16\t14\t14\t11\t16024-16365: 16129A 16223T\n"
    "D-father\t15/15\t14\t11\t14\t\n"
    "D-mother\t-\t\t\t\t16024-16365: 16129A 16223T\n"
)


def do_import(users, text):
    return services.import_profiles(
        user=users["lab"],
        file_name="y.tsv",
        content=text.encode(),
        kit="PowerPlex Y23 + mtDNA CR",
        lab="Test lab",
        quality_status=QualityStatus.ACCEPTED,
    )


def test_lineage_columns_are_imported(sample, family, users):
    created = {p.sample.barcode: p for p in do_import(users, LINEAGE)}
    bone = created["GS-T01-R001-S1"]
    assert bone.markers == {"D3S1358": ["15", "16"]}
    # DYS385a/b as the unordered set DYS385; the mtDNA in the engine's canonical form
    assert bone.lineage == {
        "Y": {"DYS19": "14", "DYS385": "11,14"},
        "mtDNA": "16024-16365: 16129A 16223T",
    }
    assert created["D-father"].lineage == {"Y": {"DYS19": "14", "DYS385": "11,14"}}
    # a sample typed only for mtDNA is a profile too
    assert created["D-mother"].markers == {} and "mtDNA" in created["D-mother"].lineage
    # the same file again adds nothing
    assert len(do_import(users, LINEAGE.replace("Test", "T"))) == 0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\t14\t14\t11\t16024", "\t14\t14\t\t16024", "line 2: DYS385a: DYS385a is typed"),
        ("DYS19\t", "DYS999\t", "line 1: DYS999: unknown Y-STR locus"),
        ("16129A 16223T\nD-father", "73G\nD-father", "line 2: mtDNA: mtDNA variant '73G'"),
        ("D-father\t15/15\t14", "D-father\t15/15\tfourteen", "line 3: DYS19: Y-STR allele"),
    ],
)
def test_bad_lineage_cells_are_refused_with_their_line(sample, family, users, old, new, message):
    assert old in LINEAGE
    with pytest.raises(services.ProfileImportError) as refused:
        do_import(users, LINEAGE.replace(old, new, 1))
    assert any(message in p for p in refused.value.problems), refused.value.problems
    assert DNAProfile.objects.count() == 0


def test_consent_export_and_lab_view(client, sample, family, users):
    do_import(users, LINEAGE)
    withdraw_consent(family["mother"], reason="asked")
    assert sorted(p.sample.barcode for p in usable_profiles()) == ["D-father", "GS-T01-R001-S1"]
    client.force_login(users["reviewer"])
    text = client.post(reverse("lab:profile_export"), {"purpose": "identification"})
    lines = text.content.decode().splitlines()
    assert lines[0] == "barcode\tD3S1358\tDYS19\tDYS385\tmtDNA"
    assert "GS-T01-R001-S1\t15/16\t14\t11,14\t16024-16365: 16129A 16223T" in lines
    # the export reads back as the import format
    rows = services.parse_profiles_tsv("\n".join(lines) + "\n")
    assert rows[1].lineage["Y"] == {"DYS19": "14", "DYS385": "11,14"}
    client.force_login(users["lab"])
    bone = DNAProfile.objects.get(sample__barcode="GS-T01-R001-S1")
    page = client.get(reverse("lab:profile_detail", args=[bone.pk])).content.decode()
    assert "Y DYS385" in page and "11,14" in page and "16129A" in page


def test_import_page_names_the_lineage_columns_in_the_readers_language(client, users):
    client.force_login(users["lab"])
    page = client.get(reverse("lab:profile_import")).content.decode()
    assert "Y-STR</bdi> loci (" in page and "DYS385a/b" in page
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("lab:profile_import")).content.decode()
    assert 'مواقع <bdi translate="no" dir="ltr">Y-STR</bdi> (' in page
    assert "المجالات المقروءة ثم الفروق عن التسلسل المرجعي" in page and " loci" not in page
