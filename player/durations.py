"""Durations as routine files write them: 30, 7.5, 45s, 1m30s, 1h5m, 0:45, 1:30:00.

The value is read from the text as written, so `1:30` and `0:45` are both
minutes and seconds, whatever YAML 1.1 would make of them.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ASCII digits only ("\d" would take Arabic-Indic and full-width digits too).
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_PLAIN = re.compile(rf"^({_NUMBER})$")
_UNITS = re.compile(rf"^(?:({_NUMBER})\s*h)?\s*(?:({_NUMBER})\s*m)?\s*(?:({_NUMBER})\s*s)?$")
_CLOCK = re.compile(r"^(?:([0-9]+):)?([0-9]+):([0-9]{2}(?:\.[0-9]+)?)$")
# A whole part of more than 9 digits (over 31 years of seconds): float() would make
# 400 digits infinite and int() refuses 4,300.
LONG_NUMBER = re.compile(r"(?<![0-9.])[0-9]{10,}")

EXPECTED = "expected a duration such as 30s, 1m30s or 0:45"
TOO_LARGE = "too large: a routine lasts at most 24 hours"


class DurationError(ValueError):
    """The text is not a duration; the message says what was expected."""


@lru_cache(maxsize=1024)  # routines say "30s" and "5" again and again
def parse_duration(text: str) -> float:
    """Seconds for a duration written as text. Raises DurationError."""
    raw = text.strip()
    negative = raw.startswith("-")
    body = raw[1:].strip() if negative else raw
    if LONG_NUMBER.search(body):
        raise DurationError(f"{TOO_LARGE}, got {quoted(text)}")
    seconds = _parse_positive(body)
    if seconds is None:
        raise DurationError(f"{EXPECTED}, got {quoted(text)}")
    if negative and seconds > 0:
        raise DurationError(f"must not be negative, got {quoted(text)}")
    return seconds


def quoted(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, cut to `limit` characters."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _parse_positive(body: str) -> float | None:
    if not body:
        return None
    if m := _PLAIN.match(body):
        return float(m.group(1))
    if m := _CLOCK.match(body):
        hours, minutes, seconds = m.groups()
        if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            return None
        return (int(hours or 0) * 60 + int(minutes)) * 60 + float(seconds)
    if (m := _UNITS.match(body)) and any(m.groups()):
        h, mi, s = (float(g) if g else 0.0 for g in m.groups())
        return h * 3600 + mi * 60 + s
    return None


def format_duration(seconds: float) -> str:
    """A short human form: 45 s, 2 min, 1 min 30 s, 1 h 5 min."""
    total = round(seconds, 1)
    if total < 60:
        return f"{_num(total)} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{int(hours)} h")
    if minutes:
        parts.append(f"{int(minutes)} min")
    if secs:
        parts.append(f"{_num(secs)} s")
    return " ".join(parts)


def format_clock(seconds: float) -> str:
    """MM:SS, or H:MM:SS from an hour on."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"
