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
# The Text widgets (by id) and the PlayerView field each one shows.
TEXT_FIELDS = (
    ("routine-name", "routine"), ("side", "side_label"), ("counts", "counts"), ("exercise", "exercise"),
    ("prompt", "prompt"), ("escalate", "escalate"), ("instructions", "instructions"), ("cues", "cues"),
    ("next", "next_up"),
)


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
        self._muted = False
        self._state: tuple[bool, ...] | None = None  # (paused, asking, manual, escalated, muted) applied last

    def compose(self) -> ComposeResult:
        # Few containers on purpose: each second Textual redraws every widget whose container
        # overlaps a change (the screen's children, and the clock's and bars' siblings),
        # so what changes (clock, bars, time left) shares one small container and the rest
        # sit in two that stay idle.
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
        # Looked up once: `show` runs every second of a hold and copies only what changed.
        q = self.query_one
        self._texts = [(q(f"#{name}", Text), field) for name, field in TEXT_FIELDS]
        self._kind = q("#kind", KindBadge)
        self._countdown = q("#countdown", Digits)
        self._meters = q("#meters", Meters)
        self._buttons = [q(f"#btn-{name}", ControlButton) for name in ("pause", "next", "mute")]
        if self._view is not None:
            self._apply(self._view, None)

    @property
    def view(self) -> PlayerView | None:
        """The view shown last."""
        return self._view

    def show(self, view: PlayerView, *, muted: bool = False) -> None:
        """Show `view`; only the widgets whose text changed are refreshed."""
        old, self._view = self._view, view
        self._muted = muted
        if self.is_mounted:
            self._apply(view, old)

    def _apply(self, view: PlayerView, old: PlayerView | None) -> None:
        """Copy `view` into the widgets; `old` is the view shown before (None: nothing was)."""
        for widget, field in self._texts:
            widget.show(getattr(view, field))
        if old is None or (old.kind, old.kind_label) != (view.kind, view.kind_label):
            self._kind.show_kind(view.kind, view.kind_label)
        if self._countdown.value != view.clock:
            self._countdown.update(view.clock)
        self._meters.show(view.segment_fraction, view.routine_fraction, view.time_left)
        state = (view.paused, view.asking, view.manual, bool(view.escalate), self._muted)
        if state != self._state:
            self._state = state
            paused, asking, manual, escalated, muted = state
            labels = ("Resume" if paused else "Pause", "Not easing" if asking else "Next", "Unmute" if muted else "Mute")
            for button, label in zip(self._buttons, labels):
                button.show_label(label)
            self.set_class(paused, "-paused")
            self.set_class(asking, "-asking")
            self.set_class(manual, "-manual")
            self.set_class(escalated, "-escalated")
