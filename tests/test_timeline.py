"""Each rule of 'How a routine becomes a timeline', on routines written as YAML."""

from __future__ import annotations

import json
from pathlib import Path

from player.loader import load_routine
from player.render import timeline_json
from player.timeline import compile_timeline, measure

from conftest import FIXTURES


def timeline_of(tmp_path: Path, text: str) -> list[dict]:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    routine = load_routine(path)
    tl = compile_timeline(routine)
    count, seconds = measure(routine.steps)
    assert count == len(tl.segments) and seconds == tl.total_seconds
    return [s.to_json() for s in tl.segments]


def brief(segments: list[dict]) -> list[tuple]:
    return [(s["kind"], s["seconds"], s["side"], s["set"], s["rep"]) for s in segments]


def test_duration_exercise_with_prepare(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: Jog\n    duration: 2m\n")
    assert brief(segs) == [("prepare", 5.0, None, None, None), ("work", 120.0, None, 1, None)]


def test_prepare_zero_means_none(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: Jog\n    duration: 60\n    prepare: 0\n")
    assert [s["kind"] for s in segs] == ["work"]


def test_holds_with_relax_only_between_holds(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: Q\n    hold: 10\n    reps: 3\n    relax: 4\n    prepare: 0\n")
    assert brief(segs) == [
        ("work", 10.0, None, 1, 1), ("relax", 4.0, None, 1, 1), ("work", 10.0, None, 1, 2),
        ("relax", 4.0, None, 1, 2), ("work", 10.0, None, 1, 3),
    ]
    assert all(s["reps"] == 3 for s in segs)


def test_hold_defaults_to_one_rep_and_relax_zero_means_none(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: Q\n    hold: 10\n    prepare: 0\n  - name: P\n    hold: 5\n    reps: 2\n    relax: 0\n    prepare: 0\n")
    assert brief(segs) == [("work", 10.0, None, 1, 1), ("work", 5.0, None, 1, 1), ("work", 5.0, None, 1, 2)]


def test_sides_switch_and_rest_between_sets(tmp_path: Path) -> None:
    segs = timeline_of(
        tmp_path,
        "name: R\nsteps:\n  - name: S\n    duration: 30\n    sets: 2\n    sides: both\n    switch: 10\n    rest: 60\n    prepare: 0\n",
    )
    assert brief(segs) == [
        ("work", 30.0, "left", 1, None), ("switch", 10.0, "right", 1, None), ("work", 30.0, "right", 1, None),
        ("rest", 60.0, None, 1, None),
        ("work", 30.0, "left", 2, None), ("switch", 10.0, "right", 2, None), ("work", 30.0, "right", 2, None),
    ]
    assert all(s["sets"] == 2 for s in segs)


def test_side_order_and_single_side(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: S\n    duration: 5\n    sides: [right, left]\n    prepare: 0\n  - name: T\n    duration: 5\n    sides: left\n    prepare: 0\n")
    assert [(s["kind"], s["side"]) for s in segs] == [("work", "right"), ("switch", "left"), ("work", "left"), ("work", "left")]


def test_switch_zero_and_rest_zero_mean_none(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: S\n    duration: 5\n    sides: both\n    sets: 2\n    switch: 0\n    rest: 0\n    prepare: 0\n")
    assert [s["kind"] for s in segs] == ["work"] * 4


def test_tempo_reps_one_segment_of_reps_times_tempo(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: Squat\n    reps: 10\n    tempo: 2-1-2\n    prepare: 0\n")
    assert segs == [{"kind": "work", "name": "Squat", "seconds": 50.0, "side": None, "set": 1, "sets": 1,
                     "rep": None, "reps": 10, "round": None, "rounds": None}]


def test_reps_alone_is_manual(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: Lunge\n    reps: 8\n    prepare: 0\n")
    assert segs == [{"kind": "manual", "name": "Lunge", "seconds": None, "side": None, "set": 1, "sets": 1,
                     "rep": None, "reps": 8, "round": None, "rounds": None}]


def test_rest_step_and_its_default_name(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - rest: 45\n  - rest: 1m\n    name: Water\n")
    assert [(s["kind"], s["name"], s["seconds"], s["set"]) for s in segs] == [
        ("rest", "Rest", 45.0, None), ("rest", "Water", 60.0, None)]


def test_repeat_block_rounds_and_rest_between_rounds_only(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - repeat: 3\n    rest: 20\n    steps:\n      - name: M\n        duration: 10\n        prepare: 0\n")
    assert [(s["kind"], s["name"], s["round"], s["rounds"]) for s in segs] == [
        ("work", "M", 1, 3), ("rest", "Rest", 1, 3), ("work", "M", 2, 3), ("rest", "Rest", 2, 3), ("work", "M", 3, 3)]


def test_repeat_block_named_rest_and_no_rest(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - repeat: 2\n    name: Circuit\n    rest: 5\n    steps:\n      - rest: 1\n  - repeat: 2\n    steps:\n      - rest: 2\n")
    assert [(s["name"], s["seconds"]) for s in segs] == [("Rest", 1.0), ("Circuit", 5.0), ("Rest", 1.0), ("Rest", 2.0), ("Rest", 2.0)]


def test_innermost_round_wins(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - repeat: 2\n    steps:\n      - repeat: 3\n        steps:\n          - rest: 1\n")
    assert [(s["round"], s["rounds"]) for s in segs] == [(1, 3), (2, 3), (3, 3)] * 2


def test_include_plays_in_place_with_its_own_defaults(tmp_path: Path) -> None:
    (tmp_path / "part.yaml").write_text("name: Part\ndefaults:\n  prepare: 0\nsteps:\n  - name: In\n    duration: 7\n")
    segs = timeline_of(tmp_path, "name: R\ndefaults:\n  prepare: 2\nsteps:\n  - name: A\n    duration: 1\n  - include: part.yaml\n  - name: B\n    duration: 1\n")
    assert [(s["kind"], s["name"]) for s in segs] == [
        ("prepare", "A"), ("work", "A"), ("work", "In"), ("prepare", "B"), ("work", "B")]


def test_defaults_apply_unless_the_step_sets_them(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\ndefaults:\n  prepare: 7\n  rest: 9\nsteps:\n  - name: A\n    duration: 1\n    sets: 2\n  - name: B\n    duration: 1\n    prepare: 1\n")
    assert [(s["kind"], s["seconds"]) for s in segs] == [
        ("prepare", 7.0), ("work", 1.0), ("rest", 9.0), ("work", 1.0), ("prepare", 1.0), ("work", 1.0)]


def test_until_eased_compiles_to_one_pass_and_is_marked(tmp_path: Path) -> None:
    segs = timeline_of(tmp_path, "name: R\nsteps:\n  - name: C\n    hold: 30\n    until_eased: true\n    prepare: 0\n")
    assert segs == [{"kind": "work", "name": "C", "seconds": 30.0, "side": None, "set": 1, "sets": 1,
                     "rep": 1, "reps": 1, "round": None, "rounds": None, "until_eased": True}]


def test_full_fixture_matches_expected_json() -> None:
    routine = load_routine(FIXTURES / "good" / "full.yaml")
    got = timeline_json(routine, compile_timeline(routine))
    expected = json.loads((FIXTURES / "good" / "full.expected.json").read_text())
    assert got == expected
    assert got["total_seconds"] == sum(s["seconds"] or 0 for s in got["segments"])
