"""The library index: what the library shows of each file, kept per folder in the data folder.

For every library folder, `index/<hash of the folder's path>.json` in the data folder
holds one summary per file (id, name, category, summary, total time, problems,
words a filter matches), with the size and modification time of the file and of
every file its check looked at (includes, sounds). Opening the library stats the
files and checks again only those whose size or time changed, so it costs in
proportion to what changed.

The index is a cache and is never trusted: a file of another format, version or
program, or one that fails validation, is rebuilt from the files. It is replaced
atomically (a temporary file renamed over it), so concurrent vmo processes each
leave a whole index behind and never a mixed one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from player.files import open_regular, recording_reads
from player.folders import data_dir, routine_files  # noqa: F401  (routine_files: the library's name for it)
from player.folders import walk as _walk
from player.model import CATEGORIES
from player.problems import Problem

FORMAT = "vmo-library-index"
VERSION = 1
MAX_LINE_BYTES = 1024 * 1024
CHUNK_BYTES = 256 * 1024  # of index lines decoded at once
MAX_INDEX_BYTES = 1024 * 1024 * 1024  # a larger file is not an index of vmo's
MAX_STORED_PROBLEMS = 50
# A file changed within this many nanoseconds of its check may change again within the
# same timestamp tick: its time is stored as 0 so the next open checks it again.
RACY_NS = 2_000_000_000
KINDS = ("routine", "programme", "invalid")


@dataclass(frozen=True, slots=True)
class Summary:
    """What the library shows of one file, as the loader found it."""

    id: str
    kind: str  # "routine", "programme" or "invalid"
    name: str | None
    category: str | None
    summary: str | None
    total_seconds: float | None
    untimed_segments: int
    length: str  # the total time in words ("4 min 2 s + 1 self-paced segment"; a programme's phases and weeks)
    problems: tuple[Problem, ...]
    search: str  # the lower-cased words a filter matches


def summarise(path: Path, display: str, extra_dirs: Sequence[str] = ()) -> Summary:
    """Check one file with the loader and keep what the library shows of it.

    The one place that turns what the loader gives into a library row: a routine,
    a programme (an object with `phases`: category "programme", no total time), or
    problems.
    """
    from player.loader import check_file

    loaded, problems = check_file(path, display, extra_dirs)
    return summary_of(loaded, tuple(problems), path)


def summary_of(loaded: object, problems: tuple[Problem, ...], path: Path) -> Summary:
    """The summary of what the loader returned for `path` (None when the file has errors)."""
    from player.loader import slug

    kept = problems[:MAX_STORED_PROBLEMS]
    if loaded is None:
        rid = slug(path.stem)
        return Summary(rid, "invalid", None, None, None, None, 0, "", kept, f"{rid} {path.name}".lower())
    rid = str(getattr(loaded, "id"))
    name = str(getattr(loaded, "name"))
    summary = getattr(loaded, "summary", None)
    words = [rid, path.name, name, summary or ""]
    phases = getattr(loaded, "phases", None)
    if phases is not None:  # a programme (program-format.md): its length is in phases and weeks, not seconds
        weeks = [getattr(p, "weeks", None) for p in phases]
        length = f"{len(weeks)} phase{'s' * (len(weeks) != 1)}, {sum(w or 0 for w in weeks)} weeks or more"
        words += ["programme", *(str(getattr(p, "name", "")) for p in phases)]
        return Summary(rid, "programme", name, "programme", summary, None, 0, length, kept, " ".join(words).lower())
    from player.render import total_words
    from player.timeline import compile_timeline

    routine: Any = loaded
    tl = compile_timeline(routine)
    words += [routine.category, *routine.tags, *(e.name for e in routine.exercises())]
    return Summary(
        rid, "routine", name, routine.category, summary, tl.total_seconds, tl.untimed_segments,
        total_words(tl.total_seconds, tl.untimed_segments), kept, " ".join(words).lower(),
    )


# -- one folder --


def index_path(folder: Path) -> Path:
    """Where the index of `folder` lives in the data folder."""
    digest = hashlib.sha256(os.path.abspath(folder).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return data_dir() / "index" / f"{digest}.jsonl"


def _signature(path: str) -> list[int]:
    """[size, mtime_ns] of what `path` names (links followed); [-1, -1] when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return [-1, -1]
    return [info.st_size, info.st_mtime_ns]


def _program_key() -> list[object]:
    """What a summary depends on besides the files: this program's version and its checker's code."""
    import sys

    from player import __version__

    here = Path(__file__).resolve().parent
    code: list[object] = []
    for module in ("model.py", "loader.py", "yamlnodes.py", "durations.py", "timeline.py", "programme.py",
                   "resources.py", "libindex.py"):
        code.append([module, *_signature(str(here / module))])
    return [__version__, list(sys.version_info[:2]), str(here), code]


def _problem_out(p: Problem) -> list[object]:
    return [p.file, p.line, p.column, p.message, p.severity]


def _record_line(rel: str, sig: list[int], deps: list[list[object]], s: Summary) -> bytes:
    """One line of the index: the record, a tab, and the filter words as a JSON string.

    json.dumps writes a tab inside a string as \\t, so the first raw tab of a line
    always separates the two: `vmo list` decodes the record and skips the words.
    """
    record = [
        rel, sig[0], sig[1], deps, s.id, s.kind, s.name, s.category, s.summary, s.total_seconds,
        s.untimed_segments, s.length, [_problem_out(p) for p in s.problems],
    ]
    return _line(record)[:-1] + b"\t" + _line(s.search)


_NONE = type(None)
# The types each field of a record may have, every combination: checking a record's
# types is then one set lookup, so validating 10,000 records costs little.
_SHAPES = frozenset(
    (str, int, int, list, str, str, name, category, summary, total, int, str, list)
    for name in (str, _NONE) for category in (str, _NONE) for summary in (str, _NONE)
    for total in (float, int, _NONE)
)
_SHAPES_WITH_WORDS = frozenset(shape + (str,) for shape in _SHAPES)  # a record with its filter words last
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_CATEGORIES = frozenset((*CATEGORIES, "programme"))


def _valid_record(r: object, shapes: frozenset[tuple[type, ...]] = _SHAPES) -> bool:
    """Whether one stored record has exactly the shape `_record_line` writes."""
    if type(r) is not list or tuple(map(type, r)) not in shapes:
        return False
    rel, deps, rid, kind, name, category, problems = r[0], r[3], r[4], r[5], r[6], r[7], r[12]
    if kind not in KINDS or not _ID.fullmatch(rid) or (kind != "invalid" and (name is None or category not in _CATEGORIES)):
        return False
    if rel.startswith(("/", "\\")) or "\x00" in rel or (".." in rel and ".." in rel.replace("\\", "/").split("/")):
        return False
    for d in deps:  # usually none
        if type(d) is not list or len(d) != 3 or type(d[0]) is not str or type(d[1]) is not int or type(d[2]) is not int:
            return False
    for p in problems:
        if (type(p) is not list or len(p) != 5 or type(p[0]) is not str or type(p[1]) is not int
                or type(p[2]) is not int or type(p[3]) is not str or p[4] not in ("error", "warning")):
            return False
    return True


_decode = json.JSONDecoder().decode


class _Stored:
    """The records of a stored index, read one line at a time in the order they were written.

    The index is written in the order the folder is walked, so while nothing was
    added or removed each file's record is the next line, and memory holds one line.
    When the order breaks, the rest is read into a dictionary. A line that is not a
    valid record ends the trust in everything after it.
    """

    def __init__(self, target: Path, folder: str, key: list[object], words: bool = True) -> None:
        self.words = words
        self.lines: Iterator[bytes] = iter(())
        self.rest: dict[str, list[Any]] | None = None
        self.count = 0
        self.damaged = False
        self._file = None
        self._records: Iterator[list[Any]] = iter(())
        try:
            self._file = open_regular(target)
            if os.fstat(self._file.fileno()).st_size > MAX_INDEX_BYTES:
                raise ValueError("not an index of vmo's")
            header = json.loads(self._file.readline(MAX_LINE_BYTES))
        except (OSError, ValueError, RecursionError):
            self.close()
            return
        if (
            type(header) is not dict or header.get("format") != FORMAT or header.get("version") != VERSION
            or header.get("folder") != folder or header.get("key") != key
        ):
            self.close()  # another program's, another folder's, or not an index at all
            return
        self.lines = iter(self._file)
        self._records = self._chunks()

    def _chunks(self) -> Iterator[list[Any]]:
        """The records, decoded some hundred kilobytes of lines at a time (one JSON call each, bounded memory)."""
        while self._file is not None:
            lines = self._file.readlines(CHUNK_BYTES)
            if not lines:
                return
            records = _all_records(b"".join(lines))
            if records is not None:
                yield from records
                continue
            for line in lines:  # a damaged line in this chunk: the records before it still count
                r = _parse(line, self.words)
                if r is None:
                    self.damaged = True
                    self.close()
                    return
                yield r

    def _next(self) -> list[Any] | None:
        r = next(self._records, None)
        if r is None:
            self.close()
            return None
        self.count += 1
        return r

    def get(self, rel: str) -> list[Any] | None:
        """The stored record of `rel`, if any."""
        if self.rest is None:
            r = self._next()
            if r is None or r[0] == rel:
                return r
            self.rest = {r[0]: r}
            while (r := self._next()) is not None:
                self.rest[r[0]] = r
        return self.rest.pop(rel, None)

    def close(self) -> None:
        self.lines = iter(())
        if self._file is not None:
            self._file.close()
            self._file = None


def _write_index(target: Path, folder: str, key: list[object], lines: Iterable[bytes]) -> None:
    """Replace the index atomically; a folder that cannot be written only means no index (a cache)."""
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=target.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_line({"format": FORMAT, "version": VERSION, "folder": folder, "key": key}))
            f.writelines(lines)
        os.replace(tmp, target)  # readers see the old index or the new one, never a mix
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    _remove_stale_temporaries(target.parent)


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files a killed vmo left behind (an hour old: no live writer takes that long)."""
    limit = time.time() - 3600
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.startswith(".index-") and entry.name.endswith(".tmp"):
                    try:
                        if entry.stat(follow_symlinks=False).st_mtime < limit:
                            os.unlink(entry.path)
                    except OSError:
                        pass
    except OSError:
        pass


def _line(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8") + b"\n"


@dataclass(frozen=True, slots=True)
class FileSummary:
    """One file of a folder (its path as the folder was given, as text) and its summary."""

    path: str
    summary: Summary


def _display(path: str) -> str:
    """A path as problems show it: relative to the working folder when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def _summary_from(r: list[Any]) -> Summary:
    problems = tuple(Problem(_display(p[0]), p[1], p[2], p[3], p[4]) for p in r[12]) if r[12] else ()
    return Summary(r[4], r[5], r[6], r[7], r[8], None if r[9] is None else float(r[9]), r[10], r[11], problems, r[13])


def _parse(line: bytes, words: bool) -> list[Any] | None:
    """The record of one index line (with its filter words last when `words`), or None if it is not valid."""
    record, tab, rest = line.partition(b"\t")
    try:
        r = _decode(record.decode("utf-8"))
        search = _decode(rest.decode("utf-8")) if words and tab else ""
    except (ValueError, RecursionError):
        return None
    if not tab or type(search) is not str or not _valid_record(r):
        return None
    r.append(search)
    return r  # type: ignore[no-any-return]


def _unchanged(r: list[Any], entry: os.DirEntry[str]) -> bool:
    """Whether the stored record still describes the file and every file its check looked at."""
    try:
        info = entry.stat()
    except OSError:
        return False
    if r[1] != info.st_size or r[2] != info.st_mtime_ns or r[2] <= 0:
        return False
    return all(_signature(d[0]) == [d[1], d[2]] for d in r[3])


def folder_summaries(folder: Path, extra_dirs: Sequence[str] = (), *, words: bool = True) -> Iterator[FileSummary]:
    """Every routine file of `folder` with its summary, from the index where the files are unchanged.

    Files whose size or time (or those of a file their check looked at) changed are
    checked again; once every file has been given, the index is rewritten if
    anything changed. While nothing changed, memory holds one record at a time.
    Without `words`, the filter words are not read (their `search` is empty).
    """
    given = os.fspath(folder)
    if not os.path.isdir(given):
        return
    absolute = os.path.abspath(given)
    target = index_path(folder)
    key = _program_key()
    stored = _Stored(target, absolute, key, words)
    fresh: dict[str, bytes] = {}
    try:
        base = given if given.endswith(os.sep) else given + os.sep
        for rel, entry in _walk(given):
            path = base + rel
            r = stored.get(rel)
            if r is not None and _unchanged(r, entry):
                yield FileSummary(path, _summary_from(r))
                continue
            sig = _signature(path)
            summary, deps = _check(os.path.join(absolute, rel), absolute, extra_dirs)
            now = time.time_ns()
            if now - sig[1] < RACY_NS:
                sig = [sig[0], 0]
            deps = [d if now - d[2] >= RACY_NS else [d[0], d[1], 0] for d in deps]  # type: ignore[operator]
            fresh[rel] = _record_line(rel, sig, deps, summary)
            yield FileSummary(path, _summary_with_display(summary))
        reused = stored.count - len(stored.rest or ())
        stored.get("\0")  # read to the end: a stored record left over is a file that went away
        if fresh or stored.count != reused or stored.damaged:
            _rewrite(target, absolute, key, [rel for rel, _entry in _walk(given)], fresh)
    finally:
        stored.close()


def stored_summaries(folder: Path) -> list[FileSummary] | None:
    """What the index of `folder` holds, without looking at the files; None without a whole, valid index.

    For a first frame that cannot wait for a stat of every file: the caller shows
    this at once and then calls folder_summaries to catch up with any change.
    """
    given = os.fspath(folder)
    absolute = os.path.abspath(given)
    stored = _Stored(index_path(folder), absolute, _program_key(), words=True)
    if stored._file is None:
        return None
    base = given if given.endswith(os.sep) else given + os.sep
    out = []
    try:
        # A chunk of lines at a time: the whole file at once would hold it three times over
        # (bytes, the JSON text, its decoded lists) at the peak, in a library of thousands.
        while (r := stored._next()) is not None:
            out.append(FileSummary(base + r[0], _summary_from(r)))
    except OSError:
        return None
    finally:
        stored.close()
    return None if stored.damaged else out


def _all_records(body: bytes) -> list[list[Any]] | None:
    """Every record line of `body` (the index after its header), decoded in one go; None if any is not valid.

    A record line is `[...]<tab>"words"`: with each `]<tab>` made a comma and each
    line end a `],`, the lines become one JSON array, which the json module's C
    decoder reads much faster than one call per line.
    """
    if not body:
        return []
    if not body.endswith(b"\n") or body.count(b"\t") != body.count(b"\n"):
        return None
    document = b"[" + body.replace(b"]\t", b",").replace(b"\n", b"],")[:-1] + b"]"
    try:
        records = _decode(document.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if type(records) is not list:
        return None
    for r in records:
        if not _valid_record(r, _SHAPES_WITH_WORDS):
            return None
    return records


def _rewrite(target: Path, folder: str, key: list[object], order: list[str], fresh: dict[str, bytes]) -> None:
    """Write the index again: the fresh records, and the stored ones of the files that did not change."""
    kept: dict[str, bytes] = {}
    if len(fresh) < len(order):
        old = _Stored(target, folder, key)
        try:
            for line in old.lines:
                r = _parse(line, words=True)
                if r is None:
                    break
                if r[0] not in fresh:
                    kept[r[0]] = line if line.endswith(b"\n") else line + b"\n"
        finally:
            old.close()
    lines = (fresh.get(rel) or kept.get(rel) for rel in order)
    _write_index(target, folder, key, (line for line in lines if line is not None))


def _summary_with_display(s: Summary) -> Summary:
    if not s.problems:
        return s
    return Summary(
        s.id, s.kind, s.name, s.category, s.summary, s.total_seconds, s.untimed_segments, s.length,
        tuple(replace(p, file=_display(p.file)) for p in s.problems), s.search,
    )


def _check(absolute: str, root: str, extra_dirs: Sequence[str]) -> tuple[Summary, list[list[object]]]:
    """Summarise one file, and the other files of its library folder (`root`) its check looked at.

    Includes and sound files live beside the routine, so inside its folder. A programme
    also looks for its routines in the other library folders, reading their files; those
    are not recorded: with thousands of them each open would stat them all again for
    each programme. A programme's entry therefore follows a change in another folder
    when the programme file itself changes (`vmo check` and `vmo plan` always look).
    """
    with recording_reads() as seen:
        summary = summarise(Path(absolute), absolute, extra_dirs)
    own = os.path.normcase(absolute)
    inside = os.path.normcase(os.path.join(root, ""))
    deps = []
    for name in sorted(seen):
        folded = os.path.normcase(name)
        if folded != own and folded.startswith(inside):
            deps.append([name, *_signature(name)])
    return summary, deps
