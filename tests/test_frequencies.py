from __future__ import annotations

import numpy as np
import pytest

from nasab.engine.errors import InputError
from nasab.engine.frequencies import (
    FrequencyWarning,
    canonical_allele,
    read_familias,
    read_frequencies,
    read_tsv,
    write_familias,
)


def test_canonical_allele() -> None:
    assert canonical_allele("9.3") == "9.3"
    assert canonical_allele("10.0") == "10"
    assert canonical_allele("09") == "9"
    assert canonical_allele(">27") == ">27"


def test_familias_roundtrip(tmp_path) -> None:
    p = tmp_path / "f.txt"
    p.write_text("TH01\n6\t0.2\n9.3\t0.3\n7\t0.5\n\nPenta E\n5\t0.4\n>24\t0.6\n")
    t = read_familias(p)
    assert t["TH01"].alleles == ["6", "9.3", "7"]
    assert t["PENTA_E"].alleles == ["5", ">24"]
    q = tmp_path / "g.txt"
    write_familias(t, q)
    t2 = read_frequencies(q)
    assert t2["Penta E"].alleles == ["5", ">24"]
    np.testing.assert_array_equal(t2["TH01"].freqs, t["TH01"].freqs)


def test_tsv_reads_n_and_floor(tmp_path) -> None:
    p = tmp_path / "t.tsv"
    p.write_text("# N: 500 individuals\nmarker\tallele\tfrequency\nTH01\t6\t0.4\nTH01\t7\t0.6\n")
    t = read_tsv(p)
    assert t.n_individuals == 500
    assert t.floor == pytest.approx(5 / 1000)
    with pytest.warns(FrequencyWarning, match="allele 8 of marker TH01"):
        t.ensure_alleles("TH01", ["8"])
    assert t["TH01"].alleles[-1] == "8"
    assert t.unnormalised_markers() == [("TH01", pytest.approx(1.005))]
    assert t.normalised()["TH01"].total == pytest.approx(1.0)


@pytest.mark.parametrize(
    "text,msg,line",
    [
        ("TH01\n6\tabc\n", "not a number", 2),
        ("TH01\n6\t0.5\n6\t0.5\n", "listed twice", 3),
        ("TH01\n6\t1.5\n", "must be in", 2),
        ("TH01\n6\t0.5\t7\n", "expected 'allele<TAB>frequency'", 2),
    ],
)
def test_bad_familias(tmp_path, text, msg, line) -> None:
    p = tmp_path / "bad.txt"
    p.write_text(text)
    with pytest.raises(InputError, match=msg) as e:
        read_familias(p)
    assert e.value.line == line


def test_shared_tables_all_read(shared) -> None:
    for path in sorted((shared / "data" / "strfreqs").glob("*.tsv")):
        if path.name == "INDEX.tsv":
            continue
        t = read_frequencies(path)
        assert len(t.markers) > 5, path
