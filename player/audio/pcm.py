"""Decoded sound: every cue becomes 16-bit mono PCM at one rate, so any two can be mixed as they are."""

from __future__ import annotations

import array
import io
import sys
import wave
from pathlib import Path

from player.files import FileTooLarge, read_limited

RATE = 22050
CHANNELS = 1
SAMPLE_WIDTH = 2  # bytes: signed 16-bit little-endian
FRAME_BYTES = CHANNELS * SAMPLE_WIDTH
MAX_SOUND_BYTES = 32 * 1024 * 1024  # about 12 minutes of 22 kHz 16-bit stereo: far beyond any cue


class SoundError(Exception):
    """A sound file that cannot be read or decoded; the message is one readable line."""


def load_pcm(path: Path) -> bytes:
    """Decode the WAV file at `path` into PCM at RATE, mono, 16-bit, native byte order.

    Files already in that format (all bundled ones) are read with `wave`, byte for byte;
    anything else is converted by miniaudio's decoder when it is installed.
    """
    try:
        data = read_limited(path, MAX_SOUND_BYTES)
    except FileNotFoundError:
        raise SoundError(f"no such sound file: {path}") from None
    except FileTooLarge:
        raise SoundError(f"{path}: larger than {MAX_SOUND_BYTES // (1 << 20)} MiB, too long for a cue") from None
    except OSError as exc:
        raise SoundError(f"{path}: cannot read the sound file: {exc.strerror or exc}") from None
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (CHANNELS, SAMPLE_WIDTH, RATE):
                return _native(w.readframes(w.getnframes()))
    except (wave.Error, EOFError, OSError):
        pass  # not plain PCM (float, compressed, odd header): let miniaudio try
    try:
        import miniaudio
    except ImportError:
        raise SoundError(
            f"{path}: not a 16-bit mono {RATE} Hz WAV, and miniaudio is not installed to convert it"
        ) from None
    try:
        decoded = miniaudio.decode(
            data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=CHANNELS, sample_rate=RATE
        )
    except miniaudio.DecodeError:
        raise SoundError(f"{path}: not a WAV file that can be decoded") from None
    pcm: bytes = decoded.samples.tobytes()  # already in native byte order
    return pcm


def _native(pcm: bytes) -> bytes:
    """WAV data is little-endian; devices take native order, so swap on a big-endian host."""
    if sys.byteorder == "little":
        return pcm
    samples = array.array("h", pcm)
    samples.byteswap()
    return samples.tobytes()


def samples_of(pcm: bytes) -> array.array[int]:
    """The PCM as an array of signed 16-bit samples (native order)."""
    return array.array("h", pcm)


def trim_silence(pcm: bytes, threshold: int = 300, margin: float = 0.01) -> bytes:
    """Cut leading and trailing samples quieter than `threshold`, keeping `margin` seconds.

    Speech programs pad their output with silence; trimmed, a spoken name starts on the cue.
    """
    samples = samples_of(pcm)
    first = next((i for i, s in enumerate(samples) if abs(s) > threshold), None)
    if first is None:
        return pcm
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > threshold)
    keep = int(margin * RATE)
    return samples[max(first - keep, 0) : min(last + keep + 1, len(samples))].tobytes()


def mix(blocks: list[bytes]) -> bytes:
    """Sum PCM blocks sample by sample, clipping to 16 bits; the result is as long as the longest."""
    if len(blocks) == 1:
        return blocks[0]
    arrays = [samples_of(b) for b in blocks]
    length = max(len(a) for a in arrays)
    total = [0] * length
    for a in arrays:
        for i, s in enumerate(a):
            total[i] += s
    return array.array("h", [32767 if s > 32767 else -32768 if s < -32768 else s for s in total]).tobytes()
