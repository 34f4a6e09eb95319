"""The probable threshold lies at or below the undisputed and match threshold, as in dvir
and as the registry sets it."""

from __future__ import annotations

import json

from nasab.cli import main


def test_probable_threshold_above_the_match_threshold_is_refused(dvi_root, capsys) -> None:
    folder = str(dvi_root / "example2")
    assert main(["joint", "--dvi", folder, "--threshold2", "1e5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "nasab: error: field '--threshold2': the probable threshold 100000 is above the "
        "undisputed and match threshold 10000 (--threshold)"
    ]


def test_probable_threshold_defaults_to_the_registry_rule(dvi_root, capsys) -> None:
    folder = str(dvi_root / "example2")
    for threshold, expected in (("1e4", 1e3), ("100", 100.0)):
        assert main(["joint", "--dvi", folder, "--json", "--threshold", threshold]) == 0
        got = json.loads(capsys.readouterr().out)["thresholds"]
        assert got["threshold2"] == expected
