"""The timer engine: plays a timeline exactly, with time passed in as `now`.

Pure: it never reads a clock, sleeps or does I/O. An adapter (the plain player,
the Textual app) reads `time.monotonic()`, sleeps until `next_deadline()` and
calls `advance(now)`; user controls take `now` as well.

Times are in two units. Real seconds (`now`, `at`, deadlines) are the adapter's
clock. Routine seconds are what a routine file says; at `speed` X one routine
second lasts 1/X real seconds. Every deadline is computed from the current
segment's start plus the time paused in it, never by adding up ticks, and a
segment that ends on time starts the next one at its scheduled end, not at the
moment `advance` happened to be called, so no error accumulates.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from enum import Enum
from typing import Callable

from player.events import (
    CueFired,
    EasingAnswered,
    EasingAsked,
    Escalated,
    Event,
    Extended,
    Paused,
    Resumed,
    RoutineFinished,
    SegmentFinished,
    SegmentStarted,
    Stopped,
)
from player.model import Exercise
from player.timeline import Segment, Timeline

BACK_RESTART_AFTER = 2.0  # routine seconds into a segment after which `back` restarts it
MIN_LEFT_AFTER_EXTEND = 1.0  # `extend` never leaves less than this (routine seconds)
HALFWAY_MIN_SECONDS = 10.0
_EPS = 1e-9  # float slack when comparing offsets computed two ways

_OPENING_CUE = {
    "work": "start", "manual": "start",
    "relax": "rest", "rest": "rest", "prepare": "rest",
    "switch": "switch",
}
# Order of cues that fall at the same instant.
_CUE_PRIORITY = {"start": 0, "rest": 0, "switch": 0, "rep": 1, "phase": 1, "halfway": 2, "countdown": 3}


class State(str, Enum):
    """Where a session is."""

    IDLE = "idle"            # built, not started
    RUNNING = "running"      # a segment is playing
    PAUSED = "paused"        # the clock of the current segment is held
    ASKING = "asking"        # an until_eased hold ended; waiting for "Is it easing?"
    FINISHED = "finished"    # the routine reached its end
    STOPPED = "stopped"      # the user stopped it


class Move(str, Enum):
    """What the user (or the adapter) asks the session to do."""

    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    SKIP_EXERCISE = "skip_exercise"
    BACK = "back"
    EXTEND = "extend"
    DONE = "done"
    ANSWER_EASING = "answer_easing"
    STOP = "stop"


S, M = State, Move
# The legal moves from each state and the state they lead to. Running out of
# segments overrides the target with FINISHED. Anything not listed is illegal.
TRANSITIONS: dict[State, dict[Move, State]] = {
    S.IDLE: {M.START: S.RUNNING, M.STOP: S.STOPPED},
    S.RUNNING: {
        M.PAUSE: S.PAUSED, M.SKIP: S.RUNNING, M.SKIP_EXERCISE: S.RUNNING, M.BACK: S.RUNNING,
        M.EXTEND: S.RUNNING, M.DONE: S.RUNNING, M.STOP: S.STOPPED,
    },
    # Moving while paused keeps the pause: the new segment waits for `resume`.
    S.PAUSED: {
        M.RESUME: S.RUNNING, M.SKIP: S.PAUSED, M.SKIP_EXERCISE: S.PAUSED, M.BACK: S.PAUSED,
        M.EXTEND: S.PAUSED, M.DONE: S.PAUSED, M.STOP: S.STOPPED,
    },
    S.ASKING: {
        M.ANSWER_EASING: S.RUNNING, M.SKIP: S.RUNNING, M.SKIP_EXERCISE: S.RUNNING,
        M.BACK: S.RUNNING, M.STOP: S.STOPPED,
    },
    S.FINISHED: {},
    S.STOPPED: {},
}
del S, M


class IllegalMove(Exception):
    """A move the session cannot make now; the session is left as it was."""

    def __init__(self, state: State, move: Move, reason: str | None = None) -> None:
        self.state = state
        self.move = move
        self.reason = reason
        super().__init__(reason or f"cannot {move.value} while {state.value}")


@dataclass(frozen=True, slots=True)
class _Slot:
    """A segment in play order; `attempt` > 1 marks a hold played again because it had not eased."""

    segment: Segment
    attempt: int = 1


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a display needs at one instant. Seconds are routine seconds."""

    state: State
    index: int | None            # current segment, None before start
    count: int                   # segments in play order (grows when a hold is played again)
    segment: Segment | None
    attempt: int                 # 1, or 2+ for a hold played again after "not easing yet"
    seconds: float | None        # the segment's length including extensions; None for manual
    elapsed: float               # into the segment, pauses excluded
    remaining: float | None      # None for manual
    manual_elapsed: float | None  # elapsed, for a manual segment only
    routine_elapsed: float       # time the segments ran so far
    routine_remaining: float     # timed seconds left: this segment's remaining plus every later one
    untimed_left: int            # manual segments from here on, this one included
    next_segment: Segment | None
    paused: bool
    asking_easing: bool
    escalate_message: str | None  # set once Escalated fired for the current exercise
    speed: float


@dataclass(frozen=True, slots=True)
class Progress:
    """What the session history records."""

    played_seconds: float        # real seconds segments ran (pauses and easing questions excluded)
    routine_seconds: float       # the same in routine seconds (played_seconds x speed)
    segments_done: int           # distinct segments played to their end (or `done`)
    segments_skipped: int        # distinct segments cut short or jumped over and never completed
    completed: bool              # reached the end of the routine
    stopped_at: int | None       # index of the segment where it was stopped
    stopped_segment: Segment | None
    skipped_indices: tuple[int, ...] = ()    # segments jumped over and never played (play order)
    shortened_indices: tuple[int, ...] = ()  # segments cut short and never completed


class Session:
    """One play of a timeline."""

    def __init__(self, timeline: Timeline, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed!r}")
        self.speed = float(speed)
        self._slots = [_Slot(s) for s in timeline.segments]
        self._state = State.IDLE
        self._now = float("-inf")
        self._last_at = float("-inf")
        self._pending: list[Event] = []
        # The current segment's run.
        self._index: int | None = None
        self._seg_start = 0.0
        self._paused_total = 0.0
        self._paused_since: float | None = None
        self._pause_began = 0.0  # when the user paused; a pause can span segments (skip while paused)
        self._length: float | None = None
        self._schedule: list[tuple[float, int, str, int | None]] = []
        self._sched_pos = 0
        self._fired: set[tuple[str, int | None]] = set()
        # Played time as closed runs [start, end) plus maybe one open run.
        self._run_starts: list[float] = []
        self._run_ends: list[float] = []
        self._run_cum: list[float] = []
        # until_eased bookkeeping, per step occurrence.
        self._occ_began: dict[int, float] = {}
        self._eased: set[int] = set()
        self._escalated: dict[int, str | None] = {}
        self._esc_deadline: float | None = None
        # History.
        self._done: set[int] = set()
        self._skipped: set[int] = set()
        self._cut_short: set[int] = set()  # the part of _skipped that had started
        self._stopped_at: int | None = None
        self._suffix: list[float] | None = None

    # ----- reading -----

    @property
    def state(self) -> State:
        """The session's state."""
        return self._state

    @property
    def index(self) -> int | None:
        """The current segment's index in play order."""
        return self._index

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The segments in play order, including holds inserted while playing."""
        return tuple(slot.segment for slot in self._slots)

    def attempt(self, index: int) -> int:
        """1 for a segment of the timeline; 2+ for a hold played again because it had not eased."""
        return self._slots[index].attempt

    def next_deadline(self) -> float | None:
        """The real time of the next scheduled event, or None when nothing is scheduled."""
        item = self._next_item()
        return None if item is None else item[0]

    def played_at(self, t: float) -> float:
        """Real seconds the segments had run by time `t` (pauses and easing questions excluded)."""
        k = bisect.bisect_right(self._run_ends, t)
        total = self._run_cum[k - 1] if k else 0.0
        if k < len(self._run_starts) and self._run_starts[k] < t:
            total += t - self._run_starts[k]
        return total

    def routine_elapsed_at(self, t: float) -> float:
        """Routine seconds played by time `t`; for labelling events with when they happened."""
        return self.played_at(t) * self.speed

    def snapshot(self, now: float) -> Snapshot:
        """The state at `now` for a display. Call `advance(now)` first so it is current."""
        now = max(now, self._now)
        i = self._index
        slot = self._slots[i] if i is not None and i < len(self._slots) else None
        seg = slot.segment if slot else None
        asking = self._state is State.ASKING
        if seg is None:
            elapsed = 0.0
        elif asking:
            elapsed = self._length or 0.0
        else:
            elapsed = self._pos(now)
        remaining = None
        if seg is not None and self._length is not None:
            remaining = max(0.0, self._length - elapsed)
        if self._state in (State.FINISHED, State.STOPPED):
            remaining = 0.0 if remaining is not None else None
        later = self._suffix_seconds(i + 1) if i is not None else self._suffix_seconds(0)
        untimed = 0
        if i is None:
            untimed = sum(1 for s in self._slots if s.segment.seconds is None)
        elif self._state not in (State.FINISHED, State.STOPPED):
            start = i if (seg is not None and seg.seconds is None and not asking) else i + 1
            untimed = sum(1 for s in self._slots[start:] if s.segment.seconds is None)
        if self._state in (State.FINISHED, State.STOPPED):
            later = 0.0
        occ = seg.occurrence if seg is not None else None
        nxt_i = 0 if i is None else i + 1
        return Snapshot(
            state=self._state,
            index=i,
            count=len(self._slots),
            segment=seg,
            attempt=slot.attempt if slot else 1,
            seconds=self._length if seg is not None else None,
            elapsed=elapsed,
            remaining=remaining,
            manual_elapsed=elapsed if seg is not None and seg.seconds is None else None,
            routine_elapsed=self.routine_elapsed_at(now),
            routine_remaining=(remaining or 0.0) + later,
            untimed_left=untimed,
            next_segment=self._slots[nxt_i].segment if nxt_i < len(self._slots) else None,
            paused=self._state is State.PAUSED,
            asking_easing=asking,
            escalate_message=self._escalated.get(occ) if occ in self._escalated else None,
            speed=self.speed,
        )

    def progress(self, now: float) -> Progress:
        """What the history records about this session so far."""
        now = max(now, self._now)
        i = self._stopped_at
        played = self.played_at(now)
        return Progress(
            played_seconds=played,
            routine_seconds=played * self.speed,
            segments_done=len(self._done),
            segments_skipped=len(self._skipped - self._done),
            completed=self._state is State.FINISHED,
            stopped_at=i,
            stopped_segment=self._slots[i].segment if i is not None and i < len(self._slots) else None,
            skipped_indices=tuple(sorted(self._skipped - self._done - self._cut_short)),
            shortened_indices=tuple(sorted((self._skipped & self._cut_short) - self._done)),
        )

    # ----- time passing -----

    def start(self, now: float, at: int = 0) -> list[Event]:
        """Start segment `at` (default the first) at `now`; `--watch` carries on mid-routine this way."""
        if not 0 <= at < max(1, len(self._slots)):
            raise ValueError(f"no segment {at} in a timeline of {len(self._slots)}")
        out, _ = self._begin(Move.START, now)
        now = self._now
        self._enter(at, now, out)
        self._run_until(now, out)
        return out

    def advance(self, now: float) -> list[Event]:
        """Everything that happened up to `now`, in time order, each stamped with its exact time."""
        now = self._tick(now)
        out, self._pending = self._pending, []
        self._run_until(now, out)
        return out

    # ----- controls -----

    def pause(self, now: float) -> list[Event]:
        """Hold the clock."""
        out, _ = self._begin(Move.PAUSE, now)
        now = self._now
        assert self._index is not None
        self._paused_since = now
        self._pause_began = now
        self._close_run(now)
        out.append(Paused(self._index, self._stamp(now)))
        return out

    def resume(self, now: float) -> list[Event]:
        """Let the clock run again; the pause does not count."""
        out, _ = self._begin(Move.RESUME, now)
        now = self._now
        assert self._index is not None and self._paused_since is not None
        self._paused_total += now - self._paused_since
        self._paused_since = None
        self._open_run(now)
        out.append(Resumed(self._index, self._stamp(now), now - self._pause_began))
        self._run_until(now, out)
        return out

    def skip(self, now: float) -> list[Event]:
        """Move on to the next segment (from an easing question: move on without answering)."""
        out, was = self._begin(Move.SKIP, now)
        now = self._now
        i = self._current()
        if was is not State.ASKING:
            self._cut(now, out)
        self._enter(i + 1, now, out)
        self._run_until(now, out)
        return out

    def skip_exercise(self, now: float) -> list[Event]:
        """Jump to the first segment of the next step occurrence."""
        out, was = self._begin(Move.SKIP_EXERCISE, now)
        now = self._now
        i = self._current()
        occ = self._slots[i].segment.occurrence
        j = i + 1
        while j < len(self._slots) and self._slots[j].segment.occurrence == occ:
            j += 1
        if was is not State.ASKING:
            self._cut(now, out)
        for k in range(i + 1, j):
            if k not in self._done:
                self._skipped.add(k)
        self._enter(j, now, out)
        self._run_until(now, out)
        return out

    def back(self, now: float) -> list[Event]:
        """Restart the segment if more than 2 s into it, else go to the previous one."""
        out, was = self._begin(Move.BACK, now)
        now = self._now
        into = self._pos(now) if was is not State.ASKING else 0.0
        i = self._current()
        if was is State.ASKING:
            target = i  # the hold just ended: play it again
        else:
            target = i if into > BACK_RESTART_AFTER else max(0, i - 1)
            self._cut(now, out)
        self._enter(target, now, out)
        self._run_until(now, out)
        return out

    def extend(self, seconds: float, now: float) -> list[Event]:
        """Lengthen (or with a negative value shorten) the current timed segment; never below 1 s left."""
        out, _ = self._begin(Move.EXTEND, now, extend=True)
        now = self._now
        i = self._current()
        assert self._length is not None
        pos = self._pos(now)
        old = self._length
        new = max(old + seconds, min(old, pos + MIN_LEFT_AFTER_EXTEND))
        self._length = new
        self._schedule = [
            c for c in self._cue_schedule(self._slots[i].segment, new)
            if (c[2], c[3]) not in self._fired and c[0] >= pos - _EPS
        ]
        self._sched_pos = 0
        self._suffix = None
        out.append(Extended(i, self._stamp(now), new - old, max(0.0, new - pos)))
        self._run_until(now, out)
        return out

    def done(self, now: float) -> list[Event]:
        """End the current manual segment (reps at the user's own pace)."""
        out, _ = self._begin(Move.DONE, now, done=True)
        now = self._now
        i = self._current()
        out.append(SegmentFinished(i, self._slots[i].segment, self._stamp(now)))
        self._close_run(now)
        self._mark_done(i)
        self._enter(i + 1, now, out)
        self._run_until(now, out)
        return out

    def answer_easing(self, yes: bool, now: float) -> list[Event]:
        """Answer "Is it easing?": yes moves on; no plays the hold again after the exercise's relax."""
        out, _ = self._begin(Move.ANSWER_EASING, now)
        now = self._now
        i = self._current()
        slot = self._slots[i]
        out.append(EasingAnswered(i, self._stamp(now), yes))
        if yes:
            self._eased.add(slot.segment.occurrence)
        else:
            step = slot.segment.step
            relax = step.relax if isinstance(step, Exercise) else 0.0
            again = [_Slot(slot.segment, slot.attempt + 1)]
            if relax > 0:
                again.insert(0, _Slot(replace(slot.segment, kind="relax", seconds=relax), slot.attempt))
            self._slots[i + 1:i + 1] = again
            self._suffix = None
        self._enter(i + 1, now, out)
        self._run_until(now, out)
        return out

    def stop(self, now: float) -> list[Event]:
        """End the session here."""
        out, was = self._begin(Move.STOP, now)
        now = self._now
        i = self._index
        if was in (State.RUNNING, State.PAUSED):
            self._cut(now, out)
        self._stopped_at = i
        self._esc_deadline = None
        seg = self._slots[i].segment if i is not None else None
        out.append(Stopped(i, seg, self._stamp(now), self.played_at(now)))
        return out

    # ----- internals -----

    def _tick(self, now: float) -> float:
        # A clock that steps back must not make events run backwards.
        now = max(float(now), self._now)
        self._now = now
        return now

    def _stamp(self, t: float) -> float:
        t = max(t, self._last_at)
        self._last_at = t
        return t

    def _begin(
        self, move: Move, now: float, *, extend: bool = False, done: bool = False
    ) -> tuple[list[Event], State]:
        """Catch up to `now`, check the move is legal, switch to its target state.

        Returns the events of the catch-up and the state the move was made from.
        """
        now = self._tick(now)
        out, self._pending = self._pending, []
        self._run_until(now, out)
        target = TRANSITIONS[self._state].get(move)
        reason = None
        if target is not None and (extend or done):
            manual = self._index is not None and self._length is None
            if extend and manual:
                reason = "cannot extend a segment that has no length"
            if done and not manual:
                reason = "done only ends a segment of reps at your own pace"
        if target is None or reason is not None:
            # Keep what time passing produced for the next call.
            self._pending = out
            raise IllegalMove(self._state, move, reason)
        was, self._state = self._state, target
        return out, was

    def _current(self) -> int:
        assert self._index is not None
        return self._index

    def _pos(self, now: float) -> float:
        """Routine seconds into the current segment at `now`, pauses excluded."""
        if self._index is None:
            return 0.0
        ref = self._paused_since if self._paused_since is not None else now
        return max(0.0, (ref - self._seg_start - self._paused_total) * self.speed)

    def _deadline(self, offset: float) -> float:
        return self._seg_start + self._paused_total + offset / self.speed

    def _open_run(self, t: float) -> None:
        if len(self._run_starts) == len(self._run_ends):
            self._run_starts.append(t)

    def _close_run(self, t: float) -> None:
        if len(self._run_starts) > len(self._run_ends):
            start = self._run_starts[-1]
            self._run_ends.append(t)
            prev = self._run_cum[-1] if self._run_cum else 0.0
            self._run_cum.append(prev + (t - start))

    def _mark_done(self, i: int) -> None:
        self._done.add(i)
        self._skipped.discard(i)

    def _cut(self, now: float, out: list[Event]) -> None:
        """The current segment ends early (skip, back, stop)."""
        i = self._current()
        out.append(SegmentFinished(i, self._slots[i].segment, self._stamp(now), skipped=True))
        self._close_run(now)
        if i not in self._done:
            self._skipped.add(i)
            self._cut_short.add(i)

    @staticmethod
    def _cue_schedule(seg: Segment, length: float | None) -> list[tuple[float, int, str, int | None]]:
        """Every cue of one segment run as (offset, priority, cue, count), in order."""
        opening = _OPENING_CUE[seg.kind]
        items: list[tuple[float, int, str, int | None]] = [(0.0, _CUE_PRIORITY[opening], opening, None)]
        if length is None:
            return items
        tempo = seg.tempo
        if tempo:
            period = sum(tempo)
            # Where each phase after the first begins inside a rep; a phase of 0 s begins
            # with the next one, and a boundary at the rep's start or end is the rep cue's.
            starts: dict[float, int] = {}
            offset = 0.0
            for k, phase in enumerate(tempo[:-1], start=2):
                offset += phase
                if _EPS < offset < period - _EPS:
                    starts[offset] = k
            n = len(tempo)
            j = 0
            while j * period < length - _EPS:
                if j:
                    items.append((j * period, _CUE_PRIORITY["rep"], "rep", j + 1))
                for at, k in starts.items():
                    if j * period + at < length - _EPS:
                        # count: the phase's number over the whole segment (rep j + 1, phase k)
                        items.append((j * period + at, _CUE_PRIORITY["phase"], "phase", j * n + k))
                j += 1
        if seg.kind == "work" and seg.cue_settings.halfway and length >= HALFWAY_MIN_SECONDS:
            items.append((length / 2, _CUE_PRIORITY["halfway"], "halfway", None))
        for k in range(seg.cue_settings.countdown, 0, -1):
            if length - k >= 0:
                items.append((length - k, _CUE_PRIORITY["countdown"], "countdown", k))
        items.sort(key=lambda c: (c[0], c[1], -(c[3] or 0)))
        return items

    def _enter(self, j: int, t: float, out: list[Event]) -> None:
        """Start segment `j` at `t` (or finish the routine when there is none)."""
        if j >= len(self._slots):
            self._finish(t, out)
            return
        seg = self._slots[j].segment
        self._index = j
        self._seg_start = t
        self._paused_total = 0.0
        if self._state is State.PAUSED:
            self._paused_since = t
        else:
            self._paused_since = None
            self._state = State.RUNNING
            self._open_run(t)
        self._length = seg.seconds
        self._schedule = self._cue_schedule(seg, self._length)
        self._sched_pos = 0
        self._fired = set()
        self._update_escalation(seg, t)
        out.append(SegmentStarted(j, seg, self._stamp(t)))

    def _update_escalation(self, seg: Segment, t: float) -> None:
        step = seg.step
        occ = seg.occurrence
        if not (isinstance(step, Exercise) and step.until_eased):
            self._esc_deadline = None
            return
        began = self._occ_began.setdefault(occ, t)
        if occ in self._eased or occ in self._escalated:
            self._esc_deadline = None
        else:
            self._esc_deadline = max(t, began + step.escalate_after / self.speed)

    def _finish(self, t: float, out: list[Event]) -> None:
        self._state = State.FINISHED
        self._paused_since = None
        self._esc_deadline = None
        last = len(self._slots) - 1
        self._index = max(0, last) if self._slots else None
        at = self._stamp(t)
        out.append(CueFired("finish", max(0, last), at))
        out.append(RoutineFinished(at, self.played_at(t)))

    def _next_item(self) -> tuple[float, int, Callable[[float, list[Event]], None]] | None:
        """The earliest scheduled thing: a cue, the segment's end, or the escalation."""
        best: tuple[float, int, Callable[[float, list[Event]], None]] | None = None
        if self._state is State.RUNNING:
            if self._sched_pos < len(self._schedule):
                best = (self._deadline(self._schedule[self._sched_pos][0]), 0, self._fire_cue)
            if self._length is not None:
                end = (self._deadline(self._length), 1, self._end_segment)
                if best is None or end[:2] < best[:2]:
                    best = end
        if self._esc_deadline is not None and self._state in (State.RUNNING, State.PAUSED, State.ASKING):
            esc = (self._esc_deadline, 2, self._escalate)
            if best is None or esc[:2] < best[:2]:
                best = esc
        return best

    def _run_until(self, now: float, out: list[Event]) -> None:
        while True:
            item = self._next_item()
            if item is None or item[0] > now:
                return
            item[2](item[0], out)

    def _fire_cue(self, t: float, out: list[Event]) -> None:
        _, _, cue, count = self._schedule[self._sched_pos]
        self._sched_pos += 1
        if (cue, count) in self._fired:
            return
        self._fired.add((cue, count))
        i = self._current()
        out.append(CueFired(cue, i, self._stamp(t), self._slots[i].segment, count))

    def _end_segment(self, t: float, out: list[Event]) -> None:
        i = self._current()
        slot = self._slots[i]
        out.append(SegmentFinished(i, slot.segment, self._stamp(t)))
        self._close_run(t)
        self._mark_done(i)
        if slot.segment.until_eased:
            self._state = State.ASKING
            out.append(EasingAsked(i, slot.segment, self._stamp(t), slot.attempt))
        else:
            self._enter(i + 1, t, out)

    def _escalate(self, t: float, out: list[Event]) -> None:
        i = self._current()
        seg = self._slots[i].segment
        step = seg.step
        message = step.escalate if isinstance(step, Exercise) else None
        self._escalated[seg.occurrence] = message
        self._esc_deadline = None
        out.append(Escalated(i, seg, self._stamp(t), message))

    def _suffix_seconds(self, start: int) -> float:
        """Timed seconds of the segments from `start` on (static lengths)."""
        if self._suffix is None:
            acc = [0.0] * (len(self._slots) + 1)
            for k in range(len(self._slots) - 1, -1, -1):
                sec = self._slots[k].segment.seconds
                acc[k] = acc[k + 1] + (sec or 0.0)
            self._suffix = acc
        start = min(max(start, 0), len(self._slots))
        return self._suffix[start]
