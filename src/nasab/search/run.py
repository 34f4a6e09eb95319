"""The ``nasab search`` pipeline: read, compile, score, write.

Families are processed in chunks of missing persons; each chunk is compiled (exact LR tables)
and scored against every remain by the kernel, then dropped (or appended to a store), so the
memory stays bounded at any scale. With ``workers`` > 1 or a Dask scheduler address the chunks
run as Dask tasks; the result is the same pair set with the same LRs, in the same order.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from nasab.engine.allocator import tune_allocator
from nasab.engine.collector import frozen
from nasab.engine.contraction import save_paths
from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable, package_data, read_frequencies
from nasab.engine.lr import posterior
from nasab.engine.observation import DropModel
from nasab.engine.output import (
    OutputError,
    check_writable,
    refuse_inputs,
)
from nasab.search.config import SearchConfig, SearchResult
from nasab.search.counting import CountingProcess, InconsistencyOverlap, worth_starting_early
from nasab.search.data import FamilyData, Loaded, Problem, Remains, read_families, read_remains
from nasab.search.engine import (
    Layout,
    build_models,
    compare_markers,
    compile_chunk,
    extended_table,
    family_kind,
    family_shapes,
    order_by_shape,
    score_chunk,
    shape_census,
)
from nasab.search.inconsistency import inconsistent_counts
from nasab.search.lineage import LineageOptions, LineageScreen, screen
from nasab.search.matches_out import LINEAGE_COLUMNS, matches_text, metadata_path, write_matches
from nasab.search.matches_out import MATCH_COLUMNS as MATCH_COLUMNS  # re-exported
from nasab.search.matches_out import matches_tsv as matches_tsv  # re-exported
from nasab.search.metadata import (
    class_counts,
    lineage_metadata,
    note_uninformative,
    search_metadata,
    timing_words,
)
from nasab.search.metadata import observation_metadata as observation_metadata  # re-exported
from nasab.search.tables import observation_classes


def _chunks(families: list[FamilyData], size: int) -> list[list[FamilyData]]:
    out, cur, n = [], [], 0
    for fd in families:
        cur.append(fd)
        n += len(fd.missing)
        if n >= size:
            out.append(cur)
            cur, n = [], 0
    if cur:
        out.append(cur)
    return out


def check_outputs(cfg: SearchConfig) -> None:
    """Before any work: the matches file and its model sidecar can be written and are not
    an input; the store folder can be written."""
    outs = [cfg.out, metadata_path(cfg.out)]
    refuse_inputs(outs, [cfg.families, cfg.remains, cfg.freqs])
    for o in outs:
        check_writable(o)
    if cfg.store is not None:
        from nasab.search.store import check_store_target

        check_writable(cfg.store, directory=True)
        check_store_target(cfg.store)


@contextmanager
def naming_table(table: FrequencyTable):
    """A column unknown to the frequency table: the message names the table too (the column
    may be right and the table incomplete)."""
    try:
        yield
    except InputError as e:
        if e.message.startswith("unknown marker") and table.source:
            e.message = e.message.replace(
                "not in the frequency table", f"not in the frequency table {table.source}", 1
            )
            e.args = (str(e),)
        raise


@contextmanager
def _new_store(cfg: SearchConfig, layout, models, specs, table, remains, codes, families):
    """The ``--store`` folder (None without one), built in a temporary folder beside it and
    moved into place whole when the block ends without error; removed on any error (an
    interrupted run leaves no folder that looks like a complete store)."""
    if cfg.store is None:
        yield None
        return
    from nasab.search.store import Store

    store = Store.create(cfg.store, layout, models, specs, table.version(), cfg.lineage)
    try:
        store.add_remains(remains.ids, codes, remains.profiles)
        if store.lineage is not None:  # the typed lines, for later remains
            store.lineage.set_families(families)
        yield store
    except OSError as e:  # a full disk, a folder gone: said as a write error
        store.discard()
        raise OutputError(cfg.store, e.strerror or str(e)) from None
    except BaseException:
        store.discard()
        raise
    store.publish()


def load_table(path: Path | None) -> FrequencyTable:
    return read_frequencies(path or package_data("NIST1036_All.tsv"))


@frozen()  # what is read is kept to the end: out of the collector's sight (engine.collector)
def run_search(cfg: SearchConfig, report: Callable[[str], None] | None = None) -> SearchResult:
    t0 = time.perf_counter()
    tune_allocator()  # before the reading: its tables are arrays too
    compile_threads()  # a bad setting refused before the reading, not after it
    check_outputs(cfg)
    # the counting process starts now: its imports overlap the reading (search.counting)
    counting = CountingProcess.start() if worth_starting_early(cfg) else None
    try:
        result = _read_and_search(cfg, report, t0, counting)
    finally:
        if counting is not None:
            counting.close()
    save_paths()  # the contraction paths found, for the next run (engine.path_cache)
    return result


def _read_and_search(cfg: SearchConfig, report, t0: float, counting) -> SearchResult:
    table = load_table(cfg.freqs)
    known = set(table.markers)
    with naming_table(table):
        loaded = read_families(cfg.families, known, cfg.on_error, cfg.ignore_unknown_markers)
    default_drop = DropModel(cfg.dropout, None, cfg.dropin)
    if not 0 <= cfg.theta < 0.5:
        raise InputError(f"theta must be in [0, 0.5), not {cfg.theta}", field="--theta")
    with naming_table(table):
        remains, _, rproblems = read_remains(
            cfg.remains, known, cfg.on_error, default_drop, cfg.ignore_unknown_markers
        )
    if not loaded.markers:
        raise InputError(
            "no marker of the families table is in the frequency table", file=str(cfg.families)
        )
    return search_data(
        cfg,
        table,
        loaded,
        remains,
        rproblems,
        report,
        read_seconds=time.perf_counter() - t0,
        counting=counting,
    )


def _lineage_screen(cfg, loaded, remains, problems, timings) -> LineageScreen | None:
    """The Y-STR / mtDNA factors when both the families and the remains have lineage data."""
    if not (loaded.has_lineage and remains.has_lineage):
        opts = cfg.lineage
        if cfg.store is not None and opts and (opts.ystr_db or opts.mtdna_db):
            # the store keeps the families' lines for later remains: checked now, as the
            # screen checks them
            from nasab.search.lineage import check_families

            problems.extend(check_families(loaded, cfg.on_error))
        return None
    t0 = time.perf_counter()
    out = screen(loaded, remains, cfg.lineage or LineageOptions(), cfg.on_error)
    problems.extend(out.problems)
    timings["lineage"] = time.perf_counter() - t0
    return out


@frozen()  # the families and remains are kept to the end: out of the collector's sight
def search_data(
    cfg: SearchConfig,
    table: FrequencyTable,
    loaded: Loaded,
    remains: Remains,
    remain_problems: list[Problem] | None = None,
    report: Callable[[str], None] | None = None,
    *,
    read_seconds: float = 0.0,
    extra_classes: tuple[DropModel, ...] = (),
    progress: Callable[[int, int], None] | None = None,
    counting: CountingProcess | None = None,
) -> SearchResult:
    """The search of families and remains already in memory (a registry's database, or the
    tables :func:`run_search` read): the same model, pairs and LRs. ``cfg.out`` None: no
    matches file is written (the caller stores ``result.matches``). ``extra_classes``:
    observation classes compiled beside the remains' own (so that a store can score later
    remains of those classes). ``progress(done, total)``: missing persons compiled.
    ``counting``: a counting process already started (:mod:`.counting`), else one is started
    where it serves."""
    timings: dict[str, float] = {"read": read_seconds}
    default_drop = DropModel(cfg.dropout, None, cfg.dropin)
    if not 0 <= cfg.theta < 0.5:
        raise InputError(f"theta must be in [0, 0.5), not {cfg.theta}", field="--theta")
    problems = loaded.problems + list(remain_problems or [])
    lineage = _lineage_screen(cfg, loaded, remains, problems, timings)
    markers = loaded.markers
    if not markers:
        raise InputError("no marker of the families is in the frequency table")
    t1 = time.perf_counter()
    specs = cfg.specs(markers)
    tabx = extended_table(table, markers, loaded.families, remains)
    models = build_models(tabx, markers, specs)
    classes = observation_classes(
        [*(p.drop for p in remains.profiles), *extra_classes], default_drop
    )
    layout = Layout(
        markers, [list(m.alleles) for m in models], cfg.dropout, cfg.dropin, classes, cfg.theta
    )
    codes = layout.codes(remains.profiles)
    n_missing = sum(len(fd.missing) for fd in loaded.families)
    # 1 / (number of missing persons), but never 1: with one missing person the prior is 1/2
    prior = cfg.prior if cfg.prior is not None else 1.0 / max(n_missing, 2)
    if not 0 < prior < 1:
        raise InputError(f"the prior must be in (0, 1), not {prior}")
    log10_t = math.log10(cfg.threshold)
    # families of one shape next to each other, so that each chunk holds few shapes and each
    # shape is one batched contraction per marker; the partition depends on --chunk only
    # (not on the number of workers), so a Dask run compiles the same batches and gives
    # bit-identical LRs
    found = [family_shapes(fd) for fd in loaded.families]
    by_shape = [loaded.families[i] for i in order_by_shape(loaded.families, shapes=found)]
    chunks = _chunks(by_shape, cfg.chunk)
    shapes = shape_census(loaded.families, shapes=found)
    chunk_factors = None
    if lineage is not None:
        chunk_factors = [
            {
                (fd.family.name, mp): lineage.factors[(fd.family.name, mp)]
                for fd in ch
                for mp in fd.missing
                if (fd.family.name, mp) in lineage.factors
            }
            for ch in chunks
        ]
    with _new_store(cfg, layout, models, specs, table, remains, codes, loaded.families) as store:
        timings["prepare"] = time.perf_counter() - t1
        fams = {fd.family.name: fd for fd in loaded.families}
        with InconsistencyOverlap(cfg, fams, layout, tabx, codes, len(chunks), counting) as overlap:
            t_chunks = time.perf_counter()
            results = _run_chunks(
                cfg,
                chunks,
                layout,
                models,
                codes,
                log10_t,
                store is not None,
                report,
                overlap.submit,
                progress,
                chunk_factors,
                tabx if cfg.inconsistent else None,
                with_shapes=overlap.wants_shapes,
            )
            timings["compile_score_elapsed"] = time.perf_counter() - t_chunks
            t_wait = time.perf_counter()  # the counting's tail that did not overlap
            early = overlap.collect(len(results))
            if early is None and results and all("incons" in res for res in results):
                early = [c for res in results for c in res["incons"]]  # counted by the workers
            t_wait = time.perf_counter() - t_wait
        all_f, all_r, all_s, rows = [], [], [], []
        parts: dict[str, list] = {"auto": [], "y": [], "mt": []}
        removed = 0
        compile_t = score_t = 0.0
        for res in results:
            base = len(rows)
            rows.extend(res["rows"])
            all_f.append(res["f"] + base)
            all_r.append(res["r"])
            all_s.append(res["s"])
            for k, v in parts.items():
                v.append(res.get(k, res["s"] if k == "auto" else np.zeros(len(res["s"]))))
            removed += res.get("lineage_removed", 0)
            problems.extend(res["problems"])
            compile_t += res["compile"]
            score_t += res["score"]
        # each row's place in the families file (family, then its missing persons in order)
        place = {
            (fd.family.name, mp): k
            for k, (fd, mp) in enumerate((fd, mp) for fd in loaded.families for mp in fd.missing)
        }
        rank = np.array([place[row] for row in rows], np.int64)
        if store is not None:
            _store_in_file_order(store, results, rank)
    timings["compile"] = compile_t
    timings["score"] = score_t
    f = np.concatenate(all_f) if all_f else np.empty(0, np.int64)
    r = np.concatenate(all_r) if all_r else np.empty(0, np.int64)
    s = np.concatenate(all_s) if all_s else np.empty(0)
    # by remain, LR descending (to 1e-9: ties do not depend on the last bit), family file order
    order = np.lexsort((rank[f] if len(f) else f, -np.round(s, 9), r))
    f, r, s = f[order], r[order], s[order]
    lin_cols = {k: (np.concatenate(v) if v else np.empty(0))[order] for k, v in parts.items()}
    t3 = time.perf_counter()
    compared = compare_markers(layout, codes)
    if early is not None:  # counted chunk by chunk in a second process, in chunk order
        incons = [early[k] for k in order]
    else:
        pairs = [(rows[i][0], rows[i][1], codes[j]) for i, j in zip(f, r, strict=True)]
        incons = (
            inconsistent_counts(fams, layout, tabx, pairs)
            if cfg.inconsistent
            else [-1] * len(pairs)
        )
    timings["inconsistent"] = time.perf_counter() - t3 + t_wait
    matches = {
        "remain_id": [remains.ids[j] for j in r],
        "family_id": [rows[i][0] for i in f],
        "missing_id": [rows[i][1] for i in f],
        "log10_lr": [float(x) for x in s],
        "lr": [10.0 ** float(x) if x < 308 else math.inf for x in s],
        "n_markers": [int(compared[j]) for j in r],
        "n_inconsistent": incons,
        "posterior": [float(x) for x in posterior(s, prior)],
        "prior": [prior] * len(s),
        "kind": _kinds(fams, rows, f),
    }
    if lineage is not None:  # the evidence lines, as nasab lr's JSON "evidence"
        for col, part in zip(LINEAGE_COLUMNS, ("auto", "y", "mt"), strict=True):
            matches[col] = [float(x) for x in lin_cols[part]]
    desc = "; ".join(sorted({f"{m}: {specs[m].describe()}" for m in markers}))
    result = SearchResult(
        matches,
        timings,
        problems,
        len(loaded.families),
        len(rows),
        len(remains.ids),
        len(rows) * len(remains.ids),
        f"{cfg.model_words()} ({desc})",
        tabx.version(),
        prior,
    )
    t4 = time.perf_counter()
    result.metadata = search_metadata(
        cfg,
        result,
        {m: specs[m].describe() for m in markers},
        layout,
        class_counts(remains.profiles, layout),
    )
    if lineage is not None:
        lineage_metadata(result.metadata, lineage, removed, list(matches))
    note_uninformative(result.metadata, lineage, loaded.families, remains.ids, compared)
    result.metadata["shapes"] = {
        "rule": (
            "missing persons compiled together: the persons that matter (typed ones, the "
            "missing person, their ancestors), their parents and typing; each person i as "
            "iT (typed), iP (partly typed), iU (untyped) or iMP (the missing person), "
            "(father,mother) after a child; typed at any marker counts as typed"
        ),
        "count": len(shapes),
        "found": shapes,
    }
    if cfg.out is not None:
        text = matches_text(cfg.out, matches)
        timings["write"] = time.perf_counter() - t4
        result.metadata["timings_s"] = timing_words(timings)
        write_matches(cfg.out, matches, result.metadata, text=text)
    timings["write"] = time.perf_counter() - t4
    if cfg.out is None:
        result.metadata["timings_s"] = timing_words(timings)
    return result


def _kinds(fams: dict[str, FamilyData], rows: list[tuple[str, str]], f: np.ndarray) -> list[str]:
    """The kind of reference family of each pair's row, found once a row (a missing person
    kept with several remains is one question)."""
    kind: dict[int, str] = {}
    for i in set(f.tolist()):
        fam, mp = rows[i]
        kind[i] = family_kind(fams[fam].family, mp)
    return [kind[i] for i in f.tolist()]


def _store_in_file_order(store, results: list[dict], rank: np.ndarray) -> None:
    """Append the compiled rows to the store in the order of the families file (the chunks
    were compiled shape by shape), then index them."""
    kept = [res for res in results if res["rows"]]
    if kept:
        rows = [row for res in kept for row in res["rows"]]
        exact = np.concatenate([res["exact"] for res in kept], axis=0)
        order = np.argsort(rank, kind="stable")
        store.append([rows[i] for i in order], exact[order])
    store.build_index()


def _run_chunks(
    cfg,
    chunks,
    layout,
    models,
    codes,
    log10_t,
    keep,
    report,
    on_chunk=None,
    on_progress=None,
    factors=None,
    tabx=None,
    *,
    with_shapes: bool = False,
):
    n = len(chunks)
    total = sum(len(fd.missing) for c in chunks for fd in c)
    finished = [0]
    progress = None
    if cfg.progress:
        from rich.progress import Progress

        progress = Progress(transient=False)
        progress.start()
        task = progress.add_task("compile + score (families)", total=sum(len(c) for c in chunks))

    def done(k: int) -> None:
        finished[0] += sum(len(fd.missing) for fd in chunks[k])
        if on_progress is not None:
            on_progress(finished[0], total)
        if progress:
            progress.update(task, advance=len(chunks[k]))
        elif report:
            report(f"chunk {k + 1}/{n} done")

    try:
        if cfg.dask or cfg.workers > 1:
            from nasab.search.scale import run_dask

            return run_dask(
                cfg, chunks, layout, models, codes, log10_t, keep, done, lineage=factors, tabx=tabx
            )
        return _overlapped(
            cfg, chunks, layout, models, codes, log10_t, keep, factors, on_chunk, done, with_shapes
        )
    finally:
        if progress:
            progress.stop()


def compile_threads() -> int:
    """Chunks compiled at once in a one-process run: two where there are two cores or more
    (the compile's arithmetic runs in numpy without the GIL; its Python parts take turns).
    ``NASAB_COMPILE_THREADS`` sets it (1: one at a time); any other value than a whole
    number from 1 to 64 is refused (never silently replaced by the default)."""
    env = os.environ.get("NASAB_COMPILE_THREADS", "").strip()
    if not env:
        return 2 if (os.cpu_count() or 1) > 1 else 1
    if not (env.isdigit() and 1 <= int(env) <= 64):
        raise InputError(
            f"must be a whole number from 1 to 64, not {env!r}", field="NASAB_COMPILE_THREADS"
        )
    return int(env)


def _overlapped(
    cfg, chunks, layout, models, codes, log10_t, keep, factors, on_chunk, done, with_shapes=False
):
    """One process: chunks are compiled in :func:`compile_threads` threads and each
    compiled chunk is scored in one more thread (the scoring kernel runs without the GIL)
    while the next ones compile. Chunks are finished, and ``on_chunk`` called, in chunk
    order, and a chunk's failure is raised in chunk order (the first bad family in the
    order of a one-at-a-time run); the numbers are those of :func:`process_chunk` chunk by
    chunk (each chunk is compiled alone, with the same plans)."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    width = compile_threads()
    out: list[dict] = []
    compiling: deque = deque()
    scoring: deque = deque()
    cpool = ThreadPoolExecutor(width, thread_name_prefix="nasab-compile")
    spool = ThreadPoolExecutor(1, thread_name_prefix="nasab-score")

    def finish() -> None:
        k = len(out)
        out.append(scoring.popleft().result())
        if on_chunk is not None:
            on_chunk(out[-1])
        done(k)

    def to_score() -> None:
        k = len(out) + len(scoring)
        compiled = compiling.popleft().result()
        lin = factors[k] if factors else None
        scoring.append(spool.submit(score_chunk, compiled, layout, codes, log10_t, keep, lin))
        while len(scoring) > 1:
            finish()

    try:
        # one BLAS thread for the whole run (compile_families sets it too; set here, the
        # threads' settings and restorings cannot cross)
        with threadpool_limits(limits=1, user_api="blas"):
            for ch in chunks:
                compiling.append(
                    cpool.submit(
                        compile_chunk, ch, layout, models, cfg.on_error, with_shapes=with_shapes
                    )
                )
                while len(compiling) > width:
                    to_score()
            while compiling:
                to_score()
            while scoring:
                finish()
    finally:
        cpool.shutdown(wait=True, cancel_futures=True)
        spool.shutdown(wait=True, cancel_futures=True)
    return out
