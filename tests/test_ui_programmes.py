"""The UI and programmes: the library opens on what is due today, one key starts it with its dose, the
programme screen, a proposal accepted or declined with one key, the next-day and affected-side questions."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_ui_support import FakeClock, async_test, make_app, run_for, texts
from textual.widgets import OptionList, Static

from player.library import scan
from player.settings import Settings
from player.ui.before import BeforeScreen
from player.ui.library import LibraryScreen
from player.ui.programme_screen import NextDayPrompt, ProgrammeScreen, ProposalPrompt, SidePrompt
from player.ui.summary import SummaryScreen

TZ = timezone(timedelta(hours=1))
TODAY = date(2026, 12, 16)
NOW = datetime(2026, 12, 16, 9, 0, tzinfo=TZ)

LIFT = """name: Lift
id: lift
steps:
  - name: Straight-leg raise
    hold: 1s
    reps: 1
    prepare: 0
    progress: {reps: 1, every: session, up_to: 5}
"""

PROGRAMME = """name: Knee [bold]plan[/bold]
id: kneeplan
start: 2026-12-07
phases:
  - phase: Settle
    weeks: 1
    routines:
      - {routine: lift, days_a_week: 3}
    advance: {sessions: 2, next_day: not_worse}
  - phase: Load
    weeks: 4
    routines:
      - {routine: lift}
"""


def started() -> dict:
    return {"version": 1, "kind": "programme", "at": "2026-12-07T08:00:00+01:00", "programme_id": "kneeplan",
            "file_hash": None, "event": "started", "start": "2026-12-07"}


def session(at: str) -> dict:
    return {"version": 1, "start": at, "end": at, "routine_id": "lift", "routine_name": "Lift", "played_seconds": 2.0,
            "completed": True, "pain_after": 1}


def setup(tmp_path: Path, data_dir: Path, *records: dict) -> list:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "lift.yaml").write_text(LIFT)
    (lib / "kneeplan.yaml").write_text(PROGRAMME)
    (data_dir / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return [e for e in scan([str(lib)]) if e.source == "option" and e.kind != "programme"], [str(lib)]


def lines(data_dir: Path) -> list[dict]:
    return [json.loads(x) for x in (data_dir / "history.jsonl").read_text().splitlines()]


def app_for(tmp_path: Path, data_dir: Path, *records: dict, **kwargs):  # type: ignore[no-untyped-def]
    entries, folders = setup(tmp_path, data_dir, *records)
    kwargs.setdefault("settings", Settings(voice=False, ask_pain=False))
    return make_app(data_dir, FakeClock(), entries=entries, folders=folders, today=lambda: TODAY, now=lambda: NOW, **kwargs)


async def settled(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


def option_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    options = app.screen.query_one("#routines", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pytest.fixture(autouse=True)
def _library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VMO_ROUTINES", str(tmp_path / "lib"))


@async_test
async def test_the_library_opens_on_what_is_due_and_enter_starts_it_with_its_dose(tmp_path: Path, data_dir: Path) -> None:
    app = app_for(tmp_path, data_dir, started(), session("2026-12-14T18:00:00+01:00"))
    async with app.run_test() as pilot:
        await settled(app, pilot)
        shown = option_texts(app)
        assert shown[:2] == ["Due today", "▶ Lift  Knee [bold]plan[/bold]  1 of 1 today  Straight-leg raise 2 reps, up from 1"]
        assert "Your programmes" in shown
        assert "Knee [bold]plan[/bold]  phase 1 of 2, week 2" in shown
        assert app.screen.query_one("#routines", OptionList).highlighted == 1  # the cursor on the session due
        await pilot.press("enter")  # the next-day question first: the programme uses it
        await pilot.pause()
        assert isinstance(app.screen, NextDayPrompt)
        assert "Compared with before your last session, is your knee better, the same or worse?" in texts(app.screen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
        assert app.routine is not None and app.routine.played_as is not None
        await pilot.press("enter")
        await pilot.pause()
        assert "This session: 2 reps, up from 1" in texts(app.screen)
        await run_for(app, pilot, app.clock, 10)
        assert isinstance(app.screen, SummaryScreen)
    records = lines(data_dir)
    assert records[2] == {"version": 1, "kind": "next_day", "at": "2026-12-16T09:00:00+01:00", "answer": "same",
                          "routine_id": "lift", "programme_id": "kneeplan"}
    played = records[3]
    assert (played["routine_id"], played["programme_id"], played["phase"], played["completed"]) == ("lift", "kneeplan", 0, True)
    assert played["dose"] == {"Straight-leg raise": {"reps": 2}}


@async_test
async def test_f5_starts_the_next_due_session_from_anywhere_in_the_list(tmp_path: Path, data_dir: Path) -> None:
    app = app_for(tmp_path, data_dir, started())
    async with app.run_test() as pilot:
        await settled(app, pilot)
        await pilot.press("down", "down", "down")  # away from the session due
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, NextDayPrompt)
        await pilot.press("escape")  # skipped: nothing recorded
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
    assert [r.get("kind") for r in lines(data_dir)] == ["programme"]


@async_test
async def test_nothing_followed_leaves_the_library_as_it_was(tmp_path: Path, data_dir: Path) -> None:
    app = app_for(tmp_path, data_dir)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        assert "Due today" not in option_texts(app)
        await pilot.press("f5")
        await pilot.pause()
        assert app.notices[-1] == "You follow no programme: 'vmo start PROGRAMME' starts one"


@async_test
async def test_programme_screen_and_a_proposal_accepted_with_one_key(tmp_path: Path, data_dir: Path) -> None:
    app = app_for(tmp_path, data_dir, started(), session("2026-12-08T18:00:00+01:00"), session("2026-12-10T18:00:00+01:00"))
    async with app.run_test(size=(100, 40)) as pilot:
        await settled(app, pilot)
        assert "proposal waiting" in " ".join(option_texts(app))
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ProgrammeScreen)
        body = str(app.screen.query_one("#programme-body", Static).visual)
        assert "▶ 1. Settle (1 week)" in body
        assert "You are in phase 1, week 2, day 3" in body
        assert "This week: · · ·  (0 of 3 days, 3 days a week)" in body
        assert "Straight-leg raise: 3 reps, up from 2" in body
        assert "Move up to Load?" in body
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ProposalPrompt)
        shown = texts(app.screen)
        assert "• 2 counted sessions in this phase (needs 2)" in shown
        assert "• no 'worse' next-day answer in this phase" in shown
        assert [r.get("kind") for r in lines(data_dir)] == ["programme", None, None]  # never applied by itself
        await pilot.press("a")
        await settled(app, pilot)
        assert isinstance(app.screen, ProgrammeScreen)
        assert app.notices[-1] == "Moved up to Load, from today."
        body = str(app.screen.query_one("#programme-body", Static).visual)
        assert "▶ 2. Load (4 weeks)" in body and "You are in phase 2, week 1, day 1" in body
    assert lines(data_dir)[-1] == {"version": 1, "kind": "programme", "at": "2026-12-16T09:00:00+01:00",
                                   "programme_id": "kneeplan", "file_hash": lines(data_dir)[-1]["file_hash"],
                                   "event": "advanced", "to_phase": 1}


@async_test
async def test_a_proposal_declined_with_one_key_is_recorded(tmp_path: Path, data_dir: Path) -> None:
    app = app_for(tmp_path, data_dir, started(), session("2026-12-08T18:00:00+01:00"), session("2026-12-10T18:00:00+01:00"))
    async with app.run_test(size=(100, 40)) as pilot:
        await settled(app, pilot)
        await pilot.press("f6", "a")
        await pilot.pause()
        await pilot.press("d")
        await settled(app, pilot)
        assert app.notices[-1] == "Declined: you stay in this phase. It will be proposed again after your next session."
        assert "Move up" not in str(app.screen.query_one("#programme-body", Static).visual)
    last = lines(data_dir)[-1]
    assert (last["event"], last["proposal"]) == ("declined", {"kind": "advance", "to_phase": 1})


@async_test
async def test_the_affected_side_is_asked_once_and_saved(tmp_path: Path, data_dir: Path) -> None:
    global LIFT
    sided = LIFT.replace("    prepare: 0\n", "    prepare: 0\n    sides: affected\n")
    app = app_for(tmp_path, data_dir, started())
    (tmp_path / "lib" / "lift.yaml").write_text(sided)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("escape")  # the next-day question
        await pilot.pause()
        assert isinstance(app.screen, SidePrompt)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
        assert app.routine is not None and app.routine.exercises()[0].sides == ("right",)
        assert app.notices[-1] == "Saved: affected_side: right (settings.yaml)"
    assert (data_dir / "settings.yaml").read_text() == "affected_side: right\n"


@async_test
async def test_a_progressed_routine_chosen_in_the_list_plays_with_its_dose(tmp_path: Path, data_dir: Path) -> None:
    app = app_for(tmp_path, data_dir, started(), session("2026-12-14T18:00:00+01:00"))
    async with app.run_test() as pilot:
        await settled(app, pilot)
        await pilot.press("L", "i", "f", "t")  # the filter: only routines
        await pilot.pause()
        await pilot.press("enter")  # the programme whose phase has it reads the next-day answers: asked first
        await pilot.pause()
        assert isinstance(app.screen, NextDayPrompt)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
        assert app.routine is not None and app.routine.exercises()[0].dose_note == "2 reps, up from 1"
        assert app.routine.played_as is not None and app.routine.played_as.programme_id == "kneeplan"
    last = lines(data_dir)[-1]
    assert (last["kind"], last["answer"], last["routine_id"], last["programme_id"]) == ("next_day", "worse", "lift", "kneeplan")
