"""Small server-side SVG charts for the dashboards: no script, no CDN, every label escaped."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _colour(value: float | None) -> str:
    """White (0) to blue (1); grey for undefined."""
    if value is None:
        return "#e5e7eb"
    level = max(0.0, min(1.0, value))
    red, green, blue = (int(255 - level * (255 - c)) for c in (11, 92, 173))
    return f"#{red:02x}{green:02x}{blue:02x}"


def heatmap(names: Sequence[str], values: Mapping[tuple[str, str], float | None], *, title: str) -> SafeString:
    """A symmetric analyst x analyst matrix; the diagonal is left blank."""
    cell, left, top = 64, 120, 110
    size = len(names)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + size * cell + 10}" '
             f'height="{top + size * cell + 10}" viewBox="0 0 {left + size * cell + 10} {top + size * cell + 10}">'
             f"<title>{escape(title)}</title>"]
    for index, name in enumerate(names):
        x = left + index * cell + cell / 2
        parts.append(f'<text x="{x}" y="{top - 8}" transform="rotate(-40 {x} {top - 8})" font-size="12">'
                     f"{escape(name)}</text>")
        parts.append(f'<text x="{left - 8}" y="{top + index * cell + cell / 2 + 4}" text-anchor="end" '
                     f'font-size="12">{escape(name)}</text>')
    for row, first in enumerate(names):
        for column, second in enumerate(names):
            if row == column:
                continue
            value = values.get((first, second), values.get((second, first)))
            x, y = left + column * cell, top + row * cell
            shown = "n/a" if value is None else f"{value:.2f}"
            ink = "#ffffff" if value is not None and value > 0.6 else "#1d2330"
            parts.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{_colour(value)}">'
                         f"<title>{escape(first)} and {escape(second)}: {shown}</title></rect>"
                         f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 4}" text-anchor="middle" font-size="13" '
                         f'fill="{ink}">{shown}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text node above is escaped


def bars(rows: Sequence[tuple[str, Sequence[tuple[str, float | None]]]], *, title: str,
         maximum: float = 1.0) -> SafeString:
    """Grouped horizontal bars: for each row name, one bar per (series, value) in [0, maximum]."""
    width, left, bar, gap = 520, 150, 16, 10
    series = len(rows[0][1]) if rows else 0
    height = 20 + len(rows) * (series * bar + gap)
    fills = ["#0b5cad", "#8fb8e0", "#f5a623"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width + 60}" height="{height}" '
             f'viewBox="0 0 {width + 60} {height}"><title>{escape(title)}</title>']
    y = 10
    for name, values in rows:
        parts.append(f'<text x="{left - 8}" y="{y + series * bar / 2 + 4}" text-anchor="end" font-size="12">'
                     f"{escape(name)}</text>")
        for index, (label, value) in enumerate(values):
            length = 0 if value is None else max(0.0, min(1.0, value / maximum)) * (width - left)
            shown = "n/a" if value is None else f"{value:.2f}"
            parts.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar - 2}" '
                         f'fill="{fills[index % len(fills)]}"><title>{escape(name)}, {escape(label)}: {shown}</title>'
                         f'</rect><text x="{left + length + 4:.1f}" y="{y + bar - 5}" font-size="11">'
                         f"{escape(label)} {shown}</text>")
            y += bar
        y += gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text node above is escaped


def histogram(counts: Mapping[str, int], *, title: str, axis: str) -> SafeString:
    """Vertical bars of counts per category (e.g. the spread of scores: 0, 1, 2...)."""
    width, height, bottom = 360, 180, 30
    keys = list(counts)
    peak = max(counts.values(), default=0) or 1
    step = (width - 40) / max(len(keys), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for index, key in enumerate(keys):
        tall = (height - bottom - 20) * counts[key] / peak
        x = 30 + index * step
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - tall:.1f}" width="{step - 8:.1f}" height="{tall:.1f}" '
                     f'fill="#0b5cad"><title>{escape(axis)} {escape(key)}: {counts[key]}</title></rect>'
                     f'<text x="{x + (step - 8) / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                     f'font-size="12">{escape(key)}</text>'
                     f'<text x="{x + (step - 8) / 2:.1f}" y="{height - bottom - tall - 4:.1f}" text-anchor="middle" '
                     f'font-size="11">{counts[key]}</text>')
    parts.append(f'<text x="{width / 2}" y="{height - 4}" text-anchor="middle" font-size="12">{escape(axis)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text node above is escaped


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One row of an interval plot: a name, its estimate and interval (None: undefined), its size and alpha."""

    name: str
    estimate: float | None
    low: float | None
    high: float | None
    size: int
    alpha: float | None


def interval_plot(rows: Sequence[IntervalRow], *, low: int, high: int, title: str) -> SafeString:
    """A dot per row at its estimate on the scale [low, high], whiskers over its interval; the dot's area
    grows with the row's size and its colour with its alpha (grey: undefined); both are written beside it."""
    width, left, right, step, top = 760, 250, 150, 26, 30
    span = max(high - low, 1)
    height = top + len(rows) * step + 10
    biggest = max((row.size for row in rows), default=1) or 1

    def x(value: float) -> float:
        return left + (value - low) / span * (width - left - right)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for level in range(low, high + 1):
        parts.append(f'<line x1="{x(level):.1f}" y1="{top - 8}" x2="{x(level):.1f}" y2="{height - 6}" '
                     f'stroke="#e5e7eb"/><text x="{x(level):.1f}" y="{top - 12}" text-anchor="middle" '
                     f'font-size="12">{level}</text>')
    for index, row in enumerate(rows):
        y = top + index * step + step / 2
        agreement = "undefined" if row.alpha is None else f"{row.alpha:.2f}"
        shown = "no score" if row.estimate is None else f"{row.estimate:.2f}"
        interval = "" if row.low is None or row.high is None else f" [{row.low:.2f}, {row.high:.2f}]"
        name = row.name if len(row.name) <= 36 else row.name[:35] + "…"
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{escape(name)}'
                     f"<title>{escape(row.name)}</title></text>")
        if row.low is not None and row.high is not None:
            parts.append(f'<line x1="{x(row.low):.1f}" y1="{y:.1f}" x2="{x(row.high):.1f}" y2="{y:.1f}" '
                         f'stroke="#1d2330" stroke-width="1.5"/>'
                         f'<line x1="{x(row.low):.1f}" y1="{y - 5:.1f}" x2="{x(row.low):.1f}" y2="{y + 5:.1f}" '
                         f'stroke="#1d2330"/><line x1="{x(row.high):.1f}" y1="{y - 5:.1f}" x2="{x(row.high):.1f}" '
                         f'y2="{y + 5:.1f}" stroke="#1d2330"/>')
        if row.estimate is not None:
            radius = 3 + 7 * (row.size / biggest) ** 0.5
            parts.append(f'<circle cx="{x(row.estimate):.1f}" cy="{y:.1f}" r="{radius:.1f}" '
                         f'fill="{_colour(row.alpha)}" stroke="#0b5cad"><title>{escape(row.name)}: '
                         f'mean {shown}{interval}, n={row.size}, alpha {agreement}</title></circle>')
        parts.append(f'<text x="{width - right + 10}" y="{y + 4:.1f}" font-size="11">n={row.size} · '
                     f'α={agreement}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text node above is escaped
