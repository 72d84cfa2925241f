"""The pure part of the UI: what the player shows for a Snapshot, when the clock shown changes, import weight."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_ui_support import CRAMP, HOLDS, FakeClock, load

from player.engine import Session
from player.timeline import Segment, compile_timeline
from player.ui.controller import PlayController
from player.ui.view import (
    ESCALATE_FALLBACK, clock_text, counts_text, next_change, player_view, segment_label, shown_elapsed,
    shown_remaining,
)


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (9.9, "0:09"), (65, "1:05"), (3600, "1:00:00"),
                                                (-3, "0:00")])
def test_clock_text(seconds: float, text: str) -> None:
    assert clock_text(seconds) == text


def test_countdown_rounds_up_and_reaches_zero_exactly_at_the_end() -> None:
    assert shown_remaining(10.0) == 10
    assert shown_remaining(9.5) == 10
    assert shown_remaining(9.0 + 1e-9) == 9  # float noise at a boundary shows the lower second
    assert shown_remaining(0.4) == 1
    assert shown_remaining(0.0) == 0
    assert shown_elapsed(41.9999999) == 42
    assert shown_elapsed(41.5) == 41


def test_counts_for_holds_tempo_and_manual_reps(tmp_path: Path) -> None:
    routine = load(tmp_path, """\
name: Counts
steps:
  - name: Band extension
    reps: 10
    tempo: 1-2-2
    sets: 2
    prepare: 0
  - repeat: 3
    steps:
      - name: Squat
        reps: 12
        prepare: 0
""")
    tempo, rest, tempo2, squat = compile_timeline(routine).segments[:4]
    assert counts_text(tempo, 0.0) == "Set 1/2 · Rep 1/10"
    assert counts_text(tempo, 12.0) == "Set 1/2 · Rep 3/10"
    assert counts_text(tempo, 99.0) == "Set 1/2 · Rep 10/10"
    assert counts_text(squat, 0.0) == "Round 1/3 · 12 reps"


def test_segment_labels_for_next() -> None:
    assert segment_label(Segment("switch", "Quad set", 5.0, side="right")) == "Switch sides right · 5 s"
    assert segment_label(Segment("rest", "Rest", 30.0)) == "Rest · 30 s"
    assert segment_label(Segment("rest", "Water [break]", 60.0)) == "Rest (Water [break]) · 1 min"
    assert segment_label(Segment("prepare", "Lunge", 5.0)) == "Get ready: Lunge · 5 s"
    assert segment_label(Segment("manual", "Lunge", None, side="left")) == "Lunge left · at your own pace"


def test_view_of_a_hold_and_when_its_clock_changes(tmp_path: Path) -> None:
    routine = load(tmp_path, HOLDS)
    session = Session(compile_timeline(routine), speed=2.0)
    session.start(100.0)
    session.advance(103.0)  # 6 routine seconds: 1 s into the first hold
    snap = session.snapshot(103.2)
    view = player_view(snap, routine.name)
    assert (view.kind_label, view.side_label, view.counts, view.clock) == ("WORK", "LEFT", "Hold 1/2", "0:09")
    assert view.next_up == "Next: Relax left · 5 s"
    assert view.time_left.endswith("left + 1 at your pace")
    # 8.6 routine seconds left: the clock shows 9 until 8 remain, 0.6 routine s = 0.3 s from now.
    assert next_change(snap, 103.2) == pytest.approx(103.5 - 0.0005, abs=1e-6)
    session.pause(103.2)
    assert next_change(session.snapshot(103.2), 103.2) is None  # paused: nothing to redraw
    session.resume(103.2)
    # In the hold's last second the next thing shown is what follows it, at the engine's deadline.
    last_second = session.snapshot(107.25)  # 0.5 routine s left
    assert shown_remaining(last_second.remaining) == 1
    assert next_change(last_second, 107.25) is None
    assert session.next_deadline() is not None


def test_escalation_without_a_message_still_says_to_get_help(tmp_path: Path) -> None:
    routine = load(tmp_path, CRAMP.replace('    escalate: "Still cramping: get urgent medical advice."\n', ""))
    clock = FakeClock()
    controller = PlayController(routine, clock=clock)
    controller.start()
    clock.advance(30)
    controller.tick()
    controller.answer_easing(False)
    clock.advance(30)
    controller.tick()
    assert controller.view().escalate == ESCALATE_FALLBACK


def test_controller_ignores_keys_that_do_not_apply_and_logs_events(tmp_path: Path) -> None:
    clock = FakeClock()
    controller = PlayController(load(tmp_path, HOLDS), clock=clock)
    assert controller.done() is None  # not started
    controller.start()
    assert controller.done() is None  # not a self-paced segment
    assert controller.answer_easing(True) is None
    assert controller.skip() is not None
    assert [type(e).__name__ for e in controller.log][:3] == ["SegmentStarted", "CueFired", "SegmentFinished"]


def test_the_ui_package_and_the_view_import_no_textual() -> None:
    code = (
        "import sys, player.ui, player.ui.view, player.ui.controller, player.ui.safe\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_first_screen_does_not_import_the_player_screen() -> None:
    code = (
        "import sys, player.ui.app, player.ui.before\n"
        "print(sorted(m for m in ('player.ui.player_screen', 'player.ui.meters', 'player.ui.library',"
        " 'player.engine', 'player.audio', 'textual.widgets._footer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
