"""Loaded programmes and routines kept between commands: `index/models.json` in the data folder.

`vmo today` loads every programme the user follows, and each of their routines,
from YAML on every run; with three programmes that was about a third of the
command (40 ms of 130 ms, plus 15 ms importing the YAML reader). This cache keeps
each valid model as JSON, with the size and modification time of its file and of
every file its check looked at (the routines it names, the files searched for an
id), and of those files' folders (a file added next to them changes the folder's
time). A model is reused only when all of these, the folders given with
--routines and this program's version and code are unchanged, and the JSON text
matches its SHA-256; a file changed within the last two seconds is checked again
next time (its time may not have ticked yet), as in the library index.

The cache is never trusted: anything else (another format, a damaged file, a
value that does not decode to the same classes) means the file is checked again
with the loader, and the cache is replaced atomically. Files with errors are not
kept: their problems are reported by the loader each time.

Only the classes of player.model and player.programme, tuples, dictionaries,
paths and dates are written; a model holding anything else is not cached.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import os
from datetime import date
from pathlib import Path
from typing import Any, Sequence

FORMAT = "vmo-model-cache"
VERSION = 1
CACHE_FILE = "models.json"
MAX_ENTRIES = 64  # the oldest are dropped beyond this
MAX_CACHE_BYTES = 16 * 1024 * 1024  # a larger file is not this cache


class _Unsupported(Exception):
    """A value the cache does not write."""


def cache_path() -> Path:
    """`index/models.json` in the data folder."""
    from player.folders import data_dir

    return data_dir() / "index" / CACHE_FILE


def check_file(path: Path, display: str, extra_dirs: Sequence[str] = (), cache: Path | None = None) -> tuple[Any, list[Any]]:
    """What player.loader.check_file gives for `path`, from the cache when nothing it depends on changed.

    A cached model comes with no problems (its warnings were the loader's; callers
    of this one only use the model when there is one).
    """
    target = cache_path() if cache is None else cache
    name = os.fspath(path)
    extra = [os.fspath(d) for d in extra_dirs]
    stored = _read(target)
    entry = stored.get(name)
    if entry is not None:
        model = _reuse(entry, extra)
        if model is not None:
            return model, []
    from player.files import recording_reads
    from player.loader import check_file as load

    with recording_reads() as seen:
        loaded, problems = load(path, display, extra_dirs)
    if loaded is not None and type(loaded).__name__ in ("Programme", "Routine"):
        fresh = _entry(loaded, name, seen, extra)
        if fresh is not None:
            stored.pop(name, None)
            stored[name] = fresh
            while len(stored) > MAX_ENTRIES:
                del stored[next(iter(stored))]
            _write(target, stored)
    return loaded, problems


# -- the entries --


def _program_key() -> list[object]:
    from player.libindex import _program_key as library_key, _signature

    return [*library_key(), _signature(__file__)]


def _signatures(names: Sequence[str]) -> list[list[object]]:
    """[name, size, mtime_ns] of each; a time within the last two seconds stored as 0 (never matches)."""
    import time

    from player.libindex import RACY_NS, _signature

    now = time.time_ns()
    out: list[list[object]] = []
    for n in names:
        size, mtime = _signature(n)
        out.append([n, size, mtime if now - mtime >= RACY_NS else 0])
    return out


def _entry(model: Any, name: str, seen: set[str], extra: list[str]) -> dict[str, Any] | None:
    try:
        text = json.dumps(_out(model), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (_Unsupported, ValueError, RecursionError):
        return None
    files = sorted({os.path.abspath(name), *seen})
    folders = sorted({os.path.dirname(f) for f in files})
    return {
        "key": _program_key(), "extra": extra, "deps": _signatures(files + folders),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "model": text,
    }


def _reuse(entry: Any, extra: list[str]) -> Any:
    """The model of a stored entry if it is whole and nothing it depends on changed, else None."""
    from player.libindex import _signature

    try:
        if entry["extra"] != extra or entry["key"] != _program_key():
            return None
        for n, size, mtime in entry["deps"]:
            if mtime == 0 or _signature(n) != [size, mtime]:
                return None
        text = entry["model"]
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["sha256"]:
            return None
        model = _in(json.loads(text))
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    return model if type(model).__name__ in ("Programme", "Routine") else None


# -- the file --


def _read(target: Path) -> dict[str, Any]:
    from player.files import read_limited

    try:
        document = json.loads(read_limited(target, MAX_CACHE_BYTES))
    except (OSError, ValueError, RecursionError):
        return {}
    if type(document) is not dict or document.get("format") != FORMAT or document.get("version") != VERSION:
        return {}
    entries = document.get("entries")
    return entries if type(entries) is dict else {}


def _write(target: Path, entries: dict[str, Any]) -> None:
    """Replace the cache atomically; a folder that cannot be written only means no cache."""
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".models-", suffix=".tmp", dir=target.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "version": VERSION, "entries": entries}, f, ensure_ascii=False)
        os.replace(tmp, target)
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


# -- the models as JSON --


@functools.cache
def _classes() -> dict[str, type]:
    """The model classes the cache writes, by name."""
    from player import model, programme

    found: dict[str, type] = {}
    for module in (model, programme):
        for name, value in vars(module).items():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
                found[name] = value
    return found


def _out(value: Any) -> Any:
    """`value` as JSON: a tuple as a list; a model, path, date or dictionary as an object with one tag."""
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _Unsupported
        return value
    if kind is tuple:
        return [_out(v) for v in value]
    if isinstance(value, Path):
        return {"path": str(value)}
    if kind is date:
        return {"date": value.isoformat()}
    if kind is dict:
        return {"dict": [[_out(k), _out(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and _classes().get(kind.__name__) is kind:
        return {"class": kind.__name__, "fields": [_out(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init]}
    raise _Unsupported(kind.__name__)


def _in(value: Any, classes: dict[str, type] | None = None) -> Any:
    """The value `_out` wrote; raises TypeError, KeyError or ValueError on anything it does not write."""
    kind = type(value)
    if value is None or kind in (str, bool, int, float):
        return value
    if classes is None:
        classes = _classes()
    if kind is list:
        return tuple(_in(v, classes) for v in value)
    if kind is not dict or len(value) not in (1, 2):
        raise TypeError("not a cached value")
    if "path" in value:
        return Path(value["path"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    if "dict" in value:
        return {_in(k, classes): _in(v, classes) for k, v in value["dict"]}
    cls = classes[value["class"]]
    fields = [f for f in dataclasses.fields(cls) if f.init]
    given = value["fields"]
    if type(given) is not list or len(given) != len(fields):
        raise TypeError("not a cached model")
    return cls(**{f.name: _in(v, classes) for f, v in zip(fields, given)})
