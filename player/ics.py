"""Calendar reminders: the prescribed sessions of a routine or programme as iCalendar events.

`calendar_series` is pure (plain data and dates in, series out); `build_calendar`
makes the file with the `icalendar` library: one recurring event (RRULE) per
routine and phase, each with a reminder (VALARM) at its start, in the user's
time zone (the `TZ` environment variable, else the system's, through tzlocal).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Sequence

from player.errors import UsageError
from player.words import WEEKDAYS, Frequency, frequency_in_words, frequency_of

# Which weekdays a routine done N days a week falls on when the user does not say.
SPREAD = {
    1: ("mon",), 2: ("mon", "thu"), 3: ("mon", "wed", "fri"), 4: ("mon", "tue", "thu", "fri"),
    5: ("mon", "tue", "wed", "thu", "fri"), 6: ("mon", "tue", "wed", "thu", "fri", "sat"), 7: WEEKDAYS,
}
# A routine without an end is put in the calendar for this many weeks.
OPEN_ENDED_WEEKS = 12
_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


def default_times(n: int) -> tuple[time, ...]:
    """The times of `n` sessions a day: 08:00; 08:00, 18:00; 08:00, 13:00, 18:00; ... every waking hour."""
    if n == 1:
        return (time(8, 0),)
    if n <= 11:  # spread over 08:00 to 18:00
        return tuple(time(8 + round(k * 10 / (n - 1)), 0) for k in range(n))
    if n <= 13:  # every hour from 08:00
        return tuple(time(8 + k, 0) for k in range(n))
    first = min(7, 24 - n)
    return tuple(time(first + k, 0) for k in range(n))


@dataclass(frozen=True, slots=True)
class Series:
    """One recurring reminder: a routine in a phase, on some weekdays at some times, from a day for some weeks."""

    uid: str
    summary: str
    description: str
    first_day: date
    weeks: int
    weekdays: tuple[str, ...]
    times: tuple[time, ...]
    minutes: int

    def last_day(self) -> date:
        """The last day of the series' weeks."""
        return self.first_day + timedelta(days=7 * self.weeks - 1)

    def dates(self) -> list[date]:
        """Every date with sessions (for tests and the docs' promise)."""
        days = (self.first_day + timedelta(days=n) for n in range(7 * self.weeks))
        return [d for d in days if WEEKDAYS[d.weekday()] in self.weekdays]


def session_days(freq: Frequency, chosen: Sequence[str] | None) -> tuple[str, ...]:
    """The weekdays of a frequency: its fixed `days`, else the user's choice, else spread evenly."""
    if freq.days:
        return tuple(d for d in WEEKDAYS if d in freq.days)
    if freq.days_a_week >= 7:
        return WEEKDAYS
    if chosen:
        if len(chosen) != freq.days_a_week:
            raise UsageError(
                f"this routine is done {freq.days_a_week} days a week: give {freq.days_a_week} days with --days, "
                f"got {len(chosen)}"
            )
        return tuple(d for d in WEEKDAYS if d in chosen)
    return SPREAD[freq.days_a_week]


def series_for(uid_base: str, summary: str, freq: Frequency, first_day: date, *, phase_weeks: int | None,
               minutes: int, days: Sequence[str] | None, at: Sequence[time] | None, description: str = "") -> Series:
    """The series of one routine (in one phase) starting on `first_day`."""
    weeks = min(w for w in (freq.weeks, phase_weeks) if w) if (freq.weeks or phase_weeks) else OPEN_ENDED_WEEKS
    times = tuple(at) if at else default_times(freq.times_a_day)
    if at and len(times) != freq.times_a_day:
        raise UsageError(
            f"{summary} is done {freq.times_a_day} times a day: give {freq.times_a_day} times with --at, got {len(times)}"
        )
    text = frequency_in_words(freq)
    desc = f"{text}." + (f"\n{description}" if description else "")
    uid = hashlib.sha256(f"{uid_base}|{first_day}|{weeks}".encode()).hexdigest()[:24] + "@vmo"
    return Series(uid, summary, desc, first_day, weeks, session_days(freq, days), times, minutes)


def _rrule(series: Series, tz: tzinfo, times: Sequence[time]) -> dict[str, Any]:
    # With a TZID start, RFC 5545 wants UNTIL in UTC.
    until = datetime.combine(series.last_day(), time(23, 59, 59), tz).astimezone(timezone.utc)
    rule: dict[str, Any] = {"FREQ": "WEEKLY", "BYDAY": [_BYDAY[d] for d in series.weekdays], "UNTIL": until}
    if len(times) > 1:
        rule["BYHOUR"] = [t.hour for t in times]
        rule["BYMINUTE"] = [times[0].minute]
    return rule


def _first_start(series: Series, tz: tzinfo, at: time) -> datetime:
    day = series.first_day
    while WEEKDAYS[day.weekday()] not in series.weekdays:
        day += timedelta(days=1)
    return datetime.combine(day, at, tz)


def build_calendar(name: str, all_series: Sequence[Series], tz: tzinfo, stamp: datetime) -> bytes:
    """An iCalendar file of the series: one VEVENT with an RRULE and a VALARM each (times sharing a minute share one)."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//vmo//exercise reminders//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("calscale", "GREGORIAN")
    for series in all_series:
        # Times of the day that share their minute go in one series (BYHOUR); others get one each.
        groups: dict[int, list[time]] = {}
        for t in series.times:
            groups.setdefault(t.minute, []).append(t)
        for n, times in enumerate(groups.values()):
            event = Event()
            event.add("uid", series.uid if n == 0 else f"{n}-{series.uid}")
            event.add("dtstamp", stamp)
            event.add("summary", series.summary)
            event.add("description", series.description)
            start = _first_start(series, tz, times[0])
            event.add("dtstart", start)
            event.add("duration", timedelta(minutes=series.minutes))
            event.add("rrule", _rrule(series, tz, times))
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Time for {series.summary}")
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            cal.add_component(event)
    if all_series:  # the zone's rules for the years the reminders cover, not 1970 to 2038
        first = min(s.first_day for s in all_series)
        last = max(s.last_day() for s in all_series)
        cal.add_missing_timezones(first_date=first - timedelta(days=1), last_date=last + timedelta(days=2))
    return cal.to_ical()


def local_zone() -> tzinfo:
    """The user's time zone: TZ when set to a zone name, else the system's (tzlocal)."""
    import os
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        from tzlocal import get_localzone

        return get_localzone()
    except Exception:  # no zone can be found: UTC, said in the docs
        return ZoneInfo("UTC")


def session_minutes(total_seconds: float) -> int:
    """An event's length: the routine's time rounded up to whole minutes, at least 5."""
    return max(5, math.ceil(total_seconds / 60))


def calendar_for(subject: Any, args: Any, today: date) -> bytes:
    """The calendar of a programme, or a routine with a frequency, for `vmo export --format ics`."""
    from player.programme import Programme
    from player.timeline import compile_timeline

    if isinstance(subject, Programme):
        phases = [(phase.name, phase.weeks, [(e.routine, e.frequency) for e in phase.routines]) for phase in subject.phases]
        first = subject.start or args.date or today
    else:
        if getattr(subject, "frequency", None) is None:
            raise UsageError(f"{subject.id} has no frequency: a calendar needs to know how often it is done")
        phases = [(None, None, [(subject, subject.frequency)])]
        first = args.date or today
    all_series = []
    for n, (phase_name, weeks, routines) in enumerate(phases, start=1):
        longest = 0
        for routine, frequency in routines:
            freq = frequency_of(frequency) or Frequency()
            summary = routine.name if phase_name is None or len(phases) == 1 else f"{routine.name} ({phase_name})"
            series = series_for(f"{subject.id}|{n}|{routine.id}", summary, freq, first, phase_weeks=weeks,
                                minutes=session_minutes(compile_timeline(routine).total_seconds),
                                days=args.days, at=args.at,
                                description="" if phase_name is None else f"{subject.name}: {phase_name}")
            all_series.append(series)
            longest = max(longest, series.weeks)
        first += timedelta(weeks=weeks or longest)
    tz = local_zone()
    return build_calendar(subject.name, all_series, tz, datetime.now(tz).replace(microsecond=0))
