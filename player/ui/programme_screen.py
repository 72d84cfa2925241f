"""Programme screens: where the user is in a programme, a proposal to accept or decline, and the two questions
asked before a session (the next-day answer, the affected side).

The screens show what they are handed (player/ui/today.py computes it) and return typed
answers with `dismiss`; the app records them with the functions the commands use.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from player.planner import DueItem, Plan, Proposal, dose_note
from player.programme import Programme
from player.ui.keys import PROGRAMME_KEYS, bindings
from player.ui.safe import sanitize
from player.ui.widgets import ControlButton, Text

TICK, GAP = "✓", "·"


def ticks(done: int, wanted: int) -> str:
    """This week's days done as ticks, then a dot for each day still to do: `✓ ✓ ·`."""
    marks = [TICK] * done + [GAP] * max(0, wanted - done)
    return " ".join(marks)


def item_lines(item: DueItem) -> list[tuple[str, str]]:
    """A routine of the phase: (text, style) lines: its name, this week's ticks, today, each progressed dose."""
    if item.days:
        when = "on " + ", ".join(item.days)
    else:
        when = f"{item.days_a_week} day{'s' * (item.days_a_week != 1)} a week"
    state = "due today" if item.due_today else ("done today" if item.done_today and item.done_today >= item.times_a_day else "not today")
    lines = [
        (sanitize(item.routine_name), "bold"),
        (f"  This week: {ticks(item.days_done_this_week, item.days_a_week)}  ({item.days_done_this_week} of"
         f" {item.days_a_week} days, {when})", ""),
        (f"  Today: {item.done_today} of {item.times_a_day} · {state}", "$success" if item.due_today else "dim"),
    ]
    for name, values in item.dose.items():
        note = dose_note(values, item.previous_dose.get(name))
        lines.append((f"  {sanitize(name)}: {sanitize(note)}", ""))
    return lines


def programme_content(programme: Programme, result: Plan, on: date) -> Content:
    """The programme screen's text: phases (the current one marked), where the user is, this week, the doses."""
    parts: list[str | tuple[str, str]] = [(sanitize(programme.name), "bold"), "\n"]
    if programme.patient_name or programme.affected_side:
        who = [sanitize(programme.patient_name or "")]
        if programme.affected_side:
            who.append(f"affected side: {programme.affected_side}")
        parts += ["For: " + ", ".join(w for w in who if w), "\n"]
    if programme.clinician:
        parts += [f"Prescribed by: {sanitize(programme.clinician)}", "\n"]
    parts += ["\n", ("Phases", "bold"), "\n"]
    current = result.phase.index if result.phase is not None else None
    for i, phase in enumerate(programme.phases):
        weeks = f"{phase.weeks} week{'s' * (phase.weeks != 1)}" if phase.weeks else "no end"
        line = f"{'▶' if i == current else ' '} {i + 1}. {sanitize(phase.name)} ({weeks})"
        parts += [(line, "bold $accent") if i == current else line, "\n"]
    parts.append("\n")
    if result.stopped:
        parts.append(f"Stopped. 'vmo start {programme.id}' follows it again.")
    elif result.finished:
        parts.append("Finished. Well done.")
    elif result.started is None:
        parts.append(f"Not started. 'vmo start {programme.id}' starts following it.")
    elif result.phase is None:
        parts.append(f"Starts on {result.started.isoformat()}.")
    else:
        ph = result.phase
        parts += [(f"You are in phase {ph.index + 1}, week {ph.week}, day {ph.day}", "bold"),
                  f" (phase began {ph.first_day.isoformat()}; today is {on.isoformat()})", "\n\n"]
        for item in result.due:
            for text, style in item_lines(item):
                parts += [(text, style) if style else text, "\n"]
            parts.append("\n")
        if result.proposal is not None:
            parts += [(proposal_title(programme, result.proposal), "bold $warning"), "\n",
                      "Press a to see why and to accept or decline it."]
    return Content.assemble(*parts)


def proposal_title(programme: Programme, proposal: Proposal) -> str:
    """"Move up to Phase 2: load the knee?" or "Step back to …?"."""
    verb = "Move up" if proposal.kind == "advance" else "Step back"
    return f"{verb} to {sanitize(programme.phases[proposal.to_phase].name)}?"


class ProgrammeScreen(Screen[None]):
    """One programme: its phases, where the user is, this week's sessions as ticks, the doses."""

    CSS_PATH = str(Path(__file__).with_name("programme.tcss"))
    BINDINGS = bindings(PROGRAMME_KEYS)

    def __init__(self, programme: Programme, result: Plan, on: date) -> None:
        super().__init__()
        self.programme = programme
        self.plan = result
        self.on = on

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="programme"):
            yield Static(programme_content(self.programme, self.plan, self.on), id="programme-body")
        yield Footer(compact=True)

    def show(self, result: Plan) -> None:
        """Show the programme as it stands now (after a session, an accepted proposal)."""
        self.plan = result
        self.query_one("#programme-body", Static).update(programme_content(self.programme, result, self.on))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The proposal key only when one is pending; start only when something is due."""
        if action == "proposal":
            return self.plan.proposal is not None
        if action == "start_due":
            return any(i.due_today for i in self.plan.due)
        return True

    def action_proposal(self) -> None:
        """Show the pending proposal (the app records the answer)."""
        getattr(self.app, "open_proposal")(self.programme)

    def action_start_due(self) -> None:
        """Play this programme's next session due today."""
        getattr(self.app, "start_due")(self.programme)

    def action_close(self) -> None:
        """Back to the library."""
        self.dismiss(None)


class Choice(Enum):
    """The answer to a proposal."""

    ACCEPT = "accept"
    DECLINE = "decline"


class ProposalPrompt(ModalScreen["Choice | None"]):
    """A proposal and its reasons: a accepts, d declines, Esc decides later (None: nothing recorded)."""

    BINDINGS = [
        Binding("a", "answer('accept')", "Accept"),
        Binding("d", "answer('decline')", "Decline"),
        Binding("escape", "later", "Later", key_display="esc"),
    ]

    def __init__(self, programme: Programme, proposal: Proposal) -> None:
        super().__init__()
        self.programme = programme
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        with Vertical(id="proposal"):
            yield Text(proposal_title(self.programme, self.proposal), id="proposal-question")
            yield Text("Because:\n" + "\n".join(f"• {sanitize(r)}" for r in self.proposal.because), id="proposal-because")
            yield Text("Nothing changes unless you accept. Declined, it comes back after your next session.",
                       id="proposal-note")
            with Horizontal(id="proposal-buttons"):
                yield ControlButton("a Accept", "screen.answer('accept')", id="btn-accept")
                yield ControlButton("d Decline", "screen.answer('decline')", id="btn-decline")
                yield ControlButton("esc Later", "screen.later", id="btn-later")

    def action_answer(self, answer: str) -> None:
        """Close with the choice."""
        self.dismiss(Choice(answer))

    def action_later(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


NEXT_DAY_ANSWERS = ("better", "same", "worse")


class NextDayPrompt(ModalScreen["str | None"]):
    """The next-day question: b, s or w; Esc skips (None)."""

    BINDINGS = [
        Binding("b", "answer('better')", "Better"),
        Binding("s", "answer('same')", "Same"),
        Binding("w", "answer('worse')", "Worse"),
        Binding("escape", "answer('')", "Skip", key_display="esc"),
    ]

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area

    def compose(self) -> ComposeResult:
        with Vertical(id="next-day"):
            yield Text(next_day_question(self.area), id="next-day-question")
            with Horizontal(id="next-day-buttons"):
                yield ControlButton("b Better", "screen.answer('better')", id="btn-better")
                yield ControlButton("s Same", "screen.answer('same')", id="btn-same")
                yield ControlButton("w Worse", "screen.answer('worse')", id="btn-worse")
                yield ControlButton("esc Skip", "screen.answer('')", id="btn-skip-next-day")

    def action_answer(self, answer: str) -> None:
        """Close with the answer, or None when skipped."""
        self.dismiss(answer if answer in NEXT_DAY_ANSWERS else None)


def next_day_question(area: str) -> str:
    """The plain player's question, without its keys (the dialog shows them)."""
    from player.playprep import NEXT_DAY_QUESTION

    return NEXT_DAY_QUESTION.format(area=area).split("?")[0] + "?"


class SidePrompt(ModalScreen["str | None"]):
    """Which side is affected: l or r (remembered as the setting); Esc skips (None)."""

    BINDINGS = [
        Binding("l", "answer('left')", "Left"),
        Binding("r", "answer('right')", "Right"),
        Binding("escape", "answer('')", "Skip", key_display="esc"),
    ]

    def compose(self) -> ComposeResult:
        from player.playprep import SIDE_QUESTION

        with Vertical(id="affected-side"):
            yield Text(SIDE_QUESTION.split("?")[0] + "?", id="side-question")
            yield Text("Your answer is saved as the affected_side setting; --affected-side overrides it.", id="side-note")
            with Horizontal(id="side-buttons"):
                yield ControlButton("l Left", "screen.answer('left')", id="btn-left")
                yield ControlButton("r Right", "screen.answer('right')", id="btn-right")
                yield ControlButton("esc Skip", "screen.answer('')", id="btn-skip-side")

    def action_answer(self, answer: str) -> None:
        """Close with the side, or None when skipped."""
        self.dismiss(answer if answer in ("left", "right") else None)
