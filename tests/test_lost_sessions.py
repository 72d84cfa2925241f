"""Sessions are never lost and terminals never left broken: hang-ups, closed pipes, signals (issue 13: 4, 7).

From outside: the installed `vmo` in a private tmux server, a pty, or with a closed pipe for stdout.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from test_ui_terminal import OVERALL, SHORT, VMO, Tmux, assert_sane

from player.history import read_history
from tests.conftest import vmo_command

PLAIN = """\
id: plain-short
name: Plain test
steps:
  - name: March on the spot
    duration: 20s
    prepare: 2s
  - name: Calf raise
    duration: 20s
  - name: Heel walk
    duration: 20s
"""

pytestmark = pytest.mark.skipif(not VMO.exists(), reason="needs the installed vmo")


def env_for(data_dir: Path, **more: str) -> dict[str, str]:
    env = dict(os.environ, VMO_DATA_DIR=str(data_dir), **more)
    env.pop("VMO_ROUTINES", None)
    env.pop("TMUX", None)
    return env


def closed_pipe() -> int:
    """The write end of a pipe whose reader is already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


def test_plain_player_with_a_closed_pipe_records_and_says_so(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "r.yaml").write_text(PLAIN)
    for args in (["play", "--plain", "--mute", str(tmp_path / "r.yaml")], ["cramp", "--plain", "--mute", "calf"]):
        out = closed_pipe()
        result = subprocess.run(vmo_command() + args, stdout=out, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env=env_for(data_dir), timeout=30)
        os.close(out)
        assert result.returncode == 141, result.stderr
        assert "Traceback" not in result.stderr
        assert "vmo: the output was closed: the " in result.stderr and "recorded\n" in result.stderr
    records = read_history(data_dir / "history.jsonl")
    assert [(r.routine_id, r.completed) for r in records] == [("plain-short", False), ("cramp-calf", False)]


def test_plain_player_with_stdout_closed_records(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "r.yaml").write_text(PLAIN)
    result = subprocess.run(
        ["sh", "-c", f"exec {VMO} play --plain --mute {tmp_path / 'r.yaml'} >&- </dev/null"],
        stderr=subprocess.PIPE, text=True, env=env_for(data_dir), timeout=30,
    )
    assert result.returncode == 141 and "Traceback" not in result.stderr, result.stderr
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed


def test_head_stops_the_plain_player_where_it_was(tmp_path: Path, data_dir: Path) -> None:
    """`vmo play --plain x | head -3`: the record says where it stopped (it said `stopped_at: null`)."""
    (tmp_path / "r.yaml").write_text(PLAIN)
    proc = subprocess.Popen(vmo_command() + ["play", "--plain", "--mute", "--speed", "10", str(tmp_path / "r.yaml")],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env_for(data_dir))
    assert proc.stdout is not None and proc.stderr is not None
    lines = [proc.stdout.readline() for _ in range(3)]
    proc.stdout.close()
    assert proc.wait(timeout=30) == 141
    assert b"Traceback" not in proc.stderr.read()
    assert lines[0].startswith(b"Plain test")
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed and record.stopped_at is not None
    assert record.stopped_at.exercise in ("March on the spot", "Calf raise")


def test_check_keeps_its_verdict_when_the_pipe_closes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: [unclosed\n")
    for fmt in ("text", "json", "github"):
        out = closed_pipe()
        result = subprocess.run(vmo_command() + ["check", "--format", fmt, str(bad)], stdout=out,
                                stderr=subprocess.PIPE, text=True, timeout=30)
        os.close(out)
        assert result.returncode == 1, (fmt, result.stderr)
        assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


@pytest.mark.parametrize("term", ["dumb", "xterm-256color"])
def test_plain_status_line_only_where_the_terminal_can_take_it(tmp_path: Path, data_dir: Path, term: str) -> None:
    (tmp_path / "r.yaml").write_text(PLAIN)
    pid, fd = pty.fork()
    if pid == 0:  # the child: vmo on a pseudo-terminal
        os.execve(str(VMO), [str(VMO), "play", "--plain", "--mute", "--speed", "30", str(tmp_path / "r.yaml")],
                  env_for(data_dir, TERM=term))
    output = b""
    deadline = time.monotonic() + OVERALL
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.WEXITSTATUS(status) == 0
    assert b"Complete: Plain test" in output
    if term == "dumb":
        assert b"\x1b[" not in output and b"\r\x1b" not in output
    else:
        assert b"\r\x1b[2K" in output  # the live line is drawn where it can be (so the test above means something)


def test_plain_cramp_under_term_dumb_draws_no_status_codes(data_dir: Path) -> None:
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(str(VMO), [str(VMO), "cramp", "--plain", "--mute", "--speed", "1000", "calf"],
                  env_for(data_dir, TERM="dumb"))
    output = b""
    deadline = time.monotonic() + OVERALL
    next_key = 0.0
    while time.monotonic() < deadline:
        if time.monotonic() >= next_key:
            os.write(fd, b"y")  # yes, it eased / next step
            next_key = time.monotonic() + 0.2
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.WEXITSTATUS(status) == 0, output[-500:]
    assert b"Cramp: " in output
    assert b"\x1b[" not in output and b"\r\x1b" not in output


def _tmux_run(tmux: Tmux, command: str, pidfile: Path) -> None:
    tmux.type(f"sh -c 'echo $$ > {pidfile}; exec {command}'; echo EXIT=$?")


@pytest.fixture
def pane(data_dir: Path) -> Tmux:
    made = Tmux(env_for(data_dir, PS1="$ "))
    yield made  # type: ignore[misc]
    made.kill()


@pytest.mark.parametrize("which", ["play", "cramp"])
def test_sighup_to_a_plain_player_records(pane: Tmux, tmp_path: Path, data_dir: Path, which: str) -> None:
    deadline = time.monotonic() + OVERALL
    (tmp_path / "r.yaml").write_text(PLAIN)
    pidfile = tmp_path / "pid"
    args = f"play --plain --mute {tmp_path / 'r.yaml'}" if which == "play" else "cramp --plain --mute calf"
    _tmux_run(pane, f"{VMO} {args}", pidfile)
    pane.wait_for(r"left", deadline)
    os.kill(int(pidfile.read_text()), signal.SIGHUP)
    shown = pane.wait_for(r"EXIT=129", deadline)
    assert "Stopped (hung up)" in shown
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed and record.stopped_at is not None
    assert_sane(pane, deadline)


def test_external_sigint_to_the_ui_is_130(pane: Tmux, tmp_path: Path, data_dir: Path) -> None:
    deadline = time.monotonic() + OVERALL
    (tmp_path / "short.yaml").write_text(SHORT)
    pidfile = tmp_path / "pid"
    _tmux_run(pane, f"{VMO} play {tmp_path / 'short.yaml'} --mute", pidfile)
    pane.wait_for(r"Read me first\.", deadline)
    pane.send("Enter")
    pane.wait_for(r"GET READY|WORK", deadline)
    os.kill(int(pidfile.read_text()), signal.SIGINT)
    pane.wait_for(r"EXIT=130", deadline)
    assert_sane(pane, deadline)
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed


@pytest.mark.parametrize("which", ["play", "cramp"])
def test_kill_hup_with_the_terminal_open_restores_it(pane: Tmux, tmp_path: Path, data_dir: Path, which: str) -> None:
    deadline = time.monotonic() + OVERALL
    (tmp_path / "short.yaml").write_text(SHORT)
    pidfile = tmp_path / "pid"
    args = f"play {tmp_path / 'short.yaml'} --mute" if which == "play" else "cramp calf --mute"
    _tmux_run(pane, f"{VMO} {args}", pidfile)
    if which == "play":
        pane.wait_for(r"Read me first\.", deadline)
        pane.send("Enter")
        pane.wait_for(r"GET READY|WORK", deadline)
    else:
        while not pane.alternate_on():  # the cramp screen is up
            assert time.monotonic() < deadline, pane.screen()
            time.sleep(0.05)
        time.sleep(0.5)
    assert pane.alternate_on()
    os.kill(int(pidfile.read_text()), signal.SIGHUP)
    pane.wait_for(r"EXIT=129", deadline)
    flags = pane._tmux("display-message", "-p", "-t", "t", "#{mouse_any_flag}#{mouse_standard_flag}#{mouse_sgr_flag}")
    assert flags.strip() == "000", "mouse reporting is still on"
    assert_sane(pane, deadline)
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed
