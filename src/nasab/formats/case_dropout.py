"""Dropout settings of a case folder (``case.json``): read into the engine's models, and
written back.

    "dropout": 0.1                 the POI's dropout probability, at every marker
    "dropout": {"poi": D, "references": D, "persons": {"MO": D, ...}}
    "dropout_hom": 0.02            the POI's homozygote dropout probability (default d^2)
    "dropin": 0.01                 the POI's drop-in probability

Each ``D`` is a number (the same probability at every marker) or an object
``{"MARKER": number}`` (per marker; a marker not listed has no dropout). ``references``
applies to every typed reference, ``persons`` to the named references (replacing
``references`` for them). References have no drop-in and a homozygote dropout of d^2.
A Familias file's per-locus dropout for the persons it flags "(Consider dropouts)" is
written this way (per marker, POI and named persons).
"""

from __future__ import annotations

from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.observation import DropModel

KEYS = ("poi", "references", "persons")
Setting = float | dict[str, float]


# --- reading ------------------------------------------------------------------------------------
def apply_case_dropout(
    meta: dict, poi: Profile, family: Family, markers: list[str], source: str
) -> None:
    """Set ``poi.drop``/``poi.marker_drops`` and ``family.drops``/``family.marker_drops``
    from ``meta`` (a case.json object)."""
    raw = meta.get("dropout", 0.0)
    spec = raw if isinstance(raw, dict) else {"poi": raw}
    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(map(repr, unknown))} in 'dropout'; "
            f"known: {', '.join(KEYS)}",
            file=source,
            field="dropout",
        )
    names = {marker_key(m) for m in markers}
    hom, dropin = meta.get("dropout_hom"), meta.get("dropin", 0.0)
    drop, per_marker = _drop_setting(
        spec.get("poi", 0.0), names, source, "dropout.poi", hom, dropin
    )
    if drop is not None:
        poi.drop = drop
    poi.marker_drops.update(per_marker)
    for pid, value, where in _reference_settings(spec, family, source):
        drop, per_marker = _drop_setting(value, names, source, where)
        if drop is not None:
            family.drops[pid] = drop
        for key, model in per_marker.items():
            family.marker_drops.setdefault(key, {})[pid] = model


def _reference_settings(spec: dict, family: Family, source: str) -> list[tuple[str, Setting, str]]:
    """(person, setting, field) for every reference with a dropout setting."""
    named = spec.get("persons", {})
    if not isinstance(named, dict):
        raise InputError(
            "'persons' must map reference ids to dropout probabilities",
            file=source,
            field="dropout.persons",
        )
    for pid in named:
        if pid not in family.pedigree:
            raise InputError(
                f"{pid!r} is not a person of the pedigree", file=source, field="dropout.persons"
            )
    ref = spec.get("references", 0.0)
    out = [(pid, ref, "dropout.references") for pid in family.typed_persons() if pid not in named]
    return out + [(pid, v, f"dropout.persons.{pid}") for pid, v in named.items()]


def _drop_setting(
    value: object,
    markers: set[str],
    source: str,
    where: str,
    hom: object = None,
    dropin: object = 0.0,
) -> tuple[DropModel | None, dict[str, DropModel]]:
    """The model for every marker and the per-marker models of one setting (a number or a
    ``{marker: number}`` object); trivial models are left out."""
    if not isinstance(value, dict):
        return _drop_model(value, hom, dropin, source, where), {}
    per_marker = {}
    for name, d in value.items():
        if marker_key(name) not in markers:
            raise InputError(
                f"marker {name!r} is not a marker of the case", file=source, field=where
            )
        model = _drop_model(d, hom, dropin, source, f"{where}.{name}")
        if model is not None:
            per_marker[marker_key(name)] = model
    return _drop_model(0.0, hom, dropin, source, where), per_marker


def _drop_model(
    d: object, hom: object, dropin: object, source: str, where: str
) -> DropModel | None:
    try:
        model = DropModel(
            float(d),
            None if hom is None else float(hom),  # type: ignore[arg-type]
            float(dropin),
        )  # type: ignore[arg-type]
    except (ModelError, TypeError, ValueError) as e:
        raise InputError(f"{e}", file=source, field=where) from None
    return None if model.trivial else model


# --- writing -------------------------------------------------------------------------------------
def case_dropout_json(poi: Profile, family: Family, markers: list[str]) -> dict:
    """The case.json keys (``dropout``, ``dropout_hom``, ``dropin``) that
    :func:`apply_case_dropout` reads back as these models; empty without dropout."""
    poi_models = [poi.drop_for(m) for m in markers]
    out: dict = {}
    hom = _uniform(
        [m.dropout_hom for m in poi_models if m is not None],
        None,
        "the POI's homozygote dropout probability",
    )
    dropin = _uniform(
        [m.dropin if m else 0.0 for m in poi_models], 0.0, "the POI's drop-in probability"
    )
    spec: dict = {}
    poi_value = _compact(markers, [m.dropout if m else 0.0 for m in poi_models])
    if poi_value:
        spec["poi"] = poi_value
    spec.update(_references_json(family, markers))
    if spec:
        out["dropout"] = spec["poi"] if list(spec) == ["poi"] else spec
    if hom is not None:
        out["dropout_hom"] = hom
    if dropin:
        out["dropin"] = dropin
    return out


def _references_json(family: Family, markers: list[str]) -> dict:
    values = {pid: _reference_value(family, pid, markers) for pid in family.typed_persons()}
    if not any(values.values()):
        return {}
    distinct = {repr(v) for v in values.values()}
    if len(distinct) == 1:
        return {"references": next(iter(values.values()))}
    return {"persons": {pid: v for pid, v in values.items() if v}}


def _reference_value(family: Family, pid: str, markers: list[str]) -> Setting:
    ds = []
    for m in markers:
        model = family.drops_for(m).get(pid)
        if model is not None and (model.dropin or model.d_hom != model.dropout**2):
            raise ModelError(
                f"reference {pid!r} at {m}: drop-in or a homozygote dropout "
                "other than d^2 cannot be written to case.json (references "
                "have dropout only)"
            )
        ds.append(model.dropout if model else 0.0)
    return _compact(markers, ds)


def _compact(markers: list[str], ds: list[float]) -> Setting:
    """One number when every marker has the same probability, else ``{marker: d}`` for
    the markers with dropout."""
    if len(set(ds)) <= 1:
        return ds[0] if ds else 0.0
    return {m: d for m, d in zip(markers, ds, strict=True) if d}


def _uniform(values: list, default, what: str):
    if not values:
        return default
    if len(set(values)) > 1:
        raise ModelError(
            f"{what} differs between markers ({sorted(set(values))}); case.json holds one value"
        )
    return values[0]
