"""Benchmark: an include fan-out is rejected about as fast as one routine is checked.

Run: .venv/bin/python bench/include_fan_out.py [--runs N]

The hostile case of issue 13, scaled up: 8 levels of files, each including the next
level 10 times (10^8 paths to the leaf if each include were read where it stands).
Three shapes: one file per level including the next one 10 times; the same inside a
`repeat` block at each level (the steps stay few, the timeline is 10^8 segments);
and 10 distinct files per level, each including all 10 of the next level (81 files).
Each `vmo check` is a whole process, start-up included, measured in CPU seconds
(user + system; best of N, interleaved) against `vmo check` of one bundled routine
in the same run. Target (issue 13), for the issue's shape (one file per level): at
most 1.5x; the other two are shown beside it (the 81 distinct files are each read).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEAF = "name: Leaf\nsteps:\n  - rest: 1\n"
LEVELS, FAN = 8, 10


def child_cpu(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=REPO)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


def chain(folder: Path, in_repeat: bool) -> Path:
    folder.mkdir()
    (folder / f"l{LEVELS}.yaml").write_text(LEAF)
    for level in range(LEVELS - 1, -1, -1):
        items = [f"include: l{level + 1}.yaml"] * FAN
        if in_repeat:
            steps = "  - repeat: 1\n    steps:\n" + "".join(f"      - {i}\n" for i in items)
        else:
            steps = "".join(f"  - {i}\n" for i in items)
        (folder / f"l{level}.yaml").write_text(f"name: Level {level}\nsteps:\n{steps}")
    return folder / "l0.yaml"


def wide(folder: Path) -> Path:
    folder.mkdir()
    for k in range(FAN):
        (folder / f"l{LEVELS}-{k}.yaml").write_text(LEAF)
    for level in range(LEVELS - 1, 0, -1):
        steps = "".join(f"  - include: l{level + 1}-{k}.yaml\n" for k in range(FAN))
        for j in range(FAN):
            (folder / f"l{level}-{j}.yaml").write_text(f"name: Level {level}.{j}\nsteps:\n{steps}")
    top = folder / "l0.yaml"
    top.write_text("name: Top\nsteps:\n" + "".join(f"  - include: l1-{k}.yaml\n" for k in range(FAN)))
    return top


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "one file per level": chain(Path(tmp) / "chain", in_repeat=False),
            "inside repeat blocks": chain(Path(tmp) / "repeat", in_repeat=True),
            "10 files per level": wide(Path(tmp) / "wide"),
        }
        vmo = [sys.executable, "-m", "player", "check"]
        reference = [*vmo, str(REPO / "routines" / "activation" / "knee-strength-starter.yaml")]
        commands = {"vmo check <one bundled routine>": reference}
        commands.update({name: [*vmo, str(path)] for name, path in cases.items()})
        best = {name: float("inf") for name in commands}
        for name, cmd in commands.items():  # warm-up: bytecode, disk cache
            _, proc = child_cpu(cmd)
            want = 0 if name.startswith("vmo check <") else 1
            if proc.returncode != want:
                print(f"{name}: exit {proc.returncode}, expected {want}\n{proc.stdout.decode()[:500]}")
                return 2
        for _ in range(args.runs):
            for name, cmd in commands.items():
                cpu, _ = child_cpu(cmd)
                best[name] = min(best[name], cpu)
    ref = best["vmo check <one bundled routine>"]
    print(f"vmo check, CPU seconds (best of {args.runs}), {LEVELS} levels x {FAN} includes per file:")
    for name, cpu in best.items():
        print(f"  {name:<34} {cpu * 1000:6.0f} ms   {cpu / ref:.2f}x")
    # The case: nine small files, each including the next one (there 4, here 10 times).
    ratio = best["one file per level"] / ref
    print(f"fan-out (one file per level) / one routine: {ratio:.2f}x   target <= 1.5x")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
