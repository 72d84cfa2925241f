"""The Textual app: owns the routine being played and drives its engine from one timer.

Attributes down, messages up: screens show what the app hands them and run the
app's actions from keys and buttons; only the app (through its PlayController)
touches the engine, the cue player and the history. The clock is injected, so
tests drive the whole app with a fake one.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable, Iterator

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from player.errors import EXIT_HANGUP, EXIT_INTERRUPTED, EXIT_TERMINATED
from player.startup import first_frame_shown

if TYPE_CHECKING:
    from player.audio import CuePlayer
    from player.events import Event
    from player.history import HistoryFile
    from player.library import Entry
    from player.model import Routine
    from player.settings import Settings
    from player.timeline import Segment
    from player.ui.controller import PlayController
    from player.ui.player_screen import PlayerScreen
    from player.ui.today import Session, Today
    from player.watch import Reloader
    from player.programme import Programme

# Imports are lazy (inside methods) so that the first screen is drawn before the
# engine, the settings (which pull in the audio package) and the player screen load.

SHUTDOWN_GRACE = 5.0  # seconds a signalled exit may take before the process leaves regardless
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

    CSS_PATH = str(Path(__file__).with_name("vmo.tcss"))  # absolute: a subclass elsewhere still finds it
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
        settings: Settings | None = None,
        clock: Callable[[], float] = time.monotonic,
        cues: CuePlayer | None = None,
        store: HistoryFile | None = None,
        today: Callable[[], date] | None = None,
        audio: str | None = None,
        voice: bool | None = None,
        watch: str | None = None,
        graphics: str | None | bool = True,
        rescan: Callable[[], list[Entry]] | None = None,
        folders: list[str] | None = None,
        now: Callable[[], datetime] | None = None,
        programme: Programme | None = None,
        affected_side: str | None = None,
    ) -> None:
        super().__init__()
        self.routine = routine
        self.entries = entries
        # Reads the library again, stat'ing every file: the first frame shows the index as
        # it was, and this catches up with any change right after it.
        self._rescan = rescan
        self.speed = speed
        self._settings = settings
        self.clock = clock
        self.muted = mute
        self._voice: bool | None = voice  # --voice / --no-voice; None: the setting decides
        self.audio_choice = audio  # --audio; None: the setting decides
        self.watch = watch  # --watch: the routine file's name as shown; previews are not recorded
        self._reloader: Reloader | None = None
        self.cues = cues
        self.store = store
        self.today = today or (lambda: date.today())
        self._now = now  # the time programme records are written with; default: the wall clock
        self._folders = list(folders or [])  # --routines: where programmes are looked up
        self.today_data: Today | None = None  # what is due: read after the first frame
        self._programme = programme  # `vmo play PROGRAMME`: its next session due, questions as dialogs
        self._affected_side = affected_side  # --affected-side
        self.controller: PlayController | None = None
        self.player_screen: PlayerScreen | None = None
        self.pain: tuple[int | None, int | None] = (None, None)
        self.notices: list[str] = []     # every notice shown, for tests and the log
        self._timer: asyncio.TimerHandle | None = None
        self._audio_opening = False
        self._allowed: dict[str, bool] = {}
        self._cues_closed = False
        self.in_terminal = False  # set by run_app: signals may then end the process itself
        self._watchdog: threading.Timer | None = None
        self._first_frame_done = False
        # The terminal's picture protocol ("kitty", "sixel") or None; True: guess it from the environment.
        if graphics is True:
            from player.ui.pictures import graphics_protocol

            graphics = graphics_protocol()
        self.graphics: str | None = graphics or None

    # ----- start-up and shut-down -----

    @property
    def settings(self) -> Settings:
        """The user's settings, read on first use; problems become notices (stderr is not visible here)."""
        if self._settings is None:
            from player.settings import load_settings

            self._settings, problems = load_settings()
            for problem in problems:
                self.notice(str(problem), "warning")
        return self._settings

    @property
    def voice(self) -> bool:
        """Spoken cues (True) or tones; the `voice` setting, on unless set off."""
        if self._voice is None:
            self._voice = self.settings.voice if self.settings.voice is not None else True
        return self._voice

    @voice.setter
    def voice(self, value: bool) -> None:
        self._voice = value

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.cues is not None:
            self._apply_audio_state(self.cues)
        if self.routine is not None:
            self.begin(self.routine)
        elif self._programme is not None:
            self.start_due(self._programme)  # the questions as dialogs, then the safety notes
        else:
            from player.ui.library import LibraryScreen

            self.push_screen(LibraryScreen(self.entries or []))
        # After the first frame: settings, then the sound device (decoding the cues takes a moment).
        self.call_after_refresh(first_frame_shown)
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.settings
        if self.cues is None and not self.muted:
            self._open_audio()
        self._first_frame_done = True
        self._preload_pictures()
        if self._rescan is not None:
            self.run_worker(self._catch_up_library, thread=True, group="library", exit_on_error=False)
        if self.entries is not None:
            self.refresh_today()

    def _catch_up_library(self) -> None:
        assert self._rescan is not None
        entries = self._rescan()
        self.call_from_thread(self._library_caught_up, entries)

    def _library_caught_up(self, entries: list[Entry]) -> None:
        from player.ui.library import LibraryScreen

        if entries == self.entries:
            return
        self.entries = entries
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.replace_entries(entries)

    def _preload_pictures(self) -> None:
        """While the safety notes show: import the picture libraries if this routine will draw pictures."""
        from player.ui.pictures import routine_has_images

        if self.graphics is not None and routine_has_images(self.routine):
            self.run_worker(self._import_picture_libraries, thread=True, group="pictures", exit_on_error=False)

    def _import_picture_libraries(self) -> None:
        from player.ui.pictures import load_image_widget

        try:
            load_image_widget(self.graphics or "")
            import PIL.Image  # noqa: F401 - imported here rather than while the player's clock runs
            import resvg_py  # noqa: F401
        except Exception:  # noqa: BLE001 - the player screen reports a picture that cannot be drawn
            pass

    def on_unmount(self) -> None:
        self._remove_signal_handlers()
        self.finalize()

    def _install_signal_handlers(self) -> None:
        # Textual restores the terminal only when it exits through its own loop;
        # SIGTERM or SIGHUP would otherwise kill it raw, in the alternate screen.
        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, self.interrupt, EXIT_TERMINATED)
            loop.add_signal_handler(signal.SIGHUP, self.interrupt, EXIT_HANGUP)
            # An external SIGINT (kill -INT) is Ctrl-C too: 130, not a quiet 0.
            loop.add_signal_handler(signal.SIGINT, self.interrupt, EXIT_INTERRUPTED)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or a platform without them

    def _remove_signal_handlers(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            loop.remove_signal_handler(signal.SIGTERM)
            loop.remove_signal_handler(signal.SIGHUP)
            loop.remove_signal_handler(signal.SIGINT)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    def notice(self, text: str, severity: str = "information") -> None:
        """Show a one-line notice (literal text) and remember it."""
        self.notices.append(text)
        from player.ui.cramp import CrampScreen

        try:
            screen = self.screen
        except Exception:  # no screen yet
            screen = None
        if isinstance(screen, CrampScreen):  # nothing may cover its safety text: no toast there
            screen.say(text)
            return
        self.notify(text, severity=severity, markup=False)  # type: ignore[arg-type]

    def finalize(self) -> None:
        """Record the session if it was not yet (every exit path), and release the sound device; once."""
        if self.controller is not None:
            warning = self.controller.record()
            if warning:
                self.notices.append(warning)
        if self.cues is not None and not self._cues_closed:
            self._cues_closed = True
            self.cues.close(drain=0.5)

    def interrupt(self, status: int = EXIT_INTERRUPTED) -> None:
        """Ctrl-C, SIGTERM or SIGHUP: stop and record what was played, then exit with `status`."""
        if self.controller is not None:
            self.controller.stop()
            self.controller.record()
        if self.in_terminal and status == EXIT_HANGUP:
            # The terminal may be gone: Textual's shutdown would write to it and can wait
            # forever on its writer thread. Restore what can be restored without waiting
            # (a `kill -HUP` leaves the terminal open), then leave.
            if self.cues is not None:
                self.cues.close(drain=0.0)
            from player.terminal import restore_app_terminal

            restore_app_terminal(self)
            os._exit(status)
        if self.in_terminal and self._watchdog is None:
            # Should the shutdown hang all the same, leave anyway: the session is recorded.
            self._watchdog = threading.Timer(SHUTDOWN_GRACE, os._exit, (status,))
            self._watchdog.daemon = True
            self._watchdog.start()
        self.exit(status, return_code=status)

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

        settings = self.settings  # read on the app thread already (_after_first_frame)
        try:
            cues, notice = open_cue_player(
                self.audio_choice or settings.audio, voice=self.voice, bell=self._bell_from_any_thread, user_sounds=settings.sounds
            )
        except Exception as exc:  # noqa: BLE001 - no sound must never stop a routine
            self.call_from_thread(self.notice, f"no sound: {exc}", "warning")
            return
        self.call_from_thread(self._audio_ready, cues, notice)

    def _bell_from_any_thread(self) -> None:
        # The silent backend rings per cue; the speech worker may call from its own thread.
        if threading.get_ident() == self._thread_id:
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
        if self._first_frame_done:  # from the library: `vmo play` preloads after its first frame
            self._preload_pictures()

    def _after_before(self, go: bool | None) -> None:
        from player.pain import PAIN_QUESTION_BEFORE, should_ask_pain

        if not go:
            if self.entries is None:
                self.exit(0)  # `vmo play`: nothing played, nothing recorded
            return
        assert self.routine is not None
        if should_ask_pain(self.routine.ask_pain, self.settings.ask_pain) and self.watch is None:
            from player.ui.dialogs import PainPrompt

            self.push_screen(PainPrompt(_question(PAIN_QUESTION_BEFORE)), self._start_player)
        else:
            self._start_player(None)

    def _start_player(self, pain_before: int | None) -> None:
        from player.history import SessionRecorder
        from player.ui.controller import PlayController
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
        controller.recorder = recorder if self.watch is None else None
        self.controller = controller
        if self.watch is None and (warning := recorder.check_writable()):
            self.notice(warning, "warning")
        self.player_screen = PlayerScreen(graphics=self.graphics)
        self.push_screen(self.player_screen)
        self._after(controller.start())
        if self.watch is not None and self._reloader is None:
            from player.watch import POLL_SECONDS, Reloader

            self._reloader = Reloader(routine, self.watch, self.speed)
            self.set_interval(POLL_SECONDS, self.poll_watch)

    def poll_watch(self) -> None:
        """--watch: after a save, carry on in the new version at the same place, or show its problems."""
        from player.ui.player_screen import PlayerScreen

        controller, reloader = self.controller, self._reloader
        if controller is None or reloader is None:
            return
        found = reloader.poll(controller.session, self.clock())
        if found is None:
            return
        if found.session is None or found.routine is None:
            text = f"{reloader.display} has errors; still playing the version before:\n" + "\n".join(
                str(p) for p in found.problems
            )
            self.notices.append(text)
            self.notify(text, title="Not reloaded", severity="error", timeout=30, markup=False)
            return
        self.routine = found.routine
        if self.player_screen is None:  # the summary shows: back to the player
            self.player_screen = PlayerScreen(graphics=self.graphics)
            self.switch_screen(self.player_screen)
        self.notice(f"{reloader.display} reloaded; carrying on at the same place")
        self._update_allowed()
        self._after(controller.replace(found.session, found.routine, found.events))

    def tick(self) -> None:
        """Catch the engine up with the clock and refresh the display (the timer calls this; tests may)."""
        if self.controller is not None and not self.controller.over:
            self._after(self.controller.tick())

    def _after(self, events: list[Event] | None) -> None:
        """Show what the events changed, reschedule the timer, and end the routine when it ended."""
        from player.events import EasingAsked, Paused, Resumed, RoutineFinished, SegmentStarted, Stopped

        controller = self.controller
        if controller is None:
            return
        self._show()
        events = events or []
        if any(isinstance(e, (SegmentStarted, Paused, Resumed, EasingAsked, RoutineFinished, Stopped)) for e in events):
            self._update_allowed()
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
        """One timer, for the next engine deadline or the next change of the clock shown.

        An asyncio timer rather than Textual's `set_timer`: a one-shot Textual timer
        whose task starts after its (sub-millisecond) due time is skipped, never fired,
        which would stall the routine on a busy machine. The callback only queues
        `tick` on the app, so it runs like any other message (errors included).
        """
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        controller = self.controller
        if controller is None or controller.over:
            return
        at = controller.wake_at()
        if at is not None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(max(0.0, at - self.clock()), self.call_next, self.tick)

    def _routine_over(self) -> None:
        from player.pain import PAIN_QUESTION_AFTER, should_ask_pain

        self._schedule()  # cancels the timer
        self.refresh_bindings()
        assert self.routine is not None
        if should_ask_pain(self.routine.ask_pain, self.settings.ask_pain) and self.watch is None:
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
        if self.entries is not None:
            self.refresh_today()  # the session may have done today's, or brought a proposal
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
        """The library asked to start a routine: with this session's dose and its sides, as `vmo play ROUTINE`."""
        from player.ui.today import with_dose

        routine = getattr(message, "routine")
        if not any(e.progress is not None or e.sides for e in routine.exercises()):
            self.begin(routine)
            return
        followed = self.today_data.followed if self.today_data is not None else ()
        routine, area, programme_id = with_dose(routine, followed, self.today())
        if area is None or programme_id is None:
            self._resolve_sides(routine, None)
            return
        from player.ui.programme_screen import NextDayPrompt

        def answered(answer: str | None) -> None:
            from player.planrecords import NextDayAnswer

            if answer is not None:
                self.record(NextDayAnswer(self.now(), answer, routine.id, programme_id))
            self._resolve_sides(routine, None)

        self.push_screen(NextDayPrompt(area), answered)

    # ----- programmes: what is due, the next session, proposals -----

    def now(self) -> datetime:
        """The time a programme record is written with (local, with its UTC offset)."""
        if self._now is not None:
            return self._now()
        from player.following import now

        return now()

    def refresh_today(self) -> None:
        """Read what is due today in a worker; the library and programme screens follow when it is read."""
        self.run_worker(self._read_today, thread=True, group="today", exclusive=True, exit_on_error=False)

    def _read_today(self) -> None:
        from player.ui.today import read_today

        today = read_today(self._folders, self.today())
        self.call_from_thread(self.show_today, today)

    def show_today(self, today: Today) -> None:
        """What is due today, on the library and any programme screen."""
        from player.ui.library import LibraryScreen
        from player.ui.programme_screen import ProgrammeScreen

        first = self.today_data is None
        self.today_data = today
        if first:
            for warning in today.warnings:
                self.notice(warning, "warning")
        plans = {f.programme.id: f.plan for f in today.followed}
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.show_today(today)
            elif isinstance(screen, ProgrammeScreen) and screen.programme.id in plans:
                screen.show(plans[screen.programme.id])

    def action_start_due(self) -> None:
        """The library's one key: play the first session due today (as `vmo today` lists them)."""
        if self.today_data is None:
            self.notice("Still reading what is due today; try again in a moment")
            return
        due = self.today_data.due()
        if not due:
            self.notice("Nothing is due today" if self.today_data.followed else
                        "You follow no programme: 'vmo start PROGRAMME' starts one")
            return
        followed, item = due[0]
        self.start_due(followed.programme, item.routine)

    def start_due(self, programme: Programme, routine_id: str | None = None) -> None:
        """Play a programme's next session due today, as `vmo play PROGRAMME` does: the next-day question first when
        the programme uses it, then the affected side if nothing says it, then the safety notes."""
        from player.ui.today import read_session
        from player.ui.safe import sanitize

        session = read_session(programme, self.today(), routine_id)
        if session is None:
            self.notice(f"Nothing is due today in {sanitize(programme.name)}")
            if self.entries is None:
                self.exit(0)
            return
        if session.next_day_area is None:
            self._resolve_sides(session.routine, session.programme)
            return
        from player.ui.programme_screen import NextDayPrompt

        self.push_screen(NextDayPrompt(session.next_day_area), lambda answer: self._after_next_day(session, answer))

    def _after_next_day(self, session: Session, answer: str | None) -> None:
        from player.planrecords import NextDayAnswer

        if answer is not None:
            self.record(NextDayAnswer(self.now(), answer, session.item.routine, session.programme.id))
        self._resolve_sides(session.routine, session.programme)

    def _resolve_sides(self, routine: Routine, programme: Programme | None) -> None:
        from player.playprep import known_side, resolve_sides, uses_patient_sides

        if not uses_patient_sides(routine):
            self.begin(routine)
            return
        side = known_side(self._affected_side, None if programme is None or programme.routine_based else programme)
        if side is not None:
            self.begin(resolve_sides(routine, side))
            return
        from player.ui.programme_screen import SidePrompt

        self.push_screen(SidePrompt(), lambda side: self._after_side(routine, side))

    def _after_side(self, routine: Routine, side: str | None) -> None:
        from player.playprep import remember_setting, resolve_sides

        if side is None:
            self.notice("Which side is affected is not known, so the sides are called affected and unaffected")
            self.begin(routine)
            return
        warning = remember_setting("affected_side", side)
        if warning:
            self.notice(warning.removeprefix("vmo: "), "warning")
        else:
            self.notice(f"Saved: affected_side: {side} (settings.yaml)")
        self.begin(resolve_sides(routine, side))

    def record(self, record: object) -> None:
        """Append a programme record to the history (the store the sessions go to); a failure is a notice."""
        from player.history import default_store

        store = self.store if self.store is not None else default_store()
        warning = store.append(record)  # type: ignore[arg-type]
        if warning:
            self.notice(warning, "warning")

    def open_programme(self, programme: Programme) -> None:
        """The programme screen."""
        from player.ui.programme_screen import ProgrammeScreen

        followed = next((f for f in (self.today_data.followed if self.today_data else ()) if f.programme.id == programme.id), None)
        if followed is None or self.today_data is None:
            return
        self.push_screen(ProgrammeScreen(programme, followed.plan, self.today_data.on))

    def open_proposal(self, programme: Programme) -> None:
        """The pending proposal with its reasons: accepted or declined with one key; never applied by itself."""
        from player.following import read_records
        from player.planner import plan
        from player.ui.programme_screen import ProposalPrompt

        import contextlib
        import io

        with contextlib.redirect_stderr(io.StringIO()):
            result = plan(programme, read_records(), self.today())
        if result.proposal is None:
            self.notice("No proposal is pending")
            return
        proposal = result.proposal
        self.push_screen(ProposalPrompt(programme, proposal), lambda choice: self._after_proposal(programme, proposal, choice))

    def _after_proposal(self, programme: Programme, proposal: object, choice: object) -> None:
        from player.commands.advance import accepted, accepted_text
        from player.commands.decline import DECLINED_TEXT, declined
        from player.ui.programme_screen import Choice

        if choice is Choice.ACCEPT:
            self.record(accepted(programme, proposal, self.now()))
            self.notice(accepted_text(programme, proposal))
        elif choice is Choice.DECLINE:
            self.record(declined(programme, proposal, self.now()))
            self.notice(DECLINED_TEXT)
        else:
            return
        self.refresh_today()

    # ----- which keys apply now -----

    def _update_allowed(self) -> None:
        """Work out which player keys apply now; the footer is rebuilt only when that changes."""
        allowed = self._allowed_now()
        if allowed != self._allowed:
            self._allowed = allowed
            self.refresh_bindings()

    def _allowed_now(self) -> dict[str, bool]:
        from player.engine import State

        c = self.controller
        if c is None or c.over:
            return dict.fromkeys(_PLAYING_ACTIONS, False)
        state = c.state
        seg = c.snapshot().segment
        manual = seg is not None and seg.seconds is None
        going = state in (State.RUNNING, State.PAUSED)
        return {
            "pause": state is State.RUNNING,
            "resume": state is State.PAUSED,
            "toggle_pause": going,
            "next": going,
            "next_or_no": True,
            "back": True,
            "skip_exercise": True,
            "longer": going and not manual,
            "shorter": going and not manual,
            "done": going and manual,
            "easing_yes": state is State.ASKING,
            "easing_no": state is State.ASKING,
        }

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enable exactly the player keys that make sense in the routine's state (the footer follows)."""
        if action not in _PLAYING_ACTIONS:
            return True
        if not self._is_player(self.screen):
            return False
        return self._allowed.get(action, False)

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
        self._control(lambda c: c.extend())

    def action_shorter(self) -> None:
        """Ten seconds less."""
        self._control(lambda c: c.extend(-c.EXTEND_STEP))

    def action_done(self) -> None:
        """Done with the reps at your own pace; after `reps: max`, first ask how many."""
        c = self.controller
        seg = c.current_segment if c is not None and not c.over else None
        if seg is not None and seg.max_reps and c is not None and c.running:
            from player.ui.dialogs import CountPrompt
            from player.ui.safe import sanitize

            self._after(c.pause())  # the question's time is not the set's
            self.push_screen(CountPrompt(sanitize(seg.name)), lambda count: self._after_count(seg, count))
            return
        self._control(lambda c: c.done())

    def _after_count(self, seg: "Segment", count: int | None) -> None:
        """The answer to "How many did you do?": recorded unless skipped; then the set is done."""
        c = self.controller
        if c is None or c.over:
            return
        if count is not None and c.recorder is not None:
            c.recorder.note_reps_done(seg.name, seg.set, seg.side, count)
        self._after(c.toggle_pause())
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

    def action_toggle_picture(self) -> None:
        """Show or hide the exercise's picture."""
        if self.player_screen is not None:
            shown = self.player_screen.toggle_picture()
            self.notice("Pictures on" if shown else "Pictures off")

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
        from player.ui.keys import BEFORE_KEYS, LIBRARY_KEYS, PLAYER_KEYS, PROGRAMME_KEYS, SUMMARY_KEYS

        name = type(self.screen).__name__
        keys, title = {
            "LibraryScreen": (LIBRARY_KEYS, "Library keys"),
            "PlayerScreen": (PLAYER_KEYS, "Player keys"),
            "SummaryScreen": (SUMMARY_KEYS, "Summary keys"),
            "BeforeScreen": (BEFORE_KEYS, "Keys"),
            "ProgrammeScreen": (PROGRAMME_KEYS, "Programme keys"),
        }.get(name, (PLAYER_KEYS, "Keys"))
        self._pause_for_overlay()
        self.push_screen(HelpScreen(title, keys))

    def action_history(self) -> None:
        """Sessions played and sessions per week."""
        from player.adherence import summarize
        from player.history import HistoryStream
        from player.ui.history_screen import HistoryScreen, chart_data, history_lines

        from player.history import SessionRecord
        from player.ui.history_screen import prescribed_this_week

        self._pause_for_overlay()
        stream = HistoryStream(self.store.path if self.store is not None else None, all_kinds=True)
        today = self.today()
        events: list[object] = []  # programme records, kept aside while the sessions stream through

        def sessions() -> Iterator[SessionRecord]:
            for record in stream:
                if type(record) is SessionRecord:
                    yield record
                else:
                    events.append(record)

        summary = summarize(sessions(), today, self.settings.weekly_target, limit=10)
        prescribed = prescribed_this_week(events, today)
        self.push_screen(HistoryScreen(history_lines(summary, summary.seen > 0, today, prescribed), stream.warning,
                                       chart_data(summary, prescribed)))

    def action_cramp(self) -> None:
        """Cramp help now, from any screen (the routine pauses first). The cramp screen records its own episode."""
        try:
            from player.ui.cramp import CrampScreen
        except ImportError:
            self.notice("Cramp help is not available in this version", "warning")
            return
        if isinstance(self.screen, CrampScreen):
            return
        self._pause_for_overlay()
        screen = CrampScreen(clock=self.clock, speed=self.speed, cues=self.cues, store=self.store)
        self.push_screen(screen, self._after_cramp)

    def _after_cramp(self, outcome: object) -> None:
        # The cramp screen prepared the shared cue player for its own routine; take it back.
        if self.cues is not None and self.controller is not None and not self.controller.over:
            self.cues.prepare(self.controller.routine)
        if self.controller is not None and self.controller.mid_routine:
            self.notice("The routine is paused: space to resume")


def run_app(app: VmoApp) -> int:
    """Run `app` in the terminal and return its exit status; the session is recorded whatever happens."""
    app.in_terminal = True
    from player.ui.safe import use_ascii_drawing

    use_ascii_drawing()  # a terminal that is not UTF-8 gets ASCII digits, bars and boxes
    try:
        result = app.run()
    finally:
        app.finalize()
        if app._watchdog is not None:
            app._watchdog.cancel()
    if isinstance(result, int):
        return result
    return app.return_code or 0
