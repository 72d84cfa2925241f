"""Where routines come from (cli.md): --routines folders, VMO_ROUTINES, the user's folder, the bundled ones.

The first folder that defines an id wins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from player.errors import RoutineInvalid, UsageError
from player.files import file_kind
from player.folders import LibraryFolder, data_dir, expand_paths, library_folders, looks_like_path, routine_files  # noqa: F401
from player.libindex import Summary, folder_summaries, stored_summaries
from player.loader import check_file
from player.model import Routine
from player.problems import Problem
from player.programme import Programme


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of the library: its id, where it is, and what the index knows of it.

    The routine itself is not held (memory in proportion to what is shown): `load`
    checks the file when it is needed.
    """

    id: str
    file: str  # the path as text: a Path per entry costs time and memory in a library of thousands
    source: str
    info: Summary

    @property
    def path(self) -> Path:
        """The file, as found below its library folder."""
        return Path(self.file)

    @property
    def kind(self) -> str:
        """"routine", "programme" or "invalid"."""
        return self.info.kind

    @property
    def valid(self) -> bool:
        """Whether the file had no errors when it was last checked."""
        return self.info.kind != "invalid"

    @property
    def name(self) -> str | None:
        return self.info.name

    @property
    def category(self) -> str | None:
        return self.info.category

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.info.problems

    def load(self, extra_dirs: Sequence[str] = ()) -> tuple[Routine | Programme | None, list[Problem]]:
        """Check the file now: the routine or programme (None if it has errors) and its problems."""
        found, problems = check_file(self.path, _display(self.path), extra_dirs)
        return found, problems  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Shadowed:
    """An id defined by two files: the one vmo uses and the one it ignores."""

    id: str
    used: Path
    ignored: Path

    def warning(self) -> str:
        """The one-line warning `vmo list` and `vmo check` print."""
        return (
            f"vmo: warning: routine id '{self.id}' is defined twice; "
            f"{_display(self.ignored)} is ignored, {_display(self.used)} is used"
        )


@dataclass(frozen=True, slots=True)
class Library:
    """What a scan found: the entries (first definition of an id wins) and the ids defined twice."""

    entries: list[Entry]
    shadowed: list[Shadowed]


def _display(path: Path) -> str:
    """A path as problems show it: relative to the working folder when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def walk_library(extra_dirs: Sequence[str] = (), *, words: bool = False) -> Iterator[Entry | Shadowed]:
    """Every file the library finds, one at a time from the folders' indexes: the entry, or
    Shadowed when an earlier file already defined its id (the first definition wins).

    The filter words (`info.search`) are read only with `words`: the library screen needs them.
    """
    first: dict[str, str] = {}
    for folder in library_folders(extra_dirs):
        for found in folder_summaries(folder.path, extra_dirs, words=words):
            rid = found.summary.id
            earlier = first.setdefault(rid, found.path)
            if earlier is found.path:
                yield Entry(rid, found.path, folder.source, found.summary)
            else:
                yield Shadowed(rid, Path(earlier), Path(found.path))


def scan_library(extra_dirs: Sequence[str] = ()) -> Library:
    """Every file the library finds, from the folders' indexes; first definition of an id wins."""
    entries: list[Entry] = []
    shadowed: list[Shadowed] = []
    for item in walk_library(extra_dirs, words=True):
        (entries if isinstance(item, Entry) else shadowed).append(item)  # type: ignore[arg-type]
    return Library(entries, shadowed)


def quick_scan(extra_dirs: Sequence[str] = ()) -> list[Entry]:
    """The library as its indexes hold it, without looking at each file (first definition of an id wins).

    A folder without a whole, valid index is read as `scan` reads it. What changed
    on disk since the index was written shows only in the next `scan`.
    """
    entries: dict[str, Entry] = {}
    for folder in library_folders(extra_dirs):
        found = stored_summaries(folder.path)
        if found is None:
            found = list(folder_summaries(folder.path, extra_dirs, words=True))
        for item in found:
            rid = item.summary.id
            if rid not in entries:
                entries[rid] = Entry(rid, item.path, folder.source, item.summary)
    return list(entries.values())


def scan(extra_dirs: Sequence[str] = ()) -> list[Entry]:
    """Every routine the library finds, first definition of an id wins; invalid files included."""
    return scan_library(extra_dirs).entries


def resolve_routine(arg: str, extra_dirs: Sequence[str] = ()) -> Path:
    """The file a ROUTINE argument names: a path, or an id from the library. Raises UsageError."""
    if looks_like_path(arg):
        return _existing_file(arg)
    return _find_id(arg, extra_dirs)[0]


def _existing_file(arg: str) -> Path:
    path = Path(arg).expanduser()
    if file_kind(path) in ("missing", "a folder"):
        raise UsageError(f"no such routine file: {arg}")
    return path  # a FIFO or a device gets its problem from the loader, which never opens it


def _find_id(
    rid: str, extra_dirs: Sequence[str] = (), cached: bool = False,
) -> tuple[Path, Routine | Programme | None, list[Problem]]:
    """The file `scan` gives the id `rid`, checked now; raises UsageError if no file has it.

    The folders' indexes say which file it is; only that file is read in full
    (with `cached`, not even that while it and what it names are unchanged: player/modelcache.py).
    """
    known: list[str] = []
    for folder in library_folders(extra_dirs):
        for found in folder_summaries(folder.path, extra_dirs, words=False):
            if found.summary.id == rid:
                path = Path(found.path)
                if cached:
                    from player.modelcache import check_file as check_cached

                    loaded, problems = check_cached(path, _display(path), extra_dirs)
                else:
                    loaded, problems = check_file(path, _display(path), extra_dirs)
                return path, loaded, problems  # type: ignore[return-value]
            known.append(found.summary.id)
    from player.problems import did_you_mean

    hint = did_you_mean(rid, sorted(set(known))) or "; 'vmo list' shows the routines"
    raise UsageError(f"unknown routine '{rid}'{hint}")


def load(arg: str, extra_dirs: Sequence[str] = ()) -> Routine:
    """Resolve and load a ROUTINE argument. Raises UsageError or RoutineInvalid."""
    found = load_any(arg, extra_dirs)
    if isinstance(found, Programme):
        raise UsageError(f"'{arg}' is a programme, not a routine; 'vmo plan {arg}' shows it")
    return found


def load_any(arg: str, extra_dirs: Sequence[str] = (), cached: bool = False) -> Routine | Programme:
    """Resolve and load a ROUTINE or PROGRAMME argument. Raises UsageError or RoutineInvalid.

    `cached`: an id's model may come from the model cache (player/modelcache.py).
    """
    if looks_like_path(arg):
        found, problems = check_file(_existing_file(arg), arg, extra_dirs)
    else:
        _path, found, problems = _find_id(arg, extra_dirs, cached)  # checked once, while looking for it
    if found is None:
        raise RoutineInvalid(problems)
    return found  # type: ignore[return-value]
