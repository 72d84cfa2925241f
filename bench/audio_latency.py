"""Benchmark cue latency: from handing an engine event to the CuePlayer to the backend's `play` returning.

Run: python bench/audio_latency.py [--routine ID_OR_PATH] [--gap MS] [--rounds N]

Every cue of a bundled routine (the engine run with a fake clock) is handed to a
CuePlayer, one every `--gap` ms of real time so that device opening, mixing and
closing on the backends' threads overlap the next cues, as they do while a
routine plays. Each backend runs in its own process with ALSA routed to ALSA's
null device, so no sound card is needed. Prints median and maximum per
backend beside the targets (median < 2 ms, max < 10 ms), and the ratio of the
median to a RecordingBackend (an in-memory list append) measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from player.audio.backend import Backend
    from player.events import Event
    from player.model import Routine

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGET_MEDIAN_MS = 2.0
TARGET_MAX_MS = 10.0
# miniaudio-reopen closes its device as soon as a sound ends, so nearly every cue opens one:
# the worst case for the worker thread competing with the caller.
KINDS = ("recording", "silent", "miniaudio", "miniaudio-reopen", "simpleaudio")


def routine_events(routine_arg: str) -> tuple[Routine, list[Event]]:
    """The routine and every event its engine emits, played through with a fake clock."""
    from player.engine import Session, State
    from player.library import load
    from player.timeline import compile_timeline

    routine = load(routine_arg)
    session = Session(compile_timeline(routine))
    now, events = 0.0, session.start(0.0)
    while session.state not in (State.FINISHED, State.STOPPED):
        deadline = session.next_deadline()
        if deadline is not None:
            now = deadline
            events += session.advance(now)
        elif session.state is State.ASKING:
            events += session.answer_easing(True, now)
        else:
            events += session.done(now)  # a manual segment: the user presses done
    return routine, events


def measure(kind: str, routine_arg: str, gap: float, rounds: int) -> dict[str, object]:
    """In this process: the latency of every cue through backend `kind`, in ms."""
    from player.audio import CuePlayer, RecordingBackend, SilentBackend, Speaker, find_speech_program
    from player.events import CueFired, EasingAsked

    backend: Backend
    if kind == "recording":
        backend = RecordingBackend()
    elif kind == "silent":
        backend = SilentBackend(lambda: None)
    elif kind == "miniaudio":
        from player.audio.mini import MiniaudioBackend

        backend = MiniaudioBackend()
    elif kind == "miniaudio-reopen":
        from player.audio.mini import MiniaudioBackend

        backend = MiniaudioBackend(idle_close=0.0)
    else:
        from player.audio.simple import SimpleaudioBackend

        backend = SimpleaudioBackend()
    routine, events = routine_events(routine_arg)
    cues = [e for e in events if isinstance(e, (CueFired, EasingAsked))]
    program = find_speech_program()
    # Names are spoken as in a real session: rendered on the speech thread, handed to the backend.
    player = CuePlayer(backend, voice=True, speak=Speaker(backend, program) if program else None)
    player.prepare(routine)
    times: list[float] = []
    clock = time.perf_counter
    for _ in range(rounds):
        for event in cues:
            start = clock()
            player.handle(event)
            times.append((clock() - start) * 1000)
            if gap:
                time.sleep(gap / 1000)
    opened = getattr(backend, "opened", None)
    player.close(drain=2.0)
    return {
        "kind": kind, "cues": len(times), "median": statistics.median(times), "max": max(times),
        "p99": sorted(times)[int(0.99 * (len(times) - 1))], "opened": opened, "error": getattr(backend, "error", None),
        "speech": program.name if program else None,
    }


def run_all(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="vmo-bench-") as tmp:
        config = Path(tmp) / "asound.conf"
        # The null device without the capture file: it takes samples as fast as they come, so an
        # open miniaudio device spins and would write gigabytes through the `file` plugin.
        config.write_text("pcm.!default { type null }\n")
        env = dict(os.environ, ALSA_CONFIG_PATH=str(config))
        results = []
        for kind in KINDS:
            if kind == "simpleaudio":
                try:
                    import simpleaudio  # noqa: F401
                except ImportError:
                    print(f"{kind:16} skipped: not installed (pip install '.[simpleaudio]')")
                    continue
            cmd = [sys.executable, __file__, "--one", kind, "--routine", args.routine,
                   "--gap", str(args.gap), "--rounds", str(args.rounds)]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
            if out.returncode != 0:
                print(f"{kind:16} failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            results.append(json.loads(out.stdout))
    reference = next((r["median"] for r in results if r["kind"] == "recording"), None)
    speech = next((r["speech"] for r in results if r.get("speech")), None) or "none"
    print(f"routine {args.routine}: cue -> play returned, {args.gap:g} ms between cues, ALSA null device, "
          f"speech program: {speech}")
    header = f"{'backend':16} {'cues':>5} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} {'x ref':>7} {'devices':>8}"
    print(f"{header}  targets")
    ok = True
    for r in results:
        ratio = f"{r['median'] / reference:.1f}" if reference else "-"
        meets = r["median"] < TARGET_MEDIAN_MS and r["max"] < TARGET_MAX_MS
        ok &= meets or r["kind"] == "recording"
        opened = "-" if r["opened"] is None else str(r["opened"])
        figures = f"{r['median']:10.4f} {r['p99']:8.3f} {r['max']:8.3f} {ratio:>7} {opened:>8}"
        verdict = f"median<{TARGET_MEDIAN_MS:g} max<{TARGET_MAX_MS:g}: {'met' if meets else 'MISSED'}"
        print(f"{r['kind']:16} {r['cues']:5d} {figures}  {verdict}")
        if r["error"]:
            print(f"{'':16} note: {r['error']}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="knee-strength-starter", help="routine id or .yaml path")
    parser.add_argument("--gap", type=float, default=20.0, help="real ms between cues (default 20)")
    parser.add_argument("--rounds", type=int, default=1, help="play the routine's cues this many times")
    parser.add_argument("--one", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.routine, args.gap, args.rounds)))
        return 0
    return run_all(args)


if __name__ == "__main__":
    sys.exit(main())
