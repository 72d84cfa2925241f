"""Benchmark the memory `vmo history` needs over a big history file.

Run: .venv/bin/python bench/history_memory.py [--mb N]   (default 200 MB)

Writes a history.jsonl of about N MB of valid records (a few routines, a
session a day going back in time), then measures the peak resident memory of:

- the reference: `python -c 'for line in open(path, "rb"): pass'`, a bare
  Python that streams the same file and keeps nothing;
- `vmo history` (the table: 20 recent sessions, counts per routine);
- `vmo history --json` to /dev/null (every record written, one at a time; not through
  `tail`, whose own copy of the one long JSON line would be measured too).

It prints each peak in MB and its ratio to the reference measured in the same
run. Reading as a stream, vmo's peak stays a small constant above the reference
whatever the file size (the whole-file reader used about 4x the file size).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1], shell=True, stdout=subprocess.DEVNULL, check=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def vmo() -> str:
    script = Path(sys.executable).parent / "vmo"
    return str(script) if script.exists() else f"{sys.executable} -m player"


def write_history(path: Path, megabytes: int) -> int:
    start = datetime(2025, 6, 1, 8, tzinfo=timezone.utc)
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < megabytes << 20:
            moment = start - timedelta(hours=lines)
            record = {
                "version": 1, "start": moment.isoformat(), "end": (moment + timedelta(minutes=5)).isoformat(),
                "routine_id": f"routine-{lines % 7}", "routine_name": f"Routine {lines % 7}", "file_hash": "ab" * 16,
                "player": "plain", "speed": 1.0, "planned_seconds": 300.0, "played_seconds": 290.5,
                "segments_total": 40, "segments_done": 39, "segments_skipped": 1, "completed": lines % 3 != 0,
                "stopped_at": None if lines % 3 else {"exercise": "Quad set", "segment_index": 12},
                "pain_before": 3, "pain_after": 2, "cramp": None,
            }
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
            lines += 1
    return lines


def peak_mb(command: str, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", MEASURE, command], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200, help="size of the history file in MB")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        path = data / "history.jsonl"
        lines = write_history(path, options.mb)
        env = dict(os.environ, VMO_DATA_DIR=str(data))
        env.pop("VMO_ROUTINES", None)
        reference = peak_mb(f"{sys.executable} -c 'for line in open(\"{path}\", \"rb\"): pass'", env)
        table = peak_mb(f"{vmo()} history", env)
        as_json = peak_mb(f"{vmo()} history --json", env)
        print(f"history file: {path.stat().st_size / 2**20:.0f} MB, {lines} records")
        print(f"reference (python streaming the file): {reference:6.1f} MB peak RSS")
        print(f"vmo history:                           {table:6.1f} MB  ({table / reference:.2f}x reference)")
        print(f"vmo history --json:                    {as_json:6.1f} MB  ({as_json / reference:.2f}x reference)")


if __name__ == "__main__":
    main()
