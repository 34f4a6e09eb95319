"""Detection of duplicate missing-person reports with splink (DuckDB backend).

The same missing person is typically reported about three times, by different relatives,
in Arabic script or in different Latin transliterations.  This module proposes pairs of
reports that probably describe the same person, with a score and human-readable reasons,
and groups them into persons.  A person decides; nothing here merges records by itself.

Library: splink (first choice; version 5, DuckDB backend, in-memory).  It does the
blocking, the comparison vectors, the u/m estimation and the scoring in SQL, and has an
incremental API (``predict_between``) for scoring one new report against a trained
register.  One Python function is registered in DuckDB (``nasab_vowels_ok``, the vowel
compatibility test of :func:`nasab.linkage.normalise.vowels_compatible`).

Method (Fellegi-Sunter model, estimated by splink):

* every name part (given, father's, grandfather's, family, mother's name) is compared on
  the forms of :func:`nasab.linkage.normalise.name_forms`, in levels: ``exact`` after
  normalisation in its own script; ``phonetic``: same consonant key and compatible
  vowels, across scripts too (محمد ~ Mohammad, but not محمود); ``key``: same consonants,
  incompatible vowels (Hasan / Hussein); ``similar``: key Jaro-Winkler ≥ 0.88 or one
  typing error in the same script (Damerau-Levenshtein ≤ 1, same first letter);
  ``near key``: keys one edit apart; ``else``.  Term-frequency adjustment makes
  agreement on a common name (Mohammad) count for less than on a rare one;
* birth year (same, ±1, ±2, other), sex, governorate, and disappearance as one joint
  comparison of date and place (same month and place, same month, same place with a date
  unknown, within 400 days, other): relatives taken together share both, so date and
  place are not counted as two independent pieces of evidence;
* candidate pairs come from fourteen blocking rules (OR-ed) on phonetic keys, birth year,
  governorate and date, so a typing error in one field does not hide a pair;
* u-probabilities by random sampling, m-probabilities by expectation maximisation on two
  blocking rules, starting from built-in priors; below ``MIN_RECORDS_FOR_TRAINING``
  records the priors are used as they are (a few records give no stable estimate).

Brothers and sisters are the hard case: they share father, mother, grandfather, family
name, governorate and often the date and place of disappearance, and the model's
independence assumption adds that shared evidence up.  Three measures keep them apart:
the m-probabilities of the given name and the birth year are fixed (EM on such data
would learn siblings as "the same person with a typing error"); a pair whose given names
are incompatible (level ``else``) is never proposed, whatever its score (the *sibling
rule*; such pairs are kept in :attr:`DedupModel.possible_relatives`); and clustering
refuses to join two groups that contain reports that cannot be one person
(:func:`cannot_be_same`).

The default threshold (:data:`DEFAULT_THRESHOLD`, a match probability) was chosen on the
synthetic benchmark ``benchmarks/dedup.py`` (see its docstring for measured numbers).

No Django import: the portal calls :func:`find_duplicates`, :func:`candidates_for` and
:func:`cluster_pairs` with plain dicts or a pandas DataFrame.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from nasab.linkage import gazetteer
from nasab.linkage.chain import Chain, read_chain
from nasab.linkage.lexicon import name_ids, nickname_of
from nasab.linkage.names import GOVERNORATES, PLACES
from nasab.linkage.normalise import (
    NAME_PARTS,
    NameForms,
    normalise_name,
    phonetic_key,
    vowels_compatible,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_RECORDS_FOR_TRAINING",
    "DedupModel",
    "ProposedPair",
    "candidates_for",
    "cannot_be_same",
    "cluster_pairs",
    "find_duplicates",
    "name_level",
    "prepare",
]

DEFAULT_THRESHOLD = 0.6
_MODEL_VERSION = 2  # of the comparisons below; stored with saved parameters
MIN_RECORDS_FOR_TRAINING = 1000

_LABELS = {
    "given_name": "given name",
    "father_name": "father's name",
    "grandfather_name": "grandfather's name",
    "family_name": "family name",
    "mother_name": "mother's name",
}
_LABELS_AR = {
    "given_name": "الاسم",
    "father_name": "اسم الأب",
    "grandfather_name": "اسم الجد",
    "family_name": "الكنية",
    "mother_name": "اسم الأم",
}
#: name parts compared with the lexicon (identities), and the chain part they read
_ID_PARTS = ("given_name", "father_name", "grandfather_name", "mother_name")
_CHAIN_ATTR = {"given_name": "given", "father_name": "father",
               "grandfather_name": "grandfather", "family_name": "family",
               "mother_name": "mother"}

_IDS_SHARED = (
    "({p}_ids_l IS NOT NULL AND {p}_ids_r IS NOT NULL AND "
    "list_has_any(string_split({p}_ids_l, '|'), string_split({p}_ids_r, '|')))"
)
# Levels of a name comparison, most specific first (ElseLevel and NullLevel added).
# Identity by the lexicon first: two names the lexicon knows are the same name when
# they share an identity and different names otherwise (Mohammad / Mahmoud), whatever
# their letters; string similarity only when one of them is unknown to the lexicon.
_NAME_LEVELS = (
    ("exact", "{p}_norm_l = {p}_norm_r OR " + _IDS_SHARED),
    ("distinct names", "{p}_ids_l IS NOT NULL AND {p}_ids_r IS NOT NULL"),
    (
        "phonetic",
        "{p}_key_l = {p}_key_r "
        "AND nasab_vowels_ok({p}_vow_l, {p}_vow_r, {p}_scr_l, {p}_scr_r)",
    ),
    ("key", "{p}_key_l = {p}_key_r"),
    (
        "similar",
        "(substr({p}_key_l, 1, 1) = substr({p}_key_r, 1, 1) "
        "AND jaro_winkler_similarity({p}_key_l, {p}_key_r) >= 0.88) "
        "OR ({p}_scr_l = {p}_scr_r AND substr({p}_norm_l, 1, 1) = substr({p}_norm_r, 1, 1) "
        "AND length({p}_norm_l) >= 3 AND damerau_levenshtein({p}_norm_l, {p}_norm_r) <= 1)",
    ),
    (
        "near key",
        "substr({p}_key_l, 1, 1) = substr({p}_key_r, 1, 1) AND length({p}_key_l) >= 3 "
        "AND length({p}_key_r) >= 3 AND damerau_levenshtein({p}_key_l, {p}_key_r) <= 1",
    ),
)
# the family name has no lexicon: its levels are the string ones
_FAMILY_LEVELS = tuple(x for x in _NAME_LEVELS if x[0] != "distinct names")
_FAMILY_LEVELS = (("exact", "{p}_norm_l = {p}_norm_r"), *_FAMILY_LEVELS[1:])
# Prior (m, u) per level (exact, distinct, phonetic, key, similar, near key, else), used
# as EM start and as the model for small inputs.
_NAME_PRIORS = (
    (0.86, 0.03), (0.005, 0.9), (0.05, 0.01), (0.02, 0.01), (0.03, 0.01), (0.02, 0.02),
    (0.015, 0.03),
)
_FAMILY_PRIORS = ((0.3, 0.01), (0.58, 0.02), (0.02, 0.01), (0.04, 0.01), (0.03, 0.02),
                  (0.03, 0.93))
# The given name keeps its m (not re-estimated by EM): the commonest false match among
# reports of one family is a brother or sister, who shares father, mother, family name,
# governorate and often date and place of disappearance.  Under the model's
# independence assumption that shared evidence adds up, so only a firm penalty for a
# different given name keeps siblings apart.  EM on such data would learn the sibling
# rate as typing errors.
_FIXED_M_PARTS = ("given_name", "father_name")
_TF_PARTS = ("given_name", "father_name", "family_name")
# the father's name written where the other report has the grandfather's (a skipped
# generation in a full name, or the chain read one place off)
_CHAIN_LEVEL = (
    "in the other's chain",
    "(father_name_tok_l IS NOT NULL AND list_contains(string_split(coalesce(chain_r, ''), '|'),"
    " father_name_tok_l)) OR (father_name_tok_r IS NOT NULL AND "
    "list_contains(string_split(coalesce(chain_l, ''), '|'), father_name_tok_r))",
    0.04, 0.01,
)


def _name_comparison(p: str) -> dict:
    levels: list[dict[str, Any]] = [
        {
            "sql_condition": f"{p}_key_l IS NULL OR {p}_key_r IS NULL",
            "label_for_charts": "null",
            "is_null_level": True,
        }
    ]
    family = p == "family_name"
    spec = _FAMILY_LEVELS if family else _NAME_LEVELS
    priors = _FAMILY_PRIORS if family else _NAME_PRIORS
    for (label, sql), (m, u) in zip(spec, priors, strict=False):
        if p == "father_name" and label == "distinct names":
            levels.append({"sql_condition": _CHAIN_LEVEL[1], "label_for_charts": _CHAIN_LEVEL[0],
                           "m_probability": _CHAIN_LEVEL[2],
                           "u_probability": _CHAIN_LEVEL[3]})
        lvl = {
            "sql_condition": sql.format(p=p),
            "label_for_charts": label,
            "m_probability": m,
            "u_probability": u,
        }
        if p in _FIXED_M_PARTS:
            lvl["fix_m_probability"] = True
        if p in _TF_PARTS and label in ("exact", "phonetic"):
            # agreement on a common name counts for less: u of this level replaced by
            # the frequency of the value in the column this level compares
            lvl["tf_adjustment_column"] = f"{p}_tok" if label == "exact" else f"{p}_key"
            lvl["tf_adjustment_weight"] = 1.0
            lvl["disable_tf_exact_match_detection"] = True
        levels.append(lvl)
    m, u = priors[-1]
    levels.append({"sql_condition": "ELSE", "label_for_charts": "else",
                   "m_probability": m, "u_probability": u,
                   "fix_m_probability": p in _FIXED_M_PARTS})
    return {"output_column_name": p, "comparison_levels": levels}


def _gammas(p: str, labels: tuple[str, ...]) -> frozenset[int]:
    """splink's gamma values of the named levels of name comparison ``p``."""
    comp = _name_comparison(p)
    lv = [x["label_for_charts"] for x in comp["comparison_levels"] if not x.get("is_null_level")]
    return frozenset(len(lv) - 1 - i for i, lab in enumerate(lv) if lab in labels)


#: gamma values of the given name that mean "different names": held back (sibling rule)
_GIVEN_DIFFERENT = _gammas("given_name", ("distinct names", "else"))


def _simple_comparison(
    name: str, col: str, levels: Sequence[tuple[str, str, float, float]], fix_m: bool = False
):
    out: list[dict[str, Any]] = [
        {
            "sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL",
            "label_for_charts": "null",
            "is_null_level": True,
        }
    ]
    for label, sql, m, u in levels:
        out.append({"sql_condition": sql, "label_for_charts": label,
                    "m_probability": m, "u_probability": u, "fix_m_probability": fix_m})
    return {"output_column_name": name, "comparison_levels": out}


_BY_DIFF = "abs(birth_year_l - birth_year_r)"
_DATE_DIFF = "abs(date_diff('day', disappearance_date_l, disappearance_date_r))"
#: birth years further apart than this: not one person (father and son, uncle ...)
MAX_BIRTH_YEAR_GAP = 12

_COMPARISONS = [
    *(_name_comparison(p) for p in NAME_PARTS),
    _simple_comparison(
        "birth_year",
        "birth_year",
        [
            ("exact", "birth_year_l = birth_year_r", 0.55, 0.025),
            ("within 1", f"{_BY_DIFF} <= 1", 0.28, 0.05),
            ("within 2", f"{_BY_DIFF} <= 2", 0.08, 0.05),
            ("within 6", f"{_BY_DIFF} <= 6", 0.07, 0.2),
            ("else", "ELSE", 0.02, 0.675),
        ],
        # Fixed like the given name: EM takes brothers and sisters (a few years apart)
        # for the same person and would learn that birth years often differ by more.
        fix_m=True,
    ),
    _simple_comparison(
        "sex", "sex", [("exact", "sex_l = sex_r", 0.99, 0.75), ("else", "ELSE", 0.01, 0.25)]
    ),
    _simple_comparison(
        "governorate",
        "governorate",
        [("exact", "governorate_l = governorate_r", 0.92, 0.12), ("else", "ELSE", 0.08, 0.88)],
    ),
    # Date and place together: relatives who disappeared together (brothers taken at one
    # checkpoint) share both, so counting them as independent evidence would overstate.
    {
        "output_column_name": "disappearance",
        "comparison_levels": [
            {
                "sql_condition": "(disappearance_date_l IS NULL OR disappearance_date_r IS NULL)"
                " AND (place_key_l IS NULL OR place_key_r IS NULL)",
                "label_for_charts": "null",
                "is_null_level": True,
            },
            *(
                {"sql_condition": sql, "label_for_charts": label,
                 "m_probability": m, "u_probability": u}
                for label, sql, m, u in [
                    ("same month and place",
                     f"{_DATE_DIFF} <= 31 AND place_key_l = place_key_r", 0.45, 0.002),
                    ("same month", f"{_DATE_DIFF} <= 31", 0.2, 0.015),
                    ("same place, date unknown",
                     "(disappearance_date_l IS NULL OR disappearance_date_r IS NULL) "
                     "AND place_key_l = place_key_r", 0.15, 0.1),
                    ("within 400 days", f"{_DATE_DIFF} <= 400", 0.1, 0.2),
                    ("else", "ELSE", 0.1, 0.783),
                ]
            ),
        ],
    },
]

# Candidate pairs: OR-ed equality rules on identity tokens (lexicon identity, else the
# phonetic key), so that a pair is compared whatever script, spelling, box or form its
# names were written in.  Each rule needs two pieces of evidence; a typing error or a
# missing field in one part leaves other rules to find the pair.
_BLOCKING = [
    "l.given_name_tok = r.given_name_tok AND l.family_name_tok = r.family_name_tok",
    "l.given_name_tok = r.given_name_tok AND l.father_name_tok = r.father_name_tok",
    "l.father_name_tok = r.father_name_tok AND l.family_name_tok = r.family_name_tok "
    "AND l.governorate = r.governorate",
    "l.given_name_tok = r.given_name_tok AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
    "l.given_name_tok = r.given_name_tok AND l.grandfather_name_tok = r.grandfather_name_tok",
    "l.given_name_tok = r.given_name_tok AND l.mother_name_tok = r.mother_name_tok",
    "l.family_name_tok = r.family_name_tok AND l.mother_name_tok = r.mother_name_tok "
    "AND l.governorate = r.governorate",
    "l.family_name_tok = r.family_name_tok AND l.disappearance_date = r.disappearance_date",
    "l.given_name_tok = r.given_name_tok AND l.disappearance_date = r.disappearance_date",
    # for a given name mistyped beyond its key, or replaced by a kunya
    "l.father_name_tok = r.father_name_tok AND l.grandfather_name_tok = r.grandfather_name_tok "
    "AND l.governorate = r.governorate",
    "l.grandfather_name_tok = r.grandfather_name_tok AND l.family_name_tok = r.family_name_tok "
    "AND l.governorate = r.governorate",
    "l.family_name_tok = r.family_name_tok AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
    "l.father_name_tok = r.father_name_tok AND l.family_name_tok = r.family_name_tok "
    "AND l.birth_year = r.birth_year",
    "l.father_name_tok = r.father_name_tok AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
    # a father's name skipped in one report: the other's grandfather in its place
    "l.given_name_tok = r.given_name_tok AND l.father_name_tok = r.grandfather_name_tok",
    "l.given_name_tok = r.given_name_tok AND l.grandfather_name_tok = r.father_name_tok",
    # the given name known only by its consonants (a slip that the lexicon cannot read)
    "l.given_name_key = r.given_name_key AND l.family_name_tok = r.family_name_tok",
    "l.father_name_tok = r.father_name_tok AND l.mother_name_tok = r.mother_name_tok",
    # names read differently (a compound read as given and father, a slip in two names)
    "l.family_name_tok = r.family_name_tok AND l.governorate = r.governorate "
    "AND abs(l.birth_year - r.birth_year) <= 1",
]


def _settings(prior_match: float) -> dict:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "report_id",
        "probability_two_random_records_match": prior_match,
        "comparisons": _COMPARISONS,
        "blocking_rules_to_generate_predictions": [{"blocking_rule": b} for b in _BLOCKING],
        "retain_intermediate_calculation_columns": True,  # gamma_* for the sibling rule
        "retain_matching_columns": True,
    }


# --- input preparation ---------------------------------------------------------------

_GOV_BY_PCODE = {
    "SY01": "Damascus", "SY02": "Aleppo", "SY03": "Rif Dimashq", "SY04": "Homs",
    "SY05": "Hama", "SY06": "Latakia", "SY07": "Idlib", "SY08": "Al-Hasakah",
    "SY09": "Deir ez-Zor", "SY10": "Tartus", "SY11": "Raqqa", "SY12": "Daraa",
    "SY13": "As-Suwayda", "SY14": "Quneitra",
}
_GOV_AR = {en: ar for en, ar in GOVERNORATES}
_PLACE_KINDS: dict[str, str] = {}
for _en, _ar in PLACES:
    _PLACE_KINDS[normalise_name(_ar)] = _en
    _PLACE_KINDS[_en] = _en


def _clean(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v != v:  # NaN
        return ""
    return str(v).strip()


def _governorate(v: Any) -> str | None:
    """Governorate (English name) of a governorate field as written, by the gazetteer;
    an unknown one is kept as written (case-folded) so that equal texts still agree."""
    s = _clean(v)
    if not s:
        return None
    g = gazetteer.governorate(s)
    return _GOV_BY_PCODE.get(g, g) if g else s.casefold()


def _place(v: Any, gov: str | None) -> tuple[str | None, str | None, Any]:
    """(place key, governorate named in it, gazetteer unit) of a place of disappearance:
    the kind of place (checkpoint, home ...) and the most specific gazetteer unit below
    a governorate; an unknown place name by its phonetic key."""
    s = _clean(v)
    if not s:
        return None, None, None
    n = normalise_name(s)
    kind = ""
    for k in sorted(_PLACE_KINDS, key=len, reverse=True):
        if k in n:
            kind = _PLACE_KINDS[k]
            n = n.replace(k, " ")
            break
    hint = next((p for p, e in _GOV_BY_PCODE.items() if e == gov), None)
    unit, rest = gazetteer.resolve(n, hint)
    where = ""
    if unit is not None and unit.level >= 2:
        where = unit.id
    elif unit is None and rest:
        where = phonetic_key(rest).replace(" ", "")
    key = f"{kind}@{where}" if (kind or where) else None
    g = _GOV_BY_PCODE.get(unit.gov) if unit is not None else None
    return key, g, unit


def _birth_year(v: Any, rid: str) -> int | None:
    s = _clean(v)
    if not s:
        return None
    try:
        y = int(float(s))
    except ValueError as e:
        raise ValueError(f"report {rid}: birth_year {s!r} is not a year") from e
    if not 1880 <= y <= 2100:
        raise ValueError(f"report {rid}: birth_year {y} is out of range")
    return y


def _date(v: Any, rid: str) -> Any:
    s = _clean(v)
    if not s:
        return None
    try:
        return pd.Timestamp(s).date()
    except (ValueError, TypeError) as e:
        raise ValueError(f"report {rid}: disappearance_date {s!r} is not a date") from e


def _records(reports: Iterable[dict] | pd.DataFrame) -> list[dict]:
    if isinstance(reports, pd.DataFrame):
        return reports.to_dict("records")
    return list(reports)


def _son_fits(father: dict, son: dict) -> bool:
    """Whether a report could be of a son of the man of another report: same governorate
    where both are stated, and a son 15 to 50 years younger where both years are."""
    gf, gs = _governorate(father.get("governorate")), _governorate(son.get("governorate"))
    if gf and gs and gf != gs:
        return False
    try:
        yf, ys = int(float(_clean(father.get("birth_year")))), int(float(_clean(son.get("birth_year"))))
    except ValueError:
        return True
    return 15 <= ys - yf <= 50


def _resolve_kunyas(chains: dict[str, Chain], raw: dict[str, dict]) -> dict[str, str]:
    """Kunyas matched to the family's sons: a report of "Abu Ali" son of Mohammad of
    family F names the father of a man Ali whose grandfather is Mohammad of family F;
    where the register holds reports of such an Ali that fit as his son (same
    governorate, a plausible age gap) and agree on his father's name, that name is the
    given name of "Abu Ali".  Returns report id -> that name."""
    sons: dict[tuple, list[tuple[str, str]]] = {}
    for rid, c in chains.items():
        if c.given and c.given.tok and c.father and c.grandfather and c.family:
            sons.setdefault((c.given.tok, c.grandfather.tok, c.family.tok), []).append(
                (rid, c.father.raw))
    out = {}
    for rid, c in chains.items():
        if c.given is None and c.kunya and c.father and c.family:
            names = {n for sid, n in sons.get((c.kunya.tok, c.father.tok, c.family.tok), ())
                     if _son_fits(raw[rid], raw[sid])}
            ids = {min(name_ids(n)) if name_ids(n) else n for n in names}
            if len(ids) == 1:
                out[rid] = sorted(names)[0]
    return out


def _chains(records: list[dict]) -> dict[str, Chain]:
    raw = {_clean(r.get("report_id")): r for r in records}
    chains = {rid: read_chain(r) for rid, r in raw.items()}
    for rid, name in _resolve_kunyas(chains, raw).items():
        c = chains[rid]
        g = read_chain({"given_name": name}).given
        chains[rid] = replace(c, given=g, notes=(*c.notes, f"kunya resolved|{name}"))
    return chains


def prepare(reports: Iterable[dict] | pd.DataFrame,
            chains: dict[str, Chain] | None = None) -> pd.DataFrame:
    """Turn reports into the table the model compares (one row per report).

    Each report needs ``report_id`` (unique); every other field is optional.  Raises
    ``ValueError`` naming the report and field for duplicate ids, bad years or dates.
    Names are read by :func:`nasab.linkage.chain.read_chain` (any box, or ``full_name``).
    """
    rows = []
    seen: set[str] = set()
    records = _records(reports)
    for i, rep in enumerate(records):
        rid = _clean(rep.get("report_id"))
        if not rid:
            raise ValueError(f"report #{i + 1}: report_id is missing")
        if rid in seen:
            raise ValueError(f"report {rid}: report_id is not unique")
        seen.add(rid)
    if chains is None:
        chains = _chains(records)
    for rep in records:
        rid = _clean(rep.get("report_id"))
        ch = chains[rid]
        row: dict[str, Any] = {"report_id": rid}
        for p in NAME_PARTS:
            part = getattr(ch, _CHAIN_ATTR[p])
            f = part.forms if part else None
            row[f"{p}_norm"] = (f.norm or None) if f else None
            row[f"{p}_key"] = (f.key or None) if f else None
            row[f"{p}_scr"] = (f.script or None) if f else None
            row[f"{p}_vow"] = f.vowels if f and f.key else None
            row[f"{p}_tok"] = part.tok if part else None
            if p in _ID_PARTS:
                row[f"{p}_ids"] = "|".join(sorted(part.ids)) if part and part.ids else None
        row["chain"] = "|".join(ch.tokens_after_given()) or None
        sex = _clean(rep.get("sex")).upper()[:1]
        row["sex"] = sex if sex in ("M", "F") else None
        row["birth_year"] = _birth_year(rep.get("birth_year"), rid)
        gov = _governorate(rep.get("governorate"))
        place_key, place_gov, _ = _place(rep.get("disappearance_place"), gov)
        row["governorate"] = gov or place_gov
        row["disappearance_date"] = _date(rep.get("disappearance_date"), rid)
        row["place_key"] = place_key
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["birth_year"] = df["birth_year"].astype("Int64")
    df["disappearance_date"] = pd.to_datetime(df["disappearance_date"]).dt.date
    return df


# --- result types --------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedPair:
    """Two reports that probably describe the same person."""

    report_a: str
    report_b: str
    score: float  # match probability, 0..1
    match_weight: float  # log2 Bayes factor incl. prior
    reasons: tuple[str, ...] = field(default=())  # in English
    reasons_ar: tuple[str, ...] = field(default=())  # the same reasons in Arabic

    def as_row(self) -> dict:
        return {
            "report_a": self.report_a,
            "report_b": self.report_b,
            "score": round(self.score, 4),
            "match_weight": round(self.match_weight, 2),
            "reasons": "; ".join(self.reasons),
            "reasons_ar": "؛ ".join(self.reasons_ar),
        }


# --- model ---------------------------------------------------------------------------


def _connection():
    """A DuckDB connection with the vowel-compatibility function registered."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.create_function(
        "nasab_vowels_ok",
        vowels_compatible,
        ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"],
        "BOOLEAN",
        null_handling="special",
        side_effects=False,
    )
    return con


def _quiet_splink() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)


class DedupModel:
    """A splink model over one set of prepared reports.

    ``DedupModel(reports).train().predict(threshold)``.  Kept as an object so that the
    portal can train once on the whole register and score new reports against it
    (:meth:`candidates_for`).
    """

    def __init__(
        self,
        reports: Iterable[dict] | pd.DataFrame,
        prior_match: float | None = None,
        parameters: dict | None = None,
    ):
        """``parameters``: the output of :meth:`parameters` of a model trained earlier
        (e.g. stored as JSON by the portal); the model then counts as trained and
        :meth:`train` is not needed."""
        from splink import DuckDBAPI, Linker  # imported lazily: heavy

        _quiet_splink()
        records = _records(reports)
        _check_ids(records)
        self.chains = _chains(records)
        self.table = prepare(records, self.chains)  # checks values first
        self.raw = {_clean(r.get("report_id")): r for r in records}
        self._facts = {rid: _facts(self.chains[rid], self.raw[rid]) for rid in self.raw}
        n = len(self.table)
        if prior_match is None:
            # about 1.5 other reports of each person among n reports
            prior_match = min(0.5, 1.5 / max(n - 1, 1))
        self.trained = False
        #: why parts of the training were skipped (degenerate data), for the log
        self.training_notes: list[str] = []
        self._tf_ready = False
        self.linker = None
        if n >= 2:
            self._db = DuckDBAPI(_connection())
            self._sdf = self._db.register(self.table)
            settings = _settings(prior_match)
            if parameters is not None:
                if parameters.get("nasab_model") != _MODEL_VERSION:
                    raise ValueError("parameters come from another version of the model")
                settings["comparisons"] = parameters["comparisons"]
                self.trained = True
            self.linker = Linker(self._sdf, settings, log_level=logging.ERROR)
        #: pairs that scored above the threshold but were held back as probably two
        #: relatives (different given names, birth years decades apart, one generation
        #: apart, or a report that fits two persons who cannot be one)
        self.possible_relatives: list[tuple[str, str, float]] = []
        #: why each pair of :attr:`possible_relatives` was held back (English, Arabic)
        self.relative_reasons: dict[tuple[str, str], tuple[str, str]] = {}

    def train(self, seed: int = 1) -> DedupModel:
        """Estimate the u-probabilities by random sampling (skipped for small inputs).

        The m-probabilities (how often two reports of one person disagree on a field)
        are stated, not estimated: expectation maximisation on intake data converges to
        a "match" class that mixes namesakes and relatives with true duplicates (on the
        intake benchmark it learned that reports of one person disagree on the family
        name 64% of the time), and that class is exactly the error to avoid.  u (how
        often two different persons agree by chance) is the register's own frequency.
        """
        if self.linker is None or len(self.table) < MIN_RECORDS_FOR_TRAINING:
            return self
        from splink.internals.exceptions import SplinkException

        try:
            self.linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
        except SplinkException as e:  # degenerate data: keep the priors
            self.training_notes.append(f"u not estimated: {str(e).splitlines()[0]}")
            return self
        self.trained = True
        return self

    def predict(self, threshold: float = DEFAULT_THRESHOLD) -> list[ProposedPair]:
        """Scored pairs with match probability ≥ ``threshold``, best first."""
        if self.linker is None:
            return []
        df = self.linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        ).as_pandas_dataframe()
        return self._pairs(df)

    def parameters(self) -> dict:
        """The estimated m/u parameters as a JSON-serialisable dict, to build a trained
        model later (``DedupModel(reports, parameters=...)``) without training again."""
        if self.linker is None:
            raise ValueError("a model of fewer than two reports has no parameters")
        settings = self.linker.misc.save_model_to_json()
        return {"nasab_model": _MODEL_VERSION, "comparisons": settings["comparisons"]}

    def candidates(self, new_report: dict, threshold: float = 0.5) -> list[ProposedPair]:
        """Score one new report against this model's reports (see :func:`candidates_for`)."""
        nid = _new_report_id(new_report, self.raw)
        new = {**new_report, "report_id": nid}
        if self.linker is None:
            return candidates_for(new, list(self.raw.values()), threshold)
        if not self._tf_ready:
            for p in _TF_PARTS:
                for col in (f"{p}_tok", f"{p}_key"):
                    self.linker.table_management.compute_tf_table(col)
            self._tf_ready = True
        ch = _chains([new])[nid]
        sdf_new = self._db.register(prepare([new], {nid: ch}))
        df = self.linker.inference.predict_between(
            self._sdf, sdf_new, threshold_match_probability=threshold, warning_mode="never"
        ).as_pandas_dataframe()
        facts = {**self._facts, nid: _facts(ch, new)}
        raw = {**self.raw, nid: new}
        chains = {**self.chains, nid: ch}
        out = []
        for row in df.to_dict("records"):
            a, b = str(row["report_id_l"]), str(row["report_id_r"])
            other = a if b == nid else b
            if _held_back(row, facts[nid], facts[other]):
                continue  # relatives, as in predict()
            en, ar = explain_pair(new, raw[other], chains[nid], chains[other])
            out.append(ProposedPair(nid, other, float(row["match_probability"]),
                                    float(row["match_weight"]), tuple(en), tuple(ar)))
        out.sort(key=lambda p: (-p.score, p.report_b))
        return out

    def _pairs(self, df: pd.DataFrame) -> list[ProposedPair]:
        scored = []
        self.possible_relatives = []
        self.relative_reasons = {}

        def hold(a: str, b: str, score: float, why: tuple[str, str]) -> None:
            self.possible_relatives.append((a, b, score))
            self.relative_reasons[(a, b)] = why

        for row in df.to_dict("records"):
            a, b = str(row["report_id_l"]), str(row["report_id_r"])
            if a > b:
                a, b = b, a
            why = _held_back(row, self._facts[a], self._facts[b])
            if why:
                # However much else agrees (father, mother, family, date and place of
                # disappearance), these are most likely two relatives.
                hold(a, b, float(row["match_probability"]), why)
                continue
            scored.append((float(row["match_probability"]), float(row["match_weight"]), a, b))
        scored.sort(key=lambda t: (-t[0], t[2], t[3]))
        # One report cannot be two persons: a report that fits reports of two brothers
        # (a kunya, a nickname, no given name) is paired with the better one only.
        partners: dict[str, list[str]] = {}
        out = []
        for score, weight, a, b in scored:
            clash = next((x for x in partners.get(a, ()) if self._cannot(b, x)), None) or next(
                (x for x in partners.get(b, ()) if self._cannot(a, x)), None)
            if clash is not None:
                hold(a, b, score, (
                    f"fits another report that cannot be the same person ({clash})",
                    f"يطابق بلاغاً آخر لا يمكن أن يكون للشخص نفسه ({clash})"))
                continue
            partners.setdefault(a, []).append(b)
            partners.setdefault(b, []).append(a)
            en, ar = explain_pair(self.raw[a], self.raw[b], self.chains[a], self.chains[b])
            out.append(ProposedPair(a, b, score, weight, tuple(en), tuple(ar)))
        return out

    def _cannot(self, x: str, y: str) -> bool:
        return _cannot(self._facts[x], self._facts[y])


def _new_report_id(report: dict, taken: dict) -> str:
    nid = _clean(report.get("report_id")) or "__new__"
    if nid in taken:
        raise ValueError(f"report {nid}: report_id is already in the register")
    return nid


def find_duplicates(
    reports: Iterable[dict] | pd.DataFrame, threshold: float = DEFAULT_THRESHOLD
) -> list[ProposedPair]:
    """Propose pairs of reports that probably describe the same person.

    ``reports``: dicts (or DataFrame rows) with ``report_id`` and any of the fields of
    :data:`nasab.linkage.synth.REPORT_FIELDS`.  Returns pairs with match probability
    ≥ ``threshold``, best first, each with reasons.
    """
    return DedupModel(reports).train().predict(threshold)


def candidates_for(
    new_report: dict,
    existing: Iterable[dict] | pd.DataFrame | None = None,
    threshold: float = 0.5,
    model: DedupModel | None = None,
) -> list[ProposedPair]:
    """Reports in the register that may describe the same person as ``new_report``.

    With ``model`` (a :class:`DedupModel` over the register, trained once), the new
    report is scored against the model's reports with splink's ``predict_between``
    (the same blocking rules and parameters, term frequencies of the register), without
    preparing the register again: fast enough to call while a report is being entered.
    ``existing`` is then not needed (and not used).  Without ``model``, a model is built
    over ``existing`` (and trained when large enough).

    ``report_a`` of each result is the new report's id, ``report_b`` the existing one.
    The default threshold is lower than for batch detection: the result is a list for a
    person to look at, not a decision.
    """
    if model is None:
        records = _records(existing if existing is not None else [])
        nid = _clean(new_report.get("report_id")) or "__new__"
        records = [r for r in records if _clean(r.get("report_id")) != nid]
        if len(records) < 2:  # too few for a model of their own: score all together
            new = {**new_report, "report_id": nid}
            m = DedupModel([*records, new])
            return [
                ProposedPair(nid, other, p.score, p.match_weight, p.reasons)
                for p in m.predict(threshold)
                if nid in (p.report_a, p.report_b)
                for other in [p.report_b if p.report_a == nid else p.report_a]
            ]
        model = DedupModel(records).train()
    return model.candidates(new_report, threshold)


def cluster_pairs(
    pairs: Iterable[ProposedPair],
    report_ids: Iterable[str] = (),
    reports: Iterable[dict] | pd.DataFrame | None = None,
) -> list[list[str]]:
    """Group reports into persons from the proposed pairs.

    Pairs are taken best first and join their two groups (single linkage).  With
    ``reports`` given, two groups are *not* joined when any report of one and any report
    of the other cannot be the same person (:func:`cannot_be_same`: incompatible given
    names, different sex, birth years more than three years apart): one doubtful pair
    must not chain two brothers together through their shared reports.

    Reports in ``report_ids`` (or ``reports``) that appear in no pair come back as
    single-report persons.  Clusters are sorted lists, largest first.
    """
    by_id: dict[str, dict] = {}
    if reports is not None:
        by_id = {_clean(r.get("report_id")): r for r in _records(reports)}
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}

    def find(x: str) -> str:
        if x not in parent:
            parent[x] = x
            members[x] = [x]
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rid in (*map(str, report_ids), *by_id):
        find(rid)
    for p in sorted(pairs, key=lambda p: (-p.score, p.report_a, p.report_b)):
        ra, rb = find(p.report_a), find(p.report_b)
        if ra == rb:
            continue
        if by_id and any(
            cannot_be_same(by_id[x], by_id[y])
            for x in members[ra]
            for y in members[rb]
            if x in by_id and y in by_id
        ):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members[keep].extend(members.pop(gone))
    groups = [sorted(m) for m in members.values()]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


# --- name levels in Python (the same rules as the SQL levels, for reasons and clustering)


def _jaro_winkler(s: str, t: str) -> float:
    if s == t:
        return 1.0
    if not s or not t:
        return 0.0
    window = max(max(len(s), len(t)) // 2 - 1, 0)
    ms, mt = [False] * len(s), [False] * len(t)
    m = 0
    for i, c in enumerate(s):
        for j in range(max(0, i - window), min(len(t), i + window + 1)):
            if not mt[j] and t[j] == c:
                ms[i] = mt[j] = True
                m += 1
                break
    if not m:
        return 0.0
    a = [c for c, f in zip(s, ms, strict=True) if f]
    b = [c for c, f in zip(t, mt, strict=True) if f]
    trans = sum(x != y for x, y in zip(a, b, strict=True)) / 2
    jaro = (m / len(s) + m / len(t) + (m - trans) / m) / 3
    prefix = 0
    for x, y in zip(s[:4], t[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _osa_distance(s: str, t: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    d = [[0] * (len(t) + 1) for _ in range(len(s) + 1)]
    for i in range(len(s) + 1):
        d[i][0] = i
    for j in range(len(t) + 1):
        d[0][j] = j
    for i in range(1, len(s) + 1):
        for j in range(1, len(t) + 1):
            cost = s[i - 1] != t[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and s[i - 1] == t[j - 2] and s[i - 2] == t[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def name_level(fa: NameForms, fb: NameForms) -> str:
    """Comparison level of two name forms, by the rules of the model's SQL levels.

    One of ``exact``, ``phonetic``, ``key``, ``similar``, ``near key``, ``else`` (or
    ``null`` when one is missing).
    """
    if not fa.key or not fb.key:
        return "null"
    if fa.norm == fb.norm:
        return "exact"
    if fa.key == fb.key:
        ok = vowels_compatible(fa.vowels, fb.vowels, fa.script, fb.script)
        return "phonetic" if ok else "key"
    if fa.key[0] == fb.key[0] and _jaro_winkler(fa.key, fb.key) >= 0.88:
        return "similar"
    if (fa.script == fb.script and fa.norm[:1] == fb.norm[:1] and len(fa.norm) >= 3
            and _osa_distance(fa.norm, fb.norm) <= 1):
        return "similar"
    if (fa.key[0] == fb.key[0] and len(fa.key) >= 3 and len(fb.key) >= 3
            and _osa_distance(fa.key, fb.key) <= 1):
        return "near key"
    return "else"


# --- rules on the reports' facts (Python; the same name rules as the SQL levels) -------


@dataclass(frozen=True)
class _Facts:
    chain: Chain
    sex: str
    year: int | None


def _check_ids(records: list[dict]) -> None:
    seen: set[str] = set()
    for i, rep in enumerate(records):
        rid = _clean(rep.get("report_id"))
        if not rid:
            raise ValueError(f"report #{i + 1}: report_id is missing")
        if rid in seen:
            raise ValueError(f"report {rid}: report_id is not unique")
        seen.add(rid)


def _facts(chain: Chain, rep: dict) -> _Facts:
    sex = _clean(rep.get("sex")).upper()[:1]
    try:
        y = int(float(_clean(rep.get("birth_year")))) if _clean(rep.get("birth_year")) else None
    except ValueError:
        y = None
    return _Facts(chain, sex if sex in ("M", "F") else "", y)


def part_relation(pa, pb) -> str:
    """How two name parts (:class:`nasab.linkage.chain.Part`) compare: ``same``
    (a shared lexicon identity, or equal after normalisation), ``distinct`` (both known
    to the lexicon as different names), else the string level of :func:`name_level`."""
    if pa is None or pb is None:
        return "null"
    if pa.forms.norm == pb.forms.norm or (pa.ids & pb.ids):
        return "same"
    if pa.ids and pb.ids:
        return "distinct"
    return name_level(pa.forms, pb.forms)


def _one_generation_apart(a: Chain, b: Chain) -> bool:
    """b's given name is a's father's and b's father a's grandfather (or the other way),
    or one is "Abu X" and X is the other's given name with the kunya's father as his
    grandfather: a father and his son."""
    if any(c.given is not None and len(c.given.ids) > 1 for c in (a, b)):
        return False  # "Mohammad Wael": compound or Mohammad son of Wael, cannot tell
    for x, y in ((a, b), (b, a)):
        if (x.father and y.given and x.grandfather and y.father
                and part_relation(x.father, y.given) == "same"
                and part_relation(x.grandfather, y.father) == "same"):
            return True
        if (x.kunya and y.given and part_relation(x.kunya, y.given) == "same"
                and x.father and y.grandfather
                and part_relation(x.father, y.grandfather) == "same"):
            return True
    return False


def _father_uncertain(c: Chain) -> bool:
    """A full name of three parts: its middle name may be the father's or, with the
    father's name skipped, the grandfather's."""
    return c.grandfather is None and any(n.startswith("full name|") for n in c.notes)


def _held_back(row: dict, fa: _Facts, fb: _Facts) -> tuple[str, str] | None:
    """Why a scored pair is two relatives rather than one person, or None."""
    if row.get("gamma_given_name") in _GIVEN_DIFFERENT:
        return ("different given names (brothers, sisters or cousins?)",
                "الاسمان مختلفان (أخوان أو أبناء عم؟)")
    if fa.year and fb.year and abs(fa.year - fb.year) > MAX_BIRTH_YEAR_GAP:
        d = abs(fa.year - fb.year)
        return (f"birth years {d} years apart (father and son?)",
                f"سنتا الولادة متباعدتان {d} سنة (أب وابن؟)")
    if _one_generation_apart(fa.chain, fb.chain):
        return ("names one generation apart (father and son?)",
                "الأسماء متزاحة بجيل واحد (أب وابن؟)")
    ca, cb = fa.chain, fb.chain
    if part_relation(ca.father, cb.father) == "distinct" and not _father_uncertain(ca) and not (
            _father_uncertain(cb)) and not (
            ca.father.tok in cb.tokens_after_given()[1:]
            or cb.father.tok in ca.tokens_after_given()[1:]):
        return ("fathers' names differ (cousins?)", "اسما الأبوين مختلفان (أبناء عم؟)")
    if (ca.given is None) != (cb.given is None) and not (
            fa.year and fb.year and abs(fa.year - fb.year) <= 2):
        return ("given name not stated in one report and birth years do not agree "
                "(a brother?)",
                "الاسم غير مذكور في أحد البلاغين وسنتا الولادة لا تتفقان (أخ؟)")
    return None


def _cannot(fa: _Facts, fb: _Facts) -> bool:
    if part_relation(fa.chain.given, fb.chain.given) in ("distinct", "else"):
        return True
    if fa.sex and fb.sex and fa.sex != fb.sex:
        return True
    if fa.year and fb.year and abs(fa.year - fb.year) > MAX_BIRTH_YEAR_GAP:
        return True
    return _one_generation_apart(fa.chain, fb.chain)


def cannot_be_same(a: dict, b: dict) -> bool:
    """Hard constraints for clustering: reports that describe different persons
    (different given names by the lexicon or by spelling, different sex, birth years
    more than :data:`MAX_BIRTH_YEAR_GAP` apart, names one generation apart)."""
    return _cannot(_facts(read_chain(a), a), _facts(read_chain(b), b))


# --- reasons -------------------------------------------------------------------------


def _ids_text(ids) -> str:
    return "/".join(sorted(ids))


def _name_reason(p: str, pa, pb) -> tuple[str, str] | None:
    if pa is None or pb is None:
        return None
    label, lab_ar = _LABELS[p], _LABELS_AR[p]
    a, b = pa.raw, pb.raw
    rel = part_relation(pa, pb)
    if rel == "same":
        if a == b:
            return f"{label} identical: {a}", f"{lab_ar} متطابق: {a}"
        nick = (nickname_of(a) or nickname_of(b))
        if nick and name_ids(a) != name_ids(b):
            return (f"{label}: {a} ~ {b} (nickname of {_ids_text(nick)})",
                    f"{lab_ar}: {a} ~ {b} (اسم تحبب)")
        if pa.forms.script != pb.forms.script:
            return (f"{label} matches across scripts: {a} ~ {b}",
                    f"{lab_ar} متطابق بين الخطين العربي واللاتيني: {a} ~ {b}")
        return (f"{label} matches after normalisation: {a} ~ {b}",
                f"{lab_ar} متطابق بعد توحيد الكتابة: {a} ~ {b}")
    if rel == "distinct":
        return (f"{label} differs: {a} / {b} (different names)",
                f"{lab_ar} مختلف: {a} / {b} (اسمان مختلفان)")
    if rel == "phonetic":
        if pa.forms.script != pb.forms.script:
            return (f"{label} matches across scripts: {a} ~ {b}",
                    f"{lab_ar} متطابق بين الخطين العربي واللاتيني: {a} ~ {b}")
        return f"{label} sounds alike: {a} ~ {b}", f"{lab_ar} متشابه في اللفظ: {a} ~ {b}"
    if rel == "key":
        return (f"{label} same consonants, different vowels: {a} ~ {b}",
                f"{lab_ar} الحروف نفسها بحركات مختلفة: {a} ~ {b}")
    if rel in ("similar", "near key"):
        return (f"{label} similar (typing error?): {a} ~ {b}",
                f"{lab_ar} متشابه (خطأ كتابة؟): {a} ~ {b}")
    return f"{label} differs: {a} / {b}", f"{lab_ar} مختلف: {a} / {b}"


def _note_reasons(rid_chain: Chain) -> list[tuple[str, str]]:
    out = []
    for note in rid_chain.notes:
        kind, _, text = note.partition("|")
        if kind == "full name":
            out.append((f"full name read into parts: {text}",
                        f"الاسم الكامل قُسّم إلى أجزائه: {text}"))
        elif kind == "compound":
            out.append((f"compound name {text}: compared by its second part",
                        f"اسم مركب {text}: قورن بجزئه الثاني"))
        elif kind == "kunya":
            out.append((f"kunya Abu {text}: given name not stated",
                        f"كنية أبو {text}: الاسم غير مذكور"))
        elif kind == "kunya resolved":
            out.append((f"kunya matched to the reports of his son: given name {text}",
                        f"الكنية طوبقت مع بلاغات ابنه: الاسم {text}"))
        elif kind == "father in given box":
            out.append((f"given-name box also holds the father's name: {text}",
                        f"خانة الاسم تحوي اسم الأب أيضاً: {text}"))
        elif kind == "mother with family name":
            out.append((f"mother's name with her family name: {text}",
                        f"اسم الأم مع كنيتها: {text}"))
    return out


def explain_pair(a: dict, b: dict, ca: Chain | None = None, cb: Chain | None = None
                 ) -> tuple[list[str], list[str]]:
    """Reasons for (or against) two reports being the same person, in English and in
    Arabic (the same reasons, in the same order)."""
    ca = ca or read_chain(a)
    cb = cb or read_chain(b)
    out: list[tuple[str, str]] = []
    for p in NAME_PARTS:
        r = _name_reason(p, getattr(ca, _CHAIN_ATTR[p]), getattr(cb, _CHAIN_ATTR[p]))
        if r:
            out.append(r)
    if ca.kunya and cb.kunya and part_relation(ca.kunya, cb.kunya) == "same":
        out.append((f"same kunya: Abu {ca.kunya.raw} ~ Abu {cb.kunya.raw}",
                    f"الكنية نفسها: أبو {ca.kunya.raw} ~ أبو {cb.kunya.raw}"))
    if (ca.father and cb.grandfather and not cb.father
            and part_relation(ca.father, cb.grandfather) == "same") or (
            cb.father and ca.grandfather and not ca.father
            and part_relation(cb.father, ca.grandfather) == "same"):
        out.append(("father's name skipped in one report",
                    "اسم الأب محذوف في أحد البلاغين"))
    seen_notes = set()
    for c in (ca, cb):
        for r in _note_reasons(c):
            if r not in seen_notes:
                seen_notes.add(r)
                out.append(r)
    ya, yb = _clean(a.get("birth_year")), _clean(b.get("birth_year"))
    if ya and yb:
        try:
            d = abs(int(float(ya)) - int(float(yb)))
        except ValueError:
            d = -1
        if d == 0:
            out.append((f"same birth year {int(float(ya))}",
                        f"سنة الولادة نفسها {int(float(ya))}"))
        elif d > 0:
            out.append((f"birth year differs by {d}", f"سنة الولادة تختلف بـ {d}"))
    ga, gb = _governorate(a.get("governorate")), _governorate(b.get("governorate"))
    if ga and gb:
        if ga == gb:
            wa, wb = _clean(a.get("governorate")), _clean(b.get("governorate"))
            tail = f" ({wa} ~ {wb})" if wa != wb else ""
            out.append((f"same governorate {ga}{tail}",
                        f"المحافظة نفسها {_GOV_AR.get(ga, ga)}{tail}"))
        else:
            out.append((f"governorates differ: {ga} / {gb}",
                        f"المحافظتان مختلفتان: {_GOV_AR.get(ga, ga)} / {_GOV_AR.get(gb, gb)}"))
    da, db = _clean(a.get("disappearance_date")), _clean(b.get("disappearance_date"))
    if da and db:
        try:
            days = abs((pd.Timestamp(da) - pd.Timestamp(db)).days)
            out.append(
                (f"disappeared the same day {da}", f"فُقد في اليوم نفسه {da}") if days == 0
                else (f"disappearance dates {days} days apart",
                      f"تاريخا الفقدان متباعدان {days} يوماً")
            )
        except (ValueError, TypeError):
            pass
    pa, _, ua = _place(a.get("disappearance_place"), ga)
    pb, _, ub = _place(b.get("disappearance_place"), gb)
    if pa and pb:
        if pa == pb:
            where = f" ({ua.name})" if ua is not None and ua.level >= 2 else ""
            out.append((f"same place of disappearance{where}", f"مكان الفقدان نفسه{where}"))
        else:
            out.append(("places of disappearance differ", "مكانا الفقدان مختلفان"))
    return [x for x, _ in out], [y for _, y in out]


def explain(a: dict, b: dict) -> list[str]:
    """Reasons (English) for (or against) two reports being the same person."""
    return explain_pair(a, b)[0]
