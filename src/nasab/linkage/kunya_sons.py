"""A kunya matched to the family's sons: "Abu Ali" son of Mohammad of family F is the
father of a man Ali whose grandfather is Mohammad of family F, and where the register
holds reports of such an Ali, the father's name they give is the given name of "Abu
Ali" (:func:`resolve_kunyas`, used by :mod:`nasab.linkage.prepare`)."""

from __future__ import annotations

from collections.abc import Callable

from nasab.linkage.chain import Chain
from nasab.linkage.dates import stated_year
from nasab.linkage.lexicon import name_ids

#: a son is born this many years after his father, at least and at most
SON_YEARS = (15, 50)


def son_fits(father: dict, son: dict, where: Callable[[dict], str | None]) -> bool:
    """Whether a report could be of a son of the man of another report: the same
    governorate where both are known (``where``: a report's governorate as written, else
    the one its place of disappearance is in: a son reported in Damascus, no governorate
    stated, is no son of a kunya of Daraa), and a son :data:`SON_YEARS` younger where
    both birth years are stated."""
    gf, gs = where(father), where(son)
    if gf and gs and gf != gs:
        return False
    try:
        yf, ys = stated_year(father.get("birth_year")), stated_year(son.get("birth_year"))
    except ValueError:
        return True
    return yf is None or ys is None or SON_YEARS[0] <= ys - yf <= SON_YEARS[1]


def resolve_kunyas(
    chains: dict[str, Chain], raw: dict[str, dict], *, where: Callable[[dict], str | None]
) -> dict[str, str]:
    """Kunyas matched to the family's sons: a report of "Abu Ali" son of Mohammad of
    family F names the father of a man Ali whose grandfather is Mohammad of family F;
    where the register holds reports of such an Ali that fit as his son
    (:func:`son_fits`) and agree on his father's name, that name is the given name of
    "Abu Ali".  Not where the kunya's name is his own father's ("Abu Ali" son of Ali):
    any brother's son may be named after their father.  Returns report id -> that
    name."""
    sons: dict[tuple, list[tuple[str, str]]] = {}
    for rid, c in chains.items():
        if c.given and c.given.tok and c.father and c.grandfather and c.family:
            sons.setdefault((c.given.tok, c.grandfather.tok, c.family.tok), []).append(
                (rid, c.father.raw)
            )
    out = {}
    for rid, c in chains.items():
        if c.given is None and c.kunya and c.father and c.family:
            if c.kunya.ids & c.father.ids or c.kunya.tok == c.father.tok:
                # "Abu Ali" son of Ali: his son named after his grandfather, as every
                # brother's eldest son may be; a nephew Ali son of X fits, not only a son
                continue
            names = {
                n
                for sid, n in sons.get((c.kunya.tok, c.father.tok, c.family.tok), ())
                if son_fits(raw[rid], raw[sid], where)
            }
            ids = {min(name_ids(n)) if name_ids(n) else n for n in names}
            if len(ids) == 1:
                out[rid] = sorted(names)[0]
    return out
