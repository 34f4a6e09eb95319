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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nasab.linkage.names import GOVERNORATES, PLACES
from nasab.linkage.normalise import (
    NAME_PARTS,
    NameForms,
    name_forms,
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
_MODEL_VERSION = 1  # of the comparisons below; stored with saved parameters
MIN_RECORDS_FOR_TRAINING = 1000

_LABELS = {
    "given_name": "given name",
    "father_name": "father's name",
    "grandfather_name": "grandfather's name",
    "family_name": "family name",
    "mother_name": "mother's name",
}

# Levels of a name comparison, most specific first (ElseLevel and NullLevel added).
_NAME_LEVELS = (
    ("exact", "{p}_norm_l = {p}_norm_r"),
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
# Prior (m, u) per level, used as EM start and as the model for small inputs; the
# given name keeps its m (see below), so a different given name is a firm "no".
_NAME_PRIORS = (
    (0.3, 0.01), (0.58, 0.02), (0.02, 0.01), (0.04, 0.01), (0.03, 0.02), (0.03, 0.93)
)
_GIVEN_PRIORS = (
    (0.3, 0.01), (0.6, 0.02), (0.02, 0.01), (0.05, 0.01), (0.029, 0.02), (0.001, 0.93)
)
# The given name is not re-estimated by EM: the commonest false match among reports of
# one family is a brother or sister, who shares father, mother, family name, governorate
# and often date and place of disappearance.  Under the model's independence assumption
# that shared evidence adds up, so only a firm penalty for a different given name keeps
# siblings apart.  EM on such data would learn the sibling rate as typing errors.
_FIXED_M_PARTS = ("given_name",)
_TF_PARTS = ("given_name", "father_name", "family_name")


def _name_comparison(p: str) -> dict:
    levels: list[dict[str, Any]] = [
        {
            "sql_condition": f"{p}_key_l IS NULL OR {p}_key_r IS NULL",
            "label_for_charts": "null",
            "is_null_level": True,
        }
    ]
    priors = _GIVEN_PRIORS if p == "given_name" else _NAME_PRIORS
    for (label, sql), (m, u) in zip(_NAME_LEVELS, priors, strict=False):
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
            lvl["tf_adjustment_column"] = f"{p}_norm" if label == "exact" else f"{p}_key"
            lvl["tf_adjustment_weight"] = 1.0
            lvl["disable_tf_exact_match_detection"] = True
        levels.append(lvl)
    m, u = priors[-1]
    levels.append({"sql_condition": "ELSE", "label_for_charts": "else",
                   "m_probability": m, "u_probability": u,
                   "fix_m_probability": p in _FIXED_M_PARTS})
    return {"output_column_name": p, "comparison_levels": levels}


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

_COMPARISONS = [
    *(_name_comparison(p) for p in NAME_PARTS),
    _simple_comparison(
        "birth_year",
        "birth_year",
        [
            ("exact", "birth_year_l = birth_year_r", 0.6, 0.025),
            ("within 1", f"{_BY_DIFF} <= 1", 0.31, 0.05),
            ("within 2", f"{_BY_DIFF} <= 2", 0.08, 0.05),
            ("else", "ELSE", 0.01, 0.875),
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
        [("exact", "governorate_l = governorate_r", 0.95, 0.12), ("else", "ELSE", 0.05, 0.88)],
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
                     f"{_DATE_DIFF} <= 31 AND place_key_l = place_key_r", 0.65, 0.002),
                    ("same month", f"{_DATE_DIFF} <= 31", 0.2, 0.015),
                    ("same place, date unknown",
                     "(disappearance_date_l IS NULL OR disappearance_date_r IS NULL) "
                     "AND place_key_l = place_key_r", 0.5, 0.1),
                    ("within 400 days", f"{_DATE_DIFF} <= 400", 0.14, 0.2),
                    ("else", "ELSE", 0.01, 0.783),
                ]
            ),
        ],
    },
]

_BLOCKING = [
    "l.given_name_key = r.given_name_key AND l.family_name_key = r.family_name_key",
    "l.given_name_key = r.given_name_key AND l.father_name_key = r.father_name_key",
    "l.father_name_key = r.father_name_key AND l.family_name_key = r.family_name_key "
    "AND l.governorate = r.governorate",
    "l.given_name_key = r.given_name_key AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
    "l.given_name_key = r.given_name_key AND l.grandfather_name_key = r.grandfather_name_key",
    "l.given_name_key = r.given_name_key AND l.mother_name_key = r.mother_name_key",
    "l.family_name_key = r.family_name_key AND l.mother_name_key = r.mother_name_key "
    "AND l.governorate = r.governorate",
    "l.family_name_key = r.family_name_key AND l.disappearance_date = r.disappearance_date",
    "l.given_name_key = r.given_name_key AND l.disappearance_date = r.disappearance_date",
    # for a given name mistyped beyond its key
    "l.father_name_key = r.father_name_key AND l.grandfather_name_key = r.grandfather_name_key "
    "AND l.governorate = r.governorate",
    "l.grandfather_name_key = r.grandfather_name_key AND l.family_name_key = r.family_name_key "
    "AND l.governorate = r.governorate",
    "l.family_name_key = r.family_name_key AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
    "l.father_name_key = r.father_name_key AND l.family_name_key = r.family_name_key "
    "AND l.birth_year = r.birth_year",
    "l.father_name_key = r.father_name_key AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
]
_EM_BLOCKING = [
    "l.family_name_key = r.family_name_key AND l.birth_year = r.birth_year",
    "l.given_name_key = r.given_name_key AND l.father_name_key = r.father_name_key",
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

_GOV_LOOKUP: dict[str, str] = {}
for _en, _ar in GOVERNORATES:
    _GOV_LOOKUP[phonetic_key(_en, family=True)] = _en
    _GOV_LOOKUP[phonetic_key(_ar, family=True)] = _en
_GOV_NAMES_RE = re.compile(
    "|".join(re.escape(n) for n in sorted((x for g in GOVERNORATES for x in g), key=len,
                                          reverse=True)),
    re.IGNORECASE,
)
_PLACE_WORDS: dict[str, str] = {_ar: _en for _en, _ar in PLACES}


def _clean(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v != v:  # NaN
        return ""
    return str(v).strip()


def _governorate(v: Any) -> str | None:
    s = _clean(v)
    if not s:
        return None
    return _GOV_LOOKUP.get(phonetic_key(s, family=True), s.casefold())


def _place_key(v: Any) -> str | None:
    s = _clean(v)
    if not s:
        return None
    # governorate names are compared by the governorate field, not a second time here
    s = _GOV_NAMES_RE.sub(" ", s)
    for ar, en in sorted(_PLACE_WORDS.items(), key=lambda kv: -len(kv[0])):
        s = s.replace(ar, f" {en} ")
    return phonetic_key(s) or None


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


def prepare(reports: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """Turn reports into the table the model compares (one row per report).

    Each report needs ``report_id`` (unique); every other field is optional.  Raises
    ``ValueError`` naming the report and field for duplicate ids, bad years or dates.
    """
    rows = []
    seen: set[str] = set()
    for i, rep in enumerate(_records(reports)):
        rid = _clean(rep.get("report_id"))
        if not rid:
            raise ValueError(f"report #{i + 1}: report_id is missing")
        if rid in seen:
            raise ValueError(f"report {rid}: report_id is not unique")
        seen.add(rid)
        row: dict[str, Any] = {"report_id": rid}
        for p in NAME_PARTS:
            f = name_forms(_clean(rep.get(p)), family=(p == "family_name"))
            row[f"{p}_norm"] = f.norm or None
            row[f"{p}_key"] = f.key or None
            row[f"{p}_scr"] = f.script or None
            row[f"{p}_vow"] = f.vowels if f.key else None
        sex = _clean(rep.get("sex")).upper()[:1]
        row["sex"] = sex if sex in ("M", "F") else None
        row["birth_year"] = _birth_year(rep.get("birth_year"), rid)
        row["governorate"] = _governorate(rep.get("governorate"))
        row["disappearance_date"] = _date(rep.get("disappearance_date"), rid)
        row["place_key"] = _place_key(rep.get("disappearance_place"))
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
    reasons: tuple[str, ...] = field(default=())

    def as_row(self) -> dict:
        return {
            "report_a": self.report_a,
            "report_b": self.report_b,
            "score": round(self.score, 4),
            "match_weight": round(self.match_weight, 2),
            "reasons": "; ".join(self.reasons),
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
        self.table = prepare(records)  # checks ids and values first
        self.raw = {_clean(r.get("report_id")): r for r in records}
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
        #: pairs that scored above the threshold but were held back by the sibling rule
        self.possible_relatives: list[tuple[str, str, float]] = []

    def train(self, seed: int = 1) -> DedupModel:
        """Estimate u by random sampling and m by EM (skipped for small inputs)."""
        if self.linker is None or len(self.table) < MIN_RECORDS_FOR_TRAINING:
            return self
        from splink.internals.exceptions import SplinkException

        tr = self.linker.training
        try:
            tr.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
        except SplinkException as e:  # degenerate data: keep the priors
            self.training_notes.append(f"u not estimated: {str(e).splitlines()[0]}")
            return self
        for rule in _EM_BLOCKING:
            try:
                tr.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=False
                )
                self.trained = True
            except SplinkException as e:  # e.g. no pairs under this rule
                self.training_notes.append(f"EM on {rule!r} skipped: "
                                           f"{str(e).splitlines()[0]}")
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
                for col in (f"{p}_norm", f"{p}_key"):
                    self.linker.table_management.compute_tf_table(col)
            self._tf_ready = True
        sdf_new = self._db.register(prepare([new]))
        df = self.linker.inference.predict_between(
            self._sdf, sdf_new, threshold_match_probability=threshold, warning_mode="never"
        ).as_pandas_dataframe()
        out = []
        for row in df.to_dict("records"):
            if row.get("gamma_given_name") == 0:
                continue  # sibling rule, as in predict()
            a, b = str(row["report_id_l"]), str(row["report_id_r"])
            other = a if b == nid else b
            out.append(ProposedPair(nid, other, float(row["match_probability"]),
                                    float(row["match_weight"]),
                                    tuple(explain(new, self.raw[other]))))
        out.sort(key=lambda p: (-p.score, p.report_b))
        return out

    def _pairs(self, df: pd.DataFrame) -> list[ProposedPair]:
        out = []
        self.possible_relatives = []
        for row in df.to_dict("records"):
            a, b = str(row["report_id_l"]), str(row["report_id_r"])
            if a > b:
                a, b = b, a
            if row.get("gamma_given_name") == 0:
                # Sibling rule: both reports give a given name and the names are
                # incompatible.  However much else agrees (father, mother, family, date
                # and place of disappearance), these are most likely two relatives.
                self.possible_relatives.append((a, b, float(row["match_probability"])))
                continue
            out.append(
                ProposedPair(
                    report_a=a,
                    report_b=b,
                    score=float(row["match_probability"]),
                    match_weight=float(row["match_weight"]),
                    reasons=tuple(explain(self.raw[a], self.raw[b])),
                )
            )
        out.sort(key=lambda p: (-p.score, p.report_a, p.report_b))
        return out


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


def cannot_be_same(a: dict, b: dict) -> bool:
    """Hard constraints for clustering: reports that describe different persons."""
    ga, gb = _clean(a.get("given_name")), _clean(b.get("given_name"))
    if ga and gb and name_level(name_forms(ga), name_forms(gb)) == "else":
        return True
    sa, sb = _clean(a.get("sex")).upper()[:1], _clean(b.get("sex")).upper()[:1]
    if sa in ("M", "F") and sb in ("M", "F") and sa != sb:
        return True
    ya, yb = _clean(a.get("birth_year")), _clean(b.get("birth_year"))
    try:
        return bool(ya and yb and abs(int(float(ya)) - int(float(yb))) > 3)
    except ValueError:
        return False


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


# --- reasons -------------------------------------------------------------------------


def _name_reason(label: str, a: str, b: str, family: bool) -> str | None:
    if not a or not b:
        return None
    fa, fb = name_forms(a, family=family), name_forms(b, family=family)
    level = name_level(fa, fb)
    if level == "exact":
        if a == b:
            return f"{label} identical: {a}"
        return f"{label} matches after normalisation: {a} ~ {b}"
    if level == "phonetic":
        if fa.script != fb.script:
            return f"{label} matches across scripts: {a} ~ {b}"
        return f"{label} sounds alike: {a} ~ {b}"
    if level == "key":
        return f"{label} same consonants, different vowels: {a} ~ {b}"
    if level in ("similar", "near key"):
        return f"{label} similar (typing error?): {a} ~ {b}"
    return f"{label} differs: {a} / {b}"


def explain(a: dict, b: dict) -> list[str]:
    """Human-readable reasons for (or against) two reports being the same person."""
    out = []
    for p in NAME_PARTS:
        r = _name_reason(_LABELS[p], _clean(a.get(p)), _clean(b.get(p)), p == "family_name")
        if r:
            out.append(r)
    ya, yb = _clean(a.get("birth_year")), _clean(b.get("birth_year"))
    if ya and yb:
        try:
            d = abs(int(float(ya)) - int(float(yb)))
        except ValueError:
            d = -1
        if d == 0:
            out.append(f"same birth year {int(float(ya))}")
        elif d > 0:
            out.append(f"birth year differs by {d}")
    ga, gb = _governorate(a.get("governorate")), _governorate(b.get("governorate"))
    if ga and gb:
        out.append(f"same governorate {ga}" if ga == gb else f"governorates differ: {ga} / {gb}")
    da, db = _clean(a.get("disappearance_date")), _clean(b.get("disappearance_date"))
    if da and db:
        try:
            days = abs((pd.Timestamp(da) - pd.Timestamp(db)).days)
            out.append(
                f"disappeared the same day {da}" if days == 0
                else f"disappearance dates {days} days apart"
            )
        except (ValueError, TypeError):
            pass
    pa, pb = _place_key(a.get("disappearance_place")), _place_key(b.get("disappearance_place"))
    if pa and pb:
        out.append(
            "same place of disappearance" if pa == pb else "places of disappearance differ"
        )
    return out
