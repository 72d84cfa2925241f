"""The plain player with the richer dosage keys: what it prints, and the reps: max question."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from conftest import run_vmo
from test_plain import make

from player.model import CueSettings, Exercise, Section
from test_engine_helpers import ex

QUIET = CueSettings(countdown=0, halfway=False)


def test_the_first_segment_of_an_exercise_shows_its_notes_and_each_line_its_dose() -> None:
    raise_ = ex(
        "Raise", hold=2, reps=1, sides=("left", "right"), alternate=True, load="1 lb ankle weight",
        instructions="Lift the straight leg.", cues=("Tighten the thigh", "Toes up"), equipment=("ankle weight",),
        target="quadriceps", images=("pics/start.png", "pics/end.png"), video="https://example.org/raise",
        cue_settings=QUIET,
    )
    player, out = make((raise_,))
    assert player.run() == 0
    assert out.getvalue().splitlines() == [
        "00:00  work  Raise · left · 1 lb ankle weight · 2 s",
        "       Lift the straight leg.",
        "       Cues: Tighten the thigh · Toes up",
        "       Equipment: ankle weight",
        "       Target: quadriceps",
        "       Pictures: pics/start.png, pics/end.png",
        "       Video: https://example.org/raise",
        "00:02  work  Raise · right · 1 lb ankle weight · 2 s",
        "00:04  finish  Complete: Knee · played 00:04 · 2 segments done",
    ]


def test_named_phases_are_printed_and_alternate_tempo_reps_name_the_side() -> None:
    squat = ex("Lunge", reps=1, tempo=(2.0, 1.0), tempo_names=("down", "up"), sides=("left", "right"),
               alternate=True, cue_settings=QUIET)
    plain = ex("Squat", reps=1, tempo=(2.0, 1.0), cue_settings=QUIET)
    player, out = make((squat, plain))
    player.run()
    assert out.getvalue().splitlines() == [
        "00:00  work  Lunge · 1 rep a side, taking turns, left first · 6 s",
        "00:02  up",
        "00:03  rep 1/1 · right",
        "00:05  up",
        "00:06  work  Squat · 1 rep · 3 s",  # numbers only: the phase sound, no line
        "00:09  finish  Complete: Knee · played 00:09 · 2 segments done",
    ]


def test_sections_are_announced_when_their_first_segment_starts() -> None:
    part1, part2 = Section("Part 1: running", "Easy pace."), Section("Part 2")
    from player.timeline import iter_segments
    from player.engine import Session
    from player.timeline import Timeline

    steps = (part1, ex("Jog", duration=2, cue_settings=QUIET), ex("Run", duration=1, cue_settings=QUIET),
             part2, ex("Walk", duration=1, cue_settings=QUIET))
    segments = tuple(iter_segments(steps))
    assert [s.section.title if s.section else None for s in segments] == ["Part 1: running"] * 2 + ["Part 2"]
    player, out = make(())
    player.session = Session(Timeline(segments))
    player.run()
    assert out.getvalue().splitlines() == [
        "== Part 1: running ==",
        "   Easy pace.",
        "00:00  work  Jog · 2 s",
        "00:02  work  Run · 1 s",
        "== Part 2 ==",
        "00:03  work  Walk · 1 s",
        "00:04  finish  Complete: Knee · played 00:04 · 3 segments done",
    ]


def test_reps_max_asks_how_many_on_a_terminal_and_the_question_time_is_not_played() -> None:
    pushups = ex("Push-ups", reps=None, max_reps=True, cue_settings=QUIET)
    script = [(30.0, "d"), (31.0, "1"), (32.0, "2"), (40.0, "\r")]
    player, out = make((pushups, ex("Walk", distance="20 m", distance_m=20.0)), script + [(50.0, "d")],
                       keys_are_terminal=True)
    assert player.run() == 0
    assert out.getvalue().splitlines() == [
        "00:00  manual  Push-ups · as many as you can · own pace · Enter when done",
        "       How many did you do? Type the number, then Enter (Enter alone skips)",
        "00:30  12 done",
        "00:30  manual  Walk · 20 m · own pace · Enter when done",
        "00:40  finish  Complete: Knee · played 00:40 · 2 segments done",
    ]
    assert [(seg.name, n) for seg, n in player.counts] == [("Push-ups", 12)]


def test_reps_max_enter_alone_skips_the_question() -> None:
    pushups = ex("Push-ups", max_reps=True, cue_settings=QUIET)
    player, out = make((pushups,), [(5.0, "\r"), (6.0, "\r")], keys_are_terminal=True)
    player.run()
    assert "00:05  how many: skipped" in out.getvalue().splitlines()
    assert player.counts == []


ROUTINE = """\
name: Dosage
description: |
  Three parts.
  Go easy.
steps:
  - section: Strength
  - name: Wall push-up
    reps: max
    sets: 2
    rest: 0
    load: red band
  - name: Walk
    distance: 20 m
"""


def test_vmo_play_plain_from_a_pipe_reads_the_count_from_the_line_and_records_it(tmp_path: Path, data_dir: Any) -> None:
    routine = tmp_path / "dosage.yaml"
    routine.write_text(ROUTINE)
    result = run_vmo("play", str(routine), "--plain", "--mute", "--speed", "10", input="9\n\n\n",
                     env={"VMO_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == ["Dosage · 10 s + 3 self-paced segments", "  Three parts.", "  Go easy.", "== Strength =="]
    assert "00:05  manual  Wall push-up · set 1/2 · as many as you can · red band · own pace" in lines
    assert "00:05  9 done" in lines
    assert "00:05  how many: skipped" in lines
    [record] = [json.loads(line) for line in (data_dir / "history.jsonl").read_text().splitlines()]
    assert record["reps_done"] == [{"exercise": "Wall push-up", "set": 1, "side": None, "reps": 9}]
    assert record["loads"] == {"Wall push-up": "red band"}
