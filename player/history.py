"""Session history: one JSON record per routine played, appended to `history.jsonl`.

The file is append-only. Each record is one line written with a single `write`
call on an `O_APPEND` descriptor, then fsynced, so a crash, Ctrl-C or `kill -9`
can at worst leave a torn *last* line; every earlier record stays intact.
Reading skips torn or invalid lines with one warning. Writing never stops
playing: an OSError becomes one warning per process.

Imports neither Textual nor audio. The clock is injected (`wall`).
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, TextIO

from player.files import open_append, open_regular
from player.model import Routine

HISTORY_FILE = "history.jsonl"
RECORD_VERSION = 1
PLAYERS = ("ui", "plain")
# Record kinds this vmo reads (program-format.md, section 7); lines of other kinds are skipped
# silently. Also in player/planrecords.py, which `vmo play` need not import (a test checks they agree).
KNOWN_KINDS = ("session", "programme", "next_day")


def local_now() -> datetime:
    """The wall-clock time with the local UTC offset attached."""
    return datetime.now().astimezone()


def iso(moment: datetime) -> str:
    """ISO 8601 to the second, with the offset (naive times are taken as local)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def history_path() -> Path:
    """Where the history lives: `history.jsonl` in the data folder."""
    from player.library import data_dir  # lazy: library pulls in the loader

    return data_dir() / HISTORY_FILE


# -- the record --


@dataclass(frozen=True)
class StoppedAt:
    """Where an unfinished session stopped: the exercise (or rest) name and the 0-based segment index."""

    exercise: str
    segment_index: int


@dataclass(frozen=True)
class CrampFacts:
    """A cramp episode: which muscle, seconds until it eased (None: never said so), escalated or not."""

    muscle: str | None
    eased_after_seconds: float | None
    escalated: bool


@dataclass(frozen=True)
class RepsDone:
    """A `reps: max` answer: how many the user did in one set (and side) of an exercise."""

    exercise: str
    set: int | None
    side: str | None
    reps: int


@dataclass(frozen=True)
class SessionRecord:
    """One routine played. `start`/`end` are aware datetimes with the local offset of the moment."""

    start: datetime
    end: datetime
    routine_id: str
    routine_name: str
    file_hash: str | None
    planned_seconds: float
    played_seconds: float
    segments_total: int
    segments_done: int
    segments_skipped: int
    completed: bool
    stopped_at: StoppedAt | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    cramp: CrampFacts | None = None
    player: str | None = None
    speed: float = 1.0
    # Played as part of a programme (program-format.md, section 4): its id, the phase index, and
    # the dose used for each progressed exercise ({exercise name: {key: value}}).
    programme_id: str | None = None
    phase: int | None = None
    dose: Mapping[str, Mapping[str, Any]] | None = None
    # Which segments (indices in play order) were jumped over, and which cut short; None: not recorded.
    skipped_segments: tuple[int, ...] | None = None
    shortened_segments: tuple[int, ...] | None = None
    # Richer dosage: the answers to "how many did you do?" and each exercise's load as played.
    reps_done: tuple[RepsDone, ...] = ()
    loads: tuple[tuple[str, str], ...] = ()

    @property
    def day(self) -> date:
        """The calendar day the session started on, where the user was."""
        return self.start.date()

    def to_json(self) -> dict[str, Any]:
        """The record as one line of history.jsonl holds it (docs/history.md)."""
        return self._core_json() | self._dosage_json()

    def _dosage_json(self) -> dict[str, Any]:
        """`reps_done` and `loads`, only when the routine had any (older readers never see them otherwise)."""
        out: dict[str, Any] = {}
        if self.reps_done:
            out["reps_done"] = [
                {"exercise": r.exercise, "set": r.set, "side": r.side, "reps": r.reps} for r in self.reps_done
            ]
        if self.loads:
            out["loads"] = dict(self.loads)
        return out

    def _core_json(self) -> dict[str, Any]:
        return {
            "version": RECORD_VERSION,
            "kind": "session",
            "start": iso(self.start),
            "end": iso(self.end),
            "routine_id": self.routine_id,
            "routine_name": self.routine_name,
            "file_hash": self.file_hash,
            "player": self.player,
            "speed": self.speed,
            "planned_seconds": round(self.planned_seconds, 1),
            "played_seconds": round(self.played_seconds, 1),
            "segments_total": self.segments_total,
            "segments_done": self.segments_done,
            "segments_skipped": self.segments_skipped,
            "completed": self.completed,
            "stopped_at": None
            if self.stopped_at is None
            else {"exercise": self.stopped_at.exercise, "segment_index": self.stopped_at.segment_index},
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "cramp": None
            if self.cramp is None
            else {
                "muscle": self.cramp.muscle,
                "eased_after_seconds": None
                if self.cramp.eased_after_seconds is None
                else round(self.cramp.eased_after_seconds, 1),
                "escalated": self.cramp.escalated,
            },
            **({} if self.skipped_segments is None else {"skipped_segments": list(self.skipped_segments)}),
            **({} if self.shortened_segments is None else {"shortened_segments": list(self.shortened_segments)}),
        } | self._programme_json()

    def _programme_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.programme_id is not None:
            out["programme_id"] = self.programme_id
            out["phase"] = self.phase
        if self.dose:
            out["dose"] = {name: dict(values) for name, values in self.dose.items()}
        return out

    @classmethod
    def from_json(cls, data: object) -> "SessionRecord":
        """A record from its JSON object. Raises ValueError naming the first bad field."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        stopped = _opt(data, "stopped_at", dict)
        cramp = _opt(data, "cramp", dict)
        return cls(
            start=_time(data, "start"),
            end=_time(data, "end"),
            routine_id=_req(data, "routine_id", str),
            routine_name=_opt(data, "routine_name", str) or _req(data, "routine_id", str),
            file_hash=_opt(data, "file_hash", str),
            planned_seconds=_seconds(data, "planned_seconds", required=False) or 0.0,
            played_seconds=_seconds(data, "played_seconds", required=True) or 0.0,
            segments_total=_count(data, "segments_total"),
            segments_done=_count(data, "segments_done"),
            segments_skipped=_count(data, "segments_skipped"),
            completed=_req(data, "completed", bool),
            stopped_at=None
            if stopped is None
            else StoppedAt(_req(stopped, "exercise", str), _count(stopped, "segment_index", required=True)),
            pain_before=_pain_field(data, "pain_before"),
            pain_after=_pain_field(data, "pain_after"),
            cramp=None
            if cramp is None
            else CrampFacts(
                _opt(cramp, "muscle", str),
                _seconds(cramp, "eased_after_seconds", required=False),
                bool(_opt(cramp, "escalated", bool)),
            ),
            player=_opt(data, "player", str),
            speed=_speed(data),
            programme_id=_opt(data, "programme_id", str),
            phase=_opt(data, "phase", int),
            dose=_dose(data),
            skipped_segments=_indices(data, "skipped_segments"),
            shortened_segments=_indices(data, "shortened_segments"),
            reps_done=_reps_done(data),
            loads=tuple((str(k), v) for k, v in (_opt(data, "loads", dict) or {}).items() if isinstance(v, str)),
        )


def _dose(data: Mapping[str, Any]) -> dict[str, dict[str, Any]] | None:
    value = _opt(data, "dose", dict)
    if value is None:
        return None
    if not all(isinstance(v, dict) for v in value.values()):
        raise ValueError("field 'dose' has the wrong type")
    return value


def _indices(data: Mapping[str, Any], key: str) -> tuple[int, ...] | None:
    """A list of segment indices (whole numbers from 0), or None when the record has none."""
    value = _opt(data, key, list)
    if value is None:
        return None
    if len(value) > 100_000 or not all(_type_ok(v, int) and 0 <= v < 10_000_000 for v in value):
        raise ValueError(f"field {key!r} is not a list of segment numbers")
    return tuple(value)
def _reps_done(data: Mapping[str, Any]) -> tuple[RepsDone, ...]:
    items = _opt(data, "reps_done", list) or []
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("reps_done: expected a list of objects")
        out.append(RepsDone(
            _req(item, "exercise", str), _opt(item, "set", int), _opt(item, "side", str), _req(item, "reps", int),
        ))
    return tuple(out)


def _type_ok(value: object, kind: type | tuple[type, ...]) -> bool:
    # bool is an int in Python; a count or a number of seconds must not be true/false.
    if isinstance(value, bool) and kind is not bool:
        return False
    return isinstance(value, kind)


def _req(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not _type_ok(value, kind):
        raise ValueError(f"field {key!r} is missing or has the wrong type")
    return value


def _opt(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if value is None:
        return None
    if not _type_ok(value, kind):
        raise ValueError(f"field {key!r} has the wrong type")
    return value


# Every number is range-checked where it is read: a record with an absurd one is
# skipped like a torn line, so it can never reach a format, a sum or a JSON dump.
MAX_SECONDS = 7 * 24 * 3600.0  # a week: far beyond any session
MAX_COUNT = 1_000_000
MAX_SPEED = 1000.0  # as `--speed` allows
MAX_DIGITS = 30  # longer integer literals are refused before Python converts them


def _seconds(data: Mapping[str, Any], key: str, *, required: bool) -> float | None:
    value = _req(data, key, (int, float)) if required else _opt(data, key, (int, float))
    if value is None:
        return None
    if not 0 <= value <= MAX_SECONDS:  # also false for NaN
        raise ValueError(f"field {key!r} is not a number of seconds from 0 to {MAX_SECONDS:g}")
    return float(value)


def _count(data: Mapping[str, Any], key: str, *, required: bool = False) -> int:
    value = _req(data, key, int) if required else _opt(data, key, int)
    if value is None:
        return 0
    if not 0 <= value <= MAX_COUNT:
        raise ValueError(f"field {key!r} is not a count from 0 to {MAX_COUNT}")
    return int(value)


def _time(data: Mapping[str, Any], key: str) -> datetime:
    text = _req(data, key, str)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"field {key!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError(f"field {key!r} has no UTC offset")
    return moment


def _speed(data: Mapping[str, Any]) -> float:
    value = _opt(data, "speed", (int, float))
    if value is None:
        return 1.0
    if not 0 < value <= MAX_SPEED:  # also false for NaN
        raise ValueError(f"field 'speed' is not greater than zero and at most {MAX_SPEED:g}")
    return float(value)


def _pain_field(data: Mapping[str, Any], key: str) -> int | None:
    value = _opt(data, key, int)
    if value is not None and not 0 <= value <= 10:
        raise ValueError(f"field {key!r} is not from 0 to 10")
    return value


def encode(record: Any) -> bytes:
    """One line of history.jsonl: compact JSON, UTF-8, ending in a newline."""
    text = json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8") + b"\n"


# -- reading --

# A record is well under 1 KiB; a longer line is skipped without being kept in memory.
MAX_LINE = 64 * 1024


def _bad_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a record may hold")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError("an integer with too many digits")
    return int(text)


def decode_object(raw: bytes) -> Any:
    """One line's JSON value; NaN, Infinity and integers of more than MAX_DIGITS digits raise ValueError."""
    return json.loads(raw.decode("utf-8"), parse_constant=_bad_constant, parse_int=_bounded_int)


def decode_line(raw: bytes) -> Any:
    """One line of history.jsonl as a record: a SessionRecord, a ProgrammeEvent or a NextDayAnswer;
    None for a kind this vmo does not know. Raises ValueError (or UnicodeDecodeError, RecursionError)."""
    data = decode_object(raw)
    kind = data.get("kind", "session") if isinstance(data, dict) else "session"
    if kind == "session":
        return SessionRecord.from_json(data)
    if kind in KNOWN_KINDS:
        from player.planrecords import parse_record

        return parse_record(data)
    return None


LINE_ERRORS = (ValueError, UnicodeDecodeError, RecursionError)


def iter_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, bytes) for each non-blank line of `stream`, read as a stream.

    A line longer than MAX_LINE comes as None, after being read past without being kept.
    Lines end at b"\n" only (a U+2028 inside a name is not a line break).
    """
    number = 0
    while True:
        chunk = stream.readline(MAX_LINE + 1)
        if not chunk:
            return
        number += 1
        if len(chunk) > MAX_LINE:
            while not chunk.endswith(b"\n"):
                chunk = stream.readline(MAX_LINE)
                if not chunk:
                    break
            yield number, None
        elif chunk.strip():
            yield number, chunk


@dataclass
class Skipped:
    """The lines a read skipped: how many, and the first few line numbers (memory stays bounded)."""

    count: int = 0
    first: list[int] = field(default_factory=list)

    def add(self, number: int) -> None:
        self.count += 1
        if len(self.first) < SKIPPED_SHOWN:
            self.first.append(number)


SKIPPED_SHOWN = 10


def iter_records(stream: BinaryIO, skipped: Skipped, all_kinds: bool = False) -> Iterator[Any]:
    """The valid session records of a history stream in file order (with `all_kinds`, the programme
    and next-day records too); each bad line is counted in `skipped`, unknown kinds are passed over."""
    for number, raw in iter_lines(stream):
        if raw is None:
            skipped.add(number)
            continue
        try:
            record = decode_line(raw)
        except LINE_ERRORS:
            skipped.add(number)
            continue
        if record is not None and (all_kinds or type(record) is SessionRecord):
            yield record


class HistoryStream:
    """The records of the history file, read once as a stream: memory does not grow with the file.

    Iterate it once; afterwards `warning` is the one line to show (unreadable
    file, skipped lines) or None. A missing file is an empty history.
    """

    def __init__(self, path: Path | None = None, all_kinds: bool = False) -> None:
        self.path = history_path() if path is None else path
        self.all_kinds = all_kinds
        self.skipped = Skipped()
        self.records_seen = 0
        self._error: str | None = None

    def __iter__(self) -> Iterator[SessionRecord]:
        try:
            stream = open_regular(self.path)  # a FIFO or a device named history.jsonl must not hang or flood
        except FileNotFoundError:
            return
        except OSError as exc:
            self._error = _unreadable(self.path, exc)
            return
        with stream:
            try:
                for record in iter_records(stream, self.skipped, self.all_kinds):
                    self.records_seen += 1
                    yield record
            except OSError as exc:  # e.g. EIO, or a directory named history.jsonl
                self._error = _unreadable(self.path, exc)

    @property
    def warning(self) -> str | None:
        """The warning for this read, once it is over."""
        return self._error or skipped_warning(self.path, self.skipped.first, self.skipped.count)


def _unreadable(path: Path, exc: OSError) -> str:
    return f"vmo: warning: cannot read the session history {path}: {exc.strerror or exc}"


@dataclass(frozen=True)
class HistoryRead:
    """What reading the file found: the valid records in file order and the 1-based lines skipped."""

    records: list[SessionRecord]
    skipped_lines: list[int] = field(default_factory=list)
    # The records of the kinds programmes add (`programme`, `next_day`), in file order.
    others: list[Any] = field(default_factory=list)


def parse_history(data: bytes) -> HistoryRead:
    """Parse the bytes of a history file; torn or invalid lines are skipped and listed."""
    records: list[SessionRecord] = []
    others: list[Any] = []
    skipped: list[int] = []
    for number, raw in iter_lines(io.BytesIO(data)):
        try:
            if raw is None:
                raise ValueError("line too long")
            record = decode_line(raw)
        except LINE_ERRORS:
            skipped.append(number)
            continue
        if type(record) is SessionRecord:
            records.append(record)
        elif record is not None:
            others.append(record)
    return HistoryRead(records, skipped, others)


def skipped_warning(path: Path, skipped: list[int], count: int | None = None) -> str | None:
    """The one warning for the lines a read skipped (the first few numbers, and how many), or None."""
    total = len(skipped) if count is None else count
    if not total:
        return None
    if total == 1:
        return f"vmo: warning: {path}: skipped line {skipped[0]}, which is not a complete session record"
    shown = ", ".join(str(n) for n in skipped[:SKIPPED_SHOWN]) + (", …" if total > SKIPPED_SHOWN else "")
    return f"vmo: warning: {path}: skipped {total} lines that are not complete session records ({shown})"


def load_history(path: Path | None = None) -> tuple[HistoryRead, str | None]:
    """Read the whole history file into a list, without printing: the records and at most one warning line.

    For small files and tests; the commands and the UI read a HistoryStream instead.
    """
    stream = HistoryStream(path, all_kinds=True)
    records: list[SessionRecord] = []
    others: list[Any] = []
    for record in stream:
        (records if type(record) is SessionRecord else others).append(record)
    return HistoryRead(records, list(stream.skipped.first), others), stream.warning


def read_history(path: Path | None = None, warn: TextIO | None = None) -> list[SessionRecord]:
    """The valid records in file order; a warning about skipped lines goes to `warn` (default stderr) once."""
    found, warning = load_history(path)
    if warning:
        print(warning, file=warn if warn is not None else sys.stderr)
    return found.records


# -- writing --


class HistoryFile:
    """The append-only history file; remembers whether it already warned, so it warns once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warned = False
        self._lock = threading.Lock()

    def append(self, record: Any) -> str | None:
        """Append one record durably. Returns a warning the first time writing fails, else None."""
        line = encode(record)
        try:
            self._write(line)
        except OSError as exc:
            return self._warning(exc)
        return None

    def append_raw(self, lines: bytes) -> None:
        """Append whole lines (each ending in a newline) in one write; raises OSError (`vmo history import`)."""
        self._write(lines)

    def probe(self) -> str | None:
        """Check, without writing, that the history can be appended to; a warning (once) if not."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = open_append(self.path)
            os.close(fd)
        except OSError as exc:
            return self._warning(exc)
        return None

    def _warning(self, exc: OSError) -> str | None:
        if self.warned:
            return None
        self.warned = True
        reason = exc.strerror or str(exc)
        return f"vmo: warning: cannot write the session history {self.path} ({reason}); this session is not recorded"

    def _write(self, line: bytes) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            existed = self.path.exists()
            fd = open_append(self.path, read=True)
            try:
                size = os.fstat(fd).st_size
                # A torn last line (a crash mid-write) must stay a line of its own;
                # otherwise this record would be glued to it and lost too.
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = b"\n" + line
                written = os.write(fd, line)
                if written != len(line):  # a full disk can take part of the line
                    raise OSError(28, "the disk is full; only part of the record was written")
                os.fsync(fd)
            finally:
                os.close(fd)
            if not existed:
                _fsync_dir(self.path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable too (where the platform allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_stores: dict[Path, HistoryFile] = {}


def default_store() -> HistoryFile:
    """The process-wide HistoryFile for the data folder, so a failing disk warns once per session."""
    path = history_path()
    return _stores.setdefault(path, HistoryFile(path))


# -- the recorder the players use --


def _block_signals() -> Any:
    """Hold SIGINT/SIGTERM while a record is written, so it is written whole and exactly once."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    try:
        return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (OSError, ValueError):
        return None


def _restore_signals(previous: Any) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class SessionRecorder:
    """Collects one session's facts while a routine plays and appends its record once, at `finish`.

    `planned_seconds` and the `played_seconds` given to `finish` are routine
    seconds (what the file says), whatever `speed` the routine was played at.
    """

    def __init__(
        self,
        routine: Routine,
        planned_seconds: float,
        *,
        segments_total: int = 0,
        player: str | None = None,
        speed: float = 1.0,
        store: HistoryFile | None = None,
        wall: Callable[[], datetime] = local_now,
    ) -> None:
        self.routine = routine
        self.planned_seconds = round(float(planned_seconds), 1)
        self.segments_total = segments_total
        self.player = player
        self.speed = float(speed)
        self.store = store if store is not None else default_store()
        self.wall = wall
        self.start = wall()
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.cramp: CrampFacts | None = None
        # Set by the player when the routine is played as part of a programme, or with a grown dose.
        self.programme_id: str | None = None
        self.phase: int | None = None
        self.dose: Mapping[str, Mapping[str, Any]] | None = None
        self.reps_done: list[RepsDone] = []
        played_as = getattr(routine, "played_as", None)
        if played_as is not None:
            self.programme_id, self.phase, self.dose = played_as.programme_id, played_as.phase, played_as.dose
        self.record: SessionRecord | None = None
        self._finished = False

    @property
    def finished(self) -> bool:
        """True once `finish` has run (whether or not the write succeeded)."""
        return self._finished

    def check_writable(self) -> str | None:
        """A warning (once per process) if the history cannot be written; call it before playing."""
        return self.store.probe()

    def note_pain_before(self, rating: int | None) -> None:
        """The 0–10 rating given before the routine (None: skipped)."""
        self.pain_before = _checked_pain(rating)

    def note_pain_after(self, rating: int | None) -> None:
        """The 0–10 rating given after the routine (None: skipped)."""
        self.pain_after = _checked_pain(rating)

    def note_cramp(self, muscle: str | None, eased_after_seconds: float | None, escalated: bool) -> None:
        """The cramp episode's facts: muscle, seconds from start until it eased (None: not eased), escalated."""
        eased = None if eased_after_seconds is None else round(float(eased_after_seconds), 1)
        self.cramp = CrampFacts(muscle, eased, escalated)

    def note_reps_done(self, exercise: str, set_no: int | None, side: str | None, reps: int) -> None:
        """How many were done in a `reps: max` set (the user may skip the question: then nothing is noted)."""
        if isinstance(reps, bool) or not isinstance(reps, int) or reps < 0:
            raise ValueError(f"a count of reps is a whole number from 0, got {reps!r}")
        self.reps_done.append(RepsDone(exercise, set_no, side, reps))

    def finish(
        self,
        completed: bool,
        played_seconds: float,
        segments_done: int,
        segments_skipped: int,
        stopped_at: StoppedAt | tuple[str, int] | None = None,
        skipped_segments: tuple[int, ...] | None = None,
        shortened_segments: tuple[int, ...] | None = None,
    ) -> str | None:
        """Append the session's record; only the first call writes. Returns a warning to show, or None."""
        previous = _block_signals()
        try:
            if self._finished:
                return None
            self._finished = True
            if isinstance(stopped_at, tuple):
                stopped_at = StoppedAt(*stopped_at)
            self.record = SessionRecord(
                start=self.start,
                end=self.wall(),
                routine_id=self.routine.id,
                routine_name=self.routine.name,
                file_hash=self.routine.file_hash,
                planned_seconds=self.planned_seconds,
                # Rounded as the file keeps it, so `self.record` equals what is read back.
                played_seconds=round(max(0.0, float(played_seconds)), 1),
                segments_total=self.segments_total,
                segments_done=segments_done,
                segments_skipped=segments_skipped,
                completed=completed,
                stopped_at=None if completed else stopped_at,
                pain_before=self.pain_before,
                pain_after=self.pain_after,
                cramp=self.cramp,
                player=self.player,
                speed=self.speed,
                programme_id=self.programme_id,
                phase=self.phase,
                dose=self.dose,
                skipped_segments=None if skipped_segments is None else tuple(skipped_segments),
                shortened_segments=None if shortened_segments is None else tuple(shortened_segments),
                reps_done=tuple(self.reps_done),
                loads=tuple({ex.name: ex.load for ex in self.routine.exercises() if ex.load}.items()),
            )
            return self.store.append(self.record)
        finally:
            _restore_signals(previous)


    def finish_from(self, progress: Any) -> str | None:
        """`finish` with the engine's `Session.progress(now)`: routine seconds, counts, where it stopped."""
        segment = getattr(progress, "stopped_segment", None)
        index = getattr(progress, "stopped_at", None)
        stopped = StoppedAt(segment.name, index) if segment is not None and index is not None else None
        return self.finish(
            progress.completed,
            progress.routine_seconds,
            progress.segments_done,
            progress.segments_skipped,
            stopped,
            getattr(progress, "skipped_indices", None),
            getattr(progress, "shortened_indices", None),
        )


def _checked_pain(rating: int | None) -> int | None:
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 10):
        raise ValueError(f"a pain rating is a whole number from 0 to 10, got {rating!r}")
    return rating


def records_since(records: Iterable[SessionRecord], since: date) -> Iterator[SessionRecord]:
    """The records that started on `since` or later (by the day where the user was), lazily."""
    return (r for r in records if r.day >= since)
