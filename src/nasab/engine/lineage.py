"""What the lineage markers (Y-STR, mtDNA) share: their evidence line and the counting bound.

Each lineage marker system gives one LR factor for a missing-person question,
:class:`LineageEvidence`, multiplied with the autosomal LR under the stated assumption that
the three systems are independent given the pedigree (they are inherited separately; the
assumption is stated in every report that uses it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

INDEPENDENCE = (
    "autosomal, Y-STR and mtDNA LRs multiplied: the three marker systems are "
    "assumed independent given the pedigree"
)


SYSTEM_NAMES = {
    "Y": "Y-STR",
    "mtDNA": "mtDNA",
    "SNP": "autosomal SNP (linked)",
    "X-SNP": "X-chromosome SNP (linked)",
}


def combination_statement(evidence: list) -> str:
    """How the factors of ``LRResult.lineage`` were combined with the autosomal STR LR, in
    words: :data:`INDEPENDENCE` for Y-STR and mtDNA; with SNP factors, the systems named
    and what was done about linkage between the STR loci and the autosomal SNPs."""
    kinds = [e.kind for e in evidence]
    if not any(k in ("SNP", "X-SNP") for k in kinds):
        return INDEPENDENCE
    systems = ["autosomal STR", *(SYSTEM_NAMES.get(k, k) for k in kinds)]
    text = (
        f"{', '.join(systems)} LRs multiplied: the systems are assumed independent "
        "given the pedigree"
    )
    notes = [e.details["str_linkage"] for e in evidence if e.details.get("str_linkage")]
    return text + ("; " + notes[0] if notes else "")


@dataclass
class LineageEvidence:
    """One lineage marker system's factor of the LR (``kind`` is ``"Y"`` or ``"mtDNA"``).

    ``used`` is False when the data give no evidence of this kind (e.g. no reference on the
    missing person's paternal line); the factor is then 1 and ``statement`` says why.
    """

    kind: str
    log10_lr: float = 0.0
    used: bool = False
    statement: str = ""
    model: str = ""
    database: str = ""
    details: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def references_on_line(
        self, refs: dict, missing: str, on_line, *, line: str, root: str, who: str
    ) -> dict | None:
        """The typed references (``refs``: person -> data, None or empty when untyped) that
        are on the missing person's ``line`` ("paternal", "maternal"; ``on_line(q)``), the
        others listed in ``details``; None, with the statement saying so, when none is
        (``who``: "typed man", "typed person"; ``root``: the line's top ancestor)."""
        typed = {q: v for q, v in refs.items() if v is not None and v and q != missing}
        on = {q: v for q, v in typed.items() if on_line(q)}
        off = sorted(set(typed) - set(on))
        if off:
            self.details[f"not_on_{line}_line"] = off
        if on:
            return on
        self.statement = (
            f"no {who} on {missing}'s {line} line (top ancestor {root})"
            + (f"; {', '.join(off)} not on it" if off else "")
            + f": no {self.kind} evidence"
        )
        return None

    @property
    def lr(self) -> float:
        if self.log10_lr == -math.inf:
            return 0.0
        return math.inf if self.log10_lr > 308 else 10.0**self.log10_lr

    def to_json(self) -> dict:
        return {
            "log10LR": float(self.log10_lr),
            "LR": self.lr,
            "used": self.used,
            "statement": self.statement,
            "model": self.model,
            "database": self.database,
            **self.details,
            **({"warnings": self.warnings} if self.warnings else {}),
        }


def _log_binom_cdf(x: int, n: int, p: float) -> float:
    """log P(X <= x) for X ~ Binomial(n, p), 0 < p < 1."""
    lp, lq = math.log(p), math.log1p(-p)
    terms = [
        math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lp + (n - k) * lq
        for k in range(x + 1)
    ]
    top = max(terms)
    return top + math.log(sum(math.exp(t - top) for t in terms))


def clopper_pearson_upper(x: int, n: int, confidence: float = 0.95) -> float:
    """One-sided upper Clopper-Pearson bound of a binomial proportion x/n: the p with
    P(X <= x | n, p) = 1 - confidence (for x = 0: 1 - (1 - confidence)^(1/n))."""
    if n <= 0:
        raise ValueError("an empty database has no frequency bound")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), not {confidence}")
    if x >= n:
        return 1.0
    if x == 0:
        return 1.0 - (1.0 - confidence) ** (1.0 / n)
    target = math.log(1.0 - confidence)
    lo, hi = x / n, 1.0
    for _ in range(200):  # bisection: the cdf falls as p grows
        mid = (lo + hi) / 2
        if mid >= 1.0 or _log_binom_cdf(x, n, mid) < target:
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-15:
            break
    return hi


def read_tsv(path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Header, (line number, cells) rows and sha256 of a tab-separated database table
    (``#`` lines are comments)."""
    import hashlib

    from nasab.engine.textfile import read_utf8, tab_table

    text, data = read_utf8(path)
    header, rows = tab_table(text, path)
    return header, rows, hashlib.sha256(data).hexdigest()
