"""The cramp screen: a big, calm, one-handed stretch guide that starts counting at once.

`CrampScreen` is a Textual Screen the main UI can push (key `c`); `CrampApp` shows it
alone for `vmo cramp`. The screen owns its engine session and reads the injected
clock only to feed `advance(now)`; the engine decides everything else.

Startup matters here (bench/cramp_startup.py): the screen has few widgets, and the
history (which pulls in the routine loader) and the audio device are set up only
after the first frame.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Digits, Static

from player.cramp import (
    MUSCLES,
    RED_FLAGS_TITLE,
    SAFETY_LINE,
    CrampEpisode,
    DeferredCues,
    Muscle,
    clock_text,
    elapsed_text,
    load_cramp_routine,
    record_episode,
    resolve_muscle,
)
from player.engine import IllegalMove, Session, Snapshot, State
from player.errors import EXIT_HANGUP, EXIT_INTERRUPTED, EXIT_TERMINATED
from player.events import Escalated, Event, RoutineFinished
from player.model import Exercise, Routine
from player.startup import first_frame_shown
from player.timeline import compile_timeline

if TYPE_CHECKING:
    # Types only: the audio package loads in a worker after the first frame, the history
    # module (and with it the YAML loader) just after it.
    from player.audio.cues import CuePlayer
    from player.history import HistoryFile, SessionRecorder

Clock = Callable[[], float]
CSS_FILE = Path(__file__).with_name("cramp.tcss")  # absolute: subclasses elsewhere still find it
FINISHED_TEXT = "Done. Keep things easy for the next few hours; if the cramp comes back, stretch again."
RECORDER_DELAY = 0.5  # seconds after the first frame
NOTICES_KEPT = 3  # notices shown on the cramp screen's notice line, newest last


@dataclass(frozen=True, slots=True)
class CrampOutcome:
    """What the screen returns on dismiss: the episode's facts and whether the routine ran to its end."""

    muscle: str
    eased_after_seconds: float | None
    escalated: bool
    completed: bool


class CrampScreen(Screen[CrampOutcome]):
    """The cramp stretch for one muscle, counting from the first frame.

    Keys: Space / Enter / y = yes, it's easing (or: it has eased, next step, close);
    n = not easing yet; q / Escape = stop and close; 1 / 2 / 3 = another muscle, while
    the first hold is on screen.
    """

    CSS_PATH = CSS_FILE
    BINDINGS = [
        Binding("space,enter,y", "yes", "Yes / continue", show=False),
        Binding("n", "not_yet", "Not easing", show=False),
        Binding("q,escape", "quit", "Quit", show=False),
        *(Binding(m.key, f"muscle('{m.name}')", m.label, show=False) for m in MUSCLES),
        # The red flags at the end may not fit a small terminal.
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
    ]

    def __init__(
        self,
        muscle: Muscle | str | None = None,
        *,
        routine: Routine | None = None,
        clock: Clock = time.monotonic,
        speed: float = 1.0,
        cues: CuePlayer | None = None,
        cues_prepared: bool = False,
        store: HistoryFile | None = None,
        player_name: str = "ui",
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        # The first phase is always the hold: its class is set now, not on mount, which
        # spares the first frame a restyle of every widget.
        super().__init__(name=name, id=id, classes="-hold")
        self.muscle = muscle if isinstance(muscle, Muscle) else resolve_muscle(muscle)
        self.routine = routine if routine is not None else load_cramp_routine(self.muscle)
        self.clock = clock
        self.speed = speed
        self.store = store
        self.player_name = player_name
        self.cues = DeferredCues(clock)
        self._offered_cues = cues
        self._cues_prepared = cues_prepared
        self._wake: asyncio.TimerHandle | None = None
        self._phase_shown = "hold"
        self._escalated_shown = False
        self.session: Session
        self.episode: CrampEpisode
        self.recorder: SessionRecorder | None
        self._new_session()

    def _new_session(self) -> None:
        """A fresh session and episode for the current muscle (not started yet)."""
        self.timeline = compile_timeline(self.routine)
        self.session = Session(self.timeline, speed=self.speed)
        self.episode = CrampEpisode(self.muscle.name, self.speed)
        self.recorder = None
        self._started_wall: datetime | None = None
        self._recorded = False
        self._notices: list[str] = []

    # ----- layout -----

    def compose(self) -> ComposeResult:
        """Few widgets, biggest first; the keys stay docked at the bottom."""
        first = self.timeline.segments[0].seconds if self.timeline.segments else None
        yield Static(id="cramp-head")
        yield Static(id="cramp-step")
        yield Digits(clock_text(first or 0.0), id="cramp-countdown")
        yield Static("Is it easing?", id="cramp-question")
        yield Static(id="cramp-urgent")
        yield Static(id="cramp-text")
        # Notices (no sound, history not writable) go here, after the safety text and the
        # red flags: a toast would sit over them, and nothing may cover them on this screen.
        yield Static(id="cramp-notices")
        yield Static(id="cramp-keys")

    def on_mount(self) -> None:
        """Start the first hold now, so the first frame already counts."""
        self._begin()
        if self._offered_cues is not None:
            self.attach_cues(self._offered_cues, prepared=self._cues_prepared)

    def _begin(self) -> None:
        now = self.clock()
        self._started_wall = datetime.now().astimezone()
        self._handle(self.session.start(now), now)
        # Well after the first frame: the history module pulls in the YAML loader.
        self.set_timer(RECORDER_DELAY, self._open_recorder)

    # ----- history -----

    def _open_recorder(self) -> SessionRecorder:
        """The history recorder, made after the first frame (its module pulls in the loader)."""
        if self.recorder is None:
            from player.history import SessionRecorder

            self.recorder = SessionRecorder(
                self.routine, self.timeline.total_seconds, segments_total=len(self.timeline.segments),
                player=self.player_name, speed=self.speed, store=self.store,
            )
            if self._started_wall is not None:
                self.recorder.start = self._started_wall  # the episode began with the first frame
            warning = self.recorder.check_writable()
            if warning:
                self.say(warning)
        return self.recorder

    def _record(self, now: float) -> None:
        """Append this episode to the history, once."""
        if self._recorded:
            return
        self._recorded = True
        warning = record_episode(self._open_recorder(), self.session, self.episode, now)
        if warning:
            self.say(warning)

    def say(self, text: str) -> None:
        """A notice on its own line after the safety text (never a toast over it); the last few are kept."""
        from player.terminal import sanitize

        self._notices = (self._notices + [sanitize(text, one_line=True)])[-NOTICES_KEPT:]
        try:
            widget = self.query_one("#cramp-notices", Static)
        except Exception:  # not composed yet, or already gone
            return
        widget.update(Content("\n".join(self._notices)))
        widget.display = True

    # ----- sound -----

    def attach_cues(self, cues: CuePlayer, *, prepared: bool = False) -> None:
        """Play cues through `cues` from now on; `prepare` runs in a thread unless already done for this routine."""
        if prepared:
            self.cues.attach(cues)
            return
        routine = self.routine

        def prepare() -> None:
            cues.prepare(routine)
            self.app.call_from_thread(self.cues.attach, cues)

        self.run_worker(prepare, thread=True, group="cramp-cues", exclusive=True)

    def _sound(self, event: Event) -> None:
        self.cues.handle(event)
        if isinstance(event, Escalated) and (play := getattr(self.cues.player, "play", None)) is not None:
            play("bell")  # the urgent message deserves a sound of its own

    # ----- time passing -----

    def tick(self) -> None:
        """Catch the session up with the clock and redraw; the timer calls it, tests may too."""
        if self.session.state in (State.FINISHED, State.STOPPED):
            return
        now = self.clock()
        self._handle(self.session.advance(now), now)

    def _handle(self, events: list[Event], now: float) -> None:
        self.episode.observe(events)
        for event in events:
            self._sound(event)
            if isinstance(event, RoutineFinished):
                self._record(now)
        self._draw(now)
        self._schedule(now)

    def _schedule(self, now: float) -> None:
        """Wake at the next engine deadline or when a shown second changes, whichever is first."""
        self._cancel_wake()
        if self.session.state in (State.FINISHED, State.STOPPED):
            return
        wake = [self.session.next_deadline()]
        snap = self.session.snapshot(now)
        if snap.remaining is not None and self.session.state is State.RUNNING:
            # The digits show whole seconds rounded up: they change when `remaining` crosses one.
            wake.append(now + (snap.remaining % 1.0 or 1.0) / self.speed)
        if self.episode.started_at is not None:
            step = 1.0 / self.speed  # the "cramp time" line counts routine seconds
            wake.append(now + step - (now - self.episode.started_at) % step)
        due = min(t for t in wake if t is not None)
        # An asyncio timer, not Textual's set_timer: a one-shot Textual timer whose task starts
        # after its deadline (a busy loop, a loaded machine) is skipped, and the count would stall.
        self._wake = asyncio.get_running_loop().call_later(max(0.0, due - now), self.call_next, self.tick)

    def _cancel_wake(self) -> None:
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    # ----- drawing -----

    def _draw(self, now: float) -> None:
        snap = self.session.snapshot(now)
        phase = self._phase(snap)
        if phase != self._phase_shown:
            self.remove_class(f"-{self._phase_shown}")
            self.add_class(f"-{phase}")
            self._phase_shown = phase
        if self.episode.escalated != self._escalated_shown:
            self._escalated_shown = self.episode.escalated
            self.set_class(self._escalated_shown, "-escalated")
        head = [(f"Cramp: {self.muscle.label}", "bold")]
        if phase != "finished":
            head.append(f"   cramp time {elapsed_text(self.episode.elapsed(now))}")
        self._show("#cramp-head", Content.assemble(*head))
        self._show("#cramp-step", self._step_text(snap, phase))
        digits = self.query_one("#cramp-countdown", Digits)
        value = clock_text(snap.remaining) if snap.remaining is not None else ""
        if digits.value != value:
            digits.update(value)
        self._show("#cramp-urgent", Content(self.episode.escalate_message or ""))
        self._show("#cramp-text", self._final_text() if phase == "finished" else self._guidance(snap))
        self._show("#cramp-keys", self._keys_text(phase))

    @staticmethod
    def _phase(snap: Snapshot) -> str:
        if snap.state in (State.FINISHED, State.STOPPED):
            return "finished"
        if snap.asking_easing:
            return "asking"
        if snap.segment is not None and snap.segment.until_eased:
            return "hold"
        return "aftercare"

    @staticmethod
    def _step_text(snap: Snapshot, phase: str) -> Content:
        seg = snap.segment
        if phase == "finished" or seg is None:
            return Content("")
        if seg.kind == "prepare":
            return Content(f"Next: {seg.name}")
        if seg.until_eased:
            return Content(f"{seg.name}  ·  hold {snap.attempt}")
        return Content(seg.name)

    @staticmethod
    def _guidance(snap: Snapshot) -> Content:
        """The step's instructions and cues (data from the routine file: never markup), then the safety line."""
        step = snap.segment.step if snap.segment is not None else None
        parts: list[str | tuple[str, str]] = []
        if isinstance(step, Exercise):
            parts.append(step.instructions or "")
            parts += [(f"\n› {cue}", "italic") for cue in step.cues]
        elif step is not None and getattr(step, "instructions", None):
            parts.append(step.instructions)  # type: ignore[union-attr]
        parts.append(("\n\n" + SAFETY_LINE, "dim"))
        return Content.assemble(*parts)

    def _final_text(self) -> Content:
        lines = [FINISHED_TEXT, "", RED_FLAGS_TITLE] + [f"• {note}" for note in self.routine.safety]
        return Content("\n".join(lines))

    def _keys_text(self, phase: str) -> Content:
        keys = {
            "asking": "Space / Enter: yes, it's easing    n: not yet, hold again    q: quit",
            "hold": "Space / Enter: it has eased    q: quit",
            "aftercare": "Space / Enter: next step    q: quit",
        }.get(phase, "Space / Enter or q: close")
        if not self._can_switch():
            return Content(keys)
        parts: list[str | tuple[str, str]] = [keys, "\nCramp elsewhere?  "]
        for muscle in MUSCLES:
            if muscle == self.muscle:
                parts.append((f"▸ {muscle.key} {muscle.short}   ", "bold"))
            else:
                parts.append(f"  {muscle.key} {muscle.short}   ")
        return Content.assemble(*parts)

    def _show(self, selector: str, content: Content) -> None:
        widget = self.query_one(selector, Static)
        # Content compares by text only: compare the spans too, or a restyled line would not redraw.
        old = widget.content
        if not (isinstance(old, Content) and old == content and old.spans == content.spans):
            widget.update(content)

    # ----- keys -----

    def action_yes(self) -> None:
        """Space / Enter / y: yes, it is easing; or it has eased; or the next step; or close."""
        now = self.clock()
        state = self.session.state
        try:
            if state is State.ASKING:
                events = self.session.answer_easing(True, now)
            elif state is State.RUNNING:
                seg = self.session.snapshot(now).segment
                if seg is not None and seg.until_eased:
                    self.episode.note_eased(now)  # moving on from a hold: it has eased
                    events = self.session.skip(now)
                elif seg is not None and seg.kind == "prepare":
                    events = self.session.skip(now)  # straight into the step it prepares
                else:
                    events = self.session.skip_exercise(now)
            else:
                self._close()
                return
        except IllegalMove:
            return
        self._handle(events, now)

    def action_not_yet(self) -> None:
        """n: not easing yet; hold again."""
        if self.session.state is not State.ASKING:
            return
        now = self.clock()
        self._handle(self.session.answer_easing(False, now), now)

    def action_quit(self) -> None:
        """q / Escape: stop here (the episode is recorded) and close."""
        self.stop_and_record()
        self._close()

    def stop_and_record(self) -> None:
        """Stop the session if it still runs and append the episode to the history (once)."""
        now = self.clock()
        if self.session.state not in (State.FINISHED, State.STOPPED):
            self.episode.observe(self.session.stop(now))
        self._record(now)

    def action_muscle(self, name: str) -> None:
        """1 / 2 / 3: the cramp is in another muscle; start that stretch instead (first hold only)."""
        muscle = resolve_muscle(name)
        if muscle == self.muscle or not self._can_switch():
            return
        # A wrong pick in the first seconds is not an episode: nothing is recorded for it.
        self.session.stop(self.clock())
        self.muscle = muscle
        self.routine = load_cramp_routine(muscle)
        self._new_session()
        if (cues := self.cues.detach()) is not None:
            self.attach_cues(cues)  # type: ignore[arg-type]  # spoken names of the new routine
        self._begin()

    def _can_switch(self) -> bool:
        """Another muscle may be picked while the first hold (or its question) is on screen."""
        ep = self.episode
        return ep.holds <= 1 and not ep.eased and self.session.state in (State.RUNNING, State.ASKING)

    # ----- ending -----

    def outcome(self) -> CrampOutcome:
        """The episode so far, as the screen returns it."""
        facts = self.episode.facts()
        return CrampOutcome(
            facts.muscle, facts.eased_after_seconds, facts.escalated, self.session.state is State.FINISHED,
        )

    def _close(self) -> None:
        self._cancel_wake()
        if len(self.app.screen_stack) > 1:
            self.dismiss(self.outcome())
        else:
            # The app's only screen (`vmo cramp`): nothing to go back to, so closing ends the app.
            self.app.exit(self.outcome())

    def on_unmount(self) -> None:
        """Closed some other way (the app quit): still record what was played."""
        self._cancel_wake()
        if not self._recorded and self.session.state is not State.IDLE:
            self.stop_and_record()


class CrampApp(App[CrampOutcome | None]):
    """`vmo cramp`: the cramp screen alone, drawn in the app's first frame; sound comes after it."""

    TITLE = "vmo cramp"
    # The screen's stylesheet is read with the app's, in one parse.
    CSS_PATH = CSS_FILE
    BINDINGS = [Binding("ctrl+c", "interrupt", "Interrupt", show=False, priority=True)]

    def __init__(
        self,
        muscle: Muscle | str | None = None,
        *,
        routine: Routine | None = None,
        speed: float = 1.0,
        mute: bool = False,
        audio: str | None = None,
        voice: bool | None = None,
        clock: Clock = time.monotonic,
        store: HistoryFile | None = None,
        open_cues: Callable[[Callable[[], None]], tuple[CuePlayer, str | None]] | None = None,
    ) -> None:
        super().__init__()
        self.cramp_screen = CrampScreen(muscle, routine=routine, clock=clock, speed=speed, store=store)
        self.mute = mute
        self.open_cues = open_cues if open_cues is not None else (lambda bell: _open_cues(bell, audio, voice))
        self.cue_player: CuePlayer | None = None

    def get_default_screen(self) -> CrampScreen:
        """The cramp screen is the first and only screen: composed with the app, drawn in its first frame."""
        return self.cramp_screen

    def on_mount(self) -> None:
        """Open the sound device once the first frame is on screen; SIGTERM and SIGHUP end it cleanly."""
        try:
            # Textual restores the terminal only when it leaves through its own loop.
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, self.interrupt, EXIT_TERMINATED)
            loop.add_signal_handler(signal.SIGHUP, self.interrupt, EXIT_HANGUP)
            loop.add_signal_handler(signal.SIGINT, self.interrupt, EXIT_INTERRUPTED)  # kill -INT is Ctrl-C too
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests), or a platform without them
        self.call_after_refresh(first_frame_shown)
        if not self.mute:
            self.call_after_refresh(self.run_worker, self._open_audio, thread=True, group="audio")

    def interrupt(self, status: int = EXIT_INTERRUPTED) -> None:
        """Ctrl-C, SIGTERM or SIGHUP: stop, record what was played, exit with `status` (cli.md)."""
        self.cramp_screen.stop_and_record()
        if status == EXIT_HANGUP:
            # The terminal is gone: nothing to restore, and Textual's shutdown could wait on it forever.
            if self.cue_player is not None:
                self.cue_player.close(drain=0.0)
            from player.terminal import restore_app_terminal

            restore_app_terminal(self)  # `kill -HUP` may leave the terminal open: restore what can be
            os._exit(status)
        self.exit(self.cramp_screen.outcome(), return_code=status)

    def action_interrupt(self) -> None:
        """Ctrl-C: stop, record what was played, exit with status 130 (cli.md)."""
        self.interrupt(EXIT_INTERRUPTED)

    def _open_audio(self) -> None:
        """In a thread: open the device, decode the sounds, render spoken names; then hand over."""
        player, notice = self.open_cues(self._bell)
        player.prepare(self.cramp_screen.routine)
        self.cue_player = player
        self.call_from_thread(self._audio_ready, player, notice)

    def _audio_ready(self, player: CuePlayer, notice: str | None) -> None:
        self.cramp_screen.attach_cues(player, prepared=True)
        if notice:
            self.cramp_screen.say(notice)  # not a toast: it would cover the safety text

    def _bell(self) -> None:
        # Cues may come from the speech worker's thread; Textual wants its own thread.
        if threading.current_thread() is threading.main_thread():
            self.bell()
        else:
            self.call_from_thread(self.bell)

    def on_unmount(self) -> None:
        """Let the last sound finish briefly and release the device."""
        if self.cue_player is not None:
            self.cue_player.close(drain=0.5)


def _open_cues(
    bell: Callable[[], None], audio: str | None = None, voice: bool | None = None,
) -> tuple[CuePlayer, str | None]:
    """A cue player for --audio / --voice, else the user's settings (runs in a worker thread)."""
    from player.audio import open_cue_player
    from player.settings import load_settings

    settings, _problems = load_settings()  # problems are `vmo check`'s to report, not the cramp screen's
    if voice is None:
        voice = True if settings.voice is None else settings.voice
    return open_cue_player(audio or settings.audio, voice=voice, bell=bell, user_sounds=settings.sounds)
