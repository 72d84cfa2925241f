"""Text from outside made safe for a terminal, and output streams that cannot crash on the locale.

`sanitize` is the one function every writer uses for text that comes from
outside vmo (routine files, file names, the history, the settings): control
characters (C0, DEL, C1), bidirectional controls (marks, embeddings,
overrides, isolates) and the Unicode line and paragraph separators are shown
visibly as `U+XXXX`, never sent raw. `json_safe` does the same for a JSON
document without changing its data (`\\uXXXX` escapes). `protect_streams`
makes stdout and stderr write `...` for `…` (and similar) on a terminal whose
encoding lacks a character, instead of raising UnicodeEncodeError.

Tiny and free of imports beyond the standard library: every command and screen uses it.
"""

from __future__ import annotations

import codecs
import re
import sys
from typing import TextIO

# C0 except tab and newline, DEL, C1; bidi marks, embeddings, overrides and isolates; U+2028/U+2029.
_UNSAFE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE = re.compile(f"[{_UNSAFE_CHARS}]")
_UNSAFE_LINE = re.compile(f"[\t\n{_UNSAFE_CHARS}]")


def _code_point(m: re.Match[str]) -> str:
    return f"U+{ord(m.group()):04X}"


def sanitize(text: str, *, one_line: bool = False) -> str:
    """`text` safe to print on a terminal: every control or bidi-control character shown as U+XXXX.

    Tabs and line breaks are kept, unless `one_line` (a table cell, a file name
    in a problem line), where they are shown as U+0009 and U+000A too.
    """
    return (_UNSAFE_LINE if one_line else _UNSAFE).sub(_code_point, text)


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


_UNSAFE_JSON = re.compile(f"[{_UNSAFE_CHARS}\t\n]")


def json_safe(document: str) -> str:
    """A JSON document with the characters `sanitize` escapes written as `\\uXXXX`: the same data, safe to show.

    Raw, such characters can only stand inside JSON strings, where the escape means the same character.
    """
    return _UNSAFE_JSON.sub(_json_escape, document)


# -- output in any locale --

# What a terminal that cannot show a character gets instead (ISO-8859-1, ASCII...).
ASCII_FALLBACK = {
    "…": "...", "—": "-", "–": "-", "−": "-", "→": "->", "←": "<-", "↑": "^", "↓": "v",
    "·": "-", "•": "*", "✓": "v", "✔": "v", "✗": "x", "×": "x", "’": "'", "‘": "'",
    "“": '"', "”": '"', "≥": ">=", "≤": "<=", "≈": "~", "°": " deg", "█": "#", "▌": "|",
    "▐": "|", "━": "=", "─": "-", "│": "|", "┃": "|", "▶": ">", "⏸": "||", "■": "#", "□": "_",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}
ERRORS = "vmo-fallback"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    part = exc.object[exc.start : exc.end]
    return "".join(ASCII_FALLBACK.get(c) or c.encode("ascii", "backslashreplace").decode() for c in part), exc.end


codecs.register_error(ERRORS, _fallback)

# For a full-screen UI, a stand-in must take exactly the cells the character took, or the layout
# shifts: box drawing and blocks become one ASCII character, anything else '?' (two for a wide one).
CELL_ERRORS = "vmo-cells"
_BOXES = {
    **dict.fromkeys("─━═╌╍┄┅╴╶╸╺╼╾", "-"),
    **dict.fromkeys("│┃║╎╏┆┇╵╷╹╻╽╿", "|"),
    **dict.fromkeys("╭╮╯╰┌┐└┘┏┓┗┛╔╗╚╝├┤┬┴┼┣┫┳┻╋╠╣╦╩╬╪╫┝┥┯┷┿", "+"),
    **dict.fromkeys("█▇▆▅▄▓▒■", "#"), **dict.fromkeys("▌▐▍▎▏░▁▂▃", "|"), "▀": "^", "•": "*", "·": ".",
    "…": ".", "—": "-", "–": "-", "→": ">", "←": "<", "↑": "^", "↓": "v", "▶": ">", "◀": "<", "▸": ">",
    "✓": "v", "✔": "v", "✗": "x", "×": "x", "’": "'", "‘": "'", "“": '"', "”": '"', "›": ">", "‹": "<",
    "\u00a0": " ", "⏸": "=",
}


def _cells(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    import unicodedata

    out = []
    for c in exc.object[exc.start : exc.end]:
        if c in _BOXES:
            out.append(_BOXES[c])
        elif unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue  # takes no cell
        else:
            out.append("??" if unicodedata.east_asian_width(c) in "WF" else "?")
    return "".join(out), exc.end


codecs.register_error(CELL_ERRORS, _cells)


def protect_stream(stream: TextIO | None) -> None:
    """Make `stream` write an ASCII stand-in for a character its encoding lacks, never raise."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    try:
        reconfigure(errors=ERRORS)
    except (ValueError, OSError, AttributeError):  # closed, or not a TextIOWrapper after all
        pass


def protect_streams() -> None:
    """`protect_stream` for stdout and stderr."""
    protect_stream(sys.stdout)
    protect_stream(sys.stderr)


def silence_stream(stream: TextIO | None) -> None:
    """Point a stream whose reader went away at /dev/null, so Python's flush at exit neither fails nor says so."""
    import os

    try:
        fd = stream.fileno()  # type: ignore[union-attr]
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (AttributeError, ValueError, OSError):
        pass


# What a full-screen app turned on, turned off again: mouse reporting (all modes), bracketed paste,
# focus events, the kitty keyboard protocol; line wrap and the cursor back; out of the alternate screen.
TERMINAL_RESET = (
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[<u"
    "\x1b[?7h\x1b[?25h\x1b[?1049l"
)


def restore_terminal(out_fd: int | None, in_fd: int | None, attrs: list | None) -> None:
    """Best effort, never blocking: leave the alternate screen, stop mouse reporting, restore termios `attrs`.

    For a hang-up (SIGHUP) that may come with the terminal still open (`kill -HUP`):
    whatever can be restored is, and a terminal that is really gone costs nothing.
    """
    import os

    if attrs is not None and in_fd is not None:
        try:
            import termios

            termios.tcsetattr(in_fd, termios.TCSANOW, attrs)
        except (ImportError, OSError, ValueError, Exception):  # termios.error is not an OSError
            pass
    if out_fd is None:
        return
    try:
        import fcntl

        flags = fcntl.fcntl(out_fd, fcntl.F_GETFL)
        fcntl.fcntl(out_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        os.write(out_fd, TERMINAL_RESET.encode("ascii"))
    except (ImportError, OSError, ValueError):
        pass


def restore_app_terminal(app: object) -> None:
    """`restore_terminal` for a Textual app's driver (its output and input descriptors, its saved termios)."""
    driver = getattr(app, "_driver", None)
    if driver is None:
        return
    try:
        out_fd = driver._file.fileno()
    except (AttributeError, ValueError, OSError):
        out_fd = None
    restore_terminal(out_fd, getattr(driver, "fileno", None), getattr(driver, "attrs_before", None))


_ascii_drawing: bool | None = None


def ascii_drawing() -> bool:
    """Whether the UI must draw in ASCII: its output (stderr, where Textual writes) cannot encode UTF-8.

    Decided once per process; `set_ascii_drawing` overrides it (tests, or a caller that knows better).
    """
    global _ascii_drawing
    if _ascii_drawing is None:
        _ascii_drawing = not is_utf8(sys.__stderr__)
    return _ascii_drawing


def set_ascii_drawing(value: bool | None) -> None:
    """Force ASCII drawing on or off (None: detect again)."""
    global _ascii_drawing
    _ascii_drawing = value


def is_utf8(stream: TextIO | None = None) -> bool:
    """Whether `stream` (default stdout) encodes UTF-8, so box-drawing and digit glyphs can be drawn."""
    encoding = getattr(sys.stdout if stream is None else stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False
