"""Small modal questions: stop the routine?, the 0–10 pain rating, how many reps. Each returns a typed result."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from player.pain import PainAnswerInvalid, parse_pain_answer
from player.ui.widgets import ControlButton, Text


class ConfirmStop(ModalScreen[bool]):
    """"Stop this routine?": y stops (True), n or Esc keeps playing (False)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Stop"),
        Binding("n,escape", "answer(False)", "Keep going", key_display="n"),
        Binding("q", "answer(True)", "Stop", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Text("Stop this routine? y / n", id="confirm-question")
            yield Text("What you played is still recorded.", id="confirm-note")
            with Horizontal(id="confirm-buttons"):
                yield ControlButton("Stop", "screen.answer(True)", id="btn-stop")
                yield ControlButton("Keep going", "screen.answer(False)", id="btn-keep")

    def action_answer(self, stop: bool) -> None:
        """Close with the answer."""
        self.dismiss(stop)


class PainPrompt(ModalScreen["int | None"]):
    """Pain 0–10: type a number and Enter, or click one; Esc (or Enter on nothing) skips with None."""

    BINDINGS = [Binding("escape", "skip", "Skip", key_display="esc")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="pain"):
            yield Text(self._question, id="pain-question")
            yield Input(placeholder="0 to 10, Enter; Esc skips", id="pain-input", restrict=r"[0-9/ ]*", max_length=5)
            yield Text("", id="pain-error")
            with Grid(id="pain-buttons"):
                for n in range(11):
                    yield ControlButton(str(n), f"screen.pick({n})", id=f"pain-{n}")
                yield ControlButton("Skip", "screen.skip", id="pain-skip")

    @on(Input.Submitted, "#pain-input")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            rating = parse_pain_answer(event.value)
        except PainAnswerInvalid as exc:
            self.query_one("#pain-error", Text).show(str(exc))
            return
        self.dismiss(rating)

    def action_pick(self, rating: int) -> None:
        """A number was clicked."""
        self.dismiss(rating)

    def action_skip(self) -> None:
        """No rating this time."""
        self.dismiss(None)


class CountPrompt(ModalScreen["int | None"]):
    """After a `reps: max` set: how many were done? A number and Enter; Esc (or Enter on nothing) skips with None."""

    BINDINGS = [Binding("escape", "skip", "Skip", key_display="esc")]

    def __init__(self, exercise: str) -> None:
        super().__init__()
        self._exercise = exercise

    def compose(self) -> ComposeResult:
        with Vertical(id="count"):
            yield Text(f"How many did you do? ({self._exercise})", id="count-question")
            yield Input(placeholder="a number, Enter; Esc skips", id="count-input", restrict=r"[0-9]*", max_length=5)
            with Horizontal(id="confirm-buttons"):
                yield ControlButton("Skip", "screen.skip", id="count-skip")

    @on(Input.Submitted, "#count-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(int(text) if text.isdigit() else None)

    def action_skip(self) -> None:
        """No count this time."""
        self.dismiss(None)
