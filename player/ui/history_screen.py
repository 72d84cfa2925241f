"""The history screen: this week against the target, the streak, sessions per week and the pain trend as charts
(textual-plotext), recent sessions.

The charts are drawn by plotext through its Textual widget; the same numbers stay
on screen as text lines, so a screen reader or a terminal too small for a chart
still has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from player.adherence import Summary, WeekCount
from player.terminal import ascii_drawing
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
        block, half_block, tick = ("#", "+", "*") if ascii_drawing() else ("█", "▌", "✓")
        half = half_block if cells - full >= 0.5 else ""
        bar = (block * full + half).ljust(width)
        mark = f" {tick}" if target and week.sessions >= target else ""
        lines.append(f"w/c {week.week_start.strftime('%d %b')}  {bar} {week.sessions:>2}{mark}")
    return lines


def not_counted_line(previews: int, short: int) -> str | None:
    """Why sessions played this week are not in its count; None when all of them count."""
    parts = []
    if previews:
        parts.append(f"{previews} preview{'s' * (previews != 1)} played faster than normal")
    if short:
        parts.append(f"1 session stopped before half its time" if short == 1
                     else f"{short} sessions stopped before half their time")
    if not parts:
        return None
    return ("Not counted this week: " + " and ".join(parts)
            + " (only sessions at normal speed, completed or at least half played, count)")


@dataclass(frozen=True, slots=True)
class Prescribed:
    """Sessions a week the followed programmes prescribe in their current phases, and their names."""

    sessions: int
    names: tuple[str, ...]


def prescription_of(programmes: Sequence[Any], events: Sequence[Any], today: date) -> Prescribed | None:
    """What the programmes' current phases prescribe a week (pure: the phase comes from the records alone)."""
    from player.planner import plan, sessions_a_week

    total, names = 0, []
    for programme in programmes:
        state = plan(programme, events, today).phase
        if state is None:
            continue
        total += sum(sessions_a_week(entry.frequency) for entry in programme.phases[state.index].routines)
        names.append(programme.name)
    return Prescribed(total, tuple(names)) if names else None


def prescribed_this_week(events: Sequence[Any], today: date) -> Prescribed | None:
    """The prescription of the programmes the user follows (started, not stopped), from the library's files."""
    from player.errors import VmoError
    from player.following import load_programme
    from player.planner import following

    programmes = []
    for pid in following(events, today):
        try:
            programmes.append(load_programme(pid))
        except VmoError:  # gone or broken: `vmo today` warns about it; the screen shows the rest
            continue
    return prescription_of(programmes, events, today)


@dataclass(frozen=True, slots=True)
class ChartData:
    """The numbers the history screen's two charts draw (the same are shown as text)."""

    weeks: tuple[str, ...]
    sessions: tuple[int, ...]
    target: int
    pain_before: tuple[float | None, ...]
    pain_after: tuple[float | None, ...]


def chart_data(summary: Summary, prescribed: Prescribed | None = None) -> ChartData:
    """Sessions per week against the prescription (else the weekly target), and each week's average pain."""
    pain = {p.week_start: p for p in summary.weekly_pain}
    weeks = tuple(w.week_start.strftime("%d %b") for w in summary.weekly)
    return ChartData(
        weeks,
        tuple(w.sessions for w in summary.weekly),
        prescribed.sessions if prescribed is not None else summary.week.target,
        tuple(pain[w.week_start].before if w.week_start in pain else None for w in summary.weekly),
        tuple(pain[w.week_start].after if w.week_start in pain else None for w in summary.weekly),
    )


def history_lines(summary: Summary, any_records: bool, today: date,
                  prescribed: Prescribed | None = None) -> list[tuple[str, str]]:
    """(text, CSS class) lines of the history screen."""
    if not any_records:
        return [("No sessions recorded yet.", "empty")]
    week = summary.week
    lines: list[tuple[str, str]] = []
    if prescribed is not None:
        lines.append((f"Prescribed: {prescribed.sessions} session{'s' * (prescribed.sessions != 1)} a week "
                      f"({', '.join(sanitize(n) for n in prescribed.names)})", "week"))
    if week.target:
        met = "  target met" if week.met else ""
        lines.append((f"This week: {week.sessions} of {week.target} sessions{met}", "week"))
    else:
        lines.append((f"This week: {week.sessions} sessions", "week"))
    why = not_counted_line(summary.week_previews, summary.week_short)
    if why:
        lines.append((why, "not-counted"))
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

    def __init__(self, lines: list[tuple[str, str]], warning: str | None = None,
                 charts: ChartData | None = None) -> None:
        super().__init__()
        self._lines = lines
        self._warning = warning
        self._charts = charts

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Text("History", id="history-title")
            # The charts come after the week's figures, before the text chart and the sessions.
            split = next((i for i, (_t, kind) in enumerate(self._lines) if kind == "heading"), len(self._lines))
            with VerticalScroll(id="history-body"):
                for text, kind in self._lines[:split]:
                    yield Text(text, classes=f"history-{kind}")
                if self._charts is not None and any(self._charts.sessions):
                    try:
                        from textual_plotext import PlotextPlot
                    except ImportError:  # the text lines below still say it all
                        pass
                    else:
                        yield PlotextPlot(id="chart-sessions", classes="history-plot")
                        if any(v is not None for v in self._charts.pain_before + self._charts.pain_after):
                            yield PlotextPlot(id="chart-pain", classes="history-plot")
                for text, kind in self._lines[split:]:
                    yield Text(text, classes=f"history-{kind}")
                if self._warning:
                    yield Text(self._warning, classes="history-warning")
            yield ControlButton("Close", "screen.close", id="btn-close-history")

    def on_mount(self) -> None:
        if self._charts is None:
            return
        data = self._charts
        x = list(range(1, len(data.weeks) + 1))
        for plot in self.query(".history-plot"):
            plt = plot.plt  # type: ignore[attr-defined]
            if plot.id == "chart-sessions":
                plt.title("Sessions per week" + (f" (line: {data.target} a week)" if data.target else ""))
                plt.bar(x, list(data.sessions), label="counted", width=0.6)
                if data.target:
                    plt.hline(data.target, "red")
                top = max(list(data.sessions) + [data.target, 1]) + 1
                plt.ylim(0, top)
                step = max(1, top // 5)
                plt.yticks(list(range(0, top + 1, step)))  # whole sessions
            else:
                plt.title("Pain (0-10), weekly average")
                for name, values, marker in (("before", data.pain_before, "o"), ("after", data.pain_after, "x")):
                    points = [(i, v) for i, v in zip(x, values) if v is not None]
                    if points:
                        plt.plot([p[0] for p in points], [p[1] for p in points], label=name, marker=marker)
                plt.ylim(0, 10)
                plt.yticks([0, 2, 4, 6, 8, 10])
            plt.xticks(x, list(data.weeks))  # after the data: plotting sets its own ticks

    def action_close(self) -> None:
        """Close the history."""
        self.dismiss(None)
