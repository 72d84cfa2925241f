"""The one way vmo reads a file it did not write itself: regular files only, size-limited, never blocking.

A library folder, a settings file or a history file may be a FIFO, a device or a
link to one. Opening a FIFO for reading blocks until a writer appears, and
`/dev/zero` never ends, so every reader opens with O_NONBLOCK, checks with
`fstat` that it holds a regular file, and reads at most a limit.

Errors are OSError subclasses whose `strerror` is one readable line, so a caller
that already reports `exc.strerror` reports these too.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from typing import Iterator
from typing import BinaryIO

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)  # a terminal device never becomes our controlling terminal
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


# Sets that collect the path of every file looked at (see recording_reads).
_recorders: list[set[str]] = []


@contextmanager
def recording_reads() -> Iterator[set[str]]:
    """Collect the absolute paths of the files read or looked at inside the block (for the library index)."""
    seen: set[str] = set()
    _recorders.append(seen)
    try:
        yield seen
    finally:
        _recorders.remove(seen)


def _record(path: str | os.PathLike[str]) -> None:
    if _recorders:
        name = os.path.abspath(path)
        for seen in _recorders:
            seen.add(name)


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a folder or a socket (after following links)."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(None, f"not a regular file ({kind})", str(path))
        self.kind = kind


class FileTooLarge(OSError):
    """The file holds more than the reader's limit."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        shown = _size(limit)
        exact = "" if shown.endswith(" bytes") else f" ({limit:,} bytes)"
        super().__init__(None, f"the file is larger than {shown}{exact}", str(path))
        self.limit = limit


def _size(limit: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if limit >= factor and limit % factor == 0:
            return f"{limit // factor} {unit}"
    return f"{limit:,} bytes"


def kind_of(mode: int) -> str | None:
    """What a stat mode names when it is not a regular file ("a FIFO"...), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "not a regular file"


def open_fd(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A blocking read-only descriptor of the regular file `path` and its stat. Raises OSError.

    Never blocks: a FIFO is opened without waiting for a writer, then refused.
    """
    _record(path)
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise NotRegularFile(path, kind)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def open_append(path: str | os.PathLike[str], *, read: bool = False) -> int:
    """A blocking descriptor for appending to the regular file `path`, created if missing. Raises OSError.

    Never blocks: opening a FIFO for writing would wait for a reader.
    """
    kind = file_kind(path)
    if kind not in (None, "missing"):  # a FIFO with no reader would fail with a puzzling ENXIO
        raise NotRegularFile(path, kind)
    mode = os.O_RDWR if read else os.O_WRONLY
    flags = mode | os.O_APPEND | os.O_CREAT | (_FLAGS & ~os.O_RDONLY)
    fd = os.open(path, flags, 0o644)
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            raise NotRegularFile(path, kind)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """The regular file `path` opened for reading in binary (use as a context manager). Raises OSError."""
    fd, _info = open_fd(path)
    return os.fdopen(fd, "rb")  # type: ignore[return-value]


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them. Raises OSError.

    NotRegularFile for a FIFO, device, folder or socket; FileTooLarge beyond `limit`;
    FileNotFoundError, PermissionError... as the system reports them.
    """
    fd, info = open_fd(path)
    try:
        # Plain descriptor calls: a file object costs more than the read. Asking for
        # limit + 1 at once would allocate the whole limit per file, so this asks for
        # the size the file reports and reads on while there is more, up to the limit.
        chunks = []
        total = 0
        want = min(info.st_size, limit) + 1
        while total <= limit:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            want = min(limit + 1 - total, 1 << 16)  # a file that grew: read on in small steps
    finally:
        os.close(fd)
    if total > limit:
        raise FileTooLarge(path, limit)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def file_kind(path: str | os.PathLike[str]) -> str | None:
    """None if `path` (links followed) is a regular file, else "missing", "a FIFO", "a folder"...

    Without opening it: stat never blocks on a FIFO.
    """
    _record(path)
    try:
        return kind_of(os.stat(path).st_mode)
    except (OSError, ValueError):
        return "missing"


__all__ = [
    "FileTooLarge", "NotRegularFile", "file_kind", "kind_of", "open_append", "open_fd", "open_regular", "read_limited", "recording_reads",
]
