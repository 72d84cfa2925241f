"""Pictures never delay the first frame: `vmo play` of a routine with 20 pictures against the same routine without.

    .venv/bin/python bench/pictures_first_frame.py [--runs N]

Writes a routine of 20 exercises, each with its own picture (the bundled SVG line
drawings, copied beside it), and the same routine without the `image` keys. Each is
launched with `vmo play FILE --mute` in a fresh 80x24 tmux pane, and the time from
launch until the pane shows anything is one sample (as bench/ui_perf.py measures the
first frame). Each round runs every command once in a shuffled order; medians are
compared. Three commands:

- the routine without pictures (the reference);
- the routine with 20 pictures, in tmux, where pictures are named in a line of text;
- the same with VMO_GRAPHICS=kitty, as in a terminal that draws pictures: the picture
  libraries are then imported by a worker thread after the first frame.

Target: both picture runs at most 1.1x the reference. Needs tmux and the installed vmo.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_perf import VMO, Pane  # noqa: E402 - the benchmarks share the tmux pane

ROOT = Path(__file__).resolve().parent.parent
COUNT = 20
TARGET = 1.1


def routine(with_pictures: bool, pictures: list[str]) -> str:
    lines = ["id: pictures-bench", "name: Pictures bench", "steps:"]
    for i, picture in enumerate(pictures):
        lines += [f"  - name: Exercise {i + 1}", "    hold: 10s", "    reps: 2", "    sides: both",
                  "    instructions: Hold the position and breathe normally.", '    cues: ["Breathe"]']
        if with_pictures:
            lines.append(f"    image: pictures/{picture}")
    return "\n".join(lines) + "\n"


def write_routines(work: Path) -> tuple[Path, Path]:
    svgs = sorted({p.name: p for p in (ROOT / "routines").glob("*/pictures/*.svg")}.values())[:COUNT]
    if len(svgs) < COUNT:
        raise SystemExit(f"only {len(svgs)} bundled pictures; {COUNT} needed")
    (work / "pictures").mkdir(parents=True, exist_ok=True)
    for svg in svgs:
        shutil.copy(svg, work / "pictures" / svg.name)
    names = [s.name for s in svgs]
    with_path, without_path = work / "with-pictures.yaml", work / "without-pictures.yaml"
    with_path.write_text(routine(True, names), encoding="utf-8")
    without_path.write_text(routine(False, names), encoding="utf-8")
    return with_path, without_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds (default 15)")
    args = parser.parse_args()
    if shutil.which("tmux") is None or not Path(VMO).exists():
        print("needs tmux and the installed vmo", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with_path, without_path = write_routines(work / "routine")
        env = dict(os.environ, VMO_DATA_DIR=str(work / "data"), TERM="xterm-256color")
        env.pop("NO_COLOR", None)
        env.pop("TMUX", None)
        env.pop("VMO_GRAPHICS", None)
        commands = {
            "without pictures (reference)": f"{VMO} play {without_path} --mute",
            f"{COUNT} pictures, named in text": f"{VMO} play {with_path} --mute",
            f"{COUNT} pictures, VMO_GRAPHICS=kitty": f"env VMO_GRAPHICS=kitty {VMO} play {with_path} --mute",
        }
        for command in commands.values():  # one warm-up each: .pyc files, disk cache; and a check that it plays
            pane = Pane(command, env)
            pane.wait_for("Pictures bench")
            pane.close()
        times: dict[str, list[float]] = {name: [] for name in commands}
        order_rng = random.Random(1)
        for _ in range(args.runs):
            order = list(commands.items())
            order_rng.shuffle(order)
            for name, command in order:
                pane = Pane(command, env)
                times[name].append(pane.wait_for(None))
                pane.close()
    print(f"vmo pictures benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs · "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"Time to first frame of `vmo play` in tmux (median of {args.runs} shuffled rounds; min in brackets)")
    ref = statistics.median(next(iter(times.values())))
    worst = 0.0
    for name, values in times.items():
        med = statistics.median(values)
        worst = max(worst, med / ref)
        print(f"   {name:<38} {med * 1000:7.1f} ms  [{min(values) * 1000:6.1f}]  {med / ref:5.2f}x")
    print(f"   ratio {worst:.2f}x (target: <= {TARGET}x the routine without pictures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
