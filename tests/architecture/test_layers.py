"""The layers hold: engine <- features <- CLI / web; no import loops; merged copies stay gone."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from ..conftest import ORACLE
from .imports import SRC, WEB, cycles, graph, imported

ENGINE = "nasab.engine"
FEATURES = ("formats", "joint", "power", "sim", "custody", "search", "linkage", "snp")


def _is_cli(module: str) -> bool:
    return module == "nasab.cli" or module.endswith(".cli")


def test_engine_imports_no_feature() -> None:
    g = graph()
    bad = {
        m: sorted(i for i in deps if not i.startswith(ENGINE) and i != "nasab")
        for m, deps in g.items()
        if m.startswith(ENGINE)
    }
    assert not {m: d for m, d in bad.items() if d}, bad


def test_features_import_no_cli() -> None:
    """A feature's code imports the engine and other features, never a command-line module
    (its own ``cli.py`` is the top of its package)."""
    g = graph()
    bad = {m: sorted(i for i in deps if _is_cli(i)) for m, deps in g.items() if not _is_cli(m)}
    assert not {m: d for m, d in bad.items() if d}, bad


def test_no_import_loops() -> None:
    assert cycles(graph()) == []


MAX_MODULE_LINES = 600


def test_no_module_is_too_long() -> None:
    """Issue 12: no module under src/nasab is over 600 lines (split it by what it holds)."""
    long = sorted(
        (n, str(p.relative_to(SRC)))
        for p in (SRC / "nasab").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    )
    listed = ", ".join(f"{path} ({n})" for n, path in long)
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {listed}"


def test_web_imports_no_cli_and_no_demo_data() -> None:
    bad = []
    for path in WEB.rglob("*.py"):
        rel = path.relative_to(WEB).as_posix()
        for mod in imported(path, WEB):
            if mod.startswith("nasab.") and _is_cli(mod):
                bad.append((rel, mod))
            demo_allowed = "demo" in rel or "/tests/" in rel or "migrations" in rel
            if mod.startswith("nasab.sim.demo") and not demo_allowed:
                bad.append((rel, mod))
    assert not bad, bad


def test_package_folders_show_the_layers() -> None:
    top = sorted(
        p.name for p in (SRC / "nasab").iterdir() if p.suffix == ".py" and p.name != "__init__.py"
    )
    assert top == ["cli.py"], f"modules outside a layer package: {top}"
    for pkg in ("engine", *FEATURES):
        assert (SRC / "nasab" / pkg / "__init__.py").exists(), pkg


def _defs(pattern: str) -> list[str]:
    out = []
    for path in (SRC / "nasab").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(pattern, line):
                out.append(f"{path.relative_to(SRC)}:{n}")
    return out


@pytest.mark.parametrize(
    "pattern, home",
    [
        (r"\s*def (posterior)\(", ["nasab/engine/lr.py"]),
        (r"\s*def (relevant_persons|unused_person_id)\(", []),  # Pedigree.ancestors / unused_id
        (
            r"\s*def (read_mutation_rates|mutation_specs|published_rates)\(",
            ["nasab/engine/mutation.py"],
        ),
        (r"\s*def (default_table|default_frequency_path)\(", ["nasab/engine/frequencies.py"]),
        (r"\s*def meiosis_split\(", ["nasab/engine/contraction.py"]),
        (r"\s*def marker_key\(", ["nasab/engine/frequencies.py"]),
    ],
)
def test_one_implementation(pattern: str, home: list[str]) -> None:
    found = sorted({d.split(":")[0] for d in _defs(pattern)})
    assert found == home, found


def test_a_command_loads_only_what_it_needs() -> None:
    """`nasab lr --json` on a small case does not import the search, joint, registry or
    data-frame libraries, the terminal report (rich), the mtDNA or theta code, numpy.ma or
    tempfile (start-up time is measured in benchmarks/startup.py)."""
    case = ORACLE / "public"
    cases = sorted(case.glob("public_01_*"))
    if not cases:
        pytest.skip("../shared/oracle not present")
    heavy = (
        "scipy",
        "numba",
        "pandas",
        "pyarrow",
        "dask",
        "django",
        "splink",
        "duckdb",
        "matplotlib",
        "nasab.search",
        "nasab.joint",
        "nasab.power",
        "nasab.custody",
        "nasab.linkage",
        # nor what an autosomal --json answer does not use (issue 12: start-up)
        "rich",
        "numpy.ma.core",
        "tempfile",
        "nasab.engine.mtdna",
        "nasab.engine.theta",
        "nasab.engine.report",
    )
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['nasab', 'lr', '--case', {str(cases[0])!r}, '--json']\n"
        "try:\n    runpy.run_module('nasab.cli', run_name='__main__')\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        f"print(sorted(m for m in sys.modules if m.startswith({heavy!r})), file=sys.stderr)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=SRC.parent,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "[]", r.stderr


def test_every_cli_option_has_help():
    """House rule: help text on every option and argument of every ``nasab`` command."""
    import argparse

    from nasab.cli import build_parser

    missing = []

    def walk(parser, path):
        for a in parser._actions:
            if isinstance(a, argparse._SubParsersAction):
                for name, sub in a.choices.items():
                    walk(sub, [*path, name])
            elif not isinstance(a, argparse._HelpAction) and not a.help:
                missing.append(f"{' '.join(path)} {'/'.join(a.option_strings) or a.dest}")

    walk(build_parser(), ["nasab"])
    assert not missing, missing
