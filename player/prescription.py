"""Reading `frequency` and `progress` (program-format.md, sections 1 and 2) from YAML nodes.

The readers take the loader's `_FileChecker`, so values are read, and problems
worded, exactly as for every other key of a routine file. A routine's own
`frequency` mapping and a programme's phase entry (where the same keys stand
inline) share `frequency_keys`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from player.durations import format_duration
from player.model import PROGRESS_KEYS, WEEKDAYS, Exercise, Frequency, Progress

if TYPE_CHECKING:
    from player.loader import _FileChecker
    from player.yamlnodes import Node

FREQUENCY_KEYS = ("times_a_day", "days_a_week", "days", "weeks")
PROGRESS_MAP_KEYS = PROGRESS_KEYS + ("every", "up_to", "then")
THEN_KEYS = PROGRESS_KEYS + ("load",)
EVERY = ("session", "week")
MAX_WEEKS = 104


def frequency(checker: _FileChecker, node: Node, path: str) -> Frequency:
    """A routine's `frequency` mapping."""
    from player.checks import Invalid as _Invalid, kind_name as _kind_name

    if node.kind != "map":
        checker.ctx.error(node, f"{path}: expected a mapping of {', '.join(FREQUENCY_KEYS)}, got {_kind_name(node)}")
        raise _Invalid
    keys = checker.mapping(node, path, FREQUENCY_KEYS)
    found = frequency_keys(checker, keys, path)
    if found is None:
        raise _Invalid
    return found


def frequency_keys(checker: _FileChecker, keys: dict[str, tuple[Node, Node]], path: str) -> Frequency | None:
    """The frequency given by those of `keys` that are frequency keys; None when one is wrong (recorded)."""
    before = len(checker.ctx.problems)
    times = checker.read(keys, "times_a_day", path, checker.integer, 1, 24)
    per_week = checker.read(keys, "days_a_week", path, checker.integer, 1, 7)
    days = checker.read(keys, "days", path, weekdays, checker)
    weeks = checker.read(keys, "weeks", path, checker.integer, 1, MAX_WEEKS)
    if "days" in keys and "days_a_week" in keys:
        second = max(keys["days"][0], keys["days_a_week"][0], key=lambda k: (k.line, k.column))
        prefix = f"{path}: " if path else ""
        checker.ctx.error(second, f"{prefix}'days' and 'days_a_week' cannot be used together")
    if len(checker.ctx.problems) > before:
        return None
    return Frequency(
        times_a_day=times or 1,  # type: ignore[arg-type]
        days_a_week=per_week,  # type: ignore[arg-type]
        days=days,  # type: ignore[arg-type]
        weeks=weeks,  # type: ignore[arg-type]
    )


def weekdays(node: Node, path: str, checker: _FileChecker) -> tuple[str, ...]:
    """`days`: one or more of mon … sun, lower case, no repeats."""
    from player.checks import Invalid as _Invalid, kind_name as _kind_name, show as _show
    from player.problems import did_you_mean

    if node.kind != "seq" or not node.value:
        got = "an empty list" if node.kind == "seq" else _kind_name(node)
        checker.ctx.error(node, f"{path}: expected a list of days such as [mon, wed, fri], got {got}")
        raise _Invalid
    found: dict[str, Node] = {}
    ok = True
    for i, item in enumerate(node.value):  # type: ignore[arg-type]
        value = item.value if item.kind == "scalar" else None
        if value not in WEEKDAYS:
            got = _show(str(value)) if item.kind == "scalar" else _kind_name(item)
            hint = did_you_mean(str(value).lower(), WEEKDAYS) if item.kind == "scalar" else ""
            checker.ctx.error(item, f"{path}[{i}]: expected one of {', '.join(WEEKDAYS)}, got {got}{hint}")
            ok = False
        elif value in found:
            checker.ctx.error(item, f"{path}[{i}]: {value!r} is listed twice")
            ok = False
        else:
            found[str(value)] = item
    if not ok:
        raise _Invalid
    return tuple(sorted(found, key=WEEKDAYS.index))


def _amount(checker: _FileChecker, node: Node, path: str, key: str) -> float:
    """A value of `key`'s type: a whole number for reps/sets, a duration for hold/duration."""
    if key == "reps":
        return checker.integer(node, path, 1, 1000)
    if key == "sets":
        return checker.integer(node, path, 1, 100)
    return checker.duration(node, path, positive=True)


def _shown(key: str, value: float) -> str:
    return format_duration(value) if key in ("hold", "duration") else str(int(value))


def progress(
    checker: _FileChecker, node: Node, path: str, exercise_keys: dict[str, tuple[Node, Node]], start: dict[str, object]
) -> Progress:
    """An exercise's `progress` mapping, checked against the exercise's own values (`start`)."""
    from player.checks import Invalid as _Invalid, kind_name as _kind_name

    ctx = checker.ctx
    if node.kind != "map":
        ctx.error(node, f"{path}: expected a mapping such as {{reps: 2, every: session, up_to: 40}}, got {_kind_name(node)}")
        raise _Invalid
    before = len(ctx.problems)
    keys = checker.mapping(node, path, PROGRESS_MAP_KEYS)
    grown = [k for k in PROGRESS_KEYS if k in keys]
    key: str | None = None
    if not grown:
        ctx.error(node, f"{path}: needs one of {', '.join(PROGRESS_KEYS)}: the number that grows and its step")
    elif len(grown) > 1:
        second = max((keys[k][0] for k in grown), key=lambda k: (k.line, k.column))
        ctx.error(second, f"{path}: give only one of {', '.join(repr(k) for k in grown)}: one number grows")
    else:
        key = grown[0]
        if key not in exercise_keys:
            ctx.error(keys[key][0], f"{path}.{key}: the exercise has no {key!r} to grow")
            key = None
    every = checker.read(keys, "every", path, checker.choice, EVERY)
    if "every" not in keys:
        ctx.error(node, f"{path}: missing required key 'every' (session or week)")
    if "up_to" not in keys:
        ctx.error(node, f"{path}: missing required key 'up_to' (the cap)")
    step = up_to = None
    if key is not None:
        step = _read_amount(checker, keys, key, path)
        up_to = _read_amount(checker, keys, "up_to", path, key)
        first = start.get(key)
        if up_to is not None and isinstance(first, (int, float)) and up_to < first:
            ctx.error(
                keys["up_to"][1],
                f"{path}.up_to: {_shown(key, up_to)} is below the starting value {_shown(key, float(first))}",
            )
    then = None
    if "then" in keys:
        then = _then(checker, keys["then"][1], f"{path}.then", key, up_to, exercise_keys)
    if len(ctx.problems) > before or key is None or step is None or up_to is None or every is None:
        raise _Invalid
    return Progress(key=key, step=step, every=every, up_to=up_to, then=then)  # type: ignore[arg-type]


def _read_amount(checker: _FileChecker, keys: dict[str, tuple[Node, Node]], name: str, path: str, key: str | None = None) -> float | None:
    from player.checks import Invalid as _Invalid

    if name not in keys:
        return None
    try:
        return _amount(checker, keys[name][1], f"{path}.{name}", key or name)
    except _Invalid:
        return None


def _then(
    checker: _FileChecker, node: Node, path: str, key: str | None, up_to: float | None,
    exercise_keys: dict[str, tuple[Node, Node]],
) -> tuple[tuple[str, float | str], ...] | None:
    from player.checks import Invalid as _Invalid, kind_name as _kind_name

    ctx = checker.ctx
    if node.kind != "map" or not node.value:
        got = "an empty mapping" if node.kind == "map" else _kind_name(node)
        ctx.error(node, f"{path}: expected a mapping of {', '.join(THEN_KEYS)} (the new starting dose), got {got}")
        return None
    keys = checker.mapping(node, path, THEN_KEYS)
    values: list[tuple[str, float | str]] = []
    for name, (key_node, value_node) in keys.items():
        try:
            if name == "load":
                values.append((name, checker.text(value_node, f"{path}.load", required=True)))
                continue
            if name not in exercise_keys and name != "sets":  # sets default to 1; the rest must be there
                ctx.error(key_node, f"{path}.{name}: the exercise has no {name!r}")
                continue
            amount = _amount(checker, value_node, f"{path}.{name}", name)
        except _Invalid:
            continue
        if name == key and up_to is not None and amount > up_to:
            ctx.error(value_node, f"{path}.{name}: {_shown(name, amount)} is above up_to {_shown(name, up_to)}")
            continue
        values.append((name, amount))
    return tuple(values)


def capped(exercise: Exercise) -> Exercise:
    """The exercise at the largest dose its progression reaches (to check the limits against)."""
    from dataclasses import replace

    p = exercise.progress
    if p is None:
        return exercise
    values: dict[str, object] = {}
    for name, value in p.then or ():
        if name != "load" and isinstance(value, (int, float)):
            values[name] = max(value, getattr(exercise, name) or 0)
    values[p.key] = p.up_to
    return replace(exercise, **{k: (int(v) if k in ("reps", "sets") else float(v)) for k, v in values.items()})  # type: ignore[arg-type]


def progressed(exercises: Iterable[Exercise]) -> list[Exercise]:
    """The exercises with a `progress`, in file order."""
    return [e for e in exercises if e.progress is not None]


def at_caps(steps: tuple) -> tuple:
    """`steps` with every progressed exercise at its cap (repeat blocks walked)."""
    from dataclasses import replace

    from player.model import RepeatBlock

    out = []
    for step in steps:
        if isinstance(step, Exercise):
            out.append(capped(step))
        elif isinstance(step, RepeatBlock):
            out.append(replace(step, steps=at_caps(step.steps)))
        else:
            out.append(step)
    return tuple(out)
