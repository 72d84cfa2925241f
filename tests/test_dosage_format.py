"""Richer dosage (routine-format.md): the loader's tables for every new key and problem,
the JSON Schema on the same examples, and the timelines they compile to."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from player.loader import check_routine
from player.model import Exercise, Section, resolve_sides
from player.schema import routine_schema
from player.timeline import compile_timeline, measure

from conftest import run_vmo

VALIDATOR = jsonschema.Draft202012Validator(routine_schema())


def folder_with_pictures(tmp_path: Path) -> Path:
    (tmp_path / "pics").mkdir(exist_ok=True)
    for name in ("a.png", "b.JPG", "c.jpeg", "d.gif", "e.webp", "f.svg", "g.bmp"):
        (tmp_path / "pics" / name).write_bytes(b"x")
    (tmp_path / "big.png").write_bytes(b"\0" * (5 * 1024 * 1024 + 1))
    (tmp_path / "just.png").write_bytes(b"\0" * (5 * 1024 * 1024))
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    outside.write_bytes(b"x")
    (tmp_path / "pics" / "link.png").symlink_to(outside)
    (tmp_path / "pics" / "inside-link.png").symlink_to(tmp_path / "pics" / "a.png")
    return tmp_path


def check(tmp_path: Path, steps: str, top: str = "") -> tuple[object, list[str]]:
    """Check a routine whose steps are `steps` (YAML lines under `steps:`); problems as 'LINE:COL: MESSAGE'."""
    text = f"name: R\n{top}steps:\n{textwrap.indent(textwrap.dedent(steps), '  ')}"
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    routine, problems = check_routine(path, "r.yaml")
    return routine, [f"{p.line}:{p.column}: {p.message}" for p in problems]


# ----- valid: each new key and what it becomes -----

VALID = [
    ("- name: A\n  hold: 5\n  image: pics/a.png\n", dict(images=("pics/a.png",))),
    ("- name: A\n  hold: 5\n  image: [pics/a.png, pics/b.JPG, pics/c.jpeg, pics/f.svg]\n",
     dict(images=("pics/a.png", "pics/b.JPG", "pics/c.jpeg", "pics/f.svg"))),
    ("- name: A\n  hold: 5\n  image: [pics/d.gif, pics/e.webp]\n", dict(images=("pics/d.gif", "pics/e.webp"))),
    ("- name: A\n  hold: 5\n  image: just.png\n", dict(images=("just.png",))),  # exactly 5 MiB
    ("- name: A\n  hold: 5\n  image: pics/inside-link.png\n", dict(images=("pics/inside-link.png",))),
    ("- name: A\n  hold: 5\n  video: https://example.org/a?x=1\n", dict(video="https://example.org/a?x=1")),
    ("- name: A\n  reps: 10\n  load: 1 lb ankle weight\n", dict(load="1 lb ankle weight", reps=10)),
    ("- name: A\n  hold: 5\n  reps: 3\n  sides: alternate\n", dict(sides=("left", "right"), alternate=True)),
    ("- name: A\n  reps: 3\n  tempo: 1-1\n  sides: alternate\n", dict(sides=("left", "right"), alternate=True)),
    ("- name: A\n  hold: 5\n  sides: affected\n", dict(sides=("affected",))),
    ("- name: A\n  hold: 5\n  sides: unaffected\n", dict(sides=("unaffected",))),
    ("- name: A\n  hold: 5\n  sides: [unaffected, affected]\n", dict(sides=("unaffected", "affected"))),
    ("- name: A\n  reps: max\n", dict(reps=None, max_reps=True)),
    ("- name: A\n  reps: max\n  sides: both\n  sets: 2\n", dict(reps=None, max_reps=True, sets=2)),
    ("- name: A\n  distance: 400m\n", dict(distance="400 m", distance_m=400.0)),
    ("- name: A\n  distance: 20 m\n", dict(distance="20 m", distance_m=20.0)),
    ("- name: A\n  distance: 0.5 km\n", dict(distance="0.5 km", distance_m=500.0)),
    ("- name: A\n  distance: 1 mile\n", dict(distance="1 mile", distance_m=1609.344)),
    ("- name: A\n  distance: 2 miles\n  duration: 20m\n", dict(distance="2 miles", duration=1200.0)),
    ("- name: A\n  distance: 20 m\n  reps: 3\n", dict(distance="20 m", reps=3)),
    ("- name: A\n  reps: 2\n  tempo: {down: 3, hold: 1, up: 3}\n",
     dict(tempo=(3.0, 1.0, 3.0), tempo_names=("down", "hold", "up"))),
    ("- name: A\n  reps: 2\n  tempo:\n    out: 4s\n    in: 4s\n", dict(tempo=(4.0, 4.0), tempo_names=("out", "in"))),
    ("- name: A\n  reps: 2\n  tempo: 3-1-3\n", dict(tempo=(3.0, 1.0, 3.0), tempo_names=None)),
]


@pytest.mark.parametrize("steps, fields", VALID, ids=[f"valid{i}" for i in range(len(VALID))])
def test_each_new_key_is_read(tmp_path: Path, steps: str, fields: dict) -> None:
    folder_with_pictures(tmp_path)
    routine, problems = check(tmp_path, steps)
    assert problems == []
    [exercise] = routine.exercises()  # type: ignore[union-attr]
    for key, value in fields.items():
        assert getattr(exercise, key) == value, key
    doc = yaml.safe_load((tmp_path / "r.yaml").read_text())
    assert VALIDATOR.is_valid(doc), list(VALIDATOR.iter_errors(doc))


def test_a_section_step_and_an_include_become_headings(tmp_path: Path) -> None:
    (tmp_path / "part.yaml").write_text("name: Part two\ndescription: The included part.\nsteps:\n  - name: B\n    duration: 5\n")
    routine, problems = check(tmp_path, """\
        - section: "Part 1: running"
          description: Easy pace.
        - name: A
          duration: 5
        - include: part.yaml
        """)
    assert problems == []
    sections = routine.sections()  # type: ignore[union-attr]
    assert [(s.title, s.description, s.included) for s in sections] == [
        ("Part 1: running", "Easy pace.", False), ("Part two", "The included part.", True),
    ]


# ----- problems: exact messages and positions -----

PROBLEMS = [
    # pictures
    ("- name: A\n  hold: 5\n  image: ../x.png\n", ["5:12: steps[0].image: '../x.png' is outside the routine's folder"]),
    ("- name: A\n  hold: 5\n  image: pics/link.png\n",
     ["5:12: steps[0].image: 'pics/link.png' is outside the routine's folder"]),
    ("- name: A\n  hold: 5\n  image: /etc/x.png\n",
     ["5:12: steps[0].image: must be a path relative to the routine's folder, got '/etc/x.png'"]),
    ("- name: A\n  hold: 5\n  image: big.png\n",
     ["5:12: steps[0].image: 'big.png' is larger than 5 MiB (5,242,881 bytes)"]),
    ("- name: A\n  hold: 5\n  image: pics/g.bmp\n",
     ["5:12: steps[0].image: a picture must be a .png, .jpg, .jpeg, .gif, .webp or .svg file, got 'pics/g.bmp'"]),
    ("- name: A\n  hold: 5\n  image: pics/none.png\n", ["5:12: steps[0].image: no such picture 'pics/none.png'"]),
    ("- name: A\n  hold: 5\n  image: [pics/a.png, pics/a.png, pics/a.png, pics/a.png, pics/a.png]\n",
     ["5:12: steps[0].image: at most 4 pictures, got 5"]),
    ("- name: A\n  hold: 5\n  image: [pics/a.png, big.png]\n",
     ["5:25: steps[0].image[1]: 'big.png' is larger than 5 MiB (5,242,881 bytes)"]),
    ("- name: A\n  hold: 5\n  image: []\n",
     ["5:12: steps[0].image: expected a picture's path or a list of 1 to 4, got an empty list"]),
    # video
    ("- name: A\n  hold: 5\n  video: http://example.org/a\n",
     ["5:12: steps[0].video: expected an https:// link, got 'http://example.org/a'"]),
    ("- name: A\n  hold: 5\n  video: example.org/a\n",
     ["5:12: steps[0].video: expected an https:// link, got 'example.org/a'"]),
    ("- name: A\n  hold: 5\n  video: https://\n", ["5:12: steps[0].video: expected an https:// link, got 'https://'"]),
    # load
    ("- name: A\n  hold: 5\n  load: [1, 2]\n", ["5:11: steps[0].load: expected text, got a list"]),
    # alternate
    ("- name: A\n  duration: 30\n  sides: alternate\n",
     ["5:12: steps[0]: 'sides: alternate' cannot be used with 'duration'; it takes turns hold by hold or rep by rep"]),
    ("- name: A\n  reps: 10\n  sides: alternate\n", ["5:12: steps[0]: 'sides: alternate' needs 'hold' or 'tempo'"]),
    ("- name: A\n  distance: 20 m\n  sides: alternate\n", ["5:12: steps[0]: 'sides: alternate' needs 'hold' or 'tempo'"]),
    # affected / unaffected
    ("- name: A\n  hold: 5\n  sides: [affected, left]\n",
     ["5:12: steps[0].sides: use left/right or affected/unaffected, not both kinds in one list"]),
    ("- name: A\n  hold: 5\n  sides: [left, up]\n", ["5:19: steps[0].sides[1]: expected left or right, got 'up'"]),
    ("- name: A\n  hold: 5\n  sides: afected\n",
     ["5:12: steps[0].sides: expected both, left, right, alternate, affected or unaffected, or a list such as "
      "[right, left], got 'afected' (did you mean 'affected'?)"]),
    # reps: max
    ("- name: A\n  hold: 5\n  reps: max\n", ["5:11: steps[0]: 'reps: max' cannot be used with 'hold'"]),
    ("- name: A\n  reps: max\n  tempo: 2-2\n", ["4:11: steps[0]: 'reps: max' cannot be used with 'tempo'"]),
    ("- name: A\n  reps: lots\n", ["4:11: steps[0].reps: expected a whole number from 1 to 1000 or max, got 'lots'"]),
    # distance
    ("- name: A\n  distance: far\n",
     ["4:15: steps[0].distance: expected a distance such as 400m, 20 m, 0.5 km or 1 mile, got 'far'"]),
    ("- name: A\n  distance: 0 m\n", ["4:15: steps[0].distance: must be greater than zero, got '0 m'"]),
    ("- name: A\n  distance: 20 m\n  hold: 5\n", ["5:5: steps[0]: 'distance' and 'hold' cannot be used together"]),
    ("- name: A\n  distance: 20 m\n  reps: 2\n  tempo: 1-1\n",
     ["6:5: steps[0]: 'distance' and 'tempo' cannot be used together"]),
    # named tempo
    ("- name: A\n  reps: 2\n  tempo: {down: 3}\n", ["5:12: steps[0].tempo: expected 2 to 4 named phases, got 1"]),
    ("- name: A\n  reps: 2\n  tempo: {a: 1, b: 1, c: 1, d: 1, e: 1}\n",
     ["5:12: steps[0].tempo: expected 2 to 4 named phases, got 5"]),
    ("- name: A\n  reps: 2\n  tempo: {down: 0, up: 0}\n", ["5:12: steps[0].tempo: the phases must add up to more than zero"]),
    ("- name: A\n  reps: 2\n  tempo: {down: slow, up: 3}\n",
     ["5:19: steps[0].tempo.down: expected a duration such as 30s, 1m30s or 0:45, got 'slow'"]),
    ("- name: A\n  reps: 2\n  tempo: [3, 1]\n",
     ["5:12: steps[0].tempo: expected 2 to 4 seconds per phase joined by '-', such as 2-1-2, "
      "or named phases such as {down: 3, hold: 1, up: 3}, got a list"]),
    # section
    ("- section: ''\n", ["3:14: steps[0].section: must not be empty"]),
    ("- section: Part 1\n  name: x\n", ["4:5: steps[0]: unknown key 'name' in a section step"]),
    ("- section: Part 1\n  duration: 5\n", ["3:5: steps[0]: missing required key 'name'",
                                            "3:5: steps[0]: unknown key 'section' (section belongs on a section step)"]),
    # suggestions: only keys valid here, and where a key belongs
    ("- name: A\n  hold: 5\n  category: strength\n",
     ["5:5: steps[0]: unknown key 'category' (category belongs at the top of the routine)"]),
    ("- name: A\n  hold: 5\n  countdown: 5\n",
     ["5:5: steps[0]: unknown key 'countdown' (countdown belongs under defaults or under sounds)"]),
    ("- name: A\n  hold: 5\n  notes: x\n", ["5:5: steps[0]: unknown key 'notes'"]),
    ("- name: A\n  hold: 5\n  rep: 3\n", ["5:5: steps[0]: unknown key 'rep' (did you mean 'reps'?)"]),
    ("- name: A\n  hold: 5\n  vidoe: https://x.org\n", ["5:5: steps[0]: unknown key 'vidoe' (did you mean 'video'?)"]),
    ("- rest: 5\n  sets: 2\n", ["4:5: steps[0]: unknown key 'sets' in a rest step (sets belongs on an exercise step)"]),
    ("- repeat: 2\n  steps: [{rest: 5}]\n  sets: 5\n",
     ["5:5: steps[0]: unknown key 'sets' in a repeat block (sets belongs on an exercise step)"]),
]


@pytest.mark.parametrize("steps, expected", PROBLEMS, ids=[f"problem{i}" for i in range(len(PROBLEMS))])
def test_each_problem_is_reported_where_it_is(tmp_path: Path, steps: str, expected: list[str]) -> None:
    folder_with_pictures(tmp_path)
    routine, problems = check(tmp_path, steps)
    assert routine is None
    assert problems == expected


def test_a_top_level_key_of_a_step_says_where_it_belongs(tmp_path: Path) -> None:
    _, problems = check(tmp_path, "- name: A\n  hold: 5\n", top="sets: 3\nsection: x\n")
    assert problems == [
        "2:1: unknown key 'sets' (sets belongs on an exercise step)",
        "3:1: unknown key 'section' (section belongs on a section step)",
    ]


def test_vmo_check_prints_the_dosage_problems_with_file_line_col(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("name: R\nsteps:\n  - name: A\n    duration: 30\n    sides: alternate\n"
                                     "    video: http://x.org\n")
    result = run_vmo("check", "r.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "r.yaml:5:12: error: steps[0]: 'sides: alternate' cannot be used with 'duration'; "
        "it takes turns hold by hold or rep by rep",
        "r.yaml:6:12: error: steps[0].video: expected an https:// link, got 'http://x.org'",
    ]


SCHEMA_BAD = [
    {"name": "x", "steps": [{"name": "a", "duration": 5, "sides": "alternate"}]},
    {"name": "x", "steps": [{"name": "a", "reps": 5, "sides": "alternate"}]},
    {"name": "x", "steps": [{"name": "a", "hold": 5, "reps": "max"}]},
    {"name": "x", "steps": [{"name": "a", "reps": "lots"}]},
    {"name": "x", "steps": [{"name": "a", "hold": 5, "video": "http://x.org"}]},
    {"name": "x", "steps": [{"name": "a", "hold": 5, "image": "x.bmp"}]},
    {"name": "x", "steps": [{"name": "a", "hold": 5, "image": "/etc/x.png"}]},
    {"name": "x", "steps": [{"name": "a", "hold": 5, "image": ["a.png"] * 5}]},
    {"name": "x", "steps": [{"name": "a", "distance": "far"}]},
    {"name": "x", "steps": [{"name": "a", "distance": "20 m", "hold": 5}]},
    {"name": "x", "steps": [{"name": "a", "reps": 2, "tempo": {"down": 3}}]},
    {"name": "x", "steps": [{"section": "A", "rest": 3}]},
    {"name": "x", "steps": [{"name": "a", "hold": 5, "sides": ["left", "affected"]}]},
]


@pytest.mark.parametrize("doc", SCHEMA_BAD, ids=[f"bad{i}" for i in range(len(SCHEMA_BAD))])
def test_the_schema_rejects_what_the_loader_rejects(doc: dict) -> None:
    assert not VALIDATOR.is_valid(doc)


# ----- timelines -----


def segments(tmp_path: Path, steps: str) -> list[dict]:
    routine, problems = check(tmp_path, steps, top="defaults: {prepare: 0, relax: 2, switch: 4, rest: 10}\n")
    assert problems == []
    tl = compile_timeline(routine)  # type: ignore[arg-type]
    assert measure(routine.steps) == (len(tl.segments), tl.total_seconds)  # type: ignore[union-attr]
    return [s.to_json() for s in tl.segments]


def brief(segs: list[dict]) -> list[tuple]:
    return [(s["kind"], s["seconds"], s["side"], s["set"], s["rep"], s["reps"]) for s in segs]


def test_alternate_holds_take_turns_with_no_switch_and_each_side_gets_reps(tmp_path: Path) -> None:
    segs = segments(tmp_path, "- name: A\n  hold: 5\n  reps: 2\n  sets: 2\n  sides: alternate\n")
    assert brief(segs) == [
        ("work", 5.0, "left", 1, 1, 2), ("relax", 2.0, "left", 1, 1, 2),
        ("work", 5.0, "right", 1, 1, 2), ("relax", 2.0, "right", 1, 1, 2),
        ("work", 5.0, "left", 1, 2, 2), ("relax", 2.0, "left", 1, 2, 2),
        ("work", 5.0, "right", 1, 2, 2),
        ("rest", 10.0, None, 1, None, 2),
        ("work", 5.0, "left", 2, 1, 2), ("relax", 2.0, "left", 2, 1, 2),
        ("work", 5.0, "right", 2, 1, 2), ("relax", 2.0, "right", 2, 1, 2),
        ("work", 5.0, "left", 2, 2, 2), ("relax", 2.0, "left", 2, 2, 2),
        ("work", 5.0, "right", 2, 2, 2),
    ]
    assert all(s["alternate"] for s in segs if s["kind"] != "rest")


def test_alternate_tempo_is_one_work_segment_of_both_sides_reps(tmp_path: Path) -> None:
    segs = segments(tmp_path, "- name: A\n  reps: 3\n  tempo: 2-1-2\n  sides: alternate\n  sets: 2\n")
    assert brief(segs) == [
        ("work", 30.0, None, 1, None, 3), ("rest", 10.0, None, 1, None, 3), ("work", 30.0, None, 2, None, 3),
    ]
    assert segs[0]["alternate"] is True


def test_reps_max_is_one_manual_segment_per_side_and_set(tmp_path: Path) -> None:
    segs = segments(tmp_path, "- name: A\n  reps: max\n  sides: both\n")
    assert brief(segs) == [("manual", None, "left", 1, None, "max"), ("switch", 4.0, "right", 1, None, "max"),
                           ("manual", None, "right", 1, None, "max")]


def test_distance_alone_is_manual_and_with_duration_is_shown_with_it(tmp_path: Path) -> None:
    segs = segments(tmp_path, "- name: Walk\n  distance: 20 m\n- name: Run\n  duration: 2m\n  distance: 400m\n")
    assert [(s["kind"], s["seconds"], s.get("distance")) for s in segs] == [
        ("manual", None, "20 m"), ("work", 120.0, "400 m"),
    ]


def test_sections_head_the_segments_under_them_and_take_no_time(tmp_path: Path) -> None:
    (tmp_path / "part.yaml").write_text("name: Part B\ndefaults: {prepare: 0}\nsteps:\n  - section: Inner\n  - name: B\n    duration: 5\n")
    segs = segments(tmp_path, """\
        - name: Before
          duration: 1
        - section: Part A
          description: First.
        - name: A
          duration: 2
        - repeat: 2
          steps:
            - name: R
              duration: 3
            - section: In the block
            - name: S
              duration: 4
        - include: part.yaml
        - name: After
          duration: 6
        """)
    assert [(s["name"], s["seconds"], s.get("section")) for s in segs] == [
        ("Before", 1.0, None), ("A", 2.0, "Part A"),
        ("R", 3.0, "Part A"), ("S", 4.0, "In the block"), ("R", 3.0, "Part A"), ("S", 4.0, "In the block"),
        ("B", 5.0, "Inner"), ("After", 6.0, "Part A"),
    ]


def test_affected_sides_resolve_for_a_patient() -> None:
    ex = Exercise(name="A", hold=5.0, sides=("affected", "unaffected"))
    from player.model import Routine

    routine = Routine(id="r", name="R", steps=(Section("S"), ex))
    assert resolve_sides(routine, None) is routine
    assert resolve_sides(routine, "right").exercises()[0].sides == ("right", "left")
    assert resolve_sides(routine, "left").exercises()[0].sides == ("left", "right")


def test_vmo_show_resolves_affected_from_the_option_else_the_setting(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("name: R\nsteps:\n  - name: A\n    hold: 5\n    sides: affected\n    prepare: 0\n")
    data = tmp_path / "data"
    data.mkdir()
    env = {"VMO_DATA_DIR": str(data)}
    import json

    def sides(*extra: str) -> list:
        result = run_vmo("show", "r.yaml", "--json", *extra, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        return [s["side"] for s in json.loads(result.stdout)["segments"]]

    assert sides() == ["affected"]
    assert sides("--affected-side", "left") == ["left"]
    (data / "settings.yaml").write_text("affected_side: right\n")
    assert sides() == ["right"]
    assert sides("--affected-side", "left") == ["left"]


def test_the_handout_words_read_the_loaders_alternate_and_max_reps() -> None:
    from player.words import dosage

    alternate = Exercise(name="A", hold=5.0, reps=2, sides=("left", "right"), alternate=True, relax=0.0)
    assert dosage(alternate) == "Hold 5 seconds, twice, left and right in turn, rep by rep"
    assert dosage(Exercise(name="P", max_reps=True)) == "As many as you can"


def test_the_guides_richer_dosage_examples_validate_against_the_schema() -> None:
    from test_authoring_doc import ROUTINES

    wanted = {"richer.yaml", "couch-to-5k-day.yaml"}
    blocks = [b for b in ROUTINES if b.name in wanted]
    assert {b.name for b in blocks} == wanted
    for block in blocks:
        doc = yaml.safe_load(block.text)
        assert VALIDATOR.is_valid(doc), (block.name, [e.message for e in VALIDATOR.iter_errors(doc)])


def test_sounds_phase_none_is_a_cue_setting(tmp_path: Path) -> None:
    routine, problems = check(tmp_path, "- name: A\n  reps: 2\n  tempo: 1-1\n", top="sounds: {phase: none, rep: blip}\n")
    assert problems == []
    assert routine.exercises()[0].cue_settings.sounds == {"phase": "none", "rep": "blip"}  # type: ignore[union-attr]
