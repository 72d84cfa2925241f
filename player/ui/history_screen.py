"""The history screen: this week against the target, the streak, sessions per week as a bar chart, recent sessions."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from player.adherence import Summary, WeekCount
from player.ui.safe import sanitize
from player.ui.widgets import ControlButton, Text

BAR_WIDTH = 20


def weekly_chart(weekly: list[WeekCount], target: int, width: int = BAR_WIDTH) -> list[str]:
    """One line per week, oldest first: `w/c 12 May  ████▌   3`, scaled to the busiest week or the target."""
    top = max([w.sessions for w in weekly] + [target, 1])
    lines = []
    for week in weekly:
        cells = week.sessions * width / top
        full = int(cells)
        half = "▌" if cells - full >= 0.5 else ""
        bar = ("█" * full + half).ljust(width)
        mark = " ✓" if target and week.sessions >= target else ""
        lines.append(f"w/c {week.week_start.strftime('%d %b')}  {bar} {week.sessions:>2}{mark}")
    return lines


def history_lines(summary: Summary, any_records: bool, today: date) -> list[tuple[str, str]]:
    """(text, CSS class) lines of the history screen."""
    if not any_records:
        return [("No sessions recorded yet.", "empty")]
    week = summary.week
    lines: list[tuple[str, str]] = []
    if week.target:
        met = "  target met" if week.met else ""
        lines.append((f"This week: {week.sessions} of {week.target} sessions{met}", "week"))
    else:
        lines.append((f"This week: {week.sessions} sessions", "week"))
    lines.append((f"Streak: {summary.streak} day{'s' * (summary.streak != 1)}", "week"))
    lines.append(("Sessions per week:", "heading"))
    lines += [(line, "chart") for line in weekly_chart(summary.weekly, week.target)]
    lines.append(("Recent sessions:", "heading"))
    for record in summary.recent[:10]:
        how = "completed" if record.completed else "stopped"
        if record.cramp is not None:
            how = "cramp, eased" if record.cramp.eased_after_seconds is not None else "cramp"
        when = record.start.strftime("%a %d %b %H:%M")
        lines.append((f"{when}  {sanitize(record.routine_name)}  ({how})", "session"))
    return lines


class HistoryScreen(ModalScreen[None]):
    """Sessions played; Esc, h or q closes it."""

    BINDINGS = [Binding("escape,h,q,f2", "close", "Close", key_display="esc")]

    def __init__(self, lines: list[tuple[str, str]], warning: str | None = None) -> None:
        super().__init__()
        self._lines = lines
        self._warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Text("History", id="history-title")
            with VerticalScroll(id="history-body"):
                for text, kind in self._lines:
                    yield Text(text, classes=f"history-{kind}")
                if self._warning:
                    yield Text(self._warning, classes="history-warning")
            yield ControlButton("Close", "screen.close", id="btn-close-history")

    def action_close(self) -> None:
        """Close the history."""
        self.dismiss(None)
