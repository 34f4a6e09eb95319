"""Mutation models for STR markers, with pedmut's names and parameters.

A model gives, for each sex of the transmitting parent, a matrix ``M[i, j]`` = probability
that allele ``i`` of the parent is passed on as allele ``j``. Models (as pedmut 0.9):

``trivial`` (alias ``none``)  the identity: no mutation.
``equal``          stay with 1-rate, else any other allele with rate/(n-1).
``proportional``   M = (1-a) I + a 1 p^T with a = rate / sum p(1-p): overall rate = ``rate``.
``stepwise``       alleles grouped by their decimal part (integers, .1, .2, .3...); within a
                   group weight range^|i-j| scaled to total ``rate``; ``rate2`` shared equally
                   over the alleles of other groups (Familias' "extended stepwise").
``onestep``        only to the neighbouring integer alleles i-1, i+1, ``rate`` shared equally.
``custom``         any row-stochastic matrix.

A silent (null) allele never mutates and no allele mutates into it (Familias' convention);
:meth:`MutationSpec.matrices` builds the model on the other alleles.

Any model can be made stationary with respect to the allele frequencies by the "PM"
transformation of Simonsson & Mostad (2016, FSI Genetics 23:217-225), pedmut's
``makeStationary``/Familias' ``stabilize``: ``transform="PM"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import marker_key, package_data
from nasab.engine.observation import is_silent


class TableModelError(ModelError):
    """A marker's alleles no mutation model can take (two silent alleles): the frequency
    table's fault, whatever the model's settings."""


MODELS = ("trivial", "equal", "proportional", "stepwise", "onestep", "custom")
ALIASES = {
    "none": "trivial",
    "identity": "trivial",
    "eq": "equal",
    "prop": "proportional",
    "step": "stepwise",
}


def _numeric_alleles(alleles: Sequence[str], model: str) -> np.ndarray:
    try:
        x = np.array([float(a) for a in alleles])
        big = [a for a, v in zip(alleles, x, strict=True) if not abs(v) < 1e6]
        if big:
            raise ModelError(
                f"the {model!r} mutation model needs repeat numbers; allele "
                f"{big[0][:30]!r} is out of range"
            )
        return x
    except ValueError:
        bad = [a for a in alleles if not _is_number(a)]
        raise ModelError(
            f"the {model!r} mutation model needs numeric allele names; not numeric: {bad}"
        ) from None


def _is_number(a: str) -> bool:
    try:
        float(a)
    except ValueError:
        return False
    return True


def _microgroup(x: np.ndarray) -> np.ndarray:
    """Group of each allele by its decimal part: 0 for integers, 3 for 9.3 and 10.3..."""
    return np.rint(x * 10).astype(np.int64) % 10


def _trivial(n: int, **_) -> np.ndarray:
    return np.eye(n)


def _equal(n: int, *, rate: float, **_) -> np.ndarray:
    m = np.full((n, n), rate / (n - 1))
    np.fill_diagonal(m, 1.0 - rate)
    return m


def _proportional(n: int, *, rate: float, freqs, **_) -> np.ndarray:
    if freqs is None:
        raise ModelError("the 'proportional' model needs allele frequencies")
    p = np.asarray(freqs, dtype=float)
    a = rate / float(np.sum(p * (1 - p)))
    m = (1 - a) * np.eye(n) + a * np.broadcast_to(p, (n, n))
    if np.any(m > 1) or np.any(m < 0):
        top = float(np.sum(p * (1 - p))) / (1 - float(np.min(p)))
        raise ModelError(
            f"impossible proportional mutation matrix: rate {rate} is too high "
            f"(at most {top:.4g} for these frequencies)"
        )
    return m


def _stepwise(n: int, *, alleles, rate: float, rate2: float, range_: float, **_) -> np.ndarray:
    """pedmut's stepwise model: within a microvariant group weight range^|i-j| normalised to
    ``rate``; ``rate2`` shared equally by the other groups; the rest stays."""
    if rate + rate2 > 1:
        raise ModelError(f"rate + rate2 must be at most 1, not {rate + rate2}")
    if not range_ > 0:
        raise ModelError(f"stepwise range must be positive, not {range_}")
    x = _numeric_alleles(alleles, "stepwise")
    if np.any(np.round(x, 1) != x):
        raise ModelError("stepwise model: microvariants must have one decimal (like 9.3)")
    g = _microgroup(x)
    m = np.zeros((n, n))
    for i in range(n):
        same = g == g[i]
        n_same = int(same.sum())
        others = n - n_same
        if others:
            m[i, ~same] = rate2 / others
        same[i] = False
        if same.any():
            w = range_ ** np.abs(x[i] - x[same])
            m[i, same] = w / w.sum() * rate
        stay = {n: 1 - rate, 1: 1 - rate2}.get(n_same, 1 - rate - rate2)
        m[i, i] = stay
    return m


def _onestep(n: int, *, alleles, rate: float, **_) -> np.ndarray:
    x = _numeric_alleles(alleles, "onestep")
    m = np.eye(n)
    for i in range(n):
        nb = np.flatnonzero(np.isclose(np.abs(x - x[i]), 1.0))
        if len(nb):
            m[i, i] = 1 - rate
            m[i, nb] = rate / len(nb)
    return m


def _custom(n: int, *, matrix, **_) -> np.ndarray:
    if matrix is None:
        raise ModelError("the 'custom' model needs a matrix")
    m = np.array(matrix, dtype=float)
    if m.shape != (n, n):
        raise ModelError(f"custom mutation matrix must be {n}x{n}, not {m.shape}")
    if np.any(m < 0) or not np.allclose(m.sum(axis=1), 1.0, atol=1e-9):
        raise ModelError("custom mutation matrix must be non-negative with rows summing to 1")
    return m


_BUILDERS = {
    "trivial": _trivial,
    "equal": _equal,
    "proportional": _proportional,
    "stepwise": _stepwise,
    "onestep": _onestep,
    "custom": _custom,
}


def mutation_matrix(
    model: str,
    alleles: Sequence[str],
    freqs: Sequence[float] | None = None,
    rate: float = 0.0,
    rate2: float = 0.0,
    range_: float = 0.5,
    matrix: np.ndarray | None = None,
    transform: str | None = None,
) -> np.ndarray:
    """Build one mutation matrix (rows: from, columns: to) for the given alleles."""
    model = ALIASES.get(model, model)
    if model not in MODELS:
        raise ModelError(f"unknown mutation model {model!r}; choose one of {', '.join(MODELS)}")
    n = len(alleles)
    for name, val in (("rate", rate), ("rate2", rate2)):
        if not (0.0 <= val <= 1.0) or not np.isfinite(val):
            raise ModelError(f"mutation {name} must be in [0, 1], not {val}")
    if n <= 1 and model != "custom":
        model = "trivial"
    m = _BUILDERS[model](
        n, alleles=alleles, freqs=freqs, rate=rate, rate2=rate2, range_=range_, matrix=matrix
    )
    if transform:
        if transform.upper() != "PM":
            raise ModelError(f"unknown stationary transformation {transform!r}; only 'PM'")
        if freqs is None:
            raise ModelError("a stationary transformation needs allele frequencies")
        m = stabilize_pm(m, np.asarray(freqs, dtype=float))
    return m


def stabilize_pm(m: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The "PM" stationary transformation of Simonsson & Mostad (2016).

    Returns S = D (M - I) + I with D diagonal chosen so that p is stationary for S and the
    overall mutation rate sum p_i (1 - S_ii) equals that of M.
    """
    n = m.shape[0]
    dm = np.diag(m)
    r = 1.0 - float(np.sum(dm * p))
    x = m.T - np.eye(n)
    x[n - 1, :] = 1.0
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    try:
        v = np.linalg.solve(x, rhs)
    except np.linalg.LinAlgError:
        raise ModelError(
            "the PM stationary transformation does not exist for this model "
            "(the mutation matrix is reducible)"
        ) from None
    d = r * v / ((1.0 - float(np.sum(dm * v))) * p)
    if np.any(d * (1 - dm) > 1):
        raise ModelError("the PM stationary transformation does not exist for this model")
    return (m - np.eye(n)) * d[:, None] + np.eye(n)


@dataclass(frozen=True)
class MutationSpec:
    """Parameters of a marker's mutation model, by sex of the transmitting parent.

    Same vocabulary as pedmut: ``model``, ``rate``, ``rate2``, ``range``; each may differ
    between female (mother to child) and male (father to child) transmissions.
    """

    model: str = "trivial"
    rate_female: float = 0.0
    rate_male: float = 0.0
    rate2_female: float = 0.0
    rate2_male: float = 0.0
    range_female: float = 0.5
    range_male: float = 0.5
    transform: str | None = None
    # where the model was given (file or None, field): an impossible model for a table's
    # frequencies names it, not only the table (not part of equality or the cache key)
    origin: tuple[str | None, str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        model = ALIASES.get(self.model, self.model)
        if model not in MODELS or model == "custom":
            raise ModelError(
                f"unknown mutation model {self.model!r}; choose one of "
                "none, equal, proportional, stepwise, onestep"
            )
        object.__setattr__(self, "model", model)
        for name in ("rate_female", "rate_male", "rate2_female", "rate2_male"):
            val = getattr(self, name)
            if not (0.0 <= val <= 1.0):
                raise ModelError(f"mutation {name.replace('_', ' ')} must be in [0, 1], not {val}")
        if model == "stepwise":  # checked here, where the spec is read, not at first use
            for sex in ("female", "male"):
                total = getattr(self, f"rate_{sex}") + getattr(self, f"rate2_{sex}")
                if total > 1:
                    raise ModelError(f"{sex} rate + rate2 must be at most 1, not {total}")
                if not getattr(self, f"range_{sex}") > 0:
                    raise ModelError(
                        f"stepwise {sex} range must be positive, not {getattr(self, f'range_{sex}')}"
                    )

    @property
    def is_trivial(self) -> bool:
        if self.model == "trivial":
            return True
        return (
            self.rate_female == 0
            and self.rate_male == 0
            and (self.model != "stepwise" or (self.rate2_female == 0 and self.rate2_male == 0))
        )

    def matrices(
        self, alleles: Sequence[str], freqs: Sequence[float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(female, male) matrices for these alleles, or identity matrices if trivial.

        A silent allele (see :func:`nasab.engine.observation.is_silent`) neither mutates nor is
        mutated to: the model is built on the other alleles, with their frequencies
        rescaled to sum to 1 where it uses frequencies, as Familias does (R package
        Familias, ``FamiliasLocus``: "the probability of mutations to or from silent
        alleles is set to zero"; its proportional model divides the rate by the non-silent
        frequency total, so the population's overall rate stays ``rate``).
        """
        if self.is_trivial:
            eye = np.eye(len(alleles))
            return eye, eye
        silent = [i for i, a in enumerate(alleles) if is_silent(a)]
        if not silent:
            return self._sex_matrices(alleles, freqs)
        if len(silent) > 1:
            raise TableModelError(f"more than one silent allele: {[alleles[i] for i in silent]}")
        return self._matrices_beside_silent(alleles, freqs, silent[0])

    def _sex_matrices(
        self, alleles: Sequence[str], freqs: Sequence[float], rate_scale: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        f = mutation_matrix(
            self.model,
            alleles,
            freqs,
            self.rate_female * rate_scale,
            self.rate2_female,
            self.range_female,
            transform=self.transform,
        )
        if (self.rate_male, self.rate2_male, self.range_male) == (
            self.rate_female,
            self.rate2_female,
            self.range_female,
        ):
            return f, f
        m = mutation_matrix(
            self.model,
            alleles,
            freqs,
            self.rate_male * rate_scale,
            self.rate2_male,
            self.range_male,
            transform=self.transform,
        )
        return f, m

    def _matrices_beside_silent(
        self, alleles: Sequence[str], freqs: Sequence[float], silent: int
    ) -> tuple[np.ndarray, np.ndarray]:
        n = len(alleles)
        keep = [i for i in range(n) if i != silent]
        p = np.asarray(freqs, dtype=float)[keep]
        total = float(p.sum())
        scale = 1.0 / total if self.model == "proportional" else 1.0
        f, m = self._sex_matrices([alleles[i] for i in keep], p / total, scale)

        def embed(block: np.ndarray) -> np.ndarray:
            full = np.eye(n)
            full[np.ix_(keep, keep)] = block
            return full

        ef = embed(f)
        return (ef, ef) if m is f else (ef, embed(m))

    def describe(self) -> str:
        if self.is_trivial:
            return "none"
        s = f"{self.model} (female {self.rate_female:g}, male {self.rate_male:g}"
        if self.model == "stepwise":
            s += (
                f"; rate2 {self.rate2_female:g}/{self.rate2_male:g}"
                f"; range {self.range_female:g}/{self.range_male:g}"
            )
        s += ")"
        if self.transform:
            s += f", stationary ({self.transform})"
        return s

    @classmethod
    def from_json(cls, d: dict) -> MutationSpec:
        """From the oracle's ``case.json`` marker entry."""

        def pair(key: str, default: float) -> tuple[float, float]:
            v = d.get(key)
            if v is None:
                return default, default
            if isinstance(v, dict):
                return float(v.get("female", default)), float(v.get("male", default))
            return float(v), float(v)

        rf, rm = pair("rate", 0.0)
        r2f, r2m = pair("rate2", 0.0)
        gf, gm = pair("range", 0.5)
        return cls(d.get("model", "trivial"), rf, rm, r2f, r2m, gf, gm, d.get("transform"))


def complement_indices(n: int, keep: Sequence[int]) -> np.ndarray:
    """The sorted indices of range(n) not in ``keep`` (np.setdiff1d without its import of
    numpy.ma, a tenth of a second at first use)."""
    mask = np.ones(n, dtype=bool)
    mask[list(keep)] = False
    return np.flatnonzero(mask)


def lump(m: np.ndarray, keep: Sequence[int], tol: float = 1e-13) -> np.ndarray | None:
    """Lump all alleles not in ``keep`` into one, if the matrix allows it exactly.

    Returns the (k+1)x(k+1) matrix, the lumped allele last, or ``None`` when the rows of
    the lumped alleles differ (the model is not lumpable for this partition).
    """
    n = m.shape[0]
    keep = list(keep)
    rest = complement_indices(n, keep)
    if len(rest) < 2:
        return None
    sub = m[np.ix_(rest, keep)]
    into_rest = m[np.ix_(rest, rest)].sum(axis=1)
    if not (
        np.all(np.abs(sub - sub[0]) <= tol) and np.all(np.abs(into_rest - into_rest[0]) <= tol)
    ):
        return None
    k = len(keep)
    out = np.empty((k + 1, k + 1))
    out[:k, :k] = m[np.ix_(keep, keep)]
    out[:k, k] = m[np.ix_(keep, rest)].sum(axis=1)
    out[k, :k] = sub[0]
    out[k, k] = into_rest[0]
    return out


# --- the one default model of every command -------------------------------------------
# Names a user may give to --mutation; every command takes all of them, with the same
# default: stepwise at the published per-marker rate of each sex.
USER_MODELS = ("stepwise", "proportional", "equal", "onestep", "none")
DEFAULT_MODEL = "stepwise"
DEFAULT_RATE = 1e-3  # per meiosis, for markers without a published rate
DEFAULT_RANGE = 0.5
RATES_FILE = "mutation_rates.tsv"


def read_mutation_rates(path: Path | None) -> tuple[dict[str, tuple[float, float]], str]:
    """Per-marker (paternal, maternal) rates keyed by marker_key, and a provenance line."""
    rates: dict[str, tuple[float, float]] = {}
    if path is None or not path.exists():
        return rates, f"default {DEFAULT_RATE:g} per meiosis for every marker"
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith("#") or not raw.strip() or raw.lower().startswith("marker"):
            continue
        parts = raw.split("\t")
        try:
            rates[marker_key(parts[0])] = (float(parts[1]), float(parts[2]))
        except (IndexError, ValueError):
            raise InputError(
                "expected marker<TAB>paternal<TAB>maternal", file=str(path), line=lineno
            ) from None
    return rates, f"{path.name} (AABB 2003 via STRBase); default {DEFAULT_RATE:g}"


def published_rates(path: Path | None = None) -> dict[str, tuple[float, float]]:
    """Per marker (paternal, maternal) mutation rates; the bundled AABB 2003 table by default."""
    return read_mutation_rates(path or package_data(RATES_FILE))[0]


def mutation_specs(
    markers: Sequence[str],
    model: str = DEFAULT_MODEL,
    rates: dict[str, tuple[float, float]] | None = None,
    default_rate: float = DEFAULT_RATE,
    range_: float = DEFAULT_RANGE,
    rate2: float = 0.0,
    transform: str | None = None,
) -> dict[str, MutationSpec]:
    """Each marker's model at its published rate by sex (``rates``: the bundled AABB 2003
    table by default; ``default_rate`` where none): the default model of every command."""
    if model not in USER_MODELS:
        raise InputError(f"unknown mutation model {model!r}; choose {', '.join(USER_MODELS)}")
    rates = published_rates() if rates is None else rates
    out = {}
    for m in markers:
        if model == "none":
            out[m] = MutationSpec()
            continue
        pat, mat = rates.get(marker_key(m), (default_rate, default_rate))
        out[m] = MutationSpec(
            model,
            rate_female=mat,
            rate_male=pat,
            rate2_female=rate2,
            rate2_male=rate2,
            range_female=range_,
            range_male=range_,
            transform=transform,
        )
    return out


def model_specs(
    markers: Sequence[str],
    model: str = DEFAULT_MODEL,
    *,
    rate_female: float | None = None,
    rate_male: float | None = None,
    rate2: float | None = None,
    range_: float = DEFAULT_RANGE,
    default_rate: float = DEFAULT_RATE,
    transform: str | None = None,
) -> dict[str, MutationSpec]:
    """The model of every command's ``--mutation/--rate/--rate-female/--rate-male/--rate2/
    --range``: without rates, each marker at its published rate by sex
    (:func:`mutation_specs`, rate2 0 unless given, ``default_rate`` where none is
    published); with rates (both sexes needed), those rates for every marker (rate2 1e-6
    unless given)."""
    if model not in USER_MODELS:
        raise InputError(
            f"unknown mutation model {model!r}; choose {', '.join(USER_MODELS)}", field="--mutation"
        )
    if rate_female is None and rate_male is None:
        return mutation_specs(
            markers,
            model,
            default_rate=default_rate,
            range_=range_,
            rate2=rate2 or 0.0,
            transform=transform,
        )
    if rate_female is None or rate_male is None:
        raise InputError(
            f"--mutation {model} needs both --rate-female and --rate-male (or --rate)",
            field="--rate",
        )
    if model == "none":
        return {m: MutationSpec() for m in markers}
    r2 = 1e-6 if rate2 is None else rate2
    spec = MutationSpec(model, rate_female, rate_male, r2, r2, range_, range_, transform)
    return {m: spec for m in markers}


def describe_model(
    model: str,
    *,
    rate_female: float | None = None,
    rate_male: float | None = None,
    rate2: float | None = None,
    range_: float = DEFAULT_RANGE,
    default_rate: float = DEFAULT_RATE,
    transform: str | None = None,
) -> str:
    """The model of :func:`model_specs` in words: the same words in every command's report
    and JSON."""
    if model == "none":
        return "none (no mutation)"
    if rate_female is None and rate_male is None:
        s = (
            f"{model} at the published per-marker rates by sex (AABB 2003 table; "
            f"{default_rate:g} where none is published)"
        )
        r2 = rate2 or 0.0
    else:
        s = f"{model}, rate female {rate_female:g}, male {rate_male:g}"
        r2 = 1e-6 if rate2 is None else rate2
    if model == "stepwise":
        s += f", rate2 {r2:g}, range {range_:g}"
    if transform:
        s += f", stationary ({transform})"
    return s
