"""`vmo report [PROGRAMME] [--history FILE ...] --format html|md|csv [-o FILE]`: the therapist's report."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from player.commands.export import write_atomically
from player.errors import EXIT_OK, UsageError

FORMATS = ("html", "md", "csv")
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".csv": "csv"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo report`."""
    p = sub.add_parser(
        "report",
        help="for the therapist: prescribed against done, per week, exercise and side; pain over time",
        description=(
            "A report of the sessions recorded: per week, the sessions prescribed against those done; per "
            "exercise and side, the holds or sets prescribed against those done, shortened or skipped; pain "
            "before and after and the next-morning answers over time; phase changes; the file versions "
            "played. Previews are left out."
        ),
    )
    p.add_argument("programme", metavar="PROGRAMME", nargs="?", default=None,
                   help="a programme (or a routine with a frequency): report on its routines and weeks")
    p.add_argument("--history", metavar="FILE", nargs="+", action="extend", default=None,
                   help="read these history files (a patient's) instead of your own; repeatable")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="html (charts and tables, one self-contained file), md or csv; default: from -o, else md")
    p.add_argument("-o", "--output", metavar="FILE", default=None, help="write to FILE instead of standard output")
    p.add_argument("--since", metavar="YYYY-MM-DD", type=_date, default=None, help="from this day on")
    p.add_argument("--until", metavar="YYYY-MM-DD", type=_date, default=None, help="up to this day (default today)")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=_date, default=None, help="the report's date (default today)")
    p.add_argument("--patient", metavar="NAME", default=None, help="the patient's name (default: the programme's)")
    return p


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2026-12-07, got {text!r}") from None


def read_records(paths: list[str] | None) -> list[Any]:
    """Every record of the history files (sessions, programme events, next-day answers), warnings to stderr."""
    from player.history import HistoryStream

    records: list[Any] = []
    for path in [None] if not paths else [Path(p).expanduser() for p in paths]:
        if path is not None and not path.exists():
            raise UsageError(f"no such history file: {path}")
        try:
            stream = HistoryStream(path, all_kinds=True)  # type: ignore[call-arg]
        except TypeError:  # a history module that reads sessions only
            stream = HistoryStream(path)
        records.extend(stream)
        if stream.warning:
            print(stream.warning, file=sys.stderr)
    return records


def routines_for(ids: set[str], known: dict[str, Any], extra_dirs: list[str]) -> dict[str, Any]:
    """The routine of each id as its file is now; None for one the library no longer finds (or is invalid)."""
    from player.errors import VmoError
    from player.library import load_any, looks_like_path
    from player.model import Routine

    found = dict(known)
    for rid in sorted(ids - set(found)):
        if looks_like_path(rid):  # an id from a history file is looked up in the library, never opened as a path
            found[rid] = None
            continue
        try:
            routine = load_any(rid, extra_dirs)
        except VmoError:  # gone, or invalid now: its sessions are counted, not broken down
            routine = None
        found[rid] = routine if isinstance(routine, Routine) else None
    return found


def run(args: argparse.Namespace) -> int:
    """Read the history and write the report."""
    from player import documents
    from player.report import Subject, build_report, report_csv, subject_of

    fmt = args.format or (_SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "md") if args.output else "md")
    today = args.date or date.today()
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    subject = None
    programme = None
    known: dict[str, Any] = {}
    if args.programme is not None:
        from player.library import load_any
        from player.programme import Programme, from_routine

        found = load_any(args.programme, args.routines)
        if not isinstance(found, Programme):
            if getattr(found, "frequency", None) is None:
                known[found.id] = found
                subject = Subject(found.name, phases=((None, None, ((found.id, None),)),))
            found = from_routine(found) if getattr(found, "frequency", None) is not None else found
        if isinstance(found, Programme):
            programme = found
            subject = subject_of(found)
            known.update({e.routine.id: e.routine for p in found.phases for e in p.routines})
    target = Path(args.output).expanduser() if args.output else None
    if target is not None and target.is_dir():
        raise UsageError(f"{args.output} is a folder; give a file name such as report.{fmt}")
    records = read_records(args.history)
    ids = {r.routine_id for r in records if hasattr(r, "routine_id") and type(r).__name__ == "SessionRecord"}
    routines = routines_for(ids | (subject.routine_ids() if subject else set()), known, args.routines)
    phase_of = None
    if programme is not None:
        from player.planner import plan

        # A phase changes only by programme records (and by its weeks): the planner needs no sessions for it.
        events = [r for r in records if type(r).__name__ == "ProgrammeEvent"]

        def phase_of(day: date) -> int | None:
            state = plan(programme, events, day)
            if state.phase is not None:
                return state.phase.index
            # Never started with `vmo start`: the prescription as written applies from its first phase.
            return 0 if state.started is None else None

    report = build_report(records, routines, today, subject=subject, since=args.since, until=args.until,
                          patient=args.patient, phase_of=phase_of)
    if fmt == "csv":
        text = report_csv(report)
    elif fmt == "html":
        text = documents.render_report_html(report)
    else:
        text = documents.render_report_markdown(report)
    if target is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_atomically(target, text)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK
