"""Property tests: totals add up, segment counts follow the pseudo-code, the loader never raises."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player.loader import check_routine
from player.timeline import compile_timeline

durations = st.integers(min_value=0, max_value=90)
positive = st.integers(min_value=1, max_value=90)
side_lists = st.sampled_from([None, "both", "left", "right", "[right, left]"])


@st.composite
def exercises(draw: st.DrawFn) -> tuple[str, int]:
    """An exercise as YAML lines, with the segment count the pseudo-code predicts."""
    kind = draw(st.sampled_from(["duration", "hold", "tempo", "manual"]))
    sets = draw(st.integers(1, 4))
    sides = draw(side_lists)
    prepare, switch, relax, rest = (draw(durations) for _ in range(4))
    lines = ["  - name: Ex", f"    sets: {sets}", f"    prepare: {prepare}", f"    switch: {switch}",
             f"    relax: {relax}", f"    rest: {rest}"]
    reps = draw(st.integers(1, 6))
    if kind == "duration":
        lines.append(f"    duration: {draw(positive)}")
        per_side = 1
    elif kind == "hold":
        lines += [f"    hold: {draw(positive)}", f"    reps: {reps}"]
        per_side = reps + (reps - 1 if relax > 0 else 0)
    elif kind == "tempo":
        lines += [f"    reps: {reps}", f"    tempo: {draw(st.integers(1, 3))}-{draw(st.integers(0, 3))}"]
        per_side = 1
    else:
        lines.append(f"    reps: {reps}")
        per_side = 1
    n_sides = 1
    if sides is not None:
        lines.append(f"    sides: {sides}")
        n_sides = 2 if sides in ("both", "[right, left]") else 1
    count = (1 if prepare > 0 else 0) + sets * (n_sides * per_side + (n_sides - 1 if switch > 0 else 0))
    count += (sets - 1) if rest > 0 else 0
    return "\n".join(lines), count


@st.composite
def routines(draw: st.DrawFn) -> tuple[str, int]:
    steps = draw(st.lists(exercises(), min_size=1, max_size=4))
    body = [s for s, _ in steps]
    count = sum(c for _, c in steps)
    if draw(st.booleans()):
        body.append(f"  - rest: {draw(positive)}")
        count += 1
    repeat = draw(st.integers(1, 3))
    block_rest = draw(durations)
    inner, inner_count = draw(exercises())
    indented = "\n".join("    " + line for line in inner.splitlines())
    body.append(f"  - repeat: {repeat}\n    rest: {block_rest}\n    steps:\n{indented}")
    count += repeat * inner_count + ((repeat - 1) if block_rest > 0 else 0)
    return "name: Random\nsteps:\n" + "\n".join(body) + "\n", count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(routines())
def test_total_is_the_sum_and_count_follows_the_pseudo_code(case: tuple[str, int]) -> None:
    text, expected_count = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.yaml"
        path.write_text(text)
        routine, problems = check_routine(path)
    assert problems == [], text
    assert routine is not None
    tl = compile_timeline(routine)
    assert len(tl.segments) == expected_count
    assert tl.total_seconds == sum(s.seconds for s in tl.segments if s.seconds is not None)
    assert tl.untimed_segments == sum(1 for s in tl.segments if s.kind == "manual")


VALID = """name: Knee
category: activation
defaults: {prepare: 3, rest: 20}
sounds: {finish: none}
steps:
  - name: Quad set
    hold: 10
    reps: 5
    sides: both
  - rest: 30
  - repeat: 2
    steps:
      - name: Squat
        reps: 10
        tempo: 2-1-2
"""


def _check_never_raises(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.yaml"
        path.write_bytes(data)
        routine, problems = check_routine(path)
    assert (routine is None) == bool(problems)
    for p in problems:
        assert p.line >= 1 and p.column >= 1 and p.message


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.integers(0, 40), st.text(max_size=8), st.randoms())
def test_mutated_valid_files_give_a_routine_or_problems(pos: int, cut: int, insert: str, rnd: random.Random) -> None:
    text = VALID[:pos] + insert + VALID[pos + cut:]
    if rnd.random() < 0.3:
        lines = text.splitlines()
        rnd.shuffle(lines)
        text = "\n".join(lines)
    _check_never_raises(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_a_routine_or_problems(data: bytes) -> None:
    _check_never_raises(data)
