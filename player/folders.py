"""Where routine files are: the data folder, the library folders and the routine files in a folder.

Below the loader, the library, its index and the programme checker, which all
find files through these (and import none of them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from player.checks import ROUTINE_SUFFIXES
from player.errors import UsageError
from player.files import file_kind
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


def looks_like_path(arg: str) -> bool:
    """cli.md: an argument with a path separator or a .yaml/.yml ending names a file."""
    return os.sep in arg or "/" in arg or (os.altsep or "/") in arg or arg.endswith(ROUTINE_SUFFIXES)


def walk(folder: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path below `folder`, its directory entry) of each routine file, in os.walk's order.

    Strings and scandir rather than Path objects: a library of 10,000 files is walked
    each time it is opened. Hidden files and folders are skipped; links to folders are
    not followed (as os.walk does).
    """
    try:
        with os.scandir(folder or ".") as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    yield from _walk_entries(entries, "")


def _walk_entries(entries: list[os.DirEntry[str]], prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    folders = []
    for e in entries:
        name = e.name
        if name.startswith("."):
            continue
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not e.is_symlink():
                folders.append(e)
        elif name.endswith(ROUTINE_SUFFIXES):
            yield prefix + name, e
    for e in folders:
        try:
            with os.scandir(e.path) as it:
                inner = sorted(it, key=lambda x: x.name)
        except OSError:
            continue
        yield from _walk_entries(inner, prefix + e.name + os.sep)


def routine_files(folder: Path) -> Iterator[Path]:
    """The routine files under `folder`, recursively, in a stable order."""
    for rel, _entry in walk(os.fspath(folder)):
        yield folder / rel


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
