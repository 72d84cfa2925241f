"""The help screen: every key of the screen it was opened from, and what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from player.ui.keys import Key, help_rows
from player.ui.widgets import ControlButton, Text


class HelpScreen(ModalScreen[None]):
    """Keys and what they do; any of Esc, ? , q or Enter closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q,enter,f1", "close", "Close", key_display="esc"),
    ]

    def __init__(self, title: str, keys: tuple[Key, ...]) -> None:
        super().__init__()
        self._title = title
        self._rows = help_rows(keys)

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Text(self._title, id="help-title")
            with VerticalScroll(id="help-keys"):
                width = max(len(k) for k, _ in self._rows)
                for keys, what in self._rows:
                    yield Text(f"{keys:>{width}}  {what}", classes="help-row")
            yield Text("The mouse works too: click the buttons, the footer keys and the routines.", id="help-mouse")
            yield ControlButton("Close", "screen.close", id="btn-close-help")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
