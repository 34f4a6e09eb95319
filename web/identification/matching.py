"""Matching: the engine's compiled blind search over the registry (:mod:`identification.compiled`).

:func:`run` is the full run (every family against every remains with the programme's
settings); it is what ``python web/manage.py run_matching`` and a queued
:class:`~identification.models.MatchingJob` do. New remains profiles and changed families are
scored incrementally as they are recorded (:mod:`identification.compiled`).
"""

from __future__ import annotations

from audit.models import AuditAction
from audit.services import record as audit

from . import compiled


class MatchingUnavailable(Exception):
    """The kinship engine is not installed in this environment."""


def _engine():
    try:
        from nasab.search.run import search_data
    except ImportError as exc:
        raise MatchingUnavailable(
            "the kinship engine (nasab.search) is not installed here"
        ) from exc
    return search_data


def run(*, progress=None, user=None, workers=None, dask=None) -> compiled.RunReport:
    """The full matching run; ``progress(done, total)`` counts missing persons compiled;
    ``workers`` / ``dask``: where it compiles (:func:`compiled.compute_where`)."""
    _engine()
    report = compiled.full_run(progress=progress, workers=workers, dask=dask)
    programme = compiled.active_settings()
    audit(
        user,
        AuditAction.RUN_MATCHING,
        object_type="matching run",
        families=report.families,
        missing=report.missing,
        remains=report.remains,
        pairs=report.pairs,
        created=report.created,
        compiled_on=report.where,
        frequency_table=f"{programme.frequency_table.name} sha256:{programme.frequency_table.sha256}",
        settings=programme.pk,
    )
    return report
