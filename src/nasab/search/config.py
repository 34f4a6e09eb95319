"""The settings of a blind search run (:class:`SearchConfig`, what ``nasab search`` and the
registry pass) and what it returns (:class:`SearchResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nasab.engine.mutation import describe_model, model_specs
from nasab.search.data import Problem
from nasab.search.engine import DEFAULT_THRESHOLD
from nasab.search.lineage import LineageOptions


@dataclass
class SearchConfig:
    families: Path
    remains: Path
    out: Path | None
    freqs: Path | None = None
    threshold: float = DEFAULT_THRESHOLD
    mutation: str = "stepwise"
    default_rate: float = 1e-3
    mutation_range: float = 0.5
    prior: float | None = None
    on_error: str = "stop"
    store: Path | None = None
    workers: int = 1
    dask: str | None = None
    chunk: int = 2000
    progress: bool = False
    inconsistent: bool = True
    dropout: float = 0.0  # remains without a dropout column: P(one allele copy drops out)
    dropin: float = 0.0  # remains without a dropin column: drop-in probability
    theta: float = 0.0  # Balding-Nichols coancestry (0: Hardy-Weinberg)
    rate_female: float | None = None  # with rate_male: these rates for every marker
    rate_male: float | None = None
    rate2: float | None = None
    ignore_unknown_markers: bool = False  # else a column that is not a marker is an error
    # Y-STR / mtDNA databases and estimator (nasab.search.lineage; None: no databases)
    lineage: LineageOptions | None = None

    def specs(self, markers):
        """Each marker's mutation model (nasab.engine.mutation.model_specs)."""
        return model_specs(
            markers,
            self.mutation,
            rate_female=self.rate_female,
            rate_male=self.rate_male,
            rate2=self.rate2,
            range_=self.mutation_range,
            default_rate=self.default_rate,
        )

    def model_words(self) -> str:
        return describe_model(
            self.mutation,
            rate_female=self.rate_female,
            rate_male=self.rate_male,
            rate2=self.rate2,
            range_=self.mutation_range,
            default_rate=self.default_rate,
        )


@dataclass
class SearchResult:
    matches: dict[str, list]
    timings: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    n_families: int = 0
    n_missing: int = 0
    n_remains: int = 0
    pairs: int = 0
    model: str = ""
    table: str = ""
    prior: float = 0.0
    metadata: dict = field(default_factory=dict)
