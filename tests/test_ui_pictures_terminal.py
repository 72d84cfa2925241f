"""A routine with pictures in a real terminal (tmux) at 80x24 and 40x12: nothing overlaps, the clock stays readable.

Inside tmux pictures are named in a line of text; with VMO_GRAPHICS=sixel vmo sends
Sixel, which this tmux does not draw: the screen must stay whole either way.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from test_ui_support import write_routine
from test_ui_terminal import OVERALL, VMO, Tmux, assert_sane, tmux  # noqa: F401 - the fixture

REPO = Path(__file__).resolve().parent.parent
SQUAT = REPO / "routines" / "warm-up" / "pictures" / "squat.svg"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or not VMO.exists(), reason="needs tmux and installed vmo")

ROUTINE = """\
id: term-pictures
name: Pictures in a terminal
safety: ["Read me first."]
steps:
  - name: Squat
    hold: 30s
    reps: 1
    prepare: 30s
    instructions: Sit back as if onto a chair, knees over the middle toes, then stand.
    cues: ["Hips back", "Heels down"]
    image: pictures/squat.svg
"""

_CLOCK_ROW = re.compile(r"^\s*│?\s*(?=[^│]*[━┃┏┓┗┛╺╸╹╻])[━┃┏┓┗┛╺╸╹╻┣┫┳┻╋ :]+│?\s*$")
PICTURE_LINE = "Picture: squat.svg (this terminal cannot draw pictures: p hides this line)"


def clock_rows(screen: str) -> list[str]:
    """The three rows of the big countdown, if they are whole (only its glyphs, spaces and the box's sides)."""
    lines = screen.splitlines()
    for i in range(len(lines) - 2):
        if all(_CLOCK_ROW.match(line) for line in lines[i:i + 3]):
            return lines[i:i + 3]
    return []


def start(tmux: Tmux, tmp_path: Path, size: tuple[int, int], prefix: str = "") -> float:
    deadline = time.monotonic() + OVERALL
    (tmp_path / "pictures").mkdir()
    shutil.copy(SQUAT, tmp_path / "pictures" / "squat.svg")
    path = write_routine(tmp_path, ROUTINE, "pictures.yaml")
    tmux._tmux("resize-window", "-t", "t", "-x", str(size[0]), "-y", str(size[1]))
    tmux.type(f"{prefix}{VMO} play {path} --mute; echo EXIT=$?")
    tmux.wait_for(r"Read me first\.", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"GET READY", deadline)
    return deadline


def finish(tmux: Tmux, deadline: float) -> None:
    tmux.send("q")
    tmux.wait_for(r"Stop this routine\?", deadline)
    tmux.send("y")
    tmux.wait_for(r"Stopped at Squat", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"EXIT=0", deadline)
    assert_sane(tmux, deadline)


def test_80x24_names_the_picture_beside_a_whole_screen(tmux: Tmux, tmp_path: Path) -> None:  # noqa: F811
    deadline = start(tmux, tmp_path, (80, 24))
    tmux.wait_for(re.escape(PICTURE_LINE), deadline)
    shown = tmux.wait_for(r"␣ Pause", deadline)  # the footer comes a moment after the rest
    lines = shown.splitlines()
    assert PICTURE_LINE in lines[lines.index(next(x for x in lines if "• Hips back" in x)) + 1]
    assert len(clock_rows(shown)) == 3, shown
    assert "Sit back as if onto a chair, knees over the middle toes, then stand." in shown
    assert any(line.strip().startswith("␣ Pause") for line in lines), shown  # the footer is whole
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    tmux.send("p")
    shown = tmux.wait_for(r"Pictures off", deadline)
    assert "Picture: squat.svg" not in shown and len(clock_rows(shown)) == 3
    finish(tmux, deadline)


def test_40x12_keeps_the_clock_and_leaves_the_picture_out(tmux: Tmux, tmp_path: Path) -> None:  # noqa: F811
    deadline = start(tmux, tmp_path, (40, 12))
    time.sleep(1.0)  # time for a picture to come, were it to
    shown = tmux.wait_for(r"GET READY", deadline)
    assert len(clock_rows(shown)) == 3, shown
    assert "Picture:" not in shown and "squat.svg" not in shown
    finish(tmux, deadline)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_sixel_sent_to_a_terminal_that_ignores_it_leaves_the_screen_whole(
    tmux: Tmux, tmp_path: Path, size: tuple[int, int]  # noqa: F811
) -> None:
    deadline = start(tmux, tmp_path, size, prefix="VMO_GRAPHICS=sixel ")
    time.sleep(2.0)  # the worker has prepared and sent the picture
    shown = tmux.screen()
    assert len(clock_rows(shown)) == 3, shown
    assert "GET READY" in shown and "Picture:" not in shown
    assert not re.search(r"[\x1b\x90\x9c]|#\d+;2;|\"1;1;", shown), shown  # no Sixel data shown as text
    if size == (80, 24):
        assert "Sit back as if onto a chair," in shown
    finish(tmux, deadline)
