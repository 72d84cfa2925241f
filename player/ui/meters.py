"""The player screen's meters: the coloured segment-kind badge and the progress bars.

Kept apart from `widgets`: only the player screen needs them.
"""

from __future__ import annotations

from rich.style import Style
from textual.content import Content
from textual.reactive import reactive
from textual.renderables.digits import Digits as DigitsRenderable
from textual.widget import Widget
from textual.widgets import Digits

from player.ui.widgets import Text

KIND_CLASSES = tuple(f"kind-{k}" for k in ("prepare", "work", "relax", "switch", "rest", "manual"))


class KindBadge(Text):
    """The segment kind in words, coloured by kind (`kind-work`, `kind-relax`, ...)."""

    def show_kind(self, kind: str, label: str) -> None:
        """Show the kind `kind` labelled `label`."""
        wanted = f"kind-{kind}" if kind else ""
        for name in KIND_CLASSES:
            self.set_class(name == wanted, name)
        self.show(label)


class Countdown(Digits):
    """Textual's Digits, drawn as Content.

    Digits wraps its glyphs in a Rich `Align`, and that Rich path was the larger half
    of the work of each second of a long hold; the glyphs are the same (Textual's
    3x3 font, bold when the CSS says so), left-aligned as the player shows them.
    """

    def render(self) -> Content:
        """The value in Textual's 3x3 digit glyphs, as three lines of plain text."""
        bold = bool(self.styles.text_style.bold)
        segments = DigitsRenderable(self.value).render(Style(bold=bold))
        return Content("".join(segment.text for segment in segments).rstrip("\n"))


def bar(halves: int, width: int) -> Content:
    """A bar `width` cells wide with `halves` half cells filled: `━` filled, `╸` half, the rest dim."""
    full, half = divmod(max(0, min(halves, width * 2)), 2)
    done = "━" * full + ("╸" if half else "")
    left = "━" * max(0, width - full - half)
    return Content.assemble((done, Meters.DONE_STYLE), (left, Meters.LEFT_STYLE))


class Meters(Widget):
    """Two progress bars in one widget: the segment's, and under it the routine's with the time left.

    Not Textual's ProgressBar: that one keeps a timer per bar for its ETA and is two
    widgets; here each second of a long hold repaints one small widget, and only when
    a half cell or the time left changed.
    """

    DEFAULT_CSS = """
    Meters { height: 2; width: 1fr; }
    """
    # Theme variables, so themes and NO_COLOR apply.
    DONE_STYLE = "$primary"
    LEFT_STYLE = "$panel-lighten-1"

    shown: reactive[tuple[int, int, str]] = reactive((0, 0, ""))
    """(segment half cells filled, routine half cells filled, time left)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.segment = 0.0
        self.routine = 0.0
        self.label = ""

    def show(self, segment: float, routine: float, label: str) -> None:
        """Fill `segment` and `routine` (0..1) of the bars; `label` (literal) follows the routine's bar."""
        self.segment = max(0.0, min(1.0, segment))
        self.routine = max(0.0, min(1.0, routine))
        self.label = label
        self._update()

    def on_resize(self) -> None:
        self._update()

    def _widths(self) -> tuple[int, int]:
        width = self.size.width
        return width, max(0, width - len(self.label) - 1)

    def _update(self) -> None:
        top, bottom = self._widths()
        self.shown = (round(self.segment * top * 2), round(self.routine * bottom * 2), self.label)

    def render(self) -> Content:
        """The segment's bar, a line break, the routine's bar and the time left."""
        top, bottom = self._widths()
        seg, rout, label = self.shown
        return Content.assemble(bar(seg, top), "\n", bar(rout, bottom), " ", label)
