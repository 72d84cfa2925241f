"""Outside text never reaches a terminal raw, and no command crashes in a non-UTF-8 locale (issue 13: 5, 6)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.history import SessionRecord, StoppedAt, encode
from player.terminal import json_safe, sanitize
from tests.conftest import run_vmo, vmo_command

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202eeman\u2066\x9b"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")

ROUTINE = """id: {id}
name: "{name}"
category: warm-up
summary: "Short… and sweet — with Ж and →"
steps:
  - name: "March {name}"
    duration: 10s
"""


def assert_safe(text: str) -> None:
    assert not any(ch in text for ch in RAW), repr(text)


def test_sanitize_escapes_every_kind_visibly() -> None:
    assert sanitize("a\x1bb\x07c\x7fd\x9be\u202ef\u2066g\u200eh\u2028i") == (
        "aU+001BbU+0007cU+007FdU+009BeU+202EfU+2066gU+200EhU+2028i"
    )
    assert sanitize("two\nlines\tand tab") == "two\nlines\tand tab"
    assert sanitize("two\nlines\tand tab", one_line=True) == "twoU+000AlinesU+0009and tab"


def test_json_safe_keeps_the_data() -> None:
    data = {"name": "x\x9by\u202ez\x7f", "n": [1, "\u2028"]}
    shown = json_safe(json.dumps(data, ensure_ascii=False))
    assert_safe(shown)
    assert json.loads(shown) == data


def test_check_never_prints_a_hostile_file_name_raw(tmp_path: Path) -> None:
    bad = tmp_path / f"evil{HOSTILE}.yaml"
    bad.write_text("id: x\nname: [unclosed\n")
    for fmt in ("text", "github", "json"):
        result = run_vmo("check", "--format", fmt, str(bad))
        assert result.returncode == 1, result.stderr
        assert_safe(result.stdout + result.stderr)
        assert "U+001B]0;pwnedU+0007" in result.stdout or fmt == "json"
    data = json.loads(run_vmo("check", "--format", "json", str(bad)).stdout)
    assert data["problems"][0]["file"] == str(bad)  # the JSON keeps the real name, escaped


def test_history_show_and_list_escape_outside_text(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "bidi.yaml").write_text(ROUTINE.format(id="bidi", name="Evil\u202eeman\u2066"), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    start = datetime(2025, 3, 3, 8, tzinfo=timezone.utc)
    record = SessionRecord(
        start=start, end=start + timedelta(minutes=1), routine_id=f"id{HOSTILE}", routine_name=f"name{HOSTILE}",
        file_hash=None, planned_seconds=60.0, played_seconds=20.0, segments_total=3, segments_done=1,
        segments_skipped=0, completed=False, stopped_at=StoppedAt(f"ex{HOSTILE}", 1),
    )
    (data / "history.jsonl").write_bytes(encode(record))
    env = {"VMO_DATA_DIR": str(data)}
    for args in (
        ("history",), ("history", "--csv"), ("history", "--json"),
        ("show", str(folder / "bidi.yaml")), ("show", "--json", str(folder / "bidi.yaml")),
        ("list", "--routines", str(folder)), ("list", "--json", "--routines", str(folder)),
    ):
        result = run_vmo(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        assert_safe(result.stdout + result.stderr)
    table = run_vmo("history", env=env).stdout
    assert "idU+001B]0;pwnedU+0007U+001B[2JU+202EemanU+2066U+009B" in table
    assert "EvilU+202EemanU+2066" in run_vmo("show", str(folder / "bidi.yaml")).stdout
    assert json.loads(run_vmo("history", "--json", env=env).stdout)[0]["routine_id"] == f"id{HOSTILE}"


@pytest.fixture(scope="module")
def latin1(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An ISO-8859-1 locale generated with localedef (not installed on the system)."""
    if shutil.which("localedef") is None:
        pytest.skip("localedef is not installed, so no ISO-8859-1 locale can be generated")
    where = tmp_path_factory.mktemp("locale")
    made = subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(where / "en_US.ISO-8859-1")],
        capture_output=True, text=True,
    )
    if not (where / "en_US.ISO-8859-1" / "LC_CTYPE").exists():
        pytest.skip(f"localedef could not generate an ISO-8859-1 locale: {made.stderr.strip()}")
    env = {"LOCPATH": str(where), "LC_ALL": "en_US.ISO-8859-1", "LANG": "en_US.ISO-8859-1"}
    env.pop("PYTHONIOENCODING", None)
    probe = subprocess.run(
        ["python3", "-c", "import sys; print(sys.stdout.encoding)"], env=dict(os.environ, **env),
        capture_output=True, text=True,
    )
    assert probe.stdout.strip() == "iso8859-1", probe
    return env


def test_no_command_crashes_in_a_latin1_locale(tmp_path: Path, latin1: dict[str, str]) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    routine = folder / "wide.yaml"
    routine.write_text(ROUTINE.format(id="wide", name="Übung Ж → …"), encoding="utf-8")
    broken = folder / "broken-Ж.yaml"
    broken.write_text("id: broken\nname: " + "long text " * 30 + "\nsteps: 3\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    start = datetime(2025, 3, 3, 8, tzinfo=timezone.utc)
    record = SessionRecord(
        start=start, end=start + timedelta(minutes=1), routine_id="wide", routine_name="Übung Ж → …",
        file_hash=None, planned_seconds=60.0, played_seconds=20.0, segments_total=3, segments_done=1,
        segments_skipped=0, completed=True,
    )
    (data / "history.jsonl").write_bytes(encode(record) + b"torn")
    env = dict(latin1, VMO_DATA_DIR=str(data), PYTHONIOENCODING="")
    runs = {
        ("show", str(routine)): 0, ("list", "--routines", str(folder)): 0, ("history",): 0,
        ("history", "--csv"): 0, ("history", "--json"): 0, ("check", str(folder)): 1,
        ("export", str(routine)): 0, ("show", "--json", str(routine)): 0,
    }
    full_env = dict(os.environ, **env)
    full_env.pop("VMO_ROUTINES", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            vmo_command() + list(args), env=full_env, capture_output=True, encoding="latin-1", timeout=60,
        )

    for args, code in runs.items():
        result = run(*args)
        assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr, (args, result.stderr)
        assert result.returncode == code, (args, result.stderr)
    shown = run("show", str(routine)).stdout
    assert "Übung \\u0416 -> ... (wide)" in shown  # Latin-1 kept, an ASCII stand-in or an escape for the rest


def test_the_ui_draws_ascii_in_a_latin1_terminal(tmp_path: Path, latin1: dict[str, str]) -> None:
    """The countdown and bars are ASCII, not `\\u2501` escapes, when the terminal is not UTF-8 (tmux)."""
    import re
    import time

    from test_ui_terminal import OVERALL, VMO, Tmux

    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    routine = tmp_path / "ui.yaml"
    routine.write_text(
        'id: ui-short\nname: "Ascii → test"\nsafety: ["Read me first…"]\n'
        "steps:\n  - name: March on the spot\n    duration: 30s\n    prepare: 3s\n",
        encoding="utf-8",
    )
    env = dict(os.environ, VMO_DATA_DIR=str(tmp_path), PS1="$ ")
    env.pop("TMUX", None)
    pane = Tmux(env)
    deadline = time.monotonic() + OVERALL
    locale = " ".join(f"{k}={v}" for k, v in latin1.items())
    try:
        pane.type(f"env {locale} {VMO} play {routine} --mute; echo EXIT=$?")
        pane.wait_for(r"Read me first", deadline)
        pane.send("Enter")
        pane.wait_for(r"\|_\|", deadline)  # the bottom row of an ASCII 0 (the 0:0x countdown)
        shown = pane.wait_for(r"=+-{10,}", deadline)  # a bar: done, then to do
        assert "\\u25" not in shown and "\\u2" not in shown, shown
        assert re.search(r"\+-{20,}\+", shown), shown  # the panel's border, one cell per cell
    finally:
        pane.kill()


def test_export_to_a_terminal_shows_bidi_visibly(tmp_path: Path, data_dir: Path) -> None:
    """On a pty, `vmo export` (Markdown to stdout) escapes outside text; to a pipe it is the document as is."""
    import pty
    import select

    from tests.conftest import vmo_command

    routine = tmp_path / "bidi.yaml"
    routine.write_text(ROUTINE.format(id="bidi", name="Evil\u202eeman"), encoding="utf-8")
    piped = run_vmo("export", str(routine))
    assert piped.returncode == 0 and "Evil\u202eeman" in piped.stdout
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(vmo_command()[0], vmo_command() + ["export", str(routine)], dict(os.environ))
    output = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    text = output.decode("utf-8", "replace")
    assert "EvilU+202Eeman" in text
    assert_safe(text.replace("\r\n", "\n"))
