"""The planner as pure tables: programme files + history lines + a date -> the exact `vmo plan --json` object."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from player.history import parse_history
from player.loader import check_file
from player.planner import dose_for, plan, session_dose
from player.programme import Programme, from_routine

ROUTINE = """name: Knee {n}
id: {id}
steps:
  - name: Straight-leg raise
    reps: 15
    progress: {{reps: 2, every: session, up_to: 21, then: {{reps: 17, load: 1 lb ankle weight}}}}
  - name: Quad set
    hold: 10s
    reps: 10
    progress: {{hold: 5s, every: week, up_to: 20s}}
"""

PROGRAMME = """name: Knee programme
id: knee
phases:
  - phase: Phase 1
    weeks: 2
    routines:
      - {routine: a, days_a_week: 3}
      - {routine: b, days: [mon, wed, fri], times_a_day: 2}
    advance: {sessions: 4, pain_at_most: 3, next_day: not_worse}
  - phase: Phase 2
    weeks: 3
    routines:
      - {routine: b, weeks: 1}
    step_back: {pain_at_least: 6, next_day_worse: 2}
"""


def load(tmp_path: Path, text: str = PROGRAMME) -> Programme:
    for rid in ("a", "b"):
        (tmp_path / f"{rid}.yaml").write_text(ROUTINE.format(n=rid, id=rid))
    (tmp_path / "knee.yaml").write_text(text)
    found, problems = check_file(tmp_path / "knee.yaml")
    assert problems == [] and isinstance(found, Programme)
    return found


def started(day: str, at: str | None = None) -> dict:
    return {"version": 1, "kind": "programme", "at": at or f"{day}T08:00:00+01:00", "programme_id": "knee",
            "file_hash": None, "event": "started", "start": day}


def event(at: str, name: str, **extra: object) -> dict:
    return {"version": 1, "kind": "programme", "at": at, "programme_id": "knee", "file_hash": None, "event": name, **extra}


def session(at: str, rid: str = "a", pain: int | None = None, speed: float = 1.0, completed: bool = True) -> dict:
    return {"version": 1, "start": at, "end": at, "routine_id": rid, "routine_name": rid, "played_seconds": 60.0,
            "completed": completed, "pain_after": pain, "speed": speed}


def answer(at: str, value: str) -> dict:
    return {"version": 1, "kind": "next_day", "at": at, "answer": value, "routine_id": "a", "programme_id": "knee"}


def records(*lines: dict | str) -> list:
    data = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()
    read = parse_history(data)
    return read.records + read.others


def item(rid: str, **kw: object) -> dict:
    base = {"routine": rid, "times_a_day": 1, "done_today": 0, "days_a_week": 3, "days_done_this_week": 0,
            "due_today": True, "dose": {"Straight-leg raise": {"reps": 15}, "Quad set": {"hold": 10.0}}}
    if rid == "b":
        base |= {"times_a_day": 2, "days": ["mon", "wed", "fri"]}
    return base | kw


def phase(index: int, week: int, day: int, first: str) -> dict:
    return {"index": index, "name": f"Phase {index + 1}", "week": week, "day": day, "first_day": first}


def test_before_the_start_nothing_is_due(tmp_path: Path) -> None:
    p = load(tmp_path)
    assert plan(p, records(started("2026-12-07", "2026-12-01T09:00:00+01:00")), date(2026, 12, 6)).to_json() == {
        "id": "knee", "name": "Knee programme", "started": "2026-12-07", "phase": None, "due": [], "proposal": None,
    }
    assert plan(p, [], date(2026, 12, 6)).to_json()["started"] is None


def test_first_day_weeks_and_days_count_from_the_phase_start(tmp_path: Path) -> None:
    p = load(tmp_path)
    # 2026-12-09 is a Wednesday: weeks run Wednesday to Tuesday
    got = plan(p, records(started("2026-12-09")), date(2026, 12, 15)).to_json()
    assert got == {
        "id": "knee", "name": "Knee programme", "started": "2026-12-09",
        "phase": phase(0, 1, 7, "2026-12-09"),
        "due": [item("a"), item("b", due_today=False)],  # the 15th is a Tuesday: not one of b's days
        "proposal": None,
    }
    assert plan(p, records(started("2026-12-09")), date(2026, 12, 16)).to_json()["phase"] == phase(0, 2, 1, "2026-12-09")


def test_days_a_week_counts_days_with_a_session(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = records(started("2026-12-07"), session("2026-12-07T10:00:00+01:00"), session("2026-12-08T10:00:00+01:00"),
                   session("2026-12-09T10:00:00+01:00"))
    a = plan(p, hist, date(2026, 12, 10)).to_json()["due"][0]
    # three days done this week: Thursday is not needed any more
    assert a == item("a", days_done_this_week=3, due_today=False, dose={"Straight-leg raise": {"reps": 21}, "Quad set": {"hold": 10.0}})
    # on a day that already has one, the day is a day it is done (times_a_day 1: done)
    a9 = plan(p, hist, date(2026, 12, 9)).to_json()["due"][0]
    assert a9["done_today"] == 1 and a9["due_today"] is False and a9["days_done_this_week"] == 3


def test_times_a_day_and_days_of_the_week(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = records(started("2026-12-07"), session("2026-12-07T10:00:00+01:00", "b"), session("2026-12-08T10:00:00+01:00", "b"))
    b = plan(p, hist, date(2026, 12, 7)).to_json()["due"][1]
    assert (b["done_today"], b["due_today"]) == (1, True)  # Monday: once of twice
    b = plan(p, hist, date(2026, 12, 8)).to_json()["due"][1]
    # Tuesday is not listed: the session counts in done_today but the day is not a prescribed one
    assert (b["done_today"], b["due_today"], b["days_done_this_week"]) == (1, False, 2)


def test_previews_stopped_and_cramp_sessions_are_not_counted(tmp_path: Path) -> None:
    p = load(tmp_path)
    preview = session("2026-12-07T10:00:00+01:00", speed=10)
    stopped = session("2026-12-07T11:00:00+01:00", completed=False)
    cramp = session("2026-12-07T12:00:00+01:00") | {"cramp": {"muscle": "calf", "eased_after_seconds": 30, "escalated": False}}
    a = plan(p, records(started("2026-12-07", "2026-12-07T07:00:00+01:00"), preview, stopped, cramp), date(2026, 12, 7)).to_json()["due"][0]
    assert a["done_today"] == 0 and a["dose"]["Straight-leg raise"] == {"reps": 15}


def test_on_ignores_later_records(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = records(started("2026-12-07"), session("2026-12-07T10:00:00+01:00"), session("2026-12-08T23:30:00-05:00"))
    # the second session is on the 8th where it was played (the 9th in UTC)
    assert plan(p, hist, date(2026, 12, 7)).to_json()["due"][0]["dose"]["Straight-leg raise"] == {"reps": 17}
    assert plan(p, hist, date(2026, 12, 8)).to_json()["due"][0]["done_today"] == 1
    assert plan(p, hist, date(2026, 12, 9)).to_json()["due"][0]["dose"]["Straight-leg raise"] == {"reps": 19}


@pytest.mark.parametrize(("k", "expected"), [
    (0, {"reps": 15}), (1, {"reps": 17}), (2, {"reps": 19}), (3, {"reps": 21}),
    (4, {"reps": 17, "load": "1 lb ankle weight"}), (5, {"reps": 19, "load": "1 lb ankle weight"}),
    (6, {"reps": 21, "load": "1 lb ankle weight"}), (9, {"reps": 21, "load": "1 lb ankle weight"}),
])
def test_progression_with_then(tmp_path: Path, k: int, expected: dict) -> None:
    p = load(tmp_path)
    slr = p.phases[0].routines[0].routine.exercises()[0]
    assert dose_for(slr, k) == expected


@pytest.mark.parametrize(("k", "expected"), [(0, 10.0), (1, 15.0), (2, 20.0), (3, 20.0), (50, 20.0)])
def test_progression_without_then_stays_at_the_cap(tmp_path: Path, k: int, expected: float) -> None:
    quad = load(tmp_path).phases[0].routines[0].routine.exercises()[1]
    assert dose_for(quad, k) == {"hold": expected}


def test_a_step_that_clips_at_the_cap_is_the_first_at_the_cap(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("name: R\nsteps:\n  - name: X\n    reps: 10\n"
                                     "    progress: {reps: 4, every: session, up_to: 16, then: {reps: 12}}\n")
    routine, _ = check_file(tmp_path / "r.yaml")
    x = routine.exercises()[0]  # type: ignore[union-attr]
    assert [dose_for(x, k)["reps"] for k in range(6)] == [10, 14, 16, 12, 16, 16]


def test_weekly_steps_count_whole_weeks_of_the_phase(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = records(started("2026-12-07"))
    doses = [plan(p, hist, date(2026, 12, d)).to_json()["due"][0]["dose"]["Quad set"] for d in (13, 14, 21, 28)]
    assert doses == [{"hold": 10.0}, {"hold": 15.0}, {"hold": 20.0}, {"hold": 20.0}]


def test_session_n_of_a_routine(tmp_path: Path) -> None:
    routine = load(tmp_path).phases[0].routines[0].routine
    assert session_dose(routine, 1) == {"Straight-leg raise": {"reps": 15}, "Quad set": {"hold": 10.0}}
    assert session_dose(routine, 8) == {"Straight-leg raise": {"reps": 21, "load": "1 lb ankle weight"}, "Quad set": {"hold": 15.0}}


def _phase1_done(pain: list[int | None]) -> list:
    days = ["07", "08", "09", "10"]
    return [started("2026-12-07")] + [session(f"2026-12-{d}T10:00:00+01:00", pain=v) for d, v in zip(days, pain)]


def test_advance_needs_every_condition(tmp_path: Path) -> None:
    p = load(tmp_path)
    on = date(2026, 12, 21)  # two whole weeks in
    assert plan(p, records(*_phase1_done([5, 2, 3, 1])), on).to_json()["proposal"] is None  # the window holds a 5
    ok = records(*_phase1_done([None, 2, 3, 1]))
    assert plan(p, ok, on).to_json()["proposal"] == {"kind": "advance", "to_phase": 1, "because": [
        "2 whole weeks in this phase (needs 2)",
        "4 counted sessions in this phase (needs 4)",
        "pain after the last 4 counted sessions at most 3/10 (needs 3 or less)",
        "no 'worse' next-day answer in this phase",
    ]}
    assert plan(p, ok, date(2026, 12, 20)).to_json()["proposal"] is None  # not two whole weeks yet
    unrated = records(*_phase1_done([None, None, None, None]))
    assert plan(p, unrated, on).to_json()["proposal"] is None  # a window without a rating does not meet it
    worse = records(*_phase1_done([1, 1, 1, 1]), answer("2026-12-11T08:00:00+01:00", "worse"))
    assert plan(p, worse, on).to_json()["proposal"] is None


def test_a_declined_proposal_comes_back_after_the_next_counted_session(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = _phase1_done([1, 1, 1, 1]) + [event("2026-12-21T09:00:00+01:00", "declined", proposal={"kind": "advance", "to_phase": 1})]
    assert plan(p, records(*hist), date(2026, 12, 21)).to_json()["proposal"] is None
    preview = session("2026-12-22T10:00:00+01:00", speed=2)
    assert plan(p, records(*hist, preview), date(2026, 12, 22)).to_json()["proposal"] is None
    again = session("2026-12-22T11:00:00+01:00", pain=1)
    assert plan(p, records(*hist, again), date(2026, 12, 22)).to_json()["proposal"]["kind"] == "advance"


def test_advanced_begins_the_next_phase_on_its_day(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = _phase1_done([1, 1, 1, 1]) + [
        session("2026-12-21T07:00:00+01:00", "b"),  # before the advance: belongs to phase 1
        event("2026-12-21T09:00:00+01:00", "advanced", to_phase=1),
        session("2026-12-21T10:00:00+01:00", "b"),
    ]
    got = plan(p, records(*hist), date(2026, 12, 21)).to_json()
    assert got["phase"] == phase(1, 1, 1, "2026-12-21")
    assert got["due"] == [{"routine": "b", "times_a_day": 1, "done_today": 1, "days_a_week": 7, "days_done_this_week": 1,
                           "due_today": False, "dose": {"Straight-leg raise": {"reps": 17}, "Quad set": {"hold": 10.0}}}]
    # the phase's routine weeks end after one week: left out of due
    assert plan(p, records(*hist), date(2026, 12, 28)).to_json()["due"] == []


def test_step_back_on_pain_or_worse_answers_and_wins_over_advance(tmp_path: Path) -> None:
    p = load(tmp_path)
    base = _phase1_done([1, 1, 1, 1]) + [event("2026-12-21T09:00:00+01:00", "advanced", to_phase=1)]
    pain = records(*base, session("2026-12-22T10:00:00+01:00", "b", pain=7))
    assert plan(p, pain, date(2026, 12, 22)).to_json()["proposal"] == {"kind": "step_back", "to_phase": 0, "because": [
        "pain 7/10 after the session on 2026-12-22 (steps back at 6 or more)"]}
    one = records(*base, answer("2026-12-22T08:00:00+01:00", "worse"))
    assert plan(p, one, date(2026, 12, 22)).to_json()["proposal"] is None
    two = records(*base, answer("2026-12-22T08:00:00+01:00", "worse"), answer("2026-12-23T08:00:00+01:00", "worse"))
    assert plan(p, two, date(2026, 12, 23)).to_json()["proposal"] == {"kind": "step_back", "to_phase": 0, "because": [
        "the last 2 next-day answers were 'worse'"]}
    broken = records(*base, answer("2026-12-22T08:00:00+01:00", "worse"), answer("2026-12-23T08:00:00+01:00", "same"))
    assert plan(p, broken, date(2026, 12, 23)).to_json()["proposal"] is None


def test_phases_without_advance_end_on_their_own_and_the_programme_finishes(tmp_path: Path) -> None:
    text = PROGRAMME.replace("    advance: {sessions: 4, pain_at_most: 3, next_day: not_worse}\n", "")
    p = load(tmp_path, text)
    hist = records(started("2026-12-07"))
    assert plan(p, hist, date(2026, 12, 21)).to_json()["phase"] == phase(1, 1, 1, "2026-12-21")
    assert plan(p, hist, date(2027, 1, 10)).to_json()["phase"] == phase(1, 3, 7, "2026-12-21")
    assert plan(p, hist, date(2027, 1, 11)).to_json() == {
        "id": "knee", "name": "Knee programme", "started": "2026-12-07", "phase": None, "due": [], "proposal": None,
        "finished": True,
    }


def test_stopped(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = records(started("2026-12-07"), event("2026-12-08T09:00:00+01:00", "stopped"))
    assert plan(p, hist, date(2026, 12, 7)).to_json()["phase"] == phase(0, 1, 1, "2026-12-07")
    assert plan(p, hist, date(2026, 12, 9)).to_json() == {
        "id": "knee", "name": "Knee programme", "started": "2026-12-07", "phase": None, "due": [], "proposal": None,
        "stopped": True,
    }


def test_a_changed_file_keeps_the_place_and_says_so(tmp_path: Path) -> None:
    p = load(tmp_path)
    hist = records(started("2026-12-07") | {"file_hash": "0" * 64}, event("2026-12-21T09:00:00+01:00", "advanced", to_phase=5))
    got = plan(p, hist, date(2026, 12, 22))
    assert got.phase is not None and got.phase.index == 1
    assert got.notes == (
        "the programme file has changed since it was started; your place in it is kept",
        "the history moves to phase 6, which the programme file no longer has; following its last phase instead",
    )


def test_a_routine_with_a_frequency_is_a_one_phase_programme(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("name: R\nid: r\nfrequency: {days_a_week: 2, weeks: 1}\nsteps:\n  - name: X\n    reps: 3\n")
    routine, _ = check_file(tmp_path / "r.yaml")
    p = from_routine(routine)  # type: ignore[arg-type]
    hist = records({"version": 1, "kind": "programme", "at": "2026-12-07T08:00:00+00:00", "programme_id": "r",
                    "file_hash": None, "event": "started", "start": "2026-12-07"})
    assert plan(p, hist, date(2026, 12, 7)).to_json() == {
        "id": "r", "name": "R", "started": "2026-12-07",
        "phase": {"index": 0, "name": "R", "week": 1, "day": 1, "first_day": "2026-12-07"},
        "due": [{"routine": "r", "times_a_day": 1, "done_today": 0, "days_a_week": 2, "days_done_this_week": 0,
                 "due_today": True, "dose": {}}],
        "proposal": None,
    }
    assert plan(p, hist, date(2026, 12, 14)).to_json()["finished"] is True
