"""One error base class, and the exit codes of cli.md."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_HANGUP = 129  # 128 + SIGHUP, as a shell reports it: the terminal went away
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_OUTPUT_CLOSED = 141  # 128 + SIGPIPE, as a shell reports it: a player's output went away mid-routine


class VmoError(Exception):
    """An error vmo reports as one line on stderr, with an exit status."""

    exit_code = EXIT_USAGE


class UsageError(VmoError):
    """Unknown command, option or routine id, or a missing file."""

    exit_code = EXIT_USAGE


class RoutineInvalid(VmoError):
    """A routine file has errors; `problems` holds every one found."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list) -> None:  # list[Problem]; typed loosely to avoid a cycle
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")
