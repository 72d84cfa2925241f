"""`vmo history`: the sessions played, counts per routine, this week against the target, the streak."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Iterable, TextIO

from player.errors import EXIT_OK, UsageError

if TYPE_CHECKING:
    from player.adherence import Summary
    from player.history import SessionRecord

CSV_COLUMNS = (
    "date", "start", "end", "routine_id", "routine_name", "completed",
    "stopped_at_exercise", "stopped_at_segment", "planned_seconds", "played_seconds",
    "segments_total", "segments_done", "segments_skipped", "pain_before", "pain_after",
    "cramp_muscle", "cramp_eased_after_seconds", "cramp_escalated", "player", "speed", "file_hash",
)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo history`."""
    p = sub.add_parser(
        "history", help="the sessions played", description="The sessions played: when, what, how far, how long."
    )
    p.add_argument(
        "action", nargs="?", choices=("import",), metavar="import",
        help="'import FILE': add the records of another history file, skipping exact duplicates",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="the history file to import")
    p.add_argument("--since", metavar="DATE", help="only sessions from this day on (YYYY-MM-DD)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="one CSV row per session, for a therapist")
    fmt.add_argument("--json", action="store_true", help="a JSON list of every record, each with its kind")
    return p


def parse_since(text: str) -> date:
    """The --since day. Raises UsageError with one readable line."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise UsageError(f"--since: expected a date such as 2025-01-31, got {shown!r}") from None


def run(args: argparse.Namespace) -> int:
    """Print the history as a table, CSV or JSON."""
    from player.adherence import summarize
    from player.history import HistoryStream, records_since
    from player.settings import get_settings

    if args.action == "import":
        return import_file(args)
    if args.file is not None:
        raise UsageError(f"unexpected argument {args.file!r}; 'vmo history import FILE' imports a file")
    since = parse_since(args.since) if args.since is not None else None
    # Read as a stream, once: memory follows what is shown, not the size of the file.
    # A warning about skipped lines can only be known at the end, so it comes last.
    stream = HistoryStream(all_kinds=bool(args.json))  # --json lists every record, each with its kind
    try:
        if args.json or args.csv:
            chosen = stream if since is None else records_since(stream, since)
            if args.json:
                write_json(chosen, sys.stdout)
            else:
                write_csv(chosen, sys.stdout)
            return EXIT_OK
        target = get_settings().weekly_target
        today = datetime.now().astimezone().date()
        summary = summarize(stream, today, target, since=since)
        sys.stdout.write(format_summary(summary, since, str(stream.path), summary.seen > 0))
        return EXIT_OK
    finally:
        warning = stream.warning
        if warning:
            from player.terminal import sanitize

            sys.stderr.write(sanitize(warning, one_line=True) + "\n")


def import_file(args: argparse.Namespace) -> int:
    """`vmo history import FILE`."""
    from pathlib import Path

    from player.history import history_path, skipped_warning
    from player.importing import import_history
    from player.terminal import sanitize

    if args.file is None:
        raise UsageError("history import: give the history file to import")
    source = Path(args.file).expanduser()
    result = import_history(source, history_path())
    warning = skipped_warning(source, result.skipped, result.skipped_count)
    if warning:
        print(warning, file=sys.stderr)
    dup = f"; {result.duplicates} already there" if result.duplicates else ""
    noun = "record" if result.added == 1 else "records"
    print(f"Imported {result.added} {noun} from {sanitize(str(source))}{dup}.")
    return EXIT_OK


def write_json(records: Iterable[SessionRecord], out: TextIO) -> None:
    """The records as a JSON list, in the order they were played, written one record at a time."""
    from player.terminal import json_safe

    out.write("[")
    first = True
    for record in records:
        if not first:
            out.write(", ")
        first = False
        out.write(json_safe(json.dumps(record.to_json(), ensure_ascii=False, allow_nan=False)))
    out.write("]\n")


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets; names are data.
    # Control and bidi characters are shown as U+XXXX: the CSV may well go to a terminal.
    from player.terminal import sanitize

    text = "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
    return sanitize(text, one_line=True)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _blank(value: object) -> object:
    return "" if value is None else value


def csv_row(record: SessionRecord) -> list[object]:
    """One CSV row in CSV_COLUMNS order; the stopped segment is counted from 1, as the table shows it."""
    stopped, cramp = record.stopped_at, record.cramp
    return [
        record.day.isoformat(),
        record.start.isoformat(timespec="seconds"),
        record.end.isoformat(timespec="seconds"),
        _spreadsheet_safe(record.routine_id),
        _spreadsheet_safe(record.routine_name),
        _yes_no(record.completed),
        "" if stopped is None else _spreadsheet_safe(stopped.exercise),
        "" if stopped is None else stopped.segment_index + 1,
        round(record.planned_seconds, 1),
        round(record.played_seconds, 1),
        record.segments_total,
        record.segments_done,
        record.segments_skipped,
        _blank(record.pain_before),
        _blank(record.pain_after),
        "" if cramp is None or cramp.muscle is None else _spreadsheet_safe(cramp.muscle),
        "" if cramp is None else _blank(cramp.eased_after_seconds),
        "" if cramp is None else _yes_no(cramp.escalated),
        _blank(record.player),
        record.speed,
        _blank(record.file_hash),
    ]


def write_csv(records: Iterable[SessionRecord], out: TextIO) -> None:
    """A header row, then one row per session in the order played (RFC 4180 quoting, CRLF line ends)."""
    from player.terminal import sanitize

    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        # Every text cell, not only the names: a hand-edited file_hash or player is outside text too.
        writer.writerow([sanitize(c, one_line=True) if isinstance(c, str) else c for c in csv_row(record)])


# -- the table --


def how_far(record: SessionRecord) -> str:
    """Completed, or where it stopped; for a cramp, whether it eased or escalated."""
    from player.terminal import sanitize

    if record.cramp is not None:
        eased = record.cramp.eased_after_seconds
        text = f"eased after {_short(eased)}" if eased is not None else "not eased"
        if record.cramp.escalated:
            text += ", escalated"
        return text if record.completed or eased is not None else text + " (stopped)"
    if record.completed:
        skipped = f", {record.segments_skipped} skipped" if record.segments_skipped else ""
        return "completed" + skipped
    if record.stopped_at is None:
        return "stopped"
    where = f"{record.stopped_at.segment_index + 1}"
    if record.segments_total:
        where += f"/{record.segments_total}"
    return f"stopped at {sanitize(record.stopped_at.exercise, one_line=True)} ({where})"


def _short(seconds: float) -> str:
    from player.durations import format_duration

    return format_duration(seconds)


def _clock(seconds: float) -> str:
    from player.durations import format_clock

    return format_clock(seconds)


def _pain(record: SessionRecord) -> str:
    if record.pain_before is None and record.pain_after is None:
        return ""
    before = "-" if record.pain_before is None else str(record.pain_before)
    after = "-" if record.pain_after is None else str(record.pain_after)
    return f"{before} -> {after}"


def session_rows(records: Iterable[SessionRecord]) -> list[tuple[str, str, str, str, str]]:
    """WHEN, ROUTINE, HOW FAR, TIME (played / planned, xSPEED if not 1), PAIN (before -> after) for each record."""
    from player.terminal import sanitize

    rows = []
    for r in records:
        when = r.start.strftime("%Y-%m-%d %H:%M")
        time = f"{_clock(r.played_seconds)} / {_clock(r.planned_seconds)}"
        if r.speed != 1:
            time += f" x{r.speed:g}"
        rows.append((when, sanitize(r.routine_name, one_line=True), how_far(r), time, _pain(r)))
    return rows


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    from player.render import _pad, _width

    widths = [max(_width(r[i]) for r in rows + [header]) for i in range(len(header))]
    return ["  ".join(_pad(c, widths[i]) for i, c in enumerate(r)).rstrip() for r in [header] + rows]


def format_summary(summary: Summary, since: date | None, where: str, any_records: bool) -> str:
    """The text `vmo history` prints."""
    from player.terminal import sanitize

    if not any_records:
        return f"No sessions recorded yet. They will be kept in {sanitize(where)}\n"
    lines: list[str] = []
    if since is not None:
        lines.append(f"Sessions since {since.isoformat()}: {summary.total}")
    if summary.recent:
        shown = len(summary.recent)
        title = "Recent sessions" if shown == summary.total else f"The {shown} most recent of {summary.total} sessions"
        lines += [title + ":", ""]
        lines += _table(("WHEN", "ROUTINE", "HOW FAR", "TIME", "PAIN"), session_rows(summary.recent))
        lines.append("")
        lines += ["Sessions per routine:", ""]
        count_rows = [
            (str(c.sessions), f"{c.completed} completed", sanitize(c.routine_name, one_line=True), sanitize(c.routine_id, one_line=True))
            for c in summary.per_routine
        ]
        lines += _table(("SESSIONS", "COMPLETED", "ROUTINE", "ID"), count_rows)
        lines.append("")
    else:
        lines += ["No sessions in that time.", ""]
    week = summary.week
    if week.target:
        mark = "  target met" if week.met else ""
        lines.append(f"This week (from Monday {week.week_start.isoformat()}): {week.sessions} of {week.target} sessions{mark}")
    else:
        lines.append(f"This week (from Monday {week.week_start.isoformat()}): {week.sessions} sessions")
    days = "day" if summary.streak == 1 else "days"
    lines.append(f"Streak: {summary.streak} {days} in a row")
    return "\n".join(lines) + "\n"
