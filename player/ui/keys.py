"""The keys of each screen, in one table: the bindings and the help screen are built from it.

Actions are the app's (`app.` prefix): the app owns the session, screens only
show it. The player binds `n` twice, to `next` and to `easing_no`; the app's
`check_action` enables exactly one of them, so `n` means "not easing" while the
player asks "Is it easing?" and "next" otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding



@dataclass(frozen=True, slots=True)
class Key:
    """One key (or several, comma-separated) of a screen and what it does."""

    keys: str
    action: str
    footer: str          # the short word in the footer
    help: str            # the sentence on the help screen
    display: str | None = None
    show: bool = True
    in_help: bool = True
    group: Binding.Group | None = None  # neighbours in a group share one footer label
    priority: bool = False  # before the focused widget (the library's filter would take Enter)

    def binding(self) -> Binding:
        """The Textual binding for this key."""
        return Binding(
            self.keys, self.action, self.footer, show=self.show, key_display=self.display, group=self.group,
            priority=self.priority,
        )


# The footer must hold every player key at 80 columns, so related keys share a label.
_TEN_SECONDS = Binding.Group("10s", compact=True)
_SOUND = Binding.Group("Sound", compact=True)


PLAYER_KEYS: tuple[Key, ...] = (
    Key("space", "app.pause", "Pause", "Pause the clock; again to resume", display="␣"),
    Key("space", "app.resume", "Resume", "Resume after a pause", display="␣", in_help=False),
    Key("n,right", "app.next", "Next", "Next segment", display="n"),
    Key("b,left", "app.back", "Back", "Restart this segment, or back one if it just began", display="b"),
    Key("N", "app.skip_exercise", "Skip", "Skip the rest of this exercise", display="N"),
    Key("plus,equals_sign", "app.longer", "+10s", "Ten seconds more of this segment", display="+", group=_TEN_SECONDS),
    Key("minus,underscore", "app.shorter", "-10s", "Ten seconds less of this segment", display="-", group=_TEN_SECONDS),
    Key("enter,d", "app.done", "Done", "Done with the reps at your own pace", display="d"),
    Key("y", "app.easing_yes", "Yes", "Yes, the cramp is easing: move on"),
    Key("n", "app.easing_no", "No", "No, not easing yet: hold the stretch again"),
    Key("m", "app.toggle_mute", "Mute", "Sound off or on", group=_SOUND),
    Key("v", "app.toggle_voice", "Voice", "Spoken cues or plain tones", group=_SOUND),
    Key("p", "app.toggle_picture", "Picture", "Show or hide the exercise's picture", show=False),
    Key("h", "app.history", "History", "Sessions played, and sessions per week"),
    Key("c", "app.cramp", "Cramp", "Cramp help right now (the routine pauses)"),
    Key("question_mark", "app.help", "Help", "This help", display="?"),
    Key("q", "app.quit_player", "Quit", "Stop the routine (asks first) or quit"),
)

# The filter takes every letter, so the library's commands are on keys that type nothing.
LIBRARY_KEYS: tuple[Key, ...] = (
    Key("enter", "screen.start", "Start", "Start the highlighted routine (or click it)", priority=True),
    Key("up", "screen.cursor(-1)", "Up", "Previous routine", display="↑", show=False, priority=True),
    Key("down", "screen.cursor(1)", "Down", "Next routine", display="↓", show=False, priority=True),
    Key("escape", "screen.clear_filter", "Clear", "Clear the filter", display="esc"),
    Key("f5", "app.start_due", "Due", "Start the next session due today (a programme's, with its dose)"),
    Key("f6", "screen.open_programme", "Programme", "The highlighted programme: phases, this week, doses"),
    Key("f1", "app.help", "Help", "This help"),
    Key("f2", "app.history", "History", "Sessions played, and sessions per week"),
    Key("f3", "app.cramp", "Cramp", "Cramp help right now"),
    Key("f10,ctrl+q", "app.quit", "Quit", "Quit vmo", display="f10"),
)

SUMMARY_KEYS: tuple[Key, ...] = (
    Key("enter,escape", "app.close_summary", "Close", "Back to the library, or quit after `vmo play`", display="enter"),
    Key("h", "app.history", "History", "Sessions played, and sessions per week"),
    Key("c", "app.cramp", "Cramp", "Cramp help right now"),
    Key("question_mark", "app.help", "Help", "This help", display="?"),
    Key("q", "app.quit", "Quit", "Quit vmo"),
)

PROGRAMME_KEYS: tuple[Key, ...] = (
    Key("enter,f5", "screen.start_due", "Start", "Start this programme's next session due today", display="enter"),
    Key("a", "screen.proposal", "Proposal", "The proposal to move up or step back: accept or decline it"),
    Key("escape,q", "screen.close", "Back", "Back to the library", display="esc"),
    Key("question_mark,f1", "app.help", "Help", "This help", display="?"),
)

BEFORE_KEYS: tuple[Key, ...] = (
    Key("enter,space", "screen.go", "Start", "I have read this: start the routine", display="enter"),
    Key("escape,q", "screen.cancel", "Back", "Don't start", display="esc"),
    Key("c", "app.cramp", "Cramp", "Cramp help right now"),
    Key("question_mark", "app.help", "Help", "This help", display="?"),
)


def bindings(keys: tuple[Key, ...]) -> list[Binding]:
    """The Textual bindings of a key table."""
    return [k.binding() for k in keys]


# How the help screen names keys; None: an alias not worth a mention (= for +, _ for -).
_KEY_NAMES: dict[str, str | None] = {
    "space": "space", "right": "→", "left": "←", "up": "↑", "down": "↓", "plus": "+", "minus": "-",
    "equals_sign": None, "underscore": None, "enter": "Enter", "escape": "Esc", "question_mark": "?",
    "ctrl+q": "Ctrl+q", "f1": "F1", "f2": "F2", "f3": "F3", "f5": "F5", "f6": "F6", "f10": "F10",
}


def key_names(keys: str) -> str:
    """The keys of a binding as the help screen shows them: `n / →`."""
    names = [_KEY_NAMES.get(k, k) for k in keys.split(",")]
    return " / ".join(n for n in names if n)


def help_rows(keys: tuple[Key, ...]) -> list[tuple[str, str]]:
    """(keys, what they do) for the help screen, one row per meaning."""
    return [(key_names(k.keys), k.help) for k in keys if k.in_help]
