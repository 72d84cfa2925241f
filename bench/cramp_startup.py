"""How fast `vmo cramp` shows its first countdown, against references, in one run.

    .venv/bin/python bench/cramp_startup.py [--runs N]

Each command is launched in a fresh detached tmux session (80x24) and the pane
is polled with `tmux capture-pane` until the first countdown is visible; the
time from launch to that poll is one sample. Each round runs every command once,
in a shuffled order, so machine noise hits both sides of a ratio alike; medians
are compared.

- `vmo cramp` (full screen) until the big digits show, against a minimal
  Textual app that shows one label (target: at most 1.25x, issue 14); and the same
  with the start-up pause of the garbage collector turned off (player/startup.py).
- `vmo cramp --plain` until its first countdown line, against `termdown 30`
  until its first frame (target: faster, ratio below 1). termdown comes with
  `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VMO = BIN / "vmo"
TERMDOWN = BIN / "termdown"
POLL = 0.005  # seconds between captures
TIMEOUT = 30.0

MINIMAL_APP = """\
from textual.app import App, ComposeResult
from textual.widgets import Label


class OneLabel(App):
    def compose(self) -> ComposeResult:
        yield Label("ready")


OneLabel().run()
"""

_HEAVY_BOX = set("━┃┏┓┗┛╺╸╹╻┣┫┳┻╋")


def has_digits(screen: str) -> bool:
    """Three lines in a row drawn only with the Digits widget's heavy box characters (and spaces)."""
    run = 0
    for line in screen.splitlines():
        chars = set(line.strip())
        if chars and chars <= _HEAVY_BOX | {" "}:
            run += 1
            if run >= 3:
                return True
        else:
            run = 0
    return False


_PLAIN_COUNTDOWN = re.compile(r"\b\d\d:\d\d left\b|^\d\d:\d\d  work ", re.M)


def has_plain_countdown(screen: str) -> bool:
    """The plain player's first countdown: the live `00:30 left` line (or the hold's first line)."""
    return bool(_PLAIN_COUNTDOWN.search(screen))


def has_anything(screen: str) -> bool:
    """Any visible character at all (termdown's first frame)."""
    return bool(screen.strip())


def has_label(screen: str) -> bool:
    """The minimal app's one label."""
    return "ready" in screen


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by `pid`, its threads and descendants (the scheduler's nanosecond counts)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                total += int((task / "schedstat").read_text().split()[0])
                todo += [int(c) for c in (task / "children").read_text().split()]
            except (OSError, ValueError, IndexError):
                continue
    return total / 1e9


def sample(name: str, command: str, ready: Callable[[str], bool], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from launching `command` in tmux until `ready(pane text)` holds, and the CPU seconds it used.

    Each sample has a tmux server of its own (-L), so other tmux users on the machine
    cannot end it.
    """
    socket = f"vmo-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"  # never one a dying server still holds
    tmux = ["tmux", "-L", socket]
    start = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24", command], check=True, env=env)
    try:
        while True:
            shot = subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
            if ready(shot):
                wall = time.perf_counter() - start
                pid = subprocess.run(
                    [*tmux, "display-message", "-p", "-t", "b", "#{pane_pid}"], capture_output=True, text=True,
                ).stdout.strip()
                return wall, tree_cpu_seconds(int(pid)) if pid.isdigit() else float("nan")
            if time.perf_counter() - start > TIMEOUT:
                raise SystemExit(f"{name}: nothing after {TIMEOUT:.0f} s; the pane shows:\n{shot}")
            time.sleep(POLL)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


# vmo cramp with the start-up pause of the garbage collector turned off (player/startup.py):
# what the pause is worth, measured in the same run.
NO_GC_PAUSE = (
    "import contextlib, sys, player.startup as s; s.collector_paused = contextlib.nullcontext; "
    "from player.cli import main; sys.exit(main(sys.argv[1:]))"
)


def main() -> int:
    """Measure, print the figures and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="samples per command (default 9)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed for this benchmark", file=sys.stderr)
        return 2
    if not VMO.exists():
        print(f"no {VMO}: install the project first (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    have_termdown = TERMDOWN.exists()
    # As installed: pip compiles a package's bytecode at install time; a checkout run with
    # PYTHONDONTWRITEBYTECODE would otherwise recompile vmo on every launch (textual is compiled).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "player")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "one_label.py"
        app.write_text(MINIMAL_APP)
        env = {**os.environ, "VMO_DATA_DIR": str(Path(tmp) / "data")}
        env.pop("VMO_ROUTINES", None)
        # tmux runs the command with the server's environment: pass the data folder on the command line.
        data = f"VMO_DATA_DIR={tmp}/data"
        commands: dict[str, tuple[str, Callable[[str], bool]]] = {
            "textual one label": (f"{sys.executable} {app}", has_label),
            "vmo cramp": (f"{data} {VMO} cramp --mute", has_digits),
            "vmo cramp, GC not paused": (f"{data} {sys.executable} -c '{NO_GC_PAUSE}' cramp --mute", has_digits),
            "vmo cramp --plain": (f"{data} {VMO} cramp --plain --mute", has_plain_countdown),
        }
        if have_termdown:
            commands["termdown 30"] = (f"{TERMDOWN} 30", has_anything)
        # One untimed round first: the OS file cache, .pyc files and the tmux server are warm for all.
        for name, (command, ready) in commands.items():
            sample(name, command, ready, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            order = list(commands.items())
            random.shuffle(order)  # no command always runs first, or just after another
            for name, (command, ready) in order:
                wall, used = sample(name, command, ready, env)
                times[name].append(wall)
                cpu[name].append(used)
    print(f"launch in tmux to first countdown frame, {args.runs} runs each")
    print(f"  {'':<26} {'wall ms: median':>15} {'min':>6} {'max':>6}   {'CPU ms: median':>14}")
    for name, values in times.items():
        print(
            f"  {name:<26} {statistics.median(values) * 1000:15.0f} {min(values) * 1000:6.0f}"
            f" {max(values) * 1000:6.0f}   {statistics.median(cpu[name]) * 1000:14.0f}"
        )
    med = {name: statistics.median(values) for name, values in times.items()}
    med_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    # Wall time is the target; CPU time (the process tree's, at the frame) shrugs off other load on the host.
    ui_ratio = med["vmo cramp"] / med["textual one label"]
    ui_cpu = med_cpu["vmo cramp"] / med_cpu["textual one label"]
    print(f"vmo cramp / minimal Textual app: {ui_ratio:.2f}x wall, {ui_cpu:.2f}x CPU (target <= 1.25x)")
    gc_wall = med["vmo cramp, GC not paused"] / med["vmo cramp"] - 1
    gc_cpu = med_cpu["vmo cramp, GC not paused"] / med_cpu["vmo cramp"] - 1
    print(f"without the start-up GC pause, vmo cramp's first frame takes {gc_wall:+.0%} wall, {gc_cpu:+.0%} CPU"
          " (player/startup.py stays while this is over +5%)")
    ok = ui_ratio <= 1.25
    if have_termdown:
        plain_ratio = med["vmo cramp --plain"] / med["termdown 30"]
        plain_cpu = med_cpu["vmo cramp --plain"] / med_cpu["termdown 30"]
        print(f"vmo cramp --plain / termdown: {plain_ratio:.2f}x wall, {plain_cpu:.2f}x CPU (target < 1)")
        ok = ok and plain_ratio < 1
    else:
        print("termdown is not installed (pip install -e '.[bench]'): plain comparison skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
