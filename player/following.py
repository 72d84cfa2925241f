"""The edge around the planner: finds programme files, reads the history and the clock, writes records.

The planner (player/planner.py) stays pure; the commands (`vmo plan`, `today`,
`start`, `stop`, `advance`, `decline`, `play PROGRAMME`) call these.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

from player.errors import UsageError
from player.model import Routine
from player.programme import Programme, from_routine


def now() -> datetime:
    """The wall-clock time with the local UTC offset."""
    return datetime.now().astimezone()


def parse_on(text: str | None) -> date:
    """The --on day (default today, where the user is). Raises UsageError with one readable line."""
    if text is None:
        return now().date()
    try:
        if len(text.strip()) != 10:
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise UsageError(f"--on: expected a date such as 2026-12-07, got {shown!r}") from None


def as_programme(found: Routine | Programme, arg: str) -> Programme:
    """A programme, or a routine with a frequency as a one-phase programme. Raises UsageError."""
    if isinstance(found, Programme):
        return found
    if found.frequency is None:
        raise UsageError(
            f"'{arg}' is a routine without a frequency, not a programme; 'vmo play {arg}' plays it"
        )
    return from_routine(found)


def load_programme(arg: str, extra_dirs: Sequence[str] = (), cached: bool = False) -> Programme:
    """The PROGRAMME argument loaded: unknown is a UsageError (exit 2), invalid RoutineInvalid (exit 1).

    `cached`: an id's model may come from the model cache (player/modelcache.py).
    """
    from player.library import load_any

    try:
        found = load_any(arg, extra_dirs, cached)
    except UsageError as exc:
        text = str(exc)
        if text.startswith("unknown routine "):  # the library's word; here a programme was asked for
            raise UsageError("unknown programme " + text.removeprefix("unknown routine ")) from None
        raise
    return as_programme(found, arg)


def read_records(path: Any = None, cache: Any = True) -> list[Any]:
    """The records the planner reads: counted sessions, programme events, next-day answers; one warning for skipped lines.

    Only the fields the planner uses are built, and the lines already read by an
    earlier command come from a cache (player/planhistory.py): a history of ten years
    is 11,000 lines. A line is skipped, as by every reader of the history, when it is
    not JSON, or a record of a known kind with a missing or impossible field.
    `cache`: True for the data folder's cache, a path, or None for none.
    """
    from player.planhistory import cache_path, history_path, read

    target = history_path() if path is None else Path(path)
    where = (cache_path() if path is None else None) if cache is True else cache
    try:
        records, first, count = read(target, where)
    except FileNotFoundError:
        return []
    except OSError as exc:
        print(f"vmo: warning: cannot read the session history {target}: {exc.strerror or exc}", file=sys.stderr)
        return []
    if count:
        from player.history import skipped_warning

        print(skipped_warning(target, first, count), file=sys.stderr)
    return records


def followed_programmes(records: Sequence[Any], on: date, extra_dirs: Sequence[str] = ()) -> list[Programme]:
    """The programmes (and routines with a frequency) the user follows on `on`, found in the library.

    One that the library no longer has gets a warning; its records stay as they are.
    """
    from player.errors import RoutineInvalid
    from player.planner import following
    from player.render import sanitize

    found = []
    for pid in following(records, on):
        try:
            # From the model cache: with three programmes, 40 ms of YAML less (of 130 ms).
            found.append(load_programme(pid, extra_dirs, cached=True))
        except RoutineInvalid as exc:
            first = exc.problems[0] if exc.problems else "it has errors"
            print(f"vmo: warning: you follow '{sanitize(pid)}', whose file has errors ({sanitize(str(first))}); left out",
                  file=sys.stderr)
        except UsageError:
            print(
                f"vmo: warning: you follow '{sanitize(pid)}', which the library no longer has; left out"
                " (its records are kept in the history)",
                file=sys.stderr,
            )
    return found


def print_notes(plan: Any) -> None:
    """The planner's notes (a changed programme file) as warnings on stderr."""
    from player.render import sanitize

    for note in plan.notes:
        print(f"vmo: note: {sanitize(plan.id)}: {note}", file=sys.stderr)


def append(record: Any) -> None:
    """Append a record to the history; a failure is one warning line, and the command still succeeds."""
    from player.history import default_store

    warning = default_store().append(record)
    if warning:
        print(warning, file=sys.stderr)
