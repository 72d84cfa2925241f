"""The audio backend interface, and the two backends that need no sound device.

A backend holds decoded sounds by name and plays them without blocking its caller.
The real ones (miniaudio, simpleaudio) live in their own modules so that importing
this one never loads an audio library.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Protocol, TextIO, runtime_checkable

from player.audio.pcm import load_pcm


@runtime_checkable
class Backend(Protocol):
    """What the cue player needs from an audio output."""

    name: str

    def load(self, name: str, path: Path) -> None:
        """Decode the WAV at `path` now and keep it as `name`; raises SoundError."""

    def load_pcm(self, name: str, pcm: bytes) -> None:
        """Keep already decoded PCM (RATE, mono, 16-bit, native order) as `name`."""

    def has(self, name: str) -> bool:
        """Whether a sound called `name` is loaded."""

    def play(self, name: str) -> None:
        """Start playing `name` and return at once; sounds already playing go on (they mix)."""

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing plays and no device is open; False if `timeout` ran out first."""

    def close(self, drain: float = 0.0) -> None:
        """Let sounds playing finish for up to `drain` seconds, then release the device for good."""


class PcmBackend:
    """Shared by every backend: decoding once, at load time, into a dict of PCM blocks."""

    name = "pcm"

    def __init__(self) -> None:
        self._sounds: dict[str, bytes] = {}
        # Why the last play failed, for a caller that wants to say so; never printed here.
        self.error: str | None = None

    def load(self, name: str, path: Path) -> None:
        """Decode the WAV at `path` now and keep it as `name`; raises SoundError."""
        self._sounds[name] = load_pcm(Path(path))

    def load_pcm(self, name: str, pcm: bytes) -> None:
        """Keep already decoded PCM (RATE, mono, 16-bit) as `name`."""
        self._sounds[name] = pcm

    def has(self, name: str) -> bool:
        """Whether a sound called `name` is loaded."""
        return name in self._sounds

    def pcm(self, name: str) -> bytes | None:
        """The decoded PCM of `name`, or None."""
        return self._sounds.get(name)


class RecordingBackend(PcmBackend):
    """For tests: records the names played, in order, and plays nothing."""

    name = "recording"

    def __init__(self) -> None:
        super().__init__()
        self.played: list[str] = []
        self.closed = False
        self._lock = threading.Lock()  # the speech worker plays from its own thread

    def play(self, name: str) -> None:
        """Record `name` (only if it is loaded, as a real backend would play only those)."""
        if name in self._sounds:
            with self._lock:
                self.played.append(name)

    def wait_idle(self, timeout: float) -> bool:
        """Nothing ever plays."""
        return True

    def close(self, drain: float = 0.0) -> None:
        """Remember that it was closed."""
        self.closed = True


class SilentBackend(PcmBackend):
    """No sound device: each cue calls `bell` (e.g. the Textual app's `bell`), or does nothing.

    The bell is injected because only the adapter knows whether raw BEL may reach the
    terminal; written behind a Textual screen's back it would corrupt the display.
    """

    name = "none"

    def __init__(self, bell: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.bell = bell

    def play(self, name: str) -> None:
        """Ring the bell, if there is one."""
        if self.bell is not None and name in self._sounds:
            try:
                self.bell()
            except (OSError, ValueError):
                pass  # a closed terminal must not stop the routine

    def wait_idle(self, timeout: float) -> bool:
        """Nothing ever plays."""
        return True

    def close(self, drain: float = 0.0) -> None:
        """Nothing to release."""


def terminal_bell(stream: TextIO) -> Callable[[], None] | None:
    """A bell that writes BEL to `stream`, for the plain player; None when `stream` is not a terminal."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None

    def ring() -> None:
        stream.write("\a")
        stream.flush()

    return ring
