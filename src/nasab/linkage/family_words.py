"""Which words of a free-text name are a family name: the last word of a full name
(:func:`looks_family`), a name written with the article (:func:`article_family`,
:func:`joined_article`, :func:`latin_article_apart`), a nisba of a name
(:func:`nisba_of_a_name`), and a name written family name first
(:func:`family_first`), and a family name's article typed with a slip
(:func:`article_slip`).  Used by :mod:`nasab.linkage.chain` to read a chain and by
:mod:`nasab.linkage.prepare` to read a name against the register's family names."""

from __future__ import annotations

from nasab.linkage.lexicon import is_listed, name_ids, slip_ids, typo_ids
from nasab.linkage.normalise import detect_script, normalise_name
from nasab.linkage.tokens import Token, parse_name

__all__ = [
    "article_family",
    "article_slip",
    "family_first",
    "joined_article",
    "latin_article_apart",
    "looks_family",
    "nisba_of_a_name",
]


def looks_family(tok: Token) -> bool:
    """Whether the last word of a two-word full name is a family name, not a father's."""
    n = normalise_name(tok.text)  # never empty: name_words keeps words with letters
    if detect_script(n) == "ar":
        if n.startswith("ال"):
            return True
    elif n.split()[0] in ("al", "el") or n.startswith(("al", "el")) and len(n) > 5:
        return True
    return not name_ids(tok.text) or nisba_of_a_name(tok.text)


def article_family(tok: Token) -> bool:
    """A name written with the article (الحسن, al-Hassan): a family name where it ends a
    given-name box that holds more."""
    n = normalise_name(tok.text)
    if tok.kind != "name":
        return False
    if detect_script(n) == "ar":
        return n.startswith("ال") and len(n) > 3
    return " " in n and n.split()[0] in ("al", "el")


def joined_article(tok: Token) -> bool:
    """A Latin name written with the article joined ("Almasri", "Elhassan"), no spelling
    the lexicon lists nor a slip of one (Alaa, Elias are given names)."""
    n = normalise_name(tok.text)
    return (
        tok.kind == "name"
        and detect_script(n) == "lat"
        and " " not in n
        and n.startswith(("al", "el"))
        and len(n) > 5
        and not is_listed(tok.text)  # read by its consonants alone: Alhamwi as Ilham
        # nor a slip of one, or of two (Alsaad: Asad, As'ad)
        and not (typo_ids(tok.text) or slip_ids(tok.text))
    )


def latin_article_apart(tok: Token) -> bool:
    """A Latin name with its article written apart ("al-As'ad", "el Hassan"): a family
    name however its name reads (As'ad is a given name too), as no given name is so
    written; the article joined ("Alaa", "Elias") or in Arabic script (إلياس) may be a
    given name's first letters."""
    return detect_script(normalise_name(tok.text)) == "lat" and article_family(tok)


def family_first(toks: list[Token], notes: list[str]) -> list[Token]:
    """A free-text name written family name first, as lists of the detained and some
    registers write it ("العبيد محمد ماهر فواز", "al-Zoubi Shehab Aziz"), in a name's
    order: its first name written with the article (:func:`article_family`, or joined
    in Latin: :func:`joined_article`), no known given name (إلهام) nor one written with
    a hamza (إلياس), and no other name so written.  Noted ``family name first`` with the
    name in that order.  A family name first without the article cannot be told from a
    given name, and is read as written."""
    first = toks[0] if len(toks) >= 3 else None
    if (
        first is None
        or not (article_family(first) or joined_article(first))
        or first.text[:1] in "إأ"
        or (name_ids(first.text) and not latin_article_apart(first))
        or any(article_family(t) for t in toks[1:])
    ):
        return toks
    in_order = " ".join(t.text for t in (*toks[1:], first))
    notes.append(f"family name first|{in_order}")
    # read again in that order: a kunya now first is a kunya ("Al Omar Abou Nizar")
    return list(parse_name(in_order))


def nisba_of_a_name(text: str) -> bool:
    """A Latin word that is no listed spelling but a listed name with the nisba's -i
    added (``Bashari``: of Bashar's house), read as that name only by its consonants: a
    family name (al-Bashari), not the father's name (Abdulrahman Bashari is no son of
    Bashar: the full name of a man of that family, a name the family gives as the last
    of a two-word full name)."""
    n = normalise_name(text)
    return (
        detect_script(n) == "lat"
        and len(n) > 4
        and n.endswith("i")
        and not is_listed(text)
        and is_listed(n[:-1])
        and bool(name_ids(n[:-1]) & name_ids(text))
    )


def article_slip(word: str) -> str:
    """A family name whose article's alef is typed as another letter ("قلحسن", the second
    simulator's seed 5: الحسن) as meant: one Arabic word of five letters or more, no
    listed name nor a slip of one (سليامن: Suleiman, not اليامن), its second letter the
    article's lam and the rest a listed name; any other text as it is.  For a family
    name only: a given or mother's name has no article."""
    rest = word[2:]
    if len(word) < 5 or word[1] != "ل" or word[0] == "ا" or detect_script(word) != "ar":
        return word
    if " " in word or is_listed(word) or typo_ids(word) or not is_listed(rest):
        return word
    return f"ال{rest}"


def family_in_grandfather_box(toks, box: dict[str, str]) -> bool:
    """A family name with its article typed into the grandfather's box (its tokens
    ``toks``), the family's box left empty ("الموسى", "Al Jundi": our third simulator;
    no grandfather's name is written with the article)."""
    if box["family_name"] or box["full_name"] or len(toks) != 1:
        return False
    return article_family(toks[0]) or joined_article(toks[0])
