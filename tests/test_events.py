"""Events are immutable values compared by type and fields, as the engine's tests rely on."""

from __future__ import annotations

import pytest

from player.events import Event, Paused, RoutineFinished, SegmentFinished


def test_equality_is_by_type_and_fields() -> None:
    assert Paused(3, 5.0) == Paused(index=3, at=5.0)
    assert not Paused(3, 5.0) != Paused(3, 5.0)
    assert hash(Paused(3, 5.0)) == hash(Paused(3, 5.0))
    # Same numbers, another fact: never equal (a tuple would be).
    assert Paused(3, 5.0) != RoutineFinished(3, 5.0)
    assert not Paused(3, 5.0) == RoutineFinished(3, 5.0)
    assert Paused(3, 5.0) != (3, 5.0) and (3, 5.0) != Paused(3, 5.0)
    assert [Paused(1, 2.0)] != [RoutineFinished(1, 2.0)]


def test_events_are_immutable_and_keep_their_defaults() -> None:
    event = SegmentFinished(2, None, 1.5)  # type: ignore[arg-type]
    assert event.skipped is False
    with pytest.raises(AttributeError):
        event.at = 2.0  # type: ignore[misc]
    assert repr(Paused(1, 2.0)) == "Paused(index=1, at=2.0)"


def test_every_event_class_has_the_type_strict_equality() -> None:
    for cls in Event.__args__:  # type: ignore[attr-defined]
        values = [0] * len(cls._fields)
        assert cls(*values) == cls(*values)
        assert cls(*values) != tuple(values), cls.__name__
