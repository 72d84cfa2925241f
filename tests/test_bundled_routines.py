"""The bundled routine library (issue 7): every file loads, is complete, and plays as intended."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from player.loader import load_routine
from player.model import Routine
from player.timeline import compile_timeline

ROOT = Path(__file__).resolve().parent.parent
ROUTINES = ROOT / "routines"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/routine.schema.json"
REQUIRED_CATEGORIES = {"warm-up", "activation", "stretch", "cool-down", "cramp"}
CRAMP_IDS = {"cramp-quadriceps", "cramp-hamstring", "cramp-calf"}

FILES = sorted(
    p for p in ROUTINES.rglob("*") if p.suffix in (".yaml", ".yml") and p.parent.name != "programmes"
)
PROGRAMMES = sorted((ROUTINES / "programmes").glob("*.yaml"))


def _id(path: Path) -> str:
    return str(path.relative_to(ROUTINES))


@pytest.fixture(scope="module")
def routines() -> dict[Path, Routine]:
    """Every bundled file, loaded once."""
    return {path: load_routine(path) for path in FILES}


def _by_id(routines: dict[Path, Routine]) -> dict[str, Routine]:
    return {r.id: r for r in routines.values()}


def test_library_is_not_empty() -> None:
    # Guards the parametrised tests below against silently running on nothing.
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_file_loads_and_is_complete(path: Path) -> None:
    routine = load_routine(path)
    assert routine.summary and routine.summary.strip(), "missing summary"
    assert "\n" not in routine.summary.strip(), "summary should be one line"
    assert routine.description and routine.description.strip(), "missing description"
    assert routine.safety and all(note.strip() for note in routine.safety), "missing safety notes"
    exercises = routine.exercises()
    assert exercises, "no exercises"
    for exercise in exercises:
        assert exercise.instructions and exercise.instructions.strip(), f"{exercise.name}: no instructions"
        assert exercise.cues, f"{exercise.name}: no cues"
        assert exercise.target, f"{exercise.name}: no target"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_file_has_schema_line_and_sources(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_LINE
    header = [line for line in lines if line.startswith("#")]
    assert any("Sources" in line for line in header), "no sources comment"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_file_sits_in_its_category_folder(path: Path) -> None:
    assert load_routine(path).category == path.parent.name


def test_ids_are_unique(routines: dict[Path, Routine]) -> None:
    ids = [r.id for r in routines.values()]
    assert len(ids) == len(set(ids)), sorted(ids)


def test_all_categories_are_covered(routines: dict[Path, Routine]) -> None:
    assert REQUIRED_CATEGORIES <= {r.category for r in routines.values()}


def test_no_routine_claims_to_isolate_the_vmo(routines: dict[Path, Routine]) -> None:
    # The evidence (Smith 2009) found no exercise isolates the VMO: the copy must never say so.
    for routine in routines.values():
        texts = [routine.name, routine.summary or "", routine.description or ""]
        texts += [e.instructions or "" for e in routine.exercises()]
        texts += [cue for e in routine.exercises() for cue in e.cues]
        for text in texts:
            assert "isolat" not in text.lower(), (routine.id, text)


def test_knee_routines_ask_for_pain_and_carry_the_pain_rule(routines: dict[Path, Routine]) -> None:
    activation = [r for r in routines.values() if r.category == "activation"]
    assert len(activation) >= 2
    for routine in activation:
        assert routine.ask_pain
        safety = " ".join(routine.safety).lower()
        assert "5 out of 10" in safety
        assert "locks" in safety


def test_cramp_routines_hold_until_eased_and_escalate(routines: dict[Path, Routine]) -> None:
    by_id = _by_id(routines)
    assert CRAMP_IDS <= set(by_id)
    for cramp_id in CRAMP_IDS:
        routine = by_id[cramp_id]
        assert routine.category == "cramp"
        eased = [e for e in routine.exercises() if e.until_eased]
        assert len(eased) == 1, cramp_id
        stretch = eased[0]
        assert stretch.hold == 30.0
        assert stretch.prepare == 0.0, "the stretch must start counting at once"
        assert stretch.escalate_after == 600.0
        assert stretch.escalate and "urgent" in stretch.escalate.lower()
        safety = " ".join(routine.safety).lower()
        for flag in ("quinine", "urine", "confusion", "swelling", "knee", "several muscles"):
            assert flag in safety, (cramp_id, flag)
        # Nothing before the stretch may have a get-ready pause either.
        first = routine.exercises()
        assert all(e.prepare == 0.0 for e in first[: first.index(stretch) + 1])


def test_cramp_timeline_marks_the_stretch_until_eased(routines: dict[Path, Routine]) -> None:
    routine = _by_id(routines)["cramp-quadriceps"]
    segments = compile_timeline(routine).segments
    eased = [s for s in segments if s.until_eased]
    assert len(eased) == 1 and eased[0].seconds == 30.0
    assert segments[0].kind == "work", "no prepare segment before the first step"


@pytest.mark.parametrize(
    ("routine_id", "low", "high"),
    [
        ("pre-run-warm-up", 8 * 60, 10 * 60),
        ("quick-warm-up", 3.5 * 60, 4.5 * 60),
        ("cramp-quadriceps", 3 * 60, 6 * 60),
    ],
)
def test_timeline_totals(routines: dict[Path, Routine], routine_id: str, low: float, high: float) -> None:
    total = compile_timeline(_by_id(routines)[routine_id]).total_seconds
    assert low <= total <= high, total


def _vmo(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # An empty data folder keeps the user's own routines out of the result.
    env = {**os.environ, "VMO_DATA_DIR": str(tmp_path), "VMO_ROUTINES": ""}
    return subprocess.run(
        [sys.executable, "-m", "player", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_vmo_check_is_clean(tmp_path: Path) -> None:
    result = _vmo("check", "routines/", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error:" not in result.stdout + result.stderr


def test_vmo_list_shows_every_bundled_routine_with_its_time(
    routines: dict[Path, Routine], tmp_path: Path
) -> None:
    result = _vmo("list", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = {entry["id"]: entry for entry in json.loads(result.stdout)}
    for routine in routines.values():
        assert routine.id in listed
        assert listed[routine.id]["total_seconds"] > 0


def test_the_bundled_knee_programme_moves_on_by_the_pain_and_next_morning_rule() -> None:
    from player.loader import check_file
    from player.programme import Programme

    assert [p.name for p in PROGRAMMES] == ["knee-strength.yaml"]
    programme, problems = check_file(PROGRAMMES[0])
    assert problems == [] and isinstance(programme, Programme)
    starter, progressed = programme.phases
    assert [e.id for e in starter.routines] == ["knee-strength-starter"]
    assert [e.id for e in progressed.routines] == ["knee-strength-progressed"]
    assert starter.routines[0].frequency.days_a_week == 3 == progressed.routines[0].frequency.days_a_week
    # evidence.md: pain up to 5/10 that is not worse the next morning; about 6 weeks in all
    assert starter.advance is not None
    assert (starter.advance.pain_at_most, starter.advance.next_day_not_worse) == (5, True)
    assert progressed.step_back is not None and progressed.step_back.pain_at_least == 6
    assert starter.weeks + progressed.weeks == 6


def test_bundled_routines_carry_the_frequency_the_evidence_gives(routines: dict[Path, Routine]) -> None:
    by_id = _by_id(routines)
    for rid in ("knee-strength-starter", "knee-strength-progressed", "stretches", "stretches-older-adults"):
        assert by_id[rid].frequency is not None and by_id[rid].frequency.days_a_week == 3, rid
    for rid in ("pre-run-warm-up", "quick-warm-up", "cool-down", "cramp-quadriceps"):
        assert by_id[rid].frequency is None, rid  # done with each run, or when a cramp comes
