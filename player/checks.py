"""What every file checker shares (routines, programmes, prescriptions): no imports of theirs.

Kept apart so that the checkers import these from here rather than from each other:
the loader dispatches to the programme checker, and the programme and prescription
checkers use these names, without an import circle between them (a test checks).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from player.yamlnodes import Node

ROUTINE_SUFFIXES = (".yaml", ".yml")


class Invalid(Exception):
    """A value was wrong; the problem is already recorded."""


def kind_name(node: Node) -> str:
    """How a message names a node's kind: a list, a mapping or text."""
    return {"seq": "a list", "map": "a mapping"}.get(node.kind, "text")


def show(text: str, limit: int = 40) -> str:
    """A value quoted for a message, control characters escaped, long text cut."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def slug(text: str) -> str:
    """An id made from a file name: lower case, runs of other characters as '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "routine"


def is_programme_root(root: Node | None) -> bool:
    """A YAML top level that is a programme: a mapping with `phases` (and no `steps`)."""
    if root is None or root.kind != "map":
        return False
    names = {k.value for k, _ in root.value if k.kind == "scalar"}  # type: ignore[union-attr]
    return "phases" in names and "steps" not in names
