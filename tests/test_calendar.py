"""Calendar reminders: the series built, written with icalendar, read back and expanded with recurring-ical-events."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from player.errors import UsageError
from player.ics import build_calendar, default_times, series_for
from player.words import WEEKDAYS, Frequency

TZ = ZoneInfo("Europe/London")
FIRST = date(2026, 12, 9)  # a Wednesday: weeks run Wednesday to Tuesday


def _sessions(freq: Frequency, *, days=None, at=None, phase_weeks=None) -> tuple[Counter, icalendar.Calendar]:
    series = series_for("knee", "Knee strength", freq, FIRST, phase_weeks=phase_weeks, minutes=12, days=days, at=at)
    data = build_calendar("Knee", [series], TZ, datetime(2026, 12, 4, 9, 0, tzinfo=TZ))
    cal = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(cal).between(FIRST - timedelta(days=30), FIRST + timedelta(days=800))
    return Counter(e["DTSTART"].dt.date() for e in events), cal


def _expected(freq: Frequency, weekdays: tuple[str, ...], weeks: int) -> Counter:
    """What the spec prescribes: times_a_day sessions on each session day of the weeks from the first day."""
    days = (FIRST + timedelta(days=n) for n in range(7 * weeks))
    return Counter({d: freq.times_a_day for d in days if WEEKDAYS[d.weekday()] in weekdays})


@pytest.mark.parametrize(
    ("freq", "days", "weekdays"),
    [
        (Frequency(3, 7, (), 6), None, WEEKDAYS),
        (Frequency(1, 7, ("mon", "wed", "fri"), 9), None, ("mon", "wed", "fri")),
        (Frequency(2, 3, (), 12), None, ("mon", "wed", "fri")),  # spread evenly
        (Frequency(1, 2, (), 4), ("tue", "sat"), ("tue", "sat")),  # the user's days
        (Frequency(14, 7, (), 2), None, WEEKDAYS),  # every waking hour
    ],
)
def test_the_sessions_on_each_date_are_the_prescribed_ones(freq, days, weekdays) -> None:
    found, cal = _sessions(freq, days=days)
    assert found == _expected(freq, weekdays, freq.weeks)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1  # one series for the routine
    assert len(list(events[0].walk("VALARM"))) == 1
    assert events[0]["DTSTART"].params["TZID"] == "Europe/London"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_times_of_the_day_and_a_phase_s_weeks() -> None:
    freq = Frequency(3, 7, (), 12)
    found, cal = _sessions(freq, at=(time(7, 30), time(12, 30), time(19, 0)), phase_weeks=2)
    assert found == _expected(freq, WEEKDAYS, 2)
    starts = sorted(e["DTSTART"].dt for e in recurring_ical_events.of(cal).at(FIRST))
    assert [s.strftime("%H:%M") for s in starts] == ["07:30", "12:30", "19:00"]
    assert [t.strftime("%H:%M") for t in default_times(3)] == ["08:00", "13:00", "18:00"]


def test_wrong_numbers_of_days_or_times_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="this routine is done 3 days a week: give 3 days with --days, got 2"):
        series_for("k", "Knee", Frequency(1, 3, (), 6), FIRST, phase_weeks=None, minutes=5, days=("mon", "tue"), at=None)
    with pytest.raises(UsageError, match="Knee is done 3 times a day: give 3 times with --at, got 1"):
        series_for("k", "Knee", Frequency(3, 7, (), 6), FIRST, phase_weeks=None, minutes=5, days=None, at=(time(8),))


def test_a_routine_without_a_frequency_has_no_calendar(data_dir) -> None:
    from conftest import run_vmo

    result = run_vmo("export", "cool-down", "--format", "ics")
    assert result.returncode == 2
    assert result.stderr == (
        "vmo: cool-down has no frequency: a calendar needs to know how often it is done\n")


def test_a_programme_s_phases_follow_each_other_in_the_calendar(data_dir, tmp_path) -> None:
    from conftest import FIXTURES, run_vmo

    out = tmp_path / "prog.ics"
    result = run_vmo("export", str(FIXTURES / "programmes" / "prog.yaml"), "-o", str(out), "--days", "tue,thu,sat",
                     env={"TZ": "America/New_York"})
    assert result.returncode == 0, result.stderr
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert len(list(cal.walk("VEVENT"))) == 3  # one series per routine and phase
    start = date(2026, 12, 7)  # the file's start; phase 1 has 4 weeks, phase 2 six
    events = recurring_ical_events.of(cal).between(start - timedelta(days=30), start + timedelta(days=400))
    found = Counter(e["DTSTART"].dt.date() for e in events)
    expected: Counter = Counter()
    for n in range(28):  # phase 1: slr on the chosen 3 days, other.yaml every day
        d = start + timedelta(days=n)
        expected[d] = 1 + (WEEKDAYS[d.weekday()] in ("tue", "thu", "sat"))
    for n in range(28, 28 + 42):  # phase 2: slr on Mondays, Wednesdays and Fridays
        d = start + timedelta(days=n)
        if WEEKDAYS[d.weekday()] in ("mon", "wed", "fri"):
            expected[d] += 1
    assert found == expected
    assert {e["DTSTART"].dt.tzinfo.key for e in events} == {"America/New_York"}
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert summaries == {"Straight-leg raise (Phase 1)", "Other (Phase 1)", "Straight-leg raise (Phase 2)"}


def test_the_calendar_has_the_sessions_vmo_plan_says_are_due_each_day(data_dir, tmp_path) -> None:
    """For a programme whose phases end by their weeks, every date: calendar sessions == the planner's due sessions."""
    from conftest import FIXTURES, run_vmo

    from player.library import load_any
    from player.planner import plan
    from player.planrecords import ProgrammeEvent

    path = FIXTURES / "report" / "two-phases.yaml"
    out = tmp_path / "two.ics"
    result = run_vmo("export", str(path), "-o", str(out), env={"TZ": "Europe/London"})
    assert result.returncode == 0, result.stderr
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    start = date(2026, 11, 30)
    events = recurring_ical_events.of(cal).between(start - timedelta(days=7), start + timedelta(days=60))
    found = Counter(e["DTSTART"].dt.date() for e in events)
    programme = load_any(str(path))
    started = ProgrammeEvent(datetime(2026, 11, 29, 20, 0, tzinfo=TZ), programme.id, "started", programme.file_hash,
                             start=start)
    planned = Counter()
    for n in range(-7, 60):
        day = start + timedelta(days=n)
        due = plan(programme, [started], day).due
        planned[day] = sum(item.times_a_day for item in due if item.due_today)
    assert +planned == found  # (+ drops the days with nothing due)
    assert sum(found.values()) == 3 + 14 * 2
    # The same through `vmo plan --json` on two of those days, as a user would see it (started the day before).
    (data_dir / "history.jsonl").write_text(json.dumps(started.to_json()) + "\n", encoding="utf-8")
    for day, sessions in ((date(2026, 12, 2), 1), (date(2026, 12, 9), 2)):
        shown = json.loads(run_vmo("plan", str(path), "--on", day.isoformat(), "--json").stdout)
        assert sum(d["times_a_day"] for d in shown["due"] if d["due_today"]) == sessions == found[day]
