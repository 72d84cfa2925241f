"""`vmo schema`: print the JSON Schema of the routine format."""

from __future__ import annotations

import argparse
import json
import sys

from player.errors import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo schema`."""
    return sub.add_parser(
        "schema",
        help="print the JSON Schema of the routine format, for editors",
        description="Print the JSON Schema (draft 2020-12) of the routine format.",
    )


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    from player.schema import routine_schema

    json.dump(routine_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK
