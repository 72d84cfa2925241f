"""The player screen: big countdown, segment kind and side, progress, what comes next.

It shows a PlayerView handed down by the app (`show`) and nothing else; keys
and buttons run the app's actions. The layout adapts to the terminal: below
60 columns or 20 rows it drops the instructions, cues, next step and buttons.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer

from player.ui.keys import PLAYER_KEYS, bindings
from player.ui.view import PlayerView
from player.ui.meters import Countdown, KindBadge, Meters
from player.ui.widgets import ControlButton, Text

NARROW = 60
SHORT = 20


class PlayerScreen(Screen[None]):
    """Plays one routine; the app owns the session and calls `show` whenever the display changes."""

    CSS_PATH = str(Path(__file__).with_name("player.tcss"))  # read when first shown, not at start-up
    BINDINGS = bindings(PLAYER_KEYS)
    # Textual sets these classes from the terminal size; vmo.tcss hides the extras.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT, "-tall")]

    def __init__(self) -> None:
        super().__init__()
        self._view: PlayerView | None = None

    def compose(self) -> ComposeResult:
        # Flat on purpose: Textual redraws every widget whose container overlaps a change,
        # so what changes each second (clock, bars, time left) shares one small container
        # and the rest sit in containers of their own that stay idle.
        with Vertical(id="header"):
            yield Text(id="routine-name")
            with Horizontal(id="status"):
                yield KindBadge(id="kind")
                yield Text(id="side")
                yield Text(id="counts")
            yield Text(id="exercise")
        with Vertical(id="live"):
            yield Countdown("0:00", id="countdown")
            yield Text(id="prompt")
            yield Meters(id="meters")
        with Vertical(id="about"):
            yield Text(id="escalate")
            yield Text(id="instructions")
            yield Text(id="cues")
            yield Text(id="next")
        with Horizontal(id="controls"):
            yield ControlButton("Pause", "app.toggle_pause", id="btn-pause")
            yield ControlButton("Back", "app.back", id="btn-back")
            yield ControlButton("Next", "app.next_or_no", id="btn-next")
            yield ControlButton("Yes, easing", "app.easing_yes", id="btn-yes")
            yield ControlButton("Done", "app.done", id="btn-done")
            yield ControlButton("Skip exercise", "app.skip_exercise", id="btn-skip")
            yield ControlButton("-10s", "app.shorter", id="btn-shorter")
            yield ControlButton("+10s", "app.longer", id="btn-longer")
            yield ControlButton("Mute", "app.toggle_mute", id="btn-mute")
            yield ControlButton("Quit", "app.quit_player", id="btn-quit")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self._view is not None:
            self._apply(self._view, force=True)

    @property
    def view(self) -> PlayerView | None:
        """The view shown last."""
        return self._view

    def show(self, view: PlayerView, *, muted: bool = False) -> None:
        """Show `view`; only the widgets whose text changed are refreshed."""
        old, self._view = self._view, view
        if self.is_mounted:
            self._apply(view, force=old is None, old=old)
            self.query_one("#btn-mute", ControlButton).show_label("Unmute" if muted else "Mute")

    def _apply(self, view: PlayerView, *, force: bool = False, old: PlayerView | None = None) -> None:
        q = self.query_one
        q("#routine-name", Text).show(view.routine)
        if force or old is None or (old.kind, old.kind_label) != (view.kind, view.kind_label):
            q("#kind", KindBadge).show_kind(view.kind, view.kind_label)
        q("#side", Text).show(view.side_label)
        q("#counts", Text).show(view.counts)
        q("#exercise", Text).show(view.exercise)
        digits = q("#countdown", Digits)
        if digits.value != view.clock:
            digits.update(view.clock)
        q("#prompt", Text).show(view.prompt)
        q("#instructions", Text).show(view.instructions)
        q("#cues", Text).show(view.cues)
        q("#next", Text).show(view.next_up)
        q("#escalate", Text).show(view.escalate)
        q("#meters", Meters).show(view.segment_fraction, view.routine_fraction, view.time_left)
        q("#btn-pause", ControlButton).show_label("Resume" if view.paused else "Pause")
        q("#btn-next", ControlButton).show_label("Not easing" if view.asking else "Next")
        self.set_class(view.paused, "-paused")
        self.set_class(view.asking, "-asking")
        self.set_class(view.manual, "-manual")
        self.set_class(bool(view.escalate), "-escalated")
