"""The `vmo` command from outside: exit codes, outputs, schema, import hygiene."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from player.cli import COMMANDS
from player.schema import routine_schema

from conftest import FIXTURES, REPO, run_vmo

BUNDLED = sorted((REPO / "routines").rglob("*.yaml"))


def test_every_command_module_imports() -> None:
    import importlib

    for name in COMMANDS:
        module = importlib.import_module(f"player.commands.{name}")
        assert callable(module.add_parser) and callable(module.run)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus"], "vmo: argument COMMAND: invalid choice: 'bogus'"),
        (["check", "--nope", "x"], "vmo: unrecognized arguments: --nope"),
        (["show", "no-such-routine"], "vmo: unknown routine 'no-such-routine'; 'vmo list' shows the routines"),
        (["show", "quick-warmup"], "vmo: unknown routine 'quick-warmup' (did you mean 'quick-warm-up'?)"),
        (["show", "missing/file.yaml"], "vmo: no such routine file: missing/file.yaml"),
        (["check", "missing.yaml"], "vmo: no such file or folder: missing.yaml"),
        (["--speed", "fast", "list"], "vmo: argument --speed: expected a number such as 2 or 0.5, got 'fast'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run_vmo(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_show_of_an_invalid_file_exits_1_with_its_problems() -> None:
    result = run_vmo("show", "tests/fixtures/bad/unknown-key.yaml")
    assert result.returncode == 1
    assert result.stderr == (FIXTURES / "bad" / "unknown-key.expected").read_text()
    assert result.stdout == ""


def test_show_json_is_the_spec_object() -> None:
    result = run_vmo("show", "tests/fixtures/good/full.yaml", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads((FIXTURES / "good" / "full.expected.json").read_text())


def test_show_table_has_running_clock_and_total() -> None:
    result = run_vmo("show", "tests/fixtures/good/full.yaml")
    lines = result.stdout.splitlines()
    assert lines[0] == "No (full-example)"
    assert lines[2].split() == ["CLOCK", "KIND", "EXERCISE", "SIDE", "SET", "REP", "SECONDS"]
    assert lines[3].split() == ["00:00", "work", "Jog", "1/1", "90"]
    assert lines[4].split() == ["01:30", "prepare", "Quad", "set", "3"]
    assert lines[-1] == "Total: 6 min 55 s + 2 self-paced segments"


def test_check_folder_recursively_with_summary_and_json(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "ok.yml").write_text("name: A\nsteps:\n  - rest: 5\n")
    (tmp_path / "a" / "b" / "bad.yaml").write_text("name: B\nsteps:\n  - rest: -1\n")
    (tmp_path / "a" / "notes.txt").write_text("not a routine")
    result = run_vmo("check", str(tmp_path / "a"))
    assert result.returncode == 1
    assert result.stdout == f"{tmp_path}/a/b/bad.yaml:3:11: error: steps[0].rest: must not be negative, got '-1'\n"
    assert result.stderr == "2 files checked: 1 error, 0 warnings in 1 file\n"
    result = run_vmo("check", str(tmp_path / "a"), "--format", "json")
    assert json.loads(result.stdout) == {
        "files": 2,
        "problems": [{"file": f"{tmp_path}/a/b/bad.yaml", "line": 3, "column": 11, "severity": "error",
                      "message": "steps[0].rest: must not be negative, got '-1'"}],
    }
    result = run_vmo("check", str(tmp_path / "a"), "--format", "github")
    assert result.stdout == (
        f"::error file={tmp_path}/a/b/bad.yaml,line=3,col=11,title=vmo check::steps[0].rest: must not be negative, got '-1'\n"
    )


def test_check_clean_file_exits_0() -> None:
    result = run_vmo("check", "tests/fixtures/good/full.yaml")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "1 file checked, no problems\n")


def test_python_dash_m_player_is_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "player", "show", "tests/fixtures/good/full.yaml", "--json"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0 and json.loads(result.stdout)["id"] == "full-example"


def test_schema_command_prints_the_committed_schema_file() -> None:
    result = run_vmo("schema")
    assert result.returncode == 0
    printed = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(printed)
    assert printed == json.loads((REPO / "schema" / "routine.schema.json").read_text())


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_routines_validate_against_the_schema_and_name_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/routine.schema.json\n")
    assert (path.parent / "../../schema/routine.schema.json").resolve().is_file()
    jsonschema.validate(yaml.safe_load(text), routine_schema())


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(routine_schema())
    bad = [
        {"name": "x", "steps": [{"name": "a", "duration": 5, "reps": 3}]},
        {"name": "x", "steps": [{"name": "a", "hold": "thirty"}]},
        {"name": "x", "steps": [{"rest": 5, "sets": 2}]},
        {"name": "x", "descripton": "typo", "steps": [{"rest": 5}]},
        {"name": "x", "steps": []},
    ]
    for doc in bad:
        assert not validator.is_valid(doc), doc
    assert validator.is_valid({"name": "x", "steps": [{"name": "a", "hold": "0:45", "reps": 2, "sides": "both"}]})


HYGIENE = """
import sys
from player.cli import main
code = main({args!r})
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'miniaudio', 'simpleaudio', 'rich'))
print(code, heavy)
"""


@pytest.mark.parametrize(
    "args",
    [["check", "tests/fixtures/good/full.yaml"], ["show", "tests/fixtures/good/full.yaml"], ["list"], ["schema"]],
    ids=["check", "show", "list", "schema"],
)
def test_core_commands_import_neither_textual_nor_audio(args: list[str]) -> None:
    result = subprocess.run([sys.executable, "-c", HYGIENE.format(args=args)], cwd=REPO, capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_core_modules_import_neither_textual_nor_audio() -> None:
    code = (
        "import sys, player.loader, player.timeline, player.model, player.yamlnodes, player.library; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'miniaudio', 'simpleaudio', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_audio_choices_match_the_audio_package() -> None:
    from player.audio import BACKEND_CHOICES
    from player.cli import AUDIO_CHOICES

    assert AUDIO_CHOICES == BACKEND_CHOICES


def test_common_options_before_or_after_the_command() -> None:
    from player.cli import build_parser

    parser = build_parser()
    a = parser.parse_args(["--mute", "--speed", "3", "--audio", "none", "--no-voice", "show", "x"])
    b = parser.parse_args(["show", "x", "--mute", "--speed", "3", "--audio", "none", "--no-voice"])
    for args in (a, b):
        assert (args.mute, args.speed, args.audio, args.voice) == (True, 3.0, "none", False)
    c = parser.parse_args(["show", "x"])
    assert (c.mute, c.speed, c.audio, c.voice, c.routines) == (False, 1.0, None, None, [])


def test_command_word_is_found_past_options_and_their_values() -> None:
    from player.cli import command_named

    assert command_named(["cramp"]) == "cramp"
    assert command_named(["--speed", "3", "--mute", "play", "x"]) == "play"
    assert command_named(["--routines", "play", "list"]) == "list"  # 'play' is the folder here
    assert command_named(["--audio=none", "show", "x"]) == "show"
    assert command_named(["bogus", "x"]) is None
    assert command_named(["--help"]) is None
    assert command_named([]) is None


def test_help_lists_every_command() -> None:
    result = run_vmo("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert f"    {name}" in result.stdout
