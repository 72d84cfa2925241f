"""Before a routine starts: its description and safety notes, dismissed with one key.

This is the first frame of `vmo play`, so it is deliberately light: one Static of
literal text and one line of clickable key hints, no Footer and no Buttons (their
styles and widgets cost the first frame more than everything else on it).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from player.durations import format_duration
from player.model import Routine
from player.ui.keys import BEFORE_KEYS, bindings
from player.ui.safe import sanitize

# Our own fixed text, so markup is fine here (never routine text): each hint is a click target.
HINTS = "[@click=screen.go][b] Enter [/b] Start [/]  [@click=screen.cancel][b] Esc [/b] Back [/]  " \
        "[@click=app.cramp][b] c [/b] Cramp [/]  [@click=app.help][b] ? [/b] Help [/]"


def before_lines(routine: Routine, total_seconds: float, untimed: int) -> list[tuple[str, str]]:
    """(text, kind) lines of the screen: name, time, description, safety notes."""
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


_STYLES = {"title": "bold", "meta": "dim", "heading": "bold $text-warning", "description": "", "safety": ""}


def before_content(lines: list[tuple[str, str]]) -> Content:
    """The lines as one literal Content, a blank line before the description and the heading."""
    parts: list[str | tuple[str, str]] = []
    for n, (text, kind) in enumerate(lines):
        if n:
            parts.append("\n\n" if kind in ("description", "heading") else "\n")
        parts.append((text, _STYLES[kind]) if _STYLES[kind] else text)
    return Content.assemble(*parts)


class BeforeScreen(Screen[bool]):
    """The routine's safety notes; Enter or space starts (True), Esc or q goes back (False)."""

    BINDINGS = bindings(BEFORE_KEYS)

    def __init__(self, routine: Routine, total_seconds: float, untimed: int) -> None:
        super().__init__()
        self.lines = before_lines(routine, total_seconds, untimed)

    @property
    def text(self) -> str:
        """Everything the screen says, as plain text."""
        return "\n".join(text for text, _ in self.lines)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="before"):
            yield Static(before_content(self.lines), id="before-text")
        yield Static(HINTS, id="before-keys")

    def action_go(self) -> None:
        """Start the routine."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Don't start."""
        self.dismiss(False)
