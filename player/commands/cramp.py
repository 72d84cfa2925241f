"""`vmo cramp [MUSCLE]`: the cramp-time quick stretch, counting from the first frame.

No library scan and no separate safety screen: the muscle's routine file is loaded
straight from the bundled folder, and the first hold starts at once. Textual is
imported only for the full-screen mode, audio only in a thread after the first
countdown is on screen.
"""

from __future__ import annotations

import argparse
import math
import sys
import threading
import time
from typing import TYPE_CHECKING, Callable, TextIO

from player.errors import EXIT_OK
from player.startup import first_frame_shown

if TYPE_CHECKING:
    from datetime import datetime

    from player.cramp import CrampEpisode, DeferredCues, Muscle
    from player.engine import Session
    from player.events import Event
    from player.model import Routine
    from player.timeline import Timeline


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo cramp`."""
    p = sub.add_parser(
        "cramp", help="cramp-time quick stretch, starts at once",
        description=(
            "Cramp-time quick stretch: a gentle stretch of the cramping muscle, counting at once, "
            "held until it eases, then after-care. MUSCLE defaults to the quadriceps (front of the thigh, VMO)."
        ),
    )
    p.add_argument(
        "muscle", metavar="MUSCLE", nargs="?", default=None,
        help="quadriceps (default), hamstring or calf; see --list",
    )
    p.add_argument("--list", action="store_true", help="name the muscles and their short names, then exit")
    p.add_argument(
        "--plain", action="store_true",
        help="plain lines of text, no full-screen UI (screen readers, logs, dumb terminals)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """List the muscles, or start the stretch for one."""
    from player.cramp import list_lines, load_cramp_routine, resolve_muscle

    if args.list:
        for line in list_lines():
            print(line)
        return EXIT_OK
    muscle = resolve_muscle(args.muscle)
    routine = load_cramp_routine(muscle)
    if args.plain or not _is_terminal(sys.stdout) or not _is_terminal(sys.stdin):
        from player.terminal import protect_streams

        protect_streams()  # a non-UTF-8 terminal gets "-" for "·", not a crash
        return play_cramp_plain(
            muscle, routine, speed=args.speed, mute=args.mute,
            audio=getattr(args, "audio", None), voice=getattr(args, "voice", None),
        )
    from player.ui.cramp import CrampApp

    app = CrampApp(
        muscle, routine=routine, speed=args.speed, mute=args.mute,
        audio=getattr(args, "audio", None), voice=getattr(args, "voice", None),
    )
    from player.ui.safe import use_ascii_drawing

    use_ascii_drawing()  # a terminal that is not UTF-8 gets ASCII digits and boxes
    app.run()
    return app.return_code or EXIT_OK


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# ----- plain mode -----


def play_cramp_plain(
    muscle: "Muscle",
    routine: "Routine",
    *,
    speed: float = 1.0,
    mute: bool = False,
    audio: str | None = None,
    voice: bool | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """The cramp stretch as plain lines (the plain player with cramp keys); returns the exit status."""
    import os

    from datetime import datetime

    from player.cramp import CrampEpisode, DeferredCues
    from player.engine import Session
    from player.errors import EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED
    from player.plain import (
        GuardedOutput, LineInput, OutputClosed, _Terminated, live_terminal, sigterm_unwinds, stop_unfinished,
        terminal_keys,
    )
    from player.timeline import compile_timeline

    stdin = sys.stdin if stdin is None else stdin
    # Output that goes away (| head, a closed terminal, a closed stdout) stops the stretch, which is recorded.
    stdout = GuardedOutput(sys.stdout if stdout is None else stdout)  # type: ignore[assignment]
    stderr = GuardedOutput(sys.stderr if stderr is None else stderr, quiet=True)  # type: ignore[assignment]
    timeline = compile_timeline(routine)
    session = Session(timeline, speed=speed)
    episode = CrampEpisode(muscle.name, speed)
    cues = DeferredCues(clock)
    started = datetime.now().astimezone()
    in_fd = _fileno(stdin)
    keys_tty = in_fd is not None and os.isatty(in_fd)
    opener = None if mute else _AudioOpener(routine, cues, audio, voice, stdout, stderr)
    options = dict(
        title=routine.name, clock=clock, live=live_terminal(stdout), keys_are_terminal=keys_tty,
        sink=_sink(episode, cues, opener), width=_width, warn=stderr,
    )
    status = EXIT_OK
    try:
        with sigterm_unwinds():
            _header(muscle, stdout, keys_tty)
            first_frame_shown()  # the plain player's first frame: the collector runs again
            if keys_tty:
                assert in_fd is not None
                with terminal_keys(in_fd) as keys:
                    status = _player_class()(session, stdout, keys, episode=episode, **options).run()
            else:
                status = _player_class()(session, stdout, LineInput(in_fd), episode=episode, **options).run()
    except _Terminated as signalled:  # outside the player's loop: the header
        status = signalled.status
    except OutputClosed:
        status = EXIT_OUTPUT_CLOSED
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
    finally:
        stop_unfinished(session, clock())
        _record(routine, timeline, session, episode, started, speed, clock(), stderr)
        try:
            _closing(routine, episode, session, stdout)
        except OutputClosed:
            pass
        if status == EXIT_OUTPUT_CLOSED:
            print("vmo: the output was closed: the stretch stopped, and what was played is recorded", file=stderr)
        if opener is not None:
            opener.close(drain=1.0 if status == EXIT_OK else 0.0)
    return status


def _record(
    routine: "Routine", timeline: "Timeline", session: "Session", episode: "CrampEpisode",
    started: "datetime", speed: float, now: float, stderr: TextIO,
) -> None:
    """Append the episode to the history. The recorder is made only now: its module pulls in
    the YAML loader, which the first countdown line should not wait for."""
    from player.cramp import record_episode
    from player.history import SessionRecorder

    recorder = SessionRecorder(
        routine, timeline.total_seconds, segments_total=len(timeline.segments), player="plain", speed=speed,
    )
    recorder.start = started
    warning = record_episode(recorder, session, episode, now)
    if warning:
        print(warning, file=stderr)


def _fileno(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, ValueError, OSError):
        return None


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _header(muscle: "Muscle", out: TextIO, keys_tty: bool) -> None:
    from player.cramp import SAFETY_LINE

    out.write(f"Cramp: {muscle.label}\n  ! {SAFETY_LINE}\n")
    if keys_tty:
        out.write("Keys: Space, Enter or y = yes / continue · n = not easing yet · q = quit\n")
    else:
        out.write("A line of input answers yes to \"Is it easing?\".\n")
    out.flush()


def _sink(
    episode: "CrampEpisode", cues: "DeferredCues", audio: "_AudioOpener | None",
) -> Callable[["Event"], None]:
    """Each engine event: into the episode's facts, then to the sound (held until the device is open)."""
    from player.events import CueFired, Escalated

    def sink(event: "Event") -> None:
        episode.observe([event])
        if audio is not None and isinstance(event, CueFired):
            # The hold's first line is out by the time its opening cue comes: only now may
            # opening the sound device compete with it for the interpreter.
            audio.start()
        cues.handle(event)
        if isinstance(event, Escalated) and (play := getattr(cues.player, "play", None)) is not None:
            play("bell")  # the urgent message deserves a sound of its own

    return sink


def _closing(routine: "Routine", episode: "CrampEpisode", session: object, out: TextIO) -> None:
    """The red flags close the routine, however it ended."""
    from player.cramp import RED_FLAGS_TITLE
    from player.engine import State
    from player.plain import clean

    lines = [""]
    if getattr(session, "state", None) is State.FINISHED:
        lines.append("Done. Keep things easy for the next few hours; if the cramp comes back, stretch again.")
    lines.append(RED_FLAGS_TITLE)
    lines += [f"  ! {clean(note)}" for note in routine.safety]
    out.write("\n".join(lines) + "\n")
    out.flush()


class _AudioOpener:
    """Opens the sound device in a thread, so the first countdown line never waits for it."""

    def __init__(
        self, routine: "Routine", cues: "DeferredCues", audio: str | None, voice: bool | None,
        stdout: TextIO, stderr: TextIO,
    ) -> None:
        self.player: object | None = None
        self._thread = threading.Thread(
            target=self._open, args=(routine, cues, audio, voice, stdout, stderr), name="vmo-audio", daemon=True,
        )
        self._started = False

    def start(self) -> None:
        """Begin opening the device (once)."""
        if not self._started:
            self._started = True
            self._thread.start()

    def _open(
        self, routine: "Routine", cues: "DeferredCues", audio: str | None, voice: bool | None,
        stdout: TextIO, stderr: TextIO,
    ) -> None:
        try:
            from player.audio import open_cue_player, terminal_bell
            from player.settings import get_settings

            settings = get_settings(warn=stderr)
            if voice is None:
                voice = True if settings.voice is None else settings.voice
            player, notice = open_cue_player(
                audio or settings.audio, voice=voice, bell=terminal_bell(stdout), user_sounds=settings.sounds,
            )
            player.prepare(routine)
        except Exception as exc:  # sound is a help, never a reason to stop the stretch
            print(f"vmo: no sound: {exc}", file=stderr)
            return
        if notice:
            print(f"vmo: {notice}", file=stderr)
        self.player = player
        cues.attach(player)

    def close(self, drain: float) -> None:
        """Release the device once any last sound has played out (briefly)."""
        if self._started:
            self._thread.join(timeout=2.0)
        close = getattr(self.player, "close", None)
        if close is not None:
            close(drain)


_PLAYER_CLASS: type | None = None


def _player_class() -> type:
    """The plain player with the cramp keys (built on first use, so `vmo --help` never imports it)."""
    global _PLAYER_CLASS
    if _PLAYER_CLASS is None:
        _PLAYER_CLASS = _build_player_class()
    return _PLAYER_CLASS


def _build_player_class() -> type:
    from player.cramp import elapsed_text
    from player.durations import format_clock
    from player.engine import IllegalMove, State
    from player.events import EasingAsked
    from player.plain import PlainPlayer, clean

    class CrampPlainPlayer(PlainPlayer):
        """The plain player with one-handed cramp keys: Space/Enter/y yes or continue, n not yet, q quit."""

        def __init__(self, *args: object, episode: "CrampEpisode", **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.episode = episode

        def _key(self, key: str, now: float) -> list:  # type: ignore[override]
            s = self.session
            try:
                if key in (" ", "\r", "\n", "y", "Y"):
                    if s.state is State.ASKING:
                        return s.answer_easing(True, now)
                    if s.state is State.RUNNING:
                        seg = s.snapshot(now).segment
                        if seg is not None and seg.until_eased:
                            self.episode.note_eased(now)  # moving on from a hold: it has eased
                        return s.skip(now)
                    return []
                if key in ("n", "N"):
                    return s.answer_easing(False, now) if s.state is State.ASKING else []
            except IllegalMove:
                return []
            if key in ("q", "Q", "line", "eof"):
                return super()._key(key, now)
            return []  # no pause, back or extend here: fewer ways to go wrong mid-cramp

        def _format(self, e: "Event") -> str | None:  # type: ignore[override]
            if isinstance(e, EasingAsked) and self.keys_are_terminal:
                return f"{self._clock_at(e.at)}  Is it easing? (Space, Enter or y = yes · n = not yet)"
            return super()._format(e)

        def _status(self, now: float) -> str:
            snap = self.session.snapshot(now)
            seg = snap.segment
            if snap.state in (State.FINISHED, State.STOPPED) or seg is None:
                return ""
            elapsed = f"cramp time {elapsed_text(self.episode.elapsed(now))}"
            if snap.asking_easing:
                keys = "  Space/Enter yes · n not yet · q quit" if self.keys_are_terminal else ""
                return f"Is it easing?{keys} · {elapsed}"
            left = format_clock(math.ceil((snap.remaining or 0.0) - 1e-6))
            head = f"{left} left  {clean(seg.name)}"
            if seg.until_eased:
                head += f" · hold {snap.attempt}"
                keys = "Space: it has eased · q quit"
            else:
                keys = "Space: next step · q quit"
            return f"{head} · {elapsed} · {keys}"

    return CrampPlainPlayer
