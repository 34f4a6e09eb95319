"""The public API of :mod:`nasab.power` in one import (the modules hold the code)."""

from nasab.power.analysis import (
    NO_INFORMATION,
    THRESHOLDS,
    Power,
    PowerAnalysis,
    combine_exclusion,
    summarise,
)
from nasab.power.exclusion import exclusion_probability_brute
from nasab.power.programme import (
    ProgrammeRow,
    programme_chart,
    programme_summary,
    programme_view,
)
from nasab.power.tables import MarkerTable, marker_table, marker_table_with
from nasab.power.whom import Candidate, candidate_families, relation_to

__all__ = [
    "NO_INFORMATION",
    "THRESHOLDS",
    "Candidate",
    "MarkerTable",
    "Power",
    "PowerAnalysis",
    "ProgrammeRow",
    "candidate_families",
    "combine_exclusion",
    "exclusion_probability_brute",
    "marker_table",
    "marker_table_with",
    "programme_chart",
    "programme_summary",
    "programme_view",
    "relation_to",
    "summarise",
]
