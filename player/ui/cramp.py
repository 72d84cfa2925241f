"""The cramp screen: a big, calm, one-handed stretch guide that starts counting at once.

`CrampScreen` is a Textual Screen the main UI can push (key `c`); `CrampApp` shows it
alone for `vmo cramp`. The screen owns its engine session and reads the injected
clock only to feed `advance(now)`; the engine decides everything else. It imports
only what it needs (no library scan, no audio library): startup time matters here.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
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
from player.events import Escalated, Event, RoutineFinished
from player.history import HistoryFile, SessionRecorder
from player.model import Exercise, Routine
from player.timeline import compile_timeline

if TYPE_CHECKING:
    # Only a type here: the audio package loads in a worker thread after the first frame.
    from player.audio.cues import CuePlayer

Clock = Callable[[], float]
FINISHED_TEXT = "Done. Keep things easy for the next few hours; if the cramp comes back, stretch again."


@dataclass(frozen=True)
class CrampOutcome:
    """What the screen returns on dismiss: the episode's facts and whether the routine ran to its end."""

    muscle: str
    eased_after_seconds: float | None
    escalated: bool
    completed: bool


def _text(value: str | None) -> Content:
    """Routine text as plain content: never interpreted as markup."""
    return Content(value or "")


class CrampScreen(Screen[CrampOutcome]):
    """The cramp stretch for one muscle, counting from the first frame."""

    CSS_PATH = "cramp.tcss"
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
        super().__init__(name=name, id=id)
        self.muscle = muscle if isinstance(muscle, Muscle) else resolve_muscle(muscle)
        self.clock = clock
        self.speed = speed
        self.store = store
        self.player_name = player_name
        self.routine = routine if routine is not None else load_cramp_routine(self.muscle)
        self.cues = DeferredCues(clock)
        self._offered_cues = cues
        self._cues_prepared = cues_prepared
        self._timer: Timer | None = None
        self._recorded = False
        self.session: Session
        self.episode: CrampEpisode
        self.recorder: SessionRecorder
        self._new_session()

    # ----- building -----

    def _new_session(self) -> None:
        """A fresh session, episode and history recorder for the current muscle (not started yet)."""
        timeline = compile_timeline(self.routine)
        self.session = Session(timeline, speed=self.speed)
        self.episode = CrampEpisode(self.muscle.name, self.speed)
        self.recorder = SessionRecorder(
            self.routine, timeline.total_seconds, segments_total=len(timeline.segments),
            player=self.player_name, speed=self.speed, store=self.store,
        )
        self._recorded = False
        first = timeline.segments[0] if timeline.segments else None
        self._first_seconds = first.seconds if first is not None else None

    def compose(self) -> ComposeResult:
        """The layout: everything on one screen, biggest first."""
        with Vertical(id="cramp-body"):
            with Horizontal(id="cramp-top"):
                yield Static(_text(self._title()), id="cramp-title")
                yield Static("", id="cramp-elapsed")
            yield Static("", id="cramp-step")
            yield Digits(clock_text(self._first_seconds or 0.0), id="cramp-countdown")
            yield Static("Is it easing?", id="cramp-question")
            yield Static("", id="cramp-urgent")
            yield Static("", id="cramp-instructions")
            yield Static("", id="cramp-cues")
            yield Static("", id="cramp-final")
            yield Static(SAFETY_LINE, id="cramp-safety", markup=False)
        yield Static("", id="cramp-keys")  # docked: the keys stay in sight when the urgent message needs room

    def on_mount(self) -> None:
        """Start the first hold now, so the first frame already counts."""
        self._begin()
        if self._offered_cues is not None:
            self.attach_cues(self._offered_cues, prepared=self._cues_prepared)

    def _begin(self) -> None:
        now = self.clock()
        warning = self.recorder.check_writable()
        self._handle(self.session.start(now), now)
        if warning:
            self.notify(warning, severity="warning", markup=False)

    def _title(self) -> str:
        return f"Cramp: {self.muscle.label}"

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
                self._record(completed=True, now=now)
        self._draw(now)
        self._schedule(now)

    def _schedule(self, now: float) -> None:
        """Wake at the next engine deadline or when the shown seconds change, whichever is first."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.session.state in (State.FINISHED, State.STOPPED):
            return
        wake = [self.session.next_deadline()]
        snap = self.session.snapshot(now)
        step = 1.0 / self.speed
        if snap.remaining is not None and self.session.state is State.RUNNING:
            # The digits show whole seconds rounded up: they change when `remaining` crosses one.
            fraction = snap.remaining % 1.0 or 1.0
            wake.append(now + fraction / self.speed)
        if self.episode.started_at is not None:
            into = (now - self.episode.started_at) % step
            wake.append(now + step - into)
        due = min(t for t in wake if t is not None)
        self._timer = self.set_timer(max(0.005, due - now), self.tick)

    # ----- drawing -----

    def _draw(self, now: float) -> None:
        snap = self.session.snapshot(now)
        phase = self._phase(snap)
        for name in ("hold", "asking", "aftercare", "finished"):
            self.set_class(name == phase, f"-{name}")
        self.set_class(self.episode.escalated, "-escalated")
        seg = snap.segment
        step = seg.step if seg is not None else None
        exercise = step if isinstance(step, Exercise) else None
        if phase == "finished":
            self._show("#cramp-step", "")
        elif seg is not None:
            label = seg.name
            if seg.kind == "prepare":
                label = f"Next: {label}"
            elif seg.until_eased:
                label = f"{label}  ·  hold {snap.attempt}"
            self._show("#cramp-step", label)
        digits = self.query_one("#cramp-countdown", Digits)
        value = clock_text(snap.remaining or 0.0) if snap.remaining is not None else ""
        if digits.value != value:
            digits.update(value)
        elapsed = "" if phase == "finished" else f"cramp time {elapsed_text(self.episode.elapsed(now))}"
        self._show("#cramp-elapsed", elapsed)
        self._show("#cramp-instructions", exercise.instructions if exercise else getattr(step, "instructions", None))
        self._show("#cramp-cues", "\n".join(f"› {cue}" for cue in exercise.cues) if exercise else "")
        self._show("#cramp-urgent", self.episode.escalate_message or "")
        self._show("#cramp-final", self._final_text() if phase == "finished" else "")
        self._show("#cramp-keys", self._keys_text(phase))

    def _phase(self, snap: Snapshot) -> str:
        if snap.state in (State.FINISHED, State.STOPPED):
            return "finished"
        if snap.asking_easing:
            return "asking"
        if snap.segment is not None and snap.segment.until_eased:
            return "hold"
        return "aftercare"

    def _final_text(self) -> Content:
        lines = [FINISHED_TEXT, "", RED_FLAGS_TITLE]
        lines += [f"• {note}" for note in self.routine.safety]
        return Content("\n".join(lines))

    def _keys_text(self, phase: str) -> Content:
        if phase == "asking":
            keys = "Space / Enter: yes, it's easing    n: not yet, hold again    q: quit"
        elif phase == "hold":
            keys = "Space / Enter: it has eased    q: quit"
        elif phase == "aftercare":
            keys = "Space / Enter: next step    q: quit"
        else:
            keys = "Space / Enter or q: close"
        if not self._can_switch():
            return Content(keys)
        parts: list[str | tuple[str, str]] = [keys, "\nCramp elsewhere?  "]
        for muscle in MUSCLES:
            if muscle == self.muscle:
                parts.append((f"▸ {muscle.key} {muscle.short}   ", "bold"))
            else:
                parts.append(f"  {muscle.key} {muscle.short}   ")
        return Content.assemble(*parts)

    def _show(self, selector: str, value: str | Content | None) -> None:
        widget = self.query_one(selector, Static)
        content = value if isinstance(value, Content) else _text(value)
        if widget.content != content:
            widget.update(content)

    # ----- keys -----

    def action_yes(self) -> None:
        """Space / Enter / y: yes, it is easing; or move on; or close the final screen."""
        state = self.session.state
        now = self.clock()
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
        now = self.clock()
        if self.session.state is not State.ASKING:
            return
        self._handle(self.session.answer_easing(False, now), now)

    def action_quit(self) -> None:
        """q: stop here (the episode is recorded) and close."""
        now = self.clock()
        if self.session.state not in (State.FINISHED, State.STOPPED):
            events = self.session.stop(now)
            self.episode.observe(events)
            self._record(completed=False, now=now)
        self._close()

    def action_muscle(self, name: str) -> None:
        """1 / 2 / 3: the cramp is in another muscle; start that stretch instead (only during the first hold)."""
        muscle = resolve_muscle(name)
        if muscle == self.muscle or not self._can_switch():
            return
        # A wrong pick in the first seconds is not an episode: nothing is recorded for it.
        self.session.stop(self.clock())
        self._recorded = True
        self.muscle = muscle
        self.routine = load_cramp_routine(muscle)
        self._new_session()
        self._show("#cramp-title", self._title())
        self.set_class(False, "-escalated")
        if (cues := self.cues.detach()) is not None:
            self.attach_cues(cues)  # type: ignore[arg-type]  # spoken names of the new routine
        self._begin()

    def _can_switch(self) -> bool:
        """Another muscle may be picked while the first hold (or its question) is on screen."""
        ep = self.episode
        return ep.holds <= 1 and not ep.eased and self.session.state in (State.RUNNING, State.ASKING)

    # ----- ending -----

    def _record(self, *, completed: bool, now: float) -> None:
        """Append this episode to the history, once."""
        if self._recorded:
            return
        self._recorded = True
        warning = record_episode(self.recorder, self.session, self.episode, now)
        if warning:
            self.notify(warning, severity="warning", markup=False)

    def outcome(self) -> CrampOutcome:
        """The episode so far, as the screen returns it."""
        facts = self.episode.facts()
        return CrampOutcome(
            facts.muscle, facts.eased_after_seconds, facts.escalated, self.session.state is State.FINISHED,
        )

    def _close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(self.outcome())

    def on_unmount(self) -> None:
        """Closed some other way (the app quit): still record what was played."""
        if not self._recorded and self.session.state is not State.IDLE:
            now = self.clock()
            if self.session.state not in (State.FINISHED, State.STOPPED):
                self.session.stop(now)
            self._record(completed=self.session.state is State.FINISHED, now=now)


class CrampApp(App[CrampOutcome | None]):
    """`vmo cramp`: the cramp screen alone, from the first frame; sound is set up after it."""

    TITLE = "vmo cramp"

    def __init__(
        self,
        muscle: Muscle | str | None = None,
        *,
        routine: Routine | None = None,
        speed: float = 1.0,
        mute: bool = False,
        clock: Clock = time.monotonic,
        store: HistoryFile | None = None,
        open_cues: Callable[[Callable[[], None]], tuple[CuePlayer, str | None]] | None = None,
    ) -> None:
        super().__init__()
        self.cramp_screen = CrampScreen(muscle, routine=routine, clock=clock, speed=speed, store=store)
        self.mute = mute
        self.open_cues = open_cues if open_cues is not None else _open_cues
        self.cue_player: CuePlayer | None = None

    def on_mount(self) -> None:
        """Show the cramp screen; open the sound device once it is on screen."""
        self.push_screen(self.cramp_screen, callback=self.exit)
        if not self.mute:
            self.call_after_refresh(self._start_audio)

    def _start_audio(self) -> None:
        self.run_worker(self._open_audio, thread=True, group="audio")

    def _open_audio(self) -> None:
        """In a thread: open the device, decode the sounds, render spoken names; then hand over."""
        player, notice = self.open_cues(self._bell)
        screen = self.cramp_screen
        player.prepare(screen.routine)
        self.cue_player = player
        self.call_from_thread(self._audio_ready, player, notice)

    def _audio_ready(self, player: CuePlayer, notice: str | None) -> None:
        self.cramp_screen.attach_cues(player, prepared=True)
        if notice:
            self.notify(notice, markup=False, timeout=4)

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


def _open_cues(bell: Callable[[], None]) -> tuple[CuePlayer, str | None]:
    """The user's audio settings turned into a cue player (runs in a worker thread)."""
    from player.audio import open_cue_player
    from player.settings import load_settings

    settings, _problems = load_settings()
    voice = True if settings.voice is None else settings.voice
    return open_cue_player(settings.audio, voice=voice, bell=bell, user_sounds=settings.sounds)
