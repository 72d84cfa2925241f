"""Benchmark of the terminal UI against a minimal Textual app, side by side in one run.

    .venv/bin/python bench/ui_perf.py [--runs N] [--hold SECONDS] [--quick] [--only frame|cpu|countdown]

Prints four figures, each next to its reference measured in the same run:

1. Time to first frame: launch in a fresh 80x24 tmux pane until the pane shows
   anything; `vmo play quick-warm-up` (and the same routine by path) against a
   Textual app showing one label. Median of N rounds, each running the three in a
   shuffled order. Target: <= 1.2x.
2. CPU while a 60 s hold plays (countdown and both progress bars live):
   CPU time of all the process's threads over a window inside the hold, as % of
   one core, against a minimal app updating a label once a second, in panes
   running at the same time. Read in nanoseconds from /proc/<pid>/task/*/schedstat:
   utime+stime come in 10 ms ticks, and one tick is 6 % of the reference's 45 s
   window. Targets: <= 1.5 % and <= 1.5x the reference.
3. Countdown accuracy: the app (headless, real clock) plays a hold; for every
   displayed second, when the display was updated and when its frame went out,
   minus the true time; and the hold's displayed end against its true end.
   Target: within 20 ms.
4. Peak resident memory (VmHWM) of both processes after the CPU window. Target: <= 1.5x.

Needs tmux and the installed `vmo` (`pip install -e .`). Uses a throwaway VMO_DATA_DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PYTHON = sys.executable
VMO = str(Path(sys.executable).parent / "vmo")

MINIMAL_LABEL = """\
from textual.app import App
from textual.widgets import Label


class Minimal(App):
    def compose(self):
        yield Label("hello")


Minimal().run()
"""

MINIMAL_TICKING = """\
import time

from textual.app import App
from textual.widgets import Label


class Ticking(App):
    def compose(self):
        yield Label("0", id="n")

    def on_mount(self):
        self.n = 0
        self.set_interval(1, self.tick)

    def tick(self):
        self.n += 1
        self.query_one("#n", Label).update(str(self.n))


Ticking().run()
"""

HOLD_ROUTINE = """\
id: bench-hold
name: Bench hold
steps:
  - name: Long hold
    hold: {hold}s
    prepare: 0
    instructions: Hold it steady for the whole minute.
    cues: ["Breathe"]
"""


class Pane:
    """A private tmux server with one 80x24 pane running `command`."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.socket = f"vmo-bench-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.started = time.perf_counter()
        self.tmux("new-session", "-d", "-s", "b", "-x", "80", "-y", "24", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              env=self.env).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "b")

    def wait_for(self, text: str | None, timeout: float = 30.0) -> float:
        """Seconds from launch until `text` (None: anything at all) shows."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            shown = self.screen()
            if (text is None and shown.strip()) or (text is not None and text in shown):
                return time.perf_counter() - self.started
            time.sleep(0.002)
        raise TimeoutError(f"{text!r} never showed:\n{self.screen()}")

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "b", *keys)

    def close(self) -> None:
        self.tmux("kill-server")


def thread_cpu(pid: int) -> dict[str, int]:
    """CPU nanoseconds of each live thread of `pid`, by thread id (the scheduler's count in schedstat)."""
    tasks = Path(f"/proc/{pid}/task").glob("*/schedstat")
    times = {task.parent.name: int(task.read_text().split()[0]) for task in tasks}
    if not times:
        raise RuntimeError("no /proc/<pid>/task/*/schedstat (a kernel without CONFIG_SCHED_INFO)")
    return times


def cpu_seconds_between(before: dict[str, int], after: dict[str, int]) -> float:
    """CPU seconds used between two `thread_cpu` readings (a thread that ended in between would go uncounted)."""
    assert before.keys() <= after.keys(), "a thread ended inside the window"
    return (sum(after.values()) - sum(before.values())) / 1e9


def wait_exit(pidfile: Path, timeout: float = 10.0) -> None:
    """Wait until the process in `pidfile` (if any) has exited."""
    if not pidfile.exists() or not pidfile.read_text().strip():
        return
    proc = Path(f"/proc/{pidfile.read_text().strip()}")
    end = time.monotonic() + timeout
    while proc.exists() and time.monotonic() < end:
        time.sleep(0.01)


def peak_rss_kib(pid: int) -> int:
    """VmHWM of `pid` in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def wait_pid(pidfile: Path, timeout: float = 30.0) -> int:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pidfile.exists() and pidfile.read_text().strip():
            return int(pidfile.read_text())
        time.sleep(0.01)
    raise TimeoutError(f"no pid in {pidfile}")


# ----- 1. first frame -----


def first_frames(work: Path, env: dict[str, str], runs: int) -> dict[str, list[float]]:
    minimal = work / "minimal_label.py"
    minimal.write_text(MINIMAL_LABEL)
    from player.resources import routines_dir

    by_path = routines_dir() / "warm-up" / "quick-warm-up.yaml"
    commands = {
        "minimal Textual app (one label)": f"{PYTHON} {minimal}",
        "vmo play quick-warm-up": f"{VMO} play quick-warm-up --mute",
        "vmo play <path>": f"{VMO} play {by_path} --mute",
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # one warm-up each: .pyc files, disk cache
        pane = Pane(command, env)
        pane.wait_for(None)
        pane.close()
    rounds = random.Random(1)  # a fixed seed: the same shuffled order each run of the benchmark
    for _ in range(runs):
        order = list(commands.items())
        rounds.shuffle(order)  # no command always runs right after another
        for name, command in order:
            pane = Pane(command, env)
            times[name].append(pane.wait_for(None))
            pane.close()
    return times


# ----- 2 and 4. CPU during a hold, peak memory -----


def hold_cpu(work: Path, env: dict[str, str], hold: float, window: float) -> dict[str, tuple[float, int]]:
    ticking = work / "minimal_ticking.py"
    ticking.write_text(MINIMAL_TICKING)
    routine = work / "hold.yaml"
    routine.write_text(HOLD_ROUTINE.format(hold=hold))
    vmo_pid, ref_pid = work / "vmo.pid", work / "ref.pid"
    for f in (vmo_pid, ref_pid):
        f.unlink(missing_ok=True)
    vmo = Pane(f"sh -c 'echo $$ > {vmo_pid}; exec {VMO} play {routine} --mute'", env)
    ref = Pane(f"sh -c 'echo $$ > {ref_pid}; exec {PYTHON} {ticking}'", env)
    try:
        vmo.wait_for("Bench hold")
        vmo.send("Enter")
        vmo.wait_for("WORK")
        ref.wait_for("1")
        pids = {"vmo (60 s hold)": wait_pid(vmo_pid), "minimal app, label once a second": wait_pid(ref_pid)}
        time.sleep(3.0)  # past start-up work (audio thread, first layouts)
        before = {name: thread_cpu(pid) for name, pid in pids.items()}
        t0 = time.monotonic()
        time.sleep(window)
        elapsed = time.monotonic() - t0
        after = {name: thread_cpu(pid) for name, pid in pids.items()}
        assert "WORK" in vmo.screen(), "the hold ended inside the window; use a longer --hold"
        return {
            name: (cpu_seconds_between(before[name], after[name]) / elapsed * 100.0, peak_rss_kib(pid))
            for name, pid in pids.items()
        }
    finally:
        vmo.close()
        ref.close()
        for pidfile in (vmo_pid, ref_pid):  # vmo writes its history record on the way out, into `work`
            wait_exit(pidfile)


# ----- 3. countdown accuracy -----


async def countdown_errors(hold: float) -> tuple[list[float], list[float], float]:
    """Seconds late, per displayed second: when `tick` ran and when the frame went out; and the hold's end.

    The app runs headless on the real clock; "went out" is the app's `_display` call that
    carries the first frame after the clock changed (Textual batches frames at 60 per second).
    """
    from player.loader import load_routine
    from player.settings import Settings
    from player.ui.app import VmoApp
    from player.ui.player_screen import PlayerScreen

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hold.yaml"
        path.write_text(HOLD_ROUTINE.format(hold=hold) + "  - name: After\n    duration: 5s\n    prepare: 0\n")
        routine = load_routine(path)
        changes: list[tuple[float, str, str]] = []  # (time of the tick, clock shown, exercise)
        frames: list[float] = []  # time of each frame sent to the (headless) terminal
        original = PlayerScreen.show

        def show(self: PlayerScreen, view, **kwargs) -> None:  # type: ignore[no-untyped-def]
            before = self.view
            original(self, view, **kwargs)
            if before is None or (before.clock, before.exercise) != (view.clock, view.exercise):
                changes.append((time.monotonic(), view.clock, view.exercise))

        PlayerScreen.show = show  # type: ignore[method-assign]
        try:
            app = VmoApp(routine=routine, mute=True, settings=Settings(voice=False))
            display = app._display

            def timed_display(*args, **kwargs):  # type: ignore[no-untyped-def]
                frames.append(time.monotonic())
                return display(*args, **kwargs)

            app._display = timed_display  # type: ignore[method-assign]
            async with app.run_test() as pilot:
                await pilot.press("enter")
                while app.controller is None:
                    await asyncio.sleep(0.01)
                start = app.controller.log[0].at  # SegmentStarted of the hold, on the same clock
                while not any(ex == "After" for _, _, ex in changes):
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.1)
        finally:
            PlayerScreen.show = original  # type: ignore[method-assign]
    ticks, drawn = [], []
    end = 0.0
    for at, clock, exercise in changes:
        minutes, seconds = clock.split(":")
        shown = int(minutes) * 60 + int(seconds)
        true_time = start + (hold - shown) if exercise == "Long hold" else start + hold
        if exercise == "Long hold" and shown >= hold:
            continue
        frame = next(f for f in frames if f >= at)
        if exercise == "Long hold":
            ticks.append(at - true_time)
            drawn.append(frame - true_time)
        elif exercise == "After":
            end = frame - true_time
            break
    return ticks, drawn, end


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="first-frame runs per command (default 15)")
    parser.add_argument("--hold", type=float, default=60.0, help="length of the hold in seconds (default 60)")
    parser.add_argument("--quick", action="store_true", help="5 runs, 20 s hold: a smoke test, not figures")
    parser.add_argument("--only", choices=("frame", "cpu", "countdown"), help="run one part only")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.hold = 5, 20.0
    if shutil.which("tmux") is None or not Path(VMO).exists():
        print("needs tmux and the installed vmo", file=sys.stderr)
        return 2
    window = max(5.0, args.hold - 15.0)
    parts = {args.only} if args.only else {"frame", "cpu", "countdown"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(os.environ, VMO_DATA_DIR=str(work / "data"), TERM="xterm-256color")
        env.pop("NO_COLOR", None)
        env.pop("TMUX", None)
        print(f"vmo UI benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs · "
              f"load {os.getloadavg()[0]:.2f}")
        if "frame" in parts:
            print()
            print(f"1. Time to first frame in tmux (median of {args.runs} shuffled rounds; min in brackets)")
            frames = first_frames(work, env, args.runs)
            ref = statistics.median(frames["minimal Textual app (one label)"])
            for name, values in frames.items():
                med = statistics.median(values)
                print(f"   {name:<34} {med * 1000:7.1f} ms  [{min(values) * 1000:6.1f}]  {med / ref:5.2f}x")
            print("   target: vmo <= 1.2x the minimal app")
        if "cpu" in parts:
            print()
            print(f"2. CPU while a {args.hold:g} s hold plays ({window:g} s window, both at once), and 4. peak memory")
            usage = hold_cpu(work, env, args.hold, window)
            (vmo_cpu, vmo_rss), (ref_cpu, ref_rss) = usage.values()
            for name, (cpu, rss) in usage.items():
                print(f"   {name:<34} CPU {cpu:5.2f} % of one core   peak RSS {rss / 1024:6.1f} MiB")
            print(f"   CPU ratio {vmo_cpu / ref_cpu:5.2f}x (targets: <= 1.5 % and <= 1.5x)")
            print(f"   peak RSS ratio {vmo_rss / ref_rss:5.2f}x (target: <= 1.5x)")
        if "countdown" in parts:
            print()
            ticks, drawn, end = asyncio.run(countdown_errors(args.hold))
            print(f"3. Countdown accuracy over a {args.hold:g} s hold (headless app, real clock; ms after the true time)")
            for name, errors in (("engine tick, display updated", ticks), ("frame sent to the terminal", drawn)):
                print(f"   {name:<30} mean {statistics.mean(errors) * 1000:6.2f}  max {max(errors) * 1000:6.2f}  "
                      f"min {min(errors) * 1000:6.2f}  drift last-first {(errors[-1] - errors[0]) * 1000:+.2f}"
                      f"  ({len(errors)} seconds)")
            print(f"   displayed end of the hold: frame {end * 1000:6.2f} ms after the true end (target: within 20 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
