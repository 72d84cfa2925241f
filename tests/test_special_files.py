"""FIFOs, devices and links to them where vmo expects files (issue 13, defect 2), tried from outside.

Every command runs as the installed `vmo` with a timeout and a memory limit, so a
hang or a read that never ends fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from player.files import FileTooLarge, NotRegularFile, file_kind, open_append, read_limited
from tests.conftest import REPO, vmo_command

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")

MEMORY_LIMIT = 1 << 30  # address space: far above what any command needs, far below /dev/zero's end


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def vmo(*args: str, cwd: Path, data: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, VMO_DATA_DIR=str(data), VMO_AUDIO="none")
    env.pop("VMO_ROUTINES", None)
    return subprocess.run(
        vmo_command() + list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL, preexec_fn=_limit_memory,
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A library folder with a good routine, a FIFO named x.yaml and zero.yaml linked to /dev/zero."""
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(REPO / "routines" / "warm-up" / "quick-warm-up.yaml", lib / "good.yaml")
    shutil.copytree(REPO / "routines" / "warm-up" / "pictures", lib / "pictures")  # the pictures it names
    os.mkfifo(lib / "x.yaml")
    os.symlink("/dev/zero", lib / "zero.yaml")
    (tmp_path / "data").mkdir()
    return tmp_path


FIFO = "lib/x.yaml:1:1: error: cannot read the file: not a regular file (a FIFO)"
ZERO = "lib/zero.yaml:1:1: error: cannot read the file: not a regular file (a character device)"


def test_list_shows_special_files_as_invalid(hostile: Path) -> None:
    result = vmo("list", "--routines", "lib", cwd=hostile, data=hostile / "data")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "x                         invalid     " + FIFO in lines
    assert "zero                      invalid     " + ZERO in lines
    assert any(line.startswith("quick-warm-up ") for line in lines)


def test_check_folder_reports_special_files(hostile: Path) -> None:
    result = vmo("check", "lib", cwd=hostile, data=hostile / "data")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [FIFO, ZERO]


@pytest.mark.parametrize("name, line", [("x.yaml", FIFO), ("zero.yaml", ZERO)])
def test_check_of_a_special_file_named_on_the_command_line(hostile: Path, name: str, line: str) -> None:
    result = vmo("check", f"lib/{name}", cwd=hostile, data=hostile / "data")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == line


@pytest.mark.parametrize("command", ["show", "play"])
@pytest.mark.parametrize("rid, line", [("x", FIFO), ("zero", ZERO)])
def test_id_of_a_special_file_is_an_invalid_routine(hostile: Path, command: str, rid: str, line: str) -> None:
    extra = ["--plain"] if command == "play" else []
    result = vmo(command, rid, *extra, "--routines", "lib", cwd=hostile, data=hostile / "data")
    assert result.returncode == 1
    assert line in result.stderr.splitlines()


def test_id_lookup_passes_special_files_by(hostile: Path) -> None:
    # quick-warm-up's file is named good.yaml: finding it means looking into every file's text.
    result = vmo("show", "quick-warm-up", "--routines", "lib", cwd=hostile, data=hostile / "data")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Quick warm-up")


def test_settings_file_as_a_fifo(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    os.mkfifo(data / "settings.yaml")
    warning = f"{data / 'settings.yaml'}:1:1: error: cannot read the file: not a regular file (a FIFO)"
    history = vmo("history", cwd=REPO, data=data)
    assert history.returncode == 0
    assert warning in history.stderr.splitlines()
    played = vmo("play", "quick-warm-up", "--plain", "--speed", "1000", cwd=REPO, data=data)
    assert played.returncode == 0, played.stderr
    assert "Complete: Quick warm-up" in played.stdout
    cramp = vmo("cramp", "calf", "--plain", "--speed", "1000", cwd=REPO, data=data)
    assert cramp.returncode in (0, 130), cramp.stderr
    assert warning in cramp.stderr.splitlines()


def test_history_file_as_a_fifo(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    os.mkfifo(data / "history.jsonl")
    history = vmo("history", cwd=REPO, data=data)
    assert history.returncode == 0
    assert (
        f"vmo: warning: cannot read the session history {data / 'history.jsonl'}: not a regular file (a FIFO)"
        in history.stderr.splitlines()
    )
    played = vmo("play", "quick-warm-up", "--plain", "--speed", "1000", cwd=REPO, data=data)
    assert played.returncode == 0, played.stderr
    assert (
        f"vmo: warning: cannot write the session history {data / 'history.jsonl'} (not a regular file (a FIFO));"
        " this session is not recorded"
    ) in played.stderr.splitlines()


def test_library_screen_with_special_files(hostile: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = f"vmo-special-{os.getpid()}"
    command = " ".join(vmo_command()) + f" --routines lib; echo EXITED $?; sleep 30"
    env = ["-e", f"VMO_DATA_DIR={hostile / 'data'}", "-e", "VMO_AUDIO=none"]
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", "-c", str(hostile), *env, command],
        check=True,
    )
    try:
        deadline = time.monotonic() + 40
        shot = ""
        while time.monotonic() < deadline and "Quick warm-up" not in shot:
            time.sleep(0.2)
            shot = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        assert "Quick warm-up" in shot, shot
        subprocess.run(["tmux", "send-keys", "-t", session, "F10"], check=True)  # q would go to the filter
        while time.monotonic() < deadline and "EXITED" not in shot:
            time.sleep(0.2)
            shot = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        assert "EXITED 0" in shot, shot
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


# -- the reader itself --


def test_read_limited_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegularFile) as fifo:
        read_limited(tmp_path / "fifo", 10)
    assert fifo.value.strerror == "not a regular file (a FIFO)"
    with pytest.raises(NotRegularFile) as zero:
        read_limited("/dev/zero", 10)
    assert zero.value.strerror == "not a regular file (a character device)"
    with pytest.raises(NotRegularFile) as folder:
        read_limited(tmp_path, 10)
    assert folder.value.strerror == "not a regular file (a folder)"
    with pytest.raises(FileNotFoundError):
        read_limited(tmp_path / "missing", 10)


def test_read_limited_stops_at_the_limit(tmp_path: Path) -> None:
    (tmp_path / "ten").write_bytes(b"0123456789")
    assert read_limited(tmp_path / "ten", 10) == b"0123456789"
    with pytest.raises(FileTooLarge) as big:
        read_limited(tmp_path / "ten", 9)
    assert big.value.strerror == "the file is larger than 9 bytes"
    assert FileTooLarge("f", 1 << 20).strerror == "the file is larger than 1 MiB (1,048,576 bytes)"


def test_open_append_never_waits_for_a_reader(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegularFile):
        open_append(tmp_path / "fifo")
    fd = open_append(tmp_path / "new")
    os.close(fd)
    assert file_kind(tmp_path / "new") is None
    assert file_kind(tmp_path / "fifo") == "a FIFO"
    assert file_kind(tmp_path / "missing") == "missing"

