"""The player screen's meters: the coloured segment-kind badge and the progress bars.

Kept apart from `widgets` so the first screen does not import ProgressBar.
"""

from __future__ import annotations

from textual.widgets import ProgressBar

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


class Bar(ProgressBar):
    """A progress bar from 0 to 1 without percentage or ETA, updated only when the shown cells change."""

    RESOLUTION = 1000

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(total=self.RESOLUTION, show_eta=False, show_percentage=False, id=id, classes=classes)

    def show_fraction(self, fraction: float) -> None:
        """Fill `fraction` (0..1) of the bar."""
        value = round(max(0.0, min(1.0, fraction)) * self.RESOLUTION)
        if value != self.progress:
            self.progress = value
