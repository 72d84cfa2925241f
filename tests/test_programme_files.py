"""Programme files, `frequency` and `progress` (program-format.md sections 1-3): exact problems from `vmo check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from player.loader import check_file
from player.model import Frequency, Progress
from player.programme import Programme

FIX = Path(__file__).parent / "fixtures" / "programmes"


def vmo(*args: str, cwd: Path = FIX) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "player", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_a_programme_file_loads_with_its_routines_and_inline_frequency() -> None:
    found, problems = check_file(FIX / "prog.yaml")
    assert problems == []
    assert isinstance(found, Programme)
    assert found.id == "prog" and found.affected_side == "left" and found.clinician == "Dr X"
    assert str(found.start) == "2026-12-07"
    first, second = found.phases
    assert [e.id for e in first.routines] == ["slr", "other"]
    # an entry's keys replace the routine's own frequency as a whole
    assert first.routines[0].frequency == Frequency(times_a_day=1, days_a_week=3)
    assert first.routines[1].frequency == Frequency()
    assert second.routines[0].frequency == Frequency(days=("mon", "wed", "fri"))
    assert first.advance is not None and first.advance.sessions == 10 and first.advance.next_day_not_worse
    assert second.step_back is not None and second.step_back.next_day_worse == 2
    assert found.file_hash and len(found.file_hash) == 64


def test_frequency_and_progress_on_a_routine() -> None:
    routine, problems = check_file(FIX / "slr.yaml")
    assert problems == []
    assert routine.frequency == Frequency(times_a_day=2, days_a_week=3)  # type: ignore[union-attr]
    slr, quad = routine.exercises()  # type: ignore[union-attr]
    assert slr.progress == Progress("reps", 2, "session", 40, (("reps", 20), ("load", "1 lb ankle weight")))
    assert quad.progress == Progress("hold", 2.0, "week", 20.0)
    assert quad.sides == ("affected",)


def test_bad_programme_problems_are_exact() -> None:
    result = vmo("check", "bad.yaml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "bad.yaml:2:8: error: start: expected a date such as 2026-12-07 (YYYY-MM-DD), got '2026-02-30'",
        "bad.yaml:5:12: error: phases[0].weeks: expected a whole number from 1 to 104, got 0",
        "bad.yaml:7:18: error: phases[0].routines[0].routine: no routine with id 'slx' (did you mean 'slr'?)",
        "bad.yaml:8:21: error: phases[0].routines[0].days[1]: 'mon' is listed twice",
        "bad.yaml:9:9: error: phases[0].routines[0]: 'days' and 'days_a_week' cannot be used together",
        "bad.yaml:10:18: error: phases[0].routines[1].routine: 'prog' is a programme; a programme cannot include a programme",
        "bad.yaml:11:18: error: phases[0].routines[2].routine: 'bad' is this programme itself; a programme cannot include a programme",
        "bad.yaml:12:15: error: phases[0].advance: unknown key 'sesions' (did you mean 'sessions'?)",
        "bad.yaml:13:5: error: phases[1]: missing required key 'routines'",
        "bad.yaml:13:5: error: phases[1]: missing required key 'weeks'",
        "bad.yaml:14:5: error: phases[1]: unknown key 'wekks' (did you mean 'weeks'?)",
    ]
    assert "Traceback" not in result.stderr


def test_bad_frequency_and_progress_problems_are_exact() -> None:
    result = vmo("check", "bad-routine.yaml", "bad-caps.yaml", "huge-cap.yaml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "bad-routine.yaml:2:26: error: frequency.times_a_day: expected a whole number from 1 to 24, got 0",
        "bad-routine.yaml:2:36: error: frequency.days[0]: expected one of mon, tue, wed, thu, fri, sat, sun, got 'Mon' (did you mean 'mon'?)",
        "bad-routine.yaml:6:16: error: steps[0].progress.hold: the exercise has no 'hold' to grow",
        "bad-routine.yaml:6:33: error: steps[0].progress.every: expected one of session, week, got 'day'",
        "bad-routine.yaml:9:48: error: steps[1].progress.up_to: 10 is below the starting value 15",
        "bad-routine.yaml:9:65: error: steps[1].progress.then.reps: 50 is above up_to 10",
        "bad-routine.yaml:9:69: error: steps[1].progress.then.hold: the exercise has no 'hold'",
        "bad-caps.yaml:6:1: error: steps: two exercises are named 'B' (lines 3 and 6); an exercise with 'progress' needs a name of its own",
        "huge-cap.yaml:2:1: error: steps: at the caps of its progressions the timeline lasts 30 h 2 min 30 s; the limit is 24 hours",
    ]


def test_days_with_days_a_week_and_missing_every(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        "name: R\nfrequency: {days: [mon], days_a_week: 2}\nsteps:\n"
        "  - name: A\n    reps: 5\n    progress: {reps: 1, up_to: 9}\n"
    )
    result = vmo("check", "r.yaml", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "r.yaml:2:26: error: frequency: 'days' and 'days_a_week' cannot be used together",
        "r.yaml:6:15: error: steps[0].progress: missing required key 'every' (session or week)",
    ]


def test_a_missing_routine_file_and_a_path_outside(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "name: P\nphases:\n  - phase: One\n    weeks: 2\n    routines:\n      - routine: gone.yaml\n      - routine: /etc/x.yaml\n"
    )
    result = vmo("check", "p.yaml", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "p.yaml:6:18: error: phases[0].routines[0].routine: no such file 'gone.yaml'",
        "p.yaml:7:18: error: phases[0].routines[1].routine: must be a routine id or a path relative to this file's folder, got '/etc/x.yaml'",
    ]


def test_list_shows_programmes_without_a_total_time() -> None:
    result = vmo("list", "--json", "--routines", str(FIX))
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["prog"]["category"] == "programme"
    assert rows["prog"]["total_seconds"] is None
    assert rows["prog"]["name"] == "Knee programme"
    assert rows["slr"]["category"] == "other"


def test_the_schema_knows_the_new_keys() -> None:
    import jsonschema
    import yaml

    from player.schema import routine_schema

    validator = jsonschema.Draft202012Validator(routine_schema())
    for name in ("prog.yaml", "slr.yaml", "other.yaml"):
        assert list(validator.iter_errors(yaml.safe_load((FIX / name).read_text()))) == [], name
    bad = {"name": "x", "phases": [{"phase": "a", "weeks": 2, "routines": [{"routine": "r", "days": ["mon"], "days_a_week": 2}]}]}
    assert list(validator.iter_errors(bad))
