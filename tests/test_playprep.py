"""The questions before a programme session (next day, affected side) and the setting they remember."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from player.playprep import NEXT_DAY_QUESTION, SIDE_QUESTION, ask_next_day, ask_side, remember_setting


def test_next_day_question_takes_a_word_or_its_start_and_enter_skips() -> None:
    out = io.StringIO()
    assert ask_next_day("knee", io.StringIO("w\n"), out) == "worse"
    assert out.getvalue() == NEXT_DAY_QUESTION.format(area="knee")
    assert out.getvalue().startswith("Compared with before your last session, is your knee better, the same or worse?")
    assert ask_next_day("knee", io.StringIO("Same\n"), io.StringIO()) == "same"
    assert ask_next_day("knee", io.StringIO("\n"), io.StringIO()) is None
    out = io.StringIO()
    assert ask_next_day("calf", io.StringIO("maybe\nbetter\n"), out) == "better"
    assert "  Please answer better, same or worse (or press Enter to skip).\n" in out.getvalue()
    assert ask_next_day("knee", io.StringIO(""), io.StringIO()) is None


def test_side_question() -> None:
    out = io.StringIO()
    assert ask_side(io.StringIO("r\n"), out) == "right"
    assert out.getvalue() == SIDE_QUESTION
    assert ask_side(io.StringIO("up\nLeft\n"), io.StringIO()) == "left"
    assert ask_side(io.StringIO("\n"), io.StringIO()) is None


def test_the_answer_is_remembered_as_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VMO_DATA_DIR", str(tmp_path))
    assert remember_setting("affected_side", "left") is None
    assert (tmp_path / "settings.yaml").read_text() == "affected_side: left\n"
    (tmp_path / "settings.yaml").write_text("weekly_target: 4\naffected_side: left  # mine\nvoice: false")
    assert remember_setting("affected_side", "right") is None
    assert (tmp_path / "settings.yaml").read_text() == "weekly_target: 4\naffected_side: right\nvoice: false"
    from player.settings import load_settings

    settings, problems = load_settings(tmp_path / "settings.yaml")
    assert problems == [] and settings.affected_side == "right"


def test_the_dose_is_what_the_voice_and_the_plain_player_say() -> None:
    from player.loader import check_file
    from player.planner import apply_dose

    routine, _ = check_file(Path(__file__).parent / "fixtures" / "programmes" / "slr.yaml")
    grown = apply_dose(routine, {"Straight-leg raise": {"reps": 19}, "Quad set": {"hold": 12.0}},  # type: ignore[arg-type]
                       {"Straight-leg raise": {"reps": 17}, "Quad set": {"hold": 12.0}})
    slr, quad = grown.exercises()
    assert (slr.reps, slr.dose_note, slr.spoken_name) == (19, "19 reps, up from 17", "Straight-leg raise, 19 reps, up from 17")
    assert (quad.hold, quad.dose_note) == (12.0, "12 s hold")
    after = apply_dose(routine, {"Straight-leg raise": {"reps": 20, "load": "1 lb ankle weight"}},  # type: ignore[arg-type]
                       {"Straight-leg raise": {"reps": 40}})
    assert after.exercises()[0].dose_note == "20 reps, down from 40; with 1 lb ankle weight"
