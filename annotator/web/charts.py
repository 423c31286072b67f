"""Small server-side SVG charts for the dashboards: no script, no CDN, every label escaped."""

from collections.abc import Mapping, Sequence

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
