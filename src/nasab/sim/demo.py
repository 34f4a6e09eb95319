"""The worked example run by ``nasab demo`` (README's main command).

A synthetic Syrian-style case: the missing man is the son of first cousins (a pedigree
loop); his mother, a brother and a paternal uncle gave reference samples. Two remains are
compared: one is truly the missing man, the other an unrelated person. Everything is
generated here from the bundled NIST 1036 frequencies (public domain); nobody is real.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nasab.engine.frequencies import default_frequency_path, default_table
from nasab.engine.genotypes import Genotype, format_genotype
from nasab.engine.mutation import MutationSpec
from nasab.engine.output import AtomicGroup, check_writable
from nasab.engine.pedigree import FEMALE, MALE, Pedigree
from nasab.sim.simulate import KIT_24

# 23 autosomal markers of a GlobalFiler-type kit present in NIST 1036: the simulation's
# kit without D6S1043.
DEMO_MARKERS = KIT_24[:23]
DEMO_MUTATION = MutationSpec("stepwise", 0.0005, 0.002, 1e-6, 1e-6, 0.5, 0.5)


def demo_pedigree() -> Pedigree:
    rows = [
        ("GF", None, None, MALE),
        ("GM", None, None, FEMALE),
        ("FA", "GF", "GM", MALE),
        ("UN", "GF", "GM", MALE),
        ("AU", "GF", "GM", FEMALE),
        ("AH", None, None, MALE),
        ("MO", "AH", "AU", FEMALE),  # MO is FA's first cousin
        ("MP", "FA", "MO", MALE),
        ("BR", "FA", "MO", MALE),
    ]
    return Pedigree.from_records(rows, source="demo")


def write_demo_case(folder: Path, seed: int = 2026) -> dict[str, Path]:
    """Write ped, remains and frequency files of the demo case into ``folder``."""
    from nasab.sim.synth import drop_genes

    check_writable(folder, directory=True)  # a file there, or no permission: one line
    folder.mkdir(parents=True, exist_ok=True)
    table = default_table()
    ped = demo_pedigree()
    rng = np.random.default_rng(seed)
    mutations = {m: DEMO_MUTATION for m in DEMO_MARKERS}
    genos = drop_genes(ped, table, DEMO_MARKERS, rng, mutations=mutations)
    unrelated = drop_genes(
        Pedigree.from_records([("X", None, None, MALE)]), table, DEMO_MARKERS, rng
    )["X"]
    typed = {"MO", "BR", "UN"}

    def cells(g: dict[str, Genotype], drop: set[str] = frozenset()) -> list[str]:
        from nasab.engine.frequencies import marker_key

        return [
            "-/-"
            if m in drop
            else format_genotype(tuple(sorted(g[marker_key(m)], key=_allele_order)))  # type: ignore[arg-type]
            for m in DEMO_MARKERS
        ]

    ped_lines = ["\t".join(["id", "fid", "mid", "sex", *DEMO_MARKERS])]
    for p in ped.persons:
        row = cells(genos[p.id]) if p.id in typed else ["-/-"] * len(DEMO_MARKERS)
        ped_lines.append("\t".join([p.id, p.father or "0", p.mother or "0", str(p.sex), *row]))
    # The true remain is degraded: four markers failed.
    failed = {"SE33", "Penta D", "Penta E", "D2S1338"}
    remains = [
        "\t".join(["id", "sex", *DEMO_MARKERS]),
        "\t".join(["R-0417", "1", *cells(genos["MP"], failed)]),
        "\t".join(["R-0852", "1", *cells(unrelated)]),
    ]
    paths = {
        "ped": folder / "family.ped",
        "poi": folder / "remains.tsv",
        "freqs": folder / "NIST1036_All.tsv",
    }
    with AtomicGroup() as group:  # the case's files together
        group.text(paths["ped"], "\n".join(ped_lines) + "\n")
        group.text(paths["poi"], "\n".join(remains) + "\n")
        group.data(paths["freqs"], default_frequency_path().read_bytes())
    return paths


def _allele_order(a: str) -> tuple[float, str]:
    try:
        return (float(a), a)
    except ValueError:
        return (float("inf"), a)
