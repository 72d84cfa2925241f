"""The optional pain rating, 0–10, before and after a routine: the pure part the players share."""

from __future__ import annotations

import re

PAIN_MIN = 0
PAIN_MAX = 10
PAIN_QUESTION_BEFORE = "Pain right now, 0 (none) to 10 (worst)? Enter to skip: "
PAIN_QUESTION_AFTER = "Pain now, after the routine, 0 to 10? Enter to skip: "
PAIN_EXPECTED = "a whole number from 0 to 10, or Enter to skip"

_SKIP = ("", "s", "skip", "-")
_ANSWER = re.compile(r"^(\d{1,2})(?:\s*/\s*10)?$")


class PainAnswerInvalid(ValueError):
    """The answer is not a rating; the message says what is expected."""


def parse_pain_answer(text: str) -> int | None:
    """A 0–10 rating from what the user typed; None when they skipped. Raises PainAnswerInvalid.

    Accepts "7" and "7/10"; an empty answer, "s", "skip" or "-" skips.
    """
    answer = text.strip().lower()
    if answer in _SKIP:
        return None
    m = _ANSWER.match(answer)
    if m is None or not PAIN_MIN <= int(m.group(1)) <= PAIN_MAX:
        shown = answer if len(answer) <= 20 else answer[:19] + "…"
        raise PainAnswerInvalid(f"expected {PAIN_EXPECTED}, got {shown!r}")
    return int(m.group(1))


def should_ask_pain(routine_asks: bool, setting: bool | None) -> bool:
    """Whether to ask: the user's `ask_pain` setting wins when set, else the routine's `ask_pain`."""
    return routine_asks if setting is None else setting
