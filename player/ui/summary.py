"""After a routine: completed or stopped where, time played, segments skipped, and the safety notes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from player.durations import format_duration
from player.model import Routine
from player.ui.safe import sanitize
from player.ui.controller import Outcome
from player.ui.keys import SUMMARY_KEYS, bindings
from player.ui.widgets import ControlButton, Text


def summary_lines(
    routine: Routine, outcome: Outcome, pain: tuple[int | None, int | None] = (None, None)
) -> list[tuple[str, str]]:
    """(text, CSS class) lines of the summary."""
    name = sanitize(routine.name)
    if outcome.completed:
        lines = [(f"Completed: {name}", "done")]
    elif outcome.stopped_at is not None:
        lines = [(f"Stopped at {sanitize(outcome.stopped_at)}", "stopped"), (name, "meta")]
    else:
        lines = [(f"Stopped before it began: {name}", "stopped")]
    # Routine seconds, as the history records them; a fast preview says how long it really took.
    played = f"Time played: {format_duration(outcome.routine_seconds)}"
    if outcome.speed != 1:
        played += f" (at {outcome.speed:g}x speed, in {format_duration(outcome.played_seconds)})"
    lines.append((played, "fact"))
    skipped = outcome.segments_skipped
    lines.append((f"Segments skipped: {skipped}" if skipped else "Segments skipped: none", "fact"))
    before, after = pain
    if before is not None or after is not None:
        shown = lambda v: "skipped" if v is None else f"{v}/10"  # noqa: E731
        lines.append((f"Pain before: {shown(before)} · after: {shown(after)}", "fact"))
    if routine.safety:
        lines.append(("Remember:", "heading"))
        lines += [(f"• {sanitize(note)}", "safety") for note in routine.safety]
    return lines


class SummaryScreen(Screen[None]):
    """How the routine went. The app decides where Close leads (library, or exit after `vmo play`)."""

    BINDINGS = bindings(SUMMARY_KEYS)

    def __init__(self, routine: Routine, outcome: Outcome, pain: tuple[int | None, int | None] = (None, None)) -> None:
        super().__init__()
        self.outcome = outcome
        self._lines = summary_lines(routine, outcome, pain)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary"):
            for text, kind in self._lines:
                yield Text(text, classes=f"summary-{kind}")
        with Horizontal(id="summary-buttons"):
            yield ControlButton("Close", "app.close_summary", id="btn-close")
            yield ControlButton("History", "app.history", id="btn-history")
            yield ControlButton("Quit", "app.quit", id="btn-quit")
        yield Footer(compact=True)
