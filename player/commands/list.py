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
    from player.render import library_rows, sanitize

    entries = scan(args.routines)
    rows = library_rows(entries)
    if args.json:
        json.dump([{k: v for k, v in r.items() if k != "total_time"} for r in rows], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    if not rows:
        print("No routines found.")
        return EXIT_OK
    width = max(len(str(r["id"])) for r in rows)
    for r in rows:
        if r["name"] is None:
            print(f"{r['id']:<{width}}  {'invalid':<10}  {sanitize(str(r['problem']))}")
            continue
        if r["total_seconds"] is None:  # a programme: its phases and weeks instead of a time
            print(f"{r['id']:<{width}}  {r['category']:<10}  {'':>9}  {sanitize(str(r['name']))}  ({r['total_time']})")
            continue
        minutes = f"{float(r['total_seconds']) / 60:.1f} min"  # type: ignore[arg-type]
        extra = r["total_time"].partition(" + ")[2]  # type: ignore[union-attr]
        name = sanitize(str(r["name"])) + (f"  (+ {extra})" if extra else "")
        print(f"{r['id']:<{width}}  {r['category']:<10}  {minutes:>9}  {name}")
    return EXIT_OK
