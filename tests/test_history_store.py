"""The history file: record format, append-only writes, torn lines, write failures, the recorder."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.history import (
    CrampFacts,
    HistoryFile,
    SessionRecord,
    SessionRecorder,
    StoppedAt,
    encode,
    load_history,
    parse_history,
    read_history,
)
from player.model import Routine

PLUS_ONE = timezone(timedelta(hours=1))
ROUTINE = Routine(id="quad-sets", name="Quad sets", steps=(), file_hash="ab" * 32)


def fake_wall(start: datetime, step: timedelta = timedelta(minutes=5)):
    """A wall clock that moves on by `step` at each call."""
    now = [start - step]

    def wall() -> datetime:
        now[0] += step
        return now[0]

    return wall


def sample(**changes: object) -> SessionRecord:
    base = dict(
        start=datetime(2025, 3, 3, 18, 30, 5, tzinfo=PLUS_ONE),
        end=datetime(2025, 3, 3, 18, 34, 0, tzinfo=PLUS_ONE),
        routine_id="quad-sets",
        routine_name="Quad sets",
        file_hash="ab" * 32,
        planned_seconds=215.0,
        played_seconds=212.5,
        segments_total=40,
        segments_done=38,
        segments_skipped=2,
        completed=True,
        player="plain",
    )
    base.update(changes)
    return SessionRecord(**base)  # type: ignore[arg-type]


class ListStore:
    """A store that keeps records in memory."""

    def __init__(self) -> None:
        self.records: list[SessionRecord] = []

    def append(self, record: SessionRecord) -> str | None:
        self.records.append(record)
        return None

    def probe(self) -> str | None:
        return None


# -- the record --


def test_record_json_has_every_field_with_local_offset() -> None:
    record = sample(
        completed=False,
        stopped_at=StoppedAt("Quad set", 12),
        pain_before=3,
        pain_after=2,
        cramp=CrampFacts("quadriceps", 45.0, False),
    )
    assert record.to_json() == {
        "version": 1,
        "kind": "session",
        "start": "2025-03-03T18:30:05+01:00",
        "end": "2025-03-03T18:34:00+01:00",
        "routine_id": "quad-sets",
        "routine_name": "Quad sets",
        "file_hash": "ab" * 32,
        "player": "plain",
        "speed": 1.0,
        "planned_seconds": 215.0,
        "played_seconds": 212.5,
        "segments_total": 40,
        "segments_done": 38,
        "segments_skipped": 2,
        "completed": False,
        "stopped_at": {"exercise": "Quad set", "segment_index": 12},
        "pain_before": 3,
        "pain_after": 2,
        "cramp": {"muscle": "quadriceps", "eased_after_seconds": 45.0, "escalated": False},
    }


@pytest.mark.parametrize(
    "record",
    [
        sample(),
        sample(completed=False, stopped_at=StoppedAt("Wall sit", 0), pain_before=0, pain_after=10),
        sample(cramp=CrampFacts(None, None, True), file_hash=None, player=None),
        sample(routine_name='Line\nbreak, "quotes" and ünïcode ✓'),
        sample(speed=100.0),
    ],
)
def test_record_round_trips_through_one_line(record: SessionRecord) -> None:
    line = encode(record)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert parse_history(line).records == [record]


@pytest.mark.parametrize(
    "change",
    [
        {"start": "yesterday"},
        {"start": "2025-03-03T18:30:05"},  # no offset: the day would be ambiguous
        {"completed": "yes"},
        {"played_seconds": True},
        {"pain_after": 11},
        {"routine_id": None},
        {"stopped_at": {"exercise": "Quad set"}},
        {"speed": 0},
    ],
)
def test_invalid_records_are_skipped(change: dict[str, object]) -> None:
    good = sample().to_json()
    bad = dict(good, **change)
    data = (json.dumps(good) + "\n" + json.dumps(bad) + "\n").encode()
    found = parse_history(data)
    assert found.records == [sample()]
    assert found.skipped_lines == [2]


# -- the file --


def test_appends_keep_every_earlier_byte(tmp_path: Path) -> None:
    store = HistoryFile(tmp_path / "deep" / "history.jsonl")
    assert store.append(sample()) is None
    first = store.path.read_bytes()
    assert store.append(sample(routine_id="wall-sit")) is None
    both = store.path.read_bytes()
    assert both.startswith(first)
    assert both == encode(sample()) + encode(sample(routine_id="wall-sit"))


def test_torn_last_line_is_skipped_with_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    whole = encode(sample())
    path.write_bytes(whole + encode(sample(routine_id="wall-sit"))[:37])
    err = io.StringIO()
    assert read_history(path, warn=err) == [sample()]
    assert err.getvalue() == f"vmo: warning: {path}: skipped line 2, which is not a complete session record\n"


def test_several_bad_lines_give_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_bytes(b"{\n" + encode(sample()) + b"\xff\xfe\n[]\n")
    found, warning = load_history(path)
    assert found.records == [sample()]
    assert warning == f"vmo: warning: {path}: skipped 3 lines that are not complete session records (1, 3, 4)"


def test_a_record_after_a_torn_line_starts_a_line_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_bytes(encode(sample()) + b'{"start": "2025-03-0')
    HistoryFile(path).append(sample(routine_id="wall-sit"))
    found = parse_history(path.read_bytes())
    assert [r.routine_id for r in found.records] == ["quad-sets", "wall-sit"]
    assert found.skipped_lines == [2]


def test_missing_file_is_an_empty_history(tmp_path: Path) -> None:
    assert load_history(tmp_path / "history.jsonl") == (parse_history(b""), None)


def test_full_disk_gives_one_warning_and_no_exception() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    store = HistoryFile(Path("/dev/full"))
    warning = store.append(sample())
    assert warning is not None and warning.startswith("vmo: warning: cannot write the session history /dev/full (")
    assert warning.endswith("); this session is not recorded")
    assert store.append(sample()) is None  # once per session, not per record


def test_read_only_data_folder_gives_one_warning_and_playing_goes_on() -> None:
    # Root ignores permission bits, so as root the write runs with the effective
    # uid of nobody (the real uid stays root, so it can switch back).
    base = Path(tempfile.mkdtemp(prefix="vmo-ro-"))
    folder = base / "data"
    folder.mkdir()
    (folder / "history.jsonl").write_bytes(encode(sample()))
    os.chmod(base, 0o755)
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    os.chmod(folder / "history.jsonl", 0o444)
    store = HistoryFile(folder / "history.jsonl")
    as_root = os.geteuid() == 0
    try:
        if as_root:
            os.seteuid(65534)
        warnings = []
        for name in ("quad-sets", "wall-sit", "bridge"):
            recorder = SessionRecorder(ROUTINE, 60, store=store)
            warnings.append(recorder.finish(True, 60, 3, 0))
        probe = store.probe()
    finally:
        if as_root:
            os.seteuid(0)
        os.chmod(folder, 0o755)
    assert warnings[0] is not None and "Permission denied" in warnings[0]
    assert warnings[1:] == [None, None] and probe is None
    assert (folder / "history.jsonl").read_bytes() == encode(sample())


def test_probe_warns_before_playing_when_the_folder_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = HistoryFile(blocker / "vmo" / "history.jsonl")
    first = store.probe()
    assert first is not None and first.startswith(f"vmo: warning: cannot write the session history {blocker}/vmo/")
    assert SessionRecorder(ROUTINE, 60, store=store).finish(True, 60, 3, 0) is None


# -- the recorder --


def test_recorder_writes_one_record_with_its_facts() -> None:
    store = ListStore()
    wall = fake_wall(datetime(2025, 3, 3, 18, 30, tzinfo=PLUS_ONE))
    recorder = SessionRecorder(ROUTINE, 215, segments_total=40, player="ui", store=store, wall=wall)  # type: ignore[arg-type]
    recorder.note_pain_before(4)
    recorder.note_pain_after(None)
    recorder.note_cramp("calf", 75.46, True)
    assert recorder.finish(False, 80.26, 10, 1, ("Calf stretch", 11)) is None
    assert recorder.finish(True, 215, 40, 0) is None  # the second call writes nothing
    assert store.records == [
        SessionRecord(
            start=datetime(2025, 3, 3, 18, 30, tzinfo=PLUS_ONE),
            end=datetime(2025, 3, 3, 18, 35, tzinfo=PLUS_ONE),
            routine_id="quad-sets",
            routine_name="Quad sets",
            file_hash="ab" * 32,
            planned_seconds=215.0,
            played_seconds=80.3,  # to 0.1 s, as the file keeps it
            segments_total=40,
            segments_done=10,
            segments_skipped=1,
            completed=False,
            stopped_at=StoppedAt("Calf stretch", 11),
            pain_before=4,
            pain_after=None,
            cramp=CrampFacts("calf", 75.5, True),
            player="ui",
        )
    ]
    assert recorder.finished and recorder.record == store.records[0]


def test_completed_session_has_no_stop_point() -> None:
    store = ListStore()
    SessionRecorder(ROUTINE, 60, store=store).finish(True, 60, 3, 0, ("Quad set", 2))  # type: ignore[arg-type]
    assert store.records[0].stopped_at is None


@pytest.mark.parametrize("rating", [-1, 11, 2.5, True, "3"])
def test_recorder_refuses_a_rating_outside_0_to_10(rating: object) -> None:
    recorder = SessionRecorder(ROUTINE, 60, store=ListStore())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a pain rating is a whole number from 0 to 10"):
        recorder.note_pain_before(rating)  # type: ignore[arg-type]


def test_ctrl_c_during_finish_still_writes_exactly_one_record() -> None:
    class InterruptingStore(ListStore):
        def append(self, record: SessionRecord) -> str | None:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C arrives mid-write
            return super().append(record)

    store = InterruptingStore()
    recorder = SessionRecorder(ROUTINE, 60, store=store)  # type: ignore[arg-type]
    with pytest.raises(KeyboardInterrupt):
        recorder.finish(False, 30, 1, 0, ("Quad set", 1))
    # The player's `finally` calls finish again; nothing more is written.
    assert recorder.finish(False, 31, 1, 0, ("Quad set", 1)) is None
    assert len(store.records) == 1 and store.records[0].played_seconds == 30


def test_history_modules_load_neither_textual_nor_audio() -> None:
    import subprocess
    import sys

    code = (
        "import sys, player.history, player.adherence, player.settings, player.pain, player.commands.history\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'miniaudio', 'simpleaudio')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_records_without_newer_fields_still_read() -> None:
    line = json.dumps({
        "start": "2025-03-03T18:30:05+01:00", "end": "2025-03-03T18:34:00+01:00",
        "routine_id": "quad-sets", "played_seconds": 10, "completed": True,
    }).encode()
    (record,) = parse_history(line).records
    assert (record.routine_name, record.speed, record.segments_total, record.cramp) == ("quad-sets", 1.0, 0, None)


def test_finish_from_engine_progress() -> None:
    from player.engine import Session
    from player.model import Exercise
    from player.timeline import compile_timeline

    routine = Routine(id="two", name="Two", steps=(Exercise(name="Quad set", duration=10.0, prepare=5.0),))
    timeline = compile_timeline(routine)
    session = Session(timeline, speed=2.0)
    session.start(0.0)
    session.advance(4.0)  # 8 routine seconds: into the work segment
    session.stop(4.0)
    store = ListStore()
    recorder = SessionRecorder(routine, timeline.total_seconds, segments_total=len(timeline.segments),
                               speed=2.0, store=store)  # type: ignore[arg-type]
    recorder.finish_from(session.progress(4.0))
    (record,) = store.records
    assert (record.completed, record.played_seconds, record.speed) == (False, 8.0, 2.0)
    # The engine counts the segment cut short by the stop as skipped.
    assert (record.segments_done, record.segments_skipped, record.stopped_at) == (1, 1, StoppedAt("Quad set", 1))
