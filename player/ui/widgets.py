"""Small widgets every screen uses. They show what they are given; they never call the engine.

Text always arrives as plain strings and is wrapped in `Content` here, so a
routine name full of square brackets is shown literally and never parsed as markup.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Button, Static


def literal(text: str, style: str = "") -> Content:
    """Text shown exactly as written, never parsed as markup."""
    return Content.styled(text, style) if style else Content(text)


class Text(Static):
    """A Static that only ever shows literal text and skips refreshes when nothing changed."""

    DEFAULT_CSS = "Text.-empty { display: none; }"

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(literal(text), id=id, classes=classes)
        self._text = text
        self.set_class(not text, "-empty")

    @property
    def text(self) -> str:
        """The text shown."""
        return self._text

    def show(self, text: str) -> None:
        """Show `text` (hidden when empty, by the `-empty` class so the screen's CSS may still hide it)."""
        if text == self._text:
            return  # the `-empty` class already follows the text
        self.set_class(not text, "-empty")
        # A one-line text of the same width (the time left, "Rep 3/10") needs no new layout:
        # skipping it keeps the per-second redraw cheap and the frame close to the true time.
        same_size = cell_len(text) == cell_len(self._text) and "\n" not in text and self.size.height == 1
        self._text = text
        self.update(literal(text), layout=not same_size)


class ControlButton(Button, can_focus=False):
    """A compact button that runs an app action when clicked; it never takes the keyboard focus.

    Without focus, space and Enter always reach the player's key bindings
    instead of pressing whichever button was clicked last.
    """

    def __init__(self, label: str, action: str, *, id: str | None = None) -> None:
        super().__init__(literal(label), action=action, id=id, compact=True)

    def show_label(self, label: str) -> None:
        """Change the label (e.g. Pause / Resume)."""
        if str(self.label) != label:
            self.label = literal(label)
            self.refresh(layout=True)  # Button's label is not a layout reactive: its width must follow
