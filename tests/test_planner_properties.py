"""Property tests: for random programmes and histories (shuffled, torn and unknown lines) the planner never
raises, and its answer depends only on the records, not on their order in the file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player.history import parse_history
from player.loader import check_file
from player.planner import following, plan
from player.programme import Programme

ROUTINE = "name: {id}\nid: {id}\nsteps:\n  - name: X\n    reps: 5\n    progress: {{reps: 3, every: session, up_to: 20, then: {{reps: 6}}}}\n"


def programme(folder: Path, phases: list[dict]) -> Programme:
    for rid in ("a", "b"):
        (folder / f"{rid}.yaml").write_text(ROUTINE.format(id=rid))
    lines = ["name: P", "id: p", "phases:"]
    for i, ph in enumerate(phases):
        lines += [f"  - phase: Phase {i}", f"    weeks: {ph['weeks']}", "    routines:"]
        for rid, freq in ph["routines"]:
            lines.append(f"      - {{routine: {rid}{freq}}}")
        if ph["advance"]:
            lines.append("    advance: {sessions: 2, pain_at_most: 4, next_day: not_worse}")
        if ph["back"]:
            lines.append("    step_back: {pain_at_least: 7, next_day_worse: 2}")
    (folder / "p.yaml").write_text("\n".join(lines) + "\n")
    found, problems = check_file(folder / "p.yaml")
    assert problems == [], problems
    return found  # type: ignore[return-value]


FREQ = st.sampled_from(["", ", days_a_week: 2", ", days: [mon, thu]", ", times_a_day: 2", ", weeks: 1"])
PHASE = st.fixed_dictionaries({
    "weeks": st.integers(1, 3),
    "routines": st.lists(st.tuples(st.sampled_from(["a", "b"]), FREQ), min_size=1, max_size=2, unique_by=lambda t: t[0]),
    "advance": st.booleans(), "back": st.booleans(),
})
DAY0 = date(2026, 1, 5)


def moment(day: int, hour: int, offset: int) -> str:
    return f"{(DAY0 + timedelta(days=day)).isoformat()}T{hour:02d}:00:00{offset:+03d}:00"


RECORD = st.one_of(
    st.builds(lambda d, h, o, r, pain, done, speed: json.dumps({
        "version": 1, "start": moment(d, h, o), "end": moment(d, h, o), "routine_id": r, "routine_name": r,
        "played_seconds": 1.0, "completed": done, "pain_after": pain, "speed": speed}),
        st.integers(0, 40), st.integers(0, 23), st.integers(-11, 12), st.sampled_from(["a", "b", "c"]),
        st.none() | st.integers(0, 10), st.booleans(), st.sampled_from([1, 1, 2])),
    st.builds(lambda d, h, ev, to: json.dumps({
        "version": 1, "kind": "programme", "at": moment(d, h, 0), "programme_id": "p", "file_hash": None, "event": ev,
        "start": (DAY0 + timedelta(days=d)).isoformat(), "to_phase": to, "proposal": {"kind": "advance", "to_phase": to}}),
        st.integers(0, 40), st.integers(0, 23),
        st.sampled_from(["started", "started", "advanced", "stepped_back", "declined", "stopped"]), st.integers(0, 3)),
    st.builds(lambda d, a: json.dumps({"version": 1, "kind": "next_day", "at": moment(d, 7, 1), "answer": a,
                                       "programme_id": "p"}),
              st.integers(0, 40), st.sampled_from(["better", "same", "worse"])),
    st.just('{"version": 1, "kind": "from-a-newer-vmo", "at": 3}'),
    st.just('{"version": 1, "start": "2026-01-0'),  # torn
    st.just("not json at all"),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phases=st.lists(PHASE, min_size=1, max_size=3), lines=st.lists(RECORD, max_size=25),
       on=st.integers(-2, 45), data=st.data())
def test_the_plan_never_raises_and_ignores_record_order(tmp_path_factory, phases, lines, on, data) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("p")
    prog = programme(folder, phases)
    day = DAY0 + timedelta(days=on)
    read = parse_history("\n".join(lines).encode())
    records = read.records + read.others
    first = plan(prog, records, day).to_json()
    shuffled = data.draw(st.permutations(lines))
    again = parse_history("\n".join(shuffled).encode())
    assert plan(prog, again.others + again.records, day).to_json() == first
    assert following(records, day) == following(again.records + again.others, day)
    # the light reader `vmo today` uses gives the planner the same answer as the full one
    from player.following import read_records

    history = folder / "history.jsonl"
    history.write_text("\n".join(lines) + "\n")
    assert plan(prog, read_records(history), day).to_json() == first
