"""How the pairs a model scores become proposals: :class:`ProposedPair`, and the
settling of pairs first left to a person (:class:`Settling`, a part of
:class:`nasab.linkage.dedup.DedupModel`): by a report's silence filled from the reports
proposed as the same man (:mod:`nasab.linkage.completion`), and by the proposals that
already join a pair's two reports (:func:`nasab.linkage.readings.settled_by_proposals`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nasab.linkage.clusters import Groups
from nasab.linkage.completion import complete
from nasab.linkage.doubts import SON_READ_APART, Doubt
from nasab.linkage.misread import misread
from nasab.linkage.readings import GRANDSON, grandson_rival, settled_by_proposals
from nasab.linkage.reasons import explain_pair
from nasab.linkage.relatives import undecided


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


class Settling:
    """The settling of undecided pairs, for :class:`nasab.linkage.dedup.DedupModel`
    (which holds the reports' facts, chains, the undecided list and the rules
    ``_open`` and ``_cannot`` these methods ask)."""

    def _joins_two(self, groups: Groups, a: str, b: str) -> tuple[str, str] | None:
        """Why the pair is left to a person where it would make one person of two
        reports, one proposed with a and one with b, that cannot be one
        (:meth:`Groups.apart`); None where it would not."""
        apart = groups.apart(a, b, self._cannot)
        if apart is None:
            return None
        x, y = apart
        return (
            f"would make one person of {x} and {y}, which cannot be one (each proposed "
            "with one of the two): for a person to decide",
            f"يجعل {x} و{y} شخصاً واحداً ولا يمكن أن يكونا واحداً (كلٌّ منهما مقترَح مع "
            "أحد البلاغين): يقرره شخص",
        )

    def _leave(
        self,
        weights: dict[tuple[str, str], float],
        a: str,
        b: str,
        score: float,
        weight: float,
        why: tuple[str, str],
    ) -> None:
        """Leave a pair to a person: on the undecided list with its match probability
        and why (English, Arabic), and its match weight in ``weights``."""
        self.undecided.append((a, b, score))
        self.undecided_reasons[(a, b)] = why
        weights[(a, b)] = weight

    def _doubt(self, a: str, b: str, cands: dict[str, set[str]]) -> Doubt | None:
        """The doubt of a pair on the facts now in :attr:`_facts`
        (:func:`nasab.linkage.relatives.undecided`), or :data:`GRANDSON` where its names
        raise none of their own (or only the register's: a compound read as a name and
        the father's) and the register holds a grandson it fits
        (:func:`nasab.linkage.readings.grandson_rival`), or :data:`SON_READ_APART` for
        such a compound where the pair's own facts speak against one man; None: no
        doubt."""
        doubt = undecided(self._facts[a], self._facts[b])
        if (doubt is None or doubt.son_read) and grandson_rival(self._facts, cands, a, b):
            return GRANDSON  # always open: the register holds a cousin it fits
        if doubt is not None and doubt.son_read and doubt.always:
            return SON_READ_APART  # always open: facts against one man, a namesake fits
        return doubt

    def _settle_by_completed(
        self,
        out: list[ProposedPair],
        weights: dict[tuple[str, str], float],
        cands: dict[str, set[str]],
        partners: dict[str, list[tuple[str, float]]],
        groups: Groups,
    ) -> list[ProposedPair]:
        """Undecided pairs weighed once more with the silence of reports filled from
        the reports proposed as the same man (:mod:`nasab.linkage.completion`): the
        pair's own, and the register's other reports a pair is weighed against.
        Proposed where the doubt is then settled, the completed facts do not part the
        two (:meth:`_cannot`), neither report is proposed with one the other cannot be,
        nor would the pair make one person of two that cannot be (``groups``); the
        reason names the reports the facts were read from."""
        # One pass: a pair so proposed may complete further reports, but weighing the
        # rest again with them settled no further pair at 1,500 seeds 1 and 3 nor at
        # 38,000 seed 6 (the same proposals with up to three passes), and each pass
        # costs as much as the first (14 to 28 s at 38,000).
        if not self.undecided:
            return out  # nothing to weigh again: no completion
        done = complete(self._facts, [(p.report_a, p.report_b) for p in out])
        if not done.group:
            return out
        saved, kept, self._facts = self._facts, [], done.facts
        try:
            for a, b, score in sorted(self.undecided, key=lambda t: (-t[2], t[0], t[1])):
                pair = done.pair(a, b)
                if pair is None:
                    kept.append((a, b, score))
                    continue
                if self._still_open(a, b, cands, partners, groups):
                    kept.append((a, b, score))
                    continue
                groups.join(a, b)
                partners.setdefault(a, []).append((b, weights[(a, b)]))
                partners.setdefault(b, []).append((a, weights[(a, b)]))
                del self.undecided_reasons[(a, b)]
                en, ar = explain_pair(self.raw[a], self.raw[b], self.chains[a], self.chains[b])
                why = pair[2]
                out.append(ProposedPair(a, b, score, weights[(a, b)], (*en, why[0]), (*ar, why[1])))
        finally:
            self._facts = saved
        self.undecided = kept
        return out

    def _still_open(
        self,
        a: str,
        b: str,
        cands: dict[str, set[str]],
        partners: dict[str, list[tuple[str, float]]],
        groups: Groups,
    ) -> bool:
        """Whether an undecided pair stays open on the facts now in :attr:`_facts`: the
        two cannot be one man, either is proposed with one the other cannot be, the
        pair would make one person of two that cannot be, or the doubt of its names is
        still open (as in the first pass of :meth:`_pairs`)."""
        if self._cannot(a, b) or self._clash(partners, a, b) is not None:
            return True
        if self._joins_two(groups, a, b) is not None:
            return True
        if misread(self._facts[a], self._facts[b]):
            return True  # a slip or a misstated year: for a person, whatever is filled
        doubt = self._doubt(a, b, cands)
        return doubt is not None and (doubt is GRANDSON or self._open(a, b, doubt, cands))

    def _settle_undecided(
        self, out: list[ProposedPair], weights: dict[tuple[str, str], float]
    ) -> list[ProposedPair]:
        """Undecided pairs whose two reports are both proposed as one person with the
        same others (:func:`nasab.linkage.readings.settled_by_proposals`) are proposed
        too, saying through which reports."""
        settled = settled_by_proposals(
            [(p.report_a, p.report_b) for p in out],
            [(a, b) for a, b, _ in self.undecided],
            self._cannot,
        )
        if not settled:
            return out
        kept = []
        for a, b, score in self.undecided:
            path = settled.get((a, b))
            if path is None:
                kept.append((a, b, score))
                continue
            del self.undecided_reasons[(a, b)]
            en, ar = explain_pair(self.raw[a], self.raw[b], self.chains[a], self.chains[b])
            via = ", ".join(path)
            en.append(f"both proposed as one person with {via}")
            ar.append(f"كلاهما مقترَح شخصاً واحداً مع {via}")
            out.append(ProposedPair(a, b, score, weights[(a, b)], tuple(en), tuple(ar)))
        self.undecided = kept
        out.sort(key=lambda p: (-p.score, p.report_a, p.report_b))
        return out
