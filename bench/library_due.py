"""The library's first frame with a programme due, against the library's first frame without, same run.

Bare `vmo` in tmux (80x24), launched until anything shows, in shuffled rounds: once with an empty
history, once with a programme started and a session due today (and 50 sessions of history). What
is due is read in a worker after the first frame, so the first frame should not wait for it; the
time until "Due today" shows is printed too, for information.

    .venv/bin/python bench/library_due.py [--runs 15]

Target: first frame with a programme due <= 1.2x the first frame without.
Needs tmux and the installed `vmo`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_perf import VMO, Pane  # noqa: E402

LIFT = """name: Lift
id: lift
steps:
  - name: Straight-leg raise
    reps: 15
    progress: {reps: 2, every: session, up_to: 40}
"""

PROGRAMME = """name: Knee plan
id: kneeplan
phases:
  - phase: Settle
    weeks: 12
    routines:
      - {routine: lift, times_a_day: 2}
    advance: {sessions: 100, pain_at_most: 2}
  - phase: Load
    weeks: 4
    routines:
      - {routine: lift}
"""


def history() -> str:
    now = datetime.now().astimezone().replace(hour=8, minute=0, second=0, microsecond=0)
    start = now - timedelta(days=60)
    lines = [{"version": 1, "kind": "programme", "at": start.isoformat(), "programme_id": "kneeplan",
              "file_hash": None, "event": "started", "start": start.date().isoformat()}]
    for n in range(50):
        at = (start + timedelta(days=n + 1)).isoformat()
        lines.append({"version": 1, "start": at, "end": at, "routine_id": "lift", "routine_name": "Lift",
                      "played_seconds": 300.0, "completed": True, "pain_after": 1})
    return "".join(json.dumps(x) + "\n" for x in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    args = parser.parse_args()
    if shutil.which("tmux") is None or not Path(VMO).exists():
        print("needs tmux and the installed vmo", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        library = work / "library"
        library.mkdir()
        (library / "lift.yaml").write_text(LIFT)
        (library / "kneeplan.yaml").write_text(PROGRAMME)
        envs = {}
        for name in ("without", "with a programme due"):
            data = work / name.replace(" ", "-")
            data.mkdir()
            if name != "without":
                (data / "history.jsonl").write_text(history())
            env = dict(os.environ, VMO_DATA_DIR=str(data), VMO_ROUTINES=str(library), TERM="xterm-256color")
            env.pop("TMUX", None)
            env.pop("NO_COLOR", None)
            envs[name] = env
        command = f"{VMO} --mute"
        for env in envs.values():  # warm-up: .pyc files, disk cache
            pane = Pane(command, env)
            pane.wait_for(None)
            pane.close()
        frames: dict[str, list[float]] = {name: [] for name in envs}
        due: list[float] = []
        rounds = random.Random(1)
        for _ in range(args.runs):
            order = list(envs.items())
            rounds.shuffle(order)
            for name, env in order:
                pane = Pane(command, env)
                frames[name].append(pane.wait_for(None))
                if name != "without":
                    due.append(pane.wait_for("Due today"))
                pane.close()
        print(f"Library first frame in tmux (median of {args.runs} shuffled rounds; min in brackets) · "
              f"load {os.getloadavg()[0]:.2f}")
        ref = statistics.median(frames["without"])
        for name, values in frames.items():
            med = statistics.median(values)
            print(f"   {name:<24} {med * 1000:7.1f} ms  [{min(values) * 1000:6.1f}]  {med / ref:5.2f}x")
        print(f"   'Due today' shown after   {statistics.median(due) * 1000:7.1f} ms (for information)")
        print("   target: with a programme due <= 1.2x without")
    return 0


if __name__ == "__main__":
    sys.exit(main())
