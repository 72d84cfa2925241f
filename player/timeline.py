"""How a routine becomes a timeline: a flat list of segments (routine-format.md).

Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from player.model import DEFAULT_CUE_SETTINGS, CueSettings, Exercise, RepeatBlock, RestStep, Routine, Section, Step

KINDS = ("prepare", "work", "relax", "switch", "rest", "manual")
MAX_SEGMENTS = 10_000
MAX_SECONDS = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Segment:
    """One continuous stretch of time on screen."""

    kind: str
    name: str
    seconds: float | None
    side: str | None = None
    set: int | None = None
    sets: int | None = None
    rep: int | None = None
    reps: int | None = None
    round: int | None = None
    rounds: int | None = None
    # Which step occurrence this segment belongs to, counting in play order;
    # "skip exercise" jumps to the first segment of the next occurrence.
    occurrence: int = 0
    step: Exercise | RestStep | None = None
    cue_settings: CueSettings = DEFAULT_CUE_SETTINGS
    # The heading (a `section` step, or an included file's name) the segment plays under.
    section: Section | None = None

    @property
    def exercise(self) -> Exercise | None:
        """The exercise the segment belongs to, if any."""
        return self.step if isinstance(self.step, Exercise) else None

    @property
    def alternate(self) -> bool:
        """A segment of a `sides: alternate` exercise (its side changes hold by hold or rep by rep)."""
        return isinstance(self.step, Exercise) and self.step.alternate

    @property
    def max_reps(self) -> bool:
        """The manual segment of a `reps: max` exercise: the player asks how many were done."""
        return self.kind == "manual" and isinstance(self.step, Exercise) and self.step.max_reps

    def phase(self, count: int) -> tuple[int, str | None]:
        """For a `phase` cue's count: the phase's number within its rep (from 1) and its name, if named."""
        ex = self.exercise
        if ex is None or not ex.tempo:
            return count, None
        k = (count - 1) % len(ex.tempo)
        return k + 1, ex.tempo_names[k] if ex.tempo_names else None

    def rep_of(self, count: int) -> tuple[int, str | None]:
        """For a `rep` cue's count: the rep's number on its side and the side (alternate tempo: left, right, ...)."""
        ex = self.exercise
        if ex is None or not ex.alternate or not ex.sides:
            return count, self.side
        turns = len(ex.sides)
        return (count - 1) // turns + 1, ex.sides[(count - 1) % turns]

    @property
    def until_eased(self) -> bool:
        """A work segment of an `until_eased` hold."""
        return self.kind == "work" and isinstance(self.step, Exercise) and self.step.until_eased

    @property
    def tempo(self) -> tuple[float, ...] | None:
        """The tempo phases of a timed-reps work segment, else None."""
        if self.kind == "work" and isinstance(self.step, Exercise) and self.step.tempo:
            return self.step.tempo
        return None

    def to_json(self) -> dict[str, object]:
        """The segment as `vmo show --json` prints it."""
        out: dict[str, object] = {
            "kind": self.kind,
            "name": self.name,
            "seconds": self.seconds,
            "side": self.side,
            "set": self.set,
            "sets": self.sets,
            "rep": self.rep,
            "reps": self.reps,
            "round": self.round,
            "rounds": self.rounds,
        }
        if self.until_eased:
            out["until_eased"] = True
        ex = self.exercise
        if ex is not None:
            if ex.max_reps and self.kind in ("work", "manual", "switch", "rest") and self.set is not None:
                out["reps"] = "max"
            if ex.alternate:
                out["alternate"] = True
            if self.kind in ("work", "manual"):
                if ex.distance:
                    out["distance"] = ex.distance
                if ex.load:
                    out["load"] = ex.load
                if ex.tempo_names and ex.tempo:
                    out["phases"] = [{"name": n, "seconds": t} for n, t in zip(ex.tempo_names, ex.tempo)]
                if ex.images:
                    out["image"] = list(ex.images)
                if ex.video:
                    out["video"] = ex.video
        if self.section is not None:
            out["section"] = self.section.title
        return out


@dataclass(frozen=True, slots=True)
class Timeline:
    """The compiled routine."""

    segments: tuple[Segment, ...]

    @property
    def total_seconds(self) -> float:
        """The sum of all timed segments."""
        return float(sum(s.seconds for s in self.segments if s.seconds is not None))

    @property
    def untimed_segments(self) -> int:
        """How many manual segments there are."""
        return sum(1 for s in self.segments if s.seconds is None)


def _exercise_segments(
    ex: Exercise, occurrence: int, rnd: int | None, rounds: int | None, section: Section | None,
) -> Iterator[Segment]:
    common = dict(
        name=ex.name, round=rnd, rounds=rounds, occurrence=occurrence, step=ex, cue_settings=ex.cue_settings,
        section=section,
    )
    if ex.prepare > 0:
        yield Segment("prepare", seconds=ex.prepare, **common)  # type: ignore[arg-type]
    hold_reps = (ex.reps or 1) if ex.hold is not None else None
    count_reps = ex.reps if ex.hold is None and ex.duration is None else None
    if ex.alternate:
        # Left and right take turns within each set, hold by hold or rep by rep: no switches.
        sides: tuple[str | None, ...] = (None,) if ex.tempo is not None else ex.sides
    else:
        sides = ex.sides or (None,)
    for set_no in range(1, ex.sets + 1):
        per_set = dict(common, set=set_no, sets=ex.sets)
        if ex.alternate and ex.hold is not None:
            assert hold_reps is not None
            previous: str | None = None
            for rep in range(1, hold_reps + 1):
                for side in ex.sides:
                    if previous is not None and ex.relax > 0:
                        done = rep if side != ex.sides[0] else rep - 1
                        yield Segment("relax", seconds=ex.relax, side=previous, rep=done, reps=hold_reps, **per_set)  # type: ignore[arg-type]
                    yield Segment("work", seconds=ex.hold, side=side, rep=rep, reps=hold_reps, **per_set)  # type: ignore[arg-type]
                    previous = side
        else:
            for side_no, side in enumerate(sides):
                if side_no > 0 and ex.switch > 0:
                    yield Segment("switch", seconds=ex.switch, side=side, reps=hold_reps or count_reps, **per_set)  # type: ignore[arg-type]
                if ex.duration is not None:
                    yield Segment("work", seconds=ex.duration, side=side, **per_set)  # type: ignore[arg-type]
                elif ex.hold is not None:
                    assert hold_reps is not None
                    for rep in range(1, hold_reps + 1):
                        if rep > 1 and ex.relax > 0:
                            yield Segment("relax", seconds=ex.relax, side=side, rep=rep - 1, reps=hold_reps, **per_set)  # type: ignore[arg-type]
                        yield Segment("work", seconds=ex.hold, side=side, rep=rep, reps=hold_reps, **per_set)  # type: ignore[arg-type]
                elif ex.tempo is not None:
                    assert ex.reps is not None
                    turns = len(ex.sides) if ex.alternate else 1
                    yield Segment("work", seconds=turns * ex.reps * sum(ex.tempo), side=side, reps=ex.reps, **per_set)  # type: ignore[arg-type]
                else:
                    yield Segment("manual", seconds=None, side=side, reps=ex.reps, **per_set)  # type: ignore[arg-type]
        if set_no < ex.sets and ex.rest > 0:
            yield Segment("rest", seconds=ex.rest, side=None, reps=hold_reps or count_reps, **per_set)  # type: ignore[arg-type]


def headings(steps: tuple[Step, ...], outer: Section | None = None) -> list[Section | None]:
    """The heading each step of one list plays under (`outer`, the list's own, before any).

    A plain heading lasts to the next one at its level; an included file's heading
    covers the included steps only, and the heading before it resumes after them.
    """
    stack: list[tuple[Section, int | None]] = []  # (heading, index where it ends or None)
    out: list[Section | None] = []
    for i, step in enumerate(steps):
        ended = next((k for k, (_, end) in enumerate(stack) if end is not None and end <= i), None)
        if ended is not None:
            del stack[ended:]
        if isinstance(step, Section):
            if step.included:
                stack.append((step, i + 1 + step.covers))
            elif stack and stack[-1][1] is None:
                stack[-1] = (step, None)
            else:
                stack.append((step, None))
            out.append(step)
        else:
            out.append(stack[-1][0] if stack else outer)
    return out


def iter_segments(steps: tuple[Step, ...]) -> Iterator[Segment]:
    """Yield the segments of `steps` in play order.

    A section heading has no segment: the segments after it, up to the next heading
    in the same list or that list's end, carry it in `section`.
    """
    counter = iter(range(1 << 62))

    def walk(
        steps: tuple[Step, ...], rnd: int | None, rounds: int | None, section: Section | None,
    ) -> Iterator[Segment]:
        for step, heading in zip(steps, headings(steps, section)):
            section = heading
            if isinstance(step, Section):
                continue
            if isinstance(step, Exercise):
                yield from _exercise_segments(step, next(counter), rnd, rounds, section)
            elif isinstance(step, RestStep):
                yield Segment(
                    "rest", step.name, step.rest, round=rnd, rounds=rounds,
                    occurrence=next(counter), step=step, cue_settings=step.cue_settings, section=section,
                )
            else:
                for r in range(1, step.repeat + 1):
                    yield from walk(step.steps, r, step.repeat, section)
                    if r < step.repeat and step.rest > 0:
                        yield Segment(
                            "rest", step.name or "Rest", step.rest, round=r, rounds=step.repeat,
                            occurrence=next(counter), cue_settings=step.cue_settings, section=section,
                        )

    return walk(steps, None, None, None)


def _exercise_size(ex: Exercise) -> tuple[int, float]:
    """Segment count and seconds of one exercise, without building it."""
    sides = max(1, len(ex.sides))
    count = 1 if ex.prepare > 0 else 0
    seconds = ex.prepare
    if ex.alternate:
        if ex.hold is not None:
            holds = (ex.reps or 1) * sides
            relaxes = (holds - 1) if ex.relax > 0 else 0
            per_set, per_set_s = holds + relaxes, holds * ex.hold + relaxes * ex.relax
        else:
            per_set, per_set_s = 1, sides * (ex.reps or 0) * sum(ex.tempo or ())
        rests = (ex.sets - 1) if ex.rest > 0 else 0
        return count + ex.sets * per_set + rests, seconds + ex.sets * per_set_s + rests * ex.rest
    if ex.duration is not None:
        per_side, per_side_s = 1, ex.duration
    elif ex.hold is not None:
        reps = ex.reps or 1
        relaxes = (reps - 1) if ex.relax > 0 else 0
        per_side, per_side_s = reps + relaxes, reps * ex.hold + relaxes * ex.relax
    elif ex.tempo is not None:
        per_side, per_side_s = 1, (ex.reps or 0) * sum(ex.tempo)
    else:
        per_side, per_side_s = 1, 0.0
    switches = (sides - 1) if ex.switch > 0 else 0
    per_set = sides * per_side + switches
    per_set_s = sides * per_side_s + switches * ex.switch
    rests = (ex.sets - 1) if ex.rest > 0 else 0
    count += ex.sets * per_set + rests
    seconds += ex.sets * per_set_s + rests * ex.rest
    return count, seconds


def measure(steps: tuple[Step, ...], _seen: dict[int, tuple[int, float]] | None = None) -> tuple[int, float]:
    """Segment count and total seconds of `steps`, computed without building the timeline.

    Lets the loader reject a routine of a billion segments before compiling it. A
    step list that appears in several places (a file included again and again) is
    measured once, so the work follows the steps written, not the segments.
    """
    seen: dict[int, tuple[int, float]] = {} if _seen is None else _seen
    count, seconds = 0, 0.0
    for step in steps:
        if isinstance(step, Exercise):
            c, s = _exercise_size(step)
        elif isinstance(step, RestStep):
            c, s = 1, step.rest
        elif isinstance(step, Section):
            c, s = 0, 0.0
        else:
            inner = seen.get(id(step.steps))  # alive as long as `steps` is: ids stay unique
            if inner is None:
                inner = seen[id(step.steps)] = measure(step.steps, seen)
            inner_c, inner_s = inner
            gaps = (step.repeat - 1) if step.rest > 0 else 0
            c = step.repeat * inner_c + gaps
            s = step.repeat * inner_s + gaps * step.rest
        count += c
        seconds += s
    return count, seconds


def compile_timeline(routine: Routine) -> Timeline:
    """The routine's timeline. The loader has already checked it is within the limits."""
    return Timeline(tuple(iter_segments(routine.steps)))
