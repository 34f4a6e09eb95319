"""Name levels in Python: the same rules as the model's SQL levels
(:mod:`nasab.linkage.comparisons`), for the relatives' rules, the reasons and clustering."""

from __future__ import annotations

from nasab.linkage.normalise import NameForms, squeezed_key, vowels_compatible

__all__ = ["name_level"]


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
    if squeezed_key(fa.key) == squeezed_key(fb.key):
        return "key"
    if fa.key[0] == fb.key[0] and _jaro_winkler(fa.key, fb.key) >= 0.88:
        return "similar"
    if (
        fa.script == fb.script
        and fa.norm[:1] == fb.norm[:1]
        and len(fa.norm) >= 3
        and _osa_distance(fa.norm, fb.norm) <= 1
    ):
        return "similar"
    if (
        fa.key[0] == fb.key[0]
        and len(fa.key) >= 3
        and len(fb.key) >= 3
        and _osa_distance(fa.key, fb.key) <= 1
    ):
        return "near key"
    return "else"


def family_slip(fa: NameForms, fb: NameForms) -> bool:
    """Two family names whose squeezed consonant keys are one typing slip apart, the
    first consonant too (a slip in or next to the article: Afmohamad, اللسودي; a
    consonant dropped: طان, Tahhan): the family level ``one slip`` of the model's SQL,
    below the levels of :func:`name_level`."""
    a, b = squeezed_key(fa.key), squeezed_key(fb.key)
    return bool(a and b) and max(len(a), len(b)) >= 3 and _osa_distance(a, b) <= 1
