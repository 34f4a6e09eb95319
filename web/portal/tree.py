"""A small family tree as server-rendered SVG (no script): generations in rows, the
missing person in the middle row, lines to each relative."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

GENERATION = {
    "grandparent": -2,
    "father": -1,
    "mother": -1,
    "uncle_aunt": -1,
    "full_sibling": 0,
    "half_sibling_paternal": 0,
    "half_sibling_maternal": 0,
    "cousin": 0,
    "spouse": 0,
    "other": 0,
    "child": 1,
}
BOX_W, BOX_H, GAP, ROW = 112, 40, 10, 70


@dataclass
class Node:
    label: str
    relation: str
    generation: int
    main: bool = False


def _short(text: str, n: int = 16) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def svg(mp_label: str, relatives: list[tuple[str, str, str]], title: str) -> str:
    """``relatives``: (name, relationship code, translated relationship label)."""
    rows: dict[int, list[Node]] = {}
    for name, code, label in relatives:
        g = GENERATION.get(code, 0)
        rows.setdefault(g, []).append(Node(name, label, g))
    rows.setdefault(0, [])
    middle = len(rows[0]) // 2
    rows[0].insert(middle, Node(mp_label, "", 0, main=True))
    gens = sorted(rows)
    width = max(len(r) for r in rows.values()) * (BOX_W + GAP) + GAP
    height = len(gens) * ROW + GAP
    pos: dict[int, tuple[float, float]] = {}
    parts = []
    for gi, g in enumerate(gens):
        row = rows[g]
        offset = (width - len(row) * (BOX_W + GAP) + GAP) / 2
        for i, node in enumerate(row):
            x, y = offset + i * (BOX_W + GAP), GAP + gi * ROW
            pos[id(node)] = (x + BOX_W / 2, y)
    mp = next(n for n in rows[0] if n.main)
    mx, my = pos[id(mp)]
    for g in gens:
        for node in rows[g]:
            if node.main:
                continue
            x, y = pos[id(node)]
            parts.append(
                f'<line x1="{mx:.0f}" y1="{my + BOX_H / 2:.0f}" x2="{x:.0f}" '
                f'y2="{y + BOX_H / 2:.0f}" stroke="#8a8a8a"/>'
            )
    for g in gens:
        for node in rows[g]:
            x, y = pos[id(node)]
            fill, stroke = ("#fff4d6", "#8a5a00") if node.main else ("#ffffff", "#1f4e79")
            parts.append(
                f'<rect x="{x - BOX_W / 2:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" '
                f'rx="6" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
                f'<text x="{x:.0f}" y="{y + 16:.0f}" text-anchor="middle" font-size="13" '
                f'fill="#111">{escape(_short(node.label))}</text>'
                f'<text x="{x:.0f}" y="{y + 32:.0f}" text-anchor="middle" font-size="11" '
                f'fill="#333">{escape(_short(node.relation, 20))}</text>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tree" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
