"""The installed `vmo play` in a real terminal (tmux): keys sent, the screen read, the terminal left sane.

Each test runs its own tmux server (-L) so nothing touches the user's sessions.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from test_ui_support import write_routine

from player.history import read_history

VMO = Path(sys.executable).parent / "vmo"
OVERALL = 60.0  # seconds: generous, for a loaded machine

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or not VMO.exists(), reason="needs tmux and installed vmo")

SHORT = """\
id: term-short
name: Terminal test
safety: ["Read me first."]
steps:
  - name: March on the spot
    duration: 30s
    prepare: 3s
  - name: Calf stretch
    hold: 15s
    reps: 2
    relax: 3s
    sides: both
    switch: 3s
"""


class Tmux:
    """One private tmux server with one 80x24 pane running a shell."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"vmo-test-{uuid.uuid4().hex[:8]}"
        self.env = env
        self._tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", "sh")

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=self.env,
                             timeout=30)
        return out.stdout

    def send(self, *keys: str) -> None:
        """Keys as tmux names them (Enter, Space, q)."""
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        """Type a line literally and press Enter."""
        self._tmux("send-keys", "-t", "t", "-l", text)
        self._tmux("send-keys", "-t", "t", "Enter")

    def screen(self, escapes: bool = False) -> str:
        """What the pane shows now."""
        return self._tmux("capture-pane", "-p", "-t", "t", *(["-e"] if escapes else []))

    def alternate_on(self) -> bool:
        """Whether the pane is in the alternate screen."""
        return self._tmux("display-message", "-p", "-t", "t", "#{alternate_on}").strip() == "1"

    def wait_for(self, pattern: str, deadline: float) -> str:
        """Poll the pane until `pattern` (a regex) shows, or fail at `deadline`."""
        while True:
            shown = self.screen()
            if re.search(pattern, shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {pattern!r}; the screen was:\n{shown}")
            time.sleep(0.05)

    def kill(self) -> None:
        self._tmux("kill-server")


@pytest.fixture
def tmux(data_dir: Path) -> Iterator[Tmux]:
    env = dict(os.environ, VMO_DATA_DIR=str(data_dir), PS1="$ ")
    env.pop("TMUX", None)
    env.pop("NO_COLOR", None)
    pane = Tmux(env)
    yield pane
    pane.kill()


def assert_sane(tmux: Tmux, deadline: float) -> None:
    """After vmo exits: out of the alternate screen, and the line discipline back to canonical with echo."""
    tmux.type("echo \"[$(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ')]\"")
    shown = tmux.wait_for(r"\[((?:-?(?:icanon|echo) )+)\]", deadline)
    found = re.findall(r"\[((?:-?(?:icanon|echo) )+)\]", shown)[-1]
    assert set(found.split()) == {"icanon", "echo"}, shown
    assert not tmux.alternate_on()


def test_play_to_the_summary_at_speed_30_and_quit(tmux: Tmux, tmp_path: Path, data_dir: Path) -> None:
    deadline = time.monotonic() + OVERALL
    path = write_routine(tmp_path, SHORT, "short.yaml")
    tmux.type(f"{VMO} play {path} --speed 30 --mute; echo EXIT=$?")
    tmux.wait_for(r"Read me first\.", deadline)
    assert tmux.alternate_on()
    tmux.send("Enter")
    shown = tmux.wait_for(r"WORK|GET READY|RELAX|SWITCH SIDES", deadline)
    assert "Terminal test" in shown
    shown = tmux.wait_for(r"Completed: Terminal test", deadline)
    assert "Segments skipped: none" in shown
    tmux.send("q")
    tmux.wait_for(r"EXIT=0", deadline)
    assert_sane(tmux, deadline)
    [record] = read_history(data_dir / "history.jsonl")
    assert record.completed and record.speed == 30 and record.player == "ui"


def test_keys_in_a_real_terminal_pause_next_and_quit_asks(tmux: Tmux, tmp_path: Path, data_dir: Path) -> None:
    deadline = time.monotonic() + OVERALL
    path = write_routine(tmp_path, SHORT, "short.yaml")
    tmux.type(f"{VMO} play {path} --mute; echo EXIT=$?")
    tmux.wait_for(r"Read me first\.", deadline)
    tmux.send("Space")  # space also dismisses the notes
    tmux.wait_for(r"GET READY", deadline)
    tmux.send("Space")
    tmux.wait_for(r"PAUSED · space to resume", deadline)
    tmux.send("n")
    shown = tmux.wait_for(r"WORK", deadline)
    assert "PAUSED" in shown  # moving while paused keeps the pause
    tmux.send("q")
    tmux.wait_for(r"Stop this routine\? y / n", deadline)
    tmux.send("y")
    tmux.wait_for(r"Stopped at March on the spot", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"EXIT=0", deadline)
    assert_sane(tmux, deadline)
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed and record.stopped_at.exercise == "March on the spot"


def test_sigterm_leaves_the_terminal_sane_and_records(tmux: Tmux, tmp_path: Path, data_dir: Path) -> None:
    deadline = time.monotonic() + OVERALL
    path = write_routine(tmp_path, SHORT, "short.yaml")
    pidfile = tmp_path / "pid"
    tmux.type(f"sh -c 'echo $$ > {pidfile}; exec {VMO} play {path} --mute'; echo EXIT=$?")
    tmux.wait_for(r"Read me first\.", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"GET READY|WORK", deadline)
    os.kill(int(pidfile.read_text()), 15)
    tmux.wait_for(r"EXIT=143", deadline)
    assert_sane(tmux, deadline)
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed


_GREYS = set(range(232, 256)) | {0, 7, 8, 15, 16, 231}  # xterm-256 grey ramp, black and white


def colours_shown(raw: str) -> set[tuple[int, ...]]:
    """Every colour in the pane's SGR escapes: (5, n) palette, (2, r, g, b) true colour, (n,) basic."""
    found: set[tuple[int, ...]] = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", raw):
        parts = [int(p) if p else 0 for p in params.split(";")]
        i = 0
        while i < len(parts):
            p = parts[i]
            if p in (38, 48) and i + 2 < len(parts) and parts[i + 1] == 5:
                found.add((5, parts[i + 2]))
                i += 3
            elif p in (38, 48) and i + 4 < len(parts) and parts[i + 1] == 2:
                found.add((2, *parts[i + 2:i + 5]))
                i += 5
            else:
                if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                    found.add((p,))
                i += 1
    return found


def is_grey(colour: tuple[int, ...]) -> bool:
    """A palette grey, an r == g == b colour, or basic black / white."""
    if len(colour) == 2:
        return colour[1] in _GREYS
    if len(colour) == 4:
        return colour[1] == colour[2] == colour[3]
    return colour[0] in (30, 37, 40, 47, 90, 97, 100, 107)


def screen_colours(tmux: Tmux, tmp_path: Path, prefix: str, deadline: float) -> set[tuple[int, ...]]:
    """The colours on the player's first screen for a command run with `prefix`."""
    path = write_routine(tmp_path, SHORT, "short.yaml")
    tmux.type(f"{prefix}{VMO} play {path} --mute; echo EXIT=$?")
    tmux.wait_for(r"Read me first\.", deadline)
    tmux.send("Enter")
    tmux.wait_for(r"GET READY", deadline)
    tmux.send("Space")
    tmux.wait_for(r"PAUSED", deadline)
    colours = colours_shown(tmux.screen(escapes=True))
    tmux.send("q")
    tmux.wait_for(r"Stop this routine", deadline)
    tmux.send("y")
    tmux.wait_for(r"Stopped at", deadline)
    tmux.send("q")
    tmux.wait_for(r"EXIT=0", deadline)
    tmux.type("clear")
    return colours


def test_no_color_means_only_greys(tmux: Tmux, tmp_path: Path) -> None:
    deadline = time.monotonic() + OVERALL
    coloured = screen_colours(tmux, tmp_path, "", deadline)
    assert any(not is_grey(c) for c in coloured), coloured  # the check can see colour
    plain = screen_colours(tmux, tmp_path, "NO_COLOR=1 ", deadline)
    assert plain and all(is_grey(c) for c in plain), sorted(plain)


def test_library_with_routines_option_filter_start_and_quit(tmux: Tmux, tmp_path: Path) -> None:
    deadline = time.monotonic() + OVERALL
    folder = tmp_path / "lib"
    write_routine(folder, SHORT, "short.yaml")
    write_routine(folder, "name: Broken\nsteps: nope\n", "broken.yaml")
    tmux.type(f"{VMO} --mute --routines {folder}; echo EXIT=$?")
    tmux.wait_for(r"Type to filter", deadline)
    tmux.send("-l", "broken")
    shown = tmux.wait_for(r"This file has errors and cannot be played", deadline)
    assert "Files with errors" in shown and "broken.yaml  invalid: 2:8:" in shown
    tmux.send("Escape")
    tmux.wait_for(r"Type to filter", deadline)  # ESC then a letter at once would read as Alt+letter
    tmux.send("-l", "term-short")
    shown = tmux.wait_for(r"Total time: 1 min 47 s", deadline)
    assert "Terminal test" in shown
    tmux.send("Enter")
    tmux.wait_for(r"Read me first\.", deadline)
    tmux.send("Escape")
    tmux.wait_for(r"term-short", deadline)
    tmux.send("F10")
    tmux.wait_for(r"EXIT=0", deadline)
    assert_sane(tmux, deadline)


def test_closing_the_terminal_ends_vmo_and_records(tmp_path: Path, data_dir: Path) -> None:
    """SIGHUP (the window closed): vmo records the session and leaves, rather than hang on a dead terminal."""
    env = dict(os.environ, VMO_DATA_DIR=str(data_dir))
    env.pop("TMUX", None)
    pane = Tmux(env)
    deadline = time.monotonic() + OVERALL
    path = write_routine(tmp_path, SHORT, "short.yaml")
    pidfile = tmp_path / "pid"
    try:
        pane.type(f"sh -c 'echo $$ > {pidfile}; exec {VMO} play {path} --mute'")
        pane.wait_for(r"Read me first\.", deadline)
        pane.send("Enter")
        pane.wait_for(r"GET READY|WORK", deadline)
        pid = int(pidfile.read_text())
    finally:
        pane.kill()
    while Path(f"/proc/{pid}").exists() and b"zombie" not in _state(pid):
        assert time.monotonic() < deadline, "vmo did not exit after its terminal closed"
        time.sleep(0.05)
    [record] = read_history(data_dir / "history.jsonl")
    assert not record.completed


def _state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes().lower()
    except FileNotFoundError:
        return b"zombie"
