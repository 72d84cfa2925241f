"""End to end: the installed `vmo play ... --plain`, through pipes and through a real pseudo-terminal."""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_vmo, vmo_command

SHORT = str(FIXTURES / "play" / "short.yaml")
CLOCK = re.compile(r"^(\d\d:\d\d)  ")


def _strip_clock(lines: list[str]) -> tuple[list[str], list[str]]:
    clocks, rest = [], []
    for line in lines:
        m = CLOCK.match(line)
        if m:
            clocks.append(m.group(1))
            rest.append(line[m.end():])
        else:
            rest.append(line)
    return clocks, rest


def _history(data_dir: Path) -> list[dict[str, object]]:
    path = data_dir / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_fixture_plays_every_segment_and_cue_in_order(data_dir: Path) -> None:
    r = run_vmo("play", SHORT, "--plain", "--speed", "50", "--mute", input="", env={"VMO_DATA_DIR": str(data_dir)})
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\r" not in r.stdout
    clocks, lines = _strip_clock(r.stdout.splitlines())
    assert clocks == sorted(clocks)
    countdown = ["2", "1"]
    assert lines == [
        "Short test routine · 45 s + 1 self-paced segment",
        "prepare  Quad set · 2 s", "       Tighten the thigh.", *countdown,
        "work  Quad set · left · hold 1/2 · 4 s", *countdown,
        "relax  Quad set · left · after hold 1/2 · 2 s", *countdown,
        "work  Quad set · left · hold 2/2 · 4 s", *countdown,
        "switch  Quad set · to right · 2 s", *countdown,
        "work  Quad set · right · hold 1/2 · 4 s", *countdown,
        "relax  Quad set · right · after hold 1/2 · 2 s", *countdown,
        "work  Quad set · right · hold 2/2 · 4 s", *countdown,
        "prepare  Squats · 5 s", *countdown,
        "work  Squats · 2 reps · 10 s", "rep 2/2", "halfway", *countdown,
        "manual  Calf raises · 10 reps · own pace",  # end of input ends it
        "rest  Rest · 3 s", *countdown,
        "work  Stretch · until it eases · 3 s", *countdown,
        "Is it easing? (a line of input, or end of input, answers yes)",
        "easing: moving on",
        "finish  Complete: Short test routine · played 00:45 at speed 50 · 13 segments done",
    ]
    [record] = _history(data_dir)
    assert (record["completed"], record["speed"], record["player"]) == (True, 50.0, "plain")
    # 45 timed seconds, plus the moment the manual segment took to see the end of input.
    assert 45.0 <= record["played_seconds"] < 46.0  # type: ignore[operator]


def test_bundled_routine_plays_its_timeline_in_order(data_dir: Path) -> None:
    shown = json.loads(run_vmo("show", "cramp-quadriceps", "--json").stdout)
    r = run_vmo("play", "cramp-quadriceps", "--plain", "--speed", "50", "--mute", input="",
                env={"VMO_DATA_DIR": str(data_dir)})
    assert r.returncode == 0, r.stderr
    _, lines = _strip_clock(r.stdout.splitlines())
    kinds = ("prepare", "work", "relax", "switch", "rest", "manual")
    started = [line.split("  ")[0] for line in lines if line.split("  ")[0] in kinds]
    assert started == [s["kind"] for s in shown["segments"]]
    # Every timed segment of 3 s or more counts down 3, 2, 1 before the next one starts.
    blocks: list[list[str]] = []
    for line in lines:
        if line.split("  ")[0] in kinds or line.startswith("finish"):
            blocks.append([])
        elif blocks:
            blocks[-1].append(line)
    for seg, block in zip(shown["segments"], blocks):
        counts = [x for x in block if x in ("3", "2", "1")]
        assert counts == ["3", "2", "1"], (seg, block)
    assert lines[-1].startswith("finish  Complete: Cramp: front of thigh")


def _spawn_pipe(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, VMO_DATA_DIR=str(data_dir))
    env.pop("VMO_ROUTINES", None)
    return subprocess.Popen(
        vmo_command() + list(args), cwd=REPO, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("sig, status, why", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_interrupt_prints_where_it_stopped_and_records_it(data_dir: Path, sig: int, status: int, why: str) -> None:
    proc = _spawn_pipe(data_dir, "play", SHORT, "--plain", "--mute")
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if "work  Quad set" in line:
                break
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == status, err
    last = out.splitlines()[-1]
    assert last.startswith(f"Stopped ({why}): Short test routine at work Quad set · left · hold 1/2 · 4 s (segment 2 of 13)")
    assert "Traceback" not in err
    [record] = _history(data_dir)
    assert record["completed"] is False and record["stopped_at"] == {"exercise": "Quad set", "segment_index": 1}


def test_unknown_routine_is_a_usage_error() -> None:
    r = run_vmo("play", "no-such-routine", "--plain")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("vmo: unknown routine 'no-such-routine'") and len(r.stderr.splitlines()) == 1


def test_invalid_routine_file_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nsteps:\n  - name: X\n    hold: thirty\n")
    r = run_vmo("play", str(bad), "--plain")
    assert r.returncode == 1 and r.stdout == ""
    assert "hold" in r.stderr and "Traceback" not in r.stderr


def test_without_plain_and_without_the_ui_falls_back_with_a_notice(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from player.cli import main

    monkeypatch.setitem(sys.modules, "player.ui", None)  # makes `import player.ui` fail
    assert main(["play", SHORT, "--speed", "200", "--mute"]) == 0
    out, err = capsys.readouterr()
    assert err == "vmo: the terminal UI is not available; playing as plain text\n"
    assert "finish  Complete: Short test routine" in out


# ----- a real terminal -----


class Terminal:
    """The command on a pseudo-terminal, as its controlling terminal, like a user's shell runs it."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")  # 24 x 80
        self.before = termios.tcgetattr(self.slave)
        env = dict(os.environ, VMO_DATA_DIR=str(data_dir), TERM="xterm")
        env.pop("VMO_ROUTINES", None)

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            vmo_command() + list(args), cwd=REPO, env=env, stdin=self.slave, stdout=self.slave,
            stderr=self.slave, preexec_fn=controlling_terminal,
        )
        self.seen = b""

    def expect(self, text: str, count: int = 1, timeout: float = 20.0) -> None:
        """Read until `text` has appeared `count` times (the timeout only guards against a hang)."""
        end = time.monotonic() + timeout
        while self.seen.count(text.encode()) < count:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never appeared in {self.seen[-2000:]!r}")
            if select.select([self.master], [], [], left)[0]:
                try:
                    self.seen += os.read(self.master, 4096)
                except OSError:
                    break
        assert self.seen.count(text.encode()) >= count, self.seen[-2000:]

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self) -> int:
        status = self.proc.wait(timeout=20)
        try:
            while select.select([self.master], [], [], 0.2)[0]:
                self.seen += os.read(self.master, 4096)
        except OSError:
            pass
        return status

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def terminal(data_dir: Path):  # type: ignore[no-untyped-def]
    made: list[Terminal] = []

    def start(*args: str) -> Terminal:
        t = Terminal(data_dir, *args)
        made.append(t)
        return t

    yield start
    for t in made:
        t.close()


def test_terminal_keys_pause_resume_skip_quit_and_restore(terminal) -> None:  # type: ignore[no-untyped-def]
    t = terminal("play", SHORT, "--plain", "--mute")
    t.expect("Keys: space pause/resume")
    t.expect("prepare  Quad set")
    t.send(b" ")
    t.expect("00:00  paused")
    assert termios.tcgetattr(t.slave)[3] & termios.ECHO == 0  # cbreak while playing
    t.send(b" ")
    t.expect("resumed")
    t.send(b"n")
    t.expect("work  Quad set · left · hold 1/2")
    t.send(b"+")
    t.expect("+10 s, ")
    t.send(b"q")
    assert t.finish() == 0
    t.expect("Stopped: Short test routine at work Quad set")
    assert b"\r\x1b[2K" in t.seen  # the live line
    assert termios.tcgetattr(t.slave) == t.before


@pytest.mark.parametrize("how, status", [("ctrl-c", 130), ("sigterm", 143)])
def test_terminal_is_restored_after_ctrl_c_and_sigterm(terminal, how: str, status: int) -> None:  # type: ignore[no-untyped-def]
    t = terminal("play", SHORT, "--plain", "--mute")
    t.expect("prepare  Quad set")
    if how == "ctrl-c":
        t.send(b"\x03")  # the terminal turns it into SIGINT: cbreak keeps signals on
    else:
        t.proc.send_signal(signal.SIGTERM)
    assert t.finish() == status
    t.expect("Stopped (")
    assert b"Traceback" not in t.seen
    assert termios.tcgetattr(t.slave) == t.before


def test_terminal_manual_segment_and_easing_question(terminal) -> None:  # type: ignore[no-untyped-def]
    t = terminal("play", SHORT, "--plain", "--mute", "--speed", "20")
    t.expect("manual  Calf raises · 10 reps · own pace · Enter when done")
    t.send(b"\r")
    t.expect("rest  Rest")
    t.expect("Is it easing? (y = yes, n = no)")
    t.send(b"n")
    t.expect("not easing yet")
    t.expect("again (2)")
    t.expect("Is it easing? (y = yes, n = no)", count=2)
    t.send(b"y")
    assert t.finish() == 0
    t.expect("easing: moving on")
    t.expect("finish  Complete")


def test_terminal_asks_pain_before_and_after_and_records_it(terminal, tmp_path: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    routine = tmp_path / "pain.yaml"
    routine.write_text("name: Pain test\nask_pain: true\nsteps:\n  - name: Quad set\n    hold: 1\n    prepare: 0\n")
    t = terminal("play", str(routine), "--plain", "--mute")
    t.expect("Pain right now, 0 (none) to 10 (worst)? Enter to skip: ")
    t.send(b"eleven\r")
    t.expect("expected a whole number from 0 to 10, or Enter to skip, got 'eleven'")
    t.send(b"3\r")
    t.expect("work  Quad set")
    t.expect("Pain now, after the routine, 0 to 10? Enter to skip: ")
    t.send(b"\r")  # Enter skips
    assert t.finish() == 0
    [line] = (data_dir / "history.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert (record["pain_before"], record["pain_after"], record["completed"]) == (3, None, True)
