"""Before a routine starts: its description and safety notes, dismissed with one key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from player.durations import format_duration
from player.model import Routine
from player.ui.safe import sanitize
from player.ui.keys import BEFORE_KEYS, bindings
from player.ui.widgets import ControlButton, Text


def before_lines(routine: Routine, total_seconds: float, untimed: int) -> list[tuple[str, str]]:
    """(text, CSS class) lines of the screen: name, time, description, safety notes."""
    length = format_duration(total_seconds)
    if untimed:
        length += f" + {untimed} part{'s' * (untimed != 1)} at your own pace"
    lines = [(sanitize(routine.name), "title"), (f"About {length}", "meta")]
    if routine.description:
        lines.append((sanitize(routine.description.strip()), "description"))
    if routine.safety:
        lines.append(("Before you start, read this:", "heading"))
        lines += [(f"• {sanitize(note)}", "safety") for note in routine.safety]
    else:
        lines.append(("Stop if anything hurts sharply, and get help if you feel unwell.", "safety"))
    return lines


class BeforeScreen(Screen[bool]):
    """The routine's safety notes; Enter or space starts (True), Esc or q goes back (False)."""

    BINDINGS = bindings(BEFORE_KEYS)

    def __init__(self, routine: Routine, total_seconds: float, untimed: int) -> None:
        super().__init__()
        self._lines = before_lines(routine, total_seconds, untimed)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="before"):
            for text, kind in self._lines:
                yield Text(text, classes=f"before-{kind}")
        with Horizontal(id="before-buttons"):
            yield ControlButton("Start", "screen.go", id="btn-go")
            yield ControlButton("Back", "screen.cancel", id="btn-cancel")
        yield Footer(compact=True)

    def action_go(self) -> None:
        """Start the routine."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Don't start."""
        self.dismiss(False)
