"""The fast lane of the loader: a valid routine file straight to its Routine.

`quick_routine` reads the file with `yamlfast.parse` and builds the same Routine the
full checker in `loader.py` builds, or returns None as soon as anything is unusual
or wrong: text outside the fast YAML subset, a problem of any kind, an include or
a sound given as a file. The caller then runs the full checker, which finds and words
every problem. So this module never reports anything; it only has to agree with
the full checker on files without problems (tests/test_yamlfast.py checks that).

Why: most files `vmo check` and the player read are valid, and building a Node per
scalar and checking it with messages in mind costs several times more than this.
"""

from __future__ import annotations

import dataclasses
import operator
from pathlib import Path
from typing import Callable

from player import timeline
from player.durations import DurationError, parse_duration
from player.loader import (
    _FALSE,
    _ID,
    _INT,
    _NULLS,
    _TEMPO,
    _TRUE,
    DEFAULT_KEYS,
    REPEAT_KEYS,
    REST_KEYS,
    TOP_KEYS,
    slug,
)
from player.model import (
    BUILTIN_DEFAULTS,
    CATEGORIES,
    CUES,
    DEFAULT_COUNTDOWN,
    SIDES,
    CueSettings,
    Exercise,
    RepeatBlock,
    RestStep,
    Routine,
    Step,
)
from player.resources import bundled_sound_names
from player.yamlfast import Mapping, Text, parse

_TOP = frozenset(TOP_KEYS)
_CUES = frozenset(CUES)
_REST = frozenset(REST_KEYS)
_REPEAT = frozenset(REPEAT_KEYS)
_DEFAULTS = frozenset(DEFAULT_KEYS)
_WORK = frozenset(("duration", "hold", "reps"))
_TIMING = ("prepare", "switch", "relax", "rest")
_NULL_TEXT = frozenset(_NULLS)
_TRUE_TEXT = frozenset(_TRUE)
_FALSE_TEXT = frozenset(_FALSE)
# The caches below keep readings of short texts only, and are emptied when full.
_MAX_CACHED = 4096
_MAX_CACHED_TEXT = 120
_MISSING = object()


# The conflicts _File.exercise is written for (tests/test_yamlfast.py checks them).
HANDLED_CONFLICTS = {("duration", "reps"), ("duration", "hold"), ("hold", "tempo"), ("duration", "tempo")}


def _short(value: str | tuple[str, ...]) -> bool:
    """Whether a plain text or flow sequence is short enough to keep its reading."""
    if type(value) is str:
        return len(value) <= _MAX_CACHED_TEXT
    return len(value) <= 8 and sum(map(len, value)) <= _MAX_CACHED_TEXT


class _Unusual(Exception):
    """Not a plainly valid file: leave it to the full checker."""


def _fillable(cls: type) -> bool:
    """Whether a dataclass `cls` can be built by filling a new instance's __dict__.

    A frozen dataclass's __init__ sets each field through object.__setattr__,
    which costs more than the rest of reading a step. For a class whose __init__
    does nothing else, filling the __dict__ of `object.__new__(cls)` with every
    field gives an equal object; any other class is built with its __init__.
    """
    return (
        dataclasses.is_dataclass(cls)
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in vars(cls)
        and all(f.init and f.default_factory is dataclasses.MISSING for f in dataclasses.fields(cls))
    )


def _filler(cls: type) -> Callable[[dict[str, object]], object]:
    """A constructor for dataclass `cls` from a dict of all its fields (see _fillable)."""
    if not _fillable(cls):
        return lambda values: cls(**values)
    new = object.__new__

    def make(values: dict[str, object]) -> object:
        obj = new(cls)
        obj.__dict__.update(values)
        return obj

    return make


def _defaults(cls: type) -> dict[str, object]:
    """The field defaults of dataclass `cls`; fields without one are left out."""
    return {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}


_FILL_EXERCISE = _fillable(Exercise)
_new = object.__new__
_make_rest = _filler(RestStep)
_make_repeat = _filler(RepeatBlock)
_make_routine = _filler(Routine)
_EXERCISE_FIELDS = _defaults(Exercise)
_REST_FIELDS = _defaults(RestStep)
_REPEAT_FIELDS = _defaults(RepeatBlock)
_ROUTINE_FIELDS = _defaults(Routine)

# Durations already read, by their text.
_durations: dict[str, float] = {}
# Values already read, by (key, plain text or flow sequence): most steps share
# lines such as "reps: 10" or "sides: [right, left]".
_converted: dict[tuple[str, object], object] = {}


def _duration(value: object, positive: bool) -> float:
    if type(value) is not str and type(value) is not Text:
        raise _Unusual
    seconds = _durations.get(value)  # type: ignore[call-overload]
    if seconds is None:
        try:
            seconds = parse_duration(str(value))
        except DurationError:
            raise _Unusual from None
        if len(value) <= _MAX_CACHED_TEXT:  # type: ignore[arg-type]
            if len(_durations) >= _MAX_CACHED:
                _durations.clear()
            _durations[value] = seconds  # type: ignore[index]
    if positive and seconds <= 0:
        raise _Unusual
    return seconds


def _text(value: object, required: bool = False) -> str:
    # yamlfast.parse passes no control characters other than newline
    if type(value) is str:
        if value in _NULL_TEXT:
            raise _Unusual
    elif type(value) is Text:
        value = str(value)
    else:
        raise _Unusual
    if required and not value.strip():  # type: ignore[attr-defined]
        raise _Unusual
    return value  # type: ignore[return-value]


def _integer(value: object, low: int, high: int) -> int:
    if type(value) is not str or not _INT.match(value):
        raise _Unusual
    number = int(value)
    if not low <= number <= high:
        raise _Unusual
    return number


def _boolean(value: object) -> bool:
    if type(value) is str:
        if value in _TRUE_TEXT:
            return True
        if value in _FALSE_TEXT:
            return False
    raise _Unusual


def _text_list(value: object) -> tuple[str, ...]:
    if type(value) is not list and type(value) is not tuple:
        raise _Unusual
    return tuple([_text(item) for item in value])  # type: ignore[attr-defined]


def _sides(value: object) -> tuple[str, ...]:
    kind = type(value)
    if kind is str or kind is Text:
        if value == "both":
            return SIDES
        if value in SIDES:
            return (str(value),)
        raise _Unusual
    if kind is not list and kind is not tuple or not value:
        raise _Unusual
    for item in value:  # type: ignore[attr-defined]
        if (type(item) is not str and type(item) is not Text) or item not in SIDES:
            raise _Unusual
    return tuple([str(item) for item in value])  # type: ignore[attr-defined]


def _tempo(value: object) -> tuple[float, ...]:
    if type(value) is not str and type(value) is not Text:
        raise _Unusual
    text = str(value).strip()
    if not _TEMPO.match(text):
        raise _Unusual
    phases = tuple([float(p) for p in text.split("-")])
    if sum(phases) <= 0:
        raise _Unusual
    return phases


_bundled_sounds: frozenset[str] | None = None


def _sound(value: object) -> str:
    """A cue's sound: `none` or a bundled sound's name; paths to .wav files are left to the checker."""
    global _bundled_sounds
    name = _text(value, required=True)
    if name == "none":
        return name
    if _bundled_sounds is None:  # the bundled sounds do not change while vmo runs
        _bundled_sounds = frozenset(bundled_sound_names())
    if "/" in name or "\\" in name or name.lower().endswith(".wav") or name not in _bundled_sounds:
        raise _Unusual
    return name


def _required_text(value: object) -> str:
    # _text(value, required=True), written out: it reads every exercise's name
    if type(value) is str:
        if value in _NULL_TEXT:
            raise _Unusual
    elif type(value) is Text:
        value = str(value)
    else:
        raise _Unusual
    if not value.strip():  # type: ignore[attr-defined]
        raise _Unusual
    return value  # type: ignore[return-value]


# How each key of an exercise step is read.
_EXERCISE_READERS: dict[str, Callable[[object], object]] = {
    "name": _required_text,
    "duration": lambda v: _duration(v, positive=True),
    "hold": lambda v: _duration(v, positive=True),
    "reps": lambda v: _integer(v, 1, 1000),
    "tempo": _tempo,
    "sets": lambda v: _integer(v, 1, 100),
    "sides": _sides,
    "prepare": lambda v: _duration(v, positive=False),
    "switch": lambda v: _duration(v, positive=False),
    "relax": lambda v: _duration(v, positive=False),
    "rest": lambda v: _duration(v, positive=False),
    "instructions": _text,
    "cues": _text_list,
    "equipment": _text_list,
    "target": _text,
    "announce": _text,
    "until_eased": _boolean,
    "escalate_after": lambda v: _duration(v, positive=True),
    "escalate": _text,
}
# Keys whose values are seldom shared between steps: their readings are not kept.
_TEXT_KEYS = frozenset(("name", "instructions", "target", "announce", "escalate"))

# Segment count and seconds of exercises, by their fields that can change them:
# every field but the descriptive ones, so a new field counts unless listed here.
_DESCRIPTIVE = frozenset((
    "name", "instructions", "cues", "equipment", "target", "announce", "escalate", "cue_settings", "source", "line",
))
_shape = operator.itemgetter(*[f.name for f in dataclasses.fields(Exercise) if f.name not in _DESCRIPTIVE])
_sizes: dict[tuple, tuple[int, float]] = {}


def quick_routine(text: str, path: Path, top_level: bool) -> Routine | None:
    """The Routine the full checker would build from `text`, or None to leave the file to it."""
    root = parse(text)
    if type(root) is not Mapping:
        return None
    try:
        return _File(path, top_level).routine(root)  # type: ignore[arg-type]
    except _Unusual:
        return None


class _File:
    """One file's steps, with its defaults and cue settings applied."""

    def __init__(self, path: Path, top_level: bool) -> None:
        self.path = path
        self.top_level = top_level
        self.cues: CueSettings | None = None  # set with the file's defaults
        self.exercise_base: dict[str, object] = {}
        # What timeline.measure would give for the steps read so far, summed in its order.
        self.count = 0
        self.seconds = 0.0

    def routine(self, root: Mapping) -> Routine:
        if not root.keys() <= _TOP or "name" not in root or "steps" not in root:
            raise _Unusual
        get = root.get
        name = _text(root["name"], required=True)
        routine_id = None
        if "id" in root:
            routine_id = _text(root["id"], required=True)
            if not _ID.match(routine_id):
                raise _Unusual
        category = "other"
        if "category" in root:
            category = _text(root["category"], required=True)
            if category not in CATEGORIES:
                raise _Unusual
        summary = None if (v := get("summary")) is None else _text(v)
        description = None if (v := get("description")) is None else _text(v)
        author = None if (v := get("author")) is None else _text(v)
        tags = () if (v := get("tags")) is None else _text_list(v)
        safety = () if (v := get("safety")) is None else _text_list(v)
        ask_pain = False if (v := get("ask_pain")) is None else _boolean(v)
        defaults = dict(BUILTIN_DEFAULTS)
        countdown, halfway = DEFAULT_COUNTDOWN, True
        if "defaults" in root:
            d = root["defaults"]
            if type(d) is not Mapping or not d.keys() <= _DEFAULTS:
                raise _Unusual
            for key in _TIMING:
                if key in d:
                    defaults[key] = _duration(d[key], positive=False)
            if "countdown" in d:
                countdown = _integer(d["countdown"], 0, 60)
            if "halfway" in d:
                halfway = _boolean(d["halfway"])
        sounds = {}
        if "sounds" in root:
            given = root["sounds"]
            if type(given) is not Mapping or not given.keys() <= _CUES:
                raise _Unusual
            sounds = {cue: _sound(value) for cue, value in given.items()}
        self.cues = CueSettings(countdown=countdown, halfway=halfway, sounds=sounds)
        self.exercise_base = {**_EXERCISE_FIELDS, **defaults, "cue_settings": self.cues, "source": self.path}
        steps = self.step_list(root["steps"])
        if self.top_level and (self.count > timeline.MAX_SEGMENTS or self.seconds > timeline.MAX_SECONDS):
            raise _Unusual
        return _make_routine({  # type: ignore[return-value]
            **_ROUTINE_FIELDS, "id": routine_id or slug(self.path.stem), "name": name, "steps": steps,
            "category": category, "summary": summary, "description": description, "tags": tags, "author": author,
            "safety": safety, "ask_pain": ask_pain, "cue_settings": self.cues, "path": self.path,
        })

    def step_list(self, items: object) -> tuple[Step, ...]:
        if type(items) is not list or not items:
            raise _Unusual
        steps: list[Step] = []
        add = steps.append
        exercise = self.exercise
        for item in items:  # type: ignore[attr-defined]
            if type(item) is not Mapping:
                raise _Unusual
            if not _WORK.isdisjoint(item):
                add(exercise(item))
            elif "repeat" in item:
                add(self.repeat(item))
            elif "rest" in item:
                add(self.rest_step(item))
            else:
                raise _Unusual  # an include, or a step of no kind
        return tuple(steps)

    def exercise(self, step: Mapping) -> Exercise:
        if "name" not in step:
            raise _Unusual
        # The conflicts of loader.CONFLICTS (duration with reps, hold or tempo;
        # hold with tempo), and tempo without reps.
        if "tempo" in step and ("hold" in step or "reps" not in step) or "duration" in step and (
            "reps" in step or "hold" in step
        ):
            raise _Unusual
        if _FILL_EXERCISE:  # the exercise's own __dict__ is filled: no copy
            exercise = _new(Exercise)
            values = exercise.__dict__
            values.update(self.exercise_base)
        else:
            values = self.exercise_base.copy()
        converted = _converted.get
        try:
            for item in step.items():
                key, value = item
                kind = type(value)
                if (kind is str or kind is tuple) and key not in _TEXT_KEYS:
                    got = converted(item, _MISSING)
                    if got is _MISSING:
                        got = _EXERCISE_READERS[key](value)
                        if _short(value):
                            if len(_converted) >= _MAX_CACHED:
                                _converted.clear()
                            _converted[item] = got
                    values[key] = got
                else:
                    values[key] = _EXERCISE_READERS[key](value)
        except KeyError:
            raise _Unusual from None  # not an exercise key
        if values["until_eased"]:
            if "hold" not in step:
                raise _Unusual
        elif "escalate_after" in step or "escalate" in step:
            raise _Unusual
        values["line"] = step.line
        if not _FILL_EXERCISE:
            exercise = Exercise(**values)
        shape = _shape(values)
        size = _sizes.get(shape)
        if size is None:
            size = timeline.measure((exercise,))
            if len(values["sides"]) <= 8:  # type: ignore[arg-type]
                if len(_sizes) >= _MAX_CACHED:
                    _sizes.clear()
                _sizes[shape] = size
        self.count += size[0]
        self.seconds += size[1]
        return exercise  # type: ignore[return-value]

    def rest_step(self, step: Mapping) -> RestStep:
        if not step.keys() <= _REST:
            raise _Unusual
        values = {**_REST_FIELDS, "cue_settings": self.cues, "source": self.path, "line": step.line}
        values["rest"] = rest = _duration(step["rest"], positive=True)
        self.count += 1
        self.seconds += rest
        if "name" in step:
            values["name"] = _text(step["name"], required=True)
        if "instructions" in step:
            values["instructions"] = _text(step["instructions"])
        return _make_rest(values)  # type: ignore[return-value]

    def repeat(self, step: Mapping) -> RepeatBlock:
        if not step.keys() <= _REPEAT or "steps" not in step:
            raise _Unusual
        values = {**_REPEAT_FIELDS, "cue_settings": self.cues, "source": self.path, "line": step.line}
        values["repeat"] = repeat = _integer(step["repeat"], 1, 100)
        if "name" in step:
            values["name"] = _text(step["name"], required=True)
        rest = 0.0
        if "rest" in step:
            values["rest"] = rest = _duration(step["rest"], positive=False)
        count, seconds = self.count, self.seconds
        self.count, self.seconds = 0, 0.0
        values["steps"] = self.step_list(step["steps"])
        gaps = repeat - 1 if rest > 0 else 0
        self.count = count + (repeat * self.count + gaps)
        self.seconds = seconds + (repeat * self.seconds + gaps * rest)
        return _make_repeat(values)  # type: ignore[return-value]
