"""The programme commands from outside: installed `vmo`, VMO_DATA_DIR, a history file written by the test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

FIX = Path(__file__).parent / "fixtures" / "programmes"
VMO = shutil.which("vmo", path=str(Path(os.sys.executable).parent)) or "vmo"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "data"
    data.mkdir()
    return {**os.environ, "VMO_DATA_DIR": str(data), "VMO_ROUTINES": str(FIX)}


def vmo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VMO, *args], env=env, capture_output=True, text=True, timeout=60)


def write(env: dict[str, str], *records: dict) -> Path:
    path = Path(env["VMO_DATA_DIR"]) / "history.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def started(day: str = "2026-12-07") -> dict:
    return {"version": 1, "kind": "programme", "at": f"{day}T08:00:00+01:00", "programme_id": "prog",
            "file_hash": None, "event": "started", "start": day}


def session(at: str, rid: str = "slr", pain: int | None = None) -> dict:
    return {"version": 1, "start": at, "end": at, "routine_id": rid, "routine_name": rid, "played_seconds": 60.0,
            "completed": True, "pain_after": pain}


def test_plan_json_from_a_history_file(env: dict[str, str]) -> None:
    write(env, started(), session("2026-12-07T18:00:00+01:00"), {"version": 1, "kind": "from-the-future", "at": "x"},
          session("2026-12-08T18:00:00+01:00"))
    result = vmo(env, "plan", "prog", "--on", "2026-12-08", "--json")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "id": "prog", "name": "Knee programme", "started": "2026-12-07",
        "phase": {"index": 0, "name": "Phase 1", "week": 1, "day": 2, "first_day": "2026-12-07"},
        "due": [
            {"routine": "slr", "times_a_day": 1, "done_today": 1, "days_a_week": 3, "days_done_this_week": 2,
             "due_today": False, "dose": {"Straight-leg raise": {"reps": 19}, "Quad set": {"hold": 10.0}}},
            {"routine": "other", "times_a_day": 1, "done_today": 0, "days_a_week": 7, "days_done_this_week": 0,
             "due_today": True, "dose": {}},
        ],
        "proposal": None,
    }


def test_today_lists_only_what_is_due(env: dict[str, str]) -> None:
    write(env, started(), session("2026-12-08T18:00:00+01:00"))
    result = vmo(env, "today", "--on", "2026-12-08", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == [
        {"programme": "prog", "routine": "other", "times_a_day": 1, "done_today": 0, "days_a_week": 7,
         "days_done_this_week": 0, "due_today": True, "dose": {}},
    ]
    assert vmo(env, "today", "--on", "2026-12-01", "--json").stdout == "[]\n"
    text = vmo(env, "today", "--on", "2026-12-01")
    assert (text.returncode, text.stdout) == (0, "Nothing due on 2026-12-01.\n")


def test_start_stop_and_a_routine_with_a_frequency(env: dict[str, str]) -> None:
    result = vmo(env, "start", "slr")
    assert result.returncode == 0 and result.stdout.startswith("Started Straight-leg raise on ")
    today = vmo(env, "today", "--json")
    items = json.loads(today.stdout)
    assert [(i["programme"], i["routine"], i["times_a_day"]) for i in items] == [(None, "slr", 2)]
    again = vmo(env, "start", "slr")
    assert again.returncode == 0 and again.stdout.startswith("Already following Straight-leg raise")
    assert vmo(env, "stop", "slr").returncode == 0
    assert vmo(env, "today", "--json").stdout == "[]\n"
    stop = vmo(env, "stop", "slr")
    assert (stop.returncode, stop.stderr) == (2, "vmo: you are not following 'slr'\n")
    kinds = [r["kind"] for r in json.loads(vmo(env, "history", "--json").stdout)]
    assert kinds == ["programme", "programme"]


def test_advance_and_decline(env: dict[str, str]) -> None:
    nothing = vmo(env, "advance", "prog")
    assert (nothing.returncode, nothing.stderr) == (2, "vmo: no proposal is pending for 'prog'\n")
    assert vmo(env, "decline", "prog").returncode == 2
    # ten sessions over five weeks, pain at most 2: phase 1 proposes phase 2
    days = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-08",
            "2026-10-12", "2026-10-13", "2026-10-15", "2026-10-19", "2026-10-20"]
    write(env, started("2026-10-01"), *[session(f"{d}T18:00:00+01:00", pain=2) for d in days])
    plan = json.loads(vmo(env, "plan", "prog", "--json").stdout)
    assert plan["proposal"]["because"][0].endswith(" whole weeks in this phase (needs 4)")  # today is past week 4
    assert plan["proposal"] | {"because": plan["proposal"]["because"][1:]} == {"kind": "advance", "to_phase": 1, "because": [
        "10 counted sessions in this phase (needs 10)",
        "pain after the last 10 counted sessions at most 2/10 (needs 3 or less)",
        "no 'worse' next-day answer in this phase",
    ]}
    declined = vmo(env, "decline", "prog")
    assert declined.returncode == 0
    assert json.loads(vmo(env, "plan", "prog", "--json").stdout)["proposal"] is None
    assert vmo(env, "advance", "prog").returncode == 2
    path = Path(env["VMO_DATA_DIR"]) / "history.jsonl"
    with path.open("a") as f:
        f.write(json.dumps(session("2099-01-01T00:00:00+00:00", pain=1)) + "\n")  # a later counted session
    plan = json.loads(vmo(env, "plan", "prog", "--on", "2099-01-01", "--json").stdout)
    assert plan["proposal"]["kind"] == "advance"


def test_bad_input_is_one_line(env: dict[str, str]) -> None:
    bad_date = vmo(env, "plan", "prog", "--on", "2026-02-30")
    assert (bad_date.returncode, bad_date.stderr) == (2, "vmo: --on: expected a date such as 2026-12-07, got '2026-02-30'\n")
    unknown = vmo(env, "plan", "nothing-like-it")
    assert unknown.returncode == 2 and unknown.stderr.startswith("vmo: unknown programme 'nothing-like-it'")
    invalid = vmo(env, "plan", "bad")
    assert invalid.returncode == 1
    assert invalid.stderr.splitlines()[0].endswith("bad.yaml:2:8: error: start: expected a date such as 2026-12-07 (YYYY-MM-DD), got '2026-02-30'")
    plain = vmo(env, "plan", "other")
    assert (plain.returncode, plain.stderr) == (
        2, "vmo: 'other' is a routine without a frequency, not a programme; 'vmo play other' plays it\n")


def test_a_programme_gone_from_the_library_is_a_warning(env: dict[str, str]) -> None:
    write(env, started() | {"programme_id": "gone-away"})
    result = vmo(env, "today", "--on", "2026-12-08")
    assert result.returncode == 0
    assert result.stderr == (
        "vmo: warning: you follow 'gone-away', which the library no longer has; left out (its records are kept in the history)\n"
    )


def test_play_a_programme_plays_its_next_due_session_with_the_dose(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "short.yaml").write_text(
        "name: Short\nid: short\nsteps:\n  - name: Raise\n    hold: 1s\n    reps: 2\n    prepare: 0\n    relax: 1s\n"
        "    sides: affected\n    progress: {reps: 1, every: session, up_to: 4}\n"
    )
    (tmp_path / "p.yaml").write_text(
        "name: Short programme\nid: shortp\npatient: {affected_side: right}\nphases:\n"
        "  - phase: Only\n    weeks: 2\n    routines:\n      - {routine: short, times_a_day: 2}\n"
    )
    env = env | {"VMO_ROUTINES": str(tmp_path)}
    write(env, {"version": 1, "kind": "programme", "at": "2026-01-01T08:00:00+00:00", "programme_id": "shortp",
                "file_hash": None, "event": "started", "start": "2026-01-01"},
          {"version": 1, "start": "2026-01-02T10:00:00+00:00", "end": "2026-01-02T10:01:00+00:00", "routine_id": "short",
           "routine_name": "Short", "played_seconds": 60.0, "completed": True})
    # the programme's weeks are over by now: finished, nothing is played
    done = vmo(env, "play", "shortp", "--plain", "--mute")
    assert (done.returncode, done.stdout) == (0, "Nothing due: Short programme is finished. Well done.\n")
    (tmp_path / "p.yaml").write_text((tmp_path / "p.yaml").read_text().replace("weeks: 2", "weeks: 104"))
    played = vmo(env, "play", "shortp", "--plain", "--mute")
    assert played.returncode == 0, played.stderr
    lines = played.stdout.splitlines()
    assert lines[0] == "Short programme: Only, week " + lines[0].split("week ")[1]
    assert "       This session: 3 reps, up from 2" in lines
    assert any(line.endswith("work  Raise · right · hold 3/3 · 1 s") for line in lines)
    record = json.loads((Path(env["VMO_DATA_DIR"]) / "history.jsonl").read_text().splitlines()[-1])
    assert (record["kind"], record["routine_id"], record["completed"]) == ("session", "short", True)
    assert (record["programme_id"], record["phase"], record["dose"]) == ("shortp", 0, {"Raise": {"reps": 3}})
    again = vmo(env, "play", "shortp", "--plain", "--mute")  # the second of two today
    assert "This session: 4 reps, up from 3" in again.stdout
    third = vmo(env, "play", "shortp", "--plain", "--mute")
    assert third.returncode == 0
    assert third.stdout == "Nothing more due today in Short programme. Next: Short (short), tomorrow.\n"


def test_history_import_skips_exact_duplicates(env: dict[str, str], tmp_path: Path) -> None:
    mine = write(env, started(), session("2026-12-07T18:00:00+01:00"))
    before = mine.read_bytes()
    other = tmp_path / "patient.jsonl"
    other.write_text(
        json.dumps(session("2026-12-07T18:00:00+01:00"), indent=None, separators=(", ", ": ")) + "\n"  # same, spaced
        + json.dumps(session("2026-12-08T18:00:00+01:00")) + "\n"
        + '{"version": 1, "start": "2026-12-0\n'
        + json.dumps({"version": 1, "kind": "next_day", "at": "2026-12-09T07:00:00+01:00", "answer": "worse",
                      "routine_id": "slr", "programme_id": "prog"}) + "\n"
    )
    result = vmo(env, "history", "import", str(other))
    assert result.returncode == 0
    assert result.stdout == f"Imported 2 records from {other}; 1 already there.\n"
    assert result.stderr == f"vmo: warning: {other}: skipped line 3, which is not a complete session record\n"
    after = mine.read_bytes()
    assert after.startswith(before)  # nothing already there is changed
    assert len(after.splitlines()) == 4
    assert vmo(env, "history", "import", str(other)).stdout == f"Imported 0 records from {other}; 3 already there.\n"
    missing = vmo(env, "history", "import", str(tmp_path / "nope.jsonl"))
    assert (missing.returncode, missing.stderr) == (2, f"vmo: no such history file: {tmp_path / 'nope.jsonl'}\n")


def test_show_session_n_and_the_next_session(env: dict[str, str]) -> None:
    fifth = json.loads(vmo(env, "show", "slr", "--session", "5", "--json").stdout)
    assert {s["reps"] for s in fifth["segments"] if s["name"] == "Straight-leg raise" and s["kind"] == "manual"} == {23}
    write(env, session("2025-12-07T18:00:00+01:00"), session("2025-12-08T18:00:00+01:00"))
    nxt = json.loads(vmo(env, "show", "slr", "--json").stdout)
    assert {s["reps"] for s in nxt["segments"] if s["name"] == "Straight-leg raise" and s["kind"] == "manual"} == {19}
    sides = {s["side"] for s in nxt["segments"] if s["name"] == "Quad set" and s["kind"] == "work"}
    assert sides == {"affected"}  # not known: shown as written
    right = json.loads(vmo(env, "show", "slr", "--json", "--affected-side", "right").stdout)
    assert {s["side"] for s in right["segments"] if s["name"] == "Quad set" and s["kind"] == "work"} == {"right"}
    bad = vmo(env, "show", "slr", "--session", "0")
    assert bad.returncode == 2


def test_a_changed_programme_file_keeps_the_place_and_says_so(env: dict[str, str]) -> None:
    write(env, started() | {"file_hash": "0" * 64},
          {"version": 1, "kind": "programme", "at": "2026-12-20T08:00:00+01:00", "programme_id": "prog",
           "file_hash": "0" * 64, "event": "advanced", "to_phase": 1})
    result = vmo(env, "plan", "prog", "--on", "2026-12-21", "--json")
    assert result.returncode == 0
    assert result.stderr == "vmo: note: prog: the programme file has changed since it was started; your place in it is kept\n"
    assert json.loads(result.stdout)["phase"]["index"] == 1
    lines = (Path(env["VMO_DATA_DIR"]) / "history.jsonl").read_text().splitlines()
    assert len(lines) == 2  # nothing lost, nothing rewritten


def test_play_without_a_known_side_keeps_the_side_names(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "side.yaml").write_text(
        "name: Side\nid: side\nsteps:\n  - name: Raise\n    hold: 1s\n    reps: 1\n    prepare: 0\n    switch: 0\n"
        "    sides: [affected, unaffected]\n"
    )
    env = env | {"VMO_ROUTINES": str(tmp_path)}
    result = vmo(env, "play", "side", "--plain", "--mute")
    assert result.returncode == 0
    assert result.stderr == (
        "vmo: note: which side is affected is not known, so the sides are called affected and unaffected;"
        " --affected-side left|right (or affected_side in settings.yaml) says which\n"
    )
    assert "Raise · affected" in result.stdout and "Raise · unaffected" in result.stdout
    right = vmo(env, "play", "side", "--plain", "--mute", "--affected-side", "right")
    assert (right.returncode, right.stderr) == (0, "")
    assert "Raise · right" in right.stdout and "Raise · left" in right.stdout


def test_advance_accepts_the_proposal_from_today(env: dict[str, str]) -> None:
    days = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-08",
            "2026-10-12", "2026-10-13", "2026-10-15", "2026-10-19", "2026-10-20"]
    path = write(env, started("2026-10-01"), *[session(f"{d}T18:00:00+01:00", pain=1) for d in days])
    result = vmo(env, "advance", "prog")
    assert (result.returncode, result.stdout) == (0, "Moved up to Phase 2, from today.\n")
    record = json.loads(path.read_text().splitlines()[-1])
    assert (record["kind"], record["event"], record["to_phase"], record["programme_id"]) == ("programme", "advanced", 1, "prog")
    assert len(record["file_hash"]) == 64
    plan = json.loads(vmo(env, "plan", "prog", "--json").stdout)
    assert plan["phase"]["index"] == 1 and plan["phase"]["first_day"] == record["at"][:10]
    assert plan["phase"]["week"] == 1 and plan["phase"]["day"] == 1
    assert [d["routine"] for d in plan["due"]] == ["slr"] and plan["proposal"] is None
    again = vmo(env, "advance", "prog")
    assert (again.returncode, again.stderr) == (2, "vmo: no proposal is pending for 'prog'\n")


def test_watch_is_for_routine_files(env: dict[str, str]) -> None:
    result = vmo(env, "play", "prog", "--watch", "--plain")
    assert (result.returncode, result.stderr) == (
        2, "vmo: --watch reloads a routine file while you edit it; 'prog' is a programme\n")
