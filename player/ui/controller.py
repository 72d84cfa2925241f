"""One routine being played in the UI: the engine session, its cues and its history record.

The Textual app owns one PlayController per routine and calls `tick()` from a
single timer set for `wake_at()`. The controller reads the injected clock, feeds
the engine, plays the cues and writes the history; it imports no Textual, so
its behaviour is testable with a fake clock alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from player.engine import IllegalMove, Session, Snapshot, State
from player.events import CueFired, EasingAsked, Escalated, Event
from player.timeline import compile_timeline
from player.ui.view import PlayerView, next_change, player_view

if TYPE_CHECKING:
    from player.audio import CuePlayer
    from player.history import SessionRecorder
    from player.model import Routine
    from player.timeline import Segment

EXTEND_STEP = 10.0  # routine seconds added or taken by + and -
# A cue that waited for the audio device longer than this is dropped, not played late.
LATE_CUE = 1.0
# Display-only wake-ups are capped at this rate (at --speed 1000 a second lasts 1 ms).
MIN_DISPLAY_INTERVAL = 1 / 30


@dataclass(frozen=True)
class Outcome:
    """How a played routine ended, for the summary screen."""

    completed: bool
    stopped_at: str | None       # the exercise (or rest) it was stopped in
    played_seconds: float        # real seconds
    routine_seconds: float       # the same in routine seconds
    segments_done: int
    segments_skipped: int
    speed: float


class PlayController:
    """The session, the cue player and the recorder of one routine, driven by `clock`."""

    EXTEND_STEP = EXTEND_STEP

    def __init__(
        self,
        routine: Routine,
        *,
        speed: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        cues: CuePlayer | None = None,
        recorder: SessionRecorder | None = None,
    ) -> None:
        self.routine = routine
        self.timeline = compile_timeline(routine)
        self.session = Session(self.timeline, speed)
        self.clock = clock
        self.cues = cues
        if cues is not None:
            cues.prepare(routine)
        self.recorder = recorder
        self.log: list[Event] = []      # every event, in order
        self.played: list[str] = []     # what the cue player started, in order
        self.warnings: list[str] = []   # one-line notices for the screen
        self._escalated: set[int] = set()
        self._waiting_cues: list[tuple[float, Event]] = []

    # ----- reading -----

    @property
    def state(self) -> State:
        """The engine's state."""
        return self.session.state

    @property
    def over(self) -> bool:
        """The routine finished or was stopped."""
        return self.session.state in (State.FINISHED, State.STOPPED)

    @property
    def current_segment(self) -> "Segment | None":
        """The segment playing (or paused, or asking) now, if any."""
        i = self.session.index
        segments = self.session.segments
        return segments[i] if i is not None and i < len(segments) else None

    @property
    def running(self) -> bool:
        """The clock is running (not paused, not waiting for an answer, not over)."""
        return self.session.state is State.RUNNING

    @property
    def mid_routine(self) -> bool:
        """Started and not over: quitting now loses the rest."""
        return self.session.state in (State.RUNNING, State.PAUSED, State.ASKING)

    def snapshot(self) -> Snapshot:
        """The engine's state now."""
        return self.session.snapshot(self.clock())

    def view(self) -> PlayerView:
        """What the player screen shows now."""
        snap = self.snapshot()
        seg = snap.segment
        escalated = seg is not None and seg.occurrence in self._escalated
        return player_view(snap, self.routine.name, escalated)

    def wake_at(self) -> float | None:
        """The clock time of the next engine deadline or clock change, whichever is first."""
        now = self.clock()
        snap = self.session.snapshot(now)
        deadline = self.session.next_deadline()
        change = next_change(snap, now)
        if change is not None:
            change = max(change, now + MIN_DISPLAY_INTERVAL)
        times = [t for t in (deadline, change) if t is not None]
        return min(times) if times else None

    def outcome(self) -> Outcome:
        """How the routine went so far."""
        progress = self.session.progress(self.clock())
        seg = progress.stopped_segment
        return Outcome(
            completed=progress.completed,
            stopped_at=seg.name if (seg is not None and not progress.completed) else None,
            played_seconds=progress.played_seconds,
            routine_seconds=progress.routine_seconds,
            segments_done=progress.segments_done,
            segments_skipped=progress.segments_skipped,
            speed=self.session.speed,
        )

    # ----- time passing and controls -----

    def start(self) -> list[Event]:
        """Start the first segment now."""
        now = self.clock()
        return self._handle(self.session.start(now), now)

    def tick(self) -> list[Event]:
        """Catch the engine up with the clock."""
        now = self.clock()
        return self._handle(self.session.advance(now), now)

    def toggle_pause(self) -> list[Event] | None:
        """Pause a running routine, or resume a paused one."""
        if self.session.state is State.PAUSED:
            return self._move(lambda now: self.session.resume(now))
        return self._move(lambda now: self.session.pause(now))

    def pause(self) -> list[Event] | None:
        """Pause if running (before a screen covers the player); else nothing."""
        if self.session.state is not State.RUNNING:
            return None
        return self._move(lambda now: self.session.pause(now))

    def skip(self) -> list[Event] | None:
        """On to the next segment."""
        return self._move(lambda now: self.session.skip(now))

    def back(self) -> list[Event] | None:
        """Restart the segment, or go back one when just begun."""
        return self._move(lambda now: self.session.back(now))

    def skip_exercise(self) -> list[Event] | None:
        """On to the next exercise."""
        return self._move(lambda now: self.session.skip_exercise(now))

    def extend(self, seconds: float = EXTEND_STEP) -> list[Event] | None:
        """Lengthen (negative: shorten) the current timed segment."""
        return self._move(lambda now: self.session.extend(seconds, now))

    def done(self) -> list[Event] | None:
        """End a segment of reps at your own pace."""
        return self._move(lambda now: self.session.done(now))

    def answer_easing(self, yes: bool) -> list[Event] | None:
        """Answer "Is it easing?"."""
        return self._move(lambda now: self.session.answer_easing(yes, now))

    def stop(self) -> list[Event] | None:
        """Stop here, unless already over."""
        if self.over:
            return None
        return self._move(lambda now: self.session.stop(now))

    def _move(self, move: Callable[[float], list[Event]]) -> list[Event] | None:
        """Make a move now; None when it does not apply in this state (the key is ignored)."""
        now = self.clock()
        try:
            events = move(now)
        except IllegalMove:
            return None
        return self._handle(events, now)

    def replace(self, session: Session, routine: Routine, events: list[Event]) -> list[Event]:
        """--watch: carry on in a reloaded routine, whose session already started in place."""
        self.routine = routine
        self.timeline = compile_timeline(routine)
        self.session = session
        self._escalated.clear()
        self._waiting_cues = []
        if self.cues is not None:
            self.cues.prepare(routine)
        return self._handle(events, self.clock())

    # ----- audio -----

    def attach_cues(self, cues: CuePlayer, *, prepared: bool = False) -> None:
        """Use `cues` from now on; cues that waited less than LATE_CUE for it play now."""
        self.cues = cues
        if not prepared:
            cues.prepare(self.routine)
        now = self.clock()
        waiting, self._waiting_cues = self._waiting_cues, []
        for at, event in waiting:
            if now - at <= LATE_CUE:
                self._play(event)

    def _play(self, event: Event) -> None:
        assert self.cues is not None
        try:
            name = self.cues.handle(event)
        except OSError as exc:  # a device that went away must not stop the routine
            self.warnings.append(f"sound stopped working: {exc}")
            return
        if name is not None:
            self.played.append(name)

    def _handle(self, events: list[Event], now: float) -> list[Event]:
        for event in events:
            self.log.append(event)
            if isinstance(event, Escalated):
                self._escalated.add(event.segment.occurrence)
            if isinstance(event, (CueFired, EasingAsked)):
                if self.cues is not None:
                    self._play(event)
                else:
                    self._waiting_cues.append((now, event))
        return events

    # ----- history -----

    def record(self) -> str | None:
        """Write the history record once (stopping first if still playing); a warning to show, or None."""
        if self.recorder is None or self.recorder.finished:
            return None
        self.stop()
        return self.recorder.finish_from(self.session.progress(self.clock()))
