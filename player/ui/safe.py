"""Routine text made safe for the screen. Tiny on purpose: every screen imports it."""

from __future__ import annotations

from player.terminal import sanitize as _sanitize


def sanitize(text: str) -> str:
    """Routine text safe for the screen: control and bidi-control characters shown as U+XXXX.

    The loader rejects control characters in files, but text also comes from
    the history file and from paths; a bidi override would reorder the line.
    The one function is player.terminal.sanitize; this name stays for the screens.
    """
    return _sanitize(text)


# Textual's 3x3 digit glyphs drawn with ASCII only, for a terminal that is not UTF-8: the
# order of textual.renderables.digits.DIGITS (" 0123456789+-^x:ABCDEF$£€()"), three rows each.
_ASCII_GLYPHS = {
    " ": ("   ", "   ", "   "),
    "0": (" _ ", "| |", "|_|"), "1": ("   ", "  |", "  |"), "2": (" _ ", " _|", "|_ "),
    "3": (" _ ", " _|", " _|"), "4": ("   ", "|_|", "  |"), "5": (" _ ", "|_ ", " _|"),
    "6": (" _ ", "|_ ", "|_|"), "7": (" _ ", "  |", "  |"), "8": (" _ ", "|_|", "|_|"),
    "9": (" _ ", "|_|", " _|"), "+": ("   ", "-+-", "   "), "-": ("   ", "---", "   "),
    "^": (" ^ ", "   ", "   "), "x": ("   ", " x ", "   "), ":": ("   ", " o ", " o "),
    "A": (" _ ", "|_|", "| |"), "B": ("   ", "|_ ", "|_|"), "C": (" _ ", "|  ", "|_ "),
    "D": ("   ", " _|", "|_|"), "E": (" _ ", "|_ ", "|_ "), "F": (" _ ", "|_ ", "|  "),
    "$": (" _ ", "(|_", " _)"), "£": (" _ ", "_|_", "|__"), "€": (" _ ", "=|_", "=|_"),
    "(": ("  /", " | ", "  \\"), ")": ("\\  ", " | ", "  /"),
}


def use_ascii_drawing() -> bool:
    """Before a full-screen app starts: on a non-UTF-8 terminal, draw digits, bars and boxes in ASCII.

    Textual would otherwise write `\\u2501`-style escapes for every glyph the encoding
    lacks, and the countdown would be unreadable. Returns whether ASCII drawing is on.
    """
    import sys

    from player.terminal import CELL_ERRORS, ascii_drawing

    if not ascii_drawing():
        return False
    from textual.renderables import digits

    table = [row for char in digits.DIGITS for row in _ASCII_GLYPHS.get(char, ("   ", f" {char} ", "   "))]
    digits.DIGITS3X3 = table
    digits.DIGITS3X3_BOLD = table
    digits.Digits.REPLACEMENTS = str.maketrans({})
    try:
        from player.ui.meters import glyph_rows

        glyph_rows.cache_clear()
    except ImportError:
        pass
    for stream in (sys.__stderr__, sys.__stdout__):
        try:
            stream.reconfigure(errors=CELL_ERRORS)  # borders and the rest: one ASCII cell per cell
        except (AttributeError, ValueError, OSError):
            pass
    return True
