"""The calculator's chart, drawn on the server as SVG (no JavaScript needed to see it).

Two rows: a stacked bar of detractors, passives and promoters (their displayed percentages),
and the score on its -100..+100 scale with the adjusted-Wald interval as a band. The SVG has
a <title> and a <desc>; the page shows the same facts as text next to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LEFT = 20
RIGHT = WIDTH - 20
BAR_TOP = 8
BAR_HEIGHT = 36
SCALE_Y = 110  # the -100..+100 axis
HEIGHT = 150
MIN_LABEL_WIDTH = 44  # narrower segments carry no label: it would not fit

COLOURS = {"detractors": "#b3261e", "passives": "#5b6472", "promoters": "#1e7a46"}
BAND_COLOUR = "#9cc3ea"
MARK_COLOUR = "#0b3d73"
INK = "#1d2430"


@dataclass(frozen=True)
class ChartData:
    """What the chart shows, already rounded and formatted for the visitor's language."""

    percentages: tuple[int, int, int]  # detractors, passives, promoters; they add up to 100
    labels: tuple[str, str, str]  # e.g. "15 %", in the same order
    score: float  # -100..100
    score_label: str  # "+45"
    lower: float
    upper: float
    ticks: tuple[tuple[int, str], ...]  # (value, label) on the -100..+100 scale
    title: str
    description: str


def _x(value: float) -> float:
    """Position of an NPS value (-100..100) on the scale."""
    value = max(-100.0, min(100.0, value))
    return round(LEFT + (value + 100) / 200 * (RIGHT - LEFT), 2)


def render(data: ChartData, element_id: str = "nps-chart") -> SafeString:
    """The chart as inline SVG markup (escaped, safe to put in a template)."""
    segments = []
    x = float(LEFT)
    for key, share, label in zip(
        ("detractors", "passives", "promoters"), data.percentages, data.labels, strict=True
    ):
        width = round(share / 100 * (RIGHT - LEFT), 2)
        segments.append((key, x, width, label))
        x += width
    bars = format_html_join(
        "",
        '<rect class="nps-chart-{}" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        (
            (key, left, BAR_TOP, width, BAR_HEIGHT, COLOURS[key])
            for key, left, width, _label in segments
            if width > 0
        ),
    )
    bar_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" fill="#ffffff">{}</text>',
        (
            (round(left + width / 2, 2), BAR_TOP + BAR_HEIGHT / 2 + 5, label)
            for _key, left, width, label in segments
            if width >= MIN_LABEL_WIDTH
        ),
    )
    ticks = format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}"/>'
        '<text x="{0}" y="{4}" text-anchor="middle" fill="{3}">{5}</text>',
        (
            (_x(value), SCALE_Y - 5, SCALE_Y + 5, INK, SCALE_Y + 22, label)
            for value, label in data.ticks
        ),
    )
    band_left, band_right = _x(data.lower), _x(data.upper)
    score_x = _x(data.score)
    anchor = "start" if score_x < LEFT + 30 else "end" if score_x > RIGHT - 30 else "middle"
    return format_html(
        '<svg class="nps-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc" font-size="14" '
        'font-family="system-ui, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{bars}{bar_labels}"
        '<rect class="nps-chart-band" x="{band_x}" y="{band_y}" width="{band_w}" height="16" '
        'fill="{band}" rx="3"/>'
        '<line x1="{left}" x2="{right}" y1="{scale_y}" y2="{scale_y}" stroke="{ink}"/>'
        "{ticks}"
        '<line class="nps-chart-score" x1="{sx}" x2="{sx}" y1="{mark_top}" y2="{mark_bottom}" '
        'stroke="{mark}" stroke-width="4"/>'
        '<text x="{sx}" y="{label_y}" text-anchor="{anchor}" font-weight="700" '
        'fill="{mark}">{score}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=element_id,
        title=data.title,
        desc=data.description,
        bars=bars,
        bar_labels=bar_labels,
        band_x=band_left,
        band_y=SCALE_Y - 8,
        band_w=round(max(band_right - band_left, 1.0), 2),
        band=BAND_COLOUR,
        left=LEFT,
        right=RIGHT,
        scale_y=SCALE_Y,
        ink=INK,
        ticks=ticks,
        sx=score_x,
        mark_top=SCALE_Y - 14,
        mark_bottom=SCALE_Y + 8,
        mark=MARK_COLOUR,
        label_y=SCALE_Y - 20,
        anchor=anchor,
        score=data.score_label,
    )
