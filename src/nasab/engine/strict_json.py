"""Strict JSON for every ``--json`` output and sidecar file.

JSON has no infinities: ``json.dumps`` would write ``Infinity``, which strict parsers reject.
An exclusion (log10 LR = -inf) or an LR beyond the float range (+inf) is written as the
strings ``"-Inf"`` / ``"Inf"`` (NaN as ``"NaN"``, never expected); numpy numbers become
Python numbers; ``allow_nan=False`` is the guard that nothing non-finite slips through.
"""

from __future__ import annotations

import json
import math
from typing import Any


def json_number(x: float) -> float | str:
    """A float as strict JSON: itself when finite, else "Inf", "-Inf" or "NaN"."""
    x = float(x)
    if math.isfinite(x):
        return x
    if math.isnan(x):
        return "NaN"
    return "Inf" if x > 0 else "-Inf"


def json_safe(obj: Any) -> Any:
    """``obj`` with every non-finite float replaced (recursively, through dicts, lists,
    tuples) and numpy scalars and arrays turned into Python values."""
    if isinstance(obj, bool) or obj is None or isinstance(obj, (str, int)):
        return obj
    if isinstance(obj, float):
        return json_number(obj)
    if isinstance(obj, dict):
        return {k if isinstance(k, str) else str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in obj]
    tolist = getattr(obj, "tolist", None)  # numpy scalars and arrays
    if tolist is not None:
        return json_safe(tolist())
    return obj


def dumps_strict(obj: Any, **kw) -> str:
    """``json.dumps`` of :func:`json_safe` (obj), refusing NaN and infinities."""
    kw.setdefault("ensure_ascii", False)
    return json.dumps(json_safe(obj), allow_nan=False, **kw)


def parse_strict(text: str) -> Any:
    """Parse JSON refusing ``NaN``/``Infinity`` (as strict parsers do): for tests and
    readers of nasab's own files."""

    def bad(token: str):
        raise ValueError(f"not strict JSON: {token}")

    return json.loads(text, parse_constant=bad)
