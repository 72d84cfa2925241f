"""Charts of a report, drawn by pygal as SVG text (no scripts: they open offline, embedded in the HTML).

pygal rather than matplotlib: `vmo report` must stay within 1.5x the memory and
3x the time of `vmo history --json` (bench/report_speed.py); importing
matplotlib alone took 70 MB and 2 s here, pygal 20 MB and 0.3 s with a chart
drawn. Imported lazily, only when an HTML report is written.
"""

from __future__ import annotations

from typing import Any, Sequence

_COLOURS = ("#1f5fa8", "#d9822b", "#2e8540", "#b22222", "#6a3d9a")


def _config(title: str, labels: Sequence[str]) -> dict[str, Any]:
    from pygal.style import Style

    style = Style(
        background="#ffffff", plot_background="#ffffff", foreground="#111111", foreground_strong="#111111",
        foreground_subtle="#bbbbbb", colors=_COLOURS, font_family="Liberation Sans, Arial, sans-serif",
        title_font_size=16, label_font_size=11, major_label_font_size=11, legend_font_size=12,
        value_font_size=10,
    )
    return {
        "title": title, "style": style, "js": [], "width": 760, "height": 300, "explicit_size": True,
        "x_labels": list(labels), "x_label_rotation": 30 if len(labels) > 8 else 0,
        "show_minor_x_labels": len(labels) <= 16, "legend_at_bottom": True, "legend_at_bottom_columns": 3,
        "print_values": False, "truncate_label": -1, "disable_xml_declaration": False,
    }


def _render(chart: Any) -> str:
    svg = chart.render(is_unicode=True)
    return svg


def sessions_chart(labels: Sequence[str], prescribed: Sequence[int | None], done: Sequence[int],
                   stopped: Sequence[int]) -> str:
    """Sessions per week: prescribed against completed and stopped early (bars)."""
    import pygal

    config = _config("Sessions per week", labels)
    if len(labels) > 16:
        config["x_labels_major_every"] = max(1, len(labels) // 12)
    chart = pygal.Bar(**config)
    if any(p is not None for p in prescribed):
        chart.add("prescribed", [p for p in prescribed])
    chart.add("completed", list(done))
    chart.add("stopped early", list(stopped))
    return _render(chart)


def pain_chart(labels: Sequence[str], before: Sequence[int | None], after: Sequence[int | None]) -> str:
    """Pain before and after sessions (0-10), each week's average."""
    import pygal

    config = _config("Pain (0-10) before and after sessions, weekly average", labels)
    config.update(range=(0, 10), min_scale=5, max_scale=10, dots_size=2.5)
    if len(labels) > 16:
        config["x_labels_major_every"] = max(1, len(labels) // 12)
        config["show_minor_x_labels"] = False
    chart = pygal.Line(**config)
    chart.add("before", list(before), allow_interruptions=True)
    chart.add("after", list(after), allow_interruptions=True)
    return _render(chart)


def exercise_chart(labels: Sequence[str], percent: Sequence[int]) -> str:
    """Share of the prescribed holds or sets done, per exercise and side, over the whole period."""
    import pygal

    config = _config("Done, as a share of prescribed (%)", labels)
    config.update(range=(0, 100), height=max(220, 60 + 26 * len(labels)), x_label_rotation=0,
                  show_legend=False, print_values=True, value_formatter=lambda v: f"{v:.0f}%")
    chart = pygal.HorizontalBar(**config)
    chart.add("done", list(percent))
    return _render(chart)
