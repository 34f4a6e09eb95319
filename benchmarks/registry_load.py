"""Load test of the registry's pages: a large synthetic programme behind gunicorn + PostgreSQL.

    .venv/bin/python benchmarks/registry_load.py [--persons 10000] [--remains 20000]
        [--database-url postgres://postgres@127.0.0.1:5432/nasab_load] [--workers 3]
        [--concurrency 4] [--requests 200] [--max-seconds 300] [--out load.json] [--keep]

1. (Re)creates the database named in --database-url (its name must start with
   ``nasab_load``: it is dropped and made again), migrates it and fills it with bulk_create:
   missing persons with relatives, grave sites, remains units, samples, DNA profiles, match
   candidates. All synthetic; nothing real.
2. Starts gunicorn on 127.0.0.1 (NASAB_DEBUG=0, persistent database connections).
3. Logs in as a reviewer from each client thread and requests each page --requests times
   with --concurrency threads (bounded by count and --max-seconds), loopback only.
4. Prints p50 / p95 / max per page (milliseconds) and writes them as JSON to --out.

Target: p95 < 200 ms for every page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlparse

REPO = Path(__file__).resolve().parents[1]
WEB = REPO / "web"
PASSWORD = "load test password 1 (synthetic)"
GIVEN = [
    "Samer",
    "Nabil",
    "Omar",
    "Khaled",
    "Fadi",
    "Rami",
    "Hassan",
    "Ali",
    "Yusuf",
    "Tarek",
    "Maher",
    "Ziad",
    "Bassel",
    "Nour",
    "Lina",
    "Rana",
    "Huda",
    "Salma",
    "Maya",
    "Dima",
]
GIVEN_AR = [
    "سامر",
    "نبيل",
    "عمر",
    "خالد",
    "فادي",
    "رامي",
    "حسن",
    "علي",
    "يوسف",
    "طارق",
    "ماهر",
    "زياد",
    "باسل",
    "نور",
    "لينا",
    "رنا",
    "هدى",
    "سلمى",
    "مايا",
    "ديما",
]
FAMILY = [
    "al-Najjar",
    "al-Khabbaz",
    "Haddad",
    "al-Halabi",
    "Sabbagh",
    "al-Masri",
    "Darwish",
    "Kurdi",
]
FAMILY_AR = ["النجار", "الخباز", "حداد", "الحلبي", "صباغ", "المصري", "درويش", "كردي"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/nasab_load")
    p.add_argument("--persons", type=int, default=10_000)
    p.add_argument("--remains", type=int, default=20_000)
    p.add_argument("--sites", type=int, default=200)
    p.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    p.add_argument("--concurrency", type=int, default=4, help="client threads")
    p.add_argument("--requests", type=int, default=200, help="requests per page")
    p.add_argument("--max-seconds", type=float, default=300, help="stop measuring after this")
    p.add_argument("--port", type=int, default=0, help="default: a free port")
    p.add_argument("--out", type=Path, help="write the results as JSON here")
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p.add_argument(
        "--reuse", action="store_true", help="use the database as it is (filled before with --keep)"
    )
    return p.parse_args(argv)


# ---------------------------------------------------------------- database


def recreate_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name.startswith("nasab_load"):
        sys.exit(
            f"refusing to drop {name!r}: the load test's database name must start with 'nasab_load'"
        )
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nasab_site.settings")
    for path in (str(WEB), str(REPO / "src")):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def fill(n_persons: int, n_remains: int, n_sites: int) -> dict:
    """Bulk-create the synthetic programme; returns ids the page list needs."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from accounts.roles import Role, ensure_groups
    from fieldwork import services as field_services
    from fieldwork.models import GraveSite, RemainsUnit, Sample, SiteStage
    from identification.models import MatchCandidate
    from lab.models import DNAProfile, QualityStatus
    from registry.models import MissingPerson, Relative

    rng = random.Random(20260101)
    call_command("migrate", verbosity=0)
    groups = ensure_groups()
    reviewer = User.objects.create_user("load-reviewer", password=PASSWORD)
    reviewer.groups.add(groups[Role.REVIEWER])
    field = User.objects.create_user("load-field", password=PASSWORD)
    field.groups.add(groups[Role.FIELD])

    persons = []
    for i in range(1, n_persons + 1):
        g, f, fam = rng.randrange(20), rng.randrange(20), rng.randrange(8)
        persons.append(
            MissingPerson(
                case_number=f"MP-{i:06d}",
                name_ar=f"{GIVEN_AR[g]} {GIVEN_AR[f]} {FAMILY_AR[fam]}",
                name_latin=f"{GIVEN[g]} {GIVEN[f]} {FAMILY[fam]}",
                given_name=GIVEN[g],
                father_name=GIVEN[f],
                family_name=FAMILY[fam],
                sex=rng.choice("MF"),
                birth_year=rng.randrange(1950, 2005),
            )
        )
    persons = MissingPerson.objects.bulk_create(persons, batch_size=2000)
    relatives = [
        Relative(
            person=p,
            name_ar=f"والد {p.name_ar}",
            name_latin=f"Father of {p.name_latin}",
            sex="M",
            claimed_relationship="father",
        )
        for p in persons[: n_persons // 2]
    ]
    Relative.objects.bulk_create(relatives, batch_size=2000)

    sites = GraveSite.objects.bulk_create(
        [
            GraveSite(
                code=f"GS-L{i:04d}",
                name=f"Load site {i}",
                governorate="hama",
                stage=SiteStage.EXCAVATING,
            )
            for i in range(1, n_sites + 1)
        ]
    )
    # One remains unit through the services (a real custody entry), the rest in bulk.
    first = field_services.register_remains(
        RemainsUnit(
            code="GS-L0001-R00001", site=sites[0], label_at_discovery="B1", completeness="partial"
        ),
        user=field,
        place="Trench 1",
    )
    remains = [
        RemainsUnit(
            code=f"{sites[i % n_sites].code}-R{i + 1:05d}",
            site=sites[i % n_sites],
            label_at_discovery=f"B{i + 1}",
            completeness="partial",
        )
        for i in range(1, n_remains)
    ]
    remains = [first] + RemainsUnit.objects.bulk_create(remains, batch_size=2000)
    n_samples = min(len(remains), 5000)
    samples = Sample.objects.bulk_create(
        [
            Sample(barcode=f"{r.code}-S1", kind="bone", skeletal_element="femur", remains=r)
            for r in remains[:n_samples]
        ],
        batch_size=2000,
    )
    markers = ["D3S1358", "vWA", "FGA", "TH01", "D8S1179", "D21S11", "D18S51", "D5S818"]
    DNAProfile.objects.bulk_create(
        [
            DNAProfile(
                sample=s,
                markers={
                    m: sorted([str(rng.randrange(8, 20)), str(rng.randrange(8, 20))])
                    for m in markers
                },
                kit="load kit",
                lab="load lab",
                quality_status=QualityStatus.ACCEPTED,
                source_file_name="load.tsv",
                source_sha256=f"{i:064x}",
                source_line=i + 2,
                imported_by=reviewer,
            )
            for i, s in enumerate(samples)
        ],
        batch_size=2000,
    )
    candidates = MatchCandidate.objects.bulk_create(
        [
            MatchCandidate(
                remains=remains[i],
                person=persons[rng.randrange(n_persons)],
                likelihood_ratio=10 ** rng.uniform(0, 12),
                prior=1 / n_persons,
                posterior=rng.random(),
                engine_version="nasab load",
                frequency_table="load",
                frequency_table_version="sha256:0",
            )
            for i in range(min(2000, len(remains)))
        ],
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "person": persons[n_persons // 2].case_number,
        "site": sites[0].code,
        "remains": first.code,
        "candidate": candidates[0].pk,
        "profile": "first",
        "sample": samples[0].barcode,
    }


# ---------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = dict(
        os.environ,
        DATABASE_URL=url,
        NASAB_DEBUG="0",
        NASAB_SECRET_KEY=secrets.token_hex(32),
        NASAB_ALLOWED_HOSTS="127.0.0.1",
        NASAB_DB_CONN_MAX_AGE="600",
        # the pages are measured, not the log-in: no TOTP step for the load reviewer
        NASAB_REQUIRE_SECOND_FACTOR="0",
        PYTHONPATH=os.pathsep.join([str(WEB), str(REPO / "src")]),
    )
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "nasab_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--chdir",
            str(WEB),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
    proc.terminate()
    sys.exit("gunicorn did not answer within 30 s")


# ---------------------------------------------------------------- client


class Client:
    """One logged-in user over one keep-alive connection; cookies handled by hand (the
    production cookies are Secure, which a cookie jar would not send over plain HTTP)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")

    def login(self, username: str) -> None:
        _, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "POST",
            "/login/",
            urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}),
        )
        if status != 302:
            sys.exit(f"login as {username} failed ({status})")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def measure(port: int, pages: dict[str, str], n: int, concurrency: int, max_seconds: float) -> dict:
    clients = []
    for _ in range(concurrency):
        client = Client(port)
        client.login("load-reviewer")
        clients.append(client)
    results = {}
    started = time.time()
    for name, path in pages.items():
        for client in clients:  # warm-up: one request per connection
            status, _ = client.request("GET", path)
            if status != 200:
                sys.exit(f"{name} ({path}) answered {status}")
        per_client = [
            n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)
        ]

        def run(index: int, path=path, per_client=per_client) -> list[tuple[float, int]]:
            out = []
            for _ in range(per_client[index]):
                if time.time() - started > max_seconds:
                    break
                t0 = time.perf_counter()
                status, _ = clients[index].request("GET", path)
                out.append(((time.perf_counter() - t0) * 1000, status))
            return out

        t0 = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            samples = [s for chunk in pool.map(run, range(concurrency)) for s in chunk]
        elapsed = time.perf_counter() - t0
        times = [ms for ms, _ in samples]
        if not times:
            break
        results[name] = {
            "path": path,
            "requests": len(times),
            "errors": sum(s != 200 for _, s in samples),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1),
            "req_per_s": round(len(times) / elapsed, 1),
        }
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    host = urlparse(args.database_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the load test runs against a local database only")
    t0 = time.time()
    if not args.reuse:
        recreate_database(args.database_url)
    django_setup(args.database_url)
    if args.reuse:
        from identification.models import MatchCandidate
        from registry.models import MissingPerson

        ids = {
            "person": MissingPerson.objects.order_by("pk")[args.persons // 2].case_number,
            "site": "GS-L0001",
            "remains": "GS-L0001-R00001",
            "candidate": MatchCandidate.objects.order_by("pk").first().pk,
        }
    else:
        ids = fill(args.persons, args.remains, args.sites)
    from lab.models import DNAProfile

    profile = DNAProfile.objects.order_by("pk").first().pk
    fill_seconds = time.time() - t0
    print(
        f"database ready in {fill_seconds:.1f} s: {args.persons} missing persons, {args.remains} remains"
    )
    from django.db import connections

    connections.close_all()
    pages = {
        "dashboard": "/",
        "missing persons (list)": "/registry/",
        "missing persons (search)": "/registry/?q=Samer",
        "missing person": f"/registry/{ids['person']}/",
        "grave sites": "/field/sites/",
        "grave site": f"/field/sites/{ids['site']}/",
        "remains unit": f"/field/remains/{ids['remains']}/",
        "custody log": f"/custody/object/{ids['remains']}/",
        "match candidates": "/matches/",
        "match candidate": f"/matches/{ids['candidate']}/",
        "DNA profiles": "/lab/profiles/",
        "DNA profile": f"/lab/profiles/{profile}/",
    }
    port = args.port or free_port()
    server = start_gunicorn(args.database_url, port, args.workers)
    try:
        results = measure(port, pages, args.requests, args.concurrency, args.max_seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if not args.keep:
            connections.close_all()
            drop_database(args.database_url)
    width = max(len(n) for n in results)
    print(
        f"\n{args.concurrency} concurrent clients, gunicorn {args.workers} workers, PostgreSQL; "
        f"{os.cpu_count()} CPUs shared by client and server"
    )
    print(f"{'page':{width}}  requests  errors   p50 ms   p95 ms   max ms   req/s")
    for name, r in results.items():
        flag = "" if r["p95_ms"] < 200 else "  > 200 ms"
        print(
            f"{name:{width}}  {r['requests']:8d}  {r['errors']:6d}  {r['p50_ms']:7.1f}  {r['p95_ms']:7.1f}"
            f"  {r['max_ms']:7.1f}  {r['req_per_s']:6.1f}{flag}"
        )
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "persons": args.persons,
                    "remains": args.remains,
                    "workers": args.workers,
                    "concurrency": args.concurrency,
                    "fill_seconds": round(fill_seconds, 1),
                    "pages": results,
                },
                indent=2,
            )
        )
    slow = [n for n, r in results.items() if r["p95_ms"] >= 200 or r["errors"]]
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
