"""Benchmark `vmo check`: many files, one large file against bare libyaml, hostile files.

Run: .venv/bin/python bench/check_speed.py [--quick]

Prints CPU seconds with references measured in the same run, so the figures can
be judged on a busy or slow machine: libyaml's C parser alone (`raw_parse`, no
Python objects) and `yaml.compose` with the C loader, on the same files. The
targets of the routine-files issue are printed beside the figures. `--quick`
runs each measurement once instead of taking the best of several.

Child processes run with bytecode caching on and after a warm-up run, as an
installed vmo has its modules compiled (PYTHONDONTWRITEBYTECODE would make every
run compile the changed modules again).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from player import fastload, yamlfast  # noqa: E402
from player.loader import check_routine  # noqa: E402

SENTENCES = [
    "Tighten the front of your thigh and press the knee down.",
    "Keep your back straight and your weight over the middle of the foot.",
    "Breathe out as you push and in as you lower.",
    "Stop if the pain goes above 5 out of 10, or if it feels sharp.",
    "Move slowly through the range you can manage without pain.",
    "Keep the knee in line with your second toe.",
    "Hold a chair or the wall for balance if you need to.",
]
STEP_KINDS = [
    "  - name: Quad set {tag}\n    hold: {hold}s\n    reps: {reps}\n    sets: 2\n    sides: both\n    relax: 5\n"
    "    rest: 45\n    instructions: {text}\n    cues: [Keep breathing, Kneecap slides up]\n",
    "  - name: Squat {tag}\n    reps: {reps}\n    tempo: 2-1-2\n    sets: 3\n    rest: 1m\n    equipment: [chair]\n",
    "  - name: Walk {tag}\n    duration: {minutes}m\n    prepare: 0\n",
    "  - rest: {rest}\n    name: Breather {tag}\n",
    "  - name: Lunge {tag}\n    reps: {reps}\n    sides: [right, left]\n    switch: 5\n",
]


def routine_text(steps: int, seed: int = 0) -> str:
    """A valid routine of `steps` steps, mixing every kind.

    Names differ from file to file, and numbers and instructions vary, so files
    share lines about as often as real routines do ("    sets: 3"), not more.
    """
    body = []
    for i in range(steps):
        n = i + seed
        body.append(STEP_KINDS[n % len(STEP_KINDS)].format(
            tag=f"{seed}.{i}", hold=5 + n % 11, reps=6 + n % 9, minutes=1 + n % 4, rest=15 * (1 + n % 4),
            text=SENTENCES[n % 7],
        ))
    return f"name: Generated {seed}\ncategory: activation\nsummary: generated for the benchmark\nsteps:\n" + "".join(body)


def child_cpu(cmd: list[str], **kw: object) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """CPU seconds (user+sys) and wall seconds of a child process, and its result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(cmd, capture_output=True, env=env, **kw)  # type: ignore[call-overload]
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, proc


def forget() -> None:
    """Empty the fast lane's caches, so each in-process run starts as a new `vmo check` does."""
    for cache in (yamlfast._lines, yamlfast._heads, fastload._durations, fastload._converted, fastload._sizes):
        cache.clear()


def best_cpu(fn: Callable[[], object], n: int) -> float:
    """The least CPU time of `n` runs of `fn` in this process, each with empty caches."""
    times = []
    for _ in range(n):
        forget()
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def bench_many_files(folder: Path, runs: int) -> None:
    paths = []
    for i in range(1000):
        path = folder / f"r{i:04d}.yaml"
        path.write_text(routine_text(50, seed=i))
        paths.append(path)
    texts = [p.read_text() for p in paths]
    size = sum(len(t.encode()) for t in texts)
    vmo = [sys.executable, "-m", "player", "check", str(folder)]
    child_cpu([sys.executable, "-m", "player", "check", str(paths[0])], cwd=REPO)  # warm-up: bytecode written
    results = [child_cpu(vmo, cwd=REPO) for _ in range(runs)]
    cpu, wall, proc = min(results, key=lambda r: r[0])
    summary = proc.stderr.decode().strip()
    one = [sys.executable, "-m", "player", "check", str(paths[0])]
    startup = min(child_cpu(one, cwd=REPO)[0] for _ in range(runs))
    raw = best_cpu(lambda: [yaml._yaml.CParser(t).raw_parse() for t in texts], runs)  # type: ignore[attr-defined]
    compose = best_cpu(lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts], min(runs, 2))
    fast = best_cpu(lambda: [check_routine(p, str(p)) for p in paths], runs)
    quick = fastload.quick_routine
    fastload.quick_routine = lambda *args, **kw: None  # type: ignore[assignment]
    try:
        full = best_cpu(lambda: [check_routine(p, str(p)) for p in paths], min(runs, 2))
    finally:
        fastload.quick_routine = quick  # type: ignore[assignment]
    fell_back = sum(quick(t, p, True) is None for t, p in zip(texts, paths))
    print(f"1000 files x 50 steps ({size / 1e6:.1f} MB), {fell_back} left to the full checker: {summary}")
    print(f"  vmo check FOLDER        {cpu:5.2f} s CPU ({wall:.2f} s wall)   target < 1 s CPU")
    print(f"  of which start-up       {startup:5.2f} s CPU (vmo check of one file)")
    print(f"  in-process check_routine, all files: {fast:5.2f} s; with the fast lane off: {full:.2f} s")
    print(f"  same-run references: libyaml raw_parse (C only) {raw:.2f} s, yaml.compose (C loader) {compose:.2f} s;"
          f" vmo check = {cpu / raw:.1f}x raw_parse")


def large_text() -> str:
    # A valid file can hold at most 10,000 segments, so a 1 MiB one has long texts:
    # each step a hold with a paragraph of instructions and a few cues.
    words = "Tighten the front of your thigh and press the back of your knee down into the towel. "
    step = ("  - name: Quad set {i}\n    hold: 10s\n    reps: 3\n    prepare: 0\n    instructions: >-\n"
            + "".join(f"      {words}\n" for _ in range(8))
            + "    cues:\n      - Keep breathing, don't hold your breath\n      - Kneecap slides up\n")
    parts = ["name: Large\nsteps:\n"]
    size = len(parts[0])
    i = 0
    while size < 1024 * 1024 - 1200:
        parts.append(step.format(i=i))
        size += len(parts[-1])
        i += 1
    return "".join(parts)


COMPOSE_ONE = "import sys, yaml; yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"


def bench_large_file(folder: Path, runs: int) -> None:
    path = folder / "large.yaml"
    path.write_text(large_text())
    size = path.stat().st_size
    routine, problems = check_routine(path)
    assert routine is not None and not problems, problems[:3]
    assert fastload.quick_routine(path.read_text(), path, True) is not None, "the large file left the fast lane"
    compose = best_cpu(lambda: yaml.compose(path.read_text(), Loader=yaml.CSafeLoader), runs)
    check = best_cpu(lambda: check_routine(path), runs)
    quick = fastload.quick_routine
    fastload.quick_routine = lambda *args, **kw: None  # type: ignore[assignment]
    try:
        full = best_cpu(lambda: check_routine(path), runs)
    finally:
        fastload.quick_routine = quick  # type: ignore[assignment]
    print(f"one {size / 1024:.0f} KiB file:")
    print(f"  in-process: check_routine {check * 1000:.0f} ms, bare yaml.compose (libyaml) {compose * 1000:.0f} ms:"
          f" ratio {check / compose:.2f}x   target <= 1.3x")
    print(f"  (a file outside the fast lane's YAML subset, read by the full checker: {full * 1000:.0f} ms,"
          f" {full / compose:.2f}x)")
    # As commands, each with its interpreter start-up and imports.
    vmo = min(child_cpu([sys.executable, "-m", "player", "check", str(path)], cwd=REPO)[0] for _ in range(runs))
    bare = min(child_cpu([sys.executable, "-c", COMPOSE_ONE, str(path)], cwd=REPO)[0] for _ in range(runs))
    print(f"  as processes: vmo check {vmo * 1000:.0f} ms CPU, python -c 'yaml.compose(...)' {bare * 1000:.0f} ms CPU:"
          f" ratio {vmo / bare:.2f}x")


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
    "deep block nesting": "name: x\nsteps:\n" + "".join(" " * i + "- \n" for i in range(0, 30000))[:900_000],
    "deep block mappings": "name: x\n" + "".join(" " * i + f"k{i}:\n" for i in range(1300)),
    "2 MB file": "name: big\n# " + "x" * 2_000_000 + "\nsteps: [{rest: 1}]",
    "1 MB of spaces in [a, b]": "name: x\ntags: [a" + " " * 1_000_000 + "b]\nsteps:\n  - rest: 1\n",
}

# Peak memory from VmHWM: ru_maxrss would count the benchmark process the child was forked from.
PEAK = "import re, sys; from player.cli import main; code = main(['check', sys.argv[1]]); " \
       "print(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read())[1], file=sys.stderr); sys.exit(code)"


def bench_hostile(folder: Path) -> None:
    base = subprocess.run([sys.executable, "-c", PEAK, str(REPO / "tests/fixtures/good/full.yaml")],
                          cwd=REPO, capture_output=True, text=True)
    base_kib = int(base.stderr.strip().splitlines()[-1])
    print(f"hostile files (peak RSS of the whole process; a valid small file: {base_kib / 1024:.0f} MiB):")
    for name, text in HOSTILE.items():
        path = folder / "hostile.yaml"
        path.write_text(text)
        cpu, wall, proc = child_cpu([sys.executable, "-c", PEAK, str(path)], cwd=REPO)
        kib = int(proc.stderr.decode().strip().splitlines()[-1])
        message = proc.stdout.decode().strip().split(": error: ")[-1][:60]
        print(f"  {name:<24} exit {proc.returncode}  {cpu * 1000:5.0f} ms CPU  {kib / 1024:5.0f} MiB  {message}")


def main() -> None:
    runs = 1 if "--quick" in sys.argv else 3
    print(f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__} with libyaml {yaml.__with_libyaml__}; "
          f"best of {runs}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "many").mkdir()
        bench_many_files(folder / "many", runs)
        bench_large_file(folder, runs)
        bench_hostile(folder)


if __name__ == "__main__":
    os.environ.setdefault("VMO_DATA_DIR", tempfile.mkdtemp())
    main()
