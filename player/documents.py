"""Render document models (handouts, reports) through Jinja2 templates: HTML, Markdown, PDF.

The templates live in `player/templates/` and ship in the wheel. HTML templates
autoescape every value; Markdown templates escape routine text with the `md`
filters. Pictures and QR codes are embedded in HTML as data URIs, so one file
holds everything and can be emailed; Markdown links them instead.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from player.errors import UsageError

MAX_PICTURE_BYTES = 32 * 1024 * 1024

PDF_MISSING = "PDF needs WeasyPrint: pip install 'vmo[pdf]' (or export --format html and print it)"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".gif": "image/gif", ".webp": "image/webp"}

# Characters Markdown may act on anywhere in a line. CommonMark lets any ASCII
# punctuation be backslash-escaped, so escaping these is always safe.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_BLOCK_MARK = re.compile(r"^([#>+=-])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def md_line(text: Any) -> str:
    """Text as one line of Markdown that shows it literally."""
    line = _MD_INLINE.sub(r"\\\1", " ".join(str(text).split()))
    line = _MD_ENTITY.sub(r"\\&", line)
    line = _MD_BLOCK_MARK.sub(r"\\\1", line)
    return _MD_NUMBERED.sub(r"\1\\\2", line)


def md_paragraphs(paras: Any) -> str:
    """Paragraphs of lines as Markdown, line breaks kept (a backslash at a line's end)."""
    return "\n\n".join("\\\n".join(md_line(line) for line in para) for para in paras)


def md_cell(text: Any) -> str:
    """Text in a Markdown table cell."""
    return md_line(text) if str(text).strip() else " "


def data_uri(path: Path | str) -> str:
    """A file as a `data:` URI, so the HTML needs nothing beside it."""
    path = Path(path)
    mime = _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    from player.files import read_limited

    try:
        data = read_limited(path, MAX_PICTURE_BYTES)  # a regular file only: never a FIFO or a device
    except OSError as exc:
        raise UsageError(f"cannot read the picture {path}: {exc.strerror or exc}") from None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI (segno)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=2, dark="#000", light="#fff")


def svg_data_uri(svg: str) -> str:
    """An SVG text (a chart) as a data URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def relative_href(path: Path, base: Path | None, fallback: str) -> str:
    """A link to `path` from the folder `base` (the Markdown file's); `fallback` when there is none."""
    if base is None:
        return fallback
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment: templates from the package, HTML autoescaped."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("player", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_line, md_paragraphs=md_paragraphs, md_cell=md_cell, data_uri=data_uri,
                       qr=qr_data_uri, svg_uri=svg_data_uri)
    return env


def render(template: str, **context: Any) -> str:
    """Render one template of `player/templates` with `context`."""
    return environment().get_template(template).render(**context)


def render_html(handout: Any, paper: str = "auto") -> str:
    """A handout as one self-contained HTML file; `paper` sets the printed page size (auto, A4, letter)."""
    return render("handout.html", doc=handout, paper=paper)


def render_markdown(handout: Any, base: Path | None = None) -> str:
    """A handout as Markdown; pictures are linked from `base` (the output file's folder) when given."""
    links = {p.path: relative_href(p.path, base, p.href) for p in handout.pictures}
    return tidy_markdown(render("handout.md", doc=handout, links=links))


def tidy_markdown(text: str) -> str:
    """At most one blank line between blocks, one newline at the end (templates are generous with them)."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def html_to_pdf(html: str) -> bytes:
    """Print an HTML document to PDF with WeasyPrint (the optional `pdf` extra)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # OSError: WeasyPrint installed without its Pango libraries
        raise UsageError(PDF_MISSING) from None
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=html).write_pdf()


def report_totals(report: Any) -> list[dict[str, Any]]:
    """Per routine, exercise and side over the whole period: prescribed, done, shortened, skipped, missed, %."""
    totals: dict[tuple[str, str, str], dict[str, Any]] = {}
    for e in report.exercises:
        t = totals.setdefault((e.routine, e.exercise, e.side), {
            "routine": e.routine, "exercise": e.exercise, "side": e.side, "unit": e.unit,
            "prescribed": 0, "done": 0, "shortened": 0, "skipped": 0, "missed": 0})
        for key in ("prescribed", "done", "shortened", "skipped", "missed"):
            t[key] += getattr(e, key)
    rows = list(totals.values())
    for t in rows:
        t["percent"] = round(100 * t["done"] / t["prescribed"]) if t["prescribed"] else 0
    return rows


def render_report_html(report: Any) -> str:
    """The report as one self-contained HTML file: tables, and charts as embedded SVG pictures."""
    from player import charts

    totals = report_totals(report)
    drawn: dict[str, str] = {}
    if report.weeks:
        drawn["sessions"] = charts.sessions_chart(
            [w.label for w in report.weeks], [w.prescribed for w in report.weeks],
            [w.completed for w in report.weeks], [w.stopped for w in report.weeks])
    if report.pain:  # weekly averages: a year of sessions three times a day is 1,100 points
        drawn["pain"] = charts.pain_chart([w.label for w in report.weeks],
                                          [w.pain_before for w in report.weeks], [w.pain_after for w in report.weeks])
    if totals:
        drawn["exercises"] = charts.exercise_chart(
            [f"{t['exercise']}{'' if t['side'] == '-' else ' (' + t['side'] + ')'}" for t in totals],
            [t["percent"] for t in totals])
    return render("report.html", doc=report, totals=totals, charts=drawn)


def render_report_markdown(report: Any) -> str:
    """The report as Markdown: the same tables, no charts."""
    return tidy_markdown(render("report.md", doc=report, totals=report_totals(report)))
