"""Handouts a clinic prints: patient header, frequency in words, pictures, QR codes, a tracker per session, two pages.

The document model is built from model objects that carry the new keys
(`frequency`, `image`, `video`, `load`, `progress`), rendered by the templates,
printed by headless Chromium and by WeasyPrint, and read back with poppler.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import tempfile
from dataclasses import fields, replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_vmo

from player import documents
from player.export import Handout, build_handout, build_programme_handout, PhaseInput, PhaseRoutine, tracker
from player.library import load
from player.model import Exercise, Progress, Routine
from player.timeline import compile_timeline
from player.words import Frequency, frequency_in_words, progression_in_words, tempo_in_words

PICTURES = FIXTURES / "handout"
TODAY = date(2026, 12, 4)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftoppm")
needs_chromium = pytest.mark.skipif(not (CHROMIUM and POPPLER), reason="needs chromium and poppler-utils")


def _routine(freq: Frequency | None = Frequency(3, 7, (), 6), count: int = 5) -> Routine:
    base = load("knee-strength-starter")
    exercises = []
    for n, ex in enumerate(base.exercises()[:count], start=1):
        values = {f.name: getattr(ex, f.name) for f in fields(Exercise)}
        values["source"] = PICTURES / "routine.yaml"
        values.update(
            images=(f"ex{n}-start.svg", f"ex{n}-end.svg"), video=f"https://example.org/video/{n}",
            load="1 kg ankle weight" if n == 3 else None,
            progress=Progress("reps", 2, "session", 40) if n == 2 else None,
        )
        exercises.append(Exercise(**values))
    return replace(base, steps=tuple(exercises), frequency=freq)


def _handout(freq: Frequency | None = Frequency(3, 7, (), 6), **who: str) -> Handout:
    routine = _routine(freq)
    return build_handout(routine, compile_timeline(routine), TODAY, **who)


class _Page(HTMLParser):
    """Text, images and tick boxes of an HTML handout, as a reader sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.text_parts: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.boxes = 0
        self.by_class: dict[str, list[str]] = {}
        self._open: list[str | None] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img":
            self.images.append(a)
            return
        if tag == "br":
            return
        self._skip += tag in ("style", "title")
        if "box" in (a.get("class") or "").split():
            self.boxes += 1
        self._open.append(a.get("class"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("img", "br"):
            return
        self._skip -= tag in ("style", "title")
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text_parts.append(data)
        for cls in self._open:
            if cls:
                self.by_class.setdefault(cls, []).append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def of_class(self, cls: str) -> str:
        return " ".join(" ".join(self.by_class.get(cls, [])).split())


def _page(document: str) -> _Page:
    page = _Page()
    page.feed(document)
    return page


# -- words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("freq", "words"),
    [
        (Frequency(1, 3, (), 6), "3 days a week, for 6 weeks"),
        (Frequency(1, 1, (), 1), "1 day a week, for 1 week"),
        (Frequency(3, 7, (), 6), "3 times a day, every day, for 6 weeks"),
        (Frequency(2, 7, (), 12), "twice a day, every day, for 12 weeks"),
        (Frequency(1, 7, (), None), "every day"),
        (Frequency(1, 7, ("fri", "mon", "wed"), 9), "on Mondays, Wednesdays and Fridays, for 9 weeks"),
        (Frequency(1, 7, ("sat",), None), "on Saturdays"),
    ],
)
def test_frequency_in_words(freq: Frequency, words: str) -> None:
    assert frequency_in_words(freq) == words


def test_progression_and_tempo_in_words() -> None:
    assert progression_in_words("reps", 15, 2, "session", 40) == "start at 15, add 2 each session up to 40"
    assert progression_in_words("hold", 10, 5, "week", 30) == (
        "start at 10 seconds, add 5 seconds each week up to 30 seconds")
    assert progression_in_words("reps", 20, 2, "session", 40, {"reps": 20, "load": "a 1 lb ankle weight"}) == (
        "start at 20, add 2 each session up to 40; then start again at 20 with a 1 lb ankle weight "
        "and build up the same way to 40")
    assert tempo_in_words((3, 1, 3), ("lower", "hold", "lift")) == "lower for 3 s, hold 1 s, lift for 3 s"
    assert tempo_in_words((4, 4), ("out", "in")) == "out for 4 s, in for 4 s"
    assert tempo_in_words((0, 3)) == "3 s"  # never "a tempo of 0-3 seconds"


# -- the tracker --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("freq", "phase_weeks", "columns", "rows", "boxes"),
    [
        (None, None, 7, 1, 7),  # no frequency: a week, a box a day
        (Frequency(3, 7, (), 6), None, 7, 6, 126),  # 3 a day, every day, 6 weeks
        (Frequency(1, 3, (), 6), None, 3, 6, 18),  # 3 days a week for 6 weeks
        (Frequency(2, 7, ("mon", "wed", "fri"), 12), None, 3, 12, 72),
        (Frequency(1, 5, (), None), 4, 5, 4, 20),  # a phase's 4 weeks
        (Frequency(4, 7, (), 8), 6, 7, 6, 168),  # the routine's 8 weeks are cut by the phase's 6
        (Frequency(1, 7, (), None), None, 7, 4, 28),  # no end: the first 4 weeks
    ],
)
def test_the_tracker_has_a_box_per_prescribed_session(freq, phase_weeks, columns, rows, boxes) -> None:
    t = tracker(freq, pain=False, weeks=phase_weeks)
    assert (len(t.columns), len(t.rows), t.total_boxes) == (columns, rows, boxes)


def test_fixed_days_are_the_tracker_columns() -> None:
    t = tracker(Frequency(1, 7, ("fri", "mon"), 2), pain=True)
    assert t.columns == ("Mon", "Fri")
    assert [r.label for r in t.rows] == ["Week 1", "Week 2"]
    assert "Note your pain" in t.intro


# -- the HTML --------------------------------------------------------------------------------


def test_html_header_frequency_and_tracker() -> None:
    doc = _handout(patient="Ana <Example>", clinician="Sam Physio, City Clinic, 020 7946 0000")
    page = _page(documents.render_html(doc))
    assert page.of_class("patient") == "Ana <Example>"
    assert page.of_class("clinician") == "Sam Physio, City Clinic, 020 7946 0000"
    assert page.of_class("date") == "4 December 2026"
    assert page.of_class("frequency") == "3 times a day, every day, for 6 weeks"
    assert page.boxes == 3 * 7 * 6
    assert "Load: 1 kg ankle weight" in page.text
    assert "Build up: start at 10, add 2 each session up to 40" in page.text
    assert "Call Sam Physio, City Clinic, 020 7946 0000 if" in page.text
    assert "vmo " not in page.text  # nothing on paper asks the reader to type a command


def test_html_embeds_every_picture_and_a_qr_code_per_video() -> None:
    doc = _handout()
    page = _page(documents.render_html(doc))
    pictures = [img for img in page.images if "picture" in (img.get("class") or "")]
    qrs = [img for img in page.images if "qr" in (img.get("class") or "")]
    assert len(pictures) == 10 and len(qrs) == 5
    for n, img in enumerate(pictures):
        src = img["src"] or ""
        assert src.startswith("data:image/svg+xml;base64,")
        expected = (PICTURES / f"ex{n // 2 + 1}-{'start' if n % 2 == 0 else 'end'}.svg").read_bytes()
        assert base64.b64decode(src.split(",", 1)[1]) == expected
    assert [img["alt"] for img in pictures[:2]] == ["Quad set (start)", "Quad set (end)"]
    for img in qrs:
        assert (img["src"] or "").startswith("data:image/svg+xml")
    assert "https://example.org/video/1" in page.text


def test_markdown_links_every_picture_and_video(tmp_path: Path) -> None:
    doc = _handout()
    md = documents.render_markdown(doc, base=tmp_path)
    links = re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", md)
    assert len(links) == 10
    for link in links:
        assert (tmp_path / link).resolve().is_file()
    assert md.count("Video: <https://example.org/video/") == 5
    assert md.count("\u2610") == 126
    assert "- **How often:** 3 times a day, every day, for 6 weeks" in md


def test_a_programme_handout_has_its_phases_and_what_moves_the_patient_on() -> None:
    r1, r2 = _routine(None, 2), _routine(None, 3)
    phases = [
        PhaseInput("Phase 1: settle the knee", 2, (PhaseRoutine(r1, compile_timeline(r1), {"times_a_day": 2}),),
                   advance={"sessions": 10, "pain_at_most": 3, "next_day": "not_worse"},
                   step_back=None),
        PhaseInput("Phase 2: build strength", 4,
                   (PhaseRoutine(r2, compile_timeline(r2), {"days_a_week": 3}),),
                   step_back={"pain_at_least": 7, "next_day_worse": 2}),
    ]
    programme = {"name": "Knee programme", "patient": {"name": "Ana"}, "clinician": "Sam, 020 7946 0000"}
    doc = build_programme_handout(programme, phases, TODAY)
    page = _page(documents.render_html(doc))
    assert page.of_class("patient") == "Ana"
    assert "Phase 1: settle the knee (2 weeks)" in page.text and "Phase 2: build strength (4 weeks)" in page.text
    assert page.boxes == 2 * 7 * 2 + 3 * 4
    assert page.of_class("advance") == (
        "at least 2 weeks in this phase 10 sessions done in this phase "
        "pain after each of your last 10 sessions at most 3 out of 10 never worse the morning after a session")
    assert page.of_class("step-back") == (
        "pain of 7 out of 10 or more after a session worse the morning after 2 sessions in a row")
    assert "This is the last phase." in page.text
    without_patient = build_programme_handout({"name": "No one"}, phases, TODAY)
    assert _page(documents.render_html(without_patient)).of_class("patient") == ""


# -- printing ------------------------------------------------------------------------------------


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _chromium_pdf(html: str, folder: Path, size: str) -> Path:
    source = folder / f"handout-{size}.html"
    source.write_text(html.replace("size: auto;", f"size: {size};"), encoding="utf-8")
    pdf = folder / f"handout-{size}.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    return pdf


@needs_chromium
@pytest.mark.parametrize("size", ["A4", "letter"])
def test_five_exercises_with_pictures_fit_on_two_pages_in_chromium(size: str, tmp_path: Path) -> None:
    html = documents.render_html(_handout(patient="Ana Example", clinician="Sam Physio, City Clinic, 020 7946 0000"))
    pdf = _chromium_pdf(html, tmp_path, size)
    assert _pages(pdf) == 2
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 2


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_five_exercises_with_pictures_fit_on_two_pages_in_weasyprint(paper: str, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    if not POPPLER:
        pytest.skip("needs poppler-utils")
    doc = _handout(patient="Ana Example", clinician="Sam Physio, City Clinic, 020 7946 0000")
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(documents.html_to_pdf(documents.render_html(doc, paper=documents.PAPER_SIZES[paper])))
    assert _pages(pdf) == 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Ana Example" in text and "3 times a day, every day, for 6 weeks" in text
    size = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert ("595.276 x 841.89" if paper == "a4" else "612 x 792") in size


# -- the command ------------------------------------------------------------------------------------


def test_export_pdf_through_the_command(data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = tmp_path / "h.pdf"
    result = run_vmo("export", "knee-strength-starter", "-o", str(out), "--patient", "Ana", "--date", "2026-12-04")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    assert out.read_bytes().startswith(b"%PDF")
    if POPPLER:
        text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
        assert "Ana" in text and "4 December 2026" in text


def test_export_pdf_without_weasyprint_says_how_to_get_it(data_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "block"
    (blocker / "weasyprint").mkdir(parents=True)
    (blocker / "weasyprint" / "__init__.py").write_text("raise ImportError('no weasyprint here')\n")
    result = run_vmo("export", "knee-strength-starter", "--format", "pdf", "-o", str(tmp_path / "x.pdf"),
                     env={"PYTHONPATH": str(blocker)})
    assert result.returncode == 2
    assert result.stderr == (
        "vmo: PDF needs WeasyPrint: pip install 'vmo[pdf]' (or export --format html and print it)\n")
    assert not (tmp_path / "x.pdf").exists()


def test_export_header_options(data_dir: Path) -> None:
    result = run_vmo("export", "knee-strength-starter", "--format", "html", "--patient", "Ana",
                     "--clinician", "Sam, 020 7946 0000", "--date", "2026-12-04")
    assert result.returncode == 0, result.stderr
    page = _page(result.stdout)
    assert (page.of_class("patient"), page.of_class("clinician"), page.of_class("date")) == (
        "Ana", "Sam, 020 7946 0000", "4 December 2026")
    bad = run_vmo("export", "knee-strength-starter", "--date", "4/12/2026")
    assert bad.returncode == 2 and "expected a date such as 2026-12-07, got '4/12/2026'" in bad.stderr


def test_a_programme_file_s_handout_through_the_command(data_dir: Path) -> None:
    result = run_vmo("export", str(FIXTURES / "programmes" / "prog.yaml"), "--format", "html", "--date", "2026-12-04")
    assert result.returncode == 0, result.stderr
    page = _page(result.stdout)
    assert (page.of_class("patient"), page.of_class("clinician")) == ("Ann", "Dr X")
    assert "Phase 1 (4 weeks)" in page.text and "Phase 2 (6 weeks)" in page.text
    # Phase 1: slr 3 days a week and other.yaml every day, 4 weeks; phase 2: slr on 3 fixed days, 6 weeks.
    assert page.boxes == 3 * 4 + 7 * 4 + 3 * 6
    assert "Build up: start at 15, add 2 each session up to 40; then start again at 20 with 1 lb ankle weight" in page.text
    assert "Build up: start at 10 seconds, add 2 seconds each week up to 20 seconds" in page.text
    assert page.of_class("frequency") == "3 days a week every day on Mondays, Wednesdays and Fridays"


def test_every_picture_section_and_named_tempo_of_a_routine_file(data_dir: Path, tmp_path: Path) -> None:
    """Issue 16: every picture in the HTML (embedded) and the Markdown (linked); sections and included parts as
    headings with their descriptions; a named tempo in words; counts that agree in number."""
    rich = PICTURES / "rich.yaml"
    html = run_vmo("export", str(rich), "--format", "html", "--date", "2026-12-04")
    assert html.returncode == 0, html.stderr
    page = _page(html.stdout)
    pictures = [img for img in page.images if "picture" in (img.get("class") or "")]
    expected = [PICTURES / "parts" / "march.svg", PICTURES / "ex1-start.svg", PICTURES / "ex1-end.svg",
                PICTURES / "ex2-start.svg", PICTURES / "ex3-start.svg", PICTURES / "ex3-end.svg",
                PICTURES / "ex4-start.svg"]
    assert [base64.b64decode((img["src"] or "").split(",", 1)[1]) for img in pictures] == [
        p.read_bytes() for p in expected]
    assert len([img for img in page.images if "qr" in (img.get("class") or "")]) == 1
    text = page.text
    for phrase in ("Part 1: warm-up Get the blood moving.", "Part 2: strength Slow and controlled.",
                   "1 rep: lower for 3 s, hold 1 s, lift for 3 s (7 seconds each)", "Load: 1 kg ankle weight",
                   "Hold 2 seconds, 5 times, left and right in turn, rep by rep", "As many as you can", "20 m",
                   "twice a day, on Mondays, Wednesdays and Fridays, for 3 weeks"):
        assert phrase in text
    assert "1 reps" not in text and "tempo of" not in text
    assert page.boxes == 2 * 3 * 3
    out = tmp_path / "out" / "rich.md"
    out.parent.mkdir()
    md = run_vmo("export", str(rich), "-o", str(out), "--date", "2026-12-04")
    assert md.returncode == 0, md.stderr
    links = re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", out.read_text(encoding="utf-8"))
    assert [(out.parent / link).resolve() for link in links] == [p.resolve() for p in expected]
    assert "### Part 1: warm-up\n\nGet the blood moving." in out.read_text(encoding="utf-8")


def test_affected_sides_read_as_the_patient_s_side(data_dir: Path) -> None:
    programmes = FIXTURES / "programmes"
    prog = run_vmo("export", str(programmes / "prog.yaml"), "--date", "2026-12-04").stdout  # patient: left
    assert "**Hold 10 seconds, 10 times, left side only; relax 5 seconds between holds**" in prog
    routine = run_vmo("export", str(programmes / "slr.yaml"), "--date", "2026-12-04").stdout
    assert "**Hold 10 seconds, 10 times, your affected side only; relax 5 seconds between holds**" in routine
    chosen = run_vmo("export", str(programmes / "slr.yaml"), "--affected-side", "right", "--date", "2026-12-04").stdout
    assert "**Hold 10 seconds, 10 times, right side only; relax 5 seconds between holds**" in chosen
