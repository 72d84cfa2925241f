"""The player screen: big countdown, segment kind and side, progress, what comes next.

It shows a PlayerView handed down by the app (`show`) and nothing else; keys
and buttons run the app's actions. The layout adapts to the terminal: below
60 columns or 20 rows it drops the instructions, cues, next step and buttons.

An exercise's picture sits right of the instructions where the terminal can draw
pictures (`graphics`); elsewhere one line names it. Pictures are prepared by a worker
thread started after the screen's first frame, so they never hold up the clock.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer

from player.ui.keys import PLAYER_KEYS, bindings
from player.ui.view import PlayerView
from player.ui.meters import Countdown, KindBadge, Meters
from player.ui.safe import sanitize
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

    def __init__(self, graphics: str | None = None) -> None:
        super().__init__()
        self.graphics = graphics  # "kitty", "sixel" (or "halfcell" in tests) or None: text only
        self.pictures_on = True
        self._images: tuple[Path, ...] = ()
        self._pictures: dict[tuple[Path, ...], Any] = {}  # prepared image, or the exception that stopped it
        self._loading: tuple[Path, ...] | None = None
        self._image_class: type | None = None
        self._first_frame = False
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
            with Horizontal(id="about-row"):
                with Vertical(id="about-text"):
                    yield Text(id="escalate")
                    yield Text(id="instructions")
                    yield Text(id="cues")
                    yield Text(id="picture-note")
                    yield Text(id="next")
                yield Vertical(id="picture")
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
        self.call_after_refresh(self._after_first_frame)

    # ----- the picture -----

    def _after_first_frame(self) -> None:
        self._first_frame = True
        self._show_picture(self._images)

    def toggle_picture(self) -> bool:
        """Show or hide pictures (and the line that names them); whether they are shown now."""
        self.pictures_on = not self.pictures_on
        self.set_class(not self.pictures_on, "-no-picture")
        return self.pictures_on

    def _show_picture(self, images: tuple[Path, ...]) -> None:
        """Show the picture of `images` (or the line naming it); prepares it in a worker the first time."""
        self._images = images
        note = self.query_one("#picture-note", Text)
        if not images:
            self.set_class(False, "-picture")
            note.show("")
            return
        names = ", ".join(sanitize(p.name) for p in images)
        if self.graphics is None:
            self.set_class(False, "-picture")
            note.show(f"Picture: {names} (this terminal cannot draw pictures: p hides this line)")
            return
        if not self._first_frame:
            return
        prepared = self._pictures.get(images)
        if prepared is None:
            self.set_class(False, "-picture")
            note.show("")
            if self._loading is None:
                self._loading = images
                self.run_worker(partial(self._prepare, images), thread=True, group="picture", exit_on_error=False)
            return
        if isinstance(prepared, Exception):
            self.set_class(False, "-picture")
            note.show(f"Picture {names} cannot be shown: {sanitize(str(prepared)) or type(prepared).__name__}")
            return
        note.show("")
        pane = self.query_one("#picture", Vertical)
        if self._image_class is not None:
            shown = pane.query(self._image_class)
            if shown:
                shown.first().image = prepared
            else:
                pane.mount(self._image_class(prepared, id="picture-image"))
        self.set_class(True, "-picture")

    def _prepare(self, images: tuple[Path, ...]) -> None:
        """Worker thread: import the drawing libraries and rasterise the picture."""
        from player.ui.pictures import load_image_widget, prepare

        result: Any
        try:
            if self._image_class is None:
                self._image_class = load_image_widget(self.graphics or "")
            result = prepare(images)
        except Exception as exc:  # noqa: BLE001 - a picture that cannot be drawn must never stop a routine
            result = exc
        self.app.call_from_thread(self._prepared, images, result)

    def _prepared(self, images: tuple[Path, ...], result: Any) -> None:
        self._pictures[images] = result
        self._loading = None
        if self.is_mounted:
            self._show_picture(self._images)

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
        if old is None or old.images != view.images:
            self._show_picture(view.images)
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
