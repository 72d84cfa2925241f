"""The Textual app: owns the routine being played and drives its engine from one timer.

Attributes down, messages up: screens show what the app hands them and run the
app's actions from keys and buttons; only the app (through its PlayController)
touches the engine, the cue player and the history. The clock is injected, so
tests drive the whole app with a fake one.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
import time
from datetime import date
from typing import TYPE_CHECKING, Callable

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from player.events import EasingAsked, Event, Paused, Resumed, RoutineFinished, SegmentStarted, Stopped
from player.pain import PAIN_QUESTION_AFTER, PAIN_QUESTION_BEFORE, should_ask_pain
from player.settings import DEFAULT_SETTINGS, Settings
from player.ui.controller import EXTEND_STEP, PlayController

if TYPE_CHECKING:
    from player.audio import CuePlayer
    from player.history import HistoryFile
    from player.library import Entry
    from player.model import Routine
    from player.ui.player_screen import PlayerScreen

EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports it
EXIT_HANGUP = 129
# Actions that need a routine in a given state; everything else is always allowed.
_PLAYING_ACTIONS = {
    "pause", "resume", "toggle_pause", "next", "next_or_no", "back", "skip_exercise",
    "longer", "shorter", "done", "easing_yes", "easing_no",
}


def _question(text: str) -> str:
    """The plain player's question without its "Enter to skip:" tail (the dialog says how to skip)."""
    return text.split("?")[0] + "?"


class VmoApp(App[int]):
    """`vmo` (the library) or `vmo play ROUTINE` (straight to the routine)."""

    CSS_PATH = "vmo.tcss"
    TITLE = "vmo"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+c", "interrupt", "Interrupt", show=False, priority=True)]

    def __init__(
        self,
        *,
        routine: Routine | None = None,
        entries: list[Entry] | None = None,
        speed: float = 1.0,
        mute: bool = False,
        settings: Settings = DEFAULT_SETTINGS,
        clock: Callable[[], float] = time.monotonic,
        cues: CuePlayer | None = None,
        store: HistoryFile | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        super().__init__()
        self.routine = routine
        self.entries = entries
        self.speed = speed
        self.settings = settings
        self.clock = clock
        self.muted = mute
        self.voice = settings.voice if settings.voice is not None else True
        self.cues = cues
        self.store = store
        self.today = today or (lambda: date.today())
        self.controller: PlayController | None = None
        self.player_screen: PlayerScreen | None = None
        self.pain: tuple[int | None, int | None] = (None, None)
        self.notices: list[str] = []     # every notice shown, for tests and the log
        self._timer: Timer | None = None
        self._audio_opening = False

    # ----- start-up and shut-down -----

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.cues is not None:
            self._apply_audio_state(self.cues)
        if self.routine is not None:
            self.begin(self.routine)
        else:
            from player.ui.library import LibraryScreen

            self.push_screen(LibraryScreen(self.entries or []))
        if self.cues is None and not self.muted:
            # After the first frame: opening a sound device and decoding the cues takes a moment.
            self.call_after_refresh(self._open_audio)

    def on_unmount(self) -> None:
        self._remove_signal_handlers()

    def _install_signal_handlers(self) -> None:
        # Textual restores the terminal only when it exits through its own loop;
        # SIGTERM or SIGHUP would otherwise kill it raw, in the alternate screen.
        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, self.interrupt, EXIT_TERMINATED)
            loop.add_signal_handler(signal.SIGHUP, self.interrupt, EXIT_HANGUP)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or a platform without them

    def _remove_signal_handlers(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            loop.remove_signal_handler(signal.SIGTERM)
            loop.remove_signal_handler(signal.SIGHUP)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    def notice(self, text: str, severity: str = "information") -> None:
        """Show a one-line notice (literal text) and remember it."""
        self.notices.append(text)
        self.notify(text, severity=severity, markup=False)  # type: ignore[arg-type]

    def finalize(self) -> None:
        """Record the session if it was not yet (every exit path), and release the sound device."""
        if self.controller is not None:
            warning = self.controller.record()
            if warning:
                self.notices.append(warning)
        if self.cues is not None:
            self.cues.close(drain=0.5)

    def interrupt(self, status: int = EXIT_INTERRUPTED) -> None:
        """Ctrl-C, SIGTERM or SIGHUP: stop and record what was played, then exit with `status`."""
        if self.controller is not None:
            self.controller.stop()
            self.controller.record()
        self.exit(status)

    def action_interrupt(self) -> None:
        """Ctrl-C: stop, record and exit with status 130."""
        self.interrupt(EXIT_INTERRUPTED)

    # ----- audio -----

    def _open_audio(self) -> None:
        if self._audio_opening or self.cues is not None:
            return
        self._audio_opening = True
        self.run_worker(self._open_audio_thread, thread=True, exclusive=True, group="audio")

    def _open_audio_thread(self) -> None:
        from player.audio import open_cue_player

        choice = self.settings.audio
        bell = None if choice == "none" else self._bell_from_any_thread
        audio = "none" if choice in ("none", "bell") else choice
        try:
            cues, notice = open_cue_player(audio, voice=self.voice, bell=bell, user_sounds=self.settings.sounds)
        except Exception as exc:  # noqa: BLE001 - no sound must never stop a routine
            self.call_from_thread(self.notice, f"no sound: {exc}", "warning")
            return
        self.call_from_thread(self._audio_ready, cues, notice)

    def _bell_from_any_thread(self) -> None:
        # The silent backend rings per cue; the speech worker may call from its own thread.
        if self._thread_id == __import__("threading").get_ident():
            self.bell()
        else:
            self.call_from_thread(self.bell)

    def _audio_ready(self, cues: CuePlayer, notice: str | None) -> None:
        self.cues = cues
        self._audio_opening = False
        self._apply_audio_state(cues)
        if notice:
            self.notice(notice, "warning")
        for problem in cues.problems:
            self.notice(problem, "warning")
        if self.controller is not None:
            self.controller.attach_cues(cues)

    def _apply_audio_state(self, cues: CuePlayer) -> None:
        cues.muted = self.muted
        cues.voice = self.voice

    # ----- the flow: safety notes, pain, player, pain, summary -----

    def begin(self, routine: Routine) -> None:
        """Show the routine's safety notes; starting is the user's choice."""
        from player.timeline import compile_timeline
        from player.ui.before import BeforeScreen

        tl = compile_timeline(routine)
        self.routine = routine
        self.push_screen(BeforeScreen(routine, tl.total_seconds, tl.untimed_segments), self._after_before)

    def _after_before(self, go: bool | None) -> None:
        if not go:
            if self.entries is None:
                self.exit(0)  # `vmo play`: nothing played, nothing recorded
            return
        assert self.routine is not None
        if should_ask_pain(self.routine.ask_pain, self.settings.ask_pain):
            from player.ui.dialogs import PainPrompt

            self.push_screen(PainPrompt(_question(PAIN_QUESTION_BEFORE)), self._start_player)
        else:
            self._start_player(None)

    def _start_player(self, pain_before: int | None) -> None:
        from player.history import SessionRecorder
        from player.ui.player_screen import PlayerScreen

        routine = self.routine
        assert routine is not None
        self.pain = (pain_before, None)
        controller = PlayController(routine, speed=self.speed, clock=self.clock, cues=self.cues)
        tl = controller.timeline
        recorder = SessionRecorder(
            routine, tl.total_seconds, segments_total=len(tl.segments), player="ui", speed=self.speed,
            store=self.store,
        )
        recorder.note_pain_before(pain_before)
        controller.recorder = recorder
        self.controller = controller
        if warning := recorder.check_writable():
            self.notice(warning, "warning")
        self.player_screen = PlayerScreen(routine.name)
        self.push_screen(self.player_screen)
        self._after(controller.start())

    def tick(self) -> None:
        """Catch the engine up with the clock and refresh the display (the timer calls this)."""
        self._timer = None
        if self.controller is not None and not self.controller.over:
            self._after(self.controller.tick())

    def _after(self, events: list[Event] | None) -> None:
        """Show what the events changed, reschedule the timer, and end the routine when it ended."""
        controller = self.controller
        if controller is None:
            return
        self._show()
        events = events or []
        if any(isinstance(e, (SegmentStarted, Paused, Resumed, EasingAsked)) for e in events):
            self.refresh_bindings()
        for warning in controller.warnings:
            self.notice(warning, "warning")
        controller.warnings.clear()
        if any(isinstance(e, (RoutineFinished, Stopped)) for e in events):
            self._routine_over()
        else:
            self._schedule()

    def _show(self) -> None:
        if self.controller is not None and self.player_screen is not None:
            self.player_screen.show(self.controller.view(), muted=self.muted)

    def _schedule(self) -> None:
        """One timer, for the next engine deadline or the next change of the clock shown."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        controller = self.controller
        if controller is None or controller.over:
            return
        at = controller.wake_at()
        if at is not None:
            self._timer = self.set_timer(max(0.0, at - self.clock()), self.tick, name="vmo-engine")

    def _routine_over(self) -> None:
        self._schedule()  # cancels the timer
        self.refresh_bindings()
        assert self.routine is not None
        if should_ask_pain(self.routine.ask_pain, self.settings.ask_pain):
            from player.ui.dialogs import PainPrompt

            self.push_screen(PainPrompt(_question(PAIN_QUESTION_AFTER)), self._finish)
        else:
            self._finish(None)

    def _finish(self, pain_after: int | None) -> None:
        from player.ui.summary import SummaryScreen

        controller = self.controller
        assert controller is not None and self.routine is not None
        self.pain = (self.pain[0], pain_after)
        if controller.recorder is not None and not controller.recorder.finished:
            controller.recorder.note_pain_after(pain_after)
        if warning := controller.record():
            self.notice(warning, "warning")
        summary = SummaryScreen(self.routine, controller.outcome(), self.pain)
        self.player_screen = None
        if self._is_player(self.screen):
            self.switch_screen(summary)
        else:
            self.push_screen(summary)

    def _is_player(self, screen: Screen) -> bool:
        from player.ui.player_screen import PlayerScreen

        return isinstance(screen, PlayerScreen)

    def action_close_summary(self) -> None:
        """Leave the summary: back to the library, or quit after `vmo play`."""
        self.controller = None
        if self.entries is None:
            self.exit(0)
        else:
            self.pop_screen()

    def on_library_screen_routine_chosen(self, message: object) -> None:
        """The library asked to start a routine."""
        entry = getattr(message, "entry")
        if entry.routine is not None:
            self.begin(entry.routine)

    # ----- which keys apply now -----

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enable exactly the player keys that make sense in the routine's state (the footer follows)."""
        if action not in _PLAYING_ACTIONS:
            return True
        c = self.controller
        if c is None or c.over or not self._is_player(self.screen):
            return False
        from player.engine import State

        state = c.state
        seg = c.snapshot().segment
        manual = seg is not None and seg.seconds is None
        allowed = {
            "pause": state is State.RUNNING,
            "resume": state is State.PAUSED,
            "toggle_pause": state in (State.RUNNING, State.PAUSED),
            "next": state in (State.RUNNING, State.PAUSED),
            "next_or_no": True,
            "back": True,
            "skip_exercise": True,
            "longer": state in (State.RUNNING, State.PAUSED) and not manual,
            "shorter": state in (State.RUNNING, State.PAUSED) and not manual,
            "done": state in (State.RUNNING, State.PAUSED) and manual,
            "easing_yes": state is State.ASKING,
            "easing_no": state is State.ASKING,
        }
        return allowed[action]

    # ----- player actions -----

    def _control(self, move: Callable[[PlayController], list[Event] | None]) -> None:
        if self.controller is not None and not self.controller.over:
            self._after(move(self.controller))

    def action_pause(self) -> None:
        """Pause the clock."""
        self._control(lambda c: c.toggle_pause())

    def action_resume(self) -> None:
        """Resume after a pause."""
        self._control(lambda c: c.toggle_pause())

    def action_toggle_pause(self) -> None:
        """Pause or resume (the button)."""
        self._control(lambda c: c.toggle_pause())

    def action_next(self) -> None:
        """Next segment."""
        self._control(lambda c: c.skip())

    def action_next_or_no(self) -> None:
        """The Next button: "not easing" while the easing question is open."""
        from player.engine import State

        if self.controller is not None and self.controller.state is State.ASKING:
            self.action_easing_no()
        else:
            self.action_next()

    def action_back(self) -> None:
        """Restart the segment or go back one."""
        self._control(lambda c: c.back())

    def action_skip_exercise(self) -> None:
        """Skip the rest of this exercise."""
        self._control(lambda c: c.skip_exercise())

    def action_longer(self) -> None:
        """Ten seconds more."""
        self._control(lambda c: c.extend(EXTEND_STEP))

    def action_shorter(self) -> None:
        """Ten seconds less."""
        self._control(lambda c: c.extend(-EXTEND_STEP))

    def action_done(self) -> None:
        """Done with the reps at your own pace."""
        self._control(lambda c: c.done())

    def action_easing_yes(self) -> None:
        """Yes, it is easing."""
        self._control(lambda c: c.answer_easing(True))

    def action_easing_no(self) -> None:
        """Not easing yet."""
        self._control(lambda c: c.answer_easing(False))

    def action_toggle_mute(self) -> None:
        """Sound off or on."""
        self.muted = not self.muted
        if self.cues is not None:
            self.cues.muted = self.muted
        elif not self.muted:
            self._open_audio()  # started with --mute: open the device now
        self.notice("Sound off" if self.muted else "Sound on")
        self._show()

    def action_toggle_voice(self) -> None:
        """Spoken cues or tones."""
        self.voice = not self.voice
        if self.cues is not None:
            self.cues.voice = self.voice
        self.notice("Voice on" if self.voice else "Voice off: tones only")

    def action_quit_player(self) -> None:
        """q: ask before stopping a routine in progress; otherwise quit."""
        c = self.controller
        if c is None or not c.mid_routine:
            self.exit(0)
            return
        from player.ui.dialogs import ConfirmStop

        self._pause_for_overlay()
        self.push_screen(ConfirmStop(), self._after_confirm)

    def _after_confirm(self, stop: bool | None) -> None:
        if stop:
            self._control(lambda c: c.stop())

    def _pause_for_overlay(self) -> None:
        """A screen is about to cover the player: hold the clock so nothing is missed."""
        if self.controller is not None and self.controller.running and self._is_player(self.screen):
            self._after(self.controller.pause())

    # ----- screens from anywhere -----

    def action_help(self) -> None:
        """The keys of the current screen."""
        from player.ui.help import HelpScreen
        from player.ui.keys import BEFORE_KEYS, LIBRARY_KEYS, PLAYER_KEYS, SUMMARY_KEYS

        name = type(self.screen).__name__
        keys, title = {
            "LibraryScreen": (LIBRARY_KEYS, "Library keys"),
            "PlayerScreen": (PLAYER_KEYS, "Player keys"),
            "SummaryScreen": (SUMMARY_KEYS, "Summary keys"),
            "BeforeScreen": (BEFORE_KEYS, "Keys"),
        }.get(name, (PLAYER_KEYS, "Keys"))
        self._pause_for_overlay()
        self.push_screen(HelpScreen(title, keys))

    def action_history(self) -> None:
        """Sessions played and sessions per week."""
        from player.adherence import summarize
        from player.history import load_history
        from player.ui.history_screen import HistoryScreen, history_lines

        self._pause_for_overlay()
        found, warning = load_history(self.store.path if self.store is not None else None)
        today = self.today()
        summary = summarize(found.records, today, self.settings.weekly_target, limit=10)
        self.push_screen(HistoryScreen(history_lines(summary, bool(found.records), today), warning))

    def action_cramp(self) -> None:
        """Cramp help now, from any screen (the routine pauses first)."""
        try:
            module = importlib.import_module("player.ui.cramp")
        except ModuleNotFoundError as exc:
            if exc.name != "player.ui.cramp":
                raise
            self.notice("Cramp help is not available in this version", "warning")
            return
        self._pause_for_overlay()
        self.push_screen(module.CrampScreen())


def run_app(app: VmoApp) -> int:
    """Run `app` in the terminal and return its exit status; the session is recorded whatever happens."""
    try:
        result = app.run()
    finally:
        app.finalize()
    if isinstance(result, int):
        return result
    return app.return_code or 0
