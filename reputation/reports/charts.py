"""Small bar charts as SVG images, drawn the same by browsers and by xhtml2pdf
(through svglib): embedded as data: URIs, so a report is one self-contained file."""

import base64
from html import escape

COLORS = {"positive": "#27ae60", "neutral": "#95a5a6", "negative": "#c0392b", "total": "#2e86c1"}


def stacked_bars(
    rows: list[dict],
    keys: list[str],
    label: str = "label",
    width: int = 520,
    bar: int = 16,
    gap: int = 6,
    left: int = 150,
) -> str:
    """Horizontal bars, one per row, stacked by `keys`; the total is written after it."""
    top = max([sum(r[k] for k in keys) for r in rows] + [1])
    span = width - left - 40
    height = max(1, len(rows)) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica" font-size="10">'
    ]
    for i, row in enumerate(rows):
        y = gap + i * (bar + gap)
        parts.append(
            f'<text x="0" y="{y + bar - 4}" fill="#222">{escape(str(row[label])[:40])}</text>'
        )
        x = float(left)
        total = 0
        for key in keys:
            w = span * row[key] / top
            total += row[key]
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                    f'fill="{COLORS.get(key, "#2e86c1")}"/>'
                )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 4}" fill="#222">{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
