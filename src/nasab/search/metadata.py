"""The model sidecar of a search (``matches.tsv.model.json``): what a reader of the matches
needs to reproduce and judge them (versions, frequency table, mutation and observation
models, prior, hypotheses, counts, timings, lineage screen)."""

from __future__ import annotations

import warnings

from nasab.engine.genotypes import is_typed
from nasab.search.config import SearchConfig, SearchResult
from nasab.search.engine import Layout
from nasab.search.lineage import LineageScreen
from nasab.search.matches_out import MATCH_COLUMNS


def observation_metadata(layout: Layout | None, counts: list[int] | None = None) -> dict:
    """The remains' observation model and theta as the sidecar states them."""
    if layout is None:
        return {}
    desc = layout.describe()
    for c, n in zip(desc["classes"], counts or [None] * len(desc["classes"]), strict=True):
        c["remains"] = n
    h2 = (
        "the remain is unrelated to the family (Hardy-Weinberg)"
        if layout.theta == 0
        else f"the remain is unrelated to the family: one more founder of the family's "
        f"subpopulation (Balding-Nichols theta = {layout.theta:g}, founders' alleles "
        "jointly Dirichlet in H1 and H2, exact quadrature)"
    )
    return {
        "theta": layout.theta,
        "population_model": (
            "Hardy-Weinberg"
            if layout.theta == 0
            else f"Balding-Nichols theta {layout.theta:g} (exact, as nasab lr --theta)"
        ),
        "observation_model": {
            "model": (
                "semi-continuous dropout / drop-in (Haned et al. 2012, relMix; as nasab "
                "lr --dropout --dropin): allele i not seen with probability "
                "(1 - dropin p_i) D_i, D_i = 1, dropout, dropout^2 for 0, 1, 2 copies"
            ),
            "default": desc["default"],
            "classes": desc["classes"],
            "without_class": "no dropout model: a/F is a homozygote, a/- a partial genotype",
            "with_class": "a/a, a/F and a/- mean 'only a was seen', a/b 'a and b were seen'",
        },
        "hypotheses": {"H1": "the remain is the missing person", "H2": h2},
    }


def search_metadata(
    cfg: SearchConfig,
    res: SearchResult,
    mutation: dict[str, str],
    layout: Layout | None = None,
    class_counts: list[int] | None = None,
) -> dict:
    """What a reader of the matches needs to reproduce and judge them."""
    from nasab import __version__

    out = {
        "nasab_version": __version__,
        "families": str(cfg.families),
        "remains": str(cfg.remains),
        "frequency_table": res.table,
        "mutation_model": cfg.model_words(),
        "mutation_model_name": cfg.mutation,
        "mutation_per_marker": mutation,
        "default_mutation_rate": cfg.default_rate,
        "dropout": cfg.dropout,
        "dropin": cfg.dropin,
        "threshold_lr": cfg.threshold,
        "prior": res.prior,
        "prior_rule": (
            "given"
            if cfg.prior is not None
            else "1 / number of missing persons (1/2 when there is one)"
        ),
        "posterior": "LR * prior / (LR * prior + 1 - prior)",
        "hypotheses": {
            "H1": "the remain is the missing person",
            "H2": "the remain is unrelated to the family (Hardy-Weinberg)",
        },
        "n_families": res.n_families,
        "n_missing_persons": res.n_missing,
        "n_remains": res.n_remains,
        "pairs_evaluated": res.pairs,
        "pairs_kept": len(res.matches["remain_id"]),
        "problems": [str(p) for p in res.problems],
        "columns": MATCH_COLUMNS,
    }
    out.update(observation_metadata(layout, class_counts))
    return out


def class_counts(profiles, layout: Layout) -> list[int]:
    """Number of remains in each observation class of the layout."""
    counts = [0] * len(layout.classes)
    for p in profiles:
        cls = layout.class_of(p.drop, f"remain {p.id}")
        if cls >= 0:
            counts[cls] += 1
    return counts


def timing_words(timings: dict[str, float]) -> dict:
    """The time split as the sidecar states it (seconds; ``write`` is the formatting of the
    matches, before the files themselves are written). ``compile`` and ``score`` are summed
    over the threads or processes that ran them, which overlap; ``compile_score_elapsed``
    is the wall-clock time of the two together, and ``total`` the sum of the steps."""
    out = {k: round(float(v), 3) for k, v in timings.items()}
    steps = [v for k, v in timings.items() if not k.endswith("_elapsed")]
    out["total"] = round(float(sum(steps)), 3)
    return out


def lineage_metadata(meta: dict, lineage: LineageScreen, removed: int, columns: list) -> None:
    meta["lineage"] = {
        **lineage.meta,
        "pairs_over_threshold_by_autosomal_alone_excluded_by_lineage": removed,
    }
    meta["columns"] = columns
    meta["hypotheses"]["H2"] += (
        "; Y-STR and mtDNA: the remain's haplotype is that of a man (person) drawn from "
        "the database's population"
    )


def uninformative(families, remain_ids: list[str], compared) -> dict:
    """What the search cannot weigh, said rather than silently passed over: remains typed at
    no marker it compares (LR 1 against every family: never kept) and missing persons whose
    family has no typed relative (LR 1 against every remain). At most 20 ids of each."""
    remains = [rid for rid, n in zip(remain_ids, compared, strict=True) if n == 0]
    persons = [f"{fd.family.name}/{mp}" for fd in families if not _typed(fd) for mp in fd.missing]
    return {
        "remains_typed_at_no_marker": {"count": len(remains), "ids": remains[:20]},
        "missing_persons_without_typed_relatives": {"count": len(persons), "ids": persons[:20]},
    }


def _typed(fd) -> bool:
    """Whether someone of the family is typed at a marker (stops at the first typed call:
    a quarter of the cost of ``Family.typed_persons`` at national scale)."""
    return any(is_typed(x) for g in fd.family.genotypes.values() for x in g.values())


def note_uninformative(meta: dict, lineage, families, remain_ids: list[str], compared) -> None:
    """The model file's "uninformative" (:func:`uninformative`) and a warning line for each
    kind found; not with lineage evidence, which can weigh what the autosomal markers
    cannot."""
    if lineage is not None:
        return
    meta["uninformative"] = notice = uninformative(families, remain_ids, compared)
    for line in uninformative_warnings(notice):
        warnings.warn(line, stacklevel=3)


def uninformative_warnings(notice: dict) -> list[str]:
    """The warning lines of :func:`uninformative` (none when all can be weighed)."""
    words = {
        "remains_typed_at_no_marker": "remains typed at no compared marker (never matched)",
        "missing_persons_without_typed_relatives": (
            "missing persons without a typed relative (no remain can match them)"
        ),
    }
    out = []
    for key, what in words.items():
        n, ids = notice[key]["count"], notice[key]["ids"]
        if n:
            more = f", ... ({n - len(ids)} more)" if n > len(ids) else ""
            out.append(f"{n} {what}: {', '.join(ids)}{more}")
    return out
