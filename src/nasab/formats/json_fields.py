"""Field-by-field checks of the JSON settings files (``case.json``, ``dvi.json``).

Every value is checked for its type and range before it is used, and a problem is an
:class:`InputError` naming the file and the field (``markers.TH01.rate.female``). Fields
that change the model are required: each marker's mutation entry needs ``model``, and
``rate`` unless the model is ``none`` (a missing rate must not silently mean "no mutation").
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from nasab.engine.errors import InputError, ModelError, shorten
from nasab.engine.frequencies import marker_key
from nasab.engine.mutation import ALIASES, MODELS, MutationSpec

TRIVIAL = ("none", "trivial", "identity")


def _what(v) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        type(None): "null",
    }.get(type(v), "a number" if isinstance(v, (int, float)) else type(v).__name__)


def fail(file: str, field: str, msg: str):
    raise InputError(msg, file=file, field=field)


def number(
    v, file: str, field: str, lo: float = -math.inf, hi: float = math.inf, hi_open: bool = False
) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        fail(file, field, f"expected a number, found {_what(v)} {shorten(repr(v))}")
    x = float(v)
    if not math.isfinite(x) or x < lo or (x >= hi if hi_open else x > hi):
        rng = f"[{lo:g}, {hi:g}{')' if hi_open else ']'}"
        fail(file, field, f"{shorten(repr(v))} is not in {rng}")
    return x


def string(v, file: str, field: str) -> str:
    if not isinstance(v, str) or not v:
        fail(file, field, f"expected a non-empty string, found {_what(v)} {shorten(repr(v))}")
    return v


def sex(v, file: str, field: str) -> int:
    if isinstance(v, bool) or v not in (0, 1, 2):
        fail(file, field, f"sex must be 0, 1 (male) or 2 (female), not {shorten(repr(v))}")
    return int(v)


def obj(v, file: str, field: str) -> dict:
    if not isinstance(v, dict):
        fail(file, field, f"expected an object, found {_what(v)} {shorten(repr(v))}")
    return v


def string_list(v, file: str, field: str) -> list[str]:
    if not isinstance(v, list):
        fail(file, field, f"expected a list of names, found {_what(v)} {shorten(repr(v))}")
    for k, x in enumerate(v):
        string(x, file, f"{field}[{k}]")
    return v


def _by_sex(v, file: str, field: str) -> None:
    if isinstance(v, dict):
        unknown = sorted(set(v) - {"female", "male"})
        if unknown:
            fail(
                file,
                field,
                f"unknown key(s) {', '.join(map(repr, unknown))}; expected 'female' and 'male'",
            )
        for sx in ("female", "male"):
            if sx not in v:
                fail(file, f"{field}.{sx}", "missing (give both 'female' and 'male')")
            number(v[sx], file, f"{field}.{sx}", 0.0, 1.0)
    else:
        number(v, file, field, 0.0, 1.0)


def mutation_entry(d, file: str, field: str) -> MutationSpec:
    """One marker's mutation model: ``{"model": ..., "rate": ..., "rate2": ..., "range":
    ...}``, each rate a number or ``{"female": x, "male": y}``."""
    obj(d, file, field)
    if "model" not in d:
        fail(file, f"{field}.model", "missing: give the mutation model ('none' for no mutation)")
    model = string(d["model"], file, f"{field}.model")
    name = ALIASES.get(model, model)
    if name not in MODELS or name == "custom":
        fail(
            file,
            f"{field}.model",
            f"unknown mutation model {shorten(repr(model))}; "
            "choose none, equal, proportional, stepwise, onestep",
        )
    if model not in TRIVIAL and "rate" not in d:
        fail(
            file,
            f"{field}.rate",
            f"missing: the {model} model needs a rate (a number or {{'female': x, 'male': y}})",
        )
    for key in ("rate", "rate2", "range"):
        if key in d:
            _by_sex(d[key], file, f"{field}.{key}")
    t = d.get("transform")
    if t is not None and t != "PM":
        fail(file, f"{field}.transform", f"expected 'PM' or null, not {shorten(repr(t))}")
    try:
        return dataclasses.replace(MutationSpec.from_json(d), origin=(file, field))
    except ModelError as e:
        fail(file, field, e.message)
    raise AssertionError  # unreachable


def mutation_models(meta: dict, markers: Sequence[str], file: str) -> dict[str, MutationSpec]:
    """``markers``: an entry for every marker used (a marker without one would silently have
    no mutation)."""
    if "markers" not in meta:
        fail(
            file,
            "markers",
            "missing: give each marker's mutation model, e.g. "
            '"markers": {"TH01": {"model": "none"}}',
        )
    entries = obj(meta["markers"], file, "markers")
    out = {m: mutation_entry(d, file, f"markers.{m}") for m, d in entries.items()}
    have = {marker_key(m) for m in out}
    lacking = [m for m in markers if marker_key(m) not in have]
    if lacking:
        fail(
            file,
            "markers",
            f"no mutation model for {', '.join(lacking[:8])}"
            f'{"..." if len(lacking) > 8 else ""} (give {{"model": "none"}} for no '
            "mutation)",
        )
    return out


def check_case_meta(meta: dict, file: str) -> None:
    """Types of the scalar fields of a case.json (the model fields: :func:`mutation_models`)."""
    for key in ("missing", "poi_id"):
        if key in meta:
            string(meta[key], file, key)
    for key in ("poi_sex", "missing_sex"):
        if key in meta:
            sex(meta[key], file, key)
    if "marker_order" in meta:
        string_list(meta["marker_order"], file, "marker_order")
    if "theta" in meta:
        number(meta["theta"], file, "theta", 0.0, 0.5, hi_open=True)
    if "expected" in meta:
        obj(meta["expected"], file, "expected")
    for key in ("dropout_hom", "dropin"):
        if key in meta and meta[key] is not None:
            number(meta[key], file, key, 0.0, 1.0, hi_open=True)


def check_dvi_meta(meta: dict, file: str) -> None:
    """Types of a dvi.json's fields (families, victims, marker_order, theta)."""
    fams = obj(meta.get("families"), file, "families") if "families" in meta else None
    if fams is None:
        fail(file, "families", 'missing: an object {family: {"missing": [ids]}}')
    for name, fd in fams.items():
        where = f"families.{name}"
        obj(fd, file, where)
        if "missing" not in fd:
            fail(file, f"{where}.missing", "missing (a list of ids)")
        m = fd["missing"]
        if isinstance(m, list):
            string_list(m, file, f"{where}.missing")
        else:
            string(m, file, f"{where}.missing")
        if "file" in fd:
            string(fd["file"], file, f"{where}.file")
    if "victims" in meta:
        for vid, vd in obj(meta["victims"], file, "victims").items():
            obj(vd, file, f"victims.{vid}")
            if "sex" in vd:
                sex(vd["sex"], file, f"victims.{vid}.sex")
    if "marker_order" in meta:
        string_list(meta["marker_order"], file, "marker_order")
    if "theta" in meta and meta["theta"] is not None:
        number(meta["theta"], file, "theta", 0.0, 0.5, hi_open=True)
