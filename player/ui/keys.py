"""The keys of each screen, in one table: the bindings and the help screen are built from it.

Actions are the app's (`app.` prefix): the app owns the session, screens only
show it. The player binds `n` twice, to `next` and to `easing_no`; the app's
`check_action` enables exactly one of them, so `n` means "not easing" while the
player asks "Is it easing?" and "next" otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One key (or several, comma-separated) of a screen and what it does."""

    keys: str
    action: str
    footer: str          # the short word in the footer
    help: str            # the sentence on the help screen
    display: str | None = None
    show: bool = True

    def binding(self) -> Binding:
        """The Textual binding for this key."""
        return Binding(self.keys, self.action, self.footer, show=self.show, key_display=self.display)


PLAYER_KEYS: tuple[Key, ...] = (
    Key("space", "app.pause", "Pause", "Pause the clock", display="space"),
    Key("space", "app.resume", "Resume", "Resume after a pause", display="space"),
    Key("n,right", "app.next", "Next", "Next segment (also →)", display="n"),
    Key("b,left", "app.back", "Back", "Restart this segment, or back one if it just began (also ←)", display="b"),
    Key("N", "app.skip_exercise", "Skip ex.", "Skip the rest of this exercise", display="N"),
    Key("plus,equals_sign", "app.longer", "+10s", "Ten seconds more of this segment", display="+"),
    Key("minus,underscore", "app.shorter", "-10s", "Ten seconds less of this segment", display="-"),
    Key("enter,d", "app.done", "Done", "Done with reps at your own pace (also Enter)", display="d"),
    Key("y", "app.easing_yes", "Easing", "Yes, the cramp is easing: move on"),
    Key("n", "app.easing_no", "Not easing", "No, not easing yet: hold the stretch again"),
    Key("m", "app.toggle_mute", "Mute", "Sound off or on"),
    Key("v", "app.toggle_voice", "Voice", "Spoken cues or plain tones"),
    Key("h", "app.history", "History", "Sessions played, and sessions per week"),
    Key("c", "app.cramp", "Cramp", "Cramp help right now (the routine pauses)"),
    Key("question_mark", "app.help", "Help", "This help", display="?"),
    Key("q", "app.quit_player", "Quit", "Stop the routine (asks first) or quit"),
)

LIBRARY_KEYS: tuple[Key, ...] = (
    Key("enter", "screen.start", "Start", "Start the highlighted routine (or click it)"),
    Key("up", "screen.cursor(-1)", "Up", "Previous routine", display="↑", show=False),
    Key("down", "screen.cursor(1)", "Down", "Next routine", display="↓", show=False),
    Key("escape", "screen.clear_filter", "Clear", "Clear the filter", display="esc"),
    Key("f1", "app.help", "Help", "This help"),
    Key("f2", "app.history", "History", "Sessions played, and sessions per week"),
    Key("f3", "app.cramp", "Cramp", "Cramp help right now"),
    Key("ctrl+q", "app.quit", "Quit", "Quit vmo", display="^q"),
)

SUMMARY_KEYS: tuple[Key, ...] = (
    Key("enter,escape", "app.close_summary", "Close", "Back to the library, or quit after `vmo play`", display="enter"),
    Key("h", "app.history", "History", "Sessions played, and sessions per week"),
    Key("question_mark", "app.help", "Help", "This help", display="?"),
    Key("q", "app.quit", "Quit", "Quit vmo"),
)

BEFORE_KEYS: tuple[Key, ...] = (
    Key("enter,space", "screen.go", "Start", "I have read this: start the routine", display="enter"),
    Key("escape,q", "screen.cancel", "Back", "Don't start", display="esc"),
)


def bindings(keys: tuple[Key, ...]) -> list[Binding]:
    """The Textual bindings of a key table."""
    return [k.binding() for k in keys]


def help_rows(keys: tuple[Key, ...]) -> list[tuple[str, str]]:
    """(keys as shown, what they do) for the help screen; a key bound twice appears once per meaning."""
    rows = []
    for k in keys:
        shown = k.display or k.keys
        extra = [name for name in k.keys.split(",")[1:] if name not in ("equals_sign", "underscore")]
        if extra and k.display:
            names = {"right": "→", "left": "←", "enter": "Enter", "space": "space", "escape": "esc", "q": "q"}
            shown = " / ".join([k.display] + [names.get(e, e) for e in extra])
        rows.append((shown, k.help))
    return rows
