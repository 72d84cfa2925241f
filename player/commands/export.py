"""`vmo export ROUTINE-OR-PROGRAMME --format html|md|pdf|ics [-o FILE]`: handouts and calendar reminders."""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from datetime import date, time
from pathlib import Path
from typing import Any

from player.errors import EXIT_OK, UsageError

FORMATS = ("html", "md", "pdf", "ics")
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".ics": "ics"}
DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo export`."""
    p = sub.add_parser(
        "export",
        help="a printable handout (HTML, Markdown, PDF) or calendar reminders (ICS) of a routine or programme",
        description=(
            "Write a printable handout of a routine or programme: who it is for, the clinician and the date; "
            "how often and for how many weeks; each exercise with its dosage in plain words, load, progression, "
            "pictures and a QR code of its video; the safety notes; and a tracker with a box per prescribed "
            "session. Or, with --format ics, the prescribed sessions as calendar events with reminders."
        ),
    )
    p.add_argument("routine", metavar="ROUTINE-OR-PROGRAMME",
                   help="a routine or programme id from the library, or a path to its file")
    p.add_argument(
        "--format", choices=FORMATS, default=None,
        help="html (one self-contained file, print-ready), md (Markdown), pdf (needs vmo[pdf]) or ics "
        "(calendar); default: from the -o file's extension, else md",
    )
    p.add_argument("-o", "--output", metavar="FILE", default=None, help="write to FILE instead of standard output")
    p.add_argument("--paper", choices=("a4", "letter"), default=None,
                   help="page size of a PDF (default a4); HTML prints on the printer's paper")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=_date, default=None,
                   help="the date on the handout (default today); for ics, the first day when the programme has no start")
    p.add_argument("--patient", metavar="NAME", default=None, help="the patient's name (default: the programme's)")
    p.add_argument("--clinician", metavar="TEXT", default=None,
                   help="who prescribed it and how to reach them (default: the programme's)")
    p.add_argument("--affected-side", choices=("left", "right"), default=None,
                   help="the patient's affected side, for exercises written `sides: affected` "
                   "(default: the programme's patient.affected_side)")
    p.add_argument("--days", metavar="mon,wed,fri", type=_days, default=None,
                   help="ics: the weekdays for a routine done some days a week (default: spread evenly)")
    p.add_argument("--at", metavar="HH:MM,...", type=_times, default=None,
                   help="ics: the times of the day's sessions (default: 08:00; 2 a day 08:00,18:00; ...)")
    return p


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2026-12-07, got {text!r}") from None


def _days(text: str) -> tuple[str, ...]:
    days = tuple(d.strip().lower()[:3] for d in text.split(",") if d.strip())
    bad = [d for d in days if d not in DAY_WORDS]
    if not days or bad or len(set(days)) != len(days):
        raise argparse.ArgumentTypeError(f"expected weekdays such as mon,wed,fri (each once), got {text!r}")
    return days


def _times(text: str) -> tuple[time, ...]:
    found = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", part)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise argparse.ArgumentTypeError(f"expected times such as 08:00,13:00,18:00, got {text!r}")
        found.append(time(int(m.group(1)), int(m.group(2))))
    if len(set(found)) != len(found):
        raise argparse.ArgumentTypeError(f"each time once, got {text!r}")
    return tuple(sorted(found))


def choose_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else Markdown."""
    if fmt:
        return fmt
    if output:
        return _SUFFIX_FORMATS.get(Path(output).suffix.lower(), "md")
    return "md"


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write to `path` through a temporary file in the same folder, so readers never see half a file."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    # Not mkstemp: its 0600 mode would stay on the handout; "x" gives the usual umask mode.
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        if isinstance(data, bytes):
            with open(tmp, "xb") as fb:
                fb.write(data)
        else:
            with open(tmp, "x", encoding="utf-8", newline="\n") as f:
                f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_subject(arg: str, extra_dirs: list[str]) -> Any:
    """The routine or programme an argument names."""
    from player.library import load_any

    return load_any(arg, extra_dirs)


def build_document(subject: Any, today: date, args: argparse.Namespace) -> Any:
    """The handout model of a routine or programme."""
    from player.export import build_handout, build_programme_handout, phases_of
    from player.programme import Programme
    from player.timeline import compile_timeline

    from player.model import resolve_sides

    if isinstance(subject, Programme):
        return build_programme_handout(subject, phases_of(subject, args.affected_side), today, patient=args.patient,
                                       clinician=args.clinician)
    routine = resolve_sides(subject, args.affected_side)
    return build_handout(routine, compile_timeline(routine), today, patient=args.patient, clinician=args.clinician)


def run(args: argparse.Namespace) -> int:
    """Load the routine or programme and write its handout or calendar."""
    from player import documents

    fmt = choose_format(args.format, args.output)
    today = args.date or date.today()
    subject = load_subject(args.routine, args.routines)
    target = Path(args.output).expanduser() if args.output else None
    if target is not None and target.is_dir():
        raise UsageError(f"{args.output} is a folder; give a file name such as {subject.id}.{fmt}")
    data: str | bytes
    if fmt == "ics":
        from player.ics import calendar_for

        data = calendar_for(subject, args, today)
    else:
        doc = build_document(subject, today, args)
        if fmt == "md":
            data = documents.render_markdown(doc, base=target.parent.resolve() if target else None)
        elif fmt == "html":
            data = documents.render_html(doc)
        else:
            data = documents.html_to_pdf(documents.render_html(doc, paper=documents.PAPER_SIZES[args.paper or "a4"]))
    if target is None:
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                raise UsageError(f"a PDF is not for the terminal; give a file: -o {subject.id}.pdf")
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        elif _isatty(sys.stdout):
            from player.terminal import sanitize

            sys.stdout.write(sanitize(data))  # on a terminal, outside text never goes raw (docs/handouts.md)
        else:
            sys.stdout.write(data)  # to a pipe or a file: the document as it is
        return EXIT_OK
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False
