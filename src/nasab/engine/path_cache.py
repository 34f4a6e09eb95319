"""Contraction paths kept between runs, in a file of the user's cache folder.

Finding a network's pairwise contraction order (:func:`nasab.engine.contraction.find_path`:
greedy, then a seeded randomized greedy search) is done once per network signature and
process; a national search meets a few hundred signatures, and searching them again in every
run cost a 20,000-family search about 1.3 s of its 13 (measured). The paths found are
kept in ``contraction-paths-<versions>.json`` under ``$NASAB_PATH_CACHE`` (a folder),
else ``$XDG_CACHE_HOME/nasab``, else ``~/.cache/nasab``; ``NASAB_PATH_CACHE=off`` keeps
nothing. The file name carries nasab's and opt_einsum's versions and the search's settings,
so a path is only ever reused by the code that would find the same one: the search is
deterministic (its random trials are seeded), and a run with the file gives the same numbers,
bit for bit, as a run without it.

The file is JSON (no code is loaded from it), written atomically (merged with what is
already there); an entry that is not a valid path for its network is ignored, and so is a
file that cannot be read or written: the cache only ever saves time.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

__all__ = ["ENV", "cache_file", "kept", "load", "note", "save", "save_found", "valid_path"]

ENV = "NASAB_PATH_CACHE"
FORMAT = 1
_LOCK = threading.Lock()
_KEPT: dict = {}  # settings -> the file's paths, read at this process's first search
_NEW: dict = {}  # key -> (operands, path, cost) found here since the last save_found


def kept(settings: str) -> dict:
    """The paths of the cache file for ``settings`` (read once a process)."""
    got = _KEPT.get(settings)
    if got is None:
        got = _KEPT[settings] = load(cache_file(settings))
    return got


def note(key: str, n_operands: int, path: list, cost: tuple[float, float]) -> None:
    """A path this process found, for :func:`save_found`."""
    if len(_NEW) < 50_000:
        _NEW[key] = (n_operands, path, cost)


def save_found(settings: str) -> None:
    """Add the paths noted since the last call to the cache file (and to :func:`kept`)."""
    if _NEW:
        new = dict(_NEW)
        _NEW.clear()
        save(cache_file(settings), new)
        kept(settings).update({k: (v[1], v[2]) for k, v in new.items()})


def cache_file(settings: str) -> Path | None:
    """The cache file for these search ``settings`` (None: caching is off, or there is no
    folder to keep it in)."""
    env = os.environ.get(ENV, "").strip()
    if env.lower() in ("off", "0", "no", "false"):
        return None
    if env:
        folder = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        try:
            folder = (Path(base) if base else Path.home() / ".cache") / "nasab"
        except (RuntimeError, KeyError):  # no home folder (no HOME, no passwd entry)
            return None
    import opt_einsum

    from nasab import __version__

    safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in settings)
    name = f"contraction-paths-{FORMAT}-{__version__}-{opt_einsum.__version__}-{safe}.json"
    return folder / name


def valid_path(path, n_operands: int) -> bool:
    """Whether ``path`` is a pairwise order that contracts ``n_operands`` tensors to one
    (each step names one or two of the tensors left, the result appended)."""
    if not isinstance(path, list):
        return False
    left = n_operands
    for step in path:
        if not isinstance(step, list) or not 1 <= len(step) <= 2:
            return False
        if any(type(i) is not int or not 0 <= i < left for i in step):
            return False
        if len(set(step)) != len(step):
            return False
        left -= len(step) - 1
    return left == 1


def load(file: Path | None) -> dict[str, tuple[list, tuple[float, float]]]:
    """The entries of the file (empty where there is none or it cannot be read)."""
    if file is None:
        return {}
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, tuple[list, tuple[float, float]]] = {}
    for key, value in raw.items():
        ok = (
            isinstance(value, list)
            and len(value) == 3
            and type(value[0]) is int
            and valid_path(value[1], value[0])
            and isinstance(value[2], list)
            and len(value[2]) == 2
            and all(isinstance(c, (int, float)) for c in value[2])
        )
        if ok:
            out[key] = (value[1], (float(value[2][0]), float(value[2][1])))
    return out


def save(file: Path | None, entries: dict[str, tuple[int, list, tuple[float, float]]]) -> None:
    """Add ``entries`` (key -> (operands, path, cost)) to the file, atomically; nothing
    happens where it cannot be written."""
    if file is None or not entries:
        return
    from nasab.engine.errors import NasabError
    from nasab.engine.output import write_text_atomic

    with _LOCK:
        try:
            raw = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
            if not isinstance(raw, dict):
                raw = {}
        except (OSError, ValueError, UnicodeDecodeError):
            raw = {}
        for key, (n, path, cost) in entries.items():
            raw[key] = [n, [list(step) for step in path], list(cost)]
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(file, json.dumps(raw, separators=(",", ":")))
        except (OSError, NasabError):  # OutputError: the folder is not writable
            pass
