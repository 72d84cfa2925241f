"""`vmo list`: the routines the library finds."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from player.errors import EXIT_OK

if TYPE_CHECKING:
    from player.libindex import Summary


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo list`."""
    p = sub.add_parser("list", help="list the routines in the library", description="List the routines the library finds.")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    return p


def run(args: argparse.Namespace) -> int:
    """Print the library: id, name, category, total time.

    The library is read as a stream (one index record at a time); a text listing
    keeps only each row's two strings until it knows how wide the ids are.
    """
    from player.library import Shadowed, walk_library
    from player.render import library_row
    from player.terminal import json_safe, sanitize

    found = walk_library(args.routines)
    if args.json:
        out = sys.stdout
        out.write("[")
        first = True
        for item in found:
            if isinstance(item, Shadowed):  # on stderr: stdout stays one JSON value
                print(sanitize(item.warning(), one_line=True), file=sys.stderr)
                continue
            row = library_row(item)
            del row["total_time"]
            out.write(("" if first else ", ") + json_safe(json.dumps(row, ensure_ascii=False)))
            first = False
        out.write("]\n")
        return EXIT_OK
    rows: list[tuple[str, str]] = []
    for item in found:
        if isinstance(item, Shadowed):
            print(sanitize(item.warning(), one_line=True), file=sys.stderr)
            continue
        rows.append((_safe(item.id), _rest(item.info)))
    if not rows:
        print("No routines found.")
        return EXIT_OK
    width = max(len(rid) for rid, _ in rows)
    sys.stdout.write("".join(f"{rid:<{width}}  {rest}\n" for rid, rest in rows))
    return EXIT_OK


def _safe(text: str) -> str:
    """`sanitize(text, one_line=True)`; printable text (most of it) needs no look at each character."""
    if text.isprintable():  # no control, line or paragraph separator, bidi or other format character
        return text
    from player.terminal import sanitize

    return sanitize(text, one_line=True)


def _rest(info: Summary) -> str:
    """A row of the listing after its id."""
    if info.kind == "invalid":
        first = info.problems[0] if info.problems else "invalid"
        return "invalid     " + _safe(str(first))
    name = _safe(info.name or "")
    category = _safe(info.category or "")
    if info.total_seconds is None:  # a programme: its phases and weeks instead of a time
        return "%-10s  %9s  %s  (%s)" % (category, "", name, _safe(info.length))
    extra = info.length.partition(" + ")[2]
    line = "%-10s  %9s  %s" % (category, "%.1f min" % (info.total_seconds / 60), name)
    return line + "  (+ " + extra + ")" if extra else line
