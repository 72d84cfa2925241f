"""The history as the planner reads it, with a cache of what was already read.

`vmo today` and `vmo plan` need, of every line of history.jsonl, only the
counted sessions (when, which routine, the pain after), the programme events and
the next-day answers. Ten years of daily sessions is 11,000 lines, and parsing
them all each time costs more than the rest of the command. The file is
append-only, so `index/planner-history.json` in the data folder keeps what the
lines up to a byte offset gave, with the SHA-256 of those bytes. The next read
hashes that prefix again (cheap next to parsing it), and when it matches parses
only the lines added since; when it does not (the file was edited, truncated or
replaced), everything is read again. The cache is never trusted beyond that: a
damaged or foreign one is ignored and replaced atomically.

Lines skipped in the cached part are remembered, so the warning about them is
the same whether or not the cache was used.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

FORMAT = "vmo-planner-history"
VERSION = 1
CACHE_FILE = "planner-history.json"
MAX_LINE = 64 * 1024


# player.history.HISTORY_FILE (a test checks they agree): `vmo today` does not import
# the session history module, whose record classes it never builds.
HISTORY_FILE = "history.jsonl"


def history_path() -> Path:
    """The history file in the data folder."""
    from player.folders import data_dir

    return data_dir() / HISTORY_FILE


def cache_path() -> Path:
    """Where the cache lives: `index/planner-history.json` in the data folder."""
    from player.folders import data_dir

    return data_dir() / "index" / CACHE_FILE


def read(path: Path, cache: Path | None) -> tuple[list[Any], list[int], int]:
    """The planner's records of the history file at `path`, the first skipped line numbers and how many were skipped.

    Raises OSError when the file cannot be read (FileNotFoundError: no history).
    """
    from player.files import open_regular

    with open_regular(path) as stream:
        data = stream.read()
    state = _load(cache, data) if cache is not None else None
    if state is None:
        state = _State()
    state.parse(data)
    if cache is not None and state.changed:
        _save(cache, state, data)
    first, count = state.skipped()
    return state.records(), first, count


class _State:
    """What the complete lines up to `offset` gave (and, not cached, a last line without its newline)."""

    def __init__(self) -> None:
        self.offset = 0
        self.lines = 0
        self.sessions: list[list[Any]] = []  # [start ISO, routine id, pain after or None]
        self.events: list[dict[str, Any]] = []  # programme and next-day records as JSON objects
        self.skipped_first: list[int] = []
        self.skipped_count = 0
        self.changed = False
        self.tail_sessions: list[list[Any]] = []
        self.tail_events: list[dict[str, Any]] = []
        self.tail_skipped: list[int] = []

    def parse(self, data: bytes) -> None:
        """Read the complete lines after `offset`, and a torn last line without keeping it."""
        end = data.rfind(b"\n") + 1
        if end > self.offset:
            self.changed = True
            for raw in data[self.offset:end].split(b"\n")[:-1]:
                self.lines += 1
                if not self.line(raw, self.sessions, self.events):
                    self.skipped_count += 1
                    if len(self.skipped_first) < 10:
                        self.skipped_first.append(self.lines)
        self.offset = max(end, self.offset)
        torn = data[self.offset:]
        if torn.strip() and not self.line(torn, self.tail_sessions, self.tail_events):
            self.tail_skipped.append(self.lines + 1)

    @staticmethod
    def line(raw: bytes, sessions: list[list[Any]], events: list[dict[str, Any]]) -> bool:
        """Add what one line gives; False when it is not a complete record (blank lines are fine)."""
        from player.planrecords import KNOWN_KINDS
        from player.planrecords import parse_record

        if not raw.strip():
            return True
        try:
            if len(raw) > MAX_LINE:
                raise ValueError("line too long")
            value = json.loads(raw.decode("utf-8"))
            kind = value.get("kind", "session") if isinstance(value, dict) else None
            if kind == "session":
                counted = session_facts(value)
                if counted is not None:
                    sessions.append([value["start"], counted.routine_id, counted.pain_after])
            elif kind in KNOWN_KINDS:
                parse_record(value)  # raises on a broken record
                events.append(value)
            elif kind is None:
                raise ValueError("not a JSON object")
        except (ValueError, TypeError, KeyError, RecursionError, UnicodeDecodeError, OverflowError):
            return False
        return True

    def skipped(self) -> tuple[list[int], int]:
        """The first skipped line numbers and how many, the torn last line included."""
        return (self.skipped_first + self.tail_skipped)[:10], self.skipped_count + len(self.tail_skipped)

    def records(self) -> list[Any]:
        from player.planner import CountedSession
        from player.planrecords import parse_record

        out: list[Any] = []
        for start, routine_id, pain in self.sessions + self.tail_sessions:
            at = datetime.fromisoformat(start)
            out.append(CountedSession(at, at.date(), routine_id, pain))
        out.extend(parse_record(value) for value in self.events + self.tail_events)
        return out


def _load(cache: Path, data: bytes) -> _State | None:
    """The cached state when it is valid and its bytes are still the start of `data`."""
    try:
        raw = json.loads(cache.read_bytes())
        if raw.get("format") != FORMAT or raw.get("version") != VERSION:
            return None
        offset, lines = raw["offset"], raw["lines"]
        if type(offset) is not int or type(lines) is not int or not 0 <= offset <= len(data):
            return None
        if hashlib.sha256(data[:offset]).hexdigest() != raw["sha256"]:
            return None
        state = _State()
        state.offset, state.lines = offset, lines
        state.sessions = [s for s in raw["sessions"] if _session_ok(s)]
        state.events = [e for e in raw["events"] if isinstance(e, dict)]
        if len(state.sessions) != len(raw["sessions"]) or len(state.events) != len(raw["events"]):
            return None
        state.skipped_first = [n for n in raw["skipped_first"] if type(n) is int][:10]
        state.skipped_count = int(raw["skipped_count"])
        return state
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _session_ok(s: object) -> bool:
    return (isinstance(s, list) and len(s) == 3 and type(s[0]) is str and type(s[1]) is str
            and (s[2] is None or type(s[2]) is int))


def _save(cache: Path, state: _State, data: bytes) -> None:
    """Replace the cache atomically; a data folder that cannot be written only means no cache."""
    import tempfile

    body = {
        "format": FORMAT, "version": VERSION, "offset": state.offset, "lines": state.lines,
        "sha256": hashlib.sha256(data[: state.offset]).hexdigest(),
        "skipped_first": state.skipped_first, "skipped_count": state.skipped_count,
        "sessions": state.sessions, "events": state.events,
    }
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".planner-", suffix=".tmp", dir=cache.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(body, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, cache)
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def session_facts(data: dict) -> Any:
    """The planner's view of a session record's JSON object: a CountedSession, or None when it does not count.

    Raises ValueError (or TypeError, KeyError) for a broken record."""
    from player.planner import CountedSession

    start = datetime.fromisoformat(data["start"])
    routine_id, completed, played = data["routine_id"], data["completed"], data["played_seconds"]
    speed, pain, cramp = data.get("speed", 1.0), data.get("pain_after"), data.get("cramp")
    if (
        start.tzinfo is None or type(data["end"]) is not str or type(routine_id) is not str
        or type(completed) is not bool or type(played) not in (int, float) or not 0 <= played <= 604800
        or (speed is not None and (type(speed) not in (int, float) or not 0 < speed <= 1000))
        or (pain is not None and (type(pain) is not int or not 0 <= pain <= 10))
        or (cramp is not None and type(cramp) is not dict)
    ):
        raise ValueError("not a complete session record")
    if not completed or (speed is not None and speed != 1) or cramp is not None:
        return None  # recorded, but not counted: the planner never looks at it
    return CountedSession(start, start.date(), routine_id, pain)
