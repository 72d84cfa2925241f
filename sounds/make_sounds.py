#!/usr/bin/env python3
"""Generate vmo's bundled cue sounds: tones from the standard library, spoken clips from espeak-ng.

Run from anywhere: `python3 sounds/make_sounds.py` rewrites the WAV files next to this script.
`--tones-only` skips the spoken clips (for machines without espeak-ng).
Every file is 16-bit mono PCM at RATE Hz, so the player can mix them without resampling.
"""

from __future__ import annotations

import argparse
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path
from typing import Callable, Sequence

RATE = 22050
PEAK = 0.7  # of full scale: loud enough to hear over a room, with headroom for two cues mixed
FADE_IN = 0.005  # seconds; a click-free onset that still sounds crisp
FADE_OUT = 0.015
HERE = Path(__file__).resolve().parent

# A note: (frequency Hz, start s, length s, decay per second, partials as (ratio, gain)).
Note = tuple[float, float, float, float, tuple[tuple[float, float], ...]]

PURE = ((1.0, 1.0),)
WARM = ((1.0, 1.0), (2.0, 0.3), (3.0, 0.1))
BELL = ((1.0, 1.0), (2.76, 0.4), (5.4, 0.2), (8.9, 0.1))  # inharmonic partials read as "bell"

# Each cue gets a different contour so they are told apart without looking:
# start rises, rest falls, switch is a double beep, tick is a short click,
# halfway is a single bell, rep a dry knock, phase a light ringing tap, finish a rising arpeggio.
TONES: dict[str, tuple[str, list[Note]]] = {
    "start": ("rising two-note chime, 660 then 880 Hz", [
        (660.0, 0.0, 0.14, 6.0, WARM),
        (880.0, 0.12, 0.30, 6.0, WARM),
    ]),
    "rest": ("soft falling two-note chime, 523 then 392 Hz", [
        (523.25, 0.0, 0.22, 4.0, PURE),
        (392.0, 0.20, 0.40, 4.0, PURE),
    ]),
    "switch": ("two quick beeps at 740 Hz", [
        (740.0, 0.0, 0.09, 3.0, WARM),
        (740.0, 0.15, 0.09, 3.0, WARM),
    ]),
    "tick": ("short 1 kHz click for the countdown", [
        (1000.0, 0.0, 0.07, 20.0, PURE),
    ]),
    "halfway": ("single bell at 587 Hz", [
        (587.33, 0.0, 0.45, 7.0, BELL),
    ]),
    "rep": ("dry knock at 1.2 kHz", [
        (1200.0, 0.0, 0.05, 40.0, WARM),
    ]),
    # Inside a tempo rep: lighter than the rep knock, and ringing, so a phase change
    # is not mistaken for a new rep.
    "phase": ("soft high tap at 1.76 kHz with a short ring", [
        (1760.0, 0.0, 0.12, 30.0, BELL),
    ]),
    "finish": ("rising arpeggio C-E-G-C", [
        (523.25, 0.0, 0.16, 3.0, WARM),
        (659.25, 0.14, 0.16, 3.0, WARM),
        (783.99, 0.28, 0.16, 3.0, WARM),
        (1046.5, 0.42, 0.50, 3.5, WARM),
    ]),
    # Alternatives a routine's or the user's `sounds:` mapping can pick.
    "beep": ("plain 880 Hz beep", [
        (880.0, 0.0, 0.15, 0.0, PURE),
    ]),
    "bell": ("low bell at 392 Hz with a long decay", [
        (392.0, 0.0, 0.9, 4.0, BELL),
    ]),
    "blip": ("very short 1.5 kHz blip", [
        (1500.0, 0.0, 0.035, 0.0, PURE),
    ]),
}

NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# name -> the text espeak-ng says. Numbers serve the spoken countdown (up to ten).
SPOKEN: dict[str, str] = {f"say-{n}": n for n in NUMBERS}
SPOKEN.update({
    "say-get-ready": "get ready",
    "say-switch-sides": "switch sides",
    "say-halfway": "halfway",
    "say-rest": "rest",
    "say-relax": "relax",
    "say-routine-complete": "routine complete",
    "say-is-it-easing": "is it easing?",
    "say-left-side": "left side",
    "say-right-side": "right side",
    "say-well-done": "well done",
})

VOICE = "en-us"
WORDS_PER_MINUTE = 160


def _envelope(i: int, n: int) -> float:
    """Linear fade in and out so no sound starts or ends with a click."""
    fin, fout = int(FADE_IN * RATE), int(FADE_OUT * RATE)
    gain = 1.0
    if i < fin:
        gain = i / fin
    if i >= n - fout:
        gain = min(gain, (n - 1 - i) / fout)
    return max(gain, 0.0)


def render_tone(notes: Sequence[Note]) -> list[float]:
    """Samples in [-1, 1] of notes laid out on a shared time axis."""
    total = max(start + length for _, start, length, _, _ in notes)
    out = [0.0] * int(total * RATE)
    for freq, start, length, decay, partials in notes:
        first, n = int(start * RATE), int(length * RATE)
        norm = sum(g for _, g in partials)
        for i in range(n):
            t = i / RATE
            value = sum(g * math.sin(2 * math.pi * freq * r * t) for r, g in partials) / norm
            out[first + i] += value * math.exp(-decay * t) * _envelope(i, n)
    return out


def to_pcm(samples: Sequence[float], peak: float = PEAK) -> bytes:
    """16-bit little-endian PCM, scaled so the loudest sample is `peak` of full scale."""
    top = max((abs(s) for s in samples), default=0.0) or 1.0
    scale = peak * 32767 / top
    return struct.pack(f"<{len(samples)}h", *(int(round(s * scale)) for s in samples))


def write_wav(path: Path, pcm: bytes) -> None:
    """Write mono 16-bit PCM at RATE."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm)


def trim_silence(samples: list[int], threshold: int = 300, margin: float = 0.01) -> list[int]:
    """Cut leading and trailing near-silence (espeak-ng pads its output), keeping a short margin."""
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return samples
    keep = int(margin * RATE)
    first, last = max(loud[0] - keep, 0), min(loud[-1] + keep + 1, len(samples))
    cut = samples[first:last]
    n = len(cut)
    return [int(s * _envelope(i, n)) for i, s in enumerate(cut)]


def speak_to_samples(text: str, program: str) -> list[int]:
    """Render `text` with espeak-ng and return its 16-bit samples at RATE."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(
            [program, "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(raw), text],
            check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        )
        with wave.open(str(raw), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
                raise SystemExit(f"espeak-ng gave {w.getparams()}, expected mono 16-bit {RATE} Hz")
            data = w.readframes(w.getnframes())
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def main(argv: Sequence[str] | None = None) -> int:
    """Write every sound into the folder of this script (or --out)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: next to this script)")
    parser.add_argument("--tones-only", action="store_true", help="skip the espeak-ng clips")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr)

    for name, (_, notes) in TONES.items():
        write_wav(args.out / f"{name}.wav", to_pcm(render_tone(notes)))
        say(f"tone   {name}.wav")
    if args.tones_only:
        return 0
    program = shutil.which("espeak-ng")
    if program is None:
        say("espeak-ng not found: install it (apt-get install espeak-ng) or pass --tones-only")
        return 1
    for name, text in SPOKEN.items():
        samples = trim_silence(speak_to_samples(text, program))
        write_wav(args.out / f"{name}.wav", to_pcm([float(s) for s in samples]))
        say(f"spoken {name}.wav  ({text!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
