"""The history survives real play: `kill -9` mid-routine keeps earlier records; Ctrl-C records a stopped session."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from player.history import encode, parse_history
from tests.conftest import REPO, vmo_command

SHORT = """\
name: Short
id: short
steps:
  - name: Quad set
    duration: 20s
    prepare: 5s
"""

LONG = """\
name: Long
id: long
steps:
  - name: Wall sit
    duration: 10m
    prepare: 5s
"""


def start_vmo(data: Path, routine: Path, *extra: str) -> subprocess.Popen[str]:
    """`vmo play ROUTINE --plain --mute` with its own data folder, output piped line by line."""
    env = dict(os.environ, VMO_DATA_DIR=str(data))
    env.pop("VMO_ROUTINES", None)
    return subprocess.Popen(
        vmo_command() + ["play", str(routine), "--plain", "--mute", *extra],
        cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_line(proc: subprocess.Popen[str], needle: str) -> list[str]:
    """Read the player's output until a line contains `needle` (the player is then mid-routine)."""
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"the player ended before printing {needle!r}: {seen!r}")


@pytest.fixture
def routines(tmp_path: Path) -> tuple[Path, Path]:
    short, long = tmp_path / "short.yaml", tmp_path / "long.yaml"
    short.write_text(SHORT)
    long.write_text(LONG)
    return short, long


def play_short(data: Path, short: Path) -> bytes:
    """Play the short routine to its end at speed 100; return the history file's bytes."""
    proc = start_vmo(data, short, "--speed", "100")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    history = (data / "history.jsonl").read_bytes()
    (record,) = parse_history(history).records
    assert record.completed and record.routine_id == "short" and record.speed == 100
    assert history == encode(record)
    return history


def test_kill_9_mid_routine_leaves_earlier_records_intact(tmp_path: Path, routines: tuple[Path, Path]) -> None:
    short, long = routines
    data = tmp_path / "data"
    before = play_short(data, short)
    proc = start_vmo(data, long, "--speed", "10")
    try:
        wait_for_line(proc, "Wall sit · 10 min")  # the work segment has begun
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    after = (data / "history.jsonl").read_bytes()
    assert after.startswith(before)
    found = parse_history(after)
    assert [r.routine_id for r in found.records] == ["short"]
    assert found.skipped_lines in ([], [after.count(b"\n") + 1])  # a torn last line at most


def test_ctrl_c_mid_routine_records_a_stopped_session(tmp_path: Path, routines: tuple[Path, Path]) -> None:
    short, long = routines
    data = tmp_path / "data"
    before = play_short(data, short)
    proc = start_vmo(data, long, "--speed", "10")
    try:
        wait_for_line(proc, "Wall sit · 10 min")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    after = (data / "history.jsonl").read_bytes()
    assert after.startswith(before)
    found = parse_history(after)
    assert found.skipped_lines == []
    first, second = found.records
    assert (second.routine_id, second.routine_name, second.completed) == ("long", "Long", False)
    assert second.stopped_at is not None and second.stopped_at.exercise == "Wall sit"
    assert second.stopped_at.segment_index == 1
    assert second.segments_total == 2 and second.segments_done == 1
    assert second.planned_seconds == 605.0 and 5.0 <= second.played_seconds < 605.0
    assert second.file_hash is not None and len(second.file_hash) == 64
    assert second.player == "plain" and second.speed == 10
    assert second.start <= second.end and second.start.utcoffset() is not None


def test_playing_goes_on_when_the_history_cannot_be_written(tmp_path: Path, routines: tuple[Path, Path]) -> None:
    short, _long = routines
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    proc = start_vmo(blocker / "data", short, "--speed", "100")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "finish" in out
    warnings = [line for line in err.splitlines() if "session history" in line]
    assert len(warnings) == 1 and warnings[0].startswith("vmo: warning: cannot write the session history ")
