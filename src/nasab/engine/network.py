"""The one pedigree network: founders x transmissions x evidence.

Every exact computation in nasab (an LR, a joint-identification term, theta, the search's
compiled tables, power) is a sum-product over the same variables: the person at pedigree
index ``i`` has a paternal allele variable ``2i`` and a maternal allele variable ``2i + 1``.
A typed person's pair carries evidence; a founder's alleles carry a prior; a child's
paternal (maternal) allele is one of the father's (mother's) two alleles, passed through a
mutation matrix. :func:`build` walks the pedigree once, in this order, and asks a
:class:`FactorSource` for each factor. The sources differ only in their algebra:

* :mod:`nasab.engine.likelihood`: a full or lumped allele space, Hardy-Weinberg founders;
* :mod:`nasab.engine.theta`: founders enter through the Polya urn (theta > 0);
* :mod:`nasab.search.compile`: a batch axis over many families of one shape, transmissions
  split by the meiosis indicator.

Only the persons that matter are in the network (:func:`needed_persons`): the typed ones,
the open ones and their ancestors; everybody else sums out to 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from nasab.engine.contraction import Operand
from nasab.engine.genotypes import Genotype
from nasab.engine.pedigree import Pedigree

__all__ = ["Operand", "FactorSource", "allele_vars", "build", "needed_persons", "typed_persons"]


def allele_vars(ped: Pedigree, pid: str) -> tuple[int, int]:
    """The (paternal, maternal) allele variables of a person."""
    i = ped.index(pid)
    return 2 * i, 2 * i + 1


def typed_persons(genos: Mapping[str, Genotype]) -> set[str]:
    """Persons with at least one observed allele."""
    return {p for p, g in genos.items() if g[0] is not None or g[1] is not None}


def needed_persons(
    ped: Pedigree, typed: Iterable[str], open_persons: Iterable[str] = ()
) -> list[str]:
    """The typed and open persons and all their ancestors, in pedigree order."""
    return ped.ancestors({*typed, *open_persons}, inclusive=True)


class FactorSource(Protocol):
    """The algebra of one kind of network: what each factor is, on which variables."""

    def evidence(self, pid: str, pat: int, mat: int) -> Sequence[Operand]:
        """Factors on a person's own pair (evidence; sets the variables' domains)."""

    def founder(self, pid: str, pat: int, mat: int) -> Sequence[Operand]:
        """Factors of a founder's two alleles (the prior)."""

    def meiosis(
        self, parent: str, parent_pat: int, parent_mat: int, child_var: int, male: bool
    ) -> Sequence[Operand]:
        """Factors of one transmission, from the parent's pair to the child's allele."""


def build(ped: Pedigree, persons: Sequence[str], source: FactorSource) -> list[Operand]:
    """The network of ``persons`` (who must include every non-founder's parents, unless
    the source treats the parents' variables as free): evidence of every person first, then
    each person's founder prior or two transmissions, in pedigree order."""
    ops: list[Operand] = []
    for pid in persons:
        ops.extend(source.evidence(pid, *allele_vars(ped, pid)))
    for pid in persons:
        p = ped[pid]
        pat, mat = allele_vars(ped, pid)
        if p.father is None:
            ops.extend(source.founder(pid, pat, mat))
            continue
        for parent, male, var in ((p.father, True, pat), (p.mother, False, mat)):
            ops.extend(
                source.meiosis(
                    parent,
                    *allele_vars(ped, parent),
                    var,  # type: ignore[arg-type]
                    male,
                )
            )
    return ops
