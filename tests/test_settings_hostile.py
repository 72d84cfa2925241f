"""settings.yaml with absurd numbers, oversize text or broken sounds: reported in settings' own words, never fatal."""

from __future__ import annotations

import os
from pathlib import Path

from player.settings import DEFAULT_SETTINGS, load_settings
from tests.conftest import run_vmo

ROUTINE = "id: t\nname: T\ncategory: warm-up\nsteps:\n  - name: March\n    duration: 2s\n"


def test_a_5000_digit_target_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("weekly_target: " + "9" * 5000 + "\nask_pain: true\n")
    settings, problems = load_settings(path)
    assert settings.weekly_target == DEFAULT_SETTINGS.weekly_target and settings.ask_pain is True
    assert [str(p) for p in problems] == [
        f"{path}:1:16: error: weekly_target: expected a whole number from 0 to 50, got a number with 5000 digits"
    ]


def test_other_numbers_and_digits(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    for value, got in (("1e400", "'1e400'"), (".inf", "'.inf'"), (".nan", "'.nan'"), ("٣", "'٣'"), ("-1", "'-1'"),
                       ("0003", None), ("+4", None)):
        path.write_text(f"weekly_target: {value}\n", encoding="utf-8")
        settings, problems = load_settings(path)
        if got is None:
            assert problems == [] and settings.weekly_target == int(value)
        else:
            assert [p.message for p in problems] == [f"weekly_target: expected a whole number from 0 to 50, got {got}"]


def test_settings_speak_of_settings_not_routines(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("sounds:\n  start: ../elsewhere.wav\n  rest: ring.mp3/x\n")
    _, problems = load_settings(path)
    assert [p.message for p in problems] == [
        f"sounds.start: no such sound file '../elsewhere.wav' (a relative name is looked up in the settings"
        f" file's folder, {tmp_path})",
        "sounds.rest: a sound file must be a .wav file, got 'ring.mp3/x'",
    ]
    assert not any("routine" in p.message for p in problems)
    path.write_bytes(b"# " + b"x" * (1024 * 1024 + 10) + b"\n")
    _, problems = load_settings(path)
    assert [p.message for p in problems] == ["the settings file is larger than 1 MiB; it should hold a few lines"]


def test_every_command_survives_a_huge_number_in_settings(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("weekly_target: " + "7" * 5000 + "\n")
    (tmp_path / "t.yaml").write_text(ROUTINE)
    env = {"VMO_DATA_DIR": str(tmp_path)}
    for args in (("history",), ("play", "--plain", "--audio", "none", "--speed", "100", str(tmp_path / "t.yaml")),
                 ("play", "--plain", "--mute", "--speed", "100", str(tmp_path / "t.yaml")),
                 ("cramp", "--plain", "--mute", "--speed", "1000", "calf")):
        result = run_vmo(*args, env=env, input="y\n" * 20, timeout=60)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode == 0, (args, result.stderr)
        if args[0] == "history" or "--mute" not in args:  # a muted plain player needs no settings
            assert "weekly_target: expected a whole number from 0 to 50, got a number with 5000 digits" in result.stderr


def test_the_plain_player_reports_a_broken_wav(tmp_path: Path) -> None:
    (tmp_path / "broken.wav").write_bytes(b"not a wav at all")
    (tmp_path / "settings.yaml").write_text("sounds:\n  start: broken.wav\n")
    (tmp_path / "t.yaml").write_text(ROUTINE)
    result = run_vmo("play", "--plain", "--audio", "bell", "--speed", "100", str(tmp_path / "t.yaml"),
                     env={"VMO_DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"vmo: warning: {os.path.realpath(tmp_path / 'broken.wav')}: not a WAV file that can be decoded\n" in result.stderr
