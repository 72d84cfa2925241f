"""`vmo new`: a starting file or a copy, in the user's folder or at PATH, that passes `vmo check`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, REPO, run_vmo

from player.commands.new import MODELINE, SCHEMA_FILE, set_top_level, template
from player.errors import UsageError
from player.loader import check_routine
from player.model import CATEGORIES
from player.schema import routine_schema

STARTER = REPO / "routines" / "activation" / "knee-strength-starter.yaml"


def _check_ok(path: Path) -> None:
    result = run_vmo("check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- the starting file --------------------------------------------------------------


@pytest.mark.parametrize("category", [None, *CATEGORIES])
def test_template_is_a_valid_routine_and_matches_the_schema(category: str | None, tmp_path: Path) -> None:
    text = template("knee-anna", category, "knee-anna.yaml")
    path = tmp_path / "knee-anna.yaml"
    path.write_text(text, encoding="utf-8")
    routine, problems = check_routine(path)
    assert problems == []
    assert routine is not None
    assert (routine.id, routine.name, routine.category) == ("knee-anna", "Knee anna", category or "other")
    assert text.splitlines()[0] == MODELINE == "# yaml-language-server: $schema=routine.schema.json"
    jsonschema.validate(yaml.safe_load(text), routine_schema())


def test_template_shows_every_kind_of_step(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(template("t", None, "t.yaml"), encoding="utf-8")
    routine, _ = check_routine(path)
    assert routine is not None
    exercises = routine.exercises()
    assert any(e.hold and e.sides == ("left", "right") and e.sets > 1 for e in exercises)
    assert any(e.tempo for e in exercises)
    assert any(e.is_manual for e in exercises)
    assert any(e.duration for e in exercises)
    assert len(routine.steps) > len(exercises)  # and a rest step


def test_new_writes_into_the_users_routines_folder(data_dir: Path) -> None:
    result = run_vmo("new", "knee-anna", "--category", "activation")
    target = data_dir / "routines" / "knee-anna.yaml"
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{target}\n"
    assert result.stderr == f"also wrote {data_dir / 'routines' / SCHEMA_FILE} (editor completion; see 'vmo schema')\n"
    _check_ok(target)
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    # The schema next to it is the one `vmo schema` prints, so the modeline resolves.
    assert json.loads((data_dir / "routines" / SCHEMA_FILE).read_text()) == json.loads(run_vmo("schema").stdout)
    # The library finds it by id, from the user's folder.
    listing = json.loads(run_vmo("list", "--json").stdout)
    mine = [row for row in listing if row["id"] == "knee-anna"]
    assert [(r["source"], r["category"], r["name"]) for r in mine] == [("user", "activation", "Knee anna")]
    show = run_vmo("show", "knee-anna", "--json")
    assert show.returncode == 0 and json.loads(show.stdout)["id"] == "knee-anna"
    assert sorted(p.name for p in target.parent.iterdir()) == ["knee-anna.yaml", SCHEMA_FILE]


def test_new_never_overwrites(data_dir: Path) -> None:
    assert run_vmo("new", "knee-anna").returncode == 0
    target = data_dir / "routines" / "knee-anna.yaml"
    target.write_text("# my edits\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    before = target.read_bytes()
    result = run_vmo("new", "knee-anna", "--from", str(STARTER))
    assert result.returncode == 2
    assert result.stderr == f"vmo: {target} already exists; vmo new never overwrites a file\n"
    assert result.stdout == ""
    assert target.read_bytes() == before


def test_new_keeps_an_existing_schema_file(data_dir: Path) -> None:
    folder = data_dir / "routines"
    folder.mkdir()
    (folder / SCHEMA_FILE).write_text("{}", encoding="utf-8")
    result = run_vmo("new", "knee-anna")
    assert result.returncode == 0 and result.stderr == ""
    assert (folder / SCHEMA_FILE).read_text() == "{}"


@pytest.mark.parametrize("bad_id", ["Knee", "-knee", "knee_anna", "knee anna", "knee.yaml", "ünï"])
def test_new_rejects_an_invalid_id(data_dir: Path, bad_id: str) -> None:
    result = run_vmo("new", "--", bad_id)  # "--": "-knee" would otherwise read as an option
    assert result.returncode == 2
    assert result.stderr == (
        f"vmo: invalid id {bad_id!r}: use lower-case letters, digits and '-', starting with a letter or digit\n"
    )
    assert not (data_dir / "routines").exists()


def test_new_rejects_an_unknown_category(data_dir: Path) -> None:
    result = run_vmo("new", "x", "--category", "cardio")
    assert result.returncode == 2
    assert "invalid choice: 'cardio'" in result.stderr and result.stderr.count("\n") == 1


# -- -o PATH -------------------------------------------------------------------------


def test_output_to_a_file_or_a_folder(data_dir: Path, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    result = run_vmo("new", "anna", "-o", str(clinic / "anna-knee.yml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{clinic / 'anna-knee.yml'}\n"
    _check_ok(clinic / "anna-knee.yml")
    routine, _ = check_routine(clinic / "anna-knee.yml")
    assert routine is not None and routine.id == "anna"
    assert run_vmo("new", "bob", "-o", str(clinic)).returncode == 0
    _check_ok(clinic / "bob.yaml")
    assert sorted(p.name for p in clinic.iterdir()) == ["anna-knee.yml", "bob.yaml", SCHEMA_FILE]
    # Nothing went to the user's folder.
    assert not (data_dir / "routines").exists()
    new_folder = tmp_path / "new" / "deeper"
    assert run_vmo("new", "cara", "-o", str(new_folder) + "/").returncode == 0
    _check_ok(new_folder / "cara.yaml")


@pytest.mark.parametrize("name", ["anna.txt", "anna"])
def test_output_must_be_a_yaml_file(data_dir: Path, tmp_path: Path, name: str) -> None:
    result = run_vmo("new", "anna", "-o", str(tmp_path / name))
    assert result.returncode == 2
    assert result.stderr == f"vmo: {tmp_path / name}: a routine file name must end in .yaml or .yml\n"


def test_output_refuses_an_existing_file(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "anna.yaml"
    target.write_text("name: mine\n", encoding="utf-8")
    result = run_vmo("new", "anna", "-o", str(target))
    assert result.returncode == 2
    assert result.stderr == f"vmo: {target} already exists; vmo new never overwrites a file\n"
    assert target.read_text() == "name: mine\n"


# -- --from ROUTINE --------------------------------------------------------------------


def test_from_a_library_id_copies_the_text_with_the_new_id(data_dir: Path) -> None:
    result = run_vmo("new", "knee-anna", "--from", "knee-strength-starter")
    assert result.returncode == 0, result.stderr
    target = data_dir / "routines" / "knee-anna.yaml"
    _check_ok(target)
    original = STARTER.read_text(encoding="utf-8").splitlines()
    copied = target.read_text(encoding="utf-8").splitlines()
    # Only the schema comment (pointing next to the copy) and the id line differ.
    assert copied[0] == MODELINE
    assert original[0].startswith("# yaml-language-server:")
    assert [line for line in copied[1:] if not line.startswith("id:")] == [
        line for line in original[1:] if not line.startswith("id:")
    ]
    assert "id: knee-anna" in copied
    routine, _ = check_routine(target)
    assert routine is not None and routine.category == "activation"


def test_from_with_category_replaces_it(data_dir: Path) -> None:
    assert run_vmo("new", "knee-anna", "--from", str(STARTER), "--category", "strength").returncode == 0
    routine, _ = check_routine(data_dir / "routines" / "knee-anna.yaml")
    assert routine is not None and (routine.id, routine.category) == ("knee-anna", "strength")


def test_from_a_file_without_id_or_modeline_adds_them(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "plain.yaml"
    source.write_text("# my note\nname: Plain  # the name\nsteps:\n  - name: Walk\n    duration: 1m\n", encoding="utf-8")
    assert run_vmo("new", "walk", "--from", str(source), "--category", "warm-up").returncode == 0
    text = (data_dir / "routines" / "walk.yaml").read_text(encoding="utf-8")
    assert text == (
        f"{MODELINE}\n# my note\nid: walk\ncategory: warm-up\nname: Plain  # the name\n"
        "steps:\n  - name: Walk\n    duration: 1m\n"
    )


def test_set_top_level_keeps_comments_and_quotes_nothing_else() -> None:
    text = 'name: X\nid: "old-id"   # used on the command line\nsteps: [{rest: 1}]\n'
    assert set_top_level(text, "id", "new-id") == 'name: X\nid: new-id   # used on the command line\nsteps: [{rest: 1}]\n'


@pytest.mark.parametrize(
    "text",
    [
        '{name: X, id: old, steps: [{rest: 1}]}\n',  # a flow-style top level
        "name: X\nid:\n  old\nsteps: [{rest: 1}]\n",  # the value on its own line
    ],
)
def test_set_top_level_refuses_layouts_it_cannot_edit_safely(text: str) -> None:
    with pytest.raises(UsageError):
        set_top_level(text, "id", "new-id")


def test_from_an_invalid_routine_reports_its_problems_and_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("name: Bad\nsteps:\n  - name: X\n    hold: thirty\n", encoding="utf-8")
    result = run_vmo("new", "copy", "--from", str(source))
    assert result.returncode == 1
    assert result.stderr == (
        f"{source}:4:11: error: steps[0].hold: expected a duration such as 30s, 1m30s or 0:45, got 'thirty'\n"
    )
    assert not (data_dir / "routines" / "copy.yaml").exists()


def test_from_a_copy_whose_include_breaks_in_the_new_folder_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "part.yaml").write_text("name: Part\nsteps:\n  - rest: 10\n", encoding="utf-8")
    (src / "main.yaml").write_text("name: Main\nsteps:\n  - include: part.yaml\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = run_vmo("new", "main-copy", "--from", str(src / "main.yaml"), "-o", str(out))
    assert result.returncode == 1
    assert result.stderr == f"{out / 'main-copy.yaml'}:5:14: error: steps[0].include: no such file 'part.yaml'\n"
    assert list(out.iterdir()) == []  # neither the file nor a temporary one is left


def test_from_an_unknown_routine(data_dir: Path) -> None:
    result = run_vmo("new", "x", "--from", "no-such-routine")
    assert result.returncode == 2
    assert result.stderr.startswith("vmo: unknown routine 'no-such-routine'")
    assert result.stderr.count("\n") == 1


def test_a_clashing_id_gets_a_note(data_dir: Path) -> None:
    result = run_vmo("new", "cramp-calf")
    assert result.returncode == 0
    bundled = REPO / "routines" / "cramp" / "calf.yaml"
    assert f"note: {bundled} also has the id 'cramp-calf'" in result.stderr


def test_fixture_copy_round_trips_through_export(data_dir: Path) -> None:
    """A copy of the export fixture plays the same: same timeline as the original."""
    source = FIXTURES / "authoring" / "handout.yaml"
    assert run_vmo("new", "handout-copy", "--from", str(source)).returncode == 0
    original = json.loads(run_vmo("show", str(source), "--json").stdout)
    copy = json.loads(run_vmo("show", "handout-copy", "--json").stdout)
    assert copy.pop("id") == "handout-copy" and original.pop("id") == "handout-sample"
    assert copy == original
