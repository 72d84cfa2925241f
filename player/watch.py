"""`vmo play FILE --watch`: notice when a routine's files change and keep the place in the new version.

Pure apart from `stat`: the players poll `Watcher.changed()` from their own loop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from player.model import Exercise, RepeatBlock, RestStep, Routine, Section, Step
from player.timeline import Segment

if TYPE_CHECKING:
    from player.engine import Session
    from player.events import Event
    from player.problems import Problem

POLL_SECONDS = 0.5


def routine_files(routine: Routine) -> set[Path]:
    """The routine's file and every file it includes (their steps carry their source)."""
    files: set[Path] = set()
    if routine.path is not None:
        files.add(routine.path)

    def walk(steps: Sequence[Step]) -> None:
        for step in steps:
            if isinstance(step, (Exercise, RestStep, RepeatBlock, Section)) and step.source is not None:
                files.add(step.source)
            if isinstance(step, RepeatBlock):
                walk(step.steps)

    walk(routine.steps)
    return files


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class Watcher:
    """Remembers the files' modification stamps; `changed()` says whether any moved since last asked."""

    def __init__(self, files: Iterable[Path]) -> None:
        self._stamps = {p: _stamp(p) for p in files}

    def watch(self, files: Iterable[Path]) -> None:
        """Add files (an edit may add an include); known files keep their stamp."""
        for p in files:
            self._stamps.setdefault(p, _stamp(p))

    def changed(self) -> bool:
        """True once for each batch of changes (an editor's save may touch a file twice: both count once)."""
        moved = False
        for path, old in self._stamps.items():
            new = _stamp(path)
            if new != old:
                self._stamps[path] = new
                moved = True
        return moved


@dataclass(frozen=True)
class _Key:
    kind: str
    name: str
    side: str | None
    set: int | None
    rep: int | None
    round: int | None


def _key(seg: Segment) -> _Key:
    return _Key(seg.kind, seg.name, seg.side, seg.set, seg.rep, seg.round)


def reposition(old: Sequence[Segment], index: int, new: Sequence[Segment]) -> int:
    """Where to carry on in `new` after playing up to `old[index]`.

    The same segment (kind, exercise, side, set, rep, round) if the new timeline
    still has it, the nearest such match to the old index winning; else the first
    segment of the same exercise; else the same index, kept inside the new timeline.
    """
    if not new:
        return 0
    index = max(0, min(index, len(old) - 1)) if old else 0
    if not old:
        return min(index, len(new) - 1)
    here = old[index]
    wanted = _key(here)
    matches = [j for j, seg in enumerate(new) if _key(seg) == wanted]
    if matches:
        return min(matches, key=lambda j: (abs(j - index), j))
    # Which time this exercise name occurs in the old timeline up to here: the 2nd "Squat" stays the 2nd.
    occurrences_before = len({s.occurrence for s in old[: index + 1] if s.name == here.name})
    seen: list[int] = []
    for j, seg in enumerate(new):
        if seg.name == here.name and (not seen or new[seen[-1]].occurrence != seg.occurrence):
            seen.append(j)
    if seen:
        return seen[min(occurrences_before, len(seen)) - 1]
    return min(index, len(new) - 1)


@dataclass
class Reload:
    """What one poll found: a new session already started in place, or the new version's problems."""

    session: "Session | None" = None
    events: list["Event"] = field(default_factory=list)
    routine: Routine | None = None
    problems: list["Problem"] = field(default_factory=list)


class Reloader:
    """Polls a routine's files; on a save, loads the new version and carries on at the same place."""

    def __init__(self, routine: Routine, display: str, speed: float, poll: float = POLL_SECONDS) -> None:
        if routine.path is None:
            raise ValueError("a routine read from a file is needed to watch it")
        self.path = routine.path
        self.display = display
        self.speed = speed
        self.poll_seconds = poll
        self.watcher = Watcher(routine_files(routine))
        self._next_poll = float("-inf")

    def wait_hint(self, now: float) -> float:
        """Seconds until the next poll is due."""
        return max(0.0, self._next_poll - now)

    def poll(self, session: "Session", now: float) -> Reload | None:
        """None when nothing changed (or it is not time to look yet)."""
        from player.engine import Session, State
        from player.loader import check_routine
        from player.timeline import compile_timeline

        if now < self._next_poll:
            return None
        self._next_poll = now + self.poll_seconds
        if not self.watcher.changed():
            return None
        routine, problems = check_routine(self.path, self.display)
        if routine is None:
            return Reload(problems=problems)
        self.watcher.watch(routine_files(routine))
        timeline = compile_timeline(routine)
        here = session.index if session.index is not None else 0
        at = reposition(session.segments, here, timeline.segments)
        fresh = Session(timeline, speed=self.speed)
        events = list(fresh.start(now, at=at))
        if session.state is State.PAUSED:
            events += fresh.pause(now)
        return Reload(session=fresh, events=events, routine=routine, problems=problems)
