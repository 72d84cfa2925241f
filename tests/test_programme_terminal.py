"""`vmo play PROGRAMME --plain` in a real terminal (tmux): the next-day question and the affected side asked in text."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Iterator

import pytest
from test_ui_terminal import OVERALL, VMO, Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or not VMO.exists(), reason="needs tmux and installed vmo")

ROUTINE = """name: Tiny
id: tiny
steps:
  - name: Quad set
    hold: 1s
    reps: 1
    prepare: 0
    switch: 0
    sides: affected
    target: knee
"""

PROGRAMME = """name: Tiny programme
id: tinyp
phases:
  - phase: One
    weeks: 4
    routines:
      - {routine: tiny, times_a_day: 3}
    advance: {sessions: 20, next_day: not_worse}
  - phase: Two
    weeks: 4
    routines:
      - {routine: tiny}
"""


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[tuple[Tmux, Path]]:
    data, library = tmp_path / "data", tmp_path / "library"
    data.mkdir()
    library.mkdir()
    (library / "tiny.yaml").write_text(ROUTINE)
    (library / "tinyp.yaml").write_text(PROGRAMME)
    env = dict(os.environ, VMO_DATA_DIR=str(data), VMO_ROUTINES=str(library), PS1="$ ")
    env.pop("TMUX", None)
    tmux = Tmux(env)
    yield tmux, data
    tmux.kill()


def test_the_next_day_question_and_the_side_are_asked_once_and_kept(pane: tuple[Tmux, Path]) -> None:
    tmux, data = pane
    deadline = time.monotonic() + OVERALL
    tmux.type(f"{VMO} start tinyp")
    tmux.wait_for(r"Started Tiny programme", deadline)
    tmux.type(f"{VMO} play tinyp --plain --mute; echo EXIT=$?")
    # the question may wrap at the pane's 80 columns
    tmux.wait_for(r"Compared with before your last session, is your knee better, the same or worse", deadline)
    tmux.type("w")
    tmux.wait_for(r"Which side is affected, left or right", deadline)
    tmux.type("l")
    shown = tmux.wait_for(r"EXIT=\d+", deadline)
    assert "EXIT=0" in shown
    assert "Saved: affected_side: left" in shown
    assert "Quad set · left" in shown
    lines = [json.loads(x) for x in (data / "history.jsonl").read_text().splitlines()]
    assert [r["kind"] for r in lines] == ["programme", "next_day", "session"]
    assert (lines[1]["answer"], lines[1]["programme_id"], lines[1]["routine_id"]) == ("worse", "tinyp", "tiny")
    assert (lines[2]["programme_id"], lines[2]["phase"], lines[2]["completed"]) == ("tinyp", 0, True)
    assert (data / "settings.yaml").read_text() == "affected_side: left\n"
    # the second session of the day asks neither question again
    tmux.type("clear")
    tmux.type(f"{VMO} play tinyp --plain --mute; echo EXIT2=$?")
    shown = tmux.wait_for(r"EXIT2=\d+", deadline)
    assert "EXIT2=0" in shown and "Compared with" not in shown and "Which side" not in shown
    assert "Quad set · left" in shown
