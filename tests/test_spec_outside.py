"""program-format.md and cli.md read sentence by sentence, tested from outside: the installed `vmo`,
VMO_DATA_DIR in a temporary folder, history and routine/programme files written by the test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VMO = shutil.which("vmo", path=str(Path(os.sys.executable).parent)) or "vmo"


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    return folder


@pytest.fixture
def env(tmp_path: Path, lib: Path) -> dict[str, str]:
    data = tmp_path / "data"
    data.mkdir()
    return {**os.environ, "VMO_DATA_DIR": str(data), "VMO_ROUTINES": str(lib)}


def vmo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VMO, *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def history(env: dict[str, str], *records: dict) -> Path:
    path = Path(env["VMO_DATA_DIR"]) / "history.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def event(pid: str, at: str, name: str, **more: object) -> dict:
    return {"version": 1, "kind": "programme", "at": at, "programme_id": pid, "file_hash": None, "event": name, **more}


def started(pid: str, day: str, at: str | None = None) -> dict:
    return event(pid, at or f"{day}T08:00:00+00:00", "started", start=day)


def session(rid: str, start: str, **more: object) -> dict:
    return {"version": 1, "kind": "session", "start": start, "end": start, "routine_id": rid, "routine_name": rid,
            "played_seconds": 60.0, "completed": True, "speed": 1, "pain_after": None, "cramp": None, **more}


def plan(env: dict[str, str], pid: str, on: str) -> dict:
    result = vmo(env, "plan", pid, "--on", on, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


RAISE = "name: Raise\nid: raise\nsteps:\n  - name: Lift\n    reps: 15\n    progress: {reps: 2, every: session, up_to: 20%s}\n"


def one_phase(lib: Path, entry: str = "{routine: raise}", weeks: int = 10, extra: str = "") -> None:
    (lib / "p.yaml").write_text(f"name: P\nid: p\nphases:\n  - phase: One\n    weeks: {weeks}\n    routines:\n      - {entry}\n{extra}")


def doses(env: dict[str, str], lib: Path, count: int, then: str = "") -> list[int]:
    (lib / "raise.yaml").write_text(RAISE % then)
    one_phase(lib)
    out = []
    for n in range(count):
        history(env, started("p", "2026-01-05"), *[session("raise", f"2026-01-{5 + i:02d}T10:00:00+00:00") for i in range(n)])
        out.append(plan(env, "p", "2026-03-01")["due"][0]["dose"]["Lift"]["reps"])
    return out


def test_progression_then_switches_after_the_first_step_at_the_cap(env: dict[str, str], lib: Path) -> None:
    # 15, 17, 19, then 21 clips at 20: the first step at the cap; the next switches to then; then applies once
    assert doses(env, lib, 12, ", then: {reps: 10}") == [15, 17, 19, 20, 10, 12, 14, 16, 18, 20, 20, 20]


def test_progression_without_then_stays_at_the_cap(env: dict[str, str], lib: Path) -> None:
    assert doses(env, lib, 6) == [15, 17, 19, 20, 20, 20]


def test_show_session_n_follows_the_same_steps(env: dict[str, str], lib: Path) -> None:
    (lib / "raise.yaml").write_text(RAISE % ", then: {reps: 10}")
    got = []
    for n in (1, 4, 5, 11):
        shown = json.loads(vmo(env, "show", "raise", "--session", str(n), "--json").stdout)
        got.append({s["reps"] for s in shown["segments"] if s["kind"] == "manual"})
    assert got == [{15}, {20}, {10}, {20}]


def test_weeks_run_from_a_wednesday_and_week_progression(env: dict[str, str], lib: Path) -> None:
    (lib / "hold.yaml").write_text(
        "name: Hold\nid: hold\nsteps:\n  - name: Squeeze\n    hold: 10s\n    reps: 3\n    progress: {hold: 2s, every: week, up_to: 1m}\n")
    one_phase(lib, "{routine: hold}")
    history(env, started("p", "2026-12-09"))  # a Wednesday
    tue = plan(env, "p", "2026-12-15")
    assert tue["phase"] == {"index": 0, "name": "One", "week": 1, "day": 7, "first_day": "2026-12-09"}
    assert tue["due"][0]["dose"] == {"Squeeze": {"hold": 10}}
    wed = plan(env, "p", "2026-12-16")
    assert (wed["phase"]["week"], wed["phase"]["day"]) == (2, 1)
    assert wed["due"][0]["dose"] == {"Squeeze": {"hold": 12}}


def test_days_a_week_counts_days_of_the_phase_week(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w, days_a_week: 2}")
    history(env, started("p", "2026-12-09"), session("w", "2026-12-09T10:00:00+00:00"),
            session("w", "2026-12-09T12:00:00+00:00"), session("w", "2026-12-11T10:00:00+00:00"))
    fri = plan(env, "p", "2026-12-11")["due"][0]
    assert (fri["done_today"], fri["days_done_this_week"], fri["due_today"]) == (1, 2, False)
    sat = plan(env, "p", "2026-12-12")["due"][0]
    assert (sat["done_today"], sat["days_done_this_week"], sat["due_today"], sat["days_a_week"]) == (0, 2, False, 2)
    # the next week (from Wednesday) starts again
    wed = plan(env, "p", "2026-12-16")["due"][0]
    assert (wed["days_done_this_week"], wed["due_today"]) == (0, True)


def test_times_a_day_and_days_list(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w, times_a_day: 3, days: [mon, fri]}")
    history(env, started("p", "2026-12-07"), session("w", "2026-12-07T10:00:00+00:00"),
            session("w", "2026-12-08T10:00:00+00:00"))
    mon = plan(env, "p", "2026-12-07")["due"][0]
    assert (mon["times_a_day"], mon["done_today"], mon["due_today"]) == (3, 1, True)
    tue = plan(env, "p", "2026-12-08")["due"][0]  # an unlisted day: counts in done_today, not prescribed
    assert (tue["done_today"], tue["due_today"]) == (1, False)
    assert vmo(env, "today", "--on", "2026-12-08", "--json").stdout == "[]\n"
    today = json.loads(vmo(env, "today", "--on", "2026-12-11", "--json").stdout)
    assert [(i["programme"], i["routine"], i["due_today"]) for i in today] == [("p", "w", True)]


def test_previews_cramps_and_missing_speed(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w, times_a_day: 5}")
    no_speed = session("w", "2026-12-07T11:00:00+00:00")
    del no_speed["speed"]
    history(env, started("p", "2026-12-07"),
            session("w", "2026-12-07T10:00:00+00:00", speed=2.0),
            session("w", "2026-12-07T10:05:00+00:00", speed=0.5),
            session("w", "2026-12-07T10:10:00+00:00", cramp={"muscle": None, "eased_after_seconds": 5, "escalated": False}),
            session("w", "2026-12-07T10:15:00+00:00", completed=False),
            no_speed)
    assert plan(env, "p", "2026-12-07")["due"][0]["done_today"] == 1


def test_a_records_date_is_its_own_local_date(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w}")
    # 23:30 at UTC-5 is the 8th there, though the 9th in UTC
    history(env, started("p", "2026-12-07"), session("w", "2026-12-08T23:30:00-05:00"),
            session("w", "2026-12-10T00:30:00+09:00"))
    assert plan(env, "p", "2026-12-08")["due"][0]["done_today"] == 1
    assert plan(env, "p", "2026-12-09")["due"][0]["done_today"] == 0
    assert plan(env, "p", "2026-12-10")["due"][0]["done_today"] == 1


def test_on_ignores_later_records(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w}")
    history(env, started("p", "2026-12-07"), event("p", "2026-12-10T09:00:00+00:00", "stopped"))
    before = plan(env, "p", "2026-12-09")
    assert before.get("stopped", False) is False and before["due"][0]["due_today"] is True
    after = plan(env, "p", "2026-12-10")
    assert after["stopped"] is True
    assert vmo(env, "today", "--on", "2026-12-10", "--json").stdout == "[]\n"
    assert json.loads(vmo(env, "today", "--on", "2026-12-09", "--json").stdout)[0]["routine"] == "w"


def test_before_the_start_date_phase_is_null(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w}")
    history(env, started("p", "2026-12-20", at="2026-12-07T08:00:00+00:00"))
    early = plan(env, "p", "2026-12-10")
    assert early["started"] == "2026-12-20" and early["phase"] is None
    assert [d for d in early["due"] if d["due_today"]] == []
    assert vmo(env, "today", "--on", "2026-12-10", "--json").stdout == "[]\n"


def test_finished_after_the_last_phase(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w}", weeks=1)
    history(env, started("p", "2026-12-07"))
    assert plan(env, "p", "2026-12-13").get("finished", False) is False
    done = plan(env, "p", "2026-12-14")
    assert done["finished"] is True and [d for d in done["due"] if d["due_today"]] == []
    assert vmo(env, "today", "--on", "2026-12-14", "--json").stdout == "[]\n"


def test_phases_without_advance_follow_on_their_own(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "p.yaml").write_text("name: P\nid: p\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: w}]}\n"
                                "  - {phase: B, weeks: 2, routines: [{routine: w}]}\n")
    history(env, started("p", "2026-12-09"))
    b = plan(env, "p", "2026-12-17")
    assert b["phase"] == {"index": 1, "name": "B", "week": 1, "day": 2, "first_day": "2026-12-16"}


def test_sessions_before_the_advanced_record_belong_to_the_previous_phase(env: dict[str, str], lib: Path) -> None:
    (lib / "raise.yaml").write_text(RAISE % "")
    (lib / "p.yaml").write_text(
        "name: P\nid: p\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: raise}], advance: {sessions: 1}}\n"
        "  - {phase: B, weeks: 2, routines: [{routine: raise, times_a_day: 3}]}\n")
    history(env, started("p", "2026-12-07"), session("raise", "2026-12-14T09:00:00+00:00"),
            event("p", "2026-12-14T10:00:00+00:00", "advanced", to_phase=1),
            session("raise", "2026-12-14T11:00:00+00:00"))
    b = plan(env, "p", "2026-12-14")
    assert b["phase"]["index"] == 1 and b["phase"]["first_day"] == "2026-12-14"
    assert b["due"][0]["done_today"] == 1
    assert b["due"][0]["dose"] == {"Lift": {"reps": 17}}  # one counted session of phase B before this one


def test_proposals_step_back_wins_and_no_step_back_from_the_first(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "p.yaml").write_text(
        "name: P\nid: p\nphases:\n"
        "  - {phase: A, weeks: 1, routines: [{routine: w}], step_back: {pain_at_least: 5}, advance: {sessions: 1}}\n"
        "  - {phase: B, weeks: 1, routines: [{routine: w}], step_back: {pain_at_least: 5}, advance: {sessions: 1}}\n"
        "  - {phase: C, weeks: 1, routines: [{routine: w}]}\n")
    history(env, started("p", "2026-12-07"), session("w", "2026-12-07T10:00:00+00:00", pain_after=8))
    first = plan(env, "p", "2026-12-14")
    assert first["proposal"]["kind"] == "advance"  # no step back from the first phase
    history(env, started("p", "2026-12-07"), event("p", "2026-12-08T08:00:00+00:00", "advanced", to_phase=1),
            session("w", "2026-12-08T10:00:00+00:00", pain_after=8))
    second = plan(env, "p", "2026-12-08")
    assert {k: second["proposal"][k] for k in ("kind", "to_phase")} == {"kind": "step_back", "to_phase": 0}


def test_pain_window_without_ratings_is_not_met(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "p.yaml").write_text(
        "name: P\nid: p\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: w}], advance: {after_weeks: 0, pain_at_most: 3}}\n"
        "  - {phase: B, weeks: 1, routines: [{routine: w}]}\n")
    if vmo(env, "check", str(lib / "p.yaml")).returncode != 0:
        pytest.skip("after_weeks: 0 not accepted")
    history(env, started("p", "2026-12-07"), session("w", "2026-12-07T10:00:00+00:00"))
    assert plan(env, "p", "2026-12-07")["proposal"] is None
    history(env, started("p", "2026-12-07"), session("w", "2026-12-07T10:00:00+00:00"),
            session("w", "2026-12-07T11:00:00+00:00", pain_after=2))
    assert plan(env, "p", "2026-12-07")["proposal"]["kind"] == "advance"


def test_history_json_lists_every_record_with_its_kind(env: dict[str, str], lib: Path) -> None:
    old = session("w", "2026-12-07T10:00:00+00:00")
    del old["kind"]
    history(env, started("p", "2026-12-07"), old,
            {"version": 1, "kind": "next_day", "at": "2026-12-08T07:00:00+00:00", "answer": "same",
             "routine_id": "w", "programme_id": "p"},
            {"version": 1, "kind": "from-the-future", "at": "2026-12-08T07:00:00+00:00"})
    result = vmo(env, "history", "--json")
    assert (result.returncode, result.stderr) == (0, "")
    got = json.loads(result.stdout)
    assert [r["kind"] for r in got] == ["programme", "session", "next_day"]


def test_list_json_shows_programmes(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w}")
    items = {i["id"]: i for i in json.loads(vmo(env, "list", "--json").stdout)}
    assert set(items["p"]) == {"id", "name", "category", "summary", "total_seconds", "source"}
    assert (items["p"]["category"], items["p"]["total_seconds"]) == ("programme", None)


def test_start_a_routine_with_a_frequency(env: dict[str, str], lib: Path) -> None:
    (lib / "f.yaml").write_text("name: F\nid: f\nfrequency: {times_a_day: 2, days_a_week: 3, weeks: 1}\n"
                                "steps:\n  - {name: Walk, duration: 60}\n")
    assert vmo(env, "today", "--json").stdout == "[]\n"  # never started: not in today
    result = vmo(env, "start", "f")
    assert result.returncode == 0, result.stderr
    record = json.loads((Path(env["VMO_DATA_DIR"]) / "history.jsonl").read_text().splitlines()[-1])
    assert (record["kind"], record["event"], record["programme_id"]) == ("programme", "started", "f")
    items = json.loads(vmo(env, "today", "--json").stdout)
    assert [(i["programme"], i["routine"], i["times_a_day"], i["days_a_week"]) for i in items] == [(None, "f", 2, 3)]


def test_exit_codes(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w}")
    (lib / "bad.yaml").write_text("name: Bad\nid: bad\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: nope}]}\n")
    for cmd in ("advance", "decline"):
        r = vmo(env, cmd, "p")
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and r.stdout == ""
    for cmd in ("plan", "start", "stop", "advance", "decline", "play"):
        r = vmo(env, cmd, "no-such-programme")
        assert r.returncode == 2, (cmd, r.stderr)
        assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr
    for cmd in ("plan", "start", "advance", "decline"):
        r = vmo(env, cmd, "bad")
        assert r.returncode == 1, (cmd, r.stderr)
        assert "bad.yaml:4:" in r.stderr


def test_play_plain_with_nothing_due_says_what_is_next(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: w, days: [mon]}", weeks=104)
    history(env, started("p", "2026-01-01"))
    r = vmo(env, "play", "p", "--plain", "--mute")
    assert r.returncode == 0 and r.stdout.startswith("Nothing")
    assert "W (w)" in r.stdout
    lines = (Path(env["VMO_DATA_DIR"]) / "history.jsonl").read_text().splitlines()
    assert len(lines) == 1


CHECKS = {
    "days with days_a_week": ("name: X\nfrequency: {days: [mon], days_a_week: 2}\nsteps:\n  - {name: A, duration: 5}\n", "2:"),
    "repeated day": ("name: X\nfrequency: {days: [mon, mon]}\nsteps:\n  - {name: A, duration: 5}\n", "2:"),
    "upper-case day": ("name: X\nfrequency: {days: [Mon]}\nsteps:\n  - {name: A, duration: 5}\n", "2:"),
    "times_a_day 25": ("name: X\nfrequency: {times_a_day: 25}\nsteps:\n  - {name: A, duration: 5}\n", "2:"),
    "days_a_week 8": ("name: X\nfrequency: {days_a_week: 8}\nsteps:\n  - {name: A, duration: 5}\n", "2:"),
    "weeks 105": ("name: X\nfrequency: {weeks: 105}\nsteps:\n  - {name: A, duration: 5}\n", "2:"),
    "progress on a missing key": ("name: X\nsteps:\n  - name: A\n    reps: 5\n    progress: {hold: 2s, every: session, up_to: 10s}\n", "5:"),
    "up_to below start": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    progress: {reps: 2, every: session, up_to: 10}\n", "5:"),
    "every missing": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    progress: {reps: 2, up_to: 20}\n", "5:"),
    "up_to missing": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    progress: {reps: 2, every: session}\n", "5:"),
    "two steps": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    sets: 2\n    progress: {reps: 2, sets: 1, every: session, up_to: 20}\n", "6:"),
    "bad every": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    progress: {reps: 2, every: day, up_to: 20}\n", "5:"),
    "progress unknown key": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    progress: {reps: 2, every: session, up_too: 20}\n", "5:"),
    "then unknown key": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    progress: {reps: 2, every: session, up_to: 20, then: {rep: 3}}\n", "5:"),
    "shared name": ("name: X\nsteps:\n  - name: A\n    reps: 15\n    progress: {reps: 2, every: session, up_to: 20}\n  - {name: A, reps: 3}\n", "6:1"),
    "cap over 24h": ("name: X\nsteps:\n  - name: A\n    hold: 1h\n    reps: 2\n    progress: {reps: 1, every: session, up_to: 30}\n", ""),
    "frequency unknown key": ("name: X\nfrequency: {times_a_dya: 2}\nsteps:\n  - {name: A, duration: 5}\n", "2:"),
}


@pytest.mark.parametrize("case", sorted(CHECKS))
def test_check_reports_each_rule_with_a_position(tmp_path: Path, env: dict[str, str], case: str) -> None:
    text, where = CHECKS[case]
    path = tmp_path / "x.yaml"
    path.write_text(text)
    r = vmo(env, "check", str(path))
    assert r.returncode == 1, (case, r.stdout, r.stderr)
    out = r.stdout + r.stderr
    assert f"{path}:{where}" in out and ": error: " in out, (case, out)


PROG_CHECKS = {
    "unknown routine": ("  - {phase: A, weeks: 1, routines: [{routine: nope}]}\n", "4:"),
    "programme includes programme": ("  - {phase: A, weeks: 1, routines: [{routine: inner}]}\n", "4:"),
    "days with days_a_week": ("  - {phase: A, weeks: 1, routines: [{routine: w, days: [mon], days_a_week: 2}]}\n", "4:"),
    "no routines": ("  - {phase: A, weeks: 1, routines: []}\n", "4:"),
    "weeks 0": ("  - {phase: A, weeks: 0, routines: [{routine: w}]}\n", "4:"),
    "weeks missing": ("  - {phase: A, routines: [{routine: w}]}\n", "4:"),
    "advance unknown key": ("  - {phase: A, weeks: 1, routines: [{routine: w}], advance: {sesions: 3}}\n", "4:"),
    "pain_at_most 11": ("  - {phase: A, weeks: 1, routines: [{routine: w}], advance: {pain_at_most: 11}}\n", "4:"),
    "next_day bad": ("  - {phase: A, weeks: 1, routines: [{routine: w}], advance: {next_day: better}}\n", "4:"),
    "step_back unknown": ("  - {phase: A, weeks: 1, routines: [{routine: w}], step_back: {pain: 3}}\n", "4:"),
    "phase unknown key": ("  - {phase: A, wekks: 1, weeks: 1, routines: [{routine: w}]}\n", "4:"),
    "entry unknown key": ("  - {phase: A, weeks: 1, routines: [{routine: w, time_a_day: 2}]}\n", "4:"),
    "no phases": ("", "3:"),
}


@pytest.mark.parametrize("case", sorted(PROG_CHECKS))
def test_check_programme_rules(lib: Path, env: dict[str, str], case: str) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "inner.yaml").write_text("name: Inner\nid: inner\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: w}]}\n")
    phases, where = PROG_CHECKS[case]
    path = lib / "x.yaml"
    path.write_text("name: X\nid: x\nphases:\n" + phases)
    r = vmo(env, "check", str(path))
    assert r.returncode == 1, (case, r.stdout, r.stderr)
    out = r.stdout + r.stderr
    assert f"{path}:{where}" in out and ": error: " in out, (case, out)


def test_check_suggests_for_unknown_programme_keys(lib: Path, env: dict[str, str]) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    path = lib / "x.yaml"
    path.write_text("name: X\nclinican: Dr X\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: w}]}\n")
    r = vmo(env, "check", str(path))
    assert r.returncode == 1
    assert f"{path}:2:1: error: unknown key 'clinican' (did you mean 'clinician'?)" in r.stdout + r.stderr


def test_then_load_is_the_load_of_the_timeline(env: dict[str, str], lib: Path) -> None:
    # `then: {reps: 10, load: ...}` is "a new starting dose": the session after the cap is played with that load
    (lib / "r.yaml").write_text(
        "name: R\nid: r\nsteps:\n  - name: Lift\n    reps: 16\n    load: red band\n"
        "    progress: {reps: 2, every: session, up_to: 20, then: {reps: 10, load: 1 lb ankle weight}}\n")
    def lift(n: int) -> tuple:
        shown = json.loads(vmo(env, "show", "r", "--session", str(n), "--json").stdout)
        return next((s["reps"], s["load"]) for s in shown["segments"] if s["kind"] == "manual")
    assert [lift(n) for n in (1, 3, 4, 5)] == [(16, "red band"), (20, "red band"), (10, "1 lb ankle weight"), (12, "1 lb ankle weight")]
    text = vmo(env, "show", "r", "--session", "4").stdout
    assert "Lift (1 lb ankle weight)" in text and "red band" not in text


@pytest.mark.parametrize(("pains", "met"), [((5, 2, None, None), True), ((2, None, None, None), False), ((2, 2, 4), False)])
def test_pain_at_most_window_is_the_last_counted_sessions(env: dict[str, str], lib: Path, pains: tuple, met: bool) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "p.yaml").write_text(
        "name: P\nid: p\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: w}], advance: {after_weeks: 1, pain_at_most: 3}}\n"
        "  - {phase: B, weeks: 1, routines: [{routine: w}]}\n")
    history(env, started("p", "2026-12-07"),
            *[session("w", f"2026-12-{7 + i:02d}T10:00:00+00:00", pain_after=p) for i, p in enumerate(pains)])
    proposal = plan(env, "p", "2026-12-14")["proposal"]
    assert (proposal is not None) == met, proposal


def test_an_advanced_records_day_is_its_own_local_date(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "p.yaml").write_text(
        "name: P\nid: p\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: w}], advance: {sessions: 1}}\n"
        "  - {phase: B, weeks: 3, routines: [{routine: w}]}\n")
    # 01:00 at UTC+2 on the 9th is the 8th in UTC: the phase begins on the 9th, where it was written
    history(env, started("p", "2026-12-07"), session("w", "2026-12-07T10:00:00+00:00"),
            event("p", "2026-12-09T01:00:00+02:00", "advanced", to_phase=1))
    assert plan(env, "p", "2026-12-08")["phase"]["index"] == 0
    b = plan(env, "p", "2026-12-09")["phase"]
    assert (b["index"], b["first_day"], b["week"], b["day"]) == (1, "2026-12-09", 1, 1)
    assert plan(env, "p", "2026-12-16")["phase"]["week"] == 2


def test_no_advance_from_the_last_phase_and_it_goes_on(env: dict[str, str], lib: Path) -> None:
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "p.yaml").write_text(
        "name: P\nid: p\nphases:\n  - {phase: A, weeks: 1, routines: [{routine: w}], advance: {sessions: 1}}\n")
    history(env, started("p", "2026-12-07"), session("w", "2026-12-07T10:00:00+00:00"))
    later = plan(env, "p", "2027-03-01")
    assert later["proposal"] is None and later.get("finished", False) is False
    assert later["phase"]["index"] == 0 and later["due"][0]["due_today"] is True
    assert vmo(env, "advance", "p").returncode == 2


def test_an_entrys_frequency_replaces_the_routines_as_a_whole(env: dict[str, str], lib: Path) -> None:
    (lib / "f.yaml").write_text("name: F\nid: f\nfrequency: {times_a_day: 2, days_a_week: 3, weeks: 1}\n"
                                "steps:\n  - {name: Walk, duration: 60}\n")
    (lib / "g.yaml").write_text("name: G\nid: g\nfrequency: {times_a_day: 2, days_a_week: 3}\nsteps:\n  - {name: Walk, duration: 60}\n")
    (lib / "h.yaml").write_text("name: H\nid: h\nsteps:\n  - {name: Walk, duration: 60}\n")
    one_phase(lib, "{routine: f, days: [mon]}\n      - {routine: g}\n      - {routine: h, weeks: 1, times_a_day: 4}")
    history(env, started("p", "2026-12-09"))
    first = {d["routine"]: (d["times_a_day"], d["days_a_week"]) for d in plan(env, "p", "2026-12-09")["due"]}
    assert first == {"f": (1, 1), "g": (1, 7), "h": (4, 7)}
    second = [d["routine"] for d in plan(env, "p", "2026-12-16")["due"]]  # h's week is over; f's own weeks do not apply
    assert second == ["f", "g"]


def test_a_programme_listing_a_routine_20000_times_is_rejected_without_hanging(env: dict[str, str], lib: Path) -> None:
    # each entry read the 500 KB programme again to learn its own id, and searched the library again: 115 s
    (lib / "w.yaml").write_text("name: W\nid: w\nsteps:\n  - {name: Walk, duration: 60}\n")
    path = lib / "big.yaml"
    path.write_text("name: X\nphases:\n  - phase: A\n    weeks: 1\n    routines:\n" + "      - {routine: w}\n" * 20000)
    r = subprocess.run([VMO, "check", str(path)], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == (
        f"{path}:20005:9: error: phases[0].routines[19999]: routine 'w' is already in this phase (line 6)")
