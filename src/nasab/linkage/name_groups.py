"""A chain of names written with its connectors ("Adil bin Mohammed Kassem bin Emad
al-Mohammad"), read group by group: the given name, the father's, the grandfather's ...
(:func:`chain_groups`), for the chain reader (:mod:`nasab.linkage.chain`) and the
register's resolutions (:mod:`nasab.linkage.prepare`)."""

from __future__ import annotations

from nasab.linkage.normalise import normalise_name
from nasab.linkage.tokens import Token, _connectors, parse_name, split_words


def chain_groups(text: str) -> tuple[tuple[Token, ...], ...]:
    """The names of a chain written with its connectors ("Adil bin Mohammed Kassem bin
    Emad al-Mohammad", عادل بن محمد قاسم بن عماد المحمد), group by group as
    :func:`parse_name` reads each: the given name, the father's, the grandfather's ...,
    the last group with the family name.  Where the name has no connector, or its groups
    are not its tokens in order (a connector in brackets or in an alias), one group: the
    name's tokens."""
    whole = parse_name(text or "")
    groups: list[list[str]] = [[]]
    words = split_words(text or "")
    for w, connector in zip(words, _connectors([normalise_name(w) for w in words]), strict=True):
        if connector and groups[-1]:
            groups.append([])
        else:
            groups[-1].append(w)
    if len(groups) < 2:
        return (whole,)  # no connector: nothing to parse again
    out = tuple(g for g in (parse_name(" ".join(ws)) for ws in groups) if g)
    texts = [t.text for g in out for t in g]
    if len(out) < 2 or texts != [t.text for t in whole]:
        return (whole,)
    return out
