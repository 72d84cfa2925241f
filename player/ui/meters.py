"""The player screen's meters: the coloured segment-kind badge, the big countdown and the progress bars.

Kept apart from `widgets`: only the player screen needs them. The countdown and the
bars change every second of a hold, so they draw their lines as strips of plain
segments (`render_line`) rather than through Rich renderables or Content, whose
layout and styling pipeline was most of the work of each second.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.renderables.digits import Digits as DigitsRenderable
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits

from player.terminal import ascii_drawing
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


@lru_cache(maxsize=4)
def glyph_rows(value: str, bold: bool) -> tuple[str, str, str]:
    """The three rows of `value` in Textual's 3x3 digit glyphs (its bold set when `bold`)."""
    text = "".join(segment.text for segment in DigitsRenderable(value).render(Style(bold=bold)))
    top, middle, bottom = text.split("\n")[:3]
    return top, middle, bottom


class Countdown(Digits):
    """Textual's Digits with the same glyphs, left-aligned, one plain strip per row."""

    def render_line(self, y: int) -> Strip:
        """Row `y` of the glyphs, in the widget's style (bold when the CSS says so)."""
        style = self.visual_style.rich_style
        rows = glyph_rows(self.value, bool(style.bold))
        return Strip([Segment(rows[y], style)]) if y < len(rows) else Strip.blank(self.size.width, style)


class Meters(Widget):
    """Two progress bars in one widget: the segment's, and under it the routine's with the time left.

    Not Textual's ProgressBar: that one keeps a timer per bar for its ETA and is two
    widgets; here each second of a long hold repaints one small widget, and only when
    a half cell or the time left changed.
    """

    # Component classes, so the bars take the theme's colours (and NO_COLOR applies).
    COMPONENT_CLASSES = {"meters--done", "meters--left"}
    DEFAULT_CSS = """
    Meters { height: 2; width: 1fr; }
    Meters > .meters--done { color: $primary; }
    Meters > .meters--left { color: $panel-lighten-1; }
    """

    shown: reactive[tuple[int, int, int, str]] = reactive((0, 0, 0, ""))
    """(width, segment half cells filled, routine half cells filled, time left)."""

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

    def _update(self) -> None:
        width = self.size.width
        bottom = max(0, width - len(self.label) - 1)
        self.shown = (width, round(self.segment * width * 2), round(self.routine * bottom * 2), self.label)

    def bar(self, halves: int, width: int) -> list[Segment]:
        """A bar `width` cells wide with `halves` half cells filled: `━` filled, `╸` half, the rest dim."""
        full, half = divmod(max(0, min(halves, width * 2)), 2)
        fill, tip, rest = ("=", "-", "-") if ascii_drawing() else ("━", "╸", "━")
        done = fill * full + (tip if half else "")
        left = rest * max(0, width - full - half)
        # Visual styles, as Textual keeps them until the CSS changes (refresh drops its Rich styles)
        get = self.get_visual_style
        parts = ((done, "meters--done"), (left, "meters--left"))
        return [Segment(text, get(name).rich_style) for text, name in parts if text]  # no empty segments

    def render_line(self, y: int) -> Strip:
        """Line 0: the segment's bar; line 1: the routine's bar and the time left."""
        width, seg, rout, label = self.shown
        if y == 0:
            return Strip(self.bar(seg, width))
        label_segment = Segment(f" {label}", self.visual_style.rich_style)
        return Strip([*self.bar(rout, max(0, width - len(label) - 1)), label_segment])
