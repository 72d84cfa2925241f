"""A hostile or huge history.jsonl: every bad line is skipped and reported, never fatal; the file is read as a stream."""

from __future__ import annotations

import json
import resource
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.adherence import summarize
from player.history import MAX_LINE, HistoryStream, SessionRecord, encode, parse_history
from tests.conftest import run_vmo

UTC = timezone.utc


def record(day: int, **changes: object) -> SessionRecord:
    start = datetime(2025, 3, day, 8, tzinfo=UTC)
    base = dict(
        start=start, end=start + timedelta(minutes=4), routine_id="quad-sets", routine_name="Quad sets",
        file_hash=None, planned_seconds=215.0, played_seconds=214.0, segments_total=40,
        segments_done=40, segments_skipped=0, completed=True, player="plain",
    )
    base.update(changes)
    return SessionRecord(**base)  # type: ignore[arg-type]


def line_with(field: str, literal: str) -> bytes:
    """A valid record's line with one field's value replaced by a raw JSON literal."""
    data = record(2).to_json()
    data[field] = "@@"
    return json.dumps(data).replace('"@@"', literal).encode() + b"\n"


BAD_NUMBERS = [
    ("played_seconds", "Infinity"),
    ("played_seconds", "NaN"),
    ("played_seconds", "-Infinity"),
    ("played_seconds", "1e400"),
    ("played_seconds", "9" * 400),
    ("planned_seconds", "9" * 5000),
    ("segments_done", "9" * 5000),
    ("segments_total", "-3"),
    ("speed", "1e308"),
    ("speed", "NaN"),
    ("pain_before", "9" * 40),
]


@pytest.mark.parametrize(("field", "literal"), BAD_NUMBERS)
def test_a_bad_number_skips_only_its_line(field: str, literal: str) -> None:
    data = encode(record(1)) + line_with(field, literal) + encode(record(3))
    found = parse_history(data)
    assert [r.start.day for r in found.records] == [1, 3]
    assert found.skipped_lines == [2]


@pytest.mark.parametrize(("field", "literal"), BAD_NUMBERS[:6])
def test_history_commands_survive_a_bad_number(data_dir: Path, field: str, literal: str) -> None:
    (data_dir / "history.jsonl").write_bytes(encode(record(1)) + line_with(field, literal) + encode(record(3)))
    warning = (
        f"vmo: warning: {data_dir / 'history.jsonl'}: skipped line 2, which is not a complete session record\n"
    )
    for args in ((), ("--json",), ("--csv",)):
        result = run_vmo("history", *args, timeout=30)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr == warning
    table = run_vmo("history").stdout
    assert "Recent sessions:" in table and table.count("Quad sets  completed") == 2
    strict = json.loads(run_vmo("history", "--json").stdout, parse_constant=lambda c: pytest.fail(c))
    assert [r["start"][:10] for r in strict] == ["2025-03-01", "2025-03-03"]


def test_json_is_streamed_in_the_same_shape(data_dir: Path) -> None:
    (data_dir / "history.jsonl").write_bytes(encode(record(1)) + encode(record(2)))
    out = run_vmo("history", "--json").stdout
    assert out == json.dumps([record(1).to_json(), record(2).to_json()], ensure_ascii=False) + "\n"
    (data_dir / "history.jsonl").write_bytes(b"")
    assert run_vmo("history", "--json").stdout == "[]\n"


def test_an_overlong_line_is_skipped_without_being_kept(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_bytes(encode(record(1)) + b"x" * (3 * MAX_LINE + 7) + b"\n" + encode(record(3)) + b"{")
    stream = HistoryStream(path)
    assert [r.start.day for r in stream] == [1, 3]
    assert stream.warning == f"vmo: warning: {path}: skipped 2 lines that are not complete session records (2, 4)"


def test_many_skipped_lines_keep_only_the_first_numbers(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_bytes(b"junk\n" * 5000 + encode(record(1)))
    stream = HistoryStream(path)
    assert len(list(stream)) == 1
    assert stream.skipped.count == 5000 and stream.skipped.first == list(range(1, 11))
    assert stream.warning is not None and stream.warning.endswith("(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …)")


def test_a_folder_named_history_jsonl_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "history.jsonl").mkdir()
    stream = HistoryStream(tmp_path / "history.jsonl")
    assert list(stream) == []
    assert stream.warning is not None and stream.warning.startswith("vmo: warning: cannot read the session history")


def test_one_pass_summary_matches_the_sorted_one() -> None:
    """Ties on the start time keep file order; the limit keeps the newest; counts see every record."""
    records = [record(d % 5 + 1, routine_id=f"r{d % 3}", completed=d % 2 == 0) for d in range(23)]
    once = iter(records)  # a stream that can only be read once
    summary = summarize(once, date(2025, 3, 5), 3, limit=4)
    expected = sorted(records, key=lambda r: r.start, reverse=True)[:4]
    assert [id(r) for r in summary.recent] == [id(r) for r in expected]
    assert summary.total == summary.seen == 23
    assert sum(c.sessions for c in summary.per_routine) == 23
    assert summary.streak == 5


def test_history_memory_does_not_follow_the_file(data_dir: Path) -> None:
    """A 160 MB history (one runaway line between two records) is read under a 400 MB address-space limit (the whole-file reader ran out of memory)."""
    path = data_dir / "history.jsonl"
    with path.open("wb") as out:
        out.write(encode(record(1)))
        block = b"y" * (1 << 20)
        for _ in range(160):
            out.write(block)
        out.write(b"\n" + encode(record(3)))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20))

    import os
    import subprocess

    from tests.conftest import vmo_command

    env = dict(os.environ, VMO_DATA_DIR=str(data_dir))
    env.pop("VMO_ROUTINES", None)
    result = subprocess.run(
        vmo_command() + ["history", "--json"], env=env, capture_output=True, text=True, timeout=60,
        preexec_fn=limit,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert [r["start"][:10] for r in json.loads(result.stdout)] == ["2025-03-01", "2025-03-03"]
