"""Benchmark `vmo check`: many files, one large file against bare libyaml, hostile files.

Run: python bench/check_speed.py
Prints CPU seconds, ratios and peak memory; the targets of the routine-files issue are
printed beside the figures. Figures vary with the machine: compare the ratios.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from player.loader import check_routine  # noqa: E402

STEP_KINDS = [
    "  - name: Quad set {i}\n    hold: 10s\n    reps: 10\n    sets: 2\n    sides: both\n    relax: 5\n    rest: 45\n"
    "    instructions: Tighten the front of your thigh and press the knee down.\n    cues: [Keep breathing, Kneecap slides up]\n",
    "  - name: Squat {i}\n    reps: 10\n    tempo: 2-1-2\n    sets: 3\n    rest: 1m\n    equipment: [chair]\n",
    "  - name: Walk {i}\n    duration: 3m\n    prepare: 0\n",
    "  - rest: 30\n    name: Breather {i}\n",
    "  - name: Lunge {i}\n    reps: 8\n    sides: [right, left]\n    switch: 5\n",
]


def routine_text(steps: int, seed: int = 0) -> str:
    """A valid routine of `steps` steps, mixing every kind."""
    body = "".join(STEP_KINDS[(i + seed) % len(STEP_KINDS)].format(i=i) for i in range(steps))
    return f"name: Generated {seed}\ncategory: activation\nsummary: generated for the benchmark\nsteps:\n{body}"


def cpu_of(cmd: list[str], **kw: object) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user+sys) and exit status of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, **kw)  # type: ignore[call-overload]
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def best(fn, n: int = 7) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_many_files(folder: Path) -> None:
    for i in range(1000):
        (folder / f"r{i:04d}.yaml").write_text(routine_text(50, seed=i))
    vmo = [sys.executable, "-m", "player", "check", str(folder)]
    results = [cpu_of(vmo, cwd=REPO) for _ in range(3)]
    wall, cpu, code = min(results, key=lambda r: r[1])
    startup = min(cpu_of([sys.executable, "-m", "player", "--version"], cwd=REPO)[1] for _ in range(3))
    print(f"vmo check, 1000 files x 50 steps: {cpu:.2f} s CPU ({wall:.2f} s wall, exit {code}); "
          f"of which interpreter start-up {startup:.2f} s   target < 1 s CPU")


def bench_large_file(folder: Path) -> None:
    # A valid file can hold at most 10,000 segments, so a 1 MiB one has long texts:
    # each step a hold with a paragraph of instructions and a few cues.
    words = "Tighten the front of your thigh and press the back of your knee down into the towel. "
    step = ("  - name: Quad set {i}\n    hold: 10s\n    reps: 3\n    prepare: 0\n    instructions: >-\n"
            + "".join(f"      {words}\n" for _ in range(8))
            + "    cues:\n      - Keep breathing, don't hold your breath\n      - Kneecap slides up\n")
    text = "name: Large\nsteps:\n"
    i = 0
    while len(text.encode()) < 1024 * 1024 - 1200:
        text += step.format(i=i)
        i += 1
    path = folder / "large.yaml"
    path.write_text(text)
    size = path.stat().st_size
    routine, problems = check_routine(path)
    assert routine is not None and not problems, problems[:3]
    compose = best(lambda: yaml.compose(path.read_text(), Loader=yaml.CSafeLoader))
    check = best(lambda: check_routine(path))
    print(f"one {size / 1024:.0f} KiB file: check_routine {check * 1000:.0f} ms, bare yaml.compose (libyaml) "
          f"{compose * 1000:.0f} ms: ratio {check / compose:.2f}x   target <= 1.3x")


HOSTILE = {
    "billion laughs": "\n".join(
        ["name: lol", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
        + ["steps: [{rest: 1}]"]
    ),
    "merge-key bomb": "\n".join(
        ["name: m", "a: &a {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1, k9: 1}"]
        + [f"{c}: &{c} {{<<: [{', '.join(['*' + p] * 10)}]}}" for p, c in zip("abcdefgh", "bcdefghi")]
        + ["steps: [{rest: 1}]"]
    ),
    "self-referencing alias": "name: x\nsteps: &s\n  - include: *s\n",
    "30,000 levels deep": "name: x\nsteps: " + "[" * 30000 + "]" * 30000,
    "2 MB file": "name: big\n# " + "x" * 2_000_000 + "\nsteps: [{rest: 1}]",
}

PEAK = "import resource, sys; from player.cli import main; code = main(['check', sys.argv[1]]); " \
       "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)"


def bench_hostile(folder: Path) -> None:
    base = subprocess.run([sys.executable, "-c", PEAK, str(REPO / "tests/fixtures/good/full.yaml")],
                          cwd=REPO, capture_output=True, text=True)
    base_kib = int(base.stderr.strip().splitlines()[-1])
    print(f"hostile files (peak RSS of the whole process; a valid small file: {base_kib / 1024:.0f} MiB):")
    for name, text in HOSTILE.items():
        path = folder / "hostile.yaml"
        path.write_text(text)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", PEAK, str(path)], cwd=REPO, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        kib = int(proc.stderr.strip().splitlines()[-1])
        message = proc.stdout.strip().split(": error: ")[-1][:60]
        print(f"  {name:<24} exit {proc.returncode}  {wall * 1000:5.0f} ms wall  {kib / 1024:5.0f} MiB  {message}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "many").mkdir()
        bench_many_files(folder / "many")
        bench_large_file(folder)
        bench_hostile(folder)


if __name__ == "__main__":
    os.environ.setdefault("VMO_DATA_DIR", tempfile.mkdtemp())
    main()
