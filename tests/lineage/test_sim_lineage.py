"""Lineage dropping: founders from the database, mutation at the stated rates."""

from __future__ import annotations

import numpy as np

from nasab.engine.mtdna import MtDatabase, parse_mtdna
from nasab.engine.pedigree import Pedigree
from nasab.engine.ystr import YDatabase, YRates
from nasab.sim.lineage import drop_mtdna, drop_ystr

PED = Pedigree.from_records(
    [("F", None, None, 1), ("M", None, None, 2), ("S", "F", "M", 1), ("D", "F", "M", 2)]
)


def test_sons_inherit_with_stepwise_mutation_at_the_rate() -> None:
    db = YDatabase(["DYS19", "DYS385"], [{"DYS19": ("14",), "DYS385": ("11", "14")}], "t", "0")
    rates = YRates({"DYS19": 0.2, "DYS385A": 0.0}, "test")
    rng = np.random.default_rng(5)
    changed = 0
    n = 4000
    for _ in range(n):
        haps = drop_ystr(PED, db, rng, rates)
        assert set(haps) == {"F", "S"}  # women carry no Y
        assert haps["F"] == db.rows[0] and haps["S"]["DYS385"] == ("11", "14")
        s = haps["S"]["DYS19"]
        assert s in (("13",), ("14",), ("15",))
        changed += s != ("14",)
    assert abs(changed / n - 0.2) < 0.02


def test_children_carry_their_mothers_mtdna() -> None:
    db = MtDatabase([parse_mtdna("1-16569: 73G"), parse_mtdna("1-16569: 16129A")], "t", "0")
    out = drop_mtdna(PED, db, np.random.default_rng(1))
    assert out["S"] == out["D"] == out["M"] and set(out) == set(PED.ids)
