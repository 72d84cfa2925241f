"""Adherence figures over session records: recent sessions, counts, this week, streak, weekly chart.

Pure functions: `today` is always passed in, never read from a clock. A day is
the calendar day a session started on where the user was (the record's own
UTC offset), and weeks are ISO weeks starting on Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Sequence

from player.history import SessionRecord

# A session counts towards the weekly target and the streak when at least this
# share of its planned time was played (or it was completed).
COUNTING_SHARE = 0.5


def counts_for_adherence(record: SessionRecord) -> bool:
    """Whether a session counts as exercise done: not a cramp episode or a fast preview; completed or half played.

    A cramp stretch is relief, not training; a routine quit after a few seconds,
    or previewed at `--speed` above 1, was not done. All of them still appear in
    the table and the counts per routine.
    """
    if record.cramp is not None or record.speed > 1:
        return False
    if record.completed:
        return True
    return record.planned_seconds > 0 and record.played_seconds >= COUNTING_SHARE * record.planned_seconds


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def recent(records: Iterable[SessionRecord], limit: int | None = 20) -> list[SessionRecord]:
    """The most recent sessions, newest first (`limit` None: all)."""
    ordered = sorted(records, key=lambda r: r.start, reverse=True)
    return ordered if limit is None else ordered[:limit]


@dataclass(frozen=True)
class RoutineCount:
    """How often one routine was played: every session, and those completed."""

    routine_id: str
    routine_name: str
    sessions: int
    completed: int
    last_played: date


def counts_per_routine(records: Iterable[SessionRecord]) -> list[RoutineCount]:
    """Sessions per routine id, most played first (ties: most recently played first, then id).

    The name shown is the one of the routine's latest session, in case it was renamed.
    """
    by_id: dict[str, list[SessionRecord]] = {}
    for record in records:
        by_id.setdefault(record.routine_id, []).append(record)
    counts = []
    for rid, group in by_id.items():
        latest = max(group, key=lambda r: r.start)
        counts.append(
            RoutineCount(rid, latest.routine_name, len(group), sum(r.completed for r in group), latest.day)
        )
    counts.sort(key=lambda c: c.routine_id)
    counts.sort(key=lambda c: (c.sessions, c.last_played), reverse=True)
    return counts


@dataclass(frozen=True)
class WeekProgress:
    """Sessions that count in the ISO week starting `week_start`, against the weekly target."""

    week_start: date
    sessions: int
    target: int

    @property
    def met(self) -> bool:
        """The target is reached (a target of 0 means none is set)."""
        return self.target > 0 and self.sessions >= self.target


def this_week(records: Iterable[SessionRecord], today: date, target: int) -> WeekProgress:
    """Counting sessions from Monday of `today`'s week up to and including `today`."""
    monday = week_start(today)
    sessions = sum(1 for r in records if counts_for_adherence(r) and monday <= r.day <= today)
    return WeekProgress(monday, sessions, target)


def active_days(records: Iterable[SessionRecord]) -> set[date]:
    """The days with at least one counting session."""
    return {r.day for r in records if counts_for_adherence(r)}


def streak(records: Iterable[SessionRecord], today: date) -> int:
    """Consecutive days with a counting session, ending today, or yesterday when today has none yet."""
    days = active_days(records)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class WeekCount:
    """Counting sessions in the ISO week starting `week_start` (a bar of the chart)."""

    week_start: date
    sessions: int


def sessions_per_week(records: Iterable[SessionRecord], today: date, weeks: int = 8) -> list[WeekCount]:
    """The last `weeks` ISO weeks, oldest first, ending with `today`'s week; empty weeks count 0."""
    if weeks <= 0:
        return []
    current = week_start(today)
    starts = [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    tally = dict.fromkeys(starts, 0)
    for record in records:
        if counts_for_adherence(record) and record.day <= today:
            monday = week_start(record.day)
            if monday in tally:
                tally[monday] += 1
    return [WeekCount(s, tally[s]) for s in starts]


@dataclass(frozen=True)
class Summary:
    """Every figure the history views show, computed once; `total` counts the sessions listed."""

    total: int
    recent: list[SessionRecord]
    per_routine: list[RoutineCount]
    week: WeekProgress
    streak: int
    weekly: list[WeekCount]


def summarize(
    records: Sequence[SessionRecord],
    today: date,
    target: int,
    *,
    since: date | None = None,
    limit: int | None = 20,
    weeks: int = 8,
) -> Summary:
    """The figures for `vmo history` and the UI's history screen.

    `since` narrows the sessions listed and counted per routine; the week, the
    streak and the chart are about now, so they always use every record.
    """
    listed = list(records) if since is None else [r for r in records if r.day >= since]
    return Summary(
        total=len(listed),
        recent=recent(listed, limit),
        per_routine=counts_per_routine(listed),
        week=this_week(records, today, target),
        streak=streak(records, today),
        weekly=sessions_per_week(records, today, weeks),
    )
