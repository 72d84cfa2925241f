"""The planner's view of the history and its cache: the same records with or without it, appended lines read,
an edited file read again, skipped lines warned about every time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.following import read_records
from player.planhistory import read
from player.planner import CountedSession, index


def session(day: int, rid: str = "a", pain: int | None = None, **extra: object) -> str:
    at = f"2026-01-{day:02d}T10:00:00+01:00"
    return json.dumps({"version": 1, "start": at, "end": at, "routine_id": rid, "routine_name": rid,
                       "played_seconds": 5.0, "completed": True, "pain_after": pain, **extra}) + "\n"


EVENT = json.dumps({"version": 1, "kind": "programme", "at": "2026-01-01T08:00:00+01:00", "programme_id": "p",
                    "file_hash": None, "event": "started", "start": "2026-01-01"}) + "\n"


def summary(records: list) -> tuple:
    h = index(records)
    return ([(s.day.isoformat(), s.routine_id, s.pain_after) for s in h.sessions],
            [(e.programme_id, e.event) for e in h.events])


def test_the_cache_gives_what_a_full_read_gives_and_picks_up_appended_lines(tmp_path: Path) -> None:
    history, cache = tmp_path / "history.jsonl", tmp_path / "cache.json"
    history.write_text(EVENT + session(1, pain=2) + session(2, speed=2) + "not json\n" + session(3, completed=False))
    first = read(history, cache)
    assert first[1:] == ([4], 1)
    assert summary(first[0]) == ([("2026-01-01", "a", 2)], [("p", "started")])
    assert json.loads(cache.read_text())["offset"] == history.stat().st_size
    assert read(history, cache)[1:] == ([4], 1)  # the cached part's skipped line is still reported
    assert summary(read(history, cache)[0]) == summary(first[0]) == summary(read(history, None)[0])
    with history.open("a") as f:
        f.write(session(4, "b") + '{"version": 1, "start": "2026-01-0')  # and a torn last line
    records, skipped, count = read(history, cache)
    assert (skipped, count) == ([4, 7], 2)
    assert summary(records)[0] == [("2026-01-01", "a", 2), ("2026-01-04", "b", None)]
    assert json.loads(cache.read_text())["lines"] == 6  # the torn line is not cached
    with history.open("a") as f:
        f.write('5T10:00:00+01:00", "end": "x", "routine_id": "c", "played_seconds": 1, "completed": true}\n')
    records, skipped, count = read(history, cache)
    assert (skipped, count) == ([4], 1)
    assert [s.routine_id for s in index(records).sessions] == ["a", "b", "c"]


def test_an_edited_or_truncated_file_is_read_again(tmp_path: Path) -> None:
    history, cache = tmp_path / "history.jsonl", tmp_path / "cache.json"
    history.write_text(session(1, pain=2) + session(2, pain=3))
    read(history, cache)
    history.write_text(session(1, pain=9) + session(2, pain=3))  # same size, one byte changed
    assert [s.pain_after for s in index(read(history, cache)[0]).sessions] == [9, 3]
    history.write_text(session(1, pain=9))
    assert [s.pain_after for s in index(read(history, cache)[0]).sessions] == [9]


@pytest.mark.parametrize("damage", [b"", b"\x00\xff", b"[]", b'{"format": "vmo-planner-history", "version": 1}',
                                    b'{"format": "vmo-planner-history", "version": 1, "offset": 5, "lines": 1,'
                                    b' "sha256": "0", "sessions": [], "events": [], "skipped_first": [], "skipped_count": 0}'])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    history, cache = tmp_path / "history.jsonl", tmp_path / "cache.json"
    history.write_text(session(1) + EVENT)
    cache.write_bytes(damage)
    assert summary(read(history, cache)[0]) == ([("2026-01-01", "a", None)], [("p", "started")])
    assert json.loads(cache.read_text())["format"] == "vmo-planner-history"


def test_read_records_uses_the_data_folder_and_warns_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VMO_DATA_DIR", str(tmp_path))
    (tmp_path / "history.jsonl").write_text(session(1) + "torn{\n")
    records = read_records()
    assert [type(r) for r in records] == [CountedSession]
    assert (tmp_path / "index" / "planner-history.json").is_file()
    assert capsys.readouterr().err == (
        f"vmo: warning: {tmp_path / 'history.jsonl'}: skipped line 2, which is not a complete session record\n")
    assert read_records() == records
    assert "skipped line 2" in capsys.readouterr().err


def test_the_constants_the_light_reader_repeats_agree_with_the_history_module() -> None:
    import player.history
    import player.planhistory
    import player.planrecords

    assert player.planhistory.HISTORY_FILE == player.history.HISTORY_FILE
    assert player.planrecords.KNOWN_KINDS == player.history.KNOWN_KINDS


def test_vmo_today_does_not_import_the_session_history_module(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, player.cli; player.cli.main(['today']);"
            "print('player.history' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "VMO_DATA_DIR": str(tmp_path)})
    assert out.stdout.splitlines()[-1] == "False", out.stderr
