"""Benchmark `vmo check`: 1,000 routine files, one large file, hostile files.

Run: .venv/bin/python bench/check_speed.py [--quick]

The reference is measured in the same run: a bare `yaml.compose(...,
Loader=yaml.CSafeLoader)` of the same files. For the 1,000 files (100 copies of
each bundled routine) both sides are whole processes, start-up included: `vmo
check FOLDER` against `python -c` composing every file. Figures are CPU seconds
(user + system) of the child, the best of several runs, so a busy machine
matters less. Target (issue 14): at most 1.5x. The bundled routines name their
pictures, which `vmo check` finds on disk (a stat per picture, and the confinement
rule) and a bare compose does not: about 65 ms of the 1,000 files (5,300 pictures).
`--quick` runs each measurement once.

Child processes run with bytecode caching on and after a warm-up run, as an
installed vmo has its modules compiled (PYTHONDONTWRITEBYTECODE would make every
run compile the changed modules again).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from player.loader import check_routine  # noqa: E402

COPIES = 100  # of each bundled routine: 10 files x 100 = 1,000

COMPOSE_ALL = (
    "import os, sys, yaml\n"
    "for root, dirs, files in os.walk(sys.argv[1]):\n"
    "    dirs.sort()\n"
    "    for name in sorted(files):\n"
    "        if name.endswith(('.yaml', '.yml')):\n"
    "            with open(os.path.join(root, name), encoding='utf-8') as f:\n"
    "                yaml.compose(f.read(), Loader=yaml.CSafeLoader)\n"
)


def child_cpu(cmd: list[str], **kw: object) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """CPU seconds (user+sys) and wall seconds of a child process, and its result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(cmd, capture_output=True, env=env, **kw)  # type: ignore[call-overload]
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, proc


def best_cpu(fn: Callable[[], object], n: int) -> float:
    """The least CPU time of `n` runs of `fn` in this process."""
    times = []
    for _ in range(n):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def copy_bundled(folder: Path, copies: int = COPIES) -> list[Path]:
    """`copies` copies of the bundled routines folder under `folder` (their pictures too); the routine files.

    Programme files are left out (they are not routines, and name routines by id), and
    each copy's ids get the copy's number, as the routines of a real library differ:
    else every copy would draw a warning that its id is defined twice.
    """
    bundled = REPO / "routines"
    for i in range(copies):
        target = folder / f"copy{i:03d}"
        shutil.copytree(bundled, target)
        for path in target.rglob("*.y*ml"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"^phases:", text, re.M):
                path.unlink()
            else:
                path.write_text(re.sub(r"^id: *([a-z0-9-]+)", rf"id: \1-{i}", text, flags=re.M), encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))


def bench_many_files(folder: Path, runs: int) -> None:
    paths = copy_bundled(folder)
    size = sum(p.stat().st_size for p in paths)
    vmo = [sys.executable, "-m", "player", "check", str(folder)]
    bare = [sys.executable, "-c", COMPOSE_ALL, str(folder)]
    child_cpu(vmo, cwd=REPO)  # warm-up: bytecode written
    vmo_runs, bare_runs = [], []
    for _ in range(runs):  # interleaved, so both sides see the same load
        vmo_runs.append(child_cpu(vmo, cwd=REPO))
        bare_runs.append(child_cpu(bare, cwd=REPO))
    cpu, wall, proc = min(vmo_runs, key=lambda r: r[0])
    ref, ref_wall, ref_proc = min(bare_runs, key=lambda r: r[0])
    assert ref_proc.returncode == 0, ref_proc.stderr.decode()
    summary = proc.stderr.decode().strip()
    assert proc.returncode == 0, summary
    inproc = best_cpu(lambda: [check_routine(p, str(p)) for p in paths], runs)
    print(f"{len(paths)} routine files ({COPIES} copies of the bundled ones, {size / 1e6:.1f} MB): {summary}")
    print(f"  vmo check FOLDER                     {cpu:5.2f} s CPU ({wall:.2f} s wall)")
    print(f"  python -c 'yaml.compose(CSafeLoader)' {ref:5.2f} s CPU ({ref_wall:.2f} s wall)")
    print(f"  ratio {cpu / ref:.2f}x   target <= 1.5x")
    print(f"  (in-process check_routine of all files: {inproc:.2f} s)")


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
    compose = best_cpu(lambda: yaml.compose(path.read_text(), Loader=yaml.CSafeLoader), runs)
    check = best_cpu(lambda: check_routine(path), runs)
    print(f"one {size / 1024:.0f} KiB file:")
    print(f"  in-process: check_routine {check * 1000:.0f} ms, bare yaml.compose (libyaml) {compose * 1000:.0f} ms:"
          f" ratio {check / compose:.2f}x")
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
    runs = 1 if "--quick" in sys.argv else 5
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
