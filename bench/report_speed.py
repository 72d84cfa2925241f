"""Benchmark `vmo report --format html` against `vmo history --json` over the same year of sessions.

Run: .venv/bin/python bench/report_speed.py [--runs N]   (default 5)

Writes a history.jsonl of a year of sessions three times a day (about 1,100
records, a few skipped and stopped, pain ratings) of the bundled
`knee-strength-starter`, then runs, interleaved, N times each as whole
processes:

- the reference: `vmo history --json` to /dev/null (every record read and written);
- `vmo report knee-strength-starter --format html -o FILE` (every record read,
  the per-exercise breakdown, three charts drawn and the HTML written).

It prints the median wall time and the peak resident memory of each, and the
ratios report/history. The aims (issue 17): time at most 3x, memory at most 1.5x.
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
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def vmo() -> list[str]:
    script = Path(sys.executable).parent / "vmo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "player"]


def write_history(path: Path) -> int:
    """A year of sessions 3 times a day (every 30th skipped or stopped); returns the number of records."""
    from player.history import SessionRecord, StoppedAt
    from player.library import load
    from player.timeline import compile_timeline

    routine = load("knee-strength-starter")
    tl = compile_timeline(routine)
    tz = timezone(timedelta(hours=1))
    first = datetime(2025, 12, 1, tzinfo=tz)
    lines = []
    n = 0
    for day in range(365):
        for hour in (8, 13, 18):
            n += 1
            start = first + timedelta(days=day, hours=hour)
            stopped = n % 30 == 0
            lines.append(json.dumps(SessionRecord(
                start=start, end=start + timedelta(minutes=25), routine_id=routine.id, routine_name=routine.name,
                file_hash=routine.file_hash, planned_seconds=tl.total_seconds, played_seconds=tl.total_seconds / 2,
                segments_total=len(tl.segments), segments_done=len(tl.segments) // 2 if stopped else len(tl.segments),
                segments_skipped=1, completed=not stopped,
                stopped_at=StoppedAt("Quad set", len(tl.segments) // 2) if stopped else None,
                pain_before=n % 6, pain_after=(n + 1) % 6, player="ui",
                skipped_segments=(3,), shortened_segments=(),
            ).to_json()))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run of a whole process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.read().decode() if proc.stderr else status}")
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        count = write_history(data / "history.jsonl")
        env = dict(os.environ, VMO_DATA_DIR=str(data))
        env.pop("VMO_ROUTINES", None)
        history = vmo() + ["history", "--json"]
        report = vmo() + ["report", "knee-strength-starter", "--format", "html", "--date", "2026-11-30",
                          "-o", str(Path(folder) / "report.html")]
        measure(history, env), measure(report, env)  # warm the disk cache and the bytecode
        times: dict[str, list[float]] = {"history": [], "report": []}
        peaks: dict[str, list[float]] = {"history": [], "report": []}
        for _ in range(options.runs):
            for name, args in (("history", history), ("report", report)):
                wall, peak = measure(args, env)
                times[name].append(wall)
                peaks[name].append(peak)
    t_h, t_r = statistics.median(times["history"]), statistics.median(times["report"])
    m_h, m_r = max(peaks["history"]), max(peaks["report"])
    print(f"{count} records, {options.runs} runs each (median time, highest peak memory)")
    print(f"vmo history --json     {t_h:6.3f} s  {m_h:6.1f} MB")
    print(f"vmo report --format html {t_r:6.3f} s  {m_r:6.1f} MB")
    print(f"time ratio   {t_r / t_h:.2f}x  (aim: at most 3x)")
    print(f"memory ratio {m_r / m_h:.2f}x  (aim: at most 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
