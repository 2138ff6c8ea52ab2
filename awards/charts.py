"""Server-side SVG bar charts: no JavaScript chart library, accessible text alternatives."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart_svg(
    *,
    items: list[tuple[str, int]],
    title: str,
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 260,
    color: str = "#a4161a",
) -> SafeString:
    """A horizontal bar chart. Every label and value is escaped; the chart has a <title>
    and each bar a text value, so it reads without colour or a mouse."""
    top = 8
    height = top + max(len(items), 1) * (bar_height + 6) + 8
    peak = max((n for _label, n in items), default=0) or 1
    plot = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="bar-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + 6)
        length = round(plot * value / peak) if value else 0
        # About 36 characters of 12-px text fill the label column; longer ones are cut.
        short = label if len(label) <= 37 else label[:35] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'font-size="12" fill="#212529">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{color}"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{label_width + length + 5}" y="{y + bar_height * 0.7:.1f}" '
            f'font-size="12" fill="#212529">{value}</text>'
        )
    if not items:
        parts.append(f'<text x="10" y="{top + 14}" font-size="12" fill="#212529">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
