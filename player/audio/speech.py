"""Speaking exercise names: a speech program renders each text to a WAV once, the backend plays it.

Rendering through the backend (rather than letting espeak-ng open the device itself)
keeps one path for every sound: the chosen backend, mute, the capture tests and the
latency all apply to spoken names too. Rendering takes tens of milliseconds, so it
runs on a worker thread, and `prepare` renders a routine's names before they are due.
"""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

from player.audio.backend import Backend
from player.audio.pcm import RATE, SoundError, load_pcm, trim_silence

_TIMEOUT = 10.0  # seconds a speech program may take for one short text
_MAX_CHARS = 200  # an exercise name, not an essay: keeps a runaway text from speaking for minutes


class Speak(Protocol):
    """What the cue player calls to say a text: non-blocking; `fallback` plays if it cannot be said."""

    def __call__(self, text: str, fallback: str | None) -> None: ...


@dataclass(frozen=True)
class SpeechProgram:
    """A command that writes `text` (read from stdin) as a WAV file."""

    name: str
    argv: tuple[str, ...]  # "{out}" is replaced by the WAV path

    def command(self, out: Path) -> list[str]:
        """The argv that renders into `out`."""
        return [str(out) if a == "{out}" else a for a in self.argv]


def find_speech_program() -> SpeechProgram | None:
    """espeak-ng (or espeak) on Linux and elsewhere, `say` on macOS; None when there is none."""
    if sys.platform == "darwin" and (say := shutil.which("say")):
        argv = (say, "-o", "{out}", "--file-format=WAVE", f"--data-format=LEI16@{RATE}", "-f", "-")
        return SpeechProgram("say", argv)
    for name in ("espeak-ng", "espeak"):
        if exe := shutil.which(name):
            return SpeechProgram(name, (exe, "-v", "en-us", "-s", "160", "-w", "{out}", "--stdin"))
    return None


def clean_text(text: str) -> str:
    """The text as plain words: no control characters, no espeak phoneme brackets, bounded length."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = text.replace("[[", " ").replace("]]", " ")
    return re.sub(r"\s+", " ", text).strip()[:_MAX_CHARS]


class Speaker:
    """Says texts through `backend` with `program`; each distinct text is rendered once."""

    def __init__(self, backend: Backend, program: SpeechProgram) -> None:
        self.backend = backend
        self.program = program
        self._folder = Path(tempfile.mkdtemp(prefix="vmo-speech-"))
        self._names: dict[str, str | None] = {}  # text -> loaded sound name, None if it failed
        self._queue: queue.SimpleQueue[tuple[str, bool, str | None] | None] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._run, name="vmo-speech", daemon=True)
        self._worker.start()

    def __call__(self, text: str, fallback: str | None) -> None:
        """Say `text` as soon as it is rendered; play `fallback` if it cannot be."""
        self._queue.put((text, True, fallback))

    def prepare(self, texts: Iterable[str]) -> None:
        """Render `texts` ahead of time, so saying them later is as quick as any cue."""
        for text in texts:
            self._queue.put((text, False, None))

    def sound_name(self, text: str) -> str | None:
        """The backend's name for the rendered `text`, once rendered (None before, or if it failed)."""
        return self._names.get(clean_text(text))

    def close(self) -> None:
        """Stop rendering and delete the rendered files."""
        self._queue.put(None)
        self._worker.join(timeout=_TIMEOUT)
        shutil.rmtree(self._folder, ignore_errors=True)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            text, play, fallback = item
            name = self._render(clean_text(text))
            if not play:
                continue
            if name is not None:
                self.backend.play(name)
            elif fallback is not None:
                self.backend.play(fallback)

    def _render(self, text: str) -> str | None:
        if text in self._names:
            return self._names[text]
        name = None
        if text:
            out = self._folder / f"say-{len(self._names)}.wav"
            try:
                subprocess.run(
                    self.program.command(out), input=text.encode("utf-8"), timeout=_TIMEOUT, check=True,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
                name = f"speech:{text}"
                # Trimmed: espeak-ng leads with silence, which would make the name late.
                self.backend.load_pcm(name, trim_silence(load_pcm(out)))
            except (OSError, subprocess.SubprocessError, SoundError):
                name = None
        self._names[text] = name
        return name
