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
  normalisation in its own script (or a shared lexicon identity); ``slip of the other's
  name``: a name the lexicon does not know, one typing slip from the other's name
  (أحد / Ahmad: a slip, not a brother's different name); ``phonetic``: same consonant key and compatible
  vowels, across scripts too (محمد ~ Mohammad, but not محمود); ``key``: same consonants,
  incompatible vowels (Hasan / Hussein); ``similar``: key Jaro-Winkler ≥ 0.88 or one
  typing error in the same script (Damerau-Levenshtein ≤ 1, same first letter);
  ``near key``: keys one edit apart; ``else``.  Term-frequency adjustment makes
  agreement on a common name (Mohammad) count for less than on a rare one;
* a three-name full name's last name, read as the family name, where it is a man's name
  with no article (Ahmad Wael Nabeel): the other's grandfather by that name agrees, no
  grandfather given is a doubt (a Bayes factor of 1/3, not the 1/30 of another family);
* birth year (same, ±1, ±2, other), sex, governorate (one report's governorate that is
  the governorate of the other's place of disappearance is a level of its own: a
  family states where it lives, the place where he was taken), and disappearance as one joint
  comparison of date and place (same month and place, same month, same place with a date
  unknown, within 400 days, other): relatives taken together share both, so date and
  place are not counted as two independent pieces of evidence;
* candidate pairs come from the blocking rules of :mod:`nasab.linkage.comparisons`
  (OR-ed) on lexicon identities or phonetic keys, birth year, governorate and date, and
  on the first two names as written whatever boxes hold them
  (:func:`nasab.linkage.chain.name_sequence`: a full name read as a compound meets the
  same man's boxes), on the same disappearance (the day, the month, a named place) with
  one name, so that a typing error in one field, a kunya or a governorate misstated
  does not hide a pair;
* names are read by the lexicon (:mod:`nasab.linkage.lexicon`): a slip in an Abd-name
  that breaks its spelling rule (Ab al-Karim, Abd l-Rahman, عبل الكريم) is read letter by
  letter against the listed spellings; a reading of the other sex is not taken (a
  father's name is a man's, a mother's a woman's, a given name the report's sex); "Abu
  X" is a kunya at the start of a name and a family name after a given name;
* u-probabilities by random sampling; the m-probabilities are stated (the priors of
  :mod:`nasab.linkage.comparisons`), not learned: expectation maximisation on intake
  data converged to a "match" class that mixed namesakes and relatives with true
  duplicates.  Below ``MIN_RECORDS_FOR_TRAINING`` records the prior u are used.

The modules: :mod:`~nasab.linkage.comparisons` (levels, priors, blocking, settings),
:mod:`~nasab.linkage.prepare` (the compared table), :mod:`~nasab.linkage.relatives`
(pairs held back as relatives, what cannot be one person), :mod:`~nasab.linkage.reasons`
(reasons in English and Arabic); this module holds the model and the public API.

Brothers and sisters are the hard case: they share father, mother, grandfather, family
name, governorate and often the date and place of disappearance, and the model's
independence assumption adds that shared evidence up. Three measures keep them apart:
the m-probabilities are stated (EM on such data would learn siblings as "the same person
with a typing error"); a pair whose given names are incompatible (level ``else``) is
never proposed, whatever its score (the *sibling rule*; such pairs are kept in
:attr:`DedupModel.possible_relatives`); and clustering refuses to join two groups that
contain reports that cannot be one person (:func:`cannot_be_same`).

The father's name of a three-part full name may be the grandfather's (the father's name
skipped): it is compared with the other report's grandfather too (level ``skipped
generation``); where the other report gives no grandfather, a middle name that is not
its father is a doubt (level ``maybe skipped generation``), not a different father.
"Mohammad Ali" with no father's box is also read as Mohammad son of Ali where the other
report gives that name and father (level ``compound read as name and father``; so read,
open where a man of the compound, Ali of its grandfather, is reported). "Mohammad Anas"
with no father's box is read by the register: Mohammad son of Anas when reports of such
a man exist and none of an Anas, the compound otherwise.

Some pairs cannot be told from a brother or a cousin by their names: a kunya ("Abu
Khaled" fits any son of his father), no father's name, a three-part name read with the
father's name skipped, a nickname of several names (Hamoudeh: Mohammad, Ahmad, Mahmoud),
"Mohammad Anas" against a plain "Mohammad" whose father is not Anas (the compound, or
Mohammad son of Anas). Such a pair above the threshold goes to
:attr:`DedupModel.undecided` (with why, in English and Arabic), for a person to decide,
unless birth years settle it: both stated and at most one year apart (the same year
where the names fit a brother: a nickname, a slip close to several names), and then only
where the register holds no rival of that age (a report that fits one of the two as well
but cannot be the other: a brother, or a cousin with another father's name). Birth years
never settle a kunya (brothers are often born a year apart) nor two doubts at once;
where the doubt is who the father is (a skipped father's name, a compound), they settle
it only with the same mother's name, since cousins named after their grandfather are
often born within a year of each other. Without agreeing birth years, a slip close to
several names (with birth years not stated or the same) and a missing father's name where
the grandfather's is given are left open only with a rival; the others always, and so
are these where both reports state dates of disappearance more than a month apart (two
events: birth years do not settle them then either).  Siblings are born a year or two
apart: ``benchmarks/dedup_intake.py --siblings close`` tests these rules with brothers
born one to four years apart. The same disappearance settles a pair's doubts (even
several): both dates
stated at most a month apart (:data:`~nasab.linkage.own_facts.SAME_EVENT_DAYS`), birth
years stated and at most one year apart, the same year where the names fit a brother (a
kunya, a nickname, no given name, a slip close to several names, a compound against its
prefix: brothers are often born a year apart and taken together), and mothers' names
that do not differ; the pair is then proposed unless the register holds a rival of a
fitting age who disappeared in that event too (a brother taken with him; for a kunya of
the father's name, any son born within four years of the kunya's year). A brother
taken with him whose only report gives his kunya or nickname is the case this cannot
tell. A report with no father's name against a man reported born more than two years
otherwise is open (:func:`~nasab.linkage.readings.born_otherwise`). The register
settles a pair's doubts (even several) when it singles out one person
(:func:`~nasab.linkage.readings.singled_out`): one of the two reports names one man (two
kunyas or two nicknames fit any two brothers); the pair's own facts leave no room for a
relative the register lacks (the same birth year; where the names fit no brother also
birth years at most a year apart, with the same mother where the father is in doubt, or
the same disappearance with years at most two apart; dates not months apart, mothers not
different; never where the father is in doubt without the same mother's name, a cousin
named after the same grandfather being as likely, nor for a kunya of the father's name,
which fits each of his sons); no candidate of either report is another person it may be
(its names, father and birth year fit, and it cannot be the other) unless the pair fits
plainly better (birth years that agree where the other's are more than two apart, the
same disappearance where the other's dates are months apart, the same mother where the
other's is another); and no report of the other's very names gives a birth year far from
it. Names that fit a father and his son ("Mohammad Bashar Yusuf" against Bashar son of
Yusuf) are settled by birth years on both at most two apart, or, a year unstated and no
other doubt, by the same mother's name; never by the same disappearance. The register also
settles a doubt (not a kunya of the father's name: only the same disappearance with the same
birth year settles that) where the pair's own facts tie the two reports to one man and no
other man the report may be is reported (:mod:`~nasab.linkage.register_ties`; a nickname, of
the same birth year: :mod:`~nasab.linkage.line_men`); a kunya that fits another man of its
father's line anywhere in the register is always left open, as is a three-part name whose
middle name is the other's father where the register holds a grandson of that man it fits
with the father's name skipped (:func:`~nasab.linkage.readings.grandson_rival`). An
undecided pair whose reports are both proposed with the same others is proposed
(:func:`~nasab.linkage.readings.settled_by_proposals`).  Before that, each undecided pair is
weighed once more with a report's silence (no birth year, date of disappearance or mother's
name) filled from the reports proposed as the same man, where those agree
(:mod:`~nasab.linkage.completion`; the reason names them).

Pairs that cannot be one person (different given names, fathers' names, compound names;
a known name against a slip of other known names only, مححمود against Mohammad; a
three-part name's middle name that is neither the other's father nor grandfather; one
generation apart) are held back as relatives, unless a misreading explains them
(:mod:`~nasab.linkage.misread`: one name typed with a slip into another where all else
agrees, the same names with birth years nine to fifteen apart): such a pair is left to
a person, whatever its score (the model weighs the slipped name as another), and so is
a pair held only because a report fits another that it cannot be as read.  A pair that
would make one person of two reports that cannot be one, each already proposed with one
of the pair, is left to a person (:class:`~nasab.linkage.clusters.Groups`).  The default
threshold (:data:`DEFAULT_THRESHOLD`) was chosen on ``benchmarks/dedup_intake.py``.

No Django import: the portal calls :func:`find_duplicates`, :func:`candidates_for` and
:func:`cluster_pairs` with plain dicts or a pandas DataFrame.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

import pandas as pd

from nasab.linkage.clusters import Groups
from nasab.linkage.clusters import cluster_pairs as cluster_pairs  # re-exported
from nasab.linkage.comparisons import _TF_PARTS, MAX_BIRTH_YEAR_GAP, _settings
from nasab.linkage.line_men import sons_index
from nasab.linkage.misread import misread
from nasab.linkage.normalise import vowels_compatible
from nasab.linkage.prepare import (
    _chains,
    _check_ids,
    _clean,
    _new_report_id,
    _records,
    box_words,
    prepare,
)
from nasab.linkage.proposals import ProposedPair, Settling
from nasab.linkage.readings import (
    GRANDSON,
    born_otherwise,
    brothers_fit_both,
    compound_rival,
    register_rival,
    singled_out,
)
from nasab.linkage.reasons import explain, explain_pair
from nasab.linkage.register_ties import names_another, register_ties
from nasab.linkage.relatives import (
    _cannot,
    _facts,
    _held_back,
    cannot_be_same,
    part_relation,
)
from nasab.linkage.similarity import name_level

__all__ = [
    "DEFAULT_THRESHOLD",
    "MAX_BIRTH_YEAR_GAP",
    "MIN_RECORDS_FOR_TRAINING",
    "DedupModel",
    "ProposedPair",
    "candidates_for",
    "cannot_be_same",
    "cluster_pairs",
    "explain",
    "explain_pair",
    "find_duplicates",
    "name_level",
    "part_relation",
    "prepare",
]

DEFAULT_THRESHOLD = 0.6
_MODEL_VERSION = 14  # of the comparisons below; stored with saved parameters
MIN_RECORDS_FOR_TRAINING = 1000
#: a kunya of the father's name, settled by the same event and birth year, is left open
#: where a brother taken then is born at most this many years from it, or two who fit
#: both kunyas (other doubts: two; with two: 6,000 persons, brothers born close, seed 6
#: "Abu Ahmad" son of Ahmad; 3,000, seed 12, two "Abu Ali" off by 3 and 5 years)
KUNYA_RIVAL_YEARS = 4
#: held-back pairs (possible relatives) are listed from this match probability up
RELATIVES_FLOOR = 0.1
#: a pair that clashes with a better pair of one of its reports (the other cannot be
#: the same person) whose match weight is less than this many bits below it: the report
#: fits both about as well (odds within a factor of four; which one the score order
#: picked is noise), so the pair goes to :attr:`DedupModel.undecided`, not to the
#: relatives list.  At 1,500 persons seeds 1/3/4/5 of the intake benchmark the true
#: duplicates so held back were 0.9 to 1.7 bits below their rival, the relatives and
#: namesakes 2.8 bits and more.
TIE_BITS = 2.0

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


class DedupModel(Settling):
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
        self._words = box_words(records)  # the register's box words, for new reports too
        self.chains = _chains(records, self._words)
        self.table = prepare(records, self.chains)  # checks values first
        self.raw = {_clean(r.get("report_id")): r for r in records}
        self._facts = {rid: _facts(self.chains[rid], self.raw[rid]) for rid in self.raw}
        self._sons = sons_index(self._facts)  # the register's men by their father's name
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
        #: pairs that scored from :data:`RELATIVES_FLOOR` up but were held back as
        #: probably two relatives (different given names, birth years decades apart, one
        #: generation apart, or a report that fits two persons who cannot be one)
        self.possible_relatives: list[tuple[str, str, float]] = []
        #: why each pair of :attr:`possible_relatives` was held back (English, Arabic)
        self.relative_reasons: dict[tuple[str, str], tuple[str, str]] = {}
        #: pairs that need a person to decide, not proposed: above the threshold, their
        #: names fit one man as well as a brother or cousin (a kunya, a nickname, a father's
        #: name skipped, a compound) and neither their facts nor the register settle it;
        #: from :data:`RELATIVES_FLOOR` up, one man misread as well as two relatives (a
        #: name typed into another, a year misstated: :mod:`~nasab.linkage.misread`)
        self.undecided: list[tuple[str, str, float]] = []
        #: why each pair of :attr:`undecided` needs a person (English, Arabic)
        self.undecided_reasons: dict[tuple[str, str], tuple[str, str]] = {}

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
        # pairs held back as relatives are listed from a lower score: a brother whose
        # given name weighs against him still belongs on the relatives list
        df = self.linker.inference.predict(
            threshold_match_probability=min(threshold, RELATIVES_FLOOR), warning_mode="never"
        ).as_pandas_dataframe()
        return self._pairs(df, threshold)

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
        # the register's box words: a new report read family name first has no boxes
        ch = _chains([new], self._words, (self.chains, self.raw))[nid]
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
            slip = None
            if _held_back(row, facts[nid], facts[other]):
                slip = misread(facts[nid], facts[other])
                if slip is None:
                    continue  # relatives, as in predict()
            en, ar = explain_pair(new, raw[other], chains[nid], chains[other])
            if slip is not None:  # one man misread as well as a relative: say so
                en, ar = [*en, slip[0]], [*ar, slip[1]]
            out.append(
                ProposedPair(
                    nid,
                    other,
                    float(row["match_probability"]),
                    float(row["match_weight"]),
                    tuple(en),
                    tuple(ar),
                )
            )
        out.sort(key=lambda p: (-p.score, p.report_b))
        return out

    def _pairs(self, df: pd.DataFrame, threshold: float = 0.0) -> list[ProposedPair]:
        scored = []
        self.possible_relatives = []
        self.relative_reasons = {}
        self.undecided = []
        self.undecided_reasons = {}
        self._apart: set[tuple[str, str]] = set()  # held back by a rule

        def hold(a: str, b: str, score: float, why: tuple[str, str]) -> None:
            self.possible_relatives.append((a, b, score))
            self.relative_reasons[(a, b)] = why

        rows = df.to_dict("records")
        weights: dict[tuple[str, str], float] = {}  # of the undecided pairs
        # every report's candidates (from the relatives floor up): who else it may be
        cands: dict[str, set[str]] = {}
        for row in rows:
            a, b = str(row["report_id_l"]), str(row["report_id_r"])
            cands.setdefault(a, set()).add(b)
            cands.setdefault(b, set()).add(a)
        for row in rows:
            a, b = str(row["report_id_l"]), str(row["report_id_r"])
            if a > b:
                a, b = b, a
            why = _held_back(row, self._facts[a], self._facts[b])
            score, weight = float(row["match_probability"]), float(row["match_weight"])
            if why and (slip := misread(self._facts[a], self._facts[b])):
                # a name typed into another, a year misstated: one man as well, whatever
                # the score (the model counts the slipped name as another name)
                self._leave(weights, a, b, score, weight, slip)
                continue
            if why:
                # However much else agrees (father, mother, family, date and place of
                # disappearance), these are most likely two relatives.
                hold(a, b, score, why)
                self._apart.add((a, b))
                continue
            if score < threshold:
                continue
            doubt = self._doubt(a, b, cands)
            if doubt and (doubt is GRANDSON or self._open(a, b, doubt, cands)):
                # names that fit one man as well as his brother or cousin: for a person
                self._leave(weights, a, b, score, weight, (doubt.en, doubt.ar))
                continue
            scored.append((score, weight, a, b))
        scored.sort(key=lambda t: (-t[0], t[2], t[3]))
        # One report cannot be two persons: a report that fits reports of two brothers
        # (a kunya, a nickname, no given name) is paired with the better one only; where
        # it fits the other about as well, that pair is for a person to decide.
        partners: dict[str, list[tuple[str, float]]] = {}
        groups = Groups()
        out = []
        for score, weight, a, b in scored:
            clash = self._clash(partners, a, b)
            if clash is not None:
                x, better = clash
                if better - weight < TIE_BITS:
                    tie = (
                        f"fits another report about as well ({x}) that cannot be the same "
                        "person: which of the two, for a person to decide",
                        f"يطابق بلاغاً آخر بالقدر نفسه تقريباً ({x}) لا يمكن أن يكون للشخص "
                        "نفسه: أيهما المقصود، يقرره شخص",
                    )
                    self._leave(weights, a, b, score, weight, tie)
                    continue
                why = (
                    f"fits another report that cannot be the same person ({x})",
                    f"يطابق بلاغاً آخر لا يمكن أن يكون للشخص نفسه ({x})",
                )
                if self._misread_clash(a, b, x):
                    # x and the other cannot be one only as read: a slip, a year
                    misread_why = (
                        f"{why[0]} unless a name or year was misread: for a person",
                        f"{why[1]} إلا إذا كان في اسم أو سنة خطأ: يقرره شخص",
                    )
                    self._leave(weights, a, b, score, weight, misread_why)
                    continue
                hold(a, b, score, why)
                continue
            if joins_two := self._joins_two(groups, a, b):
                self._leave(weights, a, b, score, weight, joins_two)
                continue
            groups.join(a, b)
            partners.setdefault(a, []).append((b, weight))
            partners.setdefault(b, []).append((a, weight))
            en, ar = explain_pair(self.raw[a], self.raw[b], self.chains[a], self.chains[b])
            out.append(ProposedPair(a, b, score, weight, tuple(en), tuple(ar)))
        out = self._settle_by_completed(out, weights, cands, partners, groups)
        return self._settle_undecided(out, weights)

    def _misread_clash(self, a: str, b: str, x: str) -> bool:
        """x, paired with a or b, cannot be the other only as read: the two may be one
        man with a name typed into another or a year misstated (:func:`misread`)."""
        apart = [v for v in (a, b) if v != x and self._cannot(v, x)]
        return bool(apart) and all(misread(self._facts[v], self._facts[x]) for v in apart)

    def _open(self, a: str, b: str, doubt, cands: dict[str, set[str]]) -> bool:
        """Whether a pair with a doubt (:func:`undecided`) is left to a person: always
        where a report naming no one fits another man of its father's line, or one with
        no father's name a man :func:`born_otherwise`; a compound read as a name and
        the father's where a man of the compound is reported (:func:`compound_rival`);
        settled where the pair's own facts leave no room for a relative the register
        lacks (``alone``) and the register singles out one person, or by
        :func:`register_ties`; else two doubts always, one corroborated by birth years
        or the same event (``event``) only with a rival of a fitting age (or two
        brothers who fit two kunyas), else ``always`` or with a rival."""
        f = self._facts
        if names_another(f, cands, a, b, self._sons):
            return True
        if doubt.son_read:
            return compound_rival(f, cands, a, b)
        if doubt.father_unknown and born_otherwise(f, cands, a, b):
            return True
        if (doubt.alone and singled_out(f, cands, a, b)) or register_ties(
            f, cands, a, b, doubt, self._sons
        ):
            return False
        if doubt.event:
            gap = KUNYA_RIVAL_YEARS if doubt.kunya_of_father else 2
            rival = register_rival(f, cands, a, b, fitting_age=True, same_event=True, age_gap=gap)
            return rival or brothers_fit_both(f, cands, a, b, age_gap=gap)
        if doubt.count > 1:
            return True
        if doubt.corroborated:
            return register_rival(f, cands, a, b, fitting_age=True)
        return doubt.always or register_rival(f, cands, a, b)

    def _clash(
        self, partners: dict[str, list[tuple[str, float]]], a: str, b: str
    ) -> tuple[str, float] | None:
        """A report already paired with a or b (a better pair) that cannot be the same
        person as the other, with that pair's match weight; None if there is none."""
        for u, v in ((a, b), (b, a)):
            for x, w in partners.get(u, ()):
                if self._cannot(v, x):
                    return x, w
        return None

    def _cannot(self, x: str, y: str) -> bool:
        """Not one person, or held back by a rule: never joined through a third report."""
        return (min(x, y), max(x, y)) in self._apart or _cannot(self._facts[x], self._facts[y])


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
            found = [
                ProposedPair(nid, other, p.score, p.match_weight, p.reasons, p.reasons_ar)
                for p in m.predict(threshold)
                if nid in (p.report_a, p.report_b)
                for other in [p.report_b if p.report_a == nid else p.report_a]
            ]
            # pairs left to a person are candidates too: the list is for a person
            for a, b, score in m.undecided:
                if nid in (a, b):
                    en, ar = m.undecided_reasons[(a, b)]
                    p = min(max(score, 1e-12), 1 - 1e-12)
                    weight = math.log2(p / (1 - p))
                    found.append(
                        ProposedPair(nid, b if a == nid else a, score, weight, (en,), (ar,))
                    )
            return sorted(found, key=lambda p: (-p.score, p.report_b))
        model = DedupModel(records).train()
    return model.candidates(new_report, threshold)
