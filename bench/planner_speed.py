"""`vmo today` with 3 programmes and 10 years of daily sessions, against `vmo list` in the same run.

The history holds about 11,000 records: one counted session a day for ten years
(of a routine of one of the three programmes, in turn), a pain rating on some,
the `started` records and a next-day answer a week. Both commands run as whole
processes with the same data folder and library, interleaved, in shuffled order
each round; the figure is the ratio of the medians (target: at most 1.5).

    .venv/bin/python bench/planner_speed.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROUTINE = """name: Routine {n}
id: r{n}
steps:
  - name: Raise
    reps: 10
    sets: 3
    progress: {{reps: 1, every: session, up_to: 30, then: {{reps: 12, load: ankle weight}}}}
  - name: Hold
    hold: 10s
    reps: 5
    progress: {{hold: 1s, every: week, up_to: 20s}}
"""

PROGRAMME = """name: Programme {p}
id: p{p}
phases:
  - phase: One
    weeks: 4
    routines:
      - {{routine: r{a}, days_a_week: 3}}
    advance: {{sessions: 10, pain_at_most: 3, next_day: not_worse}}
  - phase: Two
    weeks: 104
    routines:
      - {{routine: r{b}, days: [mon, wed, fri]}}
      - {{routine: r{a}, times_a_day: 2}}
    advance: {{after_weeks: 104}}  # the last phase: never proposes, and goes on past its weeks
    step_back: {{pain_at_least: 8, next_day_worse: 3}}
"""


def build(folder: Path) -> tuple[dict[str, str], int]:
    """The library and the history; the environment to run vmo with, and the number of records."""
    library = folder / "library"
    data = folder / "data"
    library.mkdir()
    data.mkdir()
    for n in range(6):
        (library / f"r{n}.yaml").write_text(ROUTINE.format(n=n))
    for p in range(3):
        (library / f"p{p}.yaml").write_text(PROGRAMME.format(p=p, a=2 * p, b=2 * p + 1))
    first = date.today() - timedelta(days=3650)
    tz = timezone(timedelta(hours=1))
    rng = random.Random(7)
    lines = []
    for p in range(3):
        at = datetime.combine(first, datetime.min.time(), tz).isoformat()
        lines.append({"version": 1, "kind": "programme", "at": at, "programme_id": f"p{p}", "file_hash": None,
                      "event": "started", "start": first.isoformat()})
        moved = datetime.combine(first + timedelta(weeks=5), datetime.min.time(), tz).isoformat()
        lines.append({"version": 1, "kind": "programme", "at": moved, "programme_id": f"p{p}", "file_hash": None,
                      "event": "advanced", "to_phase": 1})
    for i in range(3650):
        day = first + timedelta(days=i)
        start = datetime(day.year, day.month, day.day, 18, 0, tzinfo=tz)
        rid = f"r{i % 6}"
        lines.append({
            "version": 1, "kind": "session", "start": start.isoformat(), "end": (start + timedelta(minutes=20)).isoformat(),
            "routine_id": rid, "routine_name": rid, "file_hash": None, "player": "plain", "speed": 1.0,
            "planned_seconds": 1200.0, "played_seconds": 1200.0, "segments_total": 40, "segments_done": 40,
            "segments_skipped": 0, "completed": True, "stopped_at": None, "pain_before": None,
            "pain_after": rng.choice([None, 1, 2, 3]), "cramp": None, "programme_id": f"p{(i % 6) // 2}", "phase": 1,
            "dose": {"Raise": {"reps": 30}},
        })
        for extra in range(2):  # more sessions a day: 3 a day in all, about 11,000 records
            later = start + timedelta(hours=extra + 1)
            other = f"r{(i + extra + 1) % 6}"
            lines.append(lines[-1] | {"start": later.isoformat(), "end": later.isoformat(), "routine_id": other,
                                      "routine_name": other})
        if i % 7 == 0:
            lines.append({"version": 1, "kind": "next_day", "at": (start - timedelta(hours=10)).isoformat(),
                          "answer": rng.choice(["better", "same"]), "routine_id": rid, "programme_id": f"p{(i % 6) // 2}"})
    (data / "history.jsonl").write_text("".join(json.dumps(x, separators=(",", ":")) + "\n" for x in lines))
    env = {**os.environ, "VMO_DATA_DIR": str(data), "VMO_ROUTINES": str(library)}
    return env, len(lines)


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    vmo = [sys.executable, "-m", "player"]
    with tempfile.TemporaryDirectory() as tmp:
        env, count = build(Path(tmp))
        today = json.loads(subprocess.run(vmo + ["today", "--json"], env=env, capture_output=True, text=True).stdout)
        times: dict[str, list[float]] = {"today": [], "list": []}
        for _ in range(args.rounds):
            order = ["today", "list"]
            random.shuffle(order)
            for name in order:
                times[name].append(timed(vmo + [name], env))
    t, ref = statistics.median(times["today"]), statistics.median(times["list"])
    print(f"history: {count:,} records; vmo today lists {len(today)} due items")
    print(f"vmo today  median {t * 1000:7.1f} ms")
    print(f"vmo list   median {ref * 1000:7.1f} ms (reference, same library and data folder)")
    print(f"ratio today/list: {t / ref:.2f} (target at most 1.5)")


if __name__ == "__main__":
    main()
