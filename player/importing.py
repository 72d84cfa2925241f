"""`vmo history import FILE`: add another history file's records, skipping exact duplicates.

Nothing already in the history is changed: new records are appended, in the
order of the imported file, in one write. A record is a duplicate when it is
equal, as parsed JSON, to one already present. Lines that are not JSON objects,
and lines of a known kind that are not complete records, are skipped with one
warning; records of kinds this vmo does not know are imported as they are (a
newer vmo wrote them, and will read them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.errors import UsageError


@dataclass(frozen=True, slots=True)
class ImportResult:
    """How many records were added, how many were already there, and the lines skipped."""

    added: int
    duplicates: int
    skipped: list[int]
    skipped_count: int


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _objects(path: Path, skipped: Any, validate: bool) -> Any:
    """(JSON object, its canonical text) for each usable line of `path`, as a stream."""
    from player.history import KNOWN_KINDS, LINE_ERRORS, decode_line, decode_object, iter_lines

    with open(path, "rb") as stream:
        for number, raw in iter_lines(stream):
            try:
                if raw is None:
                    raise ValueError("line too long")
                value = decode_object(raw)
                if not isinstance(value, dict):
                    raise ValueError("not a JSON object")
                if validate and value.get("kind", "session") in KNOWN_KINDS:
                    decode_line(raw)  # raises on a broken record of a known kind
            except LINE_ERRORS:
                if skipped is not None:
                    skipped.add(number)
                continue
            yield value, _canonical(value)


def import_history(source: Path, target: Path) -> ImportResult:
    """Append the records of `source` that `target` does not hold yet. Raises UsageError for a missing source."""
    from player.history import HistoryFile, Skipped

    if not source.is_file():
        raise UsageError(f"no such history file: {source}")
    present: set[str] = set()
    if target.exists():
        try:
            present = {text for _value, text in _objects(target, None, validate=False)}
        except OSError as exc:
            raise UsageError(f"cannot read the session history {target}: {exc.strerror or exc}") from None
    skipped = Skipped()
    lines: list[bytes] = []
    duplicates = 0
    try:
        for value, text in _objects(source, skipped, validate=True):
            if text in present:
                duplicates += 1
                continue
            present.add(text)
            lines.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from None
    if lines:
        try:
            HistoryFile(target).append_raw(b"".join(lines))
        except OSError as exc:
            raise UsageError(f"cannot write the session history {target}: {exc.strerror or exc}; nothing was imported") from None
    return ImportResult(len(lines), duplicates, list(skipped.first), skipped.count)
