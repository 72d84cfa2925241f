"""Adherence figures with injected dates: ISO weeks, streaks, the weekly chart; and the pain answer."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from player.adherence import (
    RoutineCount,
    WeekCount,
    WeekProgress,
    counts_for_adherence,
    counts_per_routine,
    recent,
    sessions_per_week,
    streak,
    summarize,
    this_week,
    week_start,
)
from player.history import CrampFacts, SessionRecord
from player.pain import PainAnswerInvalid, parse_pain_answer, should_ask_pain

MINUS_FIVE = timezone(timedelta(hours=-5))


def session(day: str, hour: int = 18, *, rid: str = "quad-sets", name: str = "Quad sets",
            completed: bool = True, played: float = 200.0, cramp: CrampFacts | None = None,
            tz: timezone = timezone.utc) -> SessionRecord:
    start = datetime.fromisoformat(day).replace(hour=hour, tzinfo=tz)
    return SessionRecord(
        start=start, end=start + timedelta(seconds=played), routine_id=rid, routine_name=name,
        file_hash=None, planned_seconds=200.0, played_seconds=played, segments_total=10,
        segments_done=10 if completed else 3, segments_skipped=0, completed=completed, cramp=cramp,
    )


# 2025-03-03 is a Monday; 2025-03-09 a Sunday.

def test_week_starts_on_monday() -> None:
    assert week_start(date(2025, 3, 3)) == date(2025, 3, 3)
    assert week_start(date(2025, 3, 9)) == date(2025, 3, 3)
    assert week_start(date(2025, 3, 10)) == date(2025, 3, 10)
    assert week_start(date(2025, 1, 1)) == date(2024, 12, 30)  # ISO week 1 of 2025 starts in 2024


def test_this_week_counts_from_monday_to_today() -> None:
    records = [
        session("2025-03-02", 23),  # Sunday before: last week
        session("2025-03-03", 0),  # Monday just after midnight
        session("2025-03-05"),
        session("2025-03-09", 23),  # Sunday, after "today"
    ]
    assert this_week(records, date(2025, 3, 5), 3) == WeekProgress(date(2025, 3, 3), 2, 3)
    assert this_week(records, date(2025, 3, 9), 3) == WeekProgress(date(2025, 3, 3), 3, 3)
    assert this_week(records, date(2025, 3, 9), 3).met
    assert this_week(records, date(2025, 3, 10), 3) == WeekProgress(date(2025, 3, 10), 0, 3)
    assert not WeekProgress(date(2025, 3, 10), 5, 0).met  # no target set


def test_the_day_is_where_the_user_was() -> None:
    # 21:00 at UTC-5 on Sunday is Monday 02:00 UTC; it still counts as that Sunday.
    late = session("2025-03-09", 21, tz=MINUS_FIVE)
    assert late.day == date(2025, 3, 9)
    assert this_week([late], date(2025, 3, 10), 3).sessions == 0


def test_what_counts_for_adherence() -> None:
    assert counts_for_adherence(session("2025-03-03"))
    assert counts_for_adherence(session("2025-03-03", completed=False, played=100.0))
    assert not counts_for_adherence(session("2025-03-03", completed=False, played=99.0))
    assert not counts_for_adherence(session("2025-03-03", cramp=CrampFacts("calf", 30.0, False)))


@pytest.mark.parametrize(
    "days, today, expected",
    [
        ([], "2025-03-05", 0),
        (["2025-03-05"], "2025-03-05", 1),
        (["2025-03-03", "2025-03-04", "2025-03-05"], "2025-03-05", 3),
        (["2025-03-03", "2025-03-04"], "2025-03-05", 2),  # today not done yet: ends yesterday
        (["2025-03-02", "2025-03-03"], "2025-03-05", 0),  # ended the day before yesterday
        (["2025-03-01", "2025-03-03", "2025-03-04", "2025-03-05"], "2025-03-05", 3),  # a gap ends it
        (["2025-03-05", "2025-03-05", "2025-03-04"], "2025-03-05", 2),  # two on one day count once
        (["2025-02-28", "2025-03-01"], "2025-03-01", 2),  # across a month end
    ],
)
def test_streak(days: list[str], today: str, expected: int) -> None:
    assert streak([session(d) for d in days], date.fromisoformat(today)) == expected


def test_streak_ignores_sessions_that_do_not_count() -> None:
    records = [session("2025-03-04"), session("2025-03-05", completed=False, played=10.0)]
    assert streak(records, date(2025, 3, 5)) == 1


def test_sessions_per_week_oldest_first_with_empty_weeks() -> None:
    records = [
        session("2025-02-17"),  # three weeks before the current one: outside the chart
        session("2025-02-24"),
        session("2025-02-26"),
        session("2025-03-09"),
        session("2025-03-10"),
        session("2025-03-12"),  # after today
    ]
    assert sessions_per_week(records, date(2025, 3, 11), weeks=3) == [
        WeekCount(date(2025, 2, 24), 2),
        WeekCount(date(2025, 3, 3), 1),
        WeekCount(date(2025, 3, 10), 1),
    ]
    assert sessions_per_week(records, date(2025, 3, 11), weeks=0) == []


def test_counts_per_routine_most_played_first_with_latest_name() -> None:
    records = [
        session("2025-03-01", rid="wall-sit", name="Wall sit"),
        session("2025-03-02", rid="quad-sets", name="Quad sets (old)"),
        session("2025-03-04", rid="quad-sets", name="Quad sets", completed=False),
        session("2025-03-03", rid="bridge", name="Bridge"),
    ]
    assert counts_per_routine(records) == [
        RoutineCount("quad-sets", "Quad sets", 2, 1, date(2025, 3, 4)),
        RoutineCount("bridge", "Bridge", 1, 1, date(2025, 3, 3)),
        RoutineCount("wall-sit", "Wall sit", 1, 1, date(2025, 3, 1)),
    ]


def test_recent_is_newest_first() -> None:
    records = [session("2025-03-01"), session("2025-03-03"), session("2025-03-02")]
    assert [r.day.day for r in recent(records, 2)] == [3, 2]
    assert len(recent(records, None)) == 3


def test_summary_since_narrows_the_list_but_not_the_week_or_streak() -> None:
    records = [session("2025-03-03"), session("2025-03-04"), session("2025-03-05", rid="bridge", name="Bridge")]
    summary = summarize(records, date(2025, 3, 5), 3, since=date(2025, 3, 5))
    assert summary.total == 1
    assert [r.routine_id for r in summary.recent] == ["bridge"]
    assert [c.routine_id for c in summary.per_routine] == ["bridge"]
    assert summary.week == WeekProgress(date(2025, 3, 3), 3, 3)
    assert summary.streak == 3
    assert summary.weekly[-1] == WeekCount(date(2025, 3, 3), 3)


@given(st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), max_size=30),
       st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_streak_days_are_all_active_and_consecutive(days: list[date], today: date) -> None:
    records = [session(d.isoformat()) for d in days]
    n = streak(records, today)
    end = today if today in days else today - timedelta(days=1)
    assert all(end - timedelta(days=i) in days for i in range(n))
    assert end - timedelta(days=n) not in days


# -- the pain answer --

@pytest.mark.parametrize("text, expected", [
    ("0", 0), ("10", 10), (" 7 ", 7), ("7/10", 7), ("3 / 10", 3), ("", None), ("  ", None),
    ("s", None), ("SKIP", None), ("-", None),
])
def test_pain_answers(text: str, expected: int | None) -> None:
    assert parse_pain_answer(text) == expected


@pytest.mark.parametrize("text, shown", [
    ("11", "'11'"), ("-1", "'-1'"), ("2.5", "'2.5'"), ("lots", "'lots'"), ("7/9", "'7/9'"),
    ("x" * 30, "'" + "x" * 19 + "…'"),
])
def test_bad_pain_answers_say_what_is_expected(text: str, shown: str) -> None:
    with pytest.raises(PainAnswerInvalid) as info:
        parse_pain_answer(text)
    assert str(info.value) == f"expected a whole number from 0 to 10, or Enter to skip, got {shown}"


def test_the_setting_wins_over_the_routine() -> None:
    assert should_ask_pain(True, None) and not should_ask_pain(False, None)
    assert should_ask_pain(False, True) and not should_ask_pain(True, False)


def test_a_fast_preview_does_not_count() -> None:
    from dataclasses import replace

    assert not counts_for_adherence(replace(session("2025-03-03"), speed=100.0))
    assert counts_for_adherence(replace(session("2025-03-03"), speed=0.5))
