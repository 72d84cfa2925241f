"""Dosage, frequency and progression in plain words, for handouts and reports.

Pure functions of model values. Every count agrees in number ("1 rep",
"2 reps"); a tempo reads as its phases ("lower for 3 s, hold 1 s, lift for
3 s"). Model objects are read by attribute name, so the words follow whatever
keys the loader fills in (`frequency`, `progress`, `load`, named tempo phases).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from player.model import Exercise

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
    "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}
# Tempo phase names that read as a pause ("hold 1 s") rather than a movement ("lower for 3 s").
_PAUSE_PHASES = {"hold", "pause", "rest", "squeeze", "stop"}


def num(value: float) -> str:
    """A number without a needless `.0`: 3, 2.5."""
    return str(int(value)) if value == int(value) else f"{value:g}"


def plural(count: float, unit: str, units: str | None = None) -> str:
    """`count unit` with the unit agreeing in number: 1 rep, 2 reps, 1.5 seconds."""
    return f"{num(count)} {unit if count == 1 else (units or unit + 's')}"


def seconds_in_words(seconds: float) -> str:
    """A duration in words: 1 second, 45 seconds, 1 minute 30 seconds, 1 hour 5 minutes."""
    total = round(seconds, 1)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [plural(amount, unit) for amount, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")) if amount]
    return " ".join(parts) if parts else "0 seconds"


def times(n: int) -> str:
    """once, twice, 3 times."""
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def joined(items: Sequence[str]) -> str:
    """a; a and b; a, b and c."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sides_in_words(sides: tuple[str, ...] | str) -> str | None:
    """How an exercise's side list reads on a handout; None for an exercise without sides."""
    if not sides:
        return None
    if isinstance(sides, str):
        sides = (sides,)
    special = {
        ("alternate",): "left and right in turn, rep by rep",
        ("affected",): "your affected side only",
        ("unaffected",): "your unaffected side only",
        ("affected", "unaffected"): "affected side first, then the other",
        ("unaffected", "affected"): "unaffected side first, then the affected side",
    }
    if tuple(sides) in special:
        return special[tuple(sides)]
    if sides == ("left", "right"):
        return "each side"
    if sides == ("right", "left"):
        return "each side, right side first"
    if len(sides) == 1:
        return f"{sides[0]} side only"
    return "sides in this order: " + ", ".join(sides)


def tempo_in_words(tempo: Sequence[float], names: Sequence[str] | None = None) -> str:
    """One rep's phases in words: 'lower for 3 s, hold 1 s, lift for 3 s'; unnamed: '3 s, then 1 s, then 3 s'.

    A phase of 0 seconds is left out: it takes no time.
    """
    if names and len(names) == len(tempo):
        parts = []
        for name, secs in zip(names, tempo):
            if secs <= 0:
                continue
            word = " ".join(str(name).replace("_", " ").split())
            parts.append(f"{word} {num(secs)} s" if word.lower() in _PAUSE_PHASES else f"{word} for {num(secs)} s")
        return ", ".join(parts)
    return ", then ".join(f"{num(secs)} s" for secs in tempo if secs > 0)


def _tempo_names(ex: Any) -> Sequence[str] | None:
    for attr in ("tempo_names", "tempo_phases", "phase_names"):
        names = getattr(ex, attr, None)
        if names:
            return tuple(names)
    return None


def _reps_value(ex: Any) -> Any:
    return getattr(ex, "reps", None)


def dosage(ex: Exercise) -> str:
    """The exercise's dosage in plain words, e.g. 'Hold 10 seconds, 10 times, 2 sets, each side; ...'."""
    first: list[str] = []
    then: list[str] = []
    reps = _reps_value(ex)
    as_many = reps == "max" or getattr(ex, "reps_max", False) or getattr(ex, "max_reps", False)
    holds = reps if isinstance(reps, int) and reps else 1
    distance = getattr(ex, "distance", None)
    if ex.duration is not None:
        text = f"For {seconds_in_words(ex.duration)}"
        if distance:
            text += f", {distance}"
        first.append(text)
    elif ex.hold is not None:
        first.append(f"Hold {seconds_in_words(ex.hold)}")
        if ex.until_eased:
            first.append("again and again until it eases")
        elif holds > 1:
            first.append(times(holds))
    elif ex.tempo is not None:
        rep_time = seconds_in_words(sum(ex.tempo))
        first.append(f"{plural(holds, 'rep')}: {tempo_in_words(ex.tempo, _tempo_names(ex))} ({rep_time} each)")
    elif as_many:
        first.append("As many as you can")
    elif distance:
        first.append(str(distance))
    else:
        first.append(f"{plural(holds, 'rep')} at your own pace")
    if ex.sets > 1:
        first.append(plural(ex.sets, "set"))
    side_text = sides_in_words(("alternate",) if getattr(ex, "alternate", False) else ex.sides)
    if side_text:
        first.append(side_text)
    if ex.hold is not None and (holds > 1 or ex.until_eased) and ex.relax > 0:
        then.append(f"relax {seconds_in_words(ex.relax)} between holds")
    if ex.sets > 1 and ex.rest > 0:
        then.append(f"rest {seconds_in_words(ex.rest)} between sets")
    return "; ".join([", ".join(first)] + then)


# -- frequency ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often a routine is done (program-format.md section 1), as plain values."""

    times_a_day: int = 1
    days_a_week: int = 7
    days: tuple[str, ...] = ()
    weeks: int | None = None

    @property
    def days_per_week(self) -> int:
        """Days of a week with sessions."""
        return len(self.days) if self.days else self.days_a_week

    @property
    def sessions_per_week(self) -> int:
        """Prescribed sessions in one week."""
        return self.days_per_week * self.times_a_day


def frequency_of(value: Any) -> Frequency | None:
    """A Frequency from a model object or mapping with the spec's keys; None when there is none."""
    if value is None:
        return None
    if isinstance(value, Frequency):
        return value

    def get(key: str, default: Any) -> Any:
        got = value.get(key) if isinstance(value, Mapping) else getattr(value, key, None)
        return default if got is None else got

    days = tuple(str(d).lower()[:3] for d in get("days", ()))
    return Frequency(int(get("times_a_day", 1)), int(get("days_a_week", 7)), days, get("weeks", None))


def frequency_in_words(freq: Frequency) -> str:
    """'3 days a week, for 6 weeks'; 'twice a day, every day'; 'on Mondays, Wednesdays and Fridays'."""
    parts: list[str] = []
    if freq.times_a_day > 1:
        parts.append(f"{times(freq.times_a_day)} a day")
    if freq.days:
        ordered = [d for d in WEEKDAYS if d in freq.days]
        parts.append("on " + joined([WEEKDAY_NAMES[d] + "s" for d in ordered]))
    elif freq.days_a_week >= 7:
        parts.append("every day")
    else:
        parts.append(f"{plural(freq.days_a_week, 'day')} a week")
    if freq.weeks:
        parts.append(f"for {plural(freq.weeks, 'week')}")
    return ", ".join(parts)


# -- progression --------------------------------------------------------------------


def _amount(key: str, value: Any) -> str:
    if key in ("hold", "duration"):
        return seconds_in_words(float(value))
    return num(float(value))


def progression_in_words(key: str, start: Any, step: Any, every: str, up_to: Any,
                         then: Mapping[str, Any] | None = None) -> str:
    """'start at 15, add 2 each session up to 40'; hold: 'start at 10 seconds, add 5 seconds each week up to 30 seconds'.

    `key` is the number that grows (reps, sets, hold, duration); `then` the
    values to continue with once the cap is reached.
    """
    what = {"reps": "", "sets": " sets", "hold": "", "duration": ""}.get(key, "")
    unit = "each session" if every == "session" else "each week"
    text = f"start at {_amount(key, start)}{what}, add {_amount(key, step)} {unit} up to {_amount(key, up_to)}{what}"
    if then:
        others = [_then_part(k, v) for k, v in then.items() if k not in ("load", key) and v is not None]
        restart = f"start again at {_amount(key, then[key])}" if then.get(key) is not None else "start again"
        if others:
            restart += " (" + ", ".join(others) + ")"
        if then.get("load"):
            restart += f" with {then['load']}"
        text += f"; then {restart} and build up the same way to {_amount(key, up_to)}"
    return text


def _then_part(key: str, value: Any) -> str:
    if key in ("hold", "duration"):
        return f"{key} {seconds_in_words(float(value))}"
    return plural(float(value), key[:-1] if key.endswith("s") else key)


def exercise_progression(ex: Any) -> str | None:
    """The progression of an exercise in words, from its `progress` (None: it has none)."""
    prog = getattr(ex, "progress", None)
    if prog is None:
        return None

    def get(name: str) -> Any:
        return prog.get(name) if isinstance(prog, Mapping) else getattr(prog, name, None)

    key = get("key")
    step = get("step")
    if key is None:
        for candidate in ("reps", "hold", "duration", "sets"):
            if get(candidate) is not None:
                key, step = candidate, get(candidate)
                break
    if key is None or step is None:
        return None
    start = getattr(ex, key, None)
    if start is None:
        return None
    then = get("then")
    if then is not None and not isinstance(then, Mapping):
        then = dict(then)  # the model's (key, value) pairs
    return progression_in_words(key, start, step, get("every") or "session", get("up_to"), then)
