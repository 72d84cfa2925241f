"""Load and check routine files: YAML nodes in, a Routine or every problem out.

Every value keeps its position, so each problem is FILE:LINE:COL. All problems
of a file are collected before anything is reported.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from player import prescription, timeline
from player.checks import ROUTINE_SUFFIXES, is_programme_root, slug
from player.checks import Invalid as _Invalid
from player.checks import kind_name as _kind_name
from player.checks import show as _show
from player.distances import DistanceError, parse_distance
from player.durations import LONG_NUMBER, TOO_LARGE, DurationError, format_duration, parse_duration
from player.errors import RoutineInvalid
from player.files import FileTooLarge, file_kind, read_limited
from player.model import (
    BUILTIN_DEFAULTS,
    CATEGORIES,
    CUES,
    DEFAULT_COUNTDOWN,
    DEFAULT_ESCALATE_AFTER,
    IMAGE_SUFFIXES,
    MAX_IMAGE_BYTES,
    MAX_IMAGES,
    PATIENT_SIDES,
    SIDES,
    CueSettings,
    Exercise,
    RepeatBlock,
    RestStep,
    Routine,
    Section,
    Step,
)
from player.problems import Problem, did_you_mean
from player.resources import bundled_sound_names

if TYPE_CHECKING:
    from player.programme import NestedProgramme, Programme
    from player.yamlnodes import Node

# difflib and the YAML composer (PyYAML) are imported where they are needed, so that
# commands that load no routine file start quickly.

MAX_BYTES = 1024 * 1024
MAX_INCLUDE_DEPTH = 8
# What one check may read in all, the routine and its includes (each file read once).
MAX_FILES = 100
MAX_NESTING = 64  # YAML levels (yamlnodes.MAX_DEPTH, not imported: PyYAML loads on first use)
MAX_TOTAL_BYTES = 2 * MAX_BYTES

TOP_KEYS = (
    "name", "id", "category", "summary", "description", "tags", "author",
    "safety", "defaults", "sounds", "ask_pain", "steps",
)
EXERCISE_KEYS = (
    "name", "duration", "hold", "reps", "tempo", "sets", "sides", "prepare", "switch",
    "relax", "rest", "instructions", "cues", "equipment", "target", "announce",
    "until_eased", "escalate_after", "escalate",
    "image", "video", "load", "distance",
)
REST_KEYS = ("rest", "name", "instructions")
REPEAT_KEYS = ("repeat", "steps", "name", "rest")
INCLUDE_KEYS = ("include",)
# The keys program-format.md adds to routine files (frequency, progression).
PRESCRIPTION_TOP_KEYS = ("frequency",)
PRESCRIPTION_EXERCISE_KEYS = ("progress",)
SECTION_KEYS = ("section", "description")
DEFAULT_KEYS = ("prepare", "switch", "relax", "rest", "countdown", "halfway")
# Exercise keys that may not appear together, and why the spec forbids them.
CONFLICTS = (
    ("duration", "reps"), ("duration", "hold"), ("hold", "tempo"), ("duration", "tempo"),
    ("distance", "hold"), ("distance", "tempo"),
)
# The keys that make a step an exercise.
WORK_KEYS = ("duration", "hold", "reps", "distance")


def _homes() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """Each place a key can be, its keys, and where it is in words (for "X belongs ...").

    Read when a problem is reported, so keys other modules add to these tuples count.
    """
    return (
        ("top", TOP_KEYS + PRESCRIPTION_TOP_KEYS, "at the top of the routine"),
        ("exercise", EXERCISE_KEYS + PRESCRIPTION_EXERCISE_KEYS, "on an exercise step"),
        ("rest", REST_KEYS, "on a rest step"),
        ("repeat", REPEAT_KEYS, "on a repeat block"),
        ("section", SECTION_KEYS, "on a section step"),
        ("include", INCLUDE_KEYS, "on an include step"),
        ("defaults", DEFAULT_KEYS, "under defaults"),
        ("sounds", CUES, "under sounds"),
    )


def belongs(name: str, place: str) -> str:
    """" (X belongs at the top of the routine)" when `name` is a key of other places, else ""."""
    where = [words for home, keys, words in _homes() if home != place and name in keys]
    if not where or len(where) > 2:  # a key of many places (rest, name): saying where helps nobody
        return ""
    return f" ({name} belongs {' or '.join(where)})"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_INT = re.compile(r"^\+?[0-9]+$")
_TEMPO = re.compile(r"^[0-9]+(?:\.[0-9]+)?(?:-[0-9]+(?:\.[0-9]+)?){1,3}$")  # ASCII digits only
_TEMPO_EXPECTED = (
    "expected 2 to 4 seconds per phase joined by '-', such as 2-1-2, "
    "or named phases such as {down: 3, hold: 1, up: 3}"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")
_FALSE = ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")


_KEY_SETS: dict[tuple[str, ...], frozenset[str]] = {}  # each table of allowed keys as a set, made on first use


@dataclass
class _Context:
    """What one file's checking needs: where it is, what it found, who included it.

    `chain` is the resolved paths of the files that included this one, then this
    file's own path (resolved only when needed: see `resolved_chain`).
    """

    display: str
    path: Path
    chain: tuple[Path, ...]
    problems: list[Problem] = field(default_factory=list)
    # The text holds no control character and no backslash escape, so no value can:
    # the per-value control character check is skipped.
    clean: bool = False
    # Something the quick composer cannot rule out (nesting near the depth limit):
    # the guarded composer reads the file again, as when a problem was found.
    unsure: bool = False
    _resolved: bool = False

    def error(self, node: Node | None, message: str) -> None:
        line, column = (node.line, node.column) if node is not None else (1, 1)
        self.problems.append(Problem(self.display, line, column, message))

    def resolved_chain(self) -> tuple[Path, ...]:
        """`chain` with this file's own path resolved (symlinks followed)."""
        if not self._resolved:
            self.chain = self.chain[:-1] + (self.path.resolve(),)
            self._resolved = True
        return self.chain


class _Position:
    """A bare line position for a problem (column 1) where no node is at hand."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.column = 1


def _close(word: str, options: Iterable[str]) -> str:
    """A did-you-mean for a near miss only (reps for rep, sets for set), before "belongs elsewhere"."""
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _FileChecker:
    """Checks one routine file's node tree and builds its model."""

    def __init__(self, ctx: _Context, load_include: Callable[[Node, str, _Context, str], tuple[Step, ...] | None]) -> None:
        self.ctx = ctx
        self.load_include = load_include
        self.folder = ctx.path.parent
        self.nesting = 0  # repeat blocks around the step list being read
        self.plain_dirs: dict[str, bool] = {}  # for _stat_inside: folders of this file's pictures

    # -- scalar readers: each records a problem and raises _Invalid on a bad value --

    def text(self, node: Node, path: str, *, required: bool = False) -> str:
        if node.kind != "scalar":
            self.ctx.error(node, f"{path}: expected text, got {_kind_name(node)}")
            raise _Invalid
        value = node.value
        if value in _NULLS and node.plain:
            self.ctx.error(node, f"{path}: must not be empty" if required else f"{path}: expected text, got nothing")
            raise _Invalid
        if required and not value.strip():
            self.ctx.error(node, f"{path}: must not be empty")
            raise _Invalid
        if not self.ctx.clean and (m := _CONTROL.search(value)):
            self.ctx.error(
                node, f"{path}: contains a control character (U+{ord(m.group()):04X}); only tab and newline are allowed"
            )
            raise _Invalid
        return value

    def integer(self, node: Node, path: str, low: int, high: int) -> int:
        expected = f"{path}: expected a whole number from {low} to {high}"
        if node.kind != "scalar" or not node.plain or not _INT.match(node.value):  # type: ignore[arg-type]
            got = _show(node.value) if node.kind == "scalar" else _kind_name(node)  # type: ignore[arg-type]
            self.ctx.error(node, f"{expected}, got {got}")
            raise _Invalid
        if len(node.value) > 12:  # type: ignore[arg-type]  # far out of range; int() refuses 4,300 digits
            self.ctx.error(node, f"{expected}, got {_show(node.value)}")  # type: ignore[arg-type]
            raise _Invalid
        value = int(node.value)  # type: ignore[arg-type]
        if not low <= value <= high:
            self.ctx.error(node, f"{expected}, got {value}")
            raise _Invalid
        return value

    def boolean(self, node: Node, path: str) -> bool:
        if node.kind == "scalar" and node.plain and node.value in _TRUE:
            return True
        if node.kind == "scalar" and node.plain and node.value in _FALSE:
            return False
        got = _show(node.value) if node.kind == "scalar" else _kind_name(node)  # type: ignore[arg-type]
        self.ctx.error(node, f"{path}: expected true or false, got {got}")
        raise _Invalid

    def duration(self, node: Node, path: str, *, positive: bool) -> float:
        if node.kind != "scalar":
            self.ctx.error(node, f"{path}: expected a duration such as 30s, 1m30s or 0:45, got {_kind_name(node)}")
            raise _Invalid
        try:
            seconds = parse_duration(str(node.value))
        except DurationError as exc:
            self.ctx.error(node, f"{path}: {exc}")
            raise _Invalid from None
        if positive and seconds <= 0:
            self.ctx.error(node, f"{path}: must be greater than zero, got {_show(str(node.value))}")
            raise _Invalid
        return seconds

    def text_list(self, node: Node, path: str) -> tuple[str, ...]:
        if node.kind != "seq":
            self.ctx.error(node, f"{path}: expected a list of text, got {_kind_name(node)}")
            raise _Invalid
        items: list[str] = []
        ok = True
        clean = self.ctx.clean
        for i, item in enumerate(node.value):  # type: ignore[arg-type]
            if clean and item.kind == "scalar" and item.value not in _NULLS:
                items.append(item.value)  # what `text` would return, without making the path
                continue
            try:
                items.append(self.text(item, f"{path}[{i}]"))
            except _Invalid:
                ok = False
        if not ok:
            raise _Invalid
        return tuple(items)

    def sides(self, node: Node, path: str) -> tuple[str, ...]:
        """The side list; ("alternate",) for `sides: alternate` (the exercise makes it left, right)."""
        expected = f"{path}: expected both, left, right, alternate, affected or unaffected, or a list such as [right, left]"
        if node.kind == "scalar":
            value = node.value
            if value == "both":
                return SIDES
            if value in SIDES or value in PATIENT_SIDES or value == "alternate":
                return (str(value),)
            hint = did_you_mean(str(value), ("both",) + SIDES + PATIENT_SIDES + ("alternate",))
            self.ctx.error(node, f"{expected}, got {_show(str(value))}{hint}")
            raise _Invalid
        if node.kind == "seq" and node.value:
            result = []
            for i, item in enumerate(node.value):  # type: ignore[arg-type]
                if item.kind != "scalar" or item.value not in SIDES + PATIENT_SIDES:
                    got = _show(str(item.value)) if item.kind == "scalar" else _kind_name(item)
                    self.ctx.error(item, f"{path}[{i}]: expected left or right, got {got}")
                    raise _Invalid
                result.append(str(item.value))
            if set(result) & set(SIDES) and set(result) & set(PATIENT_SIDES):
                self.ctx.error(node, f"{path}: use left/right or affected/unaffected, not both kinds in one list")
                raise _Invalid
            return tuple(result)
        self.ctx.error(node, f"{expected}, got {'an empty list' if node.kind == 'seq' else _kind_name(node)}")
        raise _Invalid

    def tempo(self, node: Node, path: str) -> tuple[tuple[float, ...], tuple[str, ...] | None]:
        """The seconds of each phase, and their names for the named form."""
        if node.kind == "map":
            return self.named_tempo(node, path)
        text = str(node.value).strip() if node.kind == "scalar" else None
        if text is None or not _TEMPO.match(text):
            got = _show(str(node.value)) if node.kind == "scalar" else _kind_name(node)
            self.ctx.error(node, f"{path}: {_TEMPO_EXPECTED}, got {got}")
            raise _Invalid
        if LONG_NUMBER.search(text):
            self.ctx.error(node, f"{path}: {TOO_LARGE}, got {_show(text)}")
            raise _Invalid
        phases = tuple(float(p) for p in text.split("-"))
        if sum(phases) <= 0:
            self.ctx.error(node, f"{path}: the phases must add up to more than zero, got {_show(text)}")
            raise _Invalid
        return phases, None

    def named_tempo(self, node: Node, path: str) -> tuple[tuple[float, ...], tuple[str, ...]]:
        """`{down: 3, hold: 1, up: 3}`: 2 to 4 phases, any names, in order."""
        names: list[str] = []
        seconds: list[float] = []
        ok = True
        for key, value in node.value:  # type: ignore[union-attr]
            try:
                name = self.text(key, f"{path}: a phase name", required=True)
            except _Invalid:
                ok = False
                continue
            if name in names:
                self.ctx.error(key, f"{path}: phase {_show(name)} given twice")
                ok = False
                continue
            try:
                seconds.append(self.duration(value, f"{path}.{name}", positive=False))
                names.append(name)
            except _Invalid:
                ok = False
        if not ok:
            raise _Invalid
        if not 2 <= len(names) <= 4:
            self.ctx.error(node, f"{path}: expected 2 to 4 named phases, got {len(names)}")
            raise _Invalid
        if sum(seconds) <= 0:
            self.ctx.error(node, f"{path}: the phases must add up to more than zero")
            raise _Invalid
        return tuple(seconds), tuple(names)

    def reps(self, node: Node, path: str) -> int | str:
        """A count from 1 to 1000, or "max" (as many as you can)."""
        if node.kind == "scalar" and node.plain and node.value == "max":
            return "max"
        if node.kind == "scalar" and not _INT.match(str(node.value)):
            self.ctx.error(node, f"{path}: expected a whole number from 1 to 1000 or max, got {_show(str(node.value))}")
            raise _Invalid
        return self.integer(node, path, 1, 1000)

    def images(self, node: Node, path: str) -> tuple[str, ...]:
        """One picture, or a list of up to 4."""
        if node.kind == "seq":
            items = node.value
            if not items:
                self.ctx.error(node, f"{path}: expected a picture's path or a list of 1 to {MAX_IMAGES}, got an empty list")
                raise _Invalid
            if len(items) > MAX_IMAGES:  # type: ignore[arg-type]
                self.ctx.error(node, f"{path}: at most {MAX_IMAGES} pictures, got {len(items)}")  # type: ignore[arg-type]
                raise _Invalid
            found: list[str] = []
            ok = True
            for i, item in enumerate(items):  # type: ignore[arg-type]
                try:
                    found.append(self.image(item, f"{path}[{i}]"))
                except _Invalid:
                    ok = False
            if not ok:
                raise _Invalid
            return tuple(found)
        return (self.image(node, path),)

    def image(self, node: Node, path: str) -> str:
        """A picture's path relative to the routine's folder, staying inside it (symlinks resolved)."""
        value = self.text(node, path, required=True)
        if _ABSOLUTE.match(value) or os.path.isabs(value):
            self.ctx.error(node, f"{path}: must be a path relative to the routine's folder, got {_show(value)}")
            raise _Invalid
        suffix = os.path.splitext(value)[1].lower()
        if suffix not in IMAGE_SUFFIXES:
            kinds = ", ".join(IMAGE_SUFFIXES[:-1]) + " or " + IMAGE_SUFFIXES[-1]
            self.ctx.error(node, f"{path}: a picture must be a {kinds} file, got {_show(value)}")
            raise _Invalid
        info = _stat_inside(self.folder, value, self.plain_dirs)
        if info is _OUTSIDE:
            self.ctx.error(node, f"{path}: {_show(value)} is outside the routine's folder")
            raise _Invalid
        if info is None:
            self.ctx.error(node, f"{path}: no such picture {_show(value)}")
            raise _Invalid
        size = info.st_size  # type: ignore[union-attr]
        if size > MAX_IMAGE_BYTES:
            self.ctx.error(node, f"{path}: {_show(value)} is larger than 5 MiB ({size:,} bytes)")
            raise _Invalid
        return value

    def video(self, node: Node, path: str) -> str:
        """An https:// link."""
        from urllib.parse import urlsplit

        value = self.text(node, path, required=True)
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is None or parts.scheme.lower() != "https" or not host or any(c.isspace() for c in value):
            self.ctx.error(node, f"{path}: expected an https:// link, got {_show(value)}")
            raise _Invalid
        return value

    def distance(self, node: Node, path: str) -> tuple[str, float]:
        if node.kind != "scalar":
            self.ctx.error(node, f"{path}: expected a distance such as 400m, 20 m, 0.5 km or 1 mile, got {_kind_name(node)}")
            raise _Invalid
        try:
            return parse_distance(str(node.value))
        except DistanceError as exc:
            self.ctx.error(node, f"{path}: {exc}")
            raise _Invalid from None

    # -- mappings --

    def mapping(
        self, node: Node, path: str, allowed: Iterable[str], *, what: str = "", place: str = "",
        suggest: Iterable[str] | None = None,
    ) -> dict[str, tuple[Node, Node]]:
        """The mapping's keys, reporting duplicates and unknown keys.

        An unknown key that is a key of another `place` says where it belongs; else a
        close key of `suggest` (default: `allowed`), the keys valid here, is suggested.
        """
        prefix = f"{path}: " if path else ""
        allowed = tuple(allowed)
        known = _KEY_SETS.get(allowed)
        if known is None:
            known = _KEY_SETS[allowed] = frozenset(allowed)
        valid = allowed if suggest is None else tuple(suggest)
        found: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:  # type: ignore[union-attr]
            if key.kind != "scalar":
                self.ctx.error(key, f"{prefix}keys must be text, got {_kind_name(key)}")
                continue
            name = str(key.value)
            if name in found:
                self.ctx.error(key, f"{prefix}key {_show(name)} given twice (first on line {found[name][0].line})")
                continue
            if name not in known:
                hint = _close(name, valid) or (belongs(name, place) if place else "") or did_you_mean(name, valid)
                self.ctx.error(key, f"{prefix}unknown key {_show(name)}{what}{hint}")
                continue
            found[name] = (key, value)
        return found

    def read(self, keys: dict[str, tuple[Node, Node]], key: str, path: str, reader: Callable[..., object], *args: object, **kw: object) -> object:
        """Read `key` with `reader` if present; None when absent or invalid (the problem is recorded)."""
        if key not in keys:
            return None
        try:
            return reader(keys[key][1], f"{path}.{key}" if path else key, *args, **kw)
        except _Invalid:
            return None

    def read_all(self, keys: dict[str, tuple[Node, Node]], path: str, readers: dict[str, Callable[..., object]]) -> dict[str, object]:
        """Each key of `keys` that `readers` knows, read by its reader; invalid values are left out (their problem is recorded).

        Only the keys present are visited: a step sets a few of the twenty keys it may have.
        """
        got: dict[str, object] = {}
        for key, (_key, value) in keys.items():
            reader = readers.get(key)
            if reader is not None:
                try:
                    got[key] = reader(self, value, f"{path}.{key}" if path else key)
                except _Invalid:
                    pass
        return got

    # -- the file --

    def routine(self, root: Node | None) -> Routine | None:
        if root is None or root.kind != "map":
            self.ctx.error(root, "the top level must be a mapping with keys such as name and steps")
            return None
        keys = self.mapping(root, "", TOP_KEYS + PRESCRIPTION_TOP_KEYS, place="top")
        problems_before = len(self.ctx.problems)
        name = self.read(keys, "name", "", self.text, required=True)
        if "name" not in keys:
            self.ctx.error(root, "missing required key 'name'")
        routine_id = self.read(keys, "id", "", self.routine_id)
        category = self.read(keys, "category", "", self.choice, CATEGORIES)
        summary = self.read(keys, "summary", "", self.text)
        description = self.read(keys, "description", "", self.text)
        author = self.read(keys, "author", "", self.text)
        tags = self.read(keys, "tags", "", self.text_list)
        safety = self.read(keys, "safety", "", self.text_list)
        ask_pain = self.read(keys, "ask_pain", "", self.boolean)
        frequency = self.read(keys, "frequency", "", lambda n, p: prescription.frequency(self, n, p))
        defaults, cue_settings = self.defaults_and_sounds(keys)
        steps: tuple[Step, ...] = ()
        if "steps" not in keys:
            self.ctx.error(root, "missing required key 'steps'")
        else:
            steps = self.step_list(keys["steps"][1], "steps", defaults, cue_settings)
        if len(self.ctx.problems) > problems_before or name is None:
            return None
        if len(self.ctx.chain) == 1 and not self.within_limits(steps, keys["steps"][0]):
            return None
        if len(self.ctx.chain) == 1 and not self.progressions_ok(steps, keys["steps"][0]):
            return None
        return Routine(
            id=routine_id or slug(self.ctx.path.stem),  # type: ignore[arg-type]
            name=name,  # type: ignore[arg-type]
            steps=steps,
            category=category or "other",  # type: ignore[arg-type]
            summary=summary,  # type: ignore[arg-type]
            description=description,  # type: ignore[arg-type]
            tags=tags or (),  # type: ignore[arg-type]
            author=author,  # type: ignore[arg-type]
            safety=safety or (),  # type: ignore[arg-type]
            ask_pain=bool(ask_pain),
            cue_settings=cue_settings,
            path=self.ctx.path,
            frequency=frequency,  # type: ignore[arg-type]
        )

    def within_limits(self, steps: tuple[Step, ...], at: Node) -> bool:
        """Check the timeline's size before anyone builds it."""
        count, seconds = timeline.measure(steps)
        if count > timeline.MAX_SEGMENTS:
            self.ctx.error(at, f"steps: the timeline has {count:,} segments; the limit is {timeline.MAX_SEGMENTS:,}")
            return False
        if seconds > timeline.MAX_SECONDS:
            self.ctx.error(at, f"steps: the timeline lasts {format_duration(seconds)}; the limit is 24 hours")
            return False
        return True

    def progressions_ok(self, steps: tuple[Step, ...], at: Node) -> bool:
        """Progressed exercises need names of their own, and their caps must stay within the limits."""
        exercises = Routine(id="", name="", steps=steps).exercises()
        if not any(e.progress for e in exercises):
            return True
        ok = True
        seen: dict[str, Exercise] = {}
        for exercise in exercises:
            first = seen.setdefault(exercise.name, exercise)
            if first is not exercise and (first.progress or exercise.progress):
                where = at if exercise.source != self.ctx.path else _Position(exercise.line)
                self.ctx.error(
                    where,  # type: ignore[arg-type]
                    f"steps: two exercises are named {_show(exercise.name)} (lines {first.line} and {exercise.line});"
                    " an exercise with 'progress' needs a name of its own",
                )
                ok = False
        if not ok:
            return False
        count, seconds = timeline.measure(prescription.at_caps(steps))
        if count > timeline.MAX_SEGMENTS:
            self.ctx.error(at, f"steps: at the caps of its progressions the timeline has {count:,} segments; the limit is {timeline.MAX_SEGMENTS:,}")
            return False
        if seconds > timeline.MAX_SECONDS:
            self.ctx.error(at, f"steps: at the caps of its progressions the timeline lasts {format_duration(seconds)}; the limit is 24 hours")
            return False
        return True

    def routine_id(self, node: Node, path: str) -> str:
        value = self.text(node, path, required=True)
        if not _ID.match(value):
            self.ctx.error(node, f"{path}: use lower-case letters, digits and '-', starting with a letter or digit, got {_show(value)}")
            raise _Invalid
        return value

    def choice(self, node: Node, path: str, options: tuple[str, ...]) -> str:
        value = self.text(node, path, required=True)
        if value not in options:
            hint = did_you_mean(value, options)
            self.ctx.error(node, f"{path}: expected one of {', '.join(options)}, got {_show(value)}{hint}")
            raise _Invalid
        return value

    def defaults_and_sounds(self, keys: dict[str, tuple[Node, Node]]) -> tuple[dict[str, float], CueSettings]:
        defaults = dict(BUILTIN_DEFAULTS)
        countdown, halfway = DEFAULT_COUNTDOWN, True
        if "defaults" in keys:
            node = keys["defaults"][1]
            if node.kind != "map":
                self.ctx.error(node, f"defaults: expected a mapping of {', '.join(DEFAULT_KEYS)}, got {_kind_name(node)}")
            else:
                d = self.mapping(node, "defaults", DEFAULT_KEYS, place="defaults")
                for key in ("prepare", "switch", "relax", "rest"):
                    value = self.read(d, key, "defaults", self.duration, positive=False)
                    if value is not None:
                        defaults[key] = value  # type: ignore[assignment]
                c = self.read(d, "countdown", "defaults", self.integer, 0, 60)
                countdown = countdown if c is None else c  # type: ignore[assignment]
                h = self.read(d, "halfway", "defaults", self.boolean)
                halfway = halfway if h is None else h  # type: ignore[assignment]
        sounds: dict[str, str] = {}
        if "sounds" in keys:
            node = keys["sounds"][1]
            if node.kind != "map":
                self.ctx.error(node, f"sounds: expected a mapping from cue ({', '.join(CUES)}) to a sound, got {_kind_name(node)}")
            else:
                s = self.mapping(node, "sounds", CUES, what=" (not a cue)", place="sounds")
                for cue, (_k, value) in s.items():
                    try:
                        sounds[cue] = self.sound(value, f"sounds.{cue}")
                    except _Invalid:
                        pass
        return defaults, CueSettings(countdown=countdown, halfway=halfway, sounds=sounds)

    def sound(self, node: Node, path: str) -> str:
        value = self.text(node, path, required=True)
        if value == "none":
            return value
        if "/" in value or "\\" in value or value.lower().endswith(".wav"):
            if os.path.isabs(value) or value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", value):
                self.ctx.error(node, f"{path}: must be a path relative to the routine's folder, got {_show(value)}")
                raise _Invalid
            folder = self.folder.resolve()
            target = (folder / value).resolve()
            if not target.is_relative_to(folder):
                self.ctx.error(node, f"{path}: {_show(value)} is outside the routine's folder")
                raise _Invalid
            if not value.lower().endswith(".wav"):
                self.ctx.error(node, f"{path}: a sound file must be a .wav file, got {_show(value)}")
                raise _Invalid
            kind = file_kind(target)
            if kind is not None:
                missing = kind == "missing"
                self.ctx.error(node, f"{path}: no such sound file {_show(value)}" if missing else f"{path}: {_show(value)} is not a regular file ({kind})")
                raise _Invalid
            return str(target)
        names = bundled_sound_names()
        if value not in names:
            hint = did_you_mean(value, names)
            self.ctx.error(node, f"{path}: no bundled sound named {_show(value)}{hint}; see 'sounds/README.md', or give a .wav path or none")
            raise _Invalid
        return value

    # -- steps --

    def step_list(self, node: Node, path: str, defaults: dict[str, float], cues: CueSettings) -> tuple[Step, ...]:
        if node.kind != "seq":
            self.ctx.error(node, f"{path}: expected a list of steps, got {_kind_name(node)}")
            return ()
        if not node.value:
            self.ctx.error(node, f"{path}: needs at least one step")
            return ()
        if 5 + 2 * self.nesting > MAX_NESTING:  # a step's lists sit 3 levels below this one
            self.ctx.unsure = True
        steps: list[Step] = []
        playing = 0  # steps that play (not headings)
        for i, item in enumerate(node.value):  # type: ignore[arg-type]
            step_path = f"{path}[{i}]"
            if item.kind != "map":
                self.ctx.error(item, f"{step_path}: expected a step (a mapping), got {_kind_name(item)}")
                continue
            names = {k.value for k, _ in item.value if k.kind == "scalar"}  # type: ignore[union-attr]
            if names.intersection(WORK_KEYS):
                step: Step | tuple[Step, ...] | None = self.exercise(item, step_path, defaults, cues)
            elif "repeat" in names:
                step = self.repeat(item, step_path, defaults, cues)
            elif "include" in names:
                step = self.include(item, step_path)
            elif "section" in names:
                step = self.section(item, step_path)
            elif "rest" in names:
                step = self.rest_step(item, step_path, cues)
            else:
                self.ctx.error(
                    item,
                    f"{step_path}: a step needs duration, hold, reps or distance (an exercise), repeat (a block), "
                    "include, section (a heading), or rest",
                )
                continue
            if isinstance(step, tuple):
                steps.extend(step)
                playing += sum(1 for s in step if not isinstance(s, Section))
                if playing > timeline.MAX_SEGMENTS:  # each step but a heading plays at least one segment
                    self.ctx.error(
                        item,
                        f"{step_path}: the included steps make this list longer than {timeline.MAX_SEGMENTS:,} steps;"
                        f" the limit is {timeline.MAX_SEGMENTS:,} segments",
                    )
                    return tuple(steps)
            elif step is not None:
                steps.append(step)
                playing += not isinstance(step, Section)
        if steps and not playing:
            self.ctx.error(node, f"{path}: has only section headings; add a step that plays (an exercise, a rest or a block)")
        return tuple(steps)

    def exercise(self, node: Node, path: str, defaults: dict[str, float], cues: CueSettings) -> Exercise | None:
        before = len(self.ctx.problems)
        keys = self.mapping(
            node, path, EXERCISE_KEYS + PRESCRIPTION_EXERCISE_KEYS + ("repeat", "include", "steps"), place="exercise",
            suggest=EXERCISE_KEYS + PRESCRIPTION_EXERCISE_KEYS,
        )
        if keys.keys() & {"repeat", "include", "steps"}:
            for key, _value in node.value:  # type: ignore[union-attr]
                if key.kind == "scalar" and key.value in ("repeat", "include", "steps"):
                    self.ctx.error(key, f"{path}: {key.value!r} cannot be used in an exercise step (it has duration, hold or reps)")
        for a, b in CONFLICTS:
            if a in keys and b in keys:
                second = max(keys[a][0], keys[b][0], key=lambda k: (k.line, k.column))
                self.ctx.error(second, f"{path}: {a!r} and {b!r} cannot be used together")
        if "tempo" in keys and not keys.keys() & {"reps", "hold", "duration", "distance"}:
            self.ctx.error(keys["tempo"][0], f"{path}: 'tempo' needs 'reps'")
        if "name" not in keys:
            self.ctx.error(node, f"{path}: missing required key 'name'")
        got = self.read_all(keys, path, _EXERCISE_READERS)
        name = got.get("name")
        duration = got.get("duration")
        hold = got.get("hold")
        reps = got.get("reps")
        tempo = got.get("tempo")
        sets = got.get("sets")
        sides = got.get("sides")
        instructions = got.get("instructions")
        cue_list = got.get("cues")
        equipment = got.get("equipment")
        target = got.get("target")
        announce = got.get("announce")
        until_eased = got.get("until_eased")
        escalate_after = got.get("escalate_after")
        escalate = got.get("escalate")
        images = got.get("image")
        video = got.get("video")
        load = got.get("load")
        distance = got.get("distance")
        progress = None
        if "progress" in keys:
            start = {"reps": None if reps == "max" else reps, "hold": hold, "duration": duration, "sets": sets or 1}
            progress = self.read(keys, "progress", path, lambda n, p: prescription.progress(self, n, p, keys, start))
        if until_eased and "hold" not in keys:
            self.ctx.error(keys["until_eased"][0], f"{path}: 'until_eased' works only with 'hold'")
        for key in ("escalate_after", "escalate"):
            if key in keys and not until_eased:
                self.ctx.error(keys[key][0], f"{path}: {key!r} works only with 'until_eased: true'")
        if reps == "max":
            for other in ("hold", "tempo"):
                if other in keys:
                    self.ctx.error(keys["reps"][1], f"{path}: 'reps: max' cannot be used with {other!r}")
        if sides == ("alternate",):
            at = keys["sides"][1]
            if "duration" in keys:
                self.ctx.error(at, f"{path}: 'sides: alternate' cannot be used with 'duration'; it takes turns hold by hold or rep by rep")
            elif "hold" not in keys and "tempo" not in keys:
                self.ctx.error(at, f"{path}: 'sides: alternate' needs 'hold' or 'tempo'")
        if len(self.ctx.problems) > before:
            return None
        tempo_phases, tempo_names = tempo if tempo is not None else (None, None)  # type: ignore[misc]
        return Exercise(
            name=name,  # type: ignore[arg-type]
            duration=duration,  # type: ignore[arg-type]
            hold=hold,  # type: ignore[arg-type]
            reps=None if reps == "max" else reps,  # type: ignore[arg-type]
            tempo=tempo_phases,
            tempo_names=tempo_names,
            sets=sets or 1,  # type: ignore[arg-type]
            sides=SIDES if sides == ("alternate",) else (sides or ()),  # type: ignore[arg-type]
            alternate=sides == ("alternate",),
            max_reps=reps == "max",
            instructions=instructions,  # type: ignore[arg-type]
            cues=cue_list or (),  # type: ignore[arg-type]
            equipment=equipment or (),  # type: ignore[arg-type]
            target=target,  # type: ignore[arg-type]
            announce=announce,  # type: ignore[arg-type]
            until_eased=bool(until_eased),
            escalate_after=DEFAULT_ESCALATE_AFTER if escalate_after is None else escalate_after,  # type: ignore[arg-type]
            escalate=escalate,  # type: ignore[arg-type]
            images=images or (),  # type: ignore[arg-type]
            video=video,  # type: ignore[arg-type]
            load=load,  # type: ignore[arg-type]
            distance=distance[0] if distance else None,  # type: ignore[index]
            distance_m=distance[1] if distance else None,  # type: ignore[index]
            cue_settings=cues,
            source=self.ctx.path,
            line=node.line,
            progress=progress,  # type: ignore[arg-type]
            # a value read is never None: what the step leaves out comes from the defaults
            prepare=got.get("prepare", defaults["prepare"]),  # type: ignore[arg-type]
            switch=got.get("switch", defaults["switch"]),  # type: ignore[arg-type]
            relax=got.get("relax", defaults["relax"]),  # type: ignore[arg-type]
            rest=got.get("rest", defaults["rest"]),  # type: ignore[arg-type]
        )

    def section(self, node: Node, path: str) -> Section | None:
        """A heading step: `section` and an optional `description`."""
        before = len(self.ctx.problems)
        keys = self.mapping(node, path, SECTION_KEYS, what=" in a section step", place="section")
        title = self.read(keys, "section", path, self.text, required=True)
        description = self.read(keys, "description", path, self.text)
        if len(self.ctx.problems) > before or title is None:
            return None
        return Section(
            title=title, description=description,  # type: ignore[arg-type]
            source=self.ctx.path, line=node.line,
        )

    def rest_step(self, node: Node, path: str, cues: CueSettings) -> RestStep | None:
        before = len(self.ctx.problems)
        keys = self.mapping(node, path, REST_KEYS, what=" in a rest step", place="rest")
        rest = self.read(keys, "rest", path, self.duration, positive=True)
        name = self.read(keys, "name", path, self.text, required=True)
        instructions = self.read(keys, "instructions", path, self.text)
        if len(self.ctx.problems) > before or rest is None:
            return None
        return RestStep(
            rest=rest, name=name or "Rest", instructions=instructions,  # type: ignore[arg-type]
            cue_settings=cues, source=self.ctx.path, line=node.line,
        )

    def repeat(self, node: Node, path: str, defaults: dict[str, float], cues: CueSettings) -> RepeatBlock | None:
        before = len(self.ctx.problems)
        keys = self.mapping(node, path, REPEAT_KEYS, what=" in a repeat block", place="repeat")
        repeat = self.read(keys, "repeat", path, self.integer, 1, 100)
        name = self.read(keys, "name", path, self.text, required=True)
        rest = self.read(keys, "rest", path, self.duration, positive=False)
        steps: tuple[Step, ...] = ()
        if "steps" not in keys:
            self.ctx.error(node, f"{path}: missing required key 'steps'")
        else:
            self.nesting += 1
            try:
                steps = self.step_list(keys["steps"][1], f"{path}.steps", defaults, cues)
            finally:
                self.nesting -= 1
        if len(self.ctx.problems) > before or repeat is None:
            return None
        return RepeatBlock(
            repeat=repeat, steps=steps, name=name, rest=rest or 0.0,  # type: ignore[arg-type]
            cue_settings=cues, source=self.ctx.path, line=node.line,
        )

    def include(self, node: Node, path: str) -> tuple[Step, ...] | None:
        keys = self.mapping(node, path, INCLUDE_KEYS, what=" in an include step", place="include")
        try:
            value = self.text(keys["include"][1], f"{path}.include", required=True)
        except _Invalid:
            return None
        return self.load_include(keys["include"][1], value, self.ctx, f"{path}.include")


# How each exercise key is read: reader(checker, value node, path).
_EXERCISE_READERS: dict[str, Callable[..., object]] = {
    "name": lambda c, n, p: c.text(n, p, required=True),
    "duration": lambda c, n, p: c.duration(n, p, positive=True),
    "hold": lambda c, n, p: c.duration(n, p, positive=True),
    "reps": _FileChecker.reps,
    "tempo": _FileChecker.tempo,
    "sets": lambda c, n, p: c.integer(n, p, 1, 100),
    "sides": _FileChecker.sides,
    "prepare": lambda c, n, p: c.duration(n, p, positive=False),
    "switch": lambda c, n, p: c.duration(n, p, positive=False),
    "relax": lambda c, n, p: c.duration(n, p, positive=False),
    "rest": lambda c, n, p: c.duration(n, p, positive=False),
    "instructions": _FileChecker.text,
    "cues": _FileChecker.text_list,
    "equipment": _FileChecker.text_list,
    "target": _FileChecker.text,
    "announce": _FileChecker.text,
    "until_eased": _FileChecker.boolean,
    "escalate_after": lambda c, n, p: c.duration(n, p, positive=True),
    "escalate": _FileChecker.text,
    "image": _FileChecker.images,
    "video": _FileChecker.video,
    "load": lambda c, n, p: c.text(n, p, required=True),
    "distance": _FileChecker.distance,
}


def _read_text(path: Path, ctx: _Context) -> str | None:
    """The file's text, or None with a problem: too large, not UTF-8, unreadable."""
    try:
        data = read_limited(path, MAX_BYTES)
    except FileTooLarge:
        ctx.error(None, f"the file is larger than 1 MiB ({MAX_BYTES:,} bytes); split it with include")
        return None
    except OSError as exc:
        ctx.error(None, f"cannot read the file: {exc.strerror or exc}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        ctx.problems.append(
            Problem(ctx.display, line, column, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})")
        )
        return None


class _Loader:
    """Loads a routine file and the files it includes, collecting every problem.

    Each file is read once per check: an include of a file already loaded at the
    same depth reuses its steps. The work is bounded before any timeline is built:
    at most MAX_FILES files and MAX_TOTAL_BYTES of text in all, and no step list
    longer than the timeline's segment limit.
    """

    def __init__(self, extra_dirs: Sequence[str] = (), nested: bool = False) -> None:
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()
        self.extra_dirs = extra_dirs
        self.nested = nested  # loading a programme's routine: a programme found is not loaded
        self.programme: Programme | NestedProgramme | None = None
        # (resolved path, include depth) -> the routine, or None when it has errors
        self.loaded: dict[tuple[Path, int], Routine | None] = {}
        self.files = 0
        self.bytes = 0

    def load(self, path: Path, display: str, chain: tuple[Path, ...]) -> Routine | None:
        ctx = _Context(display, path, chain + (path,))
        routine = None
        text = _read_text(path, ctx)
        self.files += 1
        if text is not None:
            data = text.encode("utf-8")
            self.bytes += len(data)
            self.digest.update(data)
            # No control character in the text and no backslash escape: none in any value.
            ctx.clean = "\\" not in text and _no_control_bytes(data)
            routine = self.check(text, ctx)
        self.problems.extend(ctx.problems)
        return routine if not ctx.problems else None

    def check(self, text: str, ctx: _Context) -> Routine | None:
        """The routine in `text` (a programme at the top goes to `self.programme`); its problems go to `ctx`."""
        from player.yamlnodes import UNSURE, ComposeError, compose, compose_quick

        root = compose_quick(text)
        if len(ctx.chain) == 1 and (root is UNSURE or is_programme_root(root)):
            try:  # programmes are few: the guarded composer reads them
                root = compose(text)
            except ComposeError as exc:
                ctx.problems.append(Problem(ctx.display, exc.line, exc.column, exc.message))
                return None
            if is_programme_root(root):
                ctx.resolved_chain()
                self.programme = self.load_programme(root, ctx)
                return None
            return _FileChecker(ctx, self.include).routine(root)
        if root is not UNSURE:
            included_before = len(self.problems)
            routine = _FileChecker(ctx, self.include).routine(root)  # type: ignore[arg-type]
            if not ctx.problems and not ctx.unsure:
                return routine
            # A problem, or nesting near the limit: the guarded composer decides, so that
            # its guards come first exactly as if it had read the file alone.
            try:
                compose(text)
            except ComposeError as exc:
                del self.problems[included_before:]
                ctx.problems[:] = [Problem(ctx.display, exc.line, exc.column, exc.message)]
                return None
            ctx.unsure = False
            return routine
        try:
            root = compose(text)
        except ComposeError as exc:
            ctx.problems.append(Problem(ctx.display, exc.line, exc.column, exc.message))
            return None
        return _FileChecker(ctx, self.include).routine(root)

    def load_programme(self, root: Node, ctx: _Context) -> Programme | NestedProgramme | None:
        from player.programme import NestedProgramme, ProgrammeChecker

        if self.nested:
            return NestedProgramme(ctx.path)
        return ProgrammeChecker(ctx, _FileChecker(ctx, self.include), self.extra_dirs, check_file).programme(root)

    def include(self, node: Node, value: str, ctx: _Context, path: str) -> tuple[Step, ...] | None:
        if os.path.isabs(value) or value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", value):
            ctx.error(node, f"{path}: must be a path relative to this file's folder, got {_show(value)}")
            return None
        if not value.lower().endswith(ROUTINE_SUFFIXES):
            ctx.error(node, f"{path}: must name a .yaml or .yml routine file, got {_show(value)}")
            return None
        # The same rule as sound files: the path stays inside the including file's
        # folder once symlinks are resolved (subfolders are fine).
        folder = ctx.path.parent.resolve()
        resolved = (folder / value).resolve()
        if not resolved.is_relative_to(folder):
            ctx.error(node, f"{path}: {_show(value)} is outside the routine's folder")
            return None
        target = ctx.path.parent / value
        kind = file_kind(target)
        if kind is not None:
            missing = kind == "missing"
            ctx.error(node, f"{path}: no such file {_show(value)}" if missing else f"{path}: {_show(value)} is not a regular file ({kind})")
            return None
        chain = ctx.resolved_chain()
        if resolved in chain:
            names = " -> ".join(p.name for p in chain[chain.index(resolved):]) + f" -> {resolved.name}"
            ctx.error(node, f"{path}: {_show(value)} includes itself ({names})")
            return None
        if len(chain) > MAX_INCLUDE_DEPTH:
            ctx.error(node, f"{path}: includes nested deeper than {MAX_INCLUDE_DEPTH} levels")
            return None
        key = (resolved, len(chain))
        if key in self.loaded:  # read once per check (its text is in the digest once)
            included = self.loaded[key]
        else:
            if self.files >= MAX_FILES:
                ctx.error(node, f"{path}: the routine reads more than {MAX_FILES} files with its includes; the limit is {MAX_FILES}")
                return None
            if self.bytes + _size(target) > MAX_TOTAL_BYTES:
                ctx.error(
                    node,
                    f"{path}: the routine and its includes add up to more than {MAX_TOTAL_BYTES // 1024 // 1024} MiB;"
                    f" the limit is {MAX_TOTAL_BYTES // 1024 // 1024} MiB",
                )
                return None
            display = os.path.normpath(os.path.join(os.path.dirname(ctx.display), value))
            included = self.load(target, display, chain)
            self.loaded[key] = included
        if included is None:
            ctx.error(node, f"{path}: {_show(value)} has errors (listed under its own name)")
            return None
        # The included file's name and description head its steps where it is included.
        heading = Section(
            title=included.name, description=included.description, included=True, covers=len(included.steps),
            source=included.path, line=node.line,
        )
        return (heading,) + included.steps


_OUTSIDE = object()  # _stat_inside: the path leaves the folder
_ABSOLUTE = re.compile(r"[/\\~]|[A-Za-z]:")  # a path vmo never takes as relative (matched at the start)


def _stat_inside(folder: Path, value: str, dirs: dict[str, bool] | None = None) -> os.stat_result | object | None:
    """The stat of regular file `value` below `folder`; _OUTSIDE if, links followed, it leaves the folder; None if
    there is no such regular file.

    Without '..' and without a link below the folder, the path cannot leave it: one lstat
    per component tells (Path.resolve on both would cost a dozen). Otherwise both are
    resolved and compared, as for sounds. `dirs` remembers the folders below `folder`
    found to be plain folders (not links), for the next path of the same check.
    """
    parts = value.replace(os.altsep or os.sep, os.sep).split(os.sep)
    if "" in parts or "." in parts:
        parts = [part for part in parts if part not in ("", ".")]
    if parts and ".." not in parts:
        known = {} if dirs is None else dirs
        current = os.fspath(folder)
        try:
            for part in parts[:-1]:
                current = os.path.join(current, part)
                if current not in known:
                    mode = os.lstat(current).st_mode
                    if stat.S_ISLNK(mode):
                        break  # a link: resolve below
                    known[current] = stat.S_ISDIR(mode)
                if not known[current]:
                    return None
            else:
                info = os.lstat(os.path.join(current, parts[-1]))
                if not stat.S_ISLNK(info.st_mode):
                    return info if stat.S_ISREG(info.st_mode) else None
        except OSError:
            return None
    real_folder = os.path.realpath(folder)
    real = os.path.realpath(os.path.join(folder, value))
    if not Path(real).is_relative_to(real_folder):
        return _OUTSIDE
    try:
        info = os.stat(real)
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])  # _CONTROL's ASCII part
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # _CONTROL's U+0080-U+009F in UTF-8


def _no_control_bytes(data: bytes) -> bool:
    """Whether UTF-8 `data` holds none of _CONTROL's characters (bytes.translate: a fast C loop)."""
    return len(data.translate(None, _CONTROL_BYTES)) == len(data) and (b"\xc2" not in data or not _C1_UTF8.search(data))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_routine(path: Path, display: str | None = None) -> tuple[Routine | None, list[Problem]]:
    """Load `path`; return the routine (None if it has errors) and every problem, sorted."""
    found, problems = check_file(path, display)
    if found is None or isinstance(found, Routine):
        return found, problems
    shown = display if display is not None else str(path)
    return None, [Problem(shown, 1, 1, "this is a programme (it has 'phases'), not a routine")]


def check_file(
    path: Path, display: str | None = None, extra_dirs: Sequence[str] = (), nested: bool = False
) -> tuple[Routine | Programme | NestedProgramme | None, list[Problem]]:
    """Load a routine or programme file: the model (None if it has errors) and every problem, sorted.

    With `nested` (a programme's routine being loaded), a programme file is not
    loaded but returned as a NestedProgramme for the caller to report.
    """
    loader = _Loader(extra_dirs, nested)
    shown = display if display is not None else str(path)
    routine = loader.load(path, shown, ())
    problems = sorted(set(loader.problems), key=lambda p: (p.file != shown, p.file, p.line, p.column, p.message))
    if any(p.severity == "error" for p in problems):
        return None, problems
    if loader.programme is not None:
        return _with_hash(loader.programme, loader.digest.hexdigest()), problems  # type: ignore[arg-type]
    assert routine is not None
    return _with_hash(routine, loader.digest.hexdigest()), problems


def _with_hash(routine: Any, digest: str) -> Any:
    # The routine was built by this check and nobody holds it yet, so setting the
    # field in place is safe, and cheaper than dataclasses.replace.
    object.__setattr__(routine, "file_hash", digest)
    return routine


def load_routine(path: Path, display: str | None = None) -> Routine:
    """The routine in `path`. Raises RoutineInvalid with every problem if it has errors."""
    routine, problems = check_routine(path, display)
    if routine is None:
        raise RoutineInvalid(problems)
    return routine
