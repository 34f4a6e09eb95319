"""Custody bundles and the ``nasab custody`` command (no Django involved)."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from nasab.custody import chain as custody
from nasab.custody import cli as cli_custody

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def entries():
    out = []
    steps = [
        ("collected", "field1", {}),
        ("sealed", "field1", {"seal_id": "SEAL-1"}),
        ("transferred", "field1", {"seal_id": "SEAL-1", "recipient": "lab1"}),
        ("received", "lab1", {"seal_id": "SEAL-1"}),
    ]
    for i, (action, actor, extra) in enumerate(steps):
        out.append(
            custody.next_entry(
                out[-1] if out else None,
                object_id="S-1",
                action=action,
                actor=actor,
                place="Site A",
                timestamp=T0 + timedelta(hours=i),
                **extra,
            )
        )
    return out


@pytest.fixture
def bundle(tmp_path):
    return custody.write_bundle(
        tmp_path / "bundle", entries(), {"objects.json": b'{"S-1": "femur"}'}
    )


def run_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    parser = cli_custody.argparse.ArgumentParser(prog="nasab")
    cli_custody.add_parser(parser.add_subparsers(dest="command"))
    code = cli_custody.run(parser.parse_args(list(argv)), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def test_bundle_verifies_and_sha256sum_agrees(bundle):
    verdict = custody.verify_bundle(bundle)
    assert verdict.ok, verdict.describe()
    assert run_cli("custody", "verify-bundle", str(bundle))[0] == 0
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", "MANIFEST.sha256"], cwd=bundle, check=True)


def test_zipped_bundle_verifies(bundle, tmp_path):
    archive = custody.zip_bundle(bundle, tmp_path / "bundle.zip")
    assert custody.verify_bundle(archive).ok
    assert run_cli("custody", "verify-bundle", str(archive))[0] == 0


def test_modified_file_is_named(bundle):
    (bundle / "objects.json").write_bytes(b'{"S-1": "tibia"}')
    code, text = run_cli("custody", "verify-bundle", str(bundle))
    assert code == 1 and "objects.json: contents differ" in text


def test_added_and_missing_files_are_named(bundle):
    (bundle / "extra.txt").write_text("x")
    (bundle / "objects.json").unlink()
    problems = custody.verify_bundle(bundle).problems
    assert any("extra.txt: present but not listed" in p for p in problems)
    assert any("objects.json: listed in the manifest but missing" in p for p in problems)


def test_consistent_rewrite_of_jsonl_still_caught_by_chain(bundle):
    """A forger who edits an entry and fixes the manifest is caught by the entry hash."""
    lines = (bundle / "custody.jsonl").read_text().splitlines()
    row = json.loads(lines[2])
    row["recipient"] = "lab2"
    lines[2] = json.dumps(row)
    (bundle / "custody.jsonl").write_text("\n".join(lines) + "\n")
    manifest = (bundle / "MANIFEST.sha256").read_text().splitlines()
    fixed = [
        f"{custody.file_sha256(bundle / 'custody.jsonl')}  custody.jsonl"
        if line.endswith("  custody.jsonl")
        else line
        for line in manifest
    ]
    (bundle / "MANIFEST.sha256").write_text("\n".join(fixed) + "\n")
    code, text = run_cli("custody", "verify-bundle", str(bundle))
    assert code == 1
    assert "sequence 3, transferred by field1" in text and "edited" in text


@pytest.mark.parametrize("make_bad", ["not-a-bundle", "bad-manifest", "bad-json", "zip-slip"])
def test_bad_bundle_input_exits_2(tmp_path, bundle, make_bad):
    target = bundle
    if make_bad == "not-a-bundle":
        target = tmp_path / "empty"
        target.mkdir()
    elif make_bad == "bad-manifest":
        (bundle / "MANIFEST.sha256").write_text("this is not a manifest\n")
    elif make_bad == "bad-json":
        (bundle / "custody.jsonl").write_text("{not json\n")
    else:
        target = tmp_path / "evil.zip"
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("../evil.txt", "x")
    code, text = run_cli("custody", "verify-bundle", str(target))
    assert code == 2 and text.startswith("nasab: error: ")


def make_sqlite(path, rows):
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE custody_entry (id INTEGER PRIMARY KEY, object_id TEXT, sequence INT,"
        " action TEXT, actor TEXT, place TEXT, recorded_at TEXT, seal_id TEXT, recipient TEXT,"
        " content_hash TEXT, prev_hash TEXT, entry_hash TEXT, note TEXT, hash_version INT DEFAULT 2)"
    )
    for e in rows:
        connection.execute(
            "INSERT INTO custody_entry (object_id, sequence, action, actor, place, recorded_at,"
            " seal_id, recipient, content_hash, prev_hash, entry_hash, note)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                e.object_id,
                e.sequence,
                e.action,
                e.actor,
                e.place,
                e.timestamp.replace("T", " ").rstrip("Z"),
                e.seal_id,
                e.recipient,
                e.content_hash,
                e.prev_hash,
                e.entry_hash,
                e.note,
            ),
        )
    connection.commit()
    connection.close()


def test_verify_database_sqlite(tmp_path):
    db = tmp_path / "registry.sqlite3"
    make_sqlite(db, entries())
    code, text = run_cli("custody", "verify", "--database", f"sqlite:///{db}")
    assert code == 0 and "custody: intact: 4 entries on 1 objects" in text
    connection = sqlite3.connect(db)
    connection.execute("UPDATE custody_entry SET actor = 'lab2' WHERE sequence = 4")
    connection.commit()
    connection.close()
    code, text = run_cli("custody", "verify", "--database", f"sqlite:///{db}")
    assert code == 1 and "sequence 4" in text and "edited" in text


def test_anchor_command_round_trip(tmp_path):
    db = tmp_path / "registry.sqlite3"
    make_sqlite(db, entries())
    url = f"sqlite:///{db}"
    code, text = run_cli("custody", "anchor", "--database", url)
    assert code == 0
    (tmp_path / "anchor.json").write_text(text)
    assert (
        run_cli("custody", "verify", "--database", url, "--anchor", str(tmp_path / "anchor.json"))[
            0
        ]
        == 0
    )
    connection = sqlite3.connect(db)
    connection.execute("DELETE FROM custody_entry WHERE sequence = 4")
    connection.commit()
    connection.close()
    assert run_cli("custody", "verify", "--database", url)[0] == 0
    code, text = run_cli(
        "custody", "verify", "--database", url, "--anchor", str(tmp_path / "anchor.json")
    )
    assert code == 1 and "object S-1, sequence 4: truncated" in text
    (tmp_path / "bad.json").write_text("[1, 2]")
    assert (
        run_cli("custody", "verify", "--database", url, "--anchor", str(tmp_path / "bad.json"))[0]
        == 2
    )
    assert (
        run_cli("custody", "verify", "--database", url, "--anchor", str(tmp_path / "none.json"))[0]
        == 2
    )


@pytest.mark.parametrize("url", ["sqlite:///does/not/exist.sqlite3", "mysql://x/y", ""])
def test_verify_database_bad_input(url, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code, text = run_cli("custody", "verify", "--database", url)
    assert code == 2 and text.startswith("nasab: error: ")


def test_verify_database_without_custody_table(tmp_path):
    db = tmp_path / "other.sqlite3"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    code, text = run_cli("custody", "verify", "--database", f"sqlite:///{db}")
    assert code == 2 and "cannot read table custody_entry" in text


def test_module_entry_point(tmp_path, bundle):
    assert cli_custody.main(["custody", "verify-bundle", str(bundle)]) == 0


def test_main_cli_style_dispatch(bundle, capsys):
    """The main ``nasab`` parser calls ``args.func(args)`` on what add_parser registered."""
    import argparse

    parser = argparse.ArgumentParser(prog="nasab")
    cli_custody.add_parser(parser.add_subparsers(dest="command", metavar="COMMAND"))
    args = parser.parse_args(["custody", "verify-bundle", str(bundle)])
    assert args.func(args) == 0 and "bundle intact" in capsys.readouterr().out
    assert args.plugin == "nasab.custody.cli"


@pytest.mark.parametrize("name", ["MANIFEST.sha256", "custody.jsonl"])
def test_bundle_file_that_is_not_utf8_is_one_line(bundle, name) -> None:
    """A byte that is not UTF-8 in the manifest or the entries (a damaged or tampered
    bundle) escaped as a UnicodeDecodeError traceback; now exit 2, one line naming the
    file and the byte."""
    path = bundle / name
    data = path.read_bytes()
    path.write_bytes(data[:10] + b"\xff" + data[11:])
    code, text = run_cli("custody", "verify-bundle", str(bundle))
    assert code == 2 and text == f"nasab: error: {name} is not UTF-8 text (byte 10)\n", text
