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
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from player.files import read_limited, recording_reads
from player.problems import Problem

FORMAT = "vmo-library-index"
VERSION = 1
MAX_INDEX_BYTES = 256 * 1024 * 1024
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


def routine_files(folder: Path) -> Iterator[Path]:
    """The routine files under `folder`, recursively, in a stable order."""
    from player.loader import ROUTINE_SUFFIXES

    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(ROUTINE_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def index_path(folder: Path) -> Path:
    """Where the index of `folder` lives in the data folder."""
    from player.library import data_dir

    digest = hashlib.sha256(os.path.abspath(folder).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return data_dir() / "index" / f"{digest}.json"


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


def _record(rel: str, sig: list[int], deps: list[list[object]], s: Summary) -> list[object]:
    return [
        rel, sig[0], sig[1], deps, s.id, s.kind, s.name, s.category, s.summary, s.total_seconds,
        s.untimed_segments, s.length, [_problem_out(p) for p in s.problems], s.search,
    ]


_OPT_STR = (str, type(None))


def _valid_record(r: object) -> bool:
    """Whether one stored record has exactly the shape `_record` writes."""
    if type(r) is not list or len(r) != 14:
        return False
    rel, size, mtime, deps, rid, kind, name, category, summary, total, untimed, length, problems, search = r
    if not (
        type(rel) is str and type(size) is int and type(mtime) is int and type(deps) is list
        and type(rid) is str and kind in KINDS and isinstance(name, _OPT_STR) and isinstance(category, _OPT_STR)
        and isinstance(summary, _OPT_STR) and (total is None or type(total) in (int, float))
        and type(untimed) is int and type(length) is str and type(problems) is list and type(search) is str
    ):
        return False
    if rel.startswith(("/", "\\")) or ".." in rel.replace("\\", "/").split("/"):
        return False
    for d in deps:
        if type(d) is not list or len(d) != 3 or type(d[0]) is not str or type(d[1]) is not int or type(d[2]) is not int:
            return False
    for p in problems:
        if (type(p) is not list or len(p) != 5 or type(p[0]) is not str or type(p[1]) is not int
                or type(p[2]) is not int or type(p[3]) is not str or p[4] not in ("error", "warning")):
            return False
    return kind == "invalid" or (type(name) is str and type(category) is str)


def _read_index(target: Path, folder: str, key: list[object]) -> dict[str, list[Any]]:
    """The stored records of `folder` by relative path; empty when missing, foreign or damaged."""
    try:
        data = json.loads(read_limited(target, MAX_INDEX_BYTES))
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        type(data) is not dict or data.get("format") != FORMAT or data.get("version") != VERSION
        or data.get("folder") != folder or data.get("key") != key or type(data.get("files")) is not list
    ):
        return {}
    records: dict[str, list[Any]] = {}
    for r in data["files"]:
        if not _valid_record(r):
            return {}  # one damaged record: trust none of it
        records[r[0]] = r
    return records


def _write_index(target: Path, folder: str, key: list[object], records: list[list[object]]) -> None:
    """Replace the index atomically; a folder that cannot be written only means no index (a cache)."""
    import tempfile

    text = json.dumps(
        {"format": FORMAT, "version": VERSION, "folder": folder, "key": key, "files": records},
        ensure_ascii=False, separators=(",", ":"), allow_nan=False,
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=target.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, target)
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


@dataclass(frozen=True, slots=True)
class FileSummary:
    """One file of a folder and its summary."""

    path: Path
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


def folder_summaries(folder: Path, extra_dirs: Sequence[str] = ()) -> list[FileSummary]:
    """Every routine file of `folder` with its summary, from the index where the files are unchanged.

    Files whose size or time (or those of a file their check looked at) changed are
    checked again; the index is rewritten when anything changed.
    """
    files = list(routine_files(folder))
    absolute = os.path.abspath(folder)
    target = index_path(folder)
    key = _program_key()
    stored = _read_index(target, absolute, key)
    out: list[FileSummary] = []
    records: list[list[object]] = []
    changed = len(stored) != len(files)
    prefix = len(os.fspath(folder).rstrip("/\\")) + 1
    for path in files:
        text = os.fspath(path)
        rel = text[prefix:]
        sig = _signature(text)
        r = stored.get(rel)
        if r is not None and r[1] == sig[0] and r[2] == sig[1] and sig[1] > 0 and all(
            _signature(d[0]) == [d[1], d[2]] for d in r[3]
        ):
            records.append(r)
            out.append(FileSummary(path, _summary_from(r)))
            continue
        changed = True
        summary, deps = _check(path, os.path.join(absolute, rel), extra_dirs)
        now = time.time_ns()
        if now - sig[1] < RACY_NS:
            sig = [sig[0], 0]
        deps = [d if now - d[2] >= RACY_NS else [d[0], d[1], 0] for d in deps]  # type: ignore[operator]
        records.append(_record(rel, sig, deps, summary))
        out.append(FileSummary(path, _summary_with_display(summary)))
    if changed:
        _write_index(target, absolute, key, records)
    return out


def _summary_with_display(s: Summary) -> Summary:
    if not s.problems:
        return s
    return Summary(
        s.id, s.kind, s.name, s.category, s.summary, s.total_seconds, s.untimed_segments, s.length,
        tuple(replace(p, file=_display(p.file)) for p in s.problems), s.search,
    )


def _check(path: Path, absolute: str, extra_dirs: Sequence[str]) -> tuple[Summary, list[list[object]]]:
    """Summarise one file, and the other files its check looked at with their signatures."""
    with recording_reads() as seen:
        summary = summarise(Path(absolute), absolute, extra_dirs)
    own = os.path.normcase(absolute)
    deps = []
    for name in sorted(seen):
        if os.path.normcase(name) != own:
            deps.append([name, *_signature(name)])
    return summary, deps
