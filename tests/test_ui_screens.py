"""The library, safety notes, pain, help, history and cramp screens under Pilot; routine text shown literally."""

from __future__ import annotations

import re

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from test_ui_support import (
    CRAMP, HOLDS, HOSTILE, HOSTILE_NAME, MANUAL, PAIN, FakeClock, async_test, history, load, make_app, run_for,
    texts, write_routine,
)
from textual.widgets import Input, OptionList, Static

from player.engine import State
from player.history import HistoryFile, SessionRecord
from player.library import Entry, scan
from player.ui.before import BeforeScreen
from player.ui.dialogs import PainPrompt
from player.ui.help import HelpScreen
from player.ui.history_screen import HistoryScreen, weekly_chart
from player.ui.keys import PLAYER_KEYS, key_names
from player.ui.library import LibraryScreen, grouped
from player.ui.player_screen import PlayerScreen
from player.ui.summary import SummaryScreen

BAD = """\
name: Broken one
descripton: typo
steps:
  - name: X
    duration: thirty
"""


def library_entries(folder: Path) -> list[Entry]:
    """The entries of one test folder only (not the bundled routines)."""
    write_routine(folder, HOLDS, "holds.yaml")
    write_routine(folder, MANUAL, "manual.yaml")
    write_routine(folder, CRAMP, "cramp.yaml")
    write_routine(folder, BAD, "broken.yaml")
    return [e for e in scan([str(folder)]) if e.source == "option"]


def option_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    options = app.screen.query_one("#routines", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def details(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#details-body", Static).visual)


@async_test
async def test_library_groups_filters_details_and_starts(tmp_path: Path, data_dir: Path) -> None:
    app = make_app(data_dir, FakeClock(), entries=library_entries(tmp_path / "lib"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        shown = option_texts(app)
        assert shown[:2] == ["Activation", "Test holds  1 min 20 s + 1 self-paced segment"]
        assert "Cramp" in shown and "Other" in shown
        assert shown[-2] == "Files with errors"
        assert shown[-1].startswith("✗ broken.yaml  invalid: ")
        assert "unknown key 'descripton'" in shown[-1]
        text = details(app)
        for part in ("Test holds", "Two holds a side.", "Total time: 1 min 20 s", "Equipment: towel",
                     "Quad set  2 holds of 10 s, both sides", "Lunges  8 reps at your own pace",
                     "Stop if it hurts sharply."):
            assert part in text
        await pilot.press(*"zzz")  # no match
        await pilot.pause()
        assert option_texts(app) == ["No routine matches the filter."]
        await pilot.press("escape")
        await pilot.press(*"walk")  # matches an exercise name of the cramp routine
        await pilot.pause()
        assert option_texts(app) == ["Cramp", "Test cramp  40 s"]
        assert "Gentle stretch  hold 30 s until it eases" in details(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
        await pilot.press("escape")  # back to the library, nothing recorded
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.query_one("#filter", Input).value == "walk"
        assert history(data_dir) == []


@async_test
async def test_invalid_routine_is_listed_with_its_problem_and_cannot_start(tmp_path: Path, data_dir: Path) -> None:
    app = make_app(data_dir, FakeClock(), entries=library_entries(tmp_path / "lib"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"broken")
        await pilot.pause()
        text = details(app)
        assert "This file has errors and cannot be played:" in text
        assert "steps[0].duration: expected a duration" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)  # still here, no crash
        assert app.controller is None


@async_test
async def test_library_arrows_and_clicks(tmp_path: Path, data_dir: Path) -> None:
    app = make_app(data_dir, FakeClock(), entries=library_entries(tmp_path / "lib"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.highlighted.id == "test-cramp"
        await pilot.press("up")
        await pilot.pause()
        assert app.screen.highlighted.id == "test-holds"
        await pilot.click("#routines", offset=(2, 5))  # "Test cramp": below the border, a heading, two wrapped lines, a heading
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
        await pilot.click("#before-keys", offset=(3, 0))  # the " Enter  Start " hint
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        assert app.controller.routine.id == "test-cramp"


@async_test
async def test_summary_returns_to_the_library(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, entries=library_entries(tmp_path / "lib"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"manual", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d")
        await run_for(app, pilot, clock, 10)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.is_running
    [record] = history(data_dir)
    assert record.completed and record.routine_id == "test-manual"


@async_test
async def test_routine_text_is_shown_literally_and_clicks_do_nothing(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    write_routine(tmp_path / "lib", HOSTILE, "hostile.yaml")
    entries = [e for e in scan([str(tmp_path / "lib")]) if e.source == "option"]
    app = make_app(data_dir, clock, entries=entries)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert option_texts(app)[1].startswith(HOSTILE_NAME)
        assert "[b]not bold[/b] [red]not red[/red]" in details(app)
        await pilot.click("#routines", offset=(10, 2))
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
        assert HOSTILE_NAME in texts(app.screen)
        assert "• [@click=app.quit]click me[/]" in texts(app.screen)
        for line in range(6):
            await pilot.click("#before-text", offset=(8, line))  # a link in markup would quit the app
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, BeforeScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#exercise").text == "[@click=app.quit]Squat[/] [bold]now"
        assert screen.query_one("#instructions").text == "Use [link=https://example.com]this[/link] and ${var}"
        assert screen.query_one("#cues").text == "• [reverse]cue[/]"
        assert screen.query_one("#routine-name").text == HOSTILE_NAME
        for selector in ("#exercise", "#routine-name", "#instructions", "#cues"):
            await pilot.click(selector)
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, PlayerScreen)
        await run_for(app, pilot, clock, 10)
        assert f"Completed: {HOSTILE_NAME}" in texts(app.screen)


@async_test
async def test_control_characters_never_reach_the_screen(tmp_path: Path, data_dir: Path) -> None:
    from dataclasses import replace

    routine = replace(load(tmp_path, MANUAL), name="Bad\x1b[2Jname\x07 \u202eevil")
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=routine)
    async with app.run_test() as pilot:
        await pilot.pause()
        title = app.screen.text.splitlines()[0]
        assert title == "BadU+001B[2JnameU+0007 U+202Eevil"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#routine-name").text == title


@async_test
async def test_pain_is_asked_before_and_after_and_one_key_skips(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, PAIN))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PainPrompt)
        assert app.screen.query_one("#pain-question").text == "Pain right now, 0 (none) to 10 (worst)?"
        await pilot.press("1", "2", "enter")  # out of range: says so, stays
        await pilot.pause()
        assert app.screen.query_one("#pain-error").text.startswith("expected a whole number from 0 to 10")
        await pilot.press("backspace", "backspace", "3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        await run_for(app, pilot, clock, 5)
        assert isinstance(app.screen, PainPrompt)
        await pilot.press("escape")  # one key skips
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Pain before: 3/10 · after: skipped" in texts(app.screen)
    [record] = history(data_dir)
    assert (record.pain_before, record.pain_after) == (3, None)

    app = make_app(data_dir, clock, routine=load(tmp_path, PAIN))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter", "escape")  # skip before
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        await run_for(app, pilot, clock, 5)
        await pilot.click("#pain-7")  # the mouse picks a number
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    assert (history(data_dir)[-1].pain_before, history(data_dir)[-1].pain_after) == (None, 7)


@async_test
async def test_help_lists_every_player_key_and_pauses(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.controller.state is State.PAUSED
        rows = texts(app.screen)
        for key in PLAYER_KEYS:
            if key.in_help:
                assert key.help in rows and key_names(key.keys) in rows
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)


@async_test
async def test_footer_shows_every_player_key_at_80_columns(tmp_path: Path, data_dir: Path) -> None:
    from textual.widgets._footer import FooterKey

    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        keys = [k for k in app.screen.query(FooterKey)]
        assert {k.key for k in keys} >= {"space", "n", "b", "N", "plus", "minus", "m", "v", "h", "c",
                                         "question_mark", "q"}
        assert all(k.region.right <= 80 and k.region.width > 0 for k in keys)


@async_test
async def test_history_screen_chart_and_recent_sessions(tmp_path: Path, data_dir: Path) -> None:
    store = HistoryFile(data_dir / "history.jsonl")
    today = date(2026, 3, 18)  # a Wednesday
    tz = timezone(timedelta(hours=1))
    for days_ago in (0, 1, 7, 8, 9):
        start = datetime(2026, 3, 18, 8, 0, tzinfo=tz) - timedelta(days=days_ago)
        store.append(SessionRecord(start, start + timedelta(minutes=10), "test-holds", "Test [b]holds[/b]",
                                   None, 600.0, 600.0, 10, 10, 0, True))
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS), store=store, today=lambda: today)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        shown = texts(app.screen)
        assert "This week: 2 of 3 sessions" in shown
        assert "w/c 16 Mar  █████████████         2" in shown
        assert "w/c 09 Mar  ████████████████████  3 ✓" in shown
        assert "Wed 18 Mar 08:00  Test [b]holds[/b]  (completed)" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen) and app.controller.state is State.PAUSED


def test_weekly_chart_scales_to_the_target_or_the_busiest_week() -> None:
    from player.adherence import WeekCount

    weeks = [WeekCount(date(2026, 3, 2), 0), WeekCount(date(2026, 3, 9), 1), WeekCount(date(2026, 3, 16), 4)]
    assert weekly_chart(weeks, 2, width=8) == [
        "w/c 02 Mar            0",
        "w/c 09 Mar  ██        1",
        "w/c 16 Mar  ████████  4 ✓",
    ]


@async_test
async def test_c_opens_the_cramp_screen_and_the_routine_waits(tmp_path: Path, data_dir: Path) -> None:
    from player.ui.cramp import CrampScreen

    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await run_for(app, pilot, clock, 2)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CrampScreen)
        assert app.controller.state is State.PAUSED
        await pilot.press("c")  # already there: not twice
        await pilot.pause()
        assert len(app.screen_stack) == 3
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        assert app.controller.state is State.PAUSED
        await pilot.press("space")
        await pilot.pause()
        assert app.controller.state is State.RUNNING
    records = history(data_dir)
    assert records[0].cramp is not None  # the cramp screen recorded its episode
    assert records[-1].routine_id == "test-holds"


def test_grouping_puts_categories_in_spec_order_and_invalid_last(tmp_path: Path) -> None:
    entries = library_entries(tmp_path / "lib")
    assert [title for title, _ in grouped(entries)] == ["Activation", "Cramp", "Other", "Files with errors"]
    assert [title for title, _ in grouped(entries, "LUNGES")] == ["Activation", "Other"]


@async_test
async def test_history_screen_draws_charts_and_says_why_a_preview_does_not_count(tmp_path: Path, data_dir: Path) -> None:
    from textual_plotext import PlotextPlot

    store = HistoryFile(data_dir / "history.jsonl")
    today = date(2026, 3, 18)  # a Wednesday
    tz = timezone(timedelta(hours=1))
    for days_ago, pain in ((7, 4), (8, 6), (9, 5)):
        start = datetime(2026, 3, 18, 8, 0, tzinfo=tz) - timedelta(days=days_ago)
        store.append(SessionRecord(start, start + timedelta(minutes=10), "test-holds", "Test holds",
                                   None, 600.0, 600.0, 10, 10, 0, True, pain_before=pain, pain_after=pain - 1))
    start = datetime(2026, 3, 18, 9, 0, tzinfo=tz)  # today: a preview at --speed 10, played in full
    store.append(SessionRecord(start, start + timedelta(minutes=1), "test-holds", "Test holds",
                               None, 600.0, 600.0, 10, 10, 0, True, speed=10.0))
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS), store=store, today=lambda: today)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        shown = texts(app.screen)
        assert "This week: 0 of 3 sessions" in shown
        assert ("Not counted this week: 1 preview played faster than normal (only sessions at normal speed, "
                "completed or at least half played, count)") in shown
        plots = {p.id: p for p in app.screen.query(PlotextPlot)}
        assert set(plots) == {"chart-sessions", "chart-pain"}
        for plot in plots.values():
            assert plot.region.width > 40 and plot.region.height >= 8
        # What each chart drew, as the widget draws it (plotext's text canvas, colours off).
        for plot in plots.values():
            plot.plt.theme("clear")
        drawn = {name: re.sub(r"\x1b\[[0-9;]*m", "", plot.plt.build()) for name, plot in plots.items()}
        assert "Sessions per week (line: 3 a week)" in drawn["chart-sessions"]
        assert "09 Mar" in drawn["chart-sessions"] and "16 Mar" in drawn["chart-sessions"]
        assert "Pain (0-10), weekly average" in drawn["chart-pain"]
        assert "before" in drawn["chart-pain"] and "after" in drawn["chart-pain"]


def test_the_history_chart_line_is_the_followed_programmes_prescription() -> None:
    from player.library import load_any
    from player.planrecords import ProgrammeEvent
    from player.ui.history_screen import prescription_of

    programme = load_any(str(Path(__file__).parent / "fixtures" / "report" / "two-phases.yaml"))
    tz = timezone(timedelta(hours=1))
    started = ProgrammeEvent(datetime(2026, 11, 29, 20, 0, tzinfo=tz), programme.id, "started", None,
                             start=date(2026, 11, 30))
    assert prescription_of([programme], [started], date(2026, 12, 2)).sessions == 3  # Mon, Wed, Fri
    assert prescription_of([programme], [started], date(2026, 12, 9)).sessions == 14  # twice a day, every day
    assert prescription_of([programme], [started], date(2027, 2, 1)) is None  # finished
    assert prescription_of([programme], [], date(2026, 12, 9)) is None  # never started
