"""`vmo report`: prescribed against done per week, exercise and side, from a history the test writes."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FIXTURES, run_vmo

from player.history import SessionRecord, StoppedAt
from player.loader import load_routine
from player.timeline import compile_timeline

ROUTINE = FIXTURES / "report" / "knee-daily.yaml"
TZ = timezone(timedelta(hours=1))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _session(day: date, hour: int, routine, **kw) -> SessionRecord:
    start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)
    tl = compile_timeline(routine)
    values = dict(
        start=start, end=start + timedelta(minutes=2), routine_id=routine.id, routine_name=routine.name,
        file_hash=routine.file_hash, planned_seconds=tl.total_seconds, played_seconds=tl.total_seconds,
        segments_total=len(tl.segments), segments_done=len(tl.segments), segments_skipped=0, completed=True,
        player="plain", skipped_segments=(), shortened_segments=(),
    )
    values.update(kw)
    return SessionRecord(**values)


def write_history(path: Path) -> None:
    """A history over two weeks (Monday 30 Nov to Tuesday 8 Dec 2026) with every case the report tells apart."""
    r = load_routine(ROUTINE)
    lines = []
    for hour in (8, 13, 18):  # Monday: all three sessions, pain 2 -> 1
        lines.append(_session(date(2026, 11, 30), hour, r, pain_before=2, pain_after=1))
    # Tuesday: the right side's second hold jumped over, the first set of leg raises cut short.
    lines.append(_session(date(2026, 12, 1), 8, r, skipped_segments=(9,), shortened_segments=(13,),
                          segments_done=14, segments_skipped=2, pain_before=3, pain_after=4))
    # Wednesday: stopped during the right side's first hold; a preview at speed 10 left out.
    lines.append(_session(date(2026, 12, 2), 8, r, completed=False, stopped_at=StoppedAt("Quad set", 7),
                          segments_done=7, segments_skipped=1, skipped_segments=(), shortened_segments=(7,)))
    lines.append(_session(date(2026, 12, 2), 9, r, speed=10.0))
    # Week 2: an older record without the segment lists (completed, nothing skipped) ...
    old = _session(date(2026, 12, 7), 8, r).to_json()
    del old["skipped_segments"], old["shortened_segments"]
    # ... a routine whose file is gone, and a session of another version of the file.
    gone = _session(date(2026, 12, 7), 9, r, routine_id="gone-routine", routine_name="Gone routine",
                    file_hash="f" * 64)
    changed = _session(date(2026, 12, 8), 8, r, file_hash="e" * 64, segments_total=99)
    text = [json.dumps(x.to_json()) for x in lines] + [json.dumps(old), json.dumps(gone.to_json()),
                                                          json.dumps(changed.to_json())]
    text.append('{"kind": "next_day", "version": 1, "at": "2026-12-01T07:30:00+01:00", "answer": "same"}')
    text.append("this line is torn")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "patient.jsonl"
    write_history(path)
    return path


def _report(history: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_vmo("report", str(ROUTINE), "--history", str(history), "--date", "2026-12-08", *extra)


def test_prescribed_against_done_exactly(data_dir: Path, history: Path) -> None:
    result = _report(history, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"vmo: warning: {history}: skipped line 11, which is not a complete session record\n"
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    sessions = [(r["week"], r["first_day"], r["prescribed"], r["done"], r["stopped"], r["previews"])
                for r in rows if r["table"] == "sessions"]
    # Week 1, every day 3 times: 21 prescribed; week 2 up to Tuesday: 6 (the other routine's session is not
    # about this routine; the session of another version of the file counts).
    assert sessions == [("1", "2026-11-30", "21", "4", "1", "1"), ("2", "2026-12-07", "6", "2", "0", "0")]
    averages = [(r["pain_before"], r["pain_after"]) for r in rows if r["table"] == "sessions"]
    assert averages == [("2.2", "1.8"), ("", "")]  # (2+2+2+3)/4 and (1+1+1+4)/4; week 2 has no ratings
    exercises = [(r["week"], r["exercise"], r["side"], r["unit"], r["prescribed"], r["done"], r["shortened"],
                  r["skipped"], r["missed"]) for r in rows if r["table"] == "exercise"]
    assert exercises == [
        ("1", "Quad set", "left", "holds", "63", "15", "0", "0", "48"),
        ("1", "Quad set", "right", "holds", "63", "11", "1", "3", "48"),
        ("1", "Leg raise", "-", "sets", "42", "7", "1", "2", "32"),
        ("2", "Quad set", "left", "holds", "18", "3", "0", "0", "15"),
        ("2", "Quad set", "right", "holds", "18", "3", "0", "0", "15"),
        ("2", "Leg raise", "-", "sets", "12", "2", "0", "0", "10"),
    ]
    pain = [(r["when"], r["pain_before"], r["pain_after"]) for r in rows if r["table"] == "pain"]
    assert pain == [("2026-11-30T08:00:00+01:00", "2", "1"), ("2026-11-30T13:00:00+01:00", "2", "1"),
                    ("2026-11-30T18:00:00+01:00", "2", "1"), ("2026-12-01T08:00:00+01:00", "3", "4")]
    versions = [(r["routine"], r["sessions"], r["status"]) for r in rows if r["table"] == "version"]
    assert versions == [("Knee daily", "6", "current"), ("Knee daily", "1", "changed since")]


def test_markdown_says_what_was_left_out_and_why(data_dir: Path, history: Path) -> None:
    # Without a programme: every routine of the history, found in the library (or not).
    result = run_vmo("report", "--routines", str(ROUTINE.parent), "--history", str(history), "--date", "2026-12-08",
                     "--format", "md")
    assert result.returncode == 0, result.stderr
    md = result.stdout
    assert "- 1 preview (played faster than normal) left out: they do not count." in md
    assert "- Gone routine (gone-routine): the routine file is no longer found" in md
    assert "- Knee daily: some sessions were played from an earlier version of the file" in md
    assert "| Knee daily | Quad set | right | holds | 81 | 14 | 1 | 3 | 63 | 17 |" in md
    assert "| Week 2 | 07 Dec 2026 - 08 Dec 2026 |   | 6 | 3 | 0 | 0 |" in md  # the gone routine's session counts
    assert "- Knee daily: 3 times a day, every day, for 2 weeks" in md
    assert "| 01 Dec 2026 | same |" in md  # the next-morning answer


def test_a_period_with_no_sessions(data_dir: Path, history: Path) -> None:
    result = run_vmo("report", "--history", str(history), "--since", "2027-01-01", "--until", "2027-01-31",
                     "--date", "2027-02-01", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "No sessions were recorded in this period." in result.stdout
    assert "Traceback" not in result.stderr
    md = run_vmo("report", "--history", str(tempfile.gettempdir() + "/no-such-history.jsonl"))
    assert md.returncode == 2 and md.stderr.startswith("vmo: no such history file: ")
    backwards = run_vmo("report", "--since", "2027-02-01", "--until", "2027-01-01")
    assert (backwards.returncode, backwards.stderr) == (2, "vmo: --since 2027-02-01 is after --until 2027-01-01\n")


def test_an_empty_history_and_a_routine_without_frequency(data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = run_vmo("report", "knee-strength-starter", "--history", str(empty), "--date", "2026-12-08")
    assert result.returncode == 0, result.stderr
    assert "**No sessions were recorded in this period.**" in result.stdout


@pytest.mark.skipif(not CHROMIUM, reason="needs chromium")
def test_the_html_opens_offline_with_every_chart_drawn(data_dir: Path, history: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = _report(history, "-o", str(out))
    assert result.returncode == 0, result.stderr
    document = out.read_text(encoding="utf-8")
    for external in ("http://", "https://", "<script", "<link", "url(", "@import"):
        assert external not in document.replace('xmlns="http://www.w3.org/2000/svg"', "")
    charts = re.findall(r'<img class="chart" id="(chart-[a-z]+)" src="data:image/svg\+xml;base64,', document)
    assert charts == ["chart-sessions", "chart-exercises", "chart-pain"]
    # A copy with a probe that lists each picture's drawn size: a chart that failed to load has none.
    probe = out.with_name("probe.html")
    probe.write_text(document.replace("</body>", (
        "<script>window.onload = () => { document.title = [...document.images]"
        ".map(i => i.id + ':' + (i.complete && i.naturalWidth > 0 ? 'drawn' : 'broken')).join(','); };</script></body>")))
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=5000",
             "--dump-dom", probe.as_uri()],
            check=True, capture_output=True, text=True, timeout=120,
        ).stdout
        shot = tmp_path / "report.png"
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1000,2400",
             f"--screenshot={shot}", out.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    title = re.search(r"<title>(.*?)</title>", dom).group(1)
    assert title == "chart-sessions:drawn,chart-exercises:drawn,chart-pain:drawn"
    assert shot.stat().st_size > 20_000


def test_the_engine_records_which_segments_were_skipped_and_which_cut_short() -> None:
    from player.engine import Session

    tl = compile_timeline(load_routine(ROUTINE))
    s = Session(tl)
    s.start(0.0)  # 0 prepare (5 s)
    s.advance(5.0)  # 1 work, left hold 1
    s.skip(6.0)  # hold 1 cut short -> 2 relax
    s.skip_exercise(6.5)  # relax 2 cut short; 3..11 jumped over -> 12 prepare of Leg raise
    p = s.progress(7.0)
    assert p.shortened_indices == (1, 2)
    assert p.skipped_indices == (3, 4, 5, 6, 7, 8, 9, 10, 11)
    s.stop(8.0)
    p = s.progress(8.0)
    assert p.shortened_indices == (1, 2, 12) and p.stopped_at == 12


def test_a_programme_report_follows_its_phases(data_dir: Path, tmp_path: Path) -> None:
    """Weeks from the programme's start; each week's prescription from the phase the planner says it is in."""
    from player.library import load_any
    from player.planrecords import ProgrammeEvent

    path = FIXTURES / "report" / "two-phases.yaml"
    programme = load_any(str(path))
    routine = load_routine(ROUTINE)
    started = ProgrammeEvent(datetime(2026, 11, 29, 20, 0, tzinfo=TZ), programme.id, "started", programme.file_hash,
                             start=date(2026, 11, 30))
    lines = [json.dumps(started.to_json())]
    for day in (date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 7), date(2026, 12, 8)):
        lines.append(json.dumps(_session(day, 8, routine).to_json()))
    history = tmp_path / "h.jsonl"
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_vmo("report", str(path), "--history", str(history), "--date", "2026-12-09", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    weeks = [(r["week"], r["phase"], r["prescribed"], r["done"]) for r in rows if r["table"] == "sessions"]
    # Week 1 (Easy): Mon, Wed, Fri once; week 2 (Harder) up to Wednesday 9 Dec: 3 days twice a day.
    assert weeks == [("1", "Easy", "3", "2"), ("2", "Harder", "6", "2")]
    phases = [(r["when"][:10], r["event"]) for r in rows if r["table"] == "phase"]
    assert phases == [("2026-11-29", "started (Easy)"), ("2026-12-07", "Harder began (after the weeks of Easy)")]
    md = run_vmo("report", str(path), "--history", str(history), "--date", "2026-12-09").stdout
    assert "- **Patient:** Ann Example" in md and "- Easy: Knee daily, on Mondays, Wednesdays and Fridays" in md


def test_each_session_is_prescribed_at_its_own_dose(data_dir: Path, tmp_path: Path) -> None:
    """A session recorded with a grown dose (4 holds instead of 3) is matched to the timeline of that dose."""
    from player.planner import apply_dose

    path = FIXTURES / "report" / "growing.yaml"
    routine = load_routine(path)
    grown = apply_dose(routine, {"Quad set": {"reps": 4}})
    first = _session(date(2026, 11, 30), 8, routine)  # 3 holds, all done
    second = _session(date(2026, 12, 1), 8, grown, routine_name=routine.name,
                      dose={"Quad set": {"reps": 4}}, skipped_segments=(7,), segments_total=8)  # the 4th hold skipped
    history = tmp_path / "h.jsonl"
    history.write_text("\n".join(json.dumps(r.to_json()) for r in (first, second)) + "\n", encoding="utf-8")
    result = run_vmo("report", str(path), "--history", str(history), "--date", "2026-12-02", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = [(r["prescribed"], r["done"], r["skipped"], r["missed"])
            for r in csv.DictReader(io.StringIO(result.stdout)) if r["table"] == "exercise"]
    # Monday 3 holds done; Tuesday 4 prescribed, 3 done, 1 skipped; Wednesday not played: 4 missed (the last dose).
    assert rows == [("11", "6", "1", "4")]
