"""The simpleaudio backend: one short-lived stream per cue, which simpleaudio closes when the sound ends.

Overlapping cues each get their own stream (the system mixer sums them). Opening a
stream can take milliseconds, so `play` only queues the sound and a worker thread
opens the stream.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from player.audio.alsa import silence_alsa
from player.audio.backend import PcmBackend
from player.audio.pcm import CHANNELS, RATE, SAMPLE_WIDTH

_POLL = 0.005  # seconds between looks at a stream's state; simpleaudio offers no wait with a timeout


class SimpleaudioBackend(PcmBackend):
    """Plays through simpleaudio (ALSA on Linux, CoreAudio, WinMM)."""

    name = "simpleaudio"

    def __init__(self) -> None:
        import simpleaudio

        super().__init__()
        silence_alsa()
        self._sa = simpleaudio
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pending = 0  # queued, not yet handed to simpleaudio
        self._playing: list[Any] = []
        self.opened = 0  # streams opened so far, for tests and the benchmark
        self._worker = threading.Thread(target=self._run, name="vmo-simpleaudio", daemon=True)
        self._worker.start()

    def probe(self) -> None:
        """Play a few frames of silence; raises if no stream can be opened."""
        self._sa.play_buffer(bytes(2 * SAMPLE_WIDTH * CHANNELS), CHANNELS, SAMPLE_WIDTH, RATE).wait_done()

    def play(self, name: str) -> None:
        """Queue the sound for the worker, which opens its stream."""
        pcm = self._sounds.get(name)
        if pcm is None:
            return
        with self._lock:
            self._pending += 1
        self._queue.put(pcm)

    def wait_idle(self, timeout: float) -> bool:
        """Block until every queued sound has played and its stream is closed."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                self._playing = [p for p in self._playing if p.is_playing()]
                if not self._pending and not self._playing:
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL)

    def close(self, drain: float = 0.0) -> None:
        """Stop the worker; streams still playing after `drain` seconds are stopped."""
        if drain > 0:
            self.wait_idle(drain)
        self._queue.put(None)
        self._worker.join(timeout=5)
        with self._lock:
            playing, self._playing = self._playing, []
        for stream in playing:
            stream.stop()

    def _run(self) -> None:
        while True:
            pcm = self._queue.get()
            if pcm is None:
                return
            try:
                stream = self._sa.play_buffer(pcm, CHANNELS, SAMPLE_WIDTH, RATE)
            except Exception as exc:  # no device: drop the sound quietly
                stream = None
                self.error = f"{type(exc).__name__}: {exc}"
            with self._lock:
                self._pending -= 1
                if stream is not None:
                    self.opened += 1
                    self._playing = [p for p in self._playing if p.is_playing()] + [stream]
