"""`vmo` and `vmo play` outside a terminal: no full-screen UI is attempted."""

from __future__ import annotations

from pathlib import Path

from conftest import run_vmo
from test_ui_support import MANUAL, write_routine


def test_bare_vmo_without_a_terminal_says_what_to_do(data_dir: Path) -> None:
    result = run_vmo(env={"VMO_DATA_DIR": str(data_dir)})
    assert result.returncode == 2
    assert result.stderr == (
        "vmo: the library needs a terminal; 'vmo list' prints the routines, 'vmo --help' the commands\n"
    )
    assert result.stdout == ""


def test_vmo_play_into_a_pipe_plays_plain_text(tmp_path: Path, data_dir: Path) -> None:
    path = write_routine(tmp_path, MANUAL.replace("  - name: Lunges\n    reps: 8\n    prepare: 0\n", ""))
    result = run_vmo("play", str(path), "--speed", "100", "--mute", env={"VMO_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout  # no full-screen escape codes
    assert "Calf raise" in result.stdout
