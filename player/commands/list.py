"""`vmo list`: the routines the library finds."""

from __future__ import annotations

import argparse
import json
import sys

from player.errors import EXIT_OK


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
        rows.append((sanitize(item.id, one_line=True), _rest(library_row(item))))
    if not rows:
        print("No routines found.")
        return EXIT_OK
    width = max(len(rid) for rid, _ in rows)
    for rid, rest in rows:
        print(f"{rid:<{width}}  {rest}")
    return EXIT_OK


def _rest(r: dict[str, object]) -> str:
    """A row of the listing after its id."""
    from player.terminal import sanitize

    if r["name"] is None:
        return f"{'invalid':<10}  {sanitize(str(r['problem']), one_line=True)}"
    name = sanitize(str(r["name"]), one_line=True)
    category = sanitize(str(r["category"]), one_line=True)
    if r["total_seconds"] is None:  # a programme: its phases and weeks instead of a time
        return f"{category:<10}  {'':>9}  {name}  ({sanitize(str(r['total_time']), one_line=True)})"
    minutes = f"{float(r['total_seconds']) / 60:.1f} min"  # type: ignore[arg-type]
    extra = str(r["total_time"]).partition(" + ")[2]
    return f"{category:<10}  {minutes:>9}  {name}" + (f"  (+ {extra})" if extra else "")
