"""The model's comparisons (levels, stated m and prior u), blocking rules and splink
settings of duplicate detection (:mod:`nasab.linkage.dedup`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nasab.linkage.normalise import (
    NAME_PARTS,
)

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
_CHAIN_ATTR = {
    "given_name": "given",
    "father_name": "father",
    "grandfather_name": "grandfather",
    "family_name": "family",
    "mother_name": "mother",
}

_IDS_SHARED = (
    "({p}_ids_l IS NOT NULL AND {p}_ids_r IS NOT NULL AND "
    "list_has_any(string_split({p}_ids_l, '|'), string_split({p}_ids_r, '|')))"
)
# Levels of a name comparison, most specific first (ElseLevel and NullLevel added).
# Identity by the lexicon first: two names the lexicon knows are the same name when
# they share an identity and different names otherwise (Mohammad / Mahmoud), whatever
# their letters; string similarity only when one of them is unknown to the lexicon.
_SLIP = (
    "({p}_near_l IS NOT NULL AND {p}_ids_r IS NOT NULL AND "
    "list_has_any(string_split({p}_near_l, '|'), string_split({p}_ids_r, '|'))) OR "
    "({p}_near_r IS NOT NULL AND {p}_ids_l IS NOT NULL AND "
    "list_has_any(string_split({p}_near_r, '|'), string_split({p}_ids_l, '|')))"
)
_NAME_LEVELS = (
    ("exact", "{p}_norm_l = {p}_norm_r OR " + _IDS_SHARED),
    # a name the lexicon does not know, one typing slip from the other's name (أحد and
    # Ahmad, Abi and Ali): a slip, not a brother's different name
    ("slip of the other's name", _SLIP),
    # two names the lexicon knows as different, or a known name against an unknown one
    # that is a typing slip of other known names only (مححمود, one slip from Mahmoud,
    # against Mohammad: the letters share their consonants, the names do not)
    (
        "distinct names",
        "({p}_ids_l IS NOT NULL AND {p}_ids_r IS NOT NULL) OR "
        "({p}_ids_l IS NULL AND {p}_near_l IS NOT NULL AND {p}_ids_r IS NOT NULL) OR "
        "({p}_ids_r IS NULL AND {p}_near_r IS NOT NULL AND {p}_ids_l IS NOT NULL)",
    ),
    (
        "phonetic",
        "{p}_key_l = {p}_key_r AND nasab_vowels_ok({p}_vow_l, {p}_vow_r, {p}_scr_l, {p}_scr_r)",
    ),
    # or the same consonants with doubled letters and spaces squeezed out
    # (:func:`nasab.linkage.normalise.squeezed_key`: ببيلاوي, Babellawi)
    ("key", "{p}_key_l = {p}_key_r OR {p}_sq_l = {p}_sq_r"),
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
# a two-part full name whose second name is the other's family name (Kamal Mansour,
# Kamal son of Fadi Mansour): read as a name and his father's, it may as well give the
# family name and no father's (:func:`nasab.linkage.father_names.second_name_is_family`),
# so its father is no disagreement unless the other's father is that name too, and its
# family name agrees
_SECOND_FAMILY_SQL = (
    "(second_family_tok_l = family_name_tok_r AND father_name_tok_r IS DISTINCT FROM "
    "father_name_tok_l) OR (second_family_tok_r = family_name_tok_l AND "
    "father_name_tok_l IS DISTINCT FROM father_name_tok_r)"
)


# the family name has no lexicon: its levels are the string ones
_FAMILY_LEVELS = tuple(
    x for x in _NAME_LEVELS if x[0] not in ("distinct names", "slip of the other's name")
)
_FAMILY_LEVELS = (
    ("exact", "{p}_norm_l = {p}_norm_r"),
    *_FAMILY_LEVELS[1:],
    # a typing slip anywhere in the consonants, the first one too: a slip in or next to
    # the article (Afmohamad, اللسودي, AlnHatemi) or a consonant dropped (طان, Tahhan).
    # The family name has no lexicon to tell a slip from another name, and the
    # relatives that the model must keep apart share theirs: this level weighs only
    # against namesakes of another family (its u is the register's own)
    (
        "one slip",
        "greatest(length({p}_sq_l), length({p}_sq_r)) >= 3 "
        "AND damerau_levenshtein({p}_sq_l, {p}_sq_r) <= 1",
    ),
    # the last name of a full name read as the family name is a man's name with no
    # article (Mohammad Wael Nabeel): it may be the grandfather's, the family name left
    # out.  The other's grandfather by that name agrees; no grandfather given is no
    # disagreement (:func:`nasab.linkage.prepare._family_as_grandfather`)
    (
        "the other's grandfather",
        "family_gf_tok_l = grandfather_name_tok_r OR family_gf_tok_r = grandfather_name_tok_l",
    ),
    # a two-part full name's second name as the family name it may be
    ("second name as family", _SECOND_FAMILY_SQL),
    # a doubt, not an agreement: its m and u are both stated (u not estimated), a Bayes
    # factor of 1/3 (about a third of three-name full names leave the family name
    # out) where a family name that disagrees weighs 1/30
    (
        "maybe a grandfather's name",
        "(family_gf_tok_l IS NOT NULL AND grandfather_name_tok_r IS NULL) OR "
        "(family_gf_tok_r IS NOT NULL AND grandfather_name_tok_l IS NULL)",
    ),
)
#: levels whose u is stated, not estimated: a level of the shape of the names (not an
#: agreement of them), whose u by random sampling would make it evidence for a match
_FIXED_U_LEVELS = ("maybe a grandfather's name",)
# Prior (m, u) per level (exact, distinct, phonetic, key, similar, near key, else), used
# as EM start and as the model for small inputs.
_NAME_PRIORS = (
    (0.86, 0.03),
    (0.03, 0.003),
    (0.005, 0.9),
    (0.05, 0.01),
    (0.02, 0.01),
    (0.03, 0.01),
    (0.02, 0.02),
    (0.015, 0.03),
)
_FAMILY_PRIORS = (
    (0.3, 0.01),
    (0.56, 0.02),
    (0.02, 0.01),
    (0.04, 0.01),
    (0.03, 0.02),
    (0.02, 0.02),
    (0.01, 0.001),
    (0.02, 0.002),
    (0.01, 0.03),
    (0.03, 0.91),
)
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
    0.04,
    0.01,
)


# a three-part full name whose middle name is the other's grandfather: the father's name
# skipped (about a third of three-part full names are four-part names with the father's
# name left out)
_SKIP_LEVEL = (
    "skipped generation",
    "(father_unc_l AND grandfather_name_tok_r IS NOT NULL AND "
    "father_name_tok_l = grandfather_name_tok_r) OR (father_unc_r AND "
    "grandfather_name_tok_l IS NOT NULL AND father_name_tok_r = grandfather_name_tok_l)",
    0.2,
    0.02,
)


# a three-part full name whose middle name is not the other's father, where the other
# gives no grandfather: with the father's name skipped the middle name is the
# grandfather's, which the other does not give: a doubt, not a different father
_SKIP_UNKNOWN_LEVEL = (
    "maybe skipped generation",
    "(father_unc_l AND grandfather_name_tok_r IS NULL) OR "
    "(father_unc_r AND grandfather_name_tok_l IS NULL)",
    0.01,
    0.03,
)


# "Mohammad Ali" with no father's box read as Mohammad son of Ali
# (:func:`nasab.linkage.chain.son_reading`): the other report's given name is the
# prefix and its father's name the second name.  Counted even where this report's own
# father's box is empty (the father is then the second name).
_SON_SQL = (
    "(son_father_tok_l IS NOT NULL AND given_name_tok_r = son_given_tok_l AND "
    "father_name_tok_r = son_father_tok_l) OR (son_father_tok_r IS NOT NULL AND "
    "given_name_tok_l = son_given_tok_r AND father_name_tok_l = son_father_tok_r)"
)
_SON_LEVEL = ("compound read as name and father", _SON_SQL, 0.03, 0.002)


def _name_comparison(p: str) -> dict:
    null = f"{p}_key_l IS NULL OR {p}_key_r IS NULL"
    if p in _ID_PARTS:
        # a name with no consonant key is compared by the lexicon alone: a listed name
        # (Aya), or a slip of listed names (عي: Ali) against a listed name
        null = " OR ".join(
            f"({p}_key_{s} IS NULL AND {p}_ids_{s} IS NULL AND "
            f"({p}_near_{s} IS NULL OR {p}_ids_{o} IS NULL))"
            for s, o in ("lr", "rl")
        )
    if p == "father_name":
        null = (
            f"(({null}) AND NOT coalesce({_SON_SQL}, false)) "
            f"OR coalesce({_SECOND_FAMILY_SQL}, false)"
        )
    if p == "family_name":
        null = f"({null}) AND NOT coalesce({_SECOND_FAMILY_SQL}, false)"
    levels: list[dict[str, Any]] = [
        {
            "sql_condition": null,
            "label_for_charts": "null",
            "is_null_level": True,
        }
    ]
    family = p == "family_name"
    spec = _FAMILY_LEVELS if family else _NAME_LEVELS
    priors = _FAMILY_PRIORS if family else _NAME_PRIORS
    for (label, sql), (m, u) in zip(spec, priors, strict=False):
        if p == "father_name" and label == "distinct names":
            for name, sql_c, m_c, u_c in (_SKIP_LEVEL, _CHAIN_LEVEL, _SKIP_UNKNOWN_LEVEL):
                levels.append(
                    {
                        "sql_condition": sql_c,
                        "label_for_charts": name,
                        "m_probability": m_c,
                        "u_probability": u_c,
                    }
                )
        lvl = {
            "sql_condition": sql.format(p=p),
            "label_for_charts": label,
            "m_probability": m,
            "u_probability": u,
        }
        if p in _FIXED_M_PARTS:
            lvl["fix_m_probability"] = True
        if label in _FIXED_U_LEVELS:
            lvl["fix_u_probability"] = True
        if p in _TF_PARTS and label in ("exact", "phonetic"):
            # agreement on a common name counts for less: u of this level replaced by
            # the frequency of the value in the column this level compares
            lvl["tf_adjustment_column"] = f"{p}_tok" if label == "exact" else f"{p}_key"
            lvl["tf_adjustment_weight"] = 1.0
            lvl["disable_tf_exact_match_detection"] = True
        levels.append(lvl)
        if p == "father_name" and label == "exact":
            name, sql_c, m_c, u_c = _SON_LEVEL
            levels.append(
                {
                    "sql_condition": sql_c,
                    "label_for_charts": name,
                    "m_probability": m_c,
                    "u_probability": u_c,
                    "fix_m_probability": True,
                }
            )
    m, u = priors[-1]
    levels.append(
        {
            "sql_condition": "ELSE",
            "label_for_charts": "else",
            "m_probability": m,
            "u_probability": u,
            "fix_m_probability": p in _FIXED_M_PARTS,
        }
    )
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
        out.append(
            {
                "sql_condition": sql,
                "label_for_charts": label,
                "m_probability": m,
                "u_probability": u,
                "fix_m_probability": fix_m,
            }
        )
    return {"output_column_name": name, "comparison_levels": out}


_BY_DIFF = "abs(birth_year_l - birth_year_r)"
_DATE_DIFF = "abs(date_diff('day', disappearance_date_l, disappearance_date_r))"
#: birth years further apart than this: not one person (father and son, uncle, a cousin
#: named after the same grandfather).  Reports misstate a birth year by a few years, and
#: two reports of one person rarely differ by more than eight.
MAX_BIRTH_YEAR_GAP = 8

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
        [
            ("exact", "governorate_l = governorate_r", 0.9, 0.12),
            # the governorate of one report is that of the other's place of
            # disappearance (where he was taken against where his family lives)
            (
                "place in the other's governorate",
                "place_gov_l = governorate_r OR governorate_l = place_gov_r "
                "OR place_gov_l = place_gov_r",
                0.02,
                0.02,
            ),
            ("else", "ELSE", 0.08, 0.86),
        ],
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
                {
                    "sql_condition": sql,
                    "label_for_charts": label,
                    "m_probability": m,
                    "u_probability": u,
                }
                for label, sql, m, u in [
                    (
                        "same month and place",
                        f"{_DATE_DIFF} <= 31 AND place_key_l = place_key_r",
                        0.45,
                        0.002,
                    ),
                    ("same month", f"{_DATE_DIFF} <= 31", 0.2, 0.015),
                    (
                        "same place, date unknown",
                        "(disappearance_date_l IS NULL OR disappearance_date_r IS NULL) "
                        "AND place_key_l = place_key_r",
                        0.15,
                        0.1,
                    ),
                    ("within 400 days", f"{_DATE_DIFF} <= 400", 0.1, 0.2),
                    ("else", "ELSE", 0.1, 0.783),
                ]
            ),
        ],
    },
]

_BLOCK_MONTH = "abs(date_diff('day', l.disappearance_date, r.disappearance_date)) <= 31"
# the same place of disappearance named down to a town or quarter (a key ending in "@"
# holds only the kind of place: checkpoint, home)
_BLOCK_PLACE = "l.place_key = r.place_key AND l.place_key NOT LIKE '%@'"

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
    # a spelling the lexicon knows against one it does not (Haitham / Heitham): their
    # identity tokens differ, their consonant keys agree
    "l.given_name_key = r.given_name_key AND l.father_name_key = r.father_name_key",
    # a two-part full name whose second name is the other's family name (Maher As'ad,
    # Maher son of Abdullah al-As'ad), read as a name and his father's
    "l.given_name_tok = r.given_name_tok AND l.second_family_tok = r.family_name_tok",
    "l.given_name_tok = r.given_name_tok AND l.family_name_tok = r.second_family_tok",
    # the first two names as written (a full name read as a compound, the same man's
    # boxes read as given and father's name)
    "l.name_seq = r.name_seq AND abs(l.birth_year - r.birth_year) <= 1",
    "l.name_seq = r.name_seq AND l.family_name_tok = r.family_name_tok",
    "l.name_seq = r.name_seq AND l.mother_name_tok = r.mother_name_tok",
    "l.name_seq = r.name_seq AND l.governorate = r.governorate",
    # "Mohammad Ali" with no father's box read as Mohammad son of Ali
    "l.son_given_tok = r.given_name_tok AND l.son_father_tok = r.father_name_tok",
    "l.given_name_tok = r.son_given_tok AND l.father_name_tok = r.son_father_tok",
    # a nickname or a two-way compound by its other identity (Hamoudi: Ahmad ... Mohammad)
    "l.given_alt_tok = r.given_name_tok AND l.family_name_tok = r.family_name_tok",
    "l.given_name_tok = r.given_alt_tok AND l.family_name_tok = r.family_name_tok",
    "l.given_alt_tok = r.given_name_tok AND l.father_name_tok = r.father_name_tok",
    "l.given_name_tok = r.given_alt_tok AND l.father_name_tok = r.father_name_tok",
    # a kunya, or a given name mistyped, in another governorate
    "l.father_name_tok = r.father_name_tok AND l.grandfather_name_tok = r.grandfather_name_tok "
    "AND l.family_name_tok = r.family_name_tok",
    # a kunya for the given name, the family name left out or mistyped
    "l.father_name_tok = r.father_name_tok AND l.governorate = r.governorate "
    "AND abs(l.birth_year - r.birth_year) <= 1",
    # names read differently (a compound read as given and father, a slip in two names)
    "l.family_name_tok = r.family_name_tok AND l.governorate = r.governorate "
    "AND abs(l.birth_year - r.birth_year) <= 1",
    # "Mohammad Ali" read as Mohammad son of Ali against a nickname of Mohammad
    # (Hamoudi son of Ali), or against Mohammad whose grandfather is Ali (the father's
    # name skipped in the full name)
    "l.given_alt_tok = r.son_given_tok AND l.father_name_tok = r.son_father_tok",
    "l.son_given_tok = r.given_alt_tok AND l.son_father_tok = r.father_name_tok",
    "l.given_name_tok = r.son_given_tok AND l.grandfather_name_tok = r.son_father_tok",
    "l.son_given_tok = r.given_name_tok AND l.son_father_tok = r.grandfather_name_tok",
    # a father's name skipped where there is no given name to block on (a kunya)
    "l.father_name_tok = r.grandfather_name_tok AND l.family_name_tok = r.family_name_tok "
    "AND l.governorate = r.governorate",
    "l.grandfather_name_tok = r.father_name_tok AND l.family_name_tok = r.family_name_tok "
    "AND l.governorate = r.governorate",
    # the same disappearance (the day, or within a month in one governorate, or a named
    # place) with one name: a kunya, a family name left out or mistyped, a governorate
    # misstated.  Rules that join on the same columns are one rule (each rule is one
    # more join, which excludes the pairs of all the rules before it)
    "l.disappearance_date = r.disappearance_date AND (l.father_name_tok = r.father_name_tok "
    "OR l.mother_name_tok = r.mother_name_tok OR l.governorate = r.governorate)",
    f"l.family_name_tok = r.family_name_tok AND l.governorate = r.governorate "
    f"AND ({_BLOCK_MONTH} OR l.place_key = r.place_key)",
    f"l.given_name_tok = r.given_name_tok AND l.governorate = r.governorate AND {_BLOCK_MONTH}",
    # the same named place of disappearance (a town, a quarter: not only the kind of
    # place) with the month, the birth year, the father's or the family name
    f"{_BLOCK_PLACE} AND ({_BLOCK_MONTH} OR abs(l.birth_year - r.birth_year) <= 1 "
    "OR l.father_name_tok = r.father_name_tok OR l.family_name_tok = r.family_name_tok)",
    # a governorate misstated where the birth year and date are not given
    "l.father_name_tok = r.father_name_tok AND l.family_name_tok = r.family_name_tok",
    # a family name by its consonants with doubled letters squeezed out (ببيلاوي,
    # Babellawi) where there is no given name (a kunya)
    "l.father_name_tok = r.father_name_tok AND l.family_name_sq = r.family_name_sq "
    "AND l.governorate = r.governorate",
    # a nickname by its other identity, the family name left out (Hamada: Mohammad)
    "l.given_alt_tok = r.given_name_tok AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
    "l.given_name_tok = r.given_alt_tok AND l.birth_year = r.birth_year "
    "AND l.governorate = r.governorate",
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
