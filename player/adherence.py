"""Adherence figures over session records: recent sessions, counts, this week, streak, weekly chart.

Pure functions: `today` is always passed in, never read from a clock. A day is
the calendar day a session started on where the user was (the record's own
UTC offset), and weeks are ISO weeks starting on Monday.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import heapq
from datetime import date, datetime, timedelta
from typing import Iterable

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
    """Every figure the history views show, computed once; `total` counts the sessions listed.

    `seen` counts every valid record read, listed or not (0: nothing recorded yet).
    """

    total: int
    recent: list[SessionRecord]
    per_routine: list[RoutineCount]
    week: WeekProgress
    streak: int
    weekly: list[WeekCount]
    seen: int = 0
    # This week's sessions that do not count, and why: previews at another speed, and sessions
    # stopped before half their time (cramp stretches are relief and are not listed here).
    week_previews: int = 0
    week_short: int = 0
    # Each chart week's average pain before and after (None: no rating that week), oldest first.
    weekly_pain: list[WeekPain] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class WeekPain:
    """The average pain ratings of the counting sessions of the week starting `week_start`."""

    week_start: date
    before: float | None
    after: float | None


class _Days:
    """A set of calendar days as one bit per possible date: 457 KB whatever the history holds."""

    def __init__(self) -> None:
        self._bits = bytearray(date.max.toordinal() // 8 + 1)

    def add(self, day: date) -> None:
        n = day.toordinal()
        self._bits[n >> 3] |= 1 << (n & 7)

    def __contains__(self, day: date) -> bool:
        n = day.toordinal()
        return bool(self._bits[n >> 3] & (1 << (n & 7)))


def summarize(
    records: Iterable[SessionRecord],
    today: date,
    target: int,
    *,
    since: date | None = None,
    limit: int | None = 20,
    weeks: int = 8,
) -> Summary:
    """The figures for `vmo history` and the UI's history screen, in one pass over `records`.

    `records` may be a stream read once (player.history.HistoryStream): memory
    holds the `limit` most recent sessions, one count per routine and a bitmap
    of days, never the whole history. `since` narrows the sessions listed and
    counted per routine; the week, the streak and the chart are about now, so
    they always use every record.
    """
    monday = week_start(today)
    starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)] if weeks > 0 else []
    tally = dict.fromkeys(starts, 0)
    days = _Days()
    week_sessions = 0
    seen = total = 0
    latest: dict[str, SessionRecord] = {}
    sessions: dict[str, int] = {}
    completed: dict[str, int] = {}
    newest: list[tuple[datetime, int, SessionRecord]] = []  # a min-heap of the `limit` newest
    pain = {s: [0, 0, 0, 0] for s in starts}  # sum and count of ratings before, then after
    week_previews = week_short = 0
    for seq, record in enumerate(records):
        seen += 1
        if counts_for_adherence(record):
            day = record.day
            days.add(day)
            if monday <= day <= today:
                week_sessions += 1
            if day <= today:
                key = week_start(day)
                if key in tally:
                    tally[key] += 1
                    sums = pain[key]
                    if record.pain_before is not None:
                        sums[0] += record.pain_before
                        sums[1] += 1
                    if record.pain_after is not None:
                        sums[2] += record.pain_after
                        sums[3] += 1
        elif record.cramp is None and monday <= record.day <= today:
            if record.speed > 1:
                week_previews += 1
            else:
                week_short += 1
        if since is not None and record.day < since:
            continue
        total += 1
        rid = record.routine_id
        sessions[rid] = sessions.get(rid, 0) + 1
        completed[rid] = completed.get(rid, 0) + bool(record.completed)
        if rid not in latest or record.start > latest[rid].start:
            latest[rid] = record
        # Newest first, and among equal starts the earlier line first (as a stable sort would).
        item = (record.start, -seq, record)
        if limit is None or len(newest) < limit:
            heapq.heappush(newest, item)
        elif limit > 0 and item[:2] > newest[0][:2]:
            heapq.heapreplace(newest, item)
    counts = [
        RoutineCount(rid, latest[rid].routine_name, sessions[rid], completed[rid], latest[rid].day) for rid in sessions
    ]
    counts.sort(key=lambda c: c.routine_id)
    counts.sort(key=lambda c: (c.sessions, c.last_played), reverse=True)
    return Summary(
        total=total,
        recent=[item[2] for item in sorted(newest, key=lambda item: item[:2], reverse=True)],
        per_routine=counts,
        week=WeekProgress(monday, week_sessions, target),
        streak=_streak(days, today),
        weekly=[WeekCount(s, tally[s]) for s in starts],
        seen=seen,
        week_previews=week_previews,
        week_short=week_short,
        weekly_pain=[
            WeekPain(s, round(p[0] / p[1], 1) if p[1] else None, round(p[2] / p[3], 1) if p[3] else None)
            for s, p in pain.items()
        ],
    )


def _streak(days: _Days, today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        if day == date.min:
            break
        day -= timedelta(days=1)
    return count
