"""The registry's matching at scale (issue 15): a simulated programme on PostgreSQL.

    .venv/bin/python benchmarks/registry_matching.py [--families 10000] [--remains 20000]
        [--database-url postgres://postgres@127.0.0.1:5432/nasab_match] [--new-remains 20]
        [--page-requests 50] [--check] [--workers N] [--out DIR] [--json FILE]

1. ``nasab simulate --families F --remains R`` (TSV) into ``--out``.
2. (Re)creates the database named in --database-url (its name must start with
   ``nasab_match``: it is dropped and made again), migrates it, and times
   ``import_simulation``, ``run_matching`` (the full compiled run) and ``export_candidates``.
3. ``--check``: runs ``nasab search`` on the same files and compares every pair and log10 LR.
4. Newly imported remains: ``--new-remains`` profiles (copies of simulated remains under new
   codes) saved one by one as a lab import does; the time from the save to the candidates
   being in the database (scored in the request against the compiled store).
5. Registry pages (Django test client in this process, PostgreSQL): p50 / p95 per page.

Targets (issue 15): full run < 10 min at 10,000 x 20,000; a new remains' candidates < 5 s;
pages < 200 ms at the 95th percentile. A benchmark, not a test: no assertion on time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--families", type=int, default=10_000, help="simulated families")
    p.add_argument("--remains", type=int, default=20_000, help="simulated remains")
    p.add_argument("--seed", type=int, default=15, help="simulation seed")
    p.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/nasab_match",
        help="PostgreSQL database to (re)create; its name must start with nasab_match",
    )
    p.add_argument("--new-remains", type=int, default=20, help="remains imported after the run")
    p.add_argument("--page-requests", type=int, default=50, help="requests per page")
    p.add_argument("--check", action="store_true", help="compare with nasab search")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes the full run compiles on (run_matching --workers; above 1: Dask)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("/tmp/registry_matching"),
        help="working directory (simulation, store, exports)",
    )
    p.add_argument("--json", type=Path, help="write the measurements here")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database and store of an earlier run: measure the new "
        "remains and the pages only",
    )
    return p.parse_args(argv)


def recreate(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name.startswith("nasab_match"):
        sys.exit("nasab: error: --database-url: the database name must start with nasab_match")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main(argv=None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    sim = args.out / "sim"
    sys.path[:0] = [str(REPO / "src"), str(REPO / "web")]
    out: dict = {"families": args.families, "remains": args.remains, "workers": args.workers}
    t = time.perf_counter()
    if not (sim / "families.tsv").exists():
        from nasab.sim.simulate import simulate

        simulate(args.families, args.remains, args.seed, sim, formats=("tsv",))
    out["simulate_s"] = round(time.perf_counter() - t, 1)
    if not args.reuse:
        recreate(args.database_url)
    os.environ.update(
        DATABASE_URL=args.database_url,
        NASAB_VAR_DIR=str(args.out / "var"),
        NASAB_SEARCH_STORE=str(args.out / "store"),
        NASAB_ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
        DJANGO_SETTINGS_MODULE="nasab_site.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    def cpu() -> float:
        import resource

        me, kids = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def timed(name, *cmd):
        # wall and CPU seconds (this process and its finished children: the Dask workers,
        # the forked counter): on a shared machine the CPU time is what the step costs
        t0, c0 = time.perf_counter(), cpu()
        call_command(*cmd)
        out[name] = round(time.perf_counter() - t0, 1)
        out[name.replace("_s", "_cpu_s")] = round(cpu() - c0, 1)
        print(f"{name}: {out[name]} s wall, {out[name.replace('_s', '_cpu_s')]} s CPU", flush=True)

    from identification.models import MatchCandidate

    if not args.reuse:
        timed("import_s", "import_simulation", str(sim))
        timed("full_run_s", "run_matching", "--quiet", "--workers", str(args.workers))
        timed("export_s", "export_candidates", str(args.out / "candidates.tsv"))
        if args.check:
            check(args, sim, out)
    out["candidates"] = MatchCandidate.objects.filter(current=True).count()
    incremental(args, out)
    pages(args, out)
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


def check(args, sim, out) -> None:
    import csv

    from nasab.search.run import SearchConfig, run_search

    t0 = time.perf_counter()
    run_search(
        SearchConfig(
            sim / "families.tsv",
            sim / "remains.tsv",
            args.out / "search.tsv",
            freqs=sim / "freqs.txt",
        )
    )
    out["nasab_search_s"] = round(time.perf_counter() - t0, 1)
    print(f"nasab search on the same files: {out['nasab_search_s']} s", flush=True)

    def read(p):
        with open(p, encoding="utf-8") as fh:
            return {
                (r["remain_id"], r["family_id"], r["missing_id"]): float(r["log10_lr"])
                for r in csv.DictReader(fh, delimiter="\t")
            }

    a, b = read(args.out / "search.tsv"), read(args.out / "candidates.tsv")
    out["same_pairs"] = set(a) == set(b)
    out["max_abs_diff_log10_lr"] = max((abs(a[k] - b[k]) for k in a.keys() & b.keys()), default=0)
    print(
        f"agreement: same pairs {out['same_pairs']}, max |dlog10 LR| "
        f"{out['max_abs_diff_log10_lr']:.2e}",
        flush=True,
    )


def incremental(args, out) -> None:
    from django.db import transaction

    from fieldwork.models import RemainsUnit, Sample
    from identification import compiled
    from identification.models import MatchCandidate
    from lab.models import DNAProfile, QualityStatus

    user = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
    importer = user.objects.get(username="simulation-import")
    sources = list(
        MatchCandidate.objects.filter(current=True)
        .select_related("remains")
        .order_by("pk")[: args.new_remains]
    )
    times, found = [], 0
    for i, c in enumerate(sources):
        markers = DNAProfile.objects.filter(sample__remains=c.remains).first().markers
        code = f"BENCH-{i}-{os.getpid()}"
        unit = RemainsUnit.objects.create(
            code=code, site=c.remains.site, label_at_discovery=code, completeness="partial"
        )
        sample = Sample.objects.create(
            barcode=f"{code}-S1", kind="bone", skeletal_element="femur", remains=unit
        )
        t0 = time.perf_counter()
        with transaction.atomic():  # the lab import's transaction; scoring runs on commit
            DNAProfile.objects.create(
                sample=sample,
                markers=markers,
                kit="k",
                lab="bench",
                quality_status=QualityStatus.ACCEPTED,
                source_file_name="bench.tsv",
                source_sha256=hashlib.sha256(code.encode()).hexdigest(),
                source_line=2,
                imported_by=importer,
            )
        times.append(time.perf_counter() - t0)
        found += MatchCandidate.objects.filter(remains=unit).exists()
    compiled.process_pending()
    if times:
        out["new_remains_s_median"] = round(statistics.median(times), 3)
        out["new_remains_s_max"] = round(max(times), 3)
        out["new_remains_with_candidates"] = f"{found}/{len(times)}"
        print(
            f"new remains: median {out['new_remains_s_median']} s, max "
            f"{out['new_remains_s_max']} s, candidates for {found}/{len(times)}",
            flush=True,
        )


def pages(args, out) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.roles import Role, ensure_groups
    from identification.models import MatchCandidate
    from registry.models import MissingPerson

    groups = ensure_groups()
    user, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
    user.groups.add(groups[Role.REVIEWER])
    client = Client()
    client.force_login(user)
    # the reviewer's second factor, as the TOTP step leaves it in the session (django-otp):
    # the pages are timed through the same middleware as in production
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts import second_factor

    device = second_factor.enrol_with_key(user, "3132333435363738393031323334353637383930")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    c = MatchCandidate.objects.filter(current=True).first()
    person = MissingPerson.objects.exclude(external_family_id="").first()
    urls = {
        "candidates": "/matches/",
        "candidate": f"/matches/{c.pk}/" if c else None,
        "search": "/matches/search/",
        "settings": "/matches/settings/",
        "person": f"/registry/{person.case_number}/",
        "persons": "/registry/",
    }
    out["pages_ms"] = {}
    for name, url in urls.items():
        if url is None:
            continue
        times = []
        for _ in range(args.page_requests):
            t0 = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (url, r.status_code)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        out["pages_ms"][name] = {"p50": round(statistics.median(times), 1), "p95": round(p95, 1)}
        print(f"page {name}: p50 {out['pages_ms'][name]['p50']} ms, p95 {p95:.1f} ms", flush=True)


if __name__ == "__main__":
    sys.exit(main())
