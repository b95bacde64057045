"""Charts drawn on the server as SVG: used by the results page and by the PDF report.

Presentation attributes only (no style attributes), so the SVG passes a strict CSP and
WeasyPrint draws it as vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BAND_COLOURS = ("#b02a37", "#d9822b", "#2f7ebc", "#198754")


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a score 0-100 (None: no score), and optionally an earlier score."""

    label: str
    score: float | None
    previous: float | None = None


def colour_for(score: float | None, thresholds: Sequence[float] = (25, 50, 75)) -> str:
    """The band colour of a score: red, orange, blue, green from low to high."""
    if score is None:
        return "#adb5bd"
    index = sum(1 for threshold in thresholds if score >= threshold)
    return BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)]


def _wrap(label: str, width: int) -> list[str]:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], lines[1][: width - 1] + "…"]


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    no_score_text: str = "no score",
    previous_text: str = "previous",
    width: int = 640,
    thresholds: Sequence[float] = (25, 50, 75),
    chart_id: str = "chart",
    font_family: str | None = None,
) -> str:
    """A horizontal bar chart of scores 0-100 with the number printed beside each bar.

    Bars with an earlier score show it as a thin marker, so progress is visible at a glance.
    `font_family` sets the text's font where no page stylesheet reaches the SVG (an image).
    """
    label_width, value_width, row, top = 230, 64, 34, 26
    plot = width - label_width - value_width
    height = top + row * len(bars) + 22
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title"'
        + (f' font-family="{escape(font_family)}"' if font_family else "")
        + ">",
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 20}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{top - 10}" font-size="10" text-anchor="middle" '
            f'fill="#6c757d">{tick}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        lines = _wrap(bar.label, 34)
        for n, line in enumerate(lines):
            dy = y + row / 2 + 4 + (n - (len(lines) - 1) / 2) * 12
            out.append(
                f'<text x="{label_width - 8}" y="{dy:.1f}" font-size="11" text-anchor="end" '
                f'fill="#212529">{escape(line)}</text>'
            )
        if bar.score is None:
            out.append(
                f'<text x="{label_width + 4}" y="{y + row / 2 + 4:.1f}" font-size="11" '
                f'fill="#6c757d">{escape(no_score_text)}</text>'
            )
        else:
            length = max(plot * bar.score / 100, 1.5)
            out.append(
                f'<rect x="{label_width}" y="{y + 7}" width="{length:.1f}" height="{row - 14}" '
                f'fill="{colour_for(bar.score, thresholds)}" rx="2"/>'
            )
            out.append(
                f'<text x="{width - value_width + 6}" y="{y + row / 2 + 4:.1f}" font-size="12" '
                f'font-weight="bold" fill="#212529">{bar.score:.0f}</text>'
            )
        if bar.previous is not None:
            x = label_width + plot * bar.previous / 100
            out.append(
                f'<line x1="{x:.1f}" y1="{y + 3}" x2="{x:.1f}" y2="{y + row - 3}" '
                f'stroke="#212529" stroke-width="2" stroke-dasharray="3 2">'
                f"<title>{escape(previous_text)}: {bar.previous:.0f}</title></line>"
            )
    out.append("</svg>")
    return "\n".join(out)
