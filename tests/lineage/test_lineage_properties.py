"""Property tests of the lineage grammars: what is written reads back the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nasab.engine.mtdna import compare, parse_mtdna, rcrs
from nasab.engine.ystr import format_state, parse_ystr

ALLELE = st.one_of(
    st.integers(5, 40).map(str),
    st.tuples(st.integers(5, 40), st.integers(1, 3)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.just("null"),
)


@settings(deadline=None, max_examples=200)
@given(st.lists(ALLELE, min_size=1, max_size=4))
def test_ystr_cell_round_trip_and_order_free(alleles) -> None:
    s = parse_ystr(",".join(alleles))
    assert parse_ystr(format_state(s)) == s
    assert parse_ystr(",".join(reversed(alleles))) == s


@st.composite
def profiles(draw):
    start = draw(st.integers(1, 16000))
    end = draw(st.integers(start, min(start + 600, 16569)))
    positions = draw(st.sets(st.integers(start, end), max_size=8))
    toks = []
    ref = rcrs()
    for p in sorted(positions):
        kind = draw(st.sampled_from(["sub", "het", "del", "ins"]))
        if kind == "sub":
            b = draw(st.sampled_from([c for c in "ACGT" if c != ref[p - 1]]))
            toks.append(f"{p}{b}")
        elif kind == "het":
            toks.append(f"{p}{draw(st.sampled_from('RYSWKM'))}")
        elif kind == "del":
            toks.append(f"{p}DEL")
        else:
            toks.append(f"{p}.{draw(st.integers(1, 3))}{draw(st.sampled_from('ACGT'))}")
    return f"{start}-{end}: " + " ".join(toks)


@settings(deadline=None, max_examples=150)
@given(profiles())
def test_mtdna_round_trip_and_self_comparison(text) -> None:
    p = parse_mtdna(text)
    assert parse_mtdna(p.describe()) == p
    assert compare(p, p).conclusion == "cannot exclude"
