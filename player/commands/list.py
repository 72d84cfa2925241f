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
    """Print the library: id, name, category, total time."""
    from player.library import scan
    from player.render import library_rows
    from player.terminal import json_safe, sanitize

    entries = scan(args.routines)
    rows = library_rows(entries)
    if args.json:
        shown = [{k: v for k, v in r.items() if k != "total_time"} for r in rows]
        sys.stdout.write(json_safe(json.dumps(shown, ensure_ascii=False)))
        sys.stdout.write("\n")
        return EXIT_OK
    if not rows:
        print("No routines found.")
        return EXIT_OK
    ids = [sanitize(str(r["id"]), one_line=True) for r in rows]
    width = max(len(i) for i in ids)
    for rid, r in zip(ids, rows):
        if r["name"] is None:
            print(f"{rid:<{width}}  {'invalid':<10}  {sanitize(str(r['problem']), one_line=True)}")
            continue
        if r["total_seconds"] is None:  # a programme: its phases and weeks instead of a time
            print(f"{r['id']:<{width}}  {r['category']:<10}  {'':>9}  {sanitize(str(r['name']))}  ({r['total_time']})")
            continue
        minutes = f"{float(r['total_seconds']) / 60:.1f} min"  # type: ignore[arg-type]
        extra = r["total_time"].partition(" + ")[2]  # type: ignore[union-attr]
        name = sanitize(str(r["name"]), one_line=True) + (f"  (+ {extra})" if extra else "")
        category = sanitize(str(r["category"]), one_line=True)
        print(f"{rid:<{width}}  {category:<10}  {minutes:>9}  {name}")
    return EXIT_OK
