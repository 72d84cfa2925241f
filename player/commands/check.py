"""`vmo check PATH...`: validate routine files and folders of them."""

from __future__ import annotations

import argparse
import sys

from player.errors import EXIT_INVALID, EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo check`."""
    p = sub.add_parser(
        "check", help="validate routine files or folders", description="Validate routine files or folders of them."
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a routine or programme file, or a folder searched for *.yaml / *.yml")
    p.add_argument("--format", choices=("text", "json", "github"), default="text", help="how problems are printed")
    return p


def run(args: argparse.Namespace) -> int:
    """Check every file; print every problem and a summary; exit 1 if any has errors."""
    from player.folders import expand_paths
    from player.loader import check_file
    from player.problems import Problem

    files = expand_paths(args.paths)
    problems = []
    bad_files = 0
    first_with: dict[str, str] = {}
    for path in files:
        routine, found = check_file(path, str(path), args.routines)
        problems.extend(found)
        bad_files += routine is None
        if routine is not None:
            # The library takes the first file that defines an id and ignores the others: say so.
            first = first_with.setdefault(routine.id, str(path))
            if first != str(path):
                problems.append(Problem(
                    str(path), 1, 1,
                    f"id {routine.id!r} is already defined in {first}; the library uses that file and ignores this one",
                    "warning",
                ))
    _report(args.format, problems, files, bad_files)
    return EXIT_INVALID if bad_files else EXIT_OK


def _report(fmt: str, problems: list, files: list, bad_files: int) -> None:
    from player.problems import write_github, write_json, write_text
    from player.terminal import silence_stream

    out = sys.stdout
    try:
        if fmt == "json":
            write_json(problems, len(files), out)
        elif fmt == "github":
            write_github(problems, out)
        else:
            write_text(problems, out)
        out.flush()
    except BrokenPipeError:
        # `vmo check ... | head`: the reader went away, but the verdict (the exit status) stands.
        silence_stream(out)
    if fmt == "text":
        n_err = sum(p.severity == "error" for p in problems)
        n_warn = len(problems) - n_err
        noun = "file" if len(files) == 1 else "files"
        if not problems:
            print(f"{len(files)} {noun} checked, no problems", file=sys.stderr)
        else:
            print(
                f"{len(files)} {noun} checked: {n_err} error{'s' * (n_err != 1)}, "
                f"{n_warn} warning{'s' * (n_warn != 1)} in {bad_files} file{'s' * (bad_files != 1)}",
                file=sys.stderr,
            )
