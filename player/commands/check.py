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
    from player.library import expand_paths
    from player.loader import check_file
    from player.problems import write_github, write_json, write_text

    files = expand_paths(args.paths)
    problems = []
    bad_files = 0
    for path in files:
        routine, found = check_file(path, str(path), args.routines)
        problems.extend(found)
        bad_files += routine is None
    out = sys.stdout
    if args.format == "json":
        write_json(problems, len(files), out)
    elif args.format == "github":
        write_github(problems, out)
    else:
        write_text(problems, out)
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
    return EXIT_INVALID if bad_files else EXIT_OK
