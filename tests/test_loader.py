"""Loader problems: each kind with its exact message and position; and what good files mean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from player.errors import RoutineInvalid
from player.loader import check_routine, load_routine

from conftest import FIXTURES, REPO, run_vmo

BAD = sorted((FIXTURES / "bad").glob("*.yaml"))


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_reports_exactly_the_expected_problems(path: Path) -> None:
    display = os.path.relpath(path, REPO)
    routine, problems = check_routine(path, display)
    assert routine is None
    expected = path.with_suffix(".expected").read_text(encoding="utf-8")
    assert "".join(f"{p}\n" for p in problems) == expected


def test_check_command_prints_every_problem_and_exits_1() -> None:
    result = run_vmo("check", "tests/fixtures/bad/wrong-types.yaml")
    assert result.returncode == 1
    assert result.stdout == (FIXTURES / "bad" / "wrong-types.expected").read_text()
    assert result.stderr == "1 file checked: 9 errors, 0 warnings in 1 file\n"


def test_spec_examples() -> None:
    text = (FIXTURES / "bad" / "unknown-key.expected").read_text()
    assert "unknown-key.yaml:2:1: error: unknown key 'descripton' (did you mean 'description'?)" in text
    text = (FIXTURES / "bad" / "bad-duration.expected").read_text()
    assert "bad-duration.yaml:4:11: error: steps[0].hold: expected a duration such as 30s, 1m30s or 0:45, got 'thirty'" in text


def write(tmp_path: Path, text: str | bytes, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_strings_are_read_as_written(tmp_path: Path) -> None:
    routine = load_routine(write(tmp_path, "name: No\nsummary: 10\nauthor: 1:30\ntags: [yes, 0.5]\nsteps:\n  - name: off\n    duration: 5\n"))
    assert routine.name == "No" and routine.summary == "10" and routine.author == "1:30"
    assert routine.tags == ("yes", "0.5")
    assert routine.exercises()[0].name == "off"


def test_clock_durations_are_minutes_and_seconds_whatever_yaml_thinks(tmp_path: Path) -> None:
    routine = load_routine(write(tmp_path, "name: R\nsteps:\n  - name: A\n    duration: 1:30\n  - name: B\n    duration: 0:45\n  - name: C\n    duration: '2:00'\n"))
    assert [e.duration for e in routine.exercises()] == [90.0, 45.0, 120.0]


def test_bom_is_accepted_and_id_defaults_to_file_name(tmp_path: Path) -> None:
    routine = load_routine(write(tmp_path, b"\xef\xbb\xbfname: R\nsteps:\n  - rest: 5\n", "Morning Knee.yaml"))
    assert routine.name == "R"
    assert routine.id == "morning-knee"


def test_problems_in_an_included_file_name_that_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, "name: Part\nsteps:\n  - name: X\n    hold: soon\n", "sub/part.yaml")
    main = write(tmp_path, "name: R\nsteps:\n  - include: sub/part.yaml\n")
    _, problems = check_routine(main, "r.yaml")
    assert [str(p) for p in problems] == [
        "r.yaml:3:14: error: steps[0].include: 'sub/part.yaml' has errors (listed under its own name)",
        "sub/part.yaml:4:11: error: steps[0].hold: expected a duration such as 30s, 1m30s or 0:45, got 'soon'",
    ]


def test_include_nesting_deeper_than_8_is_an_error(tmp_path: Path) -> None:
    for i in range(10):
        write(tmp_path, f"name: L{i}\nsteps:\n  - include: l{i + 1}.yaml\n", f"l{i}.yaml")
    write(tmp_path, "name: L10\nsteps:\n  - rest: 1\n", "l10.yaml")
    _, problems = check_routine(tmp_path / "l0.yaml", "l0.yaml")
    assert "l8.yaml:3:14: error: steps[0].include: includes nested deeper than 8 levels" in [str(p) for p in problems]
    # eight levels are fine
    routine, problems = check_routine(tmp_path / "l2.yaml", "l2.yaml")
    assert problems == [] and routine is not None


def test_sound_paths_inside_the_folder_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "cues").mkdir()
    (tmp_path / "cues" / "ding.wav").write_bytes(b"RIFF")
    routine = load_routine(write(tmp_path, "name: R\nsounds:\n  start: cues/ding.wav\n  finish: none\nsteps:\n  - rest: 5\n"))
    assert routine.cue_settings.sounds == {"start": str((tmp_path / "cues" / "ding.wav").resolve()), "finish": "none"}


def test_symlink_escaping_the_folder_is_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside.wav"
    outside.write_bytes(b"RIFF")
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "link.wav").symlink_to(outside)
    _, problems = check_routine(write(tmp_path, "name: R\nsounds:\n  start: link.wav\nsteps:\n  - rest: 5\n", "r/x.yaml"), "x.yaml")
    assert [p.message for p in problems] == ["sounds.start: 'link.wav' is outside the routine's folder"]


def test_load_routine_raises_with_every_problem(tmp_path: Path) -> None:
    with pytest.raises(RoutineInvalid) as info:
        load_routine(write(tmp_path, "name: R\nbogus: 1\nsteps:\n  - name: A\n    hold: x\n"))
    assert [p.line for p in info.value.problems] == [2, 5]


def test_file_hash_is_recorded(tmp_path: Path) -> None:
    a = load_routine(write(tmp_path, "name: R\nsteps:\n  - rest: 5\n"))
    b = load_routine(write(tmp_path, "name: R\nsteps:\n  - rest: 6\n"))
    assert a.file_hash and b.file_hash and a.file_hash != b.file_hash
