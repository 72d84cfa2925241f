"""The miniaudio backend: one device, opened when a cue plays and closed when it has gone quiet.

An open miniaudio device calls back for samples forever, even in silence, so it is
not left open between cues: a worker thread opens it on demand and closes it after
`idle_close` seconds with nothing playing. Overlapping cues are summed by a mixer
that the device's audio thread reads from.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from typing import Any, Callable

from player.audio.alsa import silence_alsa
from player.audio.backend import PcmBackend
from player.audio.pcm import CHANNELS, FRAME_BYTES, RATE, mix

DEFAULT_IDLE_CLOSE = 1.0  # seconds; longer than any device buffer, short enough to stop spinning soon
DEFAULT_PERIOD_MS = 20  # small periods: a cue enters the output within a few tens of ms
# Silent callbacks served after the last voice before the device counts as idle: by then the
# last samples have left the device buffer (a few periods long), so closing cuts nothing off.
DRAIN_CALLBACKS = 8


def default_backends() -> list[Any]:
    """The miniaudio backends worth trying on this platform, best first.

    Naming them matters: left to itself miniaudio ends on its "null" backend, which
    plays into the void and so never reports that there is no device; and it would try
    JACK, whose client library prints to stderr when no JACK server runs.
    """
    import miniaudio

    b = miniaudio.Backend
    if sys.platform.startswith("linux"):
        return [b.PULSEAUDIO, b.ALSA]
    if sys.platform == "darwin":
        return [b.COREAUDIO]
    if sys.platform.startswith("win"):
        return [b.WASAPI, b.DSOUND, b.WINMM]
    return [b.SNDIO, b.AUDIO4, b.OSS]


class _Mixer:
    """The sample source of one device: the voices started on it, summed.

    The device's audio thread calls `send(frames)` (the generator protocol miniaudio
    expects); `add` may be called from any thread, so new voices go through a deque,
    whose append and popleft are atomic.
    """

    def __init__(self, on_idle: Callable[[], None]) -> None:
        self._incoming: deque[bytes] = deque()
        self._voices: list[list[Any]] = []  # [pcm, offset]
        self._on_idle = on_idle
        # Each counter is written by one thread only, so comparing them is race-free,
        # unlike looking at the deque and list while a voice moves from one to the other.
        self._added = 0
        self._finished = 0
        self._drain_left = 0
        self.started_at: float | None = None  # when the audio thread first asked for samples

    def add(self, pcm: bytes) -> None:
        """Start a voice on the next callback."""
        self._added += 1
        self._incoming.append(pcm)

    @property
    def busy(self) -> bool:
        """A voice is waiting or playing, or its last samples are still in the device buffer."""
        return self._added != self._finished or self._drain_left > 0

    def send(self, frames: int) -> bytes:
        """The next `frames` frames of the mix; b"" (silence) when nothing plays."""
        if self.started_at is None:
            self.started_at = time.monotonic()
        while self._incoming:
            self._voices.append([self._incoming.popleft(), 0])
        if not self._voices:
            if self._drain_left > 0:
                self._drain_left -= 1
                if not self.busy:
                    self._on_idle()
            return b""
        size = frames * FRAME_BYTES
        blocks = []
        for voice in self._voices:
            pcm, offset = voice
            blocks.append(pcm[offset : offset + size])
            voice[1] = offset + size
        playing = [v for v in self._voices if v[1] < len(v[0])]
        ended = len(self._voices) - len(playing)
        self._voices = playing
        if ended:
            self._finished += ended
            if not self._voices:
                self._drain_left = DRAIN_CALLBACKS
        return mix(blocks)


class MiniaudioBackend(PcmBackend):
    """Plays through miniaudio (PulseAudio or ALSA on Linux, CoreAudio, WASAPI)."""

    name = "miniaudio"

    def __init__(
        self,
        *,
        backends: list[Any] | None = None,
        idle_close: float = DEFAULT_IDLE_CLOSE,
        period_ms: int = DEFAULT_PERIOD_MS,
    ) -> None:
        import miniaudio  # noqa: F401  (fail here, at selection, if it is missing)

        super().__init__()
        silence_alsa()
        self._backends = backends if backends is not None else default_backends()
        self._idle_close = idle_close
        self._period_ms = period_ms
        self._cond = threading.Condition()
        self._mixer: _Mixer | None = None  # receives new voices; its device is open or opening
        self._device: Any = None
        self._closing = 0  # devices being closed by the worker right now
        self._idle_since = 0.0
        self._closed = False
        self.opened = 0  # devices opened so far, for tests and the benchmark
        self._worker = threading.Thread(target=self._run, name="vmo-miniaudio", daemon=True)
        self._worker.start()

    def probe(self) -> None:
        """Open and close the device once; raises if there is no device to play on."""
        self._open_device(_Mixer(lambda: None)).close()

    def play(self, name: str) -> None:
        """Hand the sound to the mixer; the worker opens the device if it is closed."""
        pcm = self._sounds.get(name)
        if pcm is None:
            return
        with self._cond:
            if self._closed:
                return
            if self._mixer is None:
                self._mixer = _Mixer(self._went_idle)
                self._cond.notify_all()
            self._mixer.add(pcm)

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing plays and the device is closed."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._mixer is None and self._device is None and not self._closing, timeout
            )

    def close(self, drain: float = 0.0) -> None:
        """Stop the worker and close the device, after up to `drain` s for sounds to finish."""
        if drain > 0:
            with self._cond:
                mixer = self._mixer
                self._cond.wait_for(lambda: mixer is None or not mixer.busy, drain)
            # What the mixer handed over is still in the device buffer: let it play out.
            time.sleep(min(drain, 3 * self._period_ms / 1000))
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._worker.join(timeout=5)

    # -- the worker thread --

    def _went_idle(self) -> None:
        with self._cond:
            self._idle_since = time.monotonic()
            self._cond.notify_all()

    def _open_device(self, mixer: _Mixer) -> Any:
        import miniaudio

        device = miniaudio.PlaybackDevice(
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=CHANNELS,
            sample_rate=RATE,
            buffersize_msec=self._period_ms,
            backends=self._backends,
            app_name="vmo",
        )
        try:
            device.start(mixer)  # any object with send() will do, not only a generator
        except Exception:
            device.close()
            raise
        return device

    def _run(self) -> None:
        while True:
            with self._cond:
                action, mixer, device = self._next_action()
            if action == "exit":
                if device is not None:
                    device.close()
                with self._cond:
                    self._cond.notify_all()
                return
            if action == "open":
                assert mixer is not None
                try:
                    opened = self._open_device(mixer)
                except Exception as exc:  # no device: drop these sounds quietly, try again next cue
                    self.error = f"{type(exc).__name__}: {exc}"
                    with self._cond:
                        if self._mixer is mixer:
                            self._mixer = None
                        self._cond.notify_all()
                    continue
                with self._cond:
                    self.opened += 1
                    self._device = opened
                    self._idle_since = time.monotonic()
                    self._cond.notify_all()
            elif action == "retire":
                device.close()
                with self._cond:
                    self._closing -= 1
                    self._cond.notify_all()

    def _next_action(self) -> tuple[str, _Mixer | None, Any]:
        """Under the lock: wait until there is something to do, and claim it."""
        while True:
            if self._closed:
                device, self._device, self._mixer = self._device, None, None
                return "exit", None, device
            mixer = self._mixer
            if mixer is not None and self._device is None:
                return "open", mixer, None
            if self._device is not None and (mixer is None or not mixer.busy):
                idle_for = time.monotonic() - self._idle_since
                if idle_for >= self._idle_close:
                    device, self._device, self._mixer = self._device, None, None
                    self._closing += 1
                    return "retire", None, device
                self._cond.wait(self._idle_close - idle_for)
                continue
            self._cond.wait()
