"""`vmo history`: the table, --csv, --json, --since; and the settings file it reads the target from."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.adherence import summarize
from player.commands.history import CSV_COLUMNS, format_summary, parse_since, write_csv
from player.errors import UsageError
from player.history import CrampFacts, SessionRecord, StoppedAt, encode
from player.settings import DEFAULT_SETTINGS, Settings, get_settings, load_settings
from tests.conftest import run_vmo

UTC = timezone.utc


def record(day: str, hour: int, **changes: object) -> SessionRecord:
    start = datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
    base = dict(
        start=start, end=start + timedelta(minutes=4), routine_id="quad-sets", routine_name="Quad sets",
        file_hash="f00d", planned_seconds=215.0, played_seconds=214.0, segments_total=40,
        segments_done=40, segments_skipped=0, completed=True, player="plain",
    )
    base.update(changes)
    return SessionRecord(**base)  # type: ignore[arg-type]


RECORDS = [
    record("2025-03-03", 8, pain_before=3, pain_after=2),
    record("2025-03-04", 9, completed=False, played_seconds=30.0, segments_done=6, segments_skipped=1,
           stopped_at=StoppedAt("Quad set", 6)),
    record("2025-03-05", 22, routine_id="cramp-calf", routine_name='=SUM(A1), "calf"', planned_seconds=90.0,
           played_seconds=75.0, segments_total=6, segments_done=6, cramp=CrampFacts("calf", 60.0, True)),
]


def write_history(folder: Path, records: list[SessionRecord], tail: bytes = b"") -> Path:
    path = folder / "history.jsonl"
    path.write_bytes(b"".join(encode(r) for r in records) + tail)
    return path


def test_summary_text() -> None:
    summary = summarize(RECORDS, date(2025, 3, 5), 3)
    assert format_summary(summary, None, "/data/history.jsonl", True) == (
        "Recent sessions:\n"
        "\n"
        "WHEN              ROUTINE           HOW FAR                       TIME           PAIN\n"
        '2025-03-05 22:00  =SUM(A1), "calf"  eased after 1 min, escalated  01:15 / 01:30\n'
        "2025-03-04 09:00  Quad sets         stopped at Quad set (7/40)    00:30 / 03:35\n"
        "2025-03-03 08:00  Quad sets         completed                     03:34 / 03:35  3 -> 2\n"
        "\n"
        "Sessions per routine:\n"
        "\n"
        "SESSIONS  COMPLETED    ROUTINE           ID\n"
        "2         1 completed  Quad sets         quad-sets\n"
        '1         1 completed  =SUM(A1), "calf"  cramp-calf\n'
        "\n"
        # The cramp episode and the session stopped after 30 s do not count.
        "This week (from Monday 2025-03-03): 1 of 3 sessions\n"
        "Streak: 0 days in a row\n"
    )
    one_day = format_summary(summarize(RECORDS[:1], date(2025, 3, 3), 1), None, "h", True)
    assert one_day.endswith("This week (from Monday 2025-03-03): 1 of 1 sessions  target met\nStreak: 1 day in a row\n")


def test_summary_text_since_a_day_without_sessions_and_no_target() -> None:
    summary = summarize(RECORDS, date(2025, 3, 12), 0, since=date(2025, 3, 10))
    assert format_summary(summary, date(2025, 3, 10), "h", True) == (
        "Sessions since 2025-03-10: 0\n"
        "No sessions in that time.\n"
        "\n"
        "This week (from Monday 2025-03-10): 0 sessions\n"
        "Streak: 0 days in a row\n"
    )


def test_routine_names_with_control_characters_are_shown_escaped() -> None:
    summary = summarize([record("2025-03-03", 8, routine_name="Evil\x1b[2J")], date(2025, 3, 3), 3)
    text = format_summary(summary, None, "h", True)
    assert "\x1b" not in text and "EvilU+001B[2J" in text


def test_csv_quotes_and_neutralises_formulas() -> None:
    out = io.StringIO()
    write_csv(RECORDS, out)
    assert out.getvalue().count("\r\n") == 4
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[1] == [
        "2025-03-03", "2025-03-03T08:00:00+00:00", "2025-03-03T08:04:00+00:00", "quad-sets", "Quad sets",
        "yes", "", "", "215.0", "214.0", "40", "40", "0", "3", "2", "", "", "", "plain", "1.0", "f00d",
    ]
    assert rows[2][5:8] == ["no", "Quad set", "7"]  # the segment counted from 1, as the table shows it
    assert rows[3][4] == "'=SUM(A1), \"calf\""
    assert rows[3][15:18] == ["calf", "60.0", "yes"]


@pytest.mark.parametrize("text, expected", [("2025-03-05", date(2025, 3, 5)), (" 2025-03-05 ", date(2025, 3, 5))])
def test_since_parses_a_date(text: str, expected: date) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["2025-13-01", "yesterday", "", "05/03/2025"])
def test_since_refuses_anything_else(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_since(text)
    assert str(info.value) == f"--since: expected a date such as 2025-01-31, got {text!r}"


# -- the command --


def test_vmo_history_empty(data_dir: Path) -> None:
    result = run_vmo("history", env={"VMO_DATA_DIR": str(data_dir)})
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"No sessions recorded yet. They will be kept in {data_dir / 'history.jsonl'}\n"


def test_vmo_history_table_warns_once_about_a_torn_line(data_dir: Path) -> None:
    path = write_history(data_dir, RECORDS, tail=b'{"version":1,"start":"2025-03-0')
    result = run_vmo("history", env={"VMO_DATA_DIR": str(data_dir)})
    assert result.returncode == 0
    assert result.stderr == f"vmo: warning: {path}: skipped line 4, which is not a complete session record\n"
    assert "2025-03-04 09:00  Quad sets         stopped at Quad set (7/40)" in result.stdout
    assert "\nThis week (from Monday " in result.stdout


def test_vmo_history_json_and_since(data_dir: Path) -> None:
    write_history(data_dir, RECORDS)
    result = run_vmo("history", "--json", "--since", "2025-03-04", env={"VMO_DATA_DIR": str(data_dir)})
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == [r.to_json() for r in RECORDS[1:]]


def test_vmo_history_csv(data_dir: Path) -> None:
    write_history(data_dir, RECORDS)
    result = run_vmo("history", "--csv", env={"VMO_DATA_DIR": str(data_dir)})
    assert result.returncode == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [row[3] for row in rows] == ["routine_id", "quad-sets", "quad-sets", "cramp-calf"]


def test_vmo_history_bad_since_is_a_usage_error(data_dir: Path) -> None:
    result = run_vmo("history", "--since", "last week", env={"VMO_DATA_DIR": str(data_dir)})
    assert result.returncode == 2
    assert result.stderr == "vmo: --since: expected a date such as 2025-01-31, got 'last week'\n"


def test_vmo_history_csv_and_json_together_is_a_usage_error(data_dir: Path) -> None:
    result = run_vmo("history", "--csv", "--json", env={"VMO_DATA_DIR": str(data_dir)})
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1


def test_vmo_history_uses_the_weekly_target_and_reports_a_bad_settings_file(data_dir: Path) -> None:
    write_history(data_dir, RECORDS)
    (data_dir / "settings.yaml").write_text("weekly_target: 5\nvoice: loud\n")
    result = run_vmo("history", env={"VMO_DATA_DIR": str(data_dir)}, cwd=data_dir)
    assert result.returncode == 0
    assert result.stderr == "settings.yaml:2:8: error: voice: expected true or false, got 'loud'\n"
    assert " of 5 sessions" in result.stdout


# -- settings.yaml --


def test_settings_defaults_when_missing(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "settings.yaml") == (DEFAULT_SETTINGS, [])
    assert DEFAULT_SETTINGS.weekly_target == 3


def test_settings_read_every_key(tmp_path: Path) -> None:
    wav = tmp_path / "ding.wav"
    wav.write_bytes(b"RIFF")
    path = tmp_path / "settings.yaml"
    path.write_text(
        f"audio: none\nvoice: false\nweekly_target: 4\nask_pain: yes\n"
        f"sounds:\n  start: bell\n  finish: {wav}\n  rep: none\n"
    )
    assert load_settings(path) == (
        Settings(audio="none", voice=False, weekly_target=4, ask_pain=True,
                 sounds={"start": "bell", "finish": str(wav), "rep": "none"}),
        [],
    )


def test_invalid_settings_are_problems_and_the_rest_still_apply(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(
        "audio: minaudio\n"
        "weekly_target: 99\n"
        "ask_pain: true\n"
        "colour: red\n"
        "sounds:\n"
        "  start: nosuch\n"
        "  tick: beep\n"
        "  rest: bell\n"
    )
    settings, problems = load_settings(path)
    assert settings == Settings(ask_pain=True, sounds={"rest": "bell"})
    shown = str(path)
    assert [str(p) for p in problems] == [
        f"{shown}:1:8: error: audio: expected one of auto, miniaudio, simpleaudio, bell, none, got 'minaudio'"
        " (did you mean 'miniaudio'?)",
        f"{shown}:2:16: error: weekly_target: expected a whole number from 0 to 50, got 99",
        f"{shown}:4:1: warning: unknown setting 'colour'; ignored",
        f"{shown}:6:10: error: sounds.start: no bundled sound named 'nosuch'; see 'sounds/README.md',"
        " or give a .wav path or none",
        f"{shown}:7:3: error: sounds: unknown key 'tick' (not a cue)",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "weekly_target: [3\n",
            "2:1: error: invalid YAML: expected ',' or ']' here: the list opened with '[' at 1:16 is not closed",
        ),
        ("- 3\n", "1:1: error: the top level must be a mapping of settings such as weekly_target: 3"),
        ("a: 1\n---\nb: 2\n", "2:1: error: expected one YAML document, found a second one"),
    ],
)
def test_unreadable_settings_fall_back_to_defaults(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    settings, problems = load_settings(path)
    assert settings == DEFAULT_SETTINGS
    assert [str(p) for p in problems] == [f"{path}:{message}"]


def test_empty_settings_file_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("# nothing set yet\n")
    assert load_settings(path) == (DEFAULT_SETTINGS, [])


def test_settings_problems_are_reported_once_per_process(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("weekly_target: many\n")
    err = io.StringIO()
    assert get_settings(err, path) == DEFAULT_SETTINGS
    assert get_settings(err, path) == DEFAULT_SETTINGS
    assert err.getvalue() == f"{path}:1:16: error: weekly_target: expected a whole number from 0 to 50, got 'many'\n"
