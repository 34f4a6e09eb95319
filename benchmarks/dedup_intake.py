"""Benchmark of duplicate detection on reports written as families write them (issue 18).

    python benchmarks/dedup_intake.py [--persons 3000] [--seed 0] [--threshold T]
                                      [--siblings spread|close]

Reports from :func:`nasab.linkage.synth_intake.generate_intake_reports` (variant kinds and
their rates: :data:`nasab.linkage.synth_intake.VARIANT_RATES`; the generator draws Latin
spellings from the Wikidata name pairs attested by a second source and its own variant
rules, never from the matcher's lexicon).  Prints pair precision and recall at the
threshold, recall per variant kind (a true pair counts for a kind when either report
carries it; recall is of proposed pairs, the issue's metric, and is also printed counting
the pairs on the undecided list as found), pairs of relatives proposed (brothers: same
``unit``; cousins: same clan and grandfather; father and son: ``parent_person``), true
duplicates in the relatives list, blocking recall, and the time taken.  ``--siblings
close`` draws brothers born one to four years apart instead of in any year: a stress
test of the rules that tell a man from his brother by birth years.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from itertools import combinations

from nasab.linkage.dedup import DEFAULT_THRESHOLD, DedupModel
from nasab.linkage.synth import SIBLING_SPACINGS
from nasab.linkage.synth_intake import generate_intake_reports


def _related(a: dict, b: dict) -> str | None:
    if a["person_id"] == b["person_id"]:
        return None
    if a["parent_person"] == b["person_id"] or b["parent_person"] == a["person_id"]:
        return "father-son"
    ua, ub = a["unit"].split("."), b["unit"].split(".")
    if ua[:3] == ub[:3] and len(ua) == len(ub):
        return "brothers"
    if ua[:2] == ub[:2]:
        return "cousins"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=3000, help="missing persons to generate")
    ap.add_argument("--seed", type=int, default=0, help="generator seed")
    ap.add_argument(
        "--threshold", type=float, default=DEFAULT_THRESHOLD, help="match probability threshold"
    )
    ap.add_argument(
        "--siblings",
        choices=SIBLING_SPACINGS,
        default="spread",
        help="how brothers' birth years are spread: in any year (spread) or one to four "
        "years apart (close)",
    )
    ap.add_argument(
        "--no-blocking-check",
        action="store_true",
        help="skip the blocking-recall pass (slow on large inputs)",
    )
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    reports = generate_intake_reports(args.persons, seed=args.seed, siblings=args.siblings)
    by_id = {r["report_id"]: r for r in reports}
    by_person = defaultdict(list)
    for r in reports:
        by_person[r["person_id"]].append(r["report_id"])
    truth = {tuple(sorted(p)) for g in by_person.values() for p in combinations(g, 2)}
    print(
        f"reports: {len(reports)}  persons: {len(by_person)}  true pairs: {len(truth)}"
        f"  (generated in {time.perf_counter() - t0:.1f} s)"
    )
    kinds = Counter(v for r in reports for v in r["variants"].split(";") if v)
    print("variant kinds (reports): " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))

    t1 = time.perf_counter()
    model = DedupModel(reports).train(seed=args.seed)
    t_train = time.perf_counter() - t1
    pairs = model.predict(args.threshold)
    t_total = time.perf_counter() - t1
    proposed = {(p.report_a, p.report_b) for p in pairs}
    tp = len(proposed & truth)
    print(
        f"threshold {args.threshold}: proposed {len(proposed)}  true {tp}  "
        f"precision {tp / max(len(proposed), 1):.4f}  recall {tp / max(len(truth), 1):.4f}"
    )
    rel = Counter(_related(by_id[a], by_id[b]) for a, b in proposed - truth)
    print(
        "relatives proposed as one person: "
        + ", ".join(f"{k} {v}" for k, v in rel.items() if k)
        + f" (total "
        f"{sum(v for k, v in rel.items() if k)}); other false pairs {rel.get(None, 0)}"
    )
    held = {(a, b) for a, b, _ in model.possible_relatives}
    print(f"relatives list: {len(held)} pairs, true duplicates in it: {len(held & truth)}")
    und = {(a, b) for a, b, _ in model.undecided}
    print(
        f"undecided list (for a person, not proposed): {len(und)} pairs, true duplicates "
        f"in it: {len(und & truth)}, relatives in it: "
        f"{sum(1 for a, b in und if _related(by_id[a], by_id[b]))}"
    )
    found = proposed | und
    print(
        f"recall counting the undecided list as found (not the issue's metric): "
        f"{len(found & truth) / max(len(truth), 1):.4f}"
    )
    print(
        "recall per variant kind (true pairs where either report has the kind), "
        "proposed / proposed or undecided:"
    )
    for k, _ in sorted(kinds.items()):
        tk = {p for p in truth if k in by_id[p[0]]["variants"] or k in by_id[p[1]]["variants"]}
        if tk:
            print(
                f"  {k:18s} pairs {len(tk):6d}  recall {len(tk & proposed) / len(tk):.4f}"
                f"  / {len(tk & found) / len(tk):.4f}"
            )
    plain = {p for p in truth if not by_id[p[0]]["variants"] and not by_id[p[1]]["variants"]}
    print(
        f"  {'(no variant)':18s} pairs {len(plain):6d}  "
        f"recall {len(plain & proposed) / max(len(plain), 1):.4f}"
        f"  / {len(plain & found) / max(len(plain), 1):.4f}"
    )
    print(f"time: training {t_train:.1f} s, training + prediction {t_total:.1f} s")
    if not args.no_blocking_check:
        compared = {tuple(sorted((p.report_a, p.report_b))) for p in model.predict(0.0)}
        compared |= {(a, b) for a, b, _ in (*model.possible_relatives, *model.undecided)}
        print(
            f"blocking recall (true pairs compared at all): "
            f"{len(compared & truth) / max(len(truth), 1):.4f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
