"""`vmo export`: the handout's words, the Markdown golden file, HTML escaping, and printing in Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_vmo

from player.export import FOOTER, dosage, handout_html, handout_markdown, seconds_in_words, sides_in_words
from player.loader import load_routine
from player.model import Exercise
from player.timeline import compile_timeline

HANDOUT = FIXTURES / "authoring" / "handout.yaml"
GOLDEN = REPO / "tests" / "golden" / "handout.md"
NAME = "Knee & hip <script>alert(1)</script> [@click=app.quit]"
LONG_URL = "https://example.org/videos/LungeWithAChairForBalance_VideoDemonstrationForPatients_WithAVeryLongAddress_0123456789"


TODAY = date(2026, 12, 4)


def _handout() -> tuple[str, str]:
    routine = load_routine(HANDOUT, "handout.yaml")
    tl = compile_timeline(routine)
    return handout_markdown(routine, tl, TODAY), handout_html(routine, tl, TODAY)


# -- plain words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"), (45, "45 seconds"), (7.5, "7.5 seconds"), (60, "1 minute"), (90, "1 minute 30 seconds"),
        (120, "2 minutes"), (3600, "1 hour"), (3900, "1 hour 5 minutes"), (7261, "2 hours 1 minute 1 second"),
        (0, "0 seconds"),
    ],
)
def test_seconds_in_words(seconds: float, words: str) -> None:
    assert seconds_in_words(seconds) == words


@pytest.mark.parametrize(
    ("sides", "words"),
    [
        ((), None), (("left", "right"), "each side"), (("right", "left"), "each side, right side first"),
        (("left",), "left side only"), (("right",), "right side only"),
        (("left", "right", "left"), "sides in this order: left, right, left"),
    ],
)
def test_sides_in_words(sides: tuple[str, ...], words: str | None) -> None:
    assert sides_in_words(sides) == words


@pytest.mark.parametrize(
    ("exercise", "words"),
    [
        # The example, word for word apart from "side" (the model does not know it is a leg).
        (Exercise("Quad set", hold=10, reps=10, sets=2, sides=("left", "right"), relax=0, rest=45),
         "Hold 10 seconds, 10 times, 2 sets, each side; rest 45 seconds between sets"),
        (Exercise("Quad set", hold=10, reps=10, sets=2, sides=("left", "right"), relax=3, rest=45),
         "Hold 10 seconds, 10 times, 2 sets, each side; relax 3 seconds between holds; rest 45 seconds between sets"),
        (Exercise("Stretch", hold=30, reps=2, relax=10), "Hold 30 seconds, twice; relax 10 seconds between holds"),
        (Exercise("Stretch", hold=30), "Hold 30 seconds"),
        (Exercise("Stretch", hold=30, reps=1, relax=10, rest=60), "Hold 30 seconds"),
        (Exercise("Jog", duration=150), "For 2 minutes 30 seconds"),
        (Exercise("Roll", duration=60, sets=2, sides=("right",), rest=20),
         "For 1 minute, 2 sets, right side only; rest 20 seconds between sets"),
        (Exercise("TKE", reps=10, tempo=(1, 2, 2), sets=3, sides=("right", "left"), rest=60),
         "10 reps: 1 s, then 2 s, then 2 s (5 seconds each), 3 sets, each side, right side first; "
         "rest 1 minute between sets"),
        (Exercise("Squat", reps=8, tempo=(2.5, 0, 1.5)), "8 reps: 2.5 s, then 1.5 s (4 seconds each)"),
        (Exercise("Squat", reps=1, tempo=(2, 2)), "1 rep: 2 s, then 2 s (4 seconds each)"),
        (Exercise("Lunge", reps=1), "1 rep at your own pace"),
        (Exercise("Lunge", reps=1, sets=1), "1 rep at your own pace"),
        (Exercise("Lunge", reps=8, sides=("left",)), "8 reps at your own pace, left side only"),
        (Exercise("Lunge", reps=8, sets=2, rest=0), "8 reps at your own pace, 2 sets"),
        (Exercise("Raise", hold=2, sides=("left", "right", "left")), "Hold 2 seconds, sides in this order: left, right, left"),
        (Exercise("Cramp", hold=30, until_eased=True, relax=5),
         "Hold 30 seconds, again and again until it eases; relax 5 seconds between holds"),
    ],
)
def test_dosage_in_plain_words(exercise: Exercise, words: str) -> None:
    assert dosage(exercise) == words


# -- Markdown ---------------------------------------------------------------------


def test_markdown_matches_the_golden_file() -> None:
    markdown, _ = _handout()
    if os.environ.get("VMO_UPDATE_GOLDEN"):
        GOLDEN.write_text(markdown, encoding="utf-8")
    assert markdown == GOLDEN.read_text(encoding="utf-8"), "run with VMO_UPDATE_GOLDEN=1 to accept a change"


def test_markdown_renders_routine_text_literally() -> None:
    from markdown_it import MarkdownIt

    markdown, _ = _handout()
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert "<script" not in rendered and "<https" not in rendered and "href=" not in rendered
    assert NAME in text
    assert "Quads *and* hips: 2 sets each, _gently_." in text
    assert "# Not a heading\n10. Not a numbered list either; see <https://example.org/a_b> & &amp; too." in text
    assert "Clinic | Room 4" in text
    assert "`Keep` breathing" in text
    # Only the handout's own headings and lists: none from routine text.
    assert rendered.count("<h1>") == 1 and "<ol" not in rendered
    assert rendered.count("<tr>") == 2  # the week's tracker: a header row and one week of seven boxes
    assert rendered.count("\u2610") == 7
    assert "vmo " not in markdown  # nothing on paper asks the reader to type a command


# -- HTML -------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text of an HTML document as a reader sees it, and the tags used."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _html_text(document: str) -> _Text:
    parser = _Text()
    parser.feed(document)
    return parser


def _expected_phrases() -> list[str]:
    """What a handout of the fixture must say, in reading order."""
    return [
        NAME,
        "Quads *and* hips: 2 sets each, _gently_.",
        "Clinic | Room 4",
        "4 December 2026",
        "Do this 2-3 times a week.",
        "# Not a heading",
        "10. Not a numbered list either; see <https://example.org/a_b> & &amp; too.",
        "Each session", "23 minutes 40 seconds, plus the exercises done at your own pace",
        "Equipment", "small rolled towel, resistance band",
        "Safety",
        "Pain above 5 out of 10: stop that exercise.",
        "Swelling or locking: call the clinic before going on.",
        "Exercises",
        "1. Quad set",
        "Hold 10 seconds, 10 times, 2 sets, each side; relax 3 seconds between holds; rest 45 seconds between sets",
        "Target: quadriceps",
        "Sit with your leg out straight and a rolled towel under the knee. Tighten the thigh so the knee presses down.",
        "Press the knee down", "`Keep` breathing",
        "2. Terminal knee extension",
        "10 reps: 1 s, then 2 s, then 2 s (5 seconds each), 3 sets, each side, right side first; "
        "rest 45 seconds between sets",
        "Rest 1 minute (Water break)", "Sip some water. A video of the next exercise:",
        "3. Lunge", "8 reps at your own pace, left side only",
        "4. Step-up", "12 reps at your own pace, right side only",
        "Repeat the following twice, resting 30 seconds between rounds (Circuit):",
        "5. Marching on the spot", "For 1 minute 30 seconds",
        "6. Calf raise", "Hold 2 seconds, sides in this order: left, right, left",
        "End of the repeated part.",
        "Rest 30 seconds",
        "7. Calf cramp stretch", "Hold 30 seconds, again and again until it eases; relax 5 seconds between holds",
        "If it has not eased after 10 minutes: Call the clinic, or 111 out of hours.",
        "This week", "Week", "Day 1", "Day 2", "Day 3", "Day 4", "Day 5", "Day 6", "Day 7", "Notes",
        "Week 1",
        "Call your clinician if", "pain is sharp",
        *FOOTER,
        "not medical advice",
    ]


def _assert_in_order(text: str, phrases: list[str]) -> None:
    position = 0
    for phrase in phrases:
        found = text.find(phrase, position)
        assert found >= 0, f"missing (or out of order): {phrase!r}"
        position = found + len(phrase)


def test_html_has_all_the_content_in_order() -> None:
    _, document = _handout()
    text = _html_text(document).text()
    _assert_in_order(text, _expected_phrases())
    assert LONG_URL in text
    assert document.count('class="box"') == 7


def test_html_escapes_routine_text() -> None:
    _, document = _handout()
    parsed = _html_text(document)
    assert "script" not in parsed.tags and "a" not in parsed.tags
    assert "<script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "[@click=app.quit]" in parsed.text()
    assert "&lt;https://example.org/a_b&gt; &amp; &amp;amp; too." in document
    # The title in <head> is escaped too.
    assert "<title>Knee &amp; hip &lt;script&gt;" in document


def test_html_is_self_contained_and_print_ready() -> None:
    _, document = _handout()
    for external in ("src=", "href=", "@import", "url(", "<link", "<script", "<img"):
        assert external not in document
    assert document.count("<style>") == 1
    assert re.search(r"@page \{ size: auto; margin: 12mm; \}", document)
    assert "@media print" in document
    # No absolute width anywhere: widths are percentages or font-relative.
    assert not re.search(r"(?<![-\w])(max-|min-)?width:\s*[\d.]+(px|mm|cm|in|pt)", document)


# -- the command ------------------------------------------------------------------


def test_export_prints_markdown_by_default(data_dir: Path) -> None:
    result = run_vmo("export", str(HANDOUT))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Knee \\& hip") or result.stdout.startswith("# Knee & hip")
    assert "### This week" in result.stdout


def test_export_writes_the_file_in_the_format_asked(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "handout.html"
    result = run_vmo("export", str(HANDOUT), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.html", "vmo-data"]  # no temporary file left
    md = tmp_path / "notes.txt"
    assert run_vmo("export", str(HANDOUT), "--format", "md", "-o", str(md)).returncode == 0
    assert md.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    # An existing handout is replaced (it is an export, not the user's routine).
    assert run_vmo("export", str(HANDOUT), "--format", "html", "-o", str(md)).returncode == 0
    assert md.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_by_library_id(data_dir: Path) -> None:
    result = run_vmo("export", "knee-strength-starter", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "Quad set" in result.stdout and "Terminal knee extension with a band" in result.stdout


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["export", "no-such-routine"], 2, "vmo: unknown routine 'no-such-routine'"),
        (["export", str(HANDOUT), "--format", "docx"], 2, "invalid choice: 'docx'"),
        (["export", str(HANDOUT), "-o", "/no/such/folder/x.html"], 2, "vmo: no such folder: /no/such/folder"),
    ],
)
def test_export_usage_errors(data_dir: Path, args: list[str], status: int, message: str) -> None:
    result = run_vmo(*args)
    assert result.returncode == status
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_export_of_an_invalid_routine_lists_its_problems(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nsteps:\n  - name: X\n    hold: thirty\n", encoding="utf-8")
    result = run_vmo("export", str(bad))
    assert result.returncode == 1
    assert result.stderr == f"{bad}:4:11: error: steps[0].hold: expected a duration such as 30s, 1m30s or 0:45, got 'thirty'\n"


# -- printing in headless Chromium ---------------------------------------------------
#
# How "nothing overflows the page" is checked. Chromium prints content wider than
# the page in one of two ways, both seen in tests of deliberately wide pages: it
# shrinks the whole page to fit (up to a limit), and past that it clips. So the
# test prints each page size and checks three things:
#  1. no shrinking: a 20 pt marker word appended to the handout has the same height
#     in the PDF as in a one-word reference page printed the same way;
#  2. no clipping: every word's box (pdftotext -bbox) lies inside the page's
#     15 mm margins;
#  3. nothing lost: all the handout's text is in the PDF (pdftotext), in order.
# A control test runs the same check on a handout with one over-wide element and
# expects it to fail, so the check is known to catch overflow.

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and POPPLER),
    reason="needs chromium and poppler-utils (apt-get install chromium poppler-utils; CI installs them)",
)

PAGES = {"A4": (595.3, 841.9), "letter": (612.0, 792.0)}
MARGIN_PT = 12 / 25.4 * 72
MARKER = "<p><span style=\"font: 20pt 'Liberation Sans', 'DejaVu Sans', sans-serif\">SIZEMARKER</span></p>"


def _print_pdf(document: str, folder: Path, name: str) -> Path:
    source = folder / f"{name}.html"
    source.write_text(document, encoding="utf-8")
    pdf = folder / f"{name}.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}", "--no-pdf-header-footer",
                "--print-to-pdf-no-header", f"--print-to-pdf={pdf}", source.as_uri(),
            ],
            check=True, capture_output=True, timeout=120,
        )
    assert pdf.is_file() and pdf.stat().st_size > 0
    return pdf


def _pdf_words(pdf: Path) -> tuple[tuple[float, float], list[tuple[str, float, float, float, float]]]:
    """The first page's size and every word with its box (xMin, yMin, xMax, yMax), from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    assert page
    words = [
        (html.unescape(m.group(5)), float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out)
    ]
    return (float(page.group(1)), float(page.group(2))), words


def _marker_height(words: list[tuple[str, float, float, float, float]]) -> float:
    heights = [w[4] - w[2] for w in words if w[0] == "SIZEMARKER"]
    assert len(heights) == 1, "the size marker is missing from the PDF"
    return heights[0]


def _overflow_problems(document: str, size: str, folder: Path) -> list[str]:
    """Print `document` on `size` paper; say what is shrunk, clipped or outside the margins."""
    sized = document.replace("size: auto;", f"size: {size};")
    assert sized != document
    pdf = _print_pdf(sized.replace("</body>", MARKER + "</body>"), folder, f"handout-{size}")
    reference = _print_pdf(
        f"<!DOCTYPE html><html><head><style>@page {{ size: {size}; margin: 12mm; }} body {{ margin: 0; }}</style>"
        f"</head><body>{MARKER}</body></html>",
        folder, f"reference-{size}",
    )
    (width, height), words = _pdf_words(pdf)
    want_w, want_h = PAGES[size]
    assert abs(width - want_w) < 1.5 and abs(height - want_h) < 1.5, (width, height)
    problems = []
    ratio = _marker_height(words) / _marker_height(_pdf_words(reference)[1])
    if abs(ratio - 1) > 0.02:
        problems.append(f"printed at {ratio:.0%} of its size: something is wider than the page")
    for text, x0, _y0, x1, _y1 in words:
        if x0 < MARGIN_PT - 1 or x1 > width - MARGIN_PT + 1:
            problems.append(f"{text!r} runs into the margin or off the page ({x0:.1f}-{x1:.1f} of {width:.1f} pt)")
    return problems


@needs_chromium
@pytest.mark.parametrize("size", ["A4", "letter"])
def test_html_prints_on_a4_and_letter_without_overflow(size: str, tmp_path: Path) -> None:
    _, document = _handout()
    assert _overflow_problems(document, size, tmp_path) == []
    pdf = tmp_path / f"handout-{size}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    # Presence, not order: pdftotext reads a table's wrapped header cells in its own order.
    missing = [phrase for phrase in _expected_phrases() if phrase not in flat]
    assert missing == []
    # The long address had to break across lines to fit; all of it is there.
    assert LONG_URL in "".join(text.split())
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout).group(1))
    assert 1 <= pages <= 4


@needs_chromium
def test_the_overflow_check_catches_a_wide_element(tmp_path: Path) -> None:
    _, document = _handout()
    wide = document.replace("<footer>", '<div style="width: 1100px; text-align: right">WIDEMARKER</div><footer>')
    problems = _overflow_problems(wide, "A4", tmp_path)
    assert problems, "a 1100 px element must not fit on A4"


@pytest.mark.parametrize(
    "path", sorted(p for p in (REPO / "routines").rglob("*.yaml") if p.parent.name != "programmes"), ids=lambda p: p.stem,
)
def test_every_bundled_routine_exports(path: Path) -> None:
    routine = load_routine(path)
    tl = compile_timeline(routine)
    markdown, document = handout_markdown(routine, tl), handout_html(routine, tl)
    text = _html_text(document).text()
    for exercise in routine.exercises():
        assert " ".join(exercise.name.split()) in text
        assert dosage(exercise) in text and dosage(exercise) in markdown
    for note in routine.safety:
        assert " ".join(note.split()) in text
