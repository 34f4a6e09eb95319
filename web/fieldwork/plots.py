"""Grave sites drawn without a tile server: SVG plots the page carries inline.

* :func:`sites_svg`: every site with coordinates, placed by longitude and latitude
  (equirectangular, corrected by the cosine of the mean latitude so that distances look
  right), the site in view emphasised, with a scale bar in kilometres.
* :func:`remains_svg`: the remains of one site at their recorded positions (metres east
  and north of the site's datum point), with a metre grid.

Plain SVG: no script, no style attribute (the pages' Content-Security-Policy allows
neither), colours by presentation attributes.
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT, PAD = 560, 360, 36
KM_PER_DEGREE = 111.32


def _nice(value: float) -> float:
    """A round number (1, 2, 5 x 10^k) not above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return max(m * power for m in (1, 2, 5) if m * power <= value)


def _frame(label: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" class="plot" font-family="DejaVu Sans, sans-serif" font-size="11">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#f7f5ef" stroke="#888"/>',
    ]


def sites_svg(sites, current, label: str, km: str = "km", north: str = "N") -> str:
    """``sites``: objects with code, latitude, longitude; ``current``: the one in view (or
    None). Codes are written beside the points when there are few enough to read."""
    placed = [s for s in sites if s.latitude is not None and s.longitude is not None]
    named = len(placed) <= 40
    if not placed:
        return ""
    lats = [float(s.latitude) for s in placed]
    lons = [float(s.longitude) for s in placed]
    mean_lat = math.radians(sum(lats) / len(lats))
    xs = [lon * math.cos(mean_lat) for lon in lons]
    span = max(max(xs) - min(xs), max(lats) - min(lats), 0.02)  # at least ~2 km across
    scale = min(WIDTH - 2 * PAD, HEIGHT - 2 * PAD) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(lats) + min(lats)) / 2

    def at(s):
        x = WIDTH / 2 + (float(s.longitude) * math.cos(mean_lat) - cx) * scale
        y = HEIGHT / 2 - (float(s.latitude) - cy) * scale
        return x, y

    parts = _frame(label)
    # north arrow
    parts.append(
        f'<path d="M {WIDTH - 24} 40 L {WIDTH - 30} 54 L {WIDTH - 18} 54 Z" fill="#333"/>'
        f'<text x="{WIDTH - 24}" y="34" text-anchor="middle">{escape(north)}</text>'
    )
    # scale bar
    km_per_px = KM_PER_DEGREE / scale
    bar_km = _nice(120 * km_per_px)
    bar_px = bar_km / km_per_px
    parts.append(
        f'<line x1="{PAD}" y1="{HEIGHT - 16}" x2="{PAD + bar_px:.1f}" y2="{HEIGHT - 16}" '
        f'stroke="#333" stroke-width="3"/><text x="{PAD + bar_px / 2:.1f}" y="{HEIGHT - 22}" '
        f'text-anchor="middle" direction="ltr">{bar_km:g} {escape(km)}</text>'
    )
    for s in placed:
        x, y = at(s)
        here = current is not None and s.pk == current.pk
        parts.append(
            f'<g class="site{" current" if here else ""}"><title>{escape(s.code)} '
            f"({float(s.latitude):.5f}, {float(s.longitude):.5f})</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{8 if here else 5}" '
            f'fill="{"#b03a2e" if here else "#23395b"}" stroke="#fff" stroke-width="1.5"/>'
            + (
                f'<text x="{x:.1f}" y="{y - 12:.1f}" text-anchor="middle" direction="ltr" '
                f'font-weight="{"bold" if here else "normal"}">{escape(s.code)}</text>'
                if named or here
                else ""
            )
            + "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def remains_svg(remains, label: str, metres: str = "m") -> str:
    """``remains``: objects with code, label_at_discovery, east_m, north_m (None = not recorded)."""
    placed = [r for r in remains if r.east_m is not None and r.north_m is not None]
    if not placed:
        return ""
    es = [float(r.east_m) for r in placed]
    ns = [float(r.north_m) for r in placed]
    lo_e, hi_e = math.floor(min(es + [0.0])), math.ceil(max(es + [1.0]))
    lo_n, hi_n = math.floor(min(ns + [0.0])), math.ceil(max(ns + [1.0]))
    span = max(hi_e - lo_e, hi_n - lo_n, 1)
    scale = min(WIDTH - 2 * PAD, HEIGHT - 2 * PAD) / span

    def at(e, n):
        return PAD + (e - lo_e) * scale, HEIGHT - PAD - (n - lo_n) * scale

    parts = _frame(label)
    step = _nice(span / 5) or 1
    k = math.ceil(lo_e / step)
    while k * step <= lo_e + span:
        x, _ = at(k * step, lo_n)
        parts.append(
            f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{HEIGHT - PAD}" stroke="#ccc"/>'
            f'<text x="{x:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" direction="ltr">'
            f"{k * step:g}</text>"
        )
        k += 1
    k = math.ceil(lo_n / step)
    while k * step <= lo_n + span:
        _, y = at(lo_e, k * step)
        parts.append(
            f'<line x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end" direction="ltr">{k * step:g}</text>'
        )
        k += 1
    x0, y0 = at(0, 0)
    parts.append(
        f'<path d="M {x0 - 6:.1f} {y0:.1f} H {x0 + 6:.1f} M {x0:.1f} {y0 - 6:.1f} V {y0 + 6:.1f}" '
        f'stroke="#b03a2e" stroke-width="2"/>'
    )
    parts.append(
        f'<text x="{WIDTH - PAD}" y="{PAD - 10}" text-anchor="end" direction="ltr">{escape(metres)}</text>'
    )
    for r in placed:
        x, y = at(float(r.east_m), float(r.north_m))
        parts.append(
            f'<g class="remains"><title>{escape(r.code)}: {float(r.east_m):g} E, '
            f'{float(r.north_m):g} N (m)</title><rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" '
            f'height="10" fill="#23395b"/><text x="{x + 8:.1f}" y="{y - 6:.1f}" direction="ltr">'
            f"{escape(r.label_at_discovery)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
