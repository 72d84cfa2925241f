"""Bare `vmo` in a real terminal (tmux) with a programme followed: the library shows today's session, one key
starts it, and a proposal is accepted with one key (the history gets `advanced`; `vmo plan --json` follows)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

import pytest
from test_ui_terminal import OVERALL, VMO, Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or not VMO.exists(), reason="needs tmux and installed vmo")

LIFT = """name: Lift
id: lift
steps:
  - name: Straight-leg raise
    hold: 1s
    reps: 1
    prepare: 0
    progress: {reps: 1, every: session, up_to: 5}
"""

PROGRAMME = """name: Knee plan
id: kneeplan
phases:
  - phase: Settle
    weeks: 1
    routines:
      - {routine: lift, days_a_week: 7}
    advance: {sessions: 2}
  - phase: Load
    weeks: 4
    routines:
      - {routine: lift}
"""


def stamp(days_ago: int, hour: int) -> str:
    moment = datetime.now().astimezone().replace(hour=hour, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
    return moment.isoformat()


def history(sessions: int) -> str:
    start = stamp(9, 8)
    records = [{"version": 1, "kind": "programme", "at": start, "programme_id": "kneeplan", "file_hash": None,
                "event": "started", "start": start[:10]}]
    for n in range(sessions):
        at = stamp(8 - 2 * n, 12)
        records.append({"version": 1, "start": at, "end": at, "routine_id": "lift", "routine_name": "Lift",
                        "played_seconds": 2.0, "completed": True})
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[tuple[Tmux, Path, dict[str, str]]]:
    data, library = tmp_path / "data", tmp_path / "library"
    data.mkdir()
    library.mkdir()
    (library / "lift.yaml").write_text(LIFT)
    (library / "kneeplan.yaml").write_text(PROGRAMME)
    (data / "settings.yaml").write_text("ask_pain: false\n")
    env = dict(os.environ, VMO_DATA_DIR=str(data), VMO_ROUTINES=str(library), PS1="$ ")
    env.pop("TMUX", None)
    tmux = Tmux(env)
    yield tmux, data, env
    tmux.kill()


def test_the_library_shows_todays_session_and_enter_plays_it(pane: tuple[Tmux, Path, dict[str, str]]) -> None:
    tmux, data, _env = pane
    (data / "history.jsonl").write_text(history(1))
    deadline = time.monotonic() + OVERALL
    tmux.type(f"{VMO} --mute; echo EXIT=$?")
    tmux.wait_for(r"Due today", deadline)
    # the details follow the cursor, on the session due: its programme, with the dose
    shown = tmux.wait_for(r"Straight-leg raise: 2 reps, up from 1", deadline)
    assert "▶ Lift  Knee plan" in shown  # the list wraps at 80 columns
    tmux.send("Enter")
    tmux.wait_for(r"Read me first|Start", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"Completed: Lift", deadline)
    tmux.send("Enter")  # back to the library: today's session is done
    tmux.wait_for(r"Nothing due today", deadline)
    tmux.send("F10")
    tmux.wait_for(r"EXIT=0", deadline)
    played = json.loads((data / "history.jsonl").read_text().splitlines()[-1])
    assert (played["programme_id"], played["phase"], played["dose"]) == ("kneeplan", 0, {"Straight-leg raise": {"reps": 2}})


def test_a_proposal_accepted_with_one_key(pane: tuple[Tmux, Path, dict[str, str]]) -> None:
    tmux, data, env = pane
    (data / "history.jsonl").write_text(history(2))
    deadline = time.monotonic() + OVERALL
    tmux.type(f"{VMO} --mute; echo EXIT=$?")
    tmux.wait_for(r"proposal waiting", deadline)
    tmux.send("F6")
    tmux.wait_for(r"a Proposal", deadline)  # the programme screen's footer
    assert "Move up to Load?" in tmux.screen()
    tmux.send("a")
    tmux.wait_for(r"2 counted sessions in this phase \(needs 2\)", deadline)
    tmux.send("a")
    tmux.wait_for(r"You are in phase 2, week 1, day 1", deadline)
    tmux.send("Escape")
    tmux.send("F10")
    tmux.wait_for(r"EXIT=0", deadline)
    last = json.loads((data / "history.jsonl").read_text().splitlines()[-1])
    assert (last["kind"], last["event"], last["to_phase"]) == ("programme", "advanced", 1)
    plan = subprocess.run([str(VMO), "plan", "kneeplan", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert json.loads(plan.stdout)["phase"]["index"] == 1


def test_vmo_play_programme_asks_the_next_day_question_in_the_ui(pane: tuple[Tmux, Path, dict[str, str]]) -> None:
    tmux, data, _env = pane
    (data / "history.jsonl").write_text(history(1).replace('"advance": {"sessions": 2}', ""))
    library = Path(_env["VMO_ROUTINES"])
    (library / "kneeplan.yaml").write_text(PROGRAMME.replace("advance: {sessions: 2}", "advance: {sessions: 2, next_day: not_worse}"))
    deadline = time.monotonic() + OVERALL
    tmux.type(f"{VMO} play kneeplan --mute; echo EXIT=$?")
    shown = tmux.wait_for(r"b Better", deadline)
    assert "Compared with before your last session, is your knee better, the same or" in shown
    assert tmux.alternate_on()  # a dialog of the full-screen UI, not a line of text
    tmux.send("b")
    tmux.wait_for(r"Read me first|Start", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"Completed: Lift", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"EXIT=0", deadline)
    records = [json.loads(x) for x in (data / "history.jsonl").read_text().splitlines()]
    assert (records[-2]["kind"], records[-2]["answer"], records[-2]["programme_id"]) == ("next_day", "better", "kneeplan")
    assert (records[-1]["programme_id"], records[-1]["dose"]) == ("kneeplan", {"Straight-leg raise": {"reps": 2}})
