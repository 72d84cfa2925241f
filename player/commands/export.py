"""`vmo export ROUTINE --format html|md [-o FILE]`: a printable handout of a routine."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from player.errors import EXIT_OK, UsageError

FORMATS = ("html", "md")
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo export`."""
    p = sub.add_parser(
        "export",
        help="a printable handout of a routine (HTML or Markdown)",
        description=(
            "Write a printable handout of a routine: title, summary, total time, equipment, each exercise "
            "with its dosage in plain words, instructions and cues, safety notes and red flags, and a "
            "tick-box table for a week of sessions."
        ),
    )
    p.add_argument("routine", metavar="ROUTINE", help="a routine id from the library, or a path to a routine file")
    p.add_argument(
        "--format", choices=FORMATS, default=None,
        help="html (one self-contained file, print-ready for A4 and Letter) or md (Markdown); "
        "default: from the -o file's extension, else md",
    )
    p.add_argument("-o", "--output", metavar="FILE", default=None, help="write to FILE instead of standard output")
    return p


def choose_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else Markdown."""
    if fmt:
        return fmt
    if output:
        return _SUFFIX_FORMATS.get(Path(output).suffix.lower(), "md")
    return "md"


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, so readers never see half a file."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    # Not mkstemp: its 0600 mode would stay on the handout; "x" gives the usual umask mode.
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Load the routine and write its handout."""
    from player.export import handout_html, handout_markdown
    from player.library import load
    from player.timeline import compile_timeline

    fmt = choose_format(args.format, args.output)
    routine = load(args.routine, args.routines)
    tl = compile_timeline(routine)
    text = handout_html(routine, tl) if fmt == "html" else handout_markdown(routine, tl)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    target = Path(args.output).expanduser()
    if target.is_dir():
        raise UsageError(f"{args.output} is a folder; give a file name such as {routine.id}.{fmt}")
    try:
        write_atomically(target, text)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK
