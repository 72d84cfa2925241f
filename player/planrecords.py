"""The history records of programmes (program-format.md, section 4): `programme` events and `next_day` answers.

Each is one JSON line with `version`, `kind` and `at` (ISO 8601 with the UTC
offset of the moment). Session records keep their own module (player/history.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

RECORD_VERSION = 1
PROGRAMME_EVENTS = ("started", "advanced", "stepped_back", "declined", "stopped")
NEXT_DAY_ANSWERS = ("better", "same", "worse")
PROPOSAL_KINDS = ("advance", "step_back")
# Record kinds this vmo reads (program-format.md, section 7); lines of other kinds are skipped silently.
KNOWN_KINDS = ("session", "programme", "next_day")


@dataclass(frozen=True, slots=True)
class ProgrammeEvent:
    """A programme started, advanced, stepped back, a proposal declined, or stopped."""

    at: datetime
    programme_id: str
    event: str
    file_hash: str | None = None
    start: date | None = None  # started
    to_phase: int | None = None  # advanced, stepped_back
    proposal_kind: str | None = None  # declined
    proposal_to_phase: int | None = None  # declined

    @property
    def day(self) -> date:
        """The calendar day of the record, where the user was."""
        return self.at.date()

    def to_json(self) -> dict[str, Any]:
        """The record as history.jsonl holds it."""
        out: dict[str, Any] = {
            "version": RECORD_VERSION, "kind": "programme", "at": _iso(self.at),
            "programme_id": self.programme_id, "file_hash": self.file_hash, "event": self.event,
        }
        if self.event == "started":
            out["start"] = self.start.isoformat() if self.start else None
        elif self.event in ("advanced", "stepped_back"):
            out["to_phase"] = self.to_phase
        elif self.event == "declined":
            out["proposal"] = {"kind": self.proposal_kind, "to_phase": self.proposal_to_phase}
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ProgrammeEvent":
        """The record from its JSON object. Raises ValueError naming the first bad field."""
        event = data.get("event")
        if event not in PROGRAMME_EVENTS:
            raise ValueError("field 'event' is missing or unknown")
        start = to_phase = kind = proposal_phase = None
        if event == "started":
            text = data.get("start")
            if not isinstance(text, str):
                raise ValueError("field 'start' is missing")
            try:
                start = date.fromisoformat(text)
            except ValueError:
                raise ValueError("field 'start' is not a date") from None
        elif event in ("advanced", "stepped_back"):
            to_phase = _index(data.get("to_phase"), "to_phase")
        elif event == "declined":
            proposal = data.get("proposal")
            if not isinstance(proposal, dict) or proposal.get("kind") not in PROPOSAL_KINDS:
                raise ValueError("field 'proposal' is missing or wrong")
            kind = proposal["kind"]
            proposal_phase = _index(proposal.get("to_phase"), "proposal.to_phase")
        return cls(
            at=record_time(data, "at"),
            programme_id=_text(data, "programme_id"),
            event=event,
            file_hash=data.get("file_hash") if isinstance(data.get("file_hash"), str) else None,
            start=start,
            to_phase=to_phase,
            proposal_kind=kind,
            proposal_to_phase=proposal_phase,
        )


@dataclass(frozen=True, slots=True)
class NextDayAnswer:
    """The answer to "compared with before your last session, is it better, the same or worse?"."""

    at: datetime
    answer: str
    routine_id: str | None = None
    programme_id: str | None = None

    @property
    def day(self) -> date:
        """The calendar day of the record, where the user was."""
        return self.at.date()

    def to_json(self) -> dict[str, Any]:
        """The record as history.jsonl holds it."""
        return {
            "version": RECORD_VERSION, "kind": "next_day", "at": _iso(self.at), "answer": self.answer,
            "routine_id": self.routine_id, "programme_id": self.programme_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "NextDayAnswer":
        """The record from its JSON object. Raises ValueError naming the first bad field."""
        answer = data.get("answer")
        if answer not in NEXT_DAY_ANSWERS:
            raise ValueError("field 'answer' is missing or not better, same or worse")
        routine_id, programme_id = data.get("routine_id"), data.get("programme_id")
        if routine_id is not None and not isinstance(routine_id, str):
            raise ValueError("field 'routine_id' has the wrong type")
        if programme_id is not None and not isinstance(programme_id, str):
            raise ValueError("field 'programme_id' has the wrong type")
        return cls(record_time(data, "at"), answer, routine_id, programme_id)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"field {key!r} is missing or has the wrong type")
    return value


def _index(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"field {key!r} is not a phase index")
    return value


def record_time(data: Mapping[str, Any], key: str) -> datetime:
    """An ISO 8601 time with a UTC offset. Raises ValueError."""
    text = data.get(key)
    if not isinstance(text, str):
        raise ValueError(f"field {key!r} is missing or has the wrong type")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"field {key!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError(f"field {key!r} has no UTC offset")
    return moment


def parse_record(data: object) -> object | None:
    """A record of a kind programmes add, None for another known kind's caller to read, or raises ValueError."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    kind = data.get("kind")
    if kind == "programme":
        return ProgrammeEvent.from_json(data)
    if kind == "next_day":
        return NextDayAnswer.from_json(data)
    return None
