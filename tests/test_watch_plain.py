"""`vmo play FILE --plain --watch` from outside: saves reload in place, errors show and playing goes on."""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from pathlib import Path

from conftest import vmo_command

ROUTINE = "name: Watched\nsteps:\n  - name: Quad set\n    hold: 2\n    reps: 30\n    relax: 0\n    prepare: 0\n"


def _save(path: Path, text: str) -> None:
    path.write_text(text)
    st = path.stat()  # make sure the stamp moves even on a coarse-clock filesystem
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


def _reader(stream, lines: "queue.Queue[str]") -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put("<eof>")


def _wait_for(lines: "queue.Queue[str]", needle: str, seen: list[str], timeout: float = 20) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return line
    raise AssertionError(f"{needle!r} not seen; output so far:\n" + "\n".join(seen))


def test_watch_reloads_in_place_and_shows_problems(tmp_path: Path) -> None:
    path = tmp_path / "watched.yaml"
    _save(path, ROUTINE)
    env = dict(os.environ, VMO_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.Popen(
        vmo_command() + ["play", str(path), "--plain", "--watch", "--mute", "--speed", "4"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        _wait_for(lines, f"Watching {path}: save it to reload; q quits.", seen)
        _wait_for(lines, "work  Quad set · hold 3/30", seen)
        _save(path, ROUTINE.replace("hold: 2", "hold: 3"))
        _wait_for(lines, f"-- {path} reloaded; carrying on at the same place", seen)
        started = _wait_for(lines, "work  Quad set · hold", seen)
        assert started.endswith("· 3 s")  # the new hold length, at the hold it had reached (not hold 1)
        assert " hold 1/30 " not in started
        _save(path, ROUTINE.replace("hold: 2", "hold: soon"))
        _wait_for(lines, f"-- {path} has errors; still playing the version before:", seen)
        problem = _wait_for(lines, "error:", seen)
        assert problem.strip() == f"{path}:4:11: error: steps[0].hold: expected a duration such as 30s, 1m30s or 0:45, got 'soon'"
        _save(path, "name: Short\nsteps:\n  - name: Quad set\n    hold: 1\n    prepare: 0\n")
        _wait_for(lines, "reloaded", seen)
        _wait_for(lines, "finish  Complete: Short", seen)
        proc.stdin.close()  # end of input quits a finished watch
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not (tmp_path / "data" / "history.jsonl").exists()  # previews are not recorded
