"""A library of 10,000 routines against the bundled ones alone, second and later opens (issue 14).

Prints, from one run (medians of interleaved rounds):
- `vmo list`: time and peak memory with a 10,000-routine folder, as a ratio of
  `vmo list` of the bundled routines (targets: at most 2x and 1.5x);
- the library screen's first frame in tmux: time to the first routine shown and
  peak memory then, as a ratio of the same with the bundled routines alone
  (targets: at most 1.3x and 1.5x);
- a filter keystroke on the library screen at 10,000 routines, in process with
  Textual's pilot: key pressed to list refilled and drawn (target: under 100 ms).

Usage: python bench/library_scale.py [--routines 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VMO = str(Path(sys.executable).parent / "vmo")


def make_library(folder: Path, count: int) -> None:
    """`count` valid routines: copies of the bundled ones with their own ids and names, 1,000 a folder."""
    from player.resources import routines_dir

    texts = []
    for path in sorted(routines_dir().rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^steps:", text, re.M) and not re.search(r"^\s*-?\s*include:", text, re.M):
            texts.append((path.stem, re.sub(r"^id:.*$", "", text, flags=re.M)))
    for i in range(count):
        stem, text = texts[i % len(texts)]
        sub = folder / f"part{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        text = re.sub(r"^name: *(?!['\"])(.*)$", lambda m: f"name: R{i} {m.group(1)}", text, count=1, flags=re.M)
        (sub / f"r{i:05d}-{stem}.yaml").write_text(f"id: r{i:05d}-{stem}\n{text}", encoding="utf-8")
    past = time.time() - 3600  # files written just now are always checked again (mtime granularity)
    for path in folder.rglob("*.yaml"):
        os.utime(path, (past, past))


# A small launcher: the peak memory of a child counts the parent's pages while it forks,
# so `vmo` is started from a fresh, small Python rather than from this benchmark.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
import resource
print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `vmo` run, output discarded."""
    out = subprocess.run([sys.executable, "-c", LAUNCHER, VMO, *args], env=env, capture_output=True, text=True)
    code, elapsed, peak = out.stdout.split()
    if code != "0":
        raise RuntimeError(f"vmo {' '.join(args)} failed")
    return float(elapsed), int(peak)


class Pane:
    """A private tmux server with one 100x30 pane running `command`."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.socket = f"vmo-libbench-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.started = time.perf_counter()
        self.tmux("new-session", "-d", "-s", "b", "-x", "100", "-y", "30", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=self.env).stdout

    def wait_for(self, pattern: str, timeout: float = 60.0) -> float:
        end = time.perf_counter() + timeout
        regex = re.compile(pattern)
        while time.perf_counter() < end:
            if regex.search(self.tmux("capture-pane", "-p", "-t", "b")):
                return time.perf_counter() - self.started
            time.sleep(0.002)
        raise TimeoutError(f"{pattern!r} never showed")

    def close(self) -> None:
        self.tmux("kill-server")


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def first_frame(extra: list[str], env: dict[str, str], work: Path, shown: str) -> tuple[float, int]:
    """Seconds until the library shows `shown`, and the process's peak memory at that moment."""
    pidfile = work / f"pid-{uuid.uuid4().hex[:6]}"
    command = f"echo $$ > {pidfile}; exec {VMO} --mute {' '.join(extra)}"
    pane = Pane(f"sh -c '{command}'", env)
    try:
        seconds = pane.wait_for(shown)
        memory = peak_rss_kib(int(pidfile.read_text()))
    finally:
        pane.close()
    time.sleep(0.3)  # the app writes nothing on the way out of the library, but let it go
    return seconds, memory


async def keystrokes(folder: Path, words: str) -> list[float]:
    """Seconds from each key of `words` typed into the filter to the list refilled and drawn."""
    from player.library import scan
    from player.ui.app import VmoApp
    from player.ui.library import LibraryScreen
    from textual.widgets import OptionList

    app = VmoApp(entries=scan([str(folder)]), mute=True)
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        options = screen.query_one("#routines", OptionList)
        for key in words:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()  # the Input's change handled, the list refilled, the screen drawn
            times.append(time.perf_counter() - start)
        assert options.option_count > 0
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("needs tmux", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="vmo-libscale-"))
    try:
        big = work / "library"
        make_library(big, args.routines)
        env = dict(os.environ, VMO_DATA_DIR=str(work / "data"), VMO_AUDIO="none", TERM="xterm-256color")
        env.pop("VMO_ROUTINES", None)
        os.environ.update(VMO_DATA_DIR=env["VMO_DATA_DIR"])
        start = time.perf_counter()
        run_measured(["list", "--routines", str(big)], env)  # the first open builds the index
        print(f"first open of {args.routines:,} routines (index built): {time.perf_counter() - start:.1f} s")
        run_measured(["list"], env)

        cases = {"bundled": ["list"], "big": ["list", "--routines", str(big)]}
        lists: dict[str, list[tuple[float, int]]] = {k: [] for k in cases}
        for _ in range(args.runs):
            for name, argv in cases.items():
                lists[name].append(run_measured(argv, env))
        t_b, t_g = (median([t for t, _ in lists[k]]) for k in ("bundled", "big"))
        m_b, m_g = (median([m for _, m in lists[k]]) for k in ("bundled", "big"))
        print(f"vmo list: bundled {t_b * 1000:.0f} ms {m_b / 1024:.1f} MiB; "
              f"{args.routines:,} routines {t_g * 1000:.0f} ms {m_g / 1024:.1f} MiB")
        print(f"  time ratio {t_g / t_b:.2f}x (target <= 2), memory ratio {m_g / m_b:.2f}x (target <= 1.5)")

        shown = r"Warm-up|Activation|Strength|Stretch"  # a category title: the list is drawn
        frames: dict[str, list[tuple[float, int]]] = {"bundled": [], "big": []}
        first_frame([], env, work, shown)
        first_frame(["--routines", str(big)], env, work, shown)
        for _ in range(args.runs):
            frames["bundled"].append(first_frame([], env, work, shown))
            frames["big"].append(first_frame(["--routines", str(big)], env, work, shown))
        f_b, f_g = (median([t for t, _ in frames[k]]) for k in ("bundled", "big"))
        fm_b, fm_g = (median([m for _, m in frames[k]]) for k in ("bundled", "big"))
        print(f"library first frame: bundled {f_b * 1000:.0f} ms {fm_b / 1024:.1f} MiB; "
              f"{args.routines:,} routines {f_g * 1000:.0f} ms {fm_g / 1024:.1f} MiB")
        print(f"  time ratio {f_g / f_b:.2f}x (target <= 1.3), memory ratio {fm_g / fm_b:.2f}x (target <= 1.5)")

        keys = asyncio.run(keystrokes(big, "knee"))
        keys += asyncio.run(keystrokes(big, "r1234"))
        print(f"filter keystroke at {args.routines:,} routines: median {median(keys) * 1000:.0f} ms, "
              f"max {max(keys) * 1000:.0f} ms (target < 100 ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
