"""Every duration form of routine-format.md."""

import pytest

from player.durations import DurationError, format_clock, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30", 30), ("7.5", 7.5), ("0", 0),
        ("45s", 45), ("2m", 120), ("1m30s", 90), ("1h", 3600), ("1h5m", 3900), ("2.5s", 2.5), ("1h0m5s", 3605),
        ("0:45", 45), ("1:30", 90), ("1:30:00", 5400), ("10:05", 605),
        ("1m 30s", 90), (" 45s ", 45),
    ],
)
def test_duration_forms(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["thirty", "", "s", "1e3", "1:75", "1:5", "1:60:00", "30sec", "m30", "1..5", ".5", "inf"])
def test_not_a_duration(text: str) -> None:
    with pytest.raises(DurationError, match=r"^expected a duration such as 30s, 1m30s or 0:45, got "):
        parse_duration(text)


@pytest.mark.parametrize("text", ["-5", "-1m", "-0:30"])
def test_negative_durations_are_errors(text: str) -> None:
    with pytest.raises(DurationError, match="^must not be negative"):
        parse_duration(text)


def test_formatting() -> None:
    assert format_duration(45) == "45 s"
    assert format_duration(90) == "1 min 30 s"
    assert format_duration(3900) == "1 h 5 min"
    assert format_duration(7.5) == "7.5 s"
    assert format_clock(65) == "01:05"
    assert format_clock(3725) == "1:02:05"
