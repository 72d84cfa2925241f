"""The `vmo` command: argument parsing and the one place errors become exit codes.

Each command lives in `player.commands.<name>` and exposes `add_parser(subparsers)`
and `run(args) -> int`. Command modules import heavy libraries (Textual, audio)
inside `run`, so `vmo check` and `vmo cramp --plain` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from player import __version__
from player.errors import EXIT_INTERRUPTED, EXIT_USAGE, RoutineInvalid, VmoError
from player.startup import collector_paused, first_frame_shown
from player.terminal import protect_streams

# Must match player.audio.BACKEND_CHOICES (a test checks); kept here so parsing imports no audio code.
AUDIO_CHOICES = ("auto", "miniaudio", "simpleaudio", "bell", "none")

# Command modules, in the order `vmo --help` lists them.
COMMANDS = (
    "play", "cramp", "list", "show", "check", "schema", "history", "new", "export",
    "today", "plan", "start", "stop", "advance", "decline", "report",
)
# What may open a full screen (None: the library): the collector waits for its first frame
# (player/startup.py); their plain modes turn it back on after their first lines.
FULL_SCREEN = (None, "play", "cramp")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting with a wall of text."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageExit(f"{self.prog}: {message} (see '{self.prog} --help')")


class _UsageExit(Exception):
    pass


def add_common_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """The options cli.md lists as common to every command.

    They are accepted before and after the command name. On the command's own
    parser their defaults are suppressed, so `vmo --mute play x` keeps `--mute`.
    """
    keep = argparse.SUPPRESS
    parser.add_argument("--mute", action="store_true", default=False if top else keep, help="no sound")
    parser.add_argument(
        "--speed", type=_speed, default=1.0 if top else keep, metavar="X", help="play X times faster"
    )
    parser.add_argument(
        "--routines", action="append", default=[] if top else keep, metavar="DIR",
        help="an extra library folder (repeatable)",
    )
    # Audio options; None means "not given": the settings file (or the default) decides.
    parser.add_argument(
        "--audio", choices=AUDIO_CHOICES, default=None if top else keep,
        help="sound backend (default: the audio setting, else auto)",
    )
    parser.add_argument(
        "--voice", action=argparse.BooleanOptionalAction, default=None if top else keep,
        help="speak step names and countdown numbers (default: on)",
    )


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number such as 2 or 0.5, got {text!r}") from None
    if not (0.01 <= value <= 1000):
        raise argparse.ArgumentTypeError(f"must be between 0.01 and 1000, got {text!r}")
    return value


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with `only`, just that command's subparser (faster start-up)."""
    parser = _Parser(
        prog="vmo",
        description="A guided exercise routine player for the terminal. Run 'vmo' alone to open the library.",
    )
    parser.add_argument("--version", action="version", version=f"vmo {__version__}")
    add_common_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"player.commands.{name}")
        sp = module.add_parser(sub)
        add_common_options(sp)
        sp.set_defaults(_run=module.run)
    return parser


# Top-level options that take a value, so the word after them is not the command.
_VALUE_OPTIONS = ("--speed", "--routines", "--audio")


def command_named(argv: Sequence[str]) -> str | None:
    """The command word in `argv` if it is a known command, else None (help, typos, no command)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _VALUE_OPTIONS:
            skip = True
        elif word == "--":
            return None
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def _closed_streams(command: str | None) -> None:
    """A closed stderr (or a closed stdout, for a command that is not a player) writes to /dev/null.

    Python leaves sys.stdout None when descriptor 1 is closed. The players see
    that as output that went away (they stop and record, player/plain.py); other
    commands still do their work and keep their exit status.
    """
    import os

    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")
    if sys.stdout is None and command not in FULL_SCREEN:
        sys.stdout = open(os.devnull, "w")


def main(argv: Sequence[str] | None = None) -> int:
    """Run `vmo` with `argv` (default: the process's arguments) and return the exit status."""
    with collector_paused():  # back on after the first frame, or when the command returns
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(args_list: list[str]) -> int:
    protect_streams()  # a terminal in ISO-8859-1 gets "..." for "…", never a UnicodeEncodeError
    _closed_streams(command_named(args_list))
    try:
        # Building every command's parser imports every command module; `vmo cramp`
        # should not pay for that, so a known command gets a parser of its own.
        parser = build_parser(command_named(args_list))
        args = parser.parse_args(args_list)
        if args.command not in FULL_SCREEN:
            first_frame_shown()  # only a screen's first frame waits for the collector
        run = getattr(args, "_run", None)
        if run is None:
            from player.commands import library_ui

            return library_ui.run(args)
        return int(run(args))
    except _UsageExit as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except RoutineInvalid as exc:
        from player.problems import write_text

        write_text(exc.problems, sys.stderr)
        return exc.exit_code
    except VmoError as exc:
        from player.terminal import sanitize

        print(sanitize(f"vmo: {exc}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `vmo show x | head`: the reader went away; that is not an error of ours.
        # (A command whose verdict matters, `vmo check`, returns its status itself.)
        from player.terminal import silence_stream

        silence_stream(sys.stdout)
        return 0
