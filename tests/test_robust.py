"""Issue 13: files and numbers a lab can trust.

Outputs written atomically and together, checked before the work; output = input refused;
JSON inputs checked field by field; unknown marker columns; likelihoods that cannot
underflow; strict JSON; contractions refused above the memory limit before they run; child
processes that end with their parent; one error prefix.
"""

from __future__ import annotations

import errno
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nasab.cli import main
from nasab.engine.output import AtomicGroup, OutputError, check_writable
from nasab.engine.strict_json import dumps_strict, parse_strict

FIXTURE_CASE = Path(__file__).parent / "familias" / "fixtures" / "missing_person_case"

PED = "id\tfid\tmid\tsex\tM1\tM2\nFA\t0\t0\t1\t1/2\t5/6\nMO\t0\t0\t2\t-/-\t-/-\nMP\tFA\tMO\t1\t-/-\t-/-\n"
POI = "id\tM1\tM2\nPOI\t1/3\t5/5\n"


def _freqs(p: float) -> str:
    rest = (1.0 - p) / 3
    return f"M1\n1\t{p!r}\n2\t{rest!r}\n3\t{rest!r}\n4\t{rest!r}\n\nM2\n5\t0.5\n6\t0.5\n"


def _lr_files(tmp: Path, p: float = 0.1, poi: str = POI) -> list[str]:
    (tmp / "f.ped").write_text(PED)
    (tmp / "poi.tsv").write_text(poi)
    (tmp / "fr.txt").write_text(_freqs(p))
    return [
        "lr",
        "--ped",
        str(tmp / "f.ped"),
        "--poi",
        str(tmp / "poi.tsv"),
        "--freqs",
        str(tmp / "fr.txt"),
        "--missing",
        "MP",
    ]


def _one_error_line(err: str, *names: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("usage")]
    lines = [ln for ln in lines if not ln.startswith(" ")]
    assert lines and lines[-1].startswith("nasab: error: "), err
    assert "Traceback" not in err
    for n in names:
        assert n in lines[-1], (n, err)


# --- 4. numbers: tiny frequencies against the closed form, strict JSON --------------------
@pytest.mark.parametrize("p", [1e-53, 1e-60, 1e-100, 1e-200, 1e-300])
def test_tiny_frequencies_match_the_closed_form(tmp_path, capsys, p) -> None:
    """Father a/b, child (the POI) a/c, mother untyped, no mutation: LR = 1 / (4 p_a);
    M2: father 5/6, POI 5/5: LR = 1 / (2 p_5) = 1."""
    args = _lr_files(tmp_path, p)
    assert main([*args, "--mutation", "none", "--json"]) == 0
    out = parse_strict(capsys.readouterr().out)  # strict: no Infinity
    expected = -math.log10(4 * p)
    assert out["markers"]["M1"] == pytest.approx(expected, abs=1e-9)
    assert out["markers"]["M2"] == pytest.approx(0.0, abs=1e-12)
    assert out["log10LR"] == pytest.approx(expected, abs=1e-9)
    assert main([*args, "--mutation", "none"]) == 0  # the text report does not crash
    assert "Total" in capsys.readouterr().out


@pytest.mark.parametrize("p", [1e-60, 1e-100, 1e-200, 1e-300])
def test_tiny_frequency_homozygote_with_untyped_grandparents(tmp_path, capsys, p) -> None:
    """Father 1/1 (p_1 = p) with both his parents untyped: both grandparents carry the rare
    allele, p**2 in one intermediate (below the floating-point range at 1e-200); the POI
    (the MP, mother untyped) 1/3: LR = 1 / (2 p) exactly."""
    (tmp_path / "g.ped").write_text(
        "id\tfid\tmid\tsex\tM1\nGF\t0\t0\t1\t-/-\nGM\t0\t0\t2\t-/-\n"
        "FA\tGF\tGM\t1\t1/1\nMO\t0\t0\t2\t-/-\nMP\tFA\tMO\t1\t-/-\n"
    )
    (tmp_path / "poi.tsv").write_text("id\tM1\nPOI\t1/3\n")
    rest = (1.0 - p) / 3
    (tmp_path / "fr.txt").write_text(f"M1\n1\t{p!r}\n2\t{rest!r}\n3\t{rest!r}\n4\t{rest!r}\n")
    args = ["lr", "--ped", str(tmp_path / "g.ped"), "--poi", str(tmp_path / "poi.tsv")]
    args += ["--freqs", str(tmp_path / "fr.txt"), "--missing", "MP", "--mutation", "none"]
    assert main([*args, "--json"]) == 0
    out = parse_strict(capsys.readouterr().out)
    assert out["log10LR"] == pytest.approx(-math.log10(2 * p), abs=1e-9)


def test_tiny_frequencies_with_mutation_are_finite(tmp_path, capsys) -> None:
    args = _lr_files(tmp_path, 1e-100, poi="id\tM1\tM2\nPOI\t3/4\t5/5\n")
    assert main([*args, "--mutation", "equal", "--rate", "0.001", "--json"]) == 0
    out = parse_strict(capsys.readouterr().out)
    assert math.isfinite(out["log10LR"])


def test_exclusion_is_strict_json(tmp_path, capsys) -> None:
    args = _lr_files(tmp_path, 0.1, poi="id\tM1\tM2\nPOI\t3/4\t5/5\n")
    assert main([*args, "--mutation", "none", "--json"]) == 0
    out = parse_strict(capsys.readouterr().out)
    assert out["log10LR"] == "-Inf" and out["markers"]["M1"] == "-Inf" and out["LR"] == 0


def test_dumps_strict_guards() -> None:
    assert (
        dumps_strict({"a": math.inf, "b": [-math.inf, 1.0]}) == '{"a": "Inf", "b": ["-Inf", 1.0]}'
    )
    with pytest.raises(ValueError):
        parse_strict('{"a": Infinity}')


# --- 5. memory: refused in advance ------------------------------------------------------
def _big_loop_pedigree(path: Path) -> None:
    """200 persons in 10 generations, parents drawn at random from the generation before
    (many loops), generations 5-9 typed."""
    import random

    rnd = random.Random(3)
    lines = ["id\tfid\tmid\tsex\tD3S1358\tTH01"]
    gen = []
    for i in range(20):
        lines.append(f"G0_{i}\t0\t0\t{1 + i % 2}\t-/-\t-/-")
        gen.append((f"G0_{i}", 1 + i % 2))
    for g in range(1, 10):
        males = [p for p, s in gen if s == 1]
        females = [p for p, s in gen if s == 2]
        new = []
        for i in range(20):
            typed = "14/15\t6/7" if g >= 5 else "-/-\t-/-"
            lines.append(
                f"G{g}_{i}\t{rnd.choice(males)}\t{rnd.choice(females)}\t{1 + i % 2}\t{typed}"
            )
            new.append((f"G{g}_{i}", 1 + i % 2))
        gen = new
    lines.append(f"MP\t{gen[0][0]}\t{gen[1][0]}\t1\t-/-\t-/-")
    path.write_text("\n".join(lines) + "\n")


def test_over_large_pedigree_refused_in_advance(tmp_path) -> None:
    """A 200-person pedigree with many loops: refused before the contraction runs (a whole
    process, so that the memory it used can be read: far below the refused table)."""
    _big_loop_pedigree(tmp_path / "big.ped")
    (tmp_path / "poi.tsv").write_text("id\tD3S1358\tTH01\nPOI\t14/16\t6/9.3\n")
    code = textwrap.dedent(f"""
        import sys
        from nasab.cli import main
        rc = main(["lr", "--ped", {str(tmp_path / "big.ped")!r}, "--poi",
                   {str(tmp_path / "poi.tsv")!r}, "--missing", "MP"])
        # VmHWM: this process's own peak (ru_maxrss would carry the forking parent's)
        hwm = [ln.split()[1] for ln in open("/proc/self/status") if ln.startswith("VmHWM")]
        print("maxrss_kb", hwm[0], file=sys.stderr)
        sys.exit(rc)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("NASAB_MAX_MEMORY_MB", None)
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
    )
    assert r.returncode == 2, r.stderr
    err = [ln for ln in r.stderr.splitlines() if ln.startswith("nasab: error")]
    assert len(err) == 1 and "marker D3S1358" in err[0] and "refused before it runs" in err[0]
    assert "NASAB_MAX_MEMORY_MB" in err[0]
    rss_kb = int(r.stderr.split("maxrss_kb")[1].split()[0])
    assert rss_kb < 1_500_000  # never near the table it refused (7 GB before the fix)


def test_memory_limit_is_settable(tmp_path, capsys, monkeypatch) -> None:
    args = _lr_files(tmp_path)
    monkeypatch.setenv("NASAB_MAX_MEMORY_MB", "0.00001")
    assert main([*args, "--mutation", "none"]) == 2
    _one_error_line(capsys.readouterr().err, "marker M1", "NASAB_MAX_MEMORY_MB")
    monkeypatch.setenv("NASAB_MAX_MEMORY_MB", "lots")
    assert main([*args, "--mutation", "none"]) == 2
    _one_error_line(capsys.readouterr().err, "NASAB_MAX_MEMORY_MB")
    monkeypatch.delenv("NASAB_MAX_MEMORY_MB")
    assert main([*args, "--mutation", "none"]) == 0


# --- 1. outputs ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def simulated(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sim")
    assert (
        main(
            [
                "simulate",
                "--families",
                "4",
                "--remains",
                "6",
                "--seed",
                "2",
                "--out",
                str(d),
                "--format",
                "tsv",
            ]
        )
        == 0
    )
    return d


def _search(d: Path, out: Path, *extra: str) -> list[str]:
    return [
        "search",
        "--families",
        str(d / "families.tsv"),
        "--remains",
        str(d / "remains.tsv"),
        "--freqs",
        str(d / "freqs.txt"),
        "--out",
        str(out),
        "--threshold",
        "1",
        "--quiet",
        "--mutation",
        "proportional",
        *extra,
    ]


def test_search_model_records_the_matches_sha256(simulated, tmp_path) -> None:
    import hashlib

    out = tmp_path / "m.tsv"
    assert main(_search(simulated, out)) == 0
    meta = parse_strict((tmp_path / "m.tsv.model.json").read_text())
    assert meta["matches_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert meta["matches_file"] == "m.tsv"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_injected_write_error_leaves_both_old_files(
    simulated, tmp_path, capsys, monkeypatch
) -> None:
    """A full disk while writing: matches and model both keep their old content."""
    out = tmp_path / "m.tsv"
    side = tmp_path / "m.tsv.model.json"
    out.write_text("old matches\n")
    side.write_text("old model\n")
    real_fsync = os.fsync

    def fsync(fd):  # the disk fills up while the model sidecar is written
        if os.readlink(f"/proc/self/fd/{fd}").split("/")[-1].startswith(".m.tsv.model.json"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert main(_search(simulated, out)) == 2
    _one_error_line(capsys.readouterr().err, "cannot write", "m.tsv.model.json", "No space left")
    assert out.read_text() == "old matches\n" and side.read_text() == "old model\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.tsv", "m.tsv.model.json"]


def test_failed_rename_puts_back_the_group(tmp_path, monkeypatch) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    b.write_text("old b")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if str(dst) == str(b):
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with (
        pytest.raises(OutputError, match="cannot write .*b.txt: Input/output error"),
        AtomicGroup() as g,
    ):
        g.text(a, "new a")
        g.text(b, "new b")
    monkeypatch.setattr(os, "replace", real)
    assert a.read_text() == "old a" and b.read_text() == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_unwritable_folder_refused_before_the_work(
    simulated, tmp_path, capsys, monkeypatch
) -> None:
    """A read-only folder (simulated with an injected EROFS: the tests may run as root)."""
    import tempfile

    import nasab.search.run as run

    real = tempfile.mkstemp
    ro = tmp_path / "ro"
    ro.mkdir()

    def mkstemp(*a, dir=None, **kw):  # noqa: A002
        if dir is not None and Path(dir).resolve() == ro.resolve():
            raise OSError(errno.EROFS, "Read-only file system")
        return real(*a, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    started = []
    monkeypatch.setattr(run, "load_table", lambda *a: started.append(1) or 1 / 0)
    assert main(_search(simulated, ro / "m.tsv")) == 2
    _one_error_line(capsys.readouterr().err, "cannot write", "Read-only file system")
    assert not started  # refused before reading anything
    with pytest.raises(OutputError):
        check_writable(ro / "x", directory=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder(simulated, tmp_path, capsys) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert main(_search(simulated, ro / "m.tsv")) == 2
        _one_error_line(capsys.readouterr().err, "cannot write")
    finally:
        ro.chmod(0o700)


def test_out_equal_to_an_input_is_refused(simulated, tmp_path, capsys) -> None:
    rem = simulated / "remains.tsv"
    before = rem.read_bytes()
    assert main(_search(simulated, rem)) == 2
    _one_error_line(capsys.readouterr().err, "is the input")
    assert rem.read_bytes() == before
    assert (
        main(
            [
                "direct",
                "--remains",
                str(rem),
                "--out",
                str(simulated),
                "--freqs",
                str(simulated / "freqs.txt"),
            ]
        )
        == 0
    )  # other names: allowed
    capsys.readouterr()
    (tmp_path / "d").mkdir()
    pairs = tmp_path / "d" / "direct_pairs.tsv"
    pairs.write_bytes(before)
    assert main(["direct", "--remains", str(pairs), "--out", str(tmp_path / "d")]) == 2
    _one_error_line(capsys.readouterr().err, "is the input")
    assert pairs.read_bytes() == before
    assert (
        main(
            [
                "simulate",
                "--families",
                "2",
                "--remains",
                "2",
                "--out",
                str(simulated),
                "--freqs",
                str(simulated / "freqs.txt"),
            ]
        )
        == 2
    )
    _one_error_line(capsys.readouterr().err, "is the input")


def test_dedup_out_equal_to_reports_refused(tmp_path, capsys) -> None:
    reports = tmp_path / "reports.csv"
    reports.write_text("report_id,given_name\nA,x\n")
    assert main(["dedup", "--reports", str(reports), "--out", str(reports)]) == 2
    _one_error_line(capsys.readouterr().err, "is the input")
    assert reports.read_text() == "report_id,given_name\nA,x\n"


def test_familias_export_write_error(tmp_path, capsys) -> None:
    fixture = Path(__file__).parent / "familias" / "fixtures" / "missing_person_case"
    out = tmp_path / "no" / "x.fam"
    (tmp_path / "no").write_text("a file, not a folder")
    assert main(["familias", "export", "--case", str(fixture), "--out", str(out)]) == 2
    _one_error_line(capsys.readouterr().err, "cannot write")


# --- 2. JSON inputs -----------------------------------------------------------------------
def _case(tmp_path: Path, **change) -> Path:
    src = Path(__file__).parent / "familias" / "fixtures" / "missing_person_case"
    dst = tmp_path / "case"
    dst.mkdir(exist_ok=True)
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    meta = json.loads((src / "case.json").read_text())
    for path, value in change.items():
        keys = path.split("__")
        obj = meta
        for k in keys[:-1]:
            obj = obj[k]
        if value is KeyError:
            del obj[keys[-1]]
        else:
            obj[keys[-1]] = value
    (dst / "case.json").write_text(json.dumps(meta))
    return dst


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"markers__TH01__rate": KeyError}, "markers.TH01.rate"),
        ({"markers__TH01__model": KeyError}, "markers.TH01.model"),
        ({"markers__TH01__rate2": "x"}, "markers.TH01.rate2"),
        ({"markers__TH01__rate": {"female": 0.1}}, "markers.TH01.rate.male"),
        ({"markers__TH01": KeyError}, "markers"),
        ({"markers": KeyError}, "markers"),
        ({"marker_order": {}}, "marker_order"),
        ({"marker_order": [1, 2]}, "marker_order[0]"),
        ({"poi_sex": "male"}, "poi_sex"),
        ({"theta": "0.01"}, "theta"),
        ({"missing": 7}, "missing"),
        ({"markers__TH01__model": "zigzag"}, "markers.TH01.model"),
    ],
)
def test_case_json_fields_checked(tmp_path, capsys, change, field) -> None:
    folder = _case(tmp_path, **change)
    for cmd in (["lr", "--case", str(folder)], ["power", "--case", str(folder), "--nsim", "100"]):
        assert main(cmd) == 2
        _one_error_line(capsys.readouterr().err, "case.json", f"'{field}'")


def test_dvi_json_fields_checked(tmp_path, capsys) -> None:
    d = tmp_path / "dvi"
    (d / "families").mkdir(parents=True)
    (d / "families" / "F1.ped").write_text(
        "id\tfid\tmid\tsex\tM1\nFA\t0\t0\t1\t1/2\nMP\tFA\t0\t1\t-/-\n".replace(
            "MP\tFA\t0", "MO\t0\t0\t2\t-/-\nMP\tFA\tMO"
        )
    )
    (d / "victims.tsv").write_text("id\tM1\nV1\t1/1\n")
    (d / "freqs.txt").write_text("M1\n1\t0.5\n2\t0.5\n")
    good = {
        "families": {"F1": {"missing": ["MP"]}},
        "markers": {"M1": {"model": "none"}},
        "marker_order": ["M1"],
    }
    for bad, field in (
        ({"families": {"F1": {"missing": 3}}}, "families.F1.missing"),
        ({"families": []}, "families"),
        ({"victims": {"V1": {"sex": "f"}}}, "victims.V1.sex"),
        ({"markers": {"M1": {"model": "equal"}}}, "markers.M1.rate"),
        ({"markers": {}}, "markers"),
    ):
        (d / "dvi.json").write_text(json.dumps({**good, **bad}))
        assert main(["joint", "--dvi", str(d)]) == 2
        _one_error_line(capsys.readouterr().err, "dvi.json", f"'{field}'")
    (d / "dvi.json").write_text(json.dumps(good))
    assert main(["joint", "--dvi", str(d), "--json"]) == 0
    parse_strict(capsys.readouterr().out)


# --- 3. unknown marker columns ----------------------------------------------------------
def test_misspelt_marker_column_is_an_error(tmp_path, capsys) -> None:
    args = _lr_files(tmp_path, poi="id\tM1\tM2\tTPXO\nPOI\t1/3\t5/5\t8/8\n")
    assert main(args) == 2
    _one_error_line(capsys.readouterr().err, "poi.tsv", "TPXO", "--ignore-unknown-markers")
    assert main([*args, "--ignore-unknown-markers", "--json"]) == 0
    cap = capsys.readouterr()
    assert "nasab: warning:" in cap.err and "TPXO" in cap.err
    assert parse_strict(cap.out)["markers_compared"] == 2


# --- 6. processes -------------------------------------------------------------------------
def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process checks")
def test_sigkill_of_the_parent_leaves_no_child(tmp_path) -> None:
    """The counting process of a one-process search (the same executor set-up, started
    fresh) ends when its parent is killed with SIGKILL."""
    code = textwrap.dedent("""
        import multiprocessing as mp, os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from nasab.search.processes import die_with_parent
        pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"),
                                   initializer=die_with_parent, initargs=(os.getpid(),))
        print(pool.submit(os.getpid).result(), flush=True)
        time.sleep(600)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    child = int(parent.stdout.readline())
    assert _alive(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(200):  # wait for the kernel to deliver (not a timing assertion)
        if not _alive(child):
            break
        time.sleep(0.05)
    alive = _alive(child)
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process checks")
def test_sigkill_of_the_parent_leaves_no_dask_worker(tmp_path) -> None:
    """The local Dask cluster of ``search --workers N`` (nasab.search.scale.local_cluster):
    SIGKILL of the parent while both workers are busy in a call that holds the GIL (so that
    no watchdog thread of theirs could run) leaves no process behind."""
    pytest.importorskip("dask.distributed")
    code = textwrap.dedent("""
        import os, re, time
        from nasab.search.scale import local_cluster
        cluster, client = local_cluster(2)
        pids = client.run(os.getpid)
        busy = [client.submit(re.match, r"(a+)+$", "a" * 60 + "b", pure=False, workers=[w])
                for w in pids]
        while sum(len(v) for v in client.processing().values()) < len(pids):
            time.sleep(0.05)
        print(" ".join(str(p) for p in pids.values()), flush=True)
        time.sleep(600)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    workers = [int(p) for p in parent.stdout.readline().split()]
    below = _descendants(parent.pid)
    assert len(workers) == 2 and set(workers) <= set(below)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(400):  # wait for the kernel to deliver (not a timing assertion)
        if not any(_alive(p) for p in below):
            break
        time.sleep(0.05)
    alive = [p for p in below if _alive(p)]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    assert not alive


# --- 7. one error prefix, short values ----------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["lr", "--theta", "0.9"],
        ["joint", "--dvi", "/nonexistent", "--theta", "x"],
        ["power", "--nsim", "x"],
        ["search", "--families", "a", "--remains", "b", "--out", "c", "--threshold", "-1"],
    ],
)
def test_one_error_prefix_for_usage_errors(argv, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "nasab: error:" in err and "nasab lr: error" not in err
    assert "nasab joint: error" not in err and "nasab power: error" not in err


def test_long_values_shortened(tmp_path, capsys) -> None:
    args = _lr_files(tmp_path, poi="id\tM1\tM2\nPOI\t" + "9" * 5000 + "/1\t5/5\n")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err) < 1200 and err.count("\n") == 1


def test_deprecated_flags_still_work(simulated, tmp_path, capsys) -> None:
    out = tmp_path / "m.tsv"
    assert (
        main([*_search(simulated, out), "--mutation-range", "0.4", "--mutation-rate", "0.002"]) == 0
    )
    err = capsys.readouterr().err
    assert "--mutation-range is deprecated" in err and "--mutation-rate is deprecated" in err
    meta = parse_strict((tmp_path / "m.tsv.model.json").read_text())
    assert meta["default_mutation_rate"] == 0.002


# --- strict JSON of every --json output ---------------------------------------------------
def test_every_json_output_is_strict(simulated, tmp_path, capsys) -> None:
    fixture = Path(__file__).parent / "familias" / "fixtures" / "missing_person_case"
    for argv in (
        ["lr", "--case", str(fixture), "--json"],
        ["power", "--case", str(fixture), "--json", "--nsim", "100", "--no-candidates"],
        [
            "direct",
            "--remains",
            str(simulated / "remains.tsv"),
            "--out",
            str(tmp_path / "direct"),
            "--freqs",
            str(simulated / "freqs.txt"),
        ],
    ):
        assert main(argv) == 0, argv
        parse_strict(capsys.readouterr().out)
    parse_strict((simulated / "simulation.json").read_text())


# --- issue 12 item 3: one vocabulary, with help text and metavars -------------------------
SHARED = (
    "--mutation",
    "--rate",
    "--rate-female",
    "--rate-male",
    "--range",
    "--theta",
    "--dropout",
    "--dropin",
    "--threshold",
    "--freqs",
)
APPLIES = {
    "lr": set(SHARED) - {"--threshold"},
    "search": set(SHARED),
    "direct": {"--theta", "--dropout", "--dropin", "--threshold", "--freqs"},
    "joint": {
        "--mutation",
        "--rate",
        "--rate-female",
        "--rate-male",
        "--range",
        "--theta",
        "--threshold",
    },
    "power": {"--mutation", "--rate", "--rate-female", "--rate-male", "--range", "--freqs"},
}


@pytest.mark.parametrize("command", sorted(APPLIES))
def test_one_vocabulary_with_help_and_metavars(command) -> None:
    import argparse

    from nasab.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parser = sub.choices[command]
    options = {o: a for a in parser._actions for o in a.option_strings}
    assert APPLIES[command] <= set(options), APPLIES[command] - set(options)
    for a in parser._actions:
        if isinstance(a, argparse._HelpAction):
            continue
        assert a.help, (command, a.option_strings)
    text = parser.format_help()
    assert "RANGE_" not in text and "DEFAULT_RATE" not in text
    if "--mutation" in options:
        m = options["--mutation"]
        assert m.default is None  # resolved to the one default: stepwise, published rates
        assert list(m.choices) == ["stepwise", "proportional", "equal", "onestep", "none"]
        assert "stepwise at the published per-marker rates" in m.help.replace("\n", " ")


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\x07", "\ue000"])
def test_hidden_characters_in_allele_names_are_refused(char) -> None:
    """A bidirectional override shows "21" as "12": an allele name with an invisible or
    control character is refused where it is read, naming the file, line and code point."""
    from nasab.engine.errors import InputError
    from nasab.engine.genotypes import parse_genotype

    with pytest.raises(InputError, match=r"poi\.tsv, line 2.*invisible or control.*U\+"):
        parse_genotype(f"{char}12/13", file="poi.tsv", line=2)
    assert parse_genotype("12/13") == ("12", "13")


def test_hidden_characters_in_frequency_tables_are_refused(tmp_path) -> None:
    from nasab.engine.errors import InputError
    from nasab.engine.frequencies import read_frequencies

    path = tmp_path / "freqs.txt"
    path.write_text("D3S1358\n12\t0.5\n\u202e13\t0.5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"freqs\.txt, line 3: allele '\\u202e13'.*U\+202E"):
        read_frequencies(path)


def test_impossible_stepwise_rates_name_their_source(tmp_path, capsys) -> None:
    """rate + rate2 above 1 is refused where it is read: the case file's field, or the
    command line's options, never the frequency table that happens to be read next."""
    case = tmp_path / "case"
    shutil.copytree(FIXTURE_CASE, case)
    meta = json.loads((case / "case.json").read_text())
    meta["markers"]["TH01"]["rate"] = 1
    (case / "case.json").write_text(json.dumps(meta))
    assert main(["lr", "--case", str(case)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nasab: error:") and "case.json" in err and "TH01" in err, err
    assert main(["lr", "--case", str(FIXTURE_CASE), "--rate", "0.9", "--rate2", "0.2"]) == 2
    assert "'--rate/--rate2'" in capsys.readouterr().err


def test_proportional_rate_too_high_for_the_table_names_the_model_and_the_table(
    tmp_path, capsys
) -> None:
    """A proportional rate too high for a marker's frequencies (case.json FGA rate 1) named
    only the frequency table; now the case file's field (or the options) and the table,
    with the largest rate those frequencies allow — in lr and power alike."""
    case = tmp_path / "case"
    shutil.copytree(FIXTURE_CASE, case)
    meta = json.loads((case / "case.json").read_text())
    meta["markers"]["FGA"]["rate"] = 1
    (case / "case.json").write_text(json.dumps(meta))
    freqs = case / "freqs.txt"
    for argv in (["lr", "--case", str(case)], ["power", "--case", str(case), "--nsim", "100"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [
            f"nasab: error: {case / 'case.json'}, field 'markers.FGA': marker FGA: impossible "
            "proportional mutation matrix: rate 1.0 is too high (at most 0.9003 for the "
            f"frequencies of {freqs})"
        ], err
    argv = ["lr", "--case", str(FIXTURE_CASE), "--mutation", "proportional", "--rate", "0.95"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "field '--mutation/--rate': marker " in err[0], err
    assert "at most" in err[0] and "freqs.txt" in err[0], err


def test_pedigree_marker_missing_from_the_table_names_the_pedigree(tmp_path, capsys) -> None:
    case = tmp_path / "case"
    shutil.copytree(FIXTURE_CASE, case)
    ped = case / "pedigree.ped"
    ped.write_text(ped.read_text().replace("D3S1358", "x", 1))
    argv = ["lr", "--ped", str(ped), "--poi", str(case / "poi.tsv")]
    assert main([*argv, "--freqs", str(case / "freqs.txt"), "--missing", "MP"]) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln]
    assert err == [
        f"nasab: error: {ped}, field 'x': marker x is not in the frequency table "
        f"{case / 'freqs.txt'}"
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "--families", "3", "--remains", "3", "--out", "{tmp}/s", "--seed", "-1"],
        ["simulate", "--families", "99999999999", "--remains", "3", "--out", "{tmp}/s"],
        ["bench", "--families", "0", "--out", "{tmp}/b"],
        ["power", "--case", str(FIXTURE_CASE), "--seed", "-1"],
        ["power", "--case", str(FIXTURE_CASE), "--nsim", "999999999999"],
        ["power", "--case", str(FIXTURE_CASE), "--snp-panel", "{panel}", "--snp-nsim", "9" * 20],
        ["power", "--case", str(FIXTURE_CASE), "--snp-panel", "{panel}", "--snp-nsim", "5"],
        ["power", "--case", str(FIXTURE_CASE), "--snp-panel", "{panel}", "--snp-candidates", "-1"],
        ["snp", "power", "--ped", "{ped}", "--missing", "MP", "--reference", "FA"]
        + ["--panel", "{panel}", "--n", "9" * 20],
        ["joint", "--dvi", "{tmp}/dvi", "--max-incomp", "-1"],
        ["search", "--families", "f", "--remains", "r", "--out", "{tmp}/s", "--workers", "0"],
        ["search", "--families", "f", "--remains", "r", "--out", "{tmp}/s", "--chunk", "-1"],
        ["direct", "--remains", "r", "--out", "{tmp}/s", "--min-shared", "1" + "0" * 20],
    ],
)
def test_counts_and_seeds_out_of_range_are_usage_errors(argv, tmp_path, capsys) -> None:
    """A negative seed, a count no machine could draw: one line, exit 2, before any work
    (was a traceback from numpy — snp power --n, power --snp-nsim 10^20 — or a run that
    never ended; joint --max-incomp -1 excluded every pairing without a word)."""
    panel = tmp_path / "panel.tsv"
    panel.write_text("marker\tchromosome\tposition_bp\tcM_male\tcM_female\tcM_sexavg\t")
    panel.write_text(panel.read_text() + "allele\tfrequency\nrs1\t1\t1\t0\t0\t0\tA\t0.5\n")
    panel.write_text(panel.read_text() + "rs1\t1\t1\t0\t0\t0\tG\t0.5\n")
    values = {"{tmp}": str(tmp_path), "{panel}": str(panel)}
    values["{ped}"] = str(FIXTURE_CASE / "pedigree.ped")
    for k, v in values.items():
        argv = [a.replace(k, v) for a in argv]
    assert main(argv) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("nasab:")]
    assert len(err) == 1 and err[0].startswith("nasab: error: argument --"), err
    assert "is not a whole number from" in err[0]
    assert not (tmp_path / "s").exists() and not (tmp_path / "b").exists()


def test_unreachable_dask_scheduler_is_one_line(simulated, tmp_path, capsys, monkeypatch) -> None:
    """--dask with an address nobody answers: a run failure within the connect timeout,
    saying to check the address; nothing written."""
    from nasab.search import scale

    monkeypatch.setattr(scale, "CONNECT_S", 2)
    out = tmp_path / "m.tsv"
    argv = ["search", "--families", str(simulated / "families.tsv"), "--remains"]
    argv += [str(simulated / "remains.tsv"), "--freqs", str(simulated / "freqs.txt")]
    assert main([*argv, "--out", str(out), "--quiet", "--dask", "127.0.0.1:1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "127.0.0.1:1" in err[0] and "check the address" in err[0], err
    assert not out.exists()


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["lr", "--case", str(FIXTURE_CASE), "--min-freq", "0"], "--min-freq: 0 is not a freq"),
        (["lr", "--case", str(FIXTURE_CASE), "--min-freq", "-0"], "--min-freq: -0 is not a fr"),
        (["joint", "--dvi", "{dvi}", "--match-odds", "inf"], "--match-odds: inf is not a pos"),
        (["joint", "--dvi", "{dvi}", "--threshold", "1e309"], "--threshold: inf is not a pos"),
        (["joint", "--dvi", "{dvi}", "--threshold2", "nan"], "--threshold2: nan is not a pos"),
    ],
)
def test_numbers_that_would_give_infinite_or_nan_results_are_usage_errors(
    argv, needle, tmp_path, capsys
) -> None:
    """--min-freq 0 gave an unseen allele frequency 0 and an infinite LR (the table reader
    refuses a frequency 0); --match-odds inf made every posterior NaN; an infinite
    threshold selected nothing. Now one line, exit 2."""
    argv = [a.replace("{dvi}", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("nasab:")]
    assert len(err) == 1 and err[0].startswith("nasab: error: argument --"), err
    assert needle in err[0], err


@pytest.mark.parametrize("where", ["file", "file/sub"])
def test_demo_out_onto_a_file_is_one_line(where, tmp_path, capsys) -> None:
    """demo --out naming a file (or a folder under one): one line, exit 2, not a
    FileExistsError traceback from mkdir."""
    (tmp_path / "file").write_text("keep")
    assert main(["demo", "--out", str(tmp_path / where)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("nasab: error: cannot write "), err
    assert (tmp_path / "file").read_text() == "keep"


@pytest.mark.parametrize(
    "field, value, needle",
    [
        ("missing", "x", "field 'missing': missing person 'x' is not in "),
        ("poi_id", "nobody", "field 'poi_id': POI 'nobody' not found in "),
    ],
)
def test_case_json_ids_absent_from_their_files_name_case_json(
    field, value, needle, tmp_path, capsys
) -> None:
    """case.json 'missing' naming nobody in the pedigree blamed pedigree.ped (lr, power)
    and familias export wrote a .fam without the missing person; a 'poi_id' naming no row
    blamed poi.tsv. Now case.json's field, for every command that reads the folder."""
    case = tmp_path / "case"
    shutil.copytree(FIXTURE_CASE, case)
    meta = json.loads((case / "case.json").read_text())
    meta[field] = value
    (case / "case.json").write_text(json.dumps(meta))
    fam = tmp_path / "c.fam"
    for argv in (
        ["lr", "--case", str(case)],
        ["power", "--case", str(case), "--nsim", "100"],
        ["familias", "export", "--case", str(case), "--out", str(fam)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith(f"nasab: error: {case / 'case.json'}, "), err
        assert needle in err[0], err
    assert not fam.exists()


def test_lr_input_options_beside_case_are_refused(capsys) -> None:
    """lr --case DIR --freqs OTHER (or --missing, --poi, --poi-id, --ped, --families) gave
    the folder's LR without a word: the options were ignored. Now one line, exit 2."""
    argv = ["lr", "--case", str(FIXTURE_CASE), "--freqs", "other.tsv", "--missing", "BR"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "nasab: error: field '--freqs': not used with --case (the folder's pedigree.ped, "
        "poi.tsv, freqs.txt and case.json): --freqs, --missing"
    ], err


@pytest.mark.parametrize(
    "markers, needle",
    [
        ("TH01,TH01", "named twice: TH01"),
        ("TH01, th01", "named twice: TH01, th01"),
        (",", "no marker in ','"),
        ("", "no marker in ''"),
    ],
)
def test_markers_option_named_twice_or_empty(markers, needle, capsys) -> None:
    """--markers TH01,TH01 counted TH01 twice (log10 LR doubled); --markers ',' or ''
    meant every marker. Both silently; now one line, exit 2."""
    assert main(["lr", "--case", str(FIXTURE_CASE), "--markers", markers]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"nasab: error: field '--markers': {needle}"], err
