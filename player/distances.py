"""Distances as routine files write them: 400m, 20 m, 0.5 km, 1 mile. Pure."""

from __future__ import annotations

import re

EXPECTED = "expected a distance such as 400m, 20 m, 0.5 km or 1 mile"
MAX_METRES = 1_000_000.0  # 1000 km: more is a typo, not a prescription

# unit as written (lower case) -> (metres per unit, singular shown, plural shown)
_UNITS: dict[str, tuple[float, str, str]] = {}
for _names, _metres, _one, _many in (
    (("m", "metre", "metres", "meter", "meters"), 1.0, "m", "m"),
    (("km", "kilometre", "kilometres", "kilometer", "kilometers"), 1000.0, "km", "km"),
    (("mi", "mile", "miles"), 1609.344, "mile", "miles"),
    (("yd", "yard", "yards"), 0.9144, "yd", "yd"),
    (("ft", "foot", "feet"), 0.3048, "ft", "ft"),
):
    for _name in _names:
        _UNITS[_name] = (_metres, _one, _many)

_DISTANCE = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)$")


class DistanceError(ValueError):
    """The text is not a distance; the message says what was expected."""


def parse_distance(text: str) -> tuple[str, float]:
    """The distance as shown ("400 m", "1 mile") and in metres. Raises DistanceError."""
    m = _DISTANCE.match(text.strip().lower())
    if m is None or m.group(2) not in _UNITS:
        raise DistanceError(f"{EXPECTED}, got {text!r}")
    number = float(m.group(1))
    per_unit, one, many = _UNITS[m.group(2)]
    metres = number * per_unit
    if metres <= 0:
        raise DistanceError(f"must be greater than zero, got {text!r}")
    if metres > MAX_METRES:
        raise DistanceError(f"must be at most 1000 km, got {text!r}")
    shown = f"{number:.6f}".rstrip("0").rstrip(".")
    return f"{shown} {one if number == 1 else many}", metres
