"""The plain-text player: `vmo play ROUTINE --plain`.

Runs the engine on an injected monotonic clock, sleeping (in a poll on stdin)
until the next deadline, and prints one line per segment and cue. On a terminal
it also keeps a live countdown on one line; otherwise it prints plain lines
with no escape sequences (screen readers, logs, pipes).
"""

from __future__ import annotations

import math
import os
import re
import selectors
import signal
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, Protocol, TextIO

from player.durations import format_clock, format_duration
from player.engine import IllegalMove, Session, State
from player.errors import EXIT_HANGUP, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT_CLOSED, EXIT_TERMINATED
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
    SegmentStarted,
    Stopped,
)
from player.model import Exercise, Routine
from player.pain import PAIN_QUESTION_AFTER, PAIN_QUESTION_BEFORE
from player.terminal import sanitize, silence_stream
from player.startup import first_frame_shown
from player.timeline import Segment

if TYPE_CHECKING:
    from player.audio import CuePlayer
    from player.watch import Reloader
    from player.history import SessionRecorder
    from player.timeline import Timeline

EXTEND_STEP = 10.0
LIVE_REFRESH = 0.1  # real seconds between redraws of the live line

CueSink = Callable[[Event], object]  # what it returns is ignored (CuePlayer.handle names the sound)

_SPACES = re.compile(r"[\t\n\r\v\f]+")


def clean(text: str) -> str:
    """Routine text made safe for one terminal line: no control or bidi-override characters."""
    return sanitize(_SPACES.sub(" ", text), one_line=True)


def describe(seg: Segment, attempt: int = 1) -> str:
    """`Quad set · left · set 1/2 · hold 3/5 · 10 s`: a segment in one line."""
    parts = [clean(seg.name)]
    if seg.side:
        parts.append(f"to {seg.side}" if seg.kind == "switch" else seg.side)
    if seg.sets and seg.sets > 1 and seg.set is not None:
        parts.append(f"after set {seg.set}/{seg.sets}" if seg.kind == "rest" else f"set {seg.set}/{seg.sets}")
    step = seg.step
    is_hold = isinstance(step, Exercise) and step.hold is not None
    if is_hold and seg.rep is not None and seg.reps and seg.reps > 1:
        if seg.kind == "work":
            parts.append(f"hold {seg.rep}/{seg.reps}")
        elif seg.kind == "relax":
            parts.append(f"after hold {seg.rep}/{seg.reps}")
    elif not is_hold and seg.kind in ("work", "manual") and seg.max_reps:
        parts.append("as many as you can")
    elif not is_hold and seg.kind in ("work", "manual") and seg.reps:
        parts.append(f"{seg.reps} rep{'s' * (seg.reps != 1)}" + (f" a side, taking turns, {seg.exercise.sides[0]} first" if seg.alternate and seg.exercise else ""))
    ex = seg.exercise
    if ex is not None and seg.kind in ("work", "manual"):
        parts.extend(clean(x) for x in ex.dose_extras)
    if seg.rounds and seg.round is not None:
        parts.append(f"round {seg.round}/{seg.rounds}")
    if attempt > 1 and seg.kind == "work":
        parts.append(f"again ({attempt})")
    if seg.until_eased:
        parts.append("until it eases")
    parts.append("own pace" if seg.seconds is None else format_duration(seg.seconds))
    return " · ".join(parts)


def exercise_notes(ex: Exercise) -> list[str]:
    """What the player shows when an exercise begins: instructions, cues, equipment, target, pictures, video.

    The load and the distance are part of each segment's line (`describe`).
    """
    lines = []
    if ex.instructions:
        lines.append(clean(ex.instructions))
    if ex.cues:
        lines.append("Cues: " + " · ".join(clean(c) for c in ex.cues))
    if ex.equipment:
        lines.append("Equipment: " + ", ".join(clean(e) for e in ex.equipment))
    if ex.target:
        lines.append(f"Target: {clean(ex.target)}")
    if ex.images:
        label = "Picture" if len(ex.images) == 1 else "Pictures"
        lines.append(f"{label}: " + ", ".join(clean(i) for i in ex.images))
    if ex.video:
        lines.append(f"Video: {clean(ex.video)}")
    return lines


class KeySource(Protocol):
    """Where user input comes from; `wait` blocks at most `timeout` seconds (None: no limit)."""

    def wait(self, timeout: float | None, want_line: bool) -> list[str]:
        """Input that arrived: key characters, or "line" / "eof" for line input."""
        ...


class TerminalKeys:
    """Single keys from a terminal in cbreak mode (no echo, no Enter needed, Ctrl-C still a signal)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        # select(2) takes microseconds; epoll rounds a timeout up to whole milliseconds.
        self._selector = selectors.SelectSelector()
        self._selector.register(fd, selectors.EVENT_READ)

    def wait(self, timeout: float | None, want_line: bool) -> list[str]:
        """Keys pressed within `timeout`."""
        if not self._selector.select(timeout):
            return []
        try:
            data = os.read(self.fd, 64)
        except OSError:
            return []
        text = data.decode("utf-8", "replace")
        if text.startswith("\x1b"):
            return []  # arrow keys and other escape sequences mean nothing here
        return list(text)

    def close(self) -> None:
        """Stop watching the terminal."""
        self._selector.close()


class LineInput:
    """Lines from a pipe or file; read only while a manual segment or a question waits for one."""

    def __init__(self, fd: int | None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.fd = fd
        self.eof = fd is None
        self._buffer = b""
        self.last_line = ""  # the text of the last line read (a reps: max count)
        self._sleep = sleep
        self._selector: selectors.BaseSelector | None = None
        if fd is not None:
            # select(2): microsecond timeouts, and it accepts regular files (always readable).
            self._selector = selectors.SelectSelector()
            self._selector.register(fd, selectors.EVENT_READ)

    def wait(self, timeout: float | None, want_line: bool) -> list[str]:
        """"line" or "eof" when one is wanted and arrives within `timeout`, else nothing."""
        if want_line and b"\n" in self._buffer:
            return [self._take_line()]
        if want_line and self.eof:
            return ["eof"]
        if not want_line or self._selector is None:
            if timeout is None:
                raise RuntimeError("waiting forever for nothing")
            self._sleep(timeout)
            return []
        if not self._selector.select(timeout):
            return []
        assert self.fd is not None
        try:
            data = os.read(self.fd, 4096)
        except OSError:
            data = b""
        if not data:
            self.eof = True
            self._selector.close()
            self._selector = None
            return ["eof"]
        self._buffer += data
        if b"\n" in self._buffer:
            return [self._take_line()]
        return []

    def _take_line(self) -> str:
        line, self._buffer = self._buffer.split(b"\n", 1)
        self.last_line = line.decode("utf-8", "replace")
        return "line"


class PlainPlayer:
    """Plays one session as lines of text."""

    def __init__(
        self,
        session: Session,
        out: TextIO,
        keys: KeySource,
        *,
        title: str = "",
        clock: Callable[[], float] = time.monotonic,
        live: bool = False,
        keys_are_terminal: bool = False,
        sink: CueSink | None = None,
        width: Callable[[], int] | None = None,
        warn: TextIO | None = None,
        reloader: "Reloader | None" = None,
    ) -> None:
        self.session = session
        self.out = out
        self.keys = keys
        self.title = clean(title)
        self.clock = clock
        self.live = live
        self.keys_are_terminal = keys_are_terminal
        self.sink = sink
        self.width = width or (lambda: 80)
        self.warn = warn if warn is not None else sys.stderr
        self.events: list[Event] = []
        self._status_shown = False
        self._told: set[int] = set()  # step occurrences whose instructions were printed
        self._section: object = None  # the section heading shown last
        self._count: str | None = None  # digits typed while asking how many (reps: max), else None
        self.counts: list[tuple[Segment, int]] = []  # reps: max answers, in order
        self.reloader = reloader  # --watch: reload the routine when its file is saved
        self._quit = False

    # ----- the loop -----

    def run(self) -> int:
        """Play to the end, or until q, Ctrl-C or SIGTERM; return the exit status."""
        try:
            self._handle(self.session.start(self.clock()))
            while not self._quit and (
                self.session.state not in (State.FINISHED, State.STOPPED)
                or (self.reloader is not None and self.session.state is State.FINISHED)
            ):
                self._step()
        except KeyboardInterrupt:
            return self._stop("interrupted", EXIT_INTERRUPTED)
        except _Terminated as signalled:
            return self._stop(signalled.why, signalled.status)
        except OutputClosed:
            return self._stop("the output was closed", EXIT_OUTPUT_CLOSED)
        finally:
            try:
                self._clear_status()
            except OutputClosed:
                pass
        return EXIT_OK  # finished, or stopped with q: the user's choice, not an error

    def _step(self) -> None:
        s = self.session
        now = self.clock()
        deadline = s.next_deadline()
        if deadline is not None and deadline <= now:
            self._handle(s.advance(now))
            return
        timeout = None if deadline is None else deadline - now
        if self.live:
            timeout = LIVE_REFRESH if timeout is None else min(timeout, LIVE_REFRESH)
        if self.reloader is not None:
            hint = self.reloader.wait_hint(now)
            timeout = hint if timeout is None else min(timeout, hint)
        snap = s.snapshot(now)
        want_line = s.state is State.ASKING or (s.state is State.RUNNING and snap.remaining is None)
        want_line = want_line or (self.reloader is not None and s.state is State.FINISHED)  # a line or EOF quits
        got = self.keys.wait(timeout, want_line)
        now = self.clock()
        events = s.advance(now)
        for key in got:
            if self.reloader is not None and s.state is State.FINISHED and key in ("q", "Q", "eof", "line"):
                self._quit = True
                break
            events += self._key(key, now)
            if s.state in (State.FINISHED, State.STOPPED):
                break
        self._handle(events)
        if self.reloader is not None and not self._quit and s.state is not State.STOPPED:
            self._reload(now)

    def _reload(self, now: float) -> None:
        """--watch: carry on in the saved version, or show its problems and keep the old one."""
        assert self.reloader is not None
        found = self.reloader.poll(self.session, now)
        if found is None:
            return
        name = clean(self.reloader.display)
        self._clear_status()
        if found.session is None:
            self._line(f"-- {name} has errors; still playing the version before:")
            for problem in found.problems:
                self._line(f"   {clean(str(problem))}")
            return
        finished_before = self.session.state is State.FINISHED
        self.session = found.session
        if found.routine is not None:
            self.title = clean(found.routine.name)
        where = "from the top of the last segment" if finished_before else "at the same place"
        self._line(f"-- {name} reloaded; carrying on {where}")
        self._handle(found.events)

    def _key(self, key: str, now: float) -> list[Event]:
        """What one key (or line of input) does at `now`; keys that make no sense now do nothing."""
        s = self.session
        asking = s.state is State.ASKING
        manual = s.state in (State.RUNNING, State.PAUSED) and s.snapshot(now).remaining is None
        try:
            if self._count is not None:
                return self._count_key(key, now)
            if key in ("line", "eof"):
                if asking:
                    return s.answer_easing(True, now)
                if manual:
                    if key == "line" and self._current_max_reps():
                        self._note_count(getattr(self.keys, "last_line", ""), now)
                    return s.done(now)
                return []
            if key in (" ", "p"):
                return s.resume(now) if s.state is State.PAUSED else s.pause(now)
            if key in ("y", "Y") and asking:
                return s.answer_easing(True, now)
            if key in ("n", "N"):
                return s.answer_easing(False, now) if asking else s.skip(now)
            if key == "b":
                return s.back(now)
            if key in ("+", "="):
                return s.extend(EXTEND_STEP, now)
            if key in ("-", "_"):
                return s.extend(-EXTEND_STEP, now)
            if key in ("\r", "\n", "d"):
                if manual and self._current_max_reps() and s.state is State.RUNNING:
                    return self._ask_count(now)
                return s.done(now)
            if key in ("q", "Q"):
                events = s.stop(now)
                self._handle(events)
                self._line(self._summary("Stopped"))
                return []
        except IllegalMove:
            pass
        return []

    # ----- reps: max: how many were done -----

    def _current_max_reps(self) -> bool:
        i = self.session.index
        return i is not None and i < len(self.session.segments) and self.session.segments[i].max_reps

    def _ask_count(self, now: float) -> list[Event]:
        """The user said done to a `reps: max` set: hold the clock and ask how many (Enter alone skips)."""
        events = self.session.pause(now)
        self._count = ""
        self._line("       How many did you do? Type the number, then Enter (Enter alone skips)")
        return [e for e in events if not isinstance(e, Paused)]

    def _count_key(self, key: str, now: float) -> list[Event]:
        assert self._count is not None
        if key.isdigit() and len(self._count) < 5:
            self._count += key
            return []
        if key in ("\x7f", "\b"):
            self._count = self._count[:-1]
            return []
        if key in ("\r", "\n", "line", "eof", "d"):
            text, self._count = self._count, None
            self._note_count(text, now)
            events = [e for e in self.session.resume(now) if not isinstance(e, Resumed)]
            return events + self.session.done(now)
        if key in ("q", "Q"):
            self._count = None
            events = self.session.stop(now)
            self._handle(events)
            self._line(self._summary("Stopped"))
        return []

    def _note_count(self, text: str, now: float) -> None:
        """Record a count typed as `text`; anything but a whole number skips the question."""
        text = text.strip()
        i = self.session.index
        if i is None:
            return
        seg = self.session.segments[i]
        at = self._clock_at(now)
        if text.isdigit() and len(text) <= 5:
            self.counts.append((seg, int(text)))
            self._line(f"{at}  {int(text)} done")
        else:
            self._line(f"{at}  how many: skipped")

    def _stop(self, why: str, status: int) -> int:
        now = self.clock()
        try:
            try:
                self._handle(self.session.stop(now))
            except IllegalMove:
                pass
            self._clear_status()
            self._line(self._summary(f"Stopped ({why})"))
        except OutputClosed:
            pass  # nowhere to say it; the session is stopped all the same and gets recorded
        return status

    # ----- output -----

    def _handle(self, events: list[Event]) -> None:
        for e in events:
            self.events.append(e)
            if self.sink is not None:
                try:
                    self.sink(e)
                except Exception as exc:  # sound must never stop the routine
                    self.sink = None
                    print(f"vmo: sound turned off: {exc}", file=self.warn)
            if isinstance(e, SegmentStarted):
                self._heading(e.segment)
            text = self._format(e)
            if text is not None:
                self._line(text)
            if isinstance(e, SegmentStarted):
                self._instructions(e.segment)
        if self.live:
            self._draw_status()

    def _clock_at(self, at: float) -> str:
        # A hair of slack so 59.9999999 prints as 01:00, never 00:59.
        return format_clock(self.session.routine_elapsed_at(at) + 1e-6)

    def _format(self, e: Event) -> str | None:
        s = self.session
        if isinstance(e, SegmentStarted):
            text = f"{self._clock_at(e.at)}  {e.segment.kind}  {describe(e.segment, s.attempt(e.index))}"
            if e.segment.kind == "manual" and self.keys_are_terminal:
                text += " · Enter when done"
            return text
        if isinstance(e, CueFired):
            if e.cue == "countdown":
                return f"{self._clock_at(e.at)}  {e.count}"
            if e.cue == "halfway":
                return f"{self._clock_at(e.at)}  halfway"
            if e.cue == "rep":
                reps = e.segment.reps if e.segment else None
                if e.segment is not None and e.segment.alternate and e.count is not None:
                    rep, side = e.segment.rep_of(e.count)
                    return f"{self._clock_at(e.at)}  rep {rep}" + (f"/{reps}" if reps else "") + f" · {side}"
                return f"{self._clock_at(e.at)}  rep {e.count}" + (f"/{reps}" if reps else "")
            if e.cue == "phase" and e.segment is not None and e.count is not None:
                name = e.segment.phase(e.count)[1]
                return f"{self._clock_at(e.at)}  {clean(name)}" if name else None  # 3-1-3: the sound alone
            return None  # start / rest / switch: the segment line says it; finish: RoutineFinished does
        if isinstance(e, Paused):
            return f"{self._clock_at(e.at)}  paused"
        if isinstance(e, Resumed):
            return f"{self._clock_at(e.at)}  resumed"
        if isinstance(e, Extended):
            sign = "+" if e.seconds >= 0 else "-"
            return f"{self._clock_at(e.at)}  {sign}{format_duration(abs(e.seconds))}, {format_duration(e.remaining)} left"
        if isinstance(e, EasingAsked):
            how = "y = yes, n = no" if self.keys_are_terminal else "a line of input, or end of input, answers yes"
            return f"{self._clock_at(e.at)}  Is it easing? ({how})"
        if isinstance(e, EasingAnswered):
            answer = "easing: moving on" if e.eased else "not easing yet: the stretch again"
            return f"{self._clock_at(e.at)}  {answer}"
        if isinstance(e, Escalated):
            message = clean(e.message) if e.message else _default_escalation(e.segment)
            return f"{self._clock_at(e.at)}  !! {message}"
        if isinstance(e, RoutineFinished):
            return f"{self._clock_at(e.at)}  finish  {self._summary('Complete')}"
        if isinstance(e, Stopped):
            return None  # the caller prints the summary
        return None

    def _heading(self, seg: Segment) -> None:
        """A section's heading (and description) when the first segment under it starts."""
        if seg.section is None or seg.section == self._section:
            self._section = seg.section
            return
        self._section = seg.section
        self._line(f"== {clean(seg.section.title)} ==")
        if seg.section.description:
            self._line(f"   {clean(seg.section.description)}")

    def _instructions(self, seg: Segment) -> None:
        step = seg.step
        if not isinstance(step, Exercise) or seg.occurrence in self._told:
            return
        self._told.add(seg.occurrence)
        if step.dose_note:
            self._line(f"       This session: {clean(step.dose_note)}")
        for line in exercise_notes(step):
            self._line(f"       {line}")

    def _summary(self, what: str) -> str:
        now = self.clock()
        s = self.session
        p = s.progress(now)
        head = f"{what}: {self.title}" if self.title else what
        played = f"played {format_clock(p.routine_seconds + 1e-6)}"
        if s.speed != 1:
            played += f" at speed {s.speed:g}"
        if p.completed:
            skipped = f", {p.segments_skipped} skipped" if p.segments_skipped else ""
            done = p.segments_done
            return f"{head} · {played} · {done} segment{'s' * (done != 1)} done{skipped}"
        if p.stopped_at is None or p.stopped_segment is None:
            return f"{head} · before it started"
        seg = p.stopped_segment
        where = f"{seg.kind} {describe(seg, s.attempt(p.stopped_at))}"
        return f"{head} at {where} (segment {p.stopped_at + 1} of {len(s.segments)}) · {played}"

    def _line(self, text: str) -> None:
        if self._status_shown:
            self.out.write("\r\x1b[2K")
            self._status_shown = False
        self.out.write(text + "\n")
        self.out.flush()

    def _clear_status(self) -> None:
        if self._status_shown:
            self.out.write("\r\x1b[2K")
            self.out.flush()
            self._status_shown = False

    def _draw_status(self) -> None:
        text = self._status(self.clock())
        limit = max(10, self.width() - 1)  # never wrap: a wrapped line cannot be redrawn with \r
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        self.out.write("\r\x1b[2K" + text)
        self.out.flush()
        self._status_shown = True

    def _status(self, now: float) -> str:
        s = self.session
        snap = s.snapshot(now)
        if snap.state in (State.FINISHED, State.STOPPED) or snap.segment is None:
            return ""
        seg = snap.segment
        if snap.asking_easing:
            return "Is it easing?  y yes · n no" if self.keys_are_terminal else "Is it easing?"
        if self._count is not None:
            return f"How many did you do? {self._count}_  (Enter alone skips)"
        if snap.remaining is None:
            clock = format_clock(snap.elapsed)
            head = f"{clock}  {seg.kind} {clean(seg.name)} · Enter when done"
        else:
            clock = format_clock(math.ceil(snap.remaining - 1e-6))
            head = f"{clock} left  {seg.kind} {clean(seg.name)}"
        if snap.paused:
            return f"paused  {head} · space to resume"
        tail = f" · routine {format_clock(math.ceil(snap.routine_remaining - 1e-6))} left"
        if snap.next_segment is not None:
            tail += f" · next: {snap.next_segment.kind}"
        return head + tail + " · space pause · n next · b back · +/- 10 s · q quit"


def _default_escalation(seg: Segment) -> str:
    step = seg.step
    after = format_duration(step.escalate_after) if isinstance(step, Exercise) else "a long time"
    return f"It has not eased after {after}: get medical advice."


class _Terminated(Exception):
    """SIGTERM or SIGHUP arrived; unwinds the loop so the terminal is restored, the session recorded."""

    def __init__(self, why: str = "terminated", status: int = EXIT_TERMINATED) -> None:
        super().__init__(why)
        self.why = why
        self.status = status


class OutputClosed(Exception):
    """Writing the player's output failed: a closed pipe (`| head`), a hung-up terminal, a closed stdout."""


class GuardedOutput:
    """A text stream whose first failed write raises OutputClosed; later writes are dropped.

    `None` (Python's stdout when file descriptor 1 is closed) is a stream already closed.
    With `quiet`, failures are never raised (stderr: a warning that cannot be shown is dropped).
    """

    def __init__(self, stream: TextIO | None, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.closed_output = stream is None
        self._raised = False

    def write(self, text: str) -> int:
        self._do(lambda s: s.write(text))
        return len(text)

    def flush(self) -> None:
        self._do(lambda s: s.flush())

    def _do(self, action: Callable[[TextIO], object]) -> None:
        if not self.closed_output:
            try:
                action(self.stream)  # type: ignore[arg-type]
                return
            except (OSError, ValueError):  # EPIPE, EIO after a hang-up, a closed file
                self.closed_output = True
                silence_stream(self.stream)
        if not self.quiet and not self._raised:
            self._raised = True
            raise OutputClosed()

    def isatty(self) -> bool:
        try:
            return not self.closed_output and bool(self.stream.isatty())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            return False

    def fileno(self) -> int:
        if self.stream is None:
            raise OSError("closed")
        return self.stream.fileno()

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def live_terminal(stream: TextIO | None) -> bool:
    """Whether a live status line (redrawn with \\r and erase-line codes) may be drawn on `stream`.

    Only on a terminal, and not when TERM says it cannot take cursor codes (dumb).
    """
    if os.environ.get("TERM", "") == "dumb":
        return False
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@contextmanager
def terminal_keys(fd: int) -> Iterator[TerminalKeys]:
    """Cbreak mode on `fd` for the duration, restored on every way out (also SIGTERM and Ctrl-Z)."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)

    def restore() -> None:
        try:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        except termios.error:
            pass

    def on_cont(signum: int, frame: object) -> None:
        tty.setcbreak(fd)  # back from Ctrl-Z: the shell left the terminal in its own mode

    previous_cont = signal.signal(signal.SIGCONT, on_cont)
    tty.setcbreak(fd)
    keys = TerminalKeys(fd)
    try:
        yield keys
    finally:
        keys.close()
        restore()
        signal.signal(signal.SIGCONT, previous_cont)


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception for the duration, so `finally` blocks run (and record).

    SIGHUP is the terminal window closing: the session is stopped and recorded
    as for SIGTERM, and the exit status is 129.
    """

    def on_term(signum: int, frame: object) -> None:
        raise _Terminated("terminated", EXIT_TERMINATED)

    def on_hangup(signum: int, frame: object) -> None:
        raise _Terminated("hung up", EXIT_HANGUP)

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    previous_hup = signal.signal(signal.SIGHUP, on_hangup) if hasattr(signal, "SIGHUP") else None
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if previous_hup is not None:
            signal.signal(signal.SIGHUP, previous_hup)


def stop_unfinished(session: Session, now: float) -> None:
    """Stop a session that is still playing, so its record says where (stopped_at), whatever ended it."""
    if session.state not in (State.FINISHED, State.STOPPED):
        try:
            session.stop(now)
        except IllegalMove:
            pass  # never started: nothing to say where


def play_plain(
    routine: Routine,
    *,
    speed: float = 1.0,
    mute: bool = False,
    audio: str | None = None,
    voice: bool | None = None,
    record: bool = True,
    player_name: str = "plain",
    muscle: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
    sink: CueSink | None = None,
    watch: str | None = None,
) -> int:
    """Play `routine` as plain text on the real terminal (or pipes); the whole of `vmo play --plain`.

    Sound goes through `sink` when given, else through the audio package unless `mute`;
    `audio` (backend) and `voice` default to the user's settings when None.
    The session is appended to the history on every way out when `record`; `muscle`
    goes into a cramp episode's record (`vmo cramp`). `watch` (the file's name as
    shown) reloads the routine when its files are saved; such previews are not recorded.
    When the keyboard is a terminal and the routine (or the `ask_pain` setting) asks,
    a pain rating is asked before and after.
    """
    from player.timeline import compile_timeline

    stdin = sys.stdin if stdin is None else stdin
    # Output that goes away (| head, a closed terminal, a closed stdout) stops the session, which is recorded.
    stdout = GuardedOutput(sys.stdout if stdout is None else stdout)  # type: ignore[assignment]
    stderr = GuardedOutput(sys.stderr if stderr is None else stderr, quiet=True)  # type: ignore[assignment]
    timeline = compile_timeline(routine)
    session = Session(timeline, speed=speed)
    live = live_terminal(stdout)
    in_fd = _fileno(stdin)
    keys_tty = in_fd is not None and os.isatty(in_fd)

    cue_player = None
    if sink is None and not mute:
        cue_player = _open_audio(routine, audio, voice, stdout, stderr)
        sink = cue_player.handle if cue_player is not None else None
    reloader = None
    if watch is not None:
        from player.watch import Reloader

        reloader = Reloader(routine, watch, speed)
        record = False
    recorder = _open_recorder(routine, timeline, player_name, speed, stderr) if record else None

    status = EXIT_OK
    player: PlainPlayer | None = None
    try:
        with sigterm_unwinds():
            # The recording has begun: from here a closed output or a signal is a stopped session.
            _header(routine, timeline, stdout, keys_tty)
            first_frame_shown()  # the plain player's first frame: the collector runs again
            if reloader is not None:
                stdout.write(f"Watching {clean(watch or '')}: save it to reload; q quits.\n")
            ask_pain = recorder is not None and keys_tty and _asks_pain(routine)
            if ask_pain:
                recorder.note_pain_before(_ask_pain(PAIN_QUESTION_BEFORE, stdin, stdout))  # type: ignore[union-attr]
            if keys_tty:
                assert in_fd is not None
                with terminal_keys(in_fd) as keys:
                    player = PlainPlayer(
                        session, stdout, keys, title=routine.name, clock=clock, live=live,
                        keys_are_terminal=True, sink=sink, width=_width(stdout), warn=stderr,
                        reloader=reloader,
                    )
                    status = player.run()
            else:
                player = PlainPlayer(
                    session, stdout, LineInput(in_fd), title=routine.name, clock=clock, live=live,
                    keys_are_terminal=False, sink=sink, width=_width(stdout), warn=stderr,
                    reloader=reloader,
                )
                status = player.run()
            if ask_pain and status == EXIT_OK:
                recorder.note_pain_after(_ask_pain(PAIN_QUESTION_AFTER, stdin, stdout))  # type: ignore[union-attr]
    except _Terminated as signalled:  # outside the player's loop: the header, a pain question
        status = signalled.status
    except OutputClosed:
        status = EXIT_OUTPUT_CLOSED
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
    finally:
        stop_unfinished(session, clock())
        if recorder is not None:
            _record(
                recorder, session, player.events if player else [], muscle, clock(), stderr,
                player.counts if player else None,
            )
        if status == EXIT_OUTPUT_CLOSED:
            recorded = ", and what was played is recorded" if recorder is not None else ""
            print(f"vmo: the output was closed: the routine stopped{recorded}", file=stderr)
        if cue_player is not None:
            cue_player.close(drain=1.0 if status == EXIT_OK else 0.0)
    return status


def _asks_pain(routine: Routine) -> bool:
    from player.pain import should_ask_pain
    from player.settings import get_settings

    return should_ask_pain(routine.ask_pain, get_settings().ask_pain)


def _ask_pain(question: str, stdin: TextIO, stdout: TextIO) -> int | None:
    """Ask a 0-10 rating on the terminal, in line mode; Enter skips, a wrong answer asks again."""
    from player.pain import PainAnswerInvalid, parse_pain_answer

    for _ in range(3):
        stdout.write(question)
        stdout.flush()
        line = stdin.readline()
        if not line:  # end of input: no answer
            stdout.write("\n")
            return None
        try:
            return parse_pain_answer(line)
        except PainAnswerInvalid as exc:
            stdout.write(f"  {exc}\n")
    return None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _fileno(stream: TextIO | None) -> int | None:
    try:
        return stream.fileno() if stream is not None else None
    except (AttributeError, ValueError, OSError):
        return None  # closed, or not a real file (a test's StringIO)


def _width(stream: TextIO) -> Callable[[], int]:
    import shutil

    return lambda: shutil.get_terminal_size((80, 24)).columns


def _header(routine: Routine, timeline: "Timeline", out: TextIO, keys_tty: bool) -> None:
    from player.render import total_text

    out.write(f"{clean(routine.name)} · {total_text(timeline)}\n")
    for line in (routine.description or "").strip().splitlines():
        out.write(f"  {clean(line)}\n" if line.strip() else "\n")
    for note in routine.safety:
        out.write(f"  ! {clean(note)}\n")
    if keys_tty:
        out.write("Keys: space pause/resume · n next · b back · + / - 10 s · Enter or d done · y / n easing · q quit\n")
    out.flush()


def _open_audio(
    routine: Routine, audio: str | None, voice: bool | None, stdout: TextIO, stderr: TextIO,
) -> "CuePlayer | None":
    """The cue player the options (else the settings) ask for; None (with a notice) if sound cannot start."""
    try:
        from player.audio import open_cue_player, terminal_bell
        from player.settings import get_settings

        settings = get_settings(warn=stderr)
        if voice is None:
            voice = settings.voice if settings.voice is not None else True
        cue_player, notice = open_cue_player(
            audio or settings.audio, voice=voice, bell=terminal_bell(stdout), user_sounds=settings.sounds,
        )
        cue_player.prepare(routine)
    except Exception as exc:  # sound is a help, never a reason not to play
        print(f"vmo: no sound: {exc}", file=stderr)
        return None
    if notice:
        print(f"vmo: {notice}", file=stderr)
    for problem in cue_player.problems:  # a broken .wav: said here as the UI says it, then the built-in plays
        print(f"vmo: warning: {sanitize(problem, one_line=True)}", file=stderr)
    return cue_player


def _open_recorder(
    routine: Routine, timeline: "Timeline", player_name: str, speed: float, stderr: TextIO,
) -> "SessionRecorder | None":
    try:
        from player.history import SessionRecorder
    except ImportError:
        return None
    recorder = SessionRecorder(
        routine, timeline.total_seconds, segments_total=len(timeline.segments), player=player_name, speed=speed,
    )
    warning = recorder.check_writable()
    if warning:
        print(warning, file=stderr)
    return recorder


def _record(
    recorder: "SessionRecorder", session: Session, events: list[Event], muscle: str | None, now: float,
    stderr: TextIO, counts: "list[tuple[Segment, int]] | None" = None,
) -> None:
    if any(seg.until_eased for seg in session.segments):
        # A cramp episode: how long until the user said it eased (routine seconds), and whether it escalated.
        began = next((e.at for e in events if isinstance(e, SegmentStarted)), None)
        eased = next((e.at for e in events if isinstance(e, EasingAnswered) and e.eased), None)
        after = (eased - began) * session.speed if eased is not None and began is not None else None
        recorder.note_cramp(muscle, after, any(isinstance(e, Escalated) for e in events))
    for seg, count in counts or ():
        recorder.note_reps_done(seg.name, seg.set, seg.side, count)
    warning = recorder.finish_from(session.progress(now))
    if warning:
        print(warning, file=stderr)
