"""Immutable records that are cheap to define: `NamedTuple`s compared by type and fields.

The classes `vmo cramp` and `vmo play` need before their first frame (events, segments,
snapshots) are NamedTuples rather than frozen dataclasses: on Python 3.11 a NamedTuple
class costs about a sixth of a frozen dataclass to create, and start-up pays that cost
per class (bench/cramp_startup.py). A plain NamedTuple would equal any tuple holding the
same values, a `Paused` a `RoutineFinished`; `compared_by_type` gives them the equality
of a dataclass: same class and same fields.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T", bound=type)


def _same_type_eq(self: tuple, other: object) -> bool:
    return type(self) is type(other) and tuple.__eq__(self, other)


def _same_type_ne(self: tuple, other: object) -> bool:
    return not _same_type_eq(self, other)


def compared_by_type(cls: T) -> T:
    """Class decorator for a NamedTuple: equal only to an instance of the same class with equal fields.

    Set after the class is made, so it keeps tuple's hash (equal records hash alike).
    """
    cls.__eq__ = _same_type_eq  # type: ignore[method-assign,assignment]
    cls.__ne__ = _same_type_ne  # type: ignore[method-assign,assignment]
    return cls
