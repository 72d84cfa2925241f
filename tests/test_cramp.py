"""`vmo cramp` without a screen: muscles, the routine cache, episode facts, and the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import signal
import sys
import time
from pathlib import Path

import pytest

from player.cramp import (
    MUSCLES,
    CrampEpisode,
    DeferredCues,
    RoutineCache,
    clock_text,
    cramp_routine_path,
    elapsed_text,
    list_lines,
    load_cramp_routine,
    resolve_muscle,
)
from player.engine import Session
from player.errors import UsageError
from player.events import CueFired, Event
from player.loader import load_routine
from player.timeline import compile_timeline

from conftest import REPO, run_vmo

VMO = Path(sys.executable).parent / "vmo"


# ----- muscles -----


@pytest.mark.parametrize(
    ("typed", "muscle"),
    [
        (None, "quadriceps"), ("quadriceps", "quadriceps"), ("quad", "quadriceps"), ("QUADS", "quadriceps"),
        ("vmo", "quadriceps"), ("thigh", "quadriceps"), ("1", "quadriceps"),
        ("hamstring", "hamstring"), ("hamstrings", "hamstring"), ("back thigh", "hamstring"), ("2", "hamstring"),
        ("calf", "calf"), ("calves", "calf"), ("lower_leg", "calf"), ("3", "calf"),
    ],
)
def test_muscle_names_and_aliases(typed: str | None, muscle: str) -> None:
    assert resolve_muscle(typed).name == muscle


def test_unknown_muscle_is_one_usage_line() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_muscle("elbow\x1b[31m")
    assert str(caught.value) == (
        "cramp: unknown muscle 'elbow\\x1b[31m'; choose quadriceps, hamstring, calf (see 'vmo cramp --list')"
    )


def test_every_muscle_has_its_bundled_routine() -> None:
    for muscle in MUSCLES:
        routine = load_routine(cramp_routine_path(muscle))
        assert routine.id == f"cramp-{muscle.name}"
        assert routine.category == "cramp"


@pytest.mark.parametrize("muscle", [m.name for m in MUSCLES])
def test_the_first_segment_is_the_until_eased_hold(muscle: str) -> None:
    # The first frame must already be the hold counting: no setup step, no get-ready pause.
    segments = compile_timeline(load_routine(cramp_routine_path(muscle))).segments
    first = segments[0]
    assert first.kind == "work" and first.until_eased and first.seconds == 30.0
    assert first.step is not None and "Stop running" in (first.step.instructions or "")


def test_clock_and_elapsed_text() -> None:
    assert [clock_text(s) for s in (30, 29.2, 9.0, 0.4, 0, 60, 90, 600)] == [
        "30", "30", "9", "1", "0", "1:00", "1:30", "10:00",
    ]
    assert [elapsed_text(s) for s in (0, 59.9, 61, 600)] == ["0:00", "0:59", "1:01", "10:00"]


# ----- the routine cache -----


@pytest.fixture
def cache(data_dir: Path) -> RoutineCache:
    return RoutineCache(data_dir / "cache")


def test_cached_routine_equals_the_loaded_one(data_dir: Path) -> None:
    for muscle in MUSCLES:
        fresh = load_routine(cramp_routine_path(muscle))
        first = load_cramp_routine(muscle)  # miss: loads and stores
        assert (data_dir / "cache" / f"routine-cramp-{muscle.name}.json").is_file()
        second = load_cramp_routine(muscle)  # hit
        assert first == fresh and second == fresh


def test_cache_entry_is_ignored_when_the_file_changes(cache: RoutineCache, tmp_path: Path) -> None:
    path = tmp_path / "quadriceps.yaml"
    path.write_text(cramp_routine_path("quadriceps").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(cramp_routine_path("quadriceps").parent / "pictures", tmp_path / "pictures")
    routine = load_routine(path)
    cache.put("cramp-test", path, routine)
    assert cache.get("cramp-test") == routine
    path.write_text(path.read_text(encoding="utf-8").replace("hold: 30s", "hold: 20s"), encoding="utf-8")
    assert cache.get("cramp-test") is None


def test_a_file_edited_during_its_load_is_not_cached(cache: RoutineCache, tmp_path: Path) -> None:
    path = tmp_path / "quadriceps.yaml"
    text = cramp_routine_path("quadriceps").read_text(encoding="utf-8")
    shutil.copytree(cramp_routine_path("quadriceps").parent / "pictures", tmp_path / "pictures")
    path.write_text(text, encoding="utf-8")
    routine = load_routine(path)
    path.write_text(text.replace("hold: 30s", "hold: 20s"), encoding="utf-8")  # saved before `put`
    cache.put("cramp-test", path, routine)
    assert cache.get("cramp-test") is None
    path.write_text("\ufeff" + text, encoding="utf-8")  # a byte-order mark: the loader hashes past it
    with_bom = load_routine(path)
    cache.put("cramp-test", path, with_bom)
    assert cache.get("cramp-test") == with_bom


@pytest.mark.parametrize(
    "damage",
    ["", "not json", "[]", '{"key": "old"}', None],
    ids=["empty", "not-json", "list", "old-key", "wrong-type"],
)
def test_a_damaged_cache_entry_is_a_miss(cache: RoutineCache, damage: str | None) -> None:
    path = cramp_routine_path("calf")
    routine = load_routine(path)
    cache.put("cramp-calf", path, routine)
    entry = cache.folder / "routine-cramp-calf.json"
    if damage is None:  # right key, but a type that is not part of the model
        data = json.loads(entry.read_text())
        data["routine"]["@"] = "os.system"
        entry.write_text(json.dumps(data))
    else:
        entry.write_text(damage)
    assert cache.get("cramp-calf") is None


def test_an_unwritable_cache_folder_never_stops_loading(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = RoutineCache(blocker / "cache")  # a folder under a file cannot be made
    path = cramp_routine_path("hamstring")
    cache.put("cramp-hamstring", path, load_routine(path))
    assert cache.get("cramp-hamstring") is None


# ----- episode facts -----


def test_episode_facts_from_the_engine() -> None:
    routine = load_routine(cramp_routine_path("quadriceps"))
    session = Session(compile_timeline(routine))
    episode = CrampEpisode("quadriceps")
    episode.observe(session.start(100.0))
    assert episode.in_hold and episode.holds == 1
    episode.observe(session.advance(130.0))
    assert episode.asking
    episode.observe(session.answer_easing(False, 131.0))
    assert episode.holds == 2 and not episode.asking
    episode.observe(session.advance(161.0))
    episode.observe(session.answer_easing(True, 165.0))
    facts = episode.facts()
    assert (facts.muscle, facts.eased_after_seconds, facts.escalated, facts.holds) == ("quadriceps", 65.0, False, 2)


def test_episode_escalates_after_ten_minutes_and_scales_with_speed() -> None:
    routine = load_routine(cramp_routine_path("calf"))
    session = Session(compile_timeline(routine), speed=10.0)
    episode = CrampEpisode("calf", speed=10.0)
    episode.observe(session.start(0.0))
    episode.observe(session.advance(3.0))  # 30 s at speed 10: asking
    episode.observe(session.advance(59.9))
    assert not episode.escalated
    episode.observe(session.advance(60.0))  # 600 routine seconds
    assert episode.escalated and episode.escalate_message and "urgent" in episode.escalate_message
    episode.observe(session.answer_easing(True, 61.0))
    assert episode.facts().eased_after_seconds == 610.0
    assert episode.elapsed(61.0) == 610.0


def test_deferred_cues_play_fresh_events_and_drop_stale_ones() -> None:
    class Player:
        def __init__(self) -> None:
            self.played: list[str] = []

        def handle(self, event: Event) -> None:
            self.played.append(f"{event.cue}@{event.at:g}")  # type: ignore[union-attr]

    now = [10.0]
    cues = DeferredCues(clock=lambda: now[0])
    cues.handle(CueFired("start", 0, 8.5))
    cues.handle(CueFired("countdown", 0, 9.5, count=3))
    player = Player()
    cues.attach(player)
    assert player.played == ["countdown@9.5"]  # the start cue is 1.5 s old: too late to be useful
    cues.handle(CueFired("countdown", 0, 10.5, count=2))
    assert player.played == ["countdown@9.5", "countdown@10.5"]
    assert cues.detach() is player
    cues.handle(CueFired("countdown", 0, 11.5, count=1))
    assert player.played == ["countdown@9.5", "countdown@10.5"]


# ----- the installed command -----


def test_cramp_is_a_command() -> None:
    result = run_vmo("--help")
    assert "cramp" in result.stdout


def test_list_names_the_muscles() -> None:
    result = run_vmo("cramp", "--list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == list_lines()
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["quadriceps", "hamstring", "calf"]


def test_unknown_muscle_exits_2_with_one_line() -> None:
    result = run_vmo("cramp", "elbow")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "vmo: cramp: unknown muscle 'elbow'; choose quadriceps, hamstring, calf (see 'vmo cramp --list')\n"
    )


def _history(data: Path) -> list[dict]:
    path = data / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _vmo(args: list[str], data: Path, input: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VMO_DATA_DIR": str(data)}
    env.pop("VMO_ROUTINES", None)
    return subprocess.run(
        [str(VMO), *args], cwd=REPO, env=env, input=input, capture_output=True, text=True, timeout=60,
    )


@pytest.fixture
def installed() -> Path:
    if not VMO.exists():
        pytest.skip(f"no installed vmo script at {VMO}")
    return VMO


def test_plain_mode_end_to_end(installed: Path, tmp_path: Path) -> None:
    result = _vmo(["cramp", "--plain", "--speed", "50", "--mute"], tmp_path, input="\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Cramp: front of thigh (quadriceps / VMO)"
    assert lines[1].startswith("  ! Gentle only, never into sharp pain.")
    # The first line after the short header is the hold, counting from 00:00.
    assert lines[3] == "00:00  work  Gentle front-of-thigh stretch · until it eases · 30 s"
    assert lines[4].strip().startswith("Stop running.")
    out = result.stdout
    assert "00:30  Is it easing?" in out
    assert "00:30  easing: moving on" in out
    assert "work  Gentle massage · 45 s" in out and "work  Easy test walk" in out
    assert "Done. Keep things easy for the next few hours" in out
    tail = out[out.index("Get medical help if any of these apply:"):]
    for flag in ("several muscles", "confusion", "vomiting", "cola-coloured urine", "one calf", "knee that locks"):
        assert flag in tail
    [record] = _history(tmp_path)
    assert record["routine_id"] == "cramp-quadriceps" and record["player"] == "plain"
    assert record["completed"] is True and record["speed"] == 50.0
    assert record["cramp"]["muscle"] == "quadriceps"
    assert 30.0 <= record["cramp"]["eased_after_seconds"] < 40.0  # answered as soon as asked
    assert record["cramp"]["escalated"] is False


def test_plain_mode_end_of_input_answers_yes(installed: Path, tmp_path: Path) -> None:
    result = _vmo(["cramp", "hams", "--plain", "--speed", "200", "--mute"], tmp_path, input="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Cramp: back of thigh (hamstring)"
    assert "work  Gentle back-of-thigh stretch · until it eases · 30 s" in result.stdout
    assert _history(tmp_path)[0]["cramp"]["muscle"] == "hamstring"


def test_without_a_terminal_it_plays_plain(installed: Path, tmp_path: Path) -> None:
    result = _vmo(["cramp", "calf", "--speed", "200", "--mute"], tmp_path, input="\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout  # no full-screen UI on a pipe
    assert "work  Gentle calf stretch · until it eases · 30 s" in result.stdout


# ----- a real terminal -----

_HEAVY_BOX = set("━┃┏┓┗┛╺╸╹╻┣┫┳┻╋")


def _has_digits(screen: str) -> bool:
    run = 0
    for line in screen.splitlines():
        chars = set(line.strip())
        run = run + 1 if chars and chars <= _HEAVY_BOX | {" "} else 0
        if run >= 3:
            return True
    return False


def test_tmux_first_frame_shows_the_countdown(installed: Path, tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = f"vmo-cramp-test-{os.getpid()}"
    command = f"VMO_DATA_DIR={tmp_path} {installed} cramp --mute; echo EXITED $?; sleep 30"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True)
    try:
        deadline = time.monotonic() + 30
        first = ""
        while time.monotonic() < deadline:
            shot = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True,
            ).stdout
            if shot.strip():
                first = shot
                break
        # The first frame that shows anything already shows the hold counting.
        assert _has_digits(first), first
        assert "Gentle front-of-thigh stretch  ·  hold 1" in first
        # tmux may show a frame while it is still being drawn: the key hint follows within moments.
        hint = "Space / Enter: it has eased    q: quit"
        shot = first
        while hint not in shot and time.monotonic() < deadline:
            shot = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True,
            ).stdout
        assert hint in shot, shot
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        while time.monotonic() < deadline:
            shot = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True,
            ).stdout
            if "EXITED" in shot:
                break
        assert "EXITED 0" in shot, shot
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    [record] = _history(tmp_path)
    assert record["routine_id"] == "cramp-quadriceps" and record["player"] == "ui"
    assert record["cramp"] == {"muscle": "quadriceps", "eased_after_seconds": None, "escalated": False}


HYGIENE = """
import io, sys
sys.stdin = io.StringIO("")
from player.cli import main
code = main(["cramp", "--plain", "--speed", "1000", "--mute"])
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'miniaudio', 'simpleaudio'})
print(code, heavy, file=sys.stderr)
"""


def test_plain_mode_imports_neither_textual_nor_audio(tmp_path: Path) -> None:
    env = {**os.environ, "VMO_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", HYGIENE], cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.stderr.splitlines()[-1] == "0 []", result.stderr


def test_tmux_sigterm_records_and_leaves_the_terminal_sane(installed: Path, tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = f"vmo-cramp-term-{os.getpid()}"
    marker = tmp_path / "pid"
    command = f"echo $$ > {marker}; VMO_DATA_DIR={tmp_path} exec {installed} cramp --mute"
    wrapper = f"sh -c '{command}'; echo EXITED $?; stty -a | tr -s ' ' | grep -o -- '-\\?icanon\\|-\\?echo ' | tr '\\n' ' '; echo; sleep 30"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", wrapper], check=True)
    try:
        deadline = time.monotonic() + 30
        shot = ""
        while time.monotonic() < deadline and not _has_digits(shot):
            shot = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        assert _has_digits(shot), shot
        os.kill(int(marker.read_text()), signal.SIGTERM)
        while time.monotonic() < deadline and "icanon" not in shot.partition("EXITED")[2]:
            shot = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        assert "EXITED 143" in shot, shot
        modes = shot.split("EXITED 143", 1)[1]
        assert "icanon" in modes and "-icanon" not in modes and "echo" in modes and "-echo " not in modes, modes
        alternate = subprocess.run(["tmux", "display", "-p", "-t", session, "#{alternate_on}"],
                                   capture_output=True, text=True).stdout.strip()
        assert alternate == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    [record] = _history(tmp_path)
    assert record["routine_id"] == "cramp-quadriceps" and record["completed"] is False
