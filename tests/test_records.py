"""Records (events, segments, snapshots) are frozen dataclasses compared by type and fields, as the tests rely on."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields, replace

import pytest

from player.cramp import MUSCLES, EpisodeFacts
from player.engine import Progress, Snapshot
from player.events import Event, Paused, RoutineFinished, SegmentFinished
from player.library import Entry, LibraryFolder
from player.problems import Problem
from player.timeline import Segment, Timeline
from player.ui.cramp import CrampOutcome
from player.ui.keys import Key


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
    with pytest.raises(FrozenInstanceError):
        event.at = 2.0  # type: ignore[misc]
    assert repr(Paused(1, 2.0)) == "Paused(index=1, at=2.0)"


def test_every_event_class_has_the_type_strict_equality() -> None:
    for cls in Event.__args__:  # type: ignore[attr-defined]
        values = [0] * len(fields(cls))
        assert cls(*values) == cls(*values)
        assert cls(*values) != tuple(values), cls.__name__


@pytest.mark.parametrize(
    "cls",
    [Segment, Timeline, Snapshot, Progress, EpisodeFacts, CrampOutcome, type(MUSCLES[0]), Problem, Key, Entry, LibraryFolder],
)
def test_the_other_records_compare_by_type_too(cls: type) -> None:
    values = [None] * len(fields(cls))
    assert cls(*values) == cls(*values)
    assert cls(*values) != tuple(values)
    assert hash(cls(*values)) == hash(cls(*values))


def test_a_segment_replaced_is_a_new_segment() -> None:
    seg = Segment("work", "Quad set", 10.0, side="left")
    relax = replace(seg, kind="relax", seconds=5.0)
    assert (seg.kind, seg.seconds) == ("work", 10.0)
    assert relax == Segment("relax", "Quad set", 5.0, side="left") and relax != seg


def test_problems_sort_by_file_line_and_column_and_print_as_file_line_col() -> None:
    a = Problem("a.yaml", 3, 1, "x")
    b = Problem("a.yaml", 10, 2, "y", "warning")
    c = Problem("b.yaml", 1, 1, "z")
    assert sorted([c, b, a]) == [a, b, c]
    assert str(b) == "a.yaml:10:2: warning: y"
