"""A line chart as inline SVG, drawn on the server: no script and no CDN (a city network may be
offline), readable by screen readers through <title>/<desc>, and always shown beside a table.

Pure: no CKAN import.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Okabe–Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ("", "6 3", "2 3", "8 3 2 3")  # a second cue besides colour


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[str, int], ...]  # (x label, value), in x order


def line_chart(series: list[Series], title: str, summary: str, width: int = 640, height: int = 280) -> str:
    """SVG markup; x labels are taken in order of first appearance across the series."""
    xs: list[str] = []
    for one in series:
        for x, _ in one.points:
            if x not in xs:
                xs.append(x)
    top = max((v for one in series for _, v in one.points), default=0)
    top = max(top, 1)
    left, right, upper, lower = 48, 16, 16, 40
    plot_w, plot_h = width - left - right, height - upper - lower

    def px(i: int) -> float:
        return left + (plot_w * i / (len(xs) - 1) if len(xs) > 1 else plot_w / 2)

    def py(v: int) -> float:
        return upper + plot_h - plot_h * v / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ikoma-chart" viewBox="0 0 {width} {height}" '
             f'role="img" aria-labelledby="chart-title chart-desc">',
             f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(summary)}</desc>',
             f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#555"/>',
             f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#555"/>',
             f'<text x="{left - 6}" y="{upper + 4}" text-anchor="end" font-size="11">{top}</text>',
             f'<text x="{left - 6}" y="{upper + plot_h}" text-anchor="end" font-size="11">0</text>']
    step = max(1, len(xs) // 8)  # at most ~8 x labels
    for i, x in enumerate(xs):
        if i % step == 0 or i == len(xs) - 1:
            parts.append(f'<text x="{px(i):.1f}" y="{height - 22}" text-anchor="middle" font-size="11">{escape(x)}</text>')
    for n, one in enumerate(series):
        colour, dash = PALETTE[n % len(PALETTE)], DASHES[(n // len(PALETTE) + n) % len(DASHES)]
        coords = " ".join(f"{px(xs.index(x)):.1f},{py(v):.1f}" for x, v in one.points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash_attr} points="{coords}">'
                     f'<title>{escape(one.label)}</title></polyline>')
        for x, v in one.points:  # markers: a single month is a point, and values can be read by hovering
            parts.append(f'<circle cx="{px(xs.index(x)):.1f}" cy="{py(v):.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(one.label)} {escape(x)}: {v}</title></circle>')
        legend_y = height - 6
        legend_x = left + (n % 4) * (plot_w / 4)
        parts.append(f'<line x1="{legend_x:.1f}" y1="{legend_y - 4}" x2="{legend_x + 18:.1f}" y2="{legend_y - 4}" '
                     f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
                     f'<text x="{legend_x + 22:.1f}" y="{legend_y}" font-size="11">{escape(one.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
