"""``nasab joint --dvi DIR [DIR ...] [--json] [--out DIR]``: joint identification of several
missing persons.

Several DVI folders in one call are analysed in one process (the warm path for a lab's many
small cases: the interpreter, numpy and the contraction plans are loaded once, not once per
case); ``--out`` writes one JSON per case, all together or none.

``cli.py`` registers this with ``add_parser(subparsers)``; ``run(args)`` returns the exit
code (0 ok, 2 bad input, with a message naming the file/line/field and no traceback).
``python -m nasab.joint.cli --dvi DIR`` runs it stand-alone.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

from nasab.engine.cli import (
    NasabArgumentParser,
    add_command,
    add_folder_model_options,
    add_lineage_options,
    add_threshold_option,
    lineage_confidence,
    mutation_from_args,
    mutation_given,
    mutation_words,
    positive,
    run_standalone,
    whole_number,
)
from nasab.engine.errors import InputError, NasabError
from nasab.engine.strict_json import dumps_strict


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(
        subparsers,
        "joint",
        help="joint identification: several missing persons, several remains",
        description="Pairwise LRs, the best joint assignments of remains to missing persons "
        "(exact), posteriors and conclusions (undisputed, match, symmetric "
        "match, probable, inconclusive, excluded, disputed, not identifiable). Several "
        "DVI folders in one call are analysed in one process, start-up paid once: the "
        "warm path for many small cases (with --out DIR, one JSON file per case).",
        arguments=_arguments,
        run=run,
    )


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dvi",
        required=True,
        nargs="+",
        metavar="DIR",
        help="DVI folder: dvi.json, families/*.ped, victims.tsv, freqs.txt; give several "
        "to analyse them in one process (start-up paid once: the fast way through many "
        "small cases)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON instead of a report (several folders: one object, keyed by folder)",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="write each case's JSON to DIR/<folder name>.json (all cases or none: a bad "
        "folder leaves DIR unchanged) and print one summary line per case",
    )
    p.add_argument(
        "--answer",
        choices=("all", "conclusions", "joint"),
        default="all",
        help="what to compute: 'conclusions' (pairwise LRs and dviSolve's "
        "conclusions, without enumerating the joint assignments), 'joint' "
        "(pairwise LRs, the exact best assignments and posteriors), or "
        "'all' (both; the default)",
    )
    p.add_argument(
        "--top", type=int, default=20, metavar="N", help="assignments to list (default 20)"
    )
    add_threshold_option(p, 1e4, "LR/GLR threshold for undisputed and match")
    p.add_argument(
        "--threshold2",
        type=positive,
        default=None,
        metavar="T",
        help="LR threshold for probable, at most --threshold (default 1e3, or --threshold "
        "when that is lower, as the registry does)",
    )
    p.add_argument(
        "--max-incomp",
        type=whole_number(0, 1_000_000),
        default=2,
        metavar="N",
        help="a pairing is excluded above this many incompatible markers (default 2)",
    )
    p.add_argument(
        "--match-odds",
        type=positive,
        default=1.0,
        metavar="W",
        help="prior weight per identified pair (default 1: flat prior over all assignments)",
    )
    add_folder_model_options(
        p,
        folder="dvi.json",
        theta_note="within each family, exact; default: dvi.json's theta, else 0",
    )
    add_lineage_options(p)


def analyse(
    folder: str,
    *,
    top: int = 20,
    threshold: float = 1e4,
    threshold2: float = 1e3,
    max_incomp: int = 2,
    match_odds: float = 1.0,
    no_mutation: bool = False,
    theta: float | None = None,
    answer: str = "all",
    mutation_args: argparse.Namespace | None = None,
    lineage_args: argparse.Namespace | None = None,
) -> dict:
    """The joint identification of a DVI folder as a JSON-ready dict; ``answer`` says what
    is computed (``conclusions``, ``joint`` or ``all``), so that a question costs no more
    than it needs."""
    from nasab.joint.problem import read_dvi

    t0 = time.perf_counter()
    problem = read_dvi(folder)
    model_words = "as given in dvi.json (per marker)"
    if no_mutation:
        problem.mutations, model_words = {}, "none (no mutation)"
    elif mutation_args is not None and mutation_given(mutation_args):
        problem.mutations = mutation_from_args(mutation_args, problem.markers)
        model_words = mutation_words(mutation_args)
    if theta is not None:
        if not 0 <= theta < 0.5:
            raise InputError(f"--theta must be in [0, 0.5), not {theta}", field="--theta")
        problem.theta = theta
    if top < 1:
        raise InputError(f"--top must be at least 1, not {top}", field="--top")
    _lineage(problem, lineage_args)
    out: dict = {}
    seconds: dict = {}
    terms = None
    if answer in ("all", "joint"):
        joint, terms = _joint_part(problem, top, match_odds)
        out.update(joint)
    t1 = time.perf_counter()
    seconds["joint"] = round(t1 - t0, 3)
    if answer in ("all", "conclusions"):
        out.update(
            _conclusions_part(
                problem,
                threshold,
                threshold2,
                max_incomp,
                with_pairwise="pairwise" not in out,
                terms=terms,
            )
        )
        seconds["conclusions"] = round(time.perf_counter() - t1, 3)
    if answer == "conclusions":
        del seconds["joint"]
    out.update(
        {
            "answer": answer,
            "frequency_table": problem.table.version(),
            "mutation": model_words,
            "mutation_model": model_words,  # the key of nasab lr, search and power
            "theta": problem.theta,
            "theta_model": (
                "each family term is nasab lr's theta LR: the family's founders and "
                "the victims compared with it drawn from one subpopulation (H1 on the "
                "missing persons, H2 unrelated); families independent"
                if problem.theta > 0
                else "none (Hardy-Weinberg)"
            ),
            "seconds": seconds,
        }
    )
    if problem.lineage_meta:
        out["lineage"] = problem.lineage_meta
    return out


def _lineage(problem, args: argparse.Namespace | None) -> None:
    """The Y-STR / mtDNA factors of the pairs (``--ystr-db`` ..., docs/lineage.md)."""
    from nasab.joint.problem import lineage_terms

    if not any(f.ystr or f.mtdna for f in problem.families.values()):
        return
    ystr_db = mtdna_db = None
    if args is not None and getattr(args, "ystr_db", None) is not None:
        from nasab.engine.ystr import read_ystr_database

        ystr_db = read_ystr_database(args.ystr_db)
    if args is not None and getattr(args, "mtdna_db", None) is not None:
        from nasab.engine.mtdna import read_mtdna_database

        mtdna_db = read_mtdna_database(args.mtdna_db)
    lineage_terms(
        problem,
        ystr_db=ystr_db,
        ystr_method=getattr(args, "ystr_method", "counting"),
        mtdna_db=mtdna_db,
        confidence=lineage_confidence(args) if args is not None else 0.95,
    )


def _joint_part(problem, top: int, match_odds: float) -> tuple[dict, object]:
    """Pairwise LRs and the exact joint: best assignments, posteriors, normaliser; and the
    family terms computed (for the conclusions to reuse)."""
    from nasab.joint.assignments import JointSolver
    from nasab.joint.problem import NULL

    res = JointSolver(problem).solve(top=top, match_odds=match_odds)
    victims = [v.id for v in problem.victims]
    assignments = [
        {
            "assignment": {v: a.pairs.get(v, NULL) for v in victims},
            "log10LR": a.log10_lr,
            "posterior": a.posterior,
        }
        for a in res.assignments
    ]
    return {
        "pairwise": {v: {m: res.pairwise_lr(v, m) for m in problem.missing} for v in victims},
        "assignments": assignments,
        "n_assignments": res.n_assignments,
        "n_assignments_nonzero": res.n_nonzero,
        "log10_normaliser": res.log10_z,
        "loglik_null": res.loglik_null,
        "method": res.method,
        "exact": res.exact,
        "prior": res.prior,
    }, res.terms


def _conclusions_part(
    problem,
    threshold: float,
    threshold2: float,
    max_incomp: int,
    *,
    with_pairwise: bool,
    terms=None,
) -> dict:
    """dviSolve's conclusions (and the pairwise LRs when the joint part did not give them),
    from one set of family terms: the pairwise LRs are the first pass's."""
    from nasab.joint.problem import lr_from_log10
    from nasab.joint.solve import DVISolve

    out: dict = {}
    solver = DVISolve(
        problem, threshold=threshold, threshold2=threshold2, max_incomp=max_incomp, terms=terms
    )
    if with_pairwise:
        pw = solver.pairwise()
        out["pairwise"] = {
            v: {m: (None if x is None else lr_from_log10(x)) for m, x in row.items()}
            for v, row in pw.items()
        }
    cj = solver.run().to_json()
    out.update(
        {
            "conclusions": (
                [{"table": "AM", **r} for r in cj["AM"]] + [{"table": "PM", **r} for r in cj["PM"]]
            ),
            "symmetric": cj["symmetric"],
            "steps": cj["steps"],
            "thresholds": cj["thresholds"],
        }
    )
    return out


def _fmt_lr(x: float | None) -> str:
    if x is None:
        return "-"
    if x == 0:
        return "0"
    if x == math.inf:
        return "inf"
    return f"{x:.3g}"


def report(out: dict, folder: str) -> None:
    from rich.console import Console

    con = Console()
    con.print(f"[bold]Joint identification[/bold]: {folder}")
    _report_pairwise(con, out)
    if "assignments" in out:
        _report_assignments(con, out)
    if "conclusions" in out:
        _report_conclusions(con, out)
    if "method" in out:
        con.print(f"Method: {out['method']}")
        con.print(f"Prior: {out['prior']}; log10 normalising sum {out['log10_normaliser']:.6f}")
    if "thresholds" in out:
        con.print(f"Thresholds: {out['thresholds']}")
    con.print(f"Mutation: {out['mutation']}; theta: {out['theta']} ({out['theta_model']})")
    con.print(f"Frequency table: {out['frequency_table']}")
    if "lineage" in out:
        _report_lineage(con, out["lineage"])
    con.print(f"Time: {out['seconds']}")


def _report_lineage(con, lin: dict) -> None:
    for kind, db in lin["databases"].items():
        con.print(f"{kind} database: {db['database']} ({db['method']})")
    for v, row in lin["log10_factors"].items():
        for m, f in row.items():
            words = ", ".join(f"{k} log10 {x:.3f}" for k, x in f.items())
            con.print(f"Lineage factor {v} = {m}: {words} (in the pairwise and joint LRs)")
    con.print(f"Combination: {lin['combination']}")


def _report_pairwise(con, out: dict) -> None:
    from rich.table import Table

    pw = out["pairwise"]
    missing = list(next(iter(pw.values())).keys()) if pw else []
    t = Table(title="Pairwise LR (victim = missing person vs unrelated; - : other sex)")
    t.add_column("victim")
    for m in missing:
        t.add_column(m, justify="right")
    for v, row in pw.items():
        t.add_row(v, *(_fmt_lr(row[m]) for m in missing))
    con.print(t)


def _report_assignments(con, out: dict) -> None:
    from rich.table import Table

    t = Table(
        title=f"Best assignments ({len(out['assignments'])} shown of "
        f"{out['n_assignments']} sex-consistent, "
        f"{out['n_assignments_nonzero']} with LR > 0)"
    )
    t.add_column("#", justify="right")
    victims = list(out["pairwise"])
    for v in victims:
        t.add_column(v)
    t.add_column("log10 LR", justify="right")
    t.add_column("posterior", justify="right")
    for i, a in enumerate(out["assignments"], 1):
        t.add_row(
            str(i),
            *(a["assignment"][v] for v in victims),
            f"{a['log10LR']:.4f}",
            f"{a['posterior']:.4g}",
        )
    con.print(t)


def _report_conclusions(con, out: dict) -> None:
    from rich.table import Table

    t = Table(title="Conclusions per missing person (AM) and per victim (PM)")
    for c in ("table", "Family", "Missing", "Sample", "LR", "GLR", "Conclusion", "Comment"):
        t.add_column(c)
    for r in out["conclusions"]:
        t.add_row(
            r["table"],
            str(r["Family"] or ""),
            str(r["Missing"] or ""),
            str(r["Sample"] or ""),
            _fmt_lr(r["LR"]),
            _fmt_lr(r["GLR"]),
            r["Conclusion"],
            str(r["Comment"] or ""),
        )
    con.print(t)
    for s in out["symmetric"]:
        con.print(f"[yellow]Cannot be resolved by DNA[/yellow]: {s['statement']}.")
        if s["would_resolve"]:
            con.print("  would resolve it: " + "; ".join(s["would_resolve"]))
        else:
            con.print("  no single extra reference among those tried resolves it")


def _options(args: argparse.Namespace) -> dict:
    return {
        "top": args.top,
        "threshold": args.threshold,
        "threshold2": args.threshold2,
        "max_incomp": args.max_incomp,
        "match_odds": args.match_odds,
        "theta": args.theta,
        "answer": getattr(args, "answer", "all"),
        "mutation_args": args,
        "lineage_args": args,
    }


def _out_names(folders: list[str], out_dir: str) -> list[str]:
    """DIR/<folder name>.json for each folder; two folders of one name are refused."""
    from pathlib import Path

    names = [f"{Path(f).resolve().name}.json" for f in folders]
    seen: dict[str, str] = {}
    for f, n in zip(folders, names, strict=True):
        if n in seen:
            raise InputError(
                f"{seen[n]} and {f} would both be written to {n}; give folders of different names",
                field="--out",
            )
        seen[n] = f
    return [str(Path(out_dir) / n) for n in names]


def _summary(folder: str, out: dict) -> str:
    counts: dict[str, int] = {}
    for r in out.get("conclusions", []):
        if r["table"] == "AM":
            counts[r["Conclusion"]] = counts.get(r["Conclusion"], 0) + 1
    said = ", ".join(f"{n} {c.lower()}" for c, n in counts.items()) or "no conclusions asked"
    return f"{folder}: {said}; {out['seconds']}"


def run(args: argparse.Namespace) -> int:
    from nasab.engine.output import AtomicGroup, check_writable, refuse_inputs

    folders = args.dvi if isinstance(args.dvi, list) else [args.dvi]
    results: list[dict] = []
    try:
        if args.threshold2 is None:
            args.threshold2 = min(1e3, args.threshold)
        elif args.threshold2 > args.threshold:  # probable below undisputed, as in dvir
            raise InputError(
                f"the probable threshold {args.threshold2:g} is above the undisputed and match "
                f"threshold {args.threshold:g} (--threshold)",
                field="--threshold2",
            )
        targets = _out_names(folders, args.out) if args.out else []
        if args.out:
            check_writable(args.out, directory=True)
            refuse_inputs([args.out], folders, "--out")
        for folder in folders:
            try:
                results.append(analyse(folder, **_options(args)))
            except NasabError as e:
                if len(folders) > 1 and not getattr(e, "file", None):
                    raise InputError(f"{folder}: {e}") from None
                raise
        if args.out:
            with AtomicGroup() as group:
                for target, out in zip(targets, results, strict=True):
                    group.text(target, dumps_strict(out, indent=1) + "\n")
    except NasabError as e:
        print(f"nasab: error: {e}", file=sys.stderr)
        return 2
    if args.out:
        for folder, out in zip(folders, results, strict=True):
            print(_summary(folder, out))
    elif args.json:
        doc = results[0] if len(folders) == 1 else dict(zip(folders, results, strict=True))
        sys.stdout.write(dumps_strict(doc, indent=1) + "\n")
    else:
        for folder, out in zip(folders, results, strict=True):
            report(out, folder)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = NasabArgumentParser(prog="nasab joint")
    _arguments(p)
    return run_standalone(p, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
