"""Where routines come from (cli.md): --routines folders, VMO_ROUTINES, the user's folder, the bundled ones.

The first folder that defines an id wins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from player.errors import RoutineInvalid, UsageError
from player.files import file_kind, read_limited
from player.loader import MAX_BYTES, ROUTINE_SUFFIXES, check_file, slug
from player.model import Routine
from player.problems import Problem
from player.programme import Programme
from player.resources import routines_dir


def data_dir() -> Path:
    """The user's data folder: VMO_DATA_DIR, else the platform's user data folder for vmo."""
    explicit = os.environ.get("VMO_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("vmo", appauthor=False))


@dataclass(frozen=True, slots=True)
class LibraryFolder:
    """A folder of routines and what it is called in listings."""

    path: Path
    source: str  # "option", "env", "user" or "bundled"


def library_folders(extra_dirs: Sequence[str] = ()) -> list[LibraryFolder]:
    """The folders searched for routines, first wins."""
    folders = [LibraryFolder(Path(d).expanduser(), "option") for d in extra_dirs]
    env = os.environ.get("VMO_ROUTINES", "")
    folders += [LibraryFolder(Path(d).expanduser(), "env") for d in env.split(os.pathsep) if d]
    folders.append(LibraryFolder(data_dir() / "routines", "user"))
    folders.append(LibraryFolder(routines_dir(), "bundled"))
    return folders


def routine_files(folder: Path) -> Iterator[Path]:
    """The routine files under `folder`, recursively, in a stable order."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(ROUTINE_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of the library: its id and either the routine (or the programme) or its problems."""

    id: str
    path: Path
    source: str
    routine: Routine | None
    problems: tuple[Problem, ...]
    programme: Programme | None = None


def _display(path: Path) -> str:
    """A path as problems show it: relative to the working folder when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def scan(extra_dirs: Sequence[str] = ()) -> list[Entry]:
    """Every routine the library finds, first definition of an id wins; invalid files included."""
    entries: dict[str, Entry] = {}
    for folder in library_folders(extra_dirs):
        for path in routine_files(folder.path):
            found, problems = check_file(path, _display(path), extra_dirs)
            rid = found.id if found is not None else slug(path.stem)  # type: ignore[union-attr]
            if rid not in entries:
                if isinstance(found, Programme):
                    entries[rid] = Entry(rid, path, folder.source, None, tuple(problems), found)
                else:
                    entries[rid] = Entry(rid, path, folder.source, found, tuple(problems))  # type: ignore[arg-type]
    return list(entries.values())


def looks_like_path(arg: str) -> bool:
    """cli.md: an argument with a path separator or a .yaml/.yml ending names a file."""
    return os.sep in arg or "/" in arg or (os.altsep or "/") in arg or arg.endswith(ROUTINE_SUFFIXES)


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


def _find_id(rid: str, extra_dirs: Sequence[str] = ()) -> tuple[Path, Routine | Programme | None, list[Problem]]:
    """The file `scan` would give the id `rid`, checked; raises UsageError if no file has it.

    Only the files that could define `rid` are checked. A file's id is its `id` value
    (so its text holds it, unless written with escapes) or, when it has none or has
    errors, its name made into a slug. `vmo play ID` starts faster for not loading
    the whole library.
    """
    needle = rid.encode("utf-8")
    for folder in library_folders(extra_dirs):
        for path in routine_files(folder.path):
            if slug(path.stem) != rid:
                try:
                    data = read_limited(path, MAX_BYTES)
                except OSError:
                    continue  # unreadable: its id would be its name's slug, which is not `rid`
                if needle not in data and b"\\" not in data:
                    continue
            found, problems = check_file(path, _display(path), extra_dirs)
            if (found.id if found is not None else slug(path.stem)) == rid:  # type: ignore[union-attr]
                return path, found, problems  # type: ignore[return-value]
    from player.problems import did_you_mean

    entries = scan(extra_dirs)
    hint = did_you_mean(rid, sorted(e.id for e in entries)) or "; 'vmo list' shows the routines"
    raise UsageError(f"unknown routine '{rid}'{hint}")


def load(arg: str, extra_dirs: Sequence[str] = ()) -> Routine:
    """Resolve and load a ROUTINE argument. Raises UsageError or RoutineInvalid."""
    found = load_any(arg, extra_dirs)
    if isinstance(found, Programme):
        raise UsageError(f"'{arg}' is a programme, not a routine; 'vmo plan {arg}' shows it")
    return found


def load_any(arg: str, extra_dirs: Sequence[str] = ()) -> Routine | Programme:
    """Resolve and load a ROUTINE or PROGRAMME argument. Raises UsageError or RoutineInvalid."""
    if looks_like_path(arg):
        found, problems = check_file(_existing_file(arg), arg, extra_dirs)
    else:
        _path, found, problems = _find_id(arg, extra_dirs)  # checked once, while looking for it
    if found is None:
        raise RoutineInvalid(problems)
    return found  # type: ignore[return-value]


def expand_paths(paths: Iterable[str]) -> list[Path]:
    """Files and folders (recursively, *.yaml / *.yml) as a list of files. Raises UsageError."""
    found: list[Path] = []
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            found.extend(routine_files(path))
        elif file_kind(path) != "missing":
            found.append(path)  # a FIFO or a device too: the check reports it instead of hiding it
        else:
            raise UsageError(f"no such file or folder: {arg}")
    return found
