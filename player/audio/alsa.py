"""Keep ALSA from writing to the terminal.

libasound reports every failed lookup ("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate)
Unknown PCM default", one line per device it tries) straight to the C-level stderr,
which would scribble over a full-screen UI. Its error handler can be replaced; we
install one that drops the message. The audio libraries load the same libasound, so
one call covers miniaudio and simpleaudio alike.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading

# void handler(const char *file, int line, const char *function, int err, const char *fmt, ...)
# The variadic tail is never read, so a fixed prototype is safe to hand over.
_HANDLER_TYPE = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)


def _ignore(file: bytes | None, line: int, function: bytes | None, err: int, fmt: bytes | None) -> None:
    return None


# Module-level so the callback outlives every audio thread that might call it.
_HANDLER = _HANDLER_TYPE(_ignore)
_lock = threading.Lock()
_done = False


def silence_alsa() -> bool:
    """Replace ALSA's error printer with a no-op, once per process; False where there is no ALSA."""
    global _done
    with _lock:
        if _done:
            return True
        if not sys.platform.startswith("linux"):
            return False
        try:
            lib = _open_libasound()
            lib.snd_lib_error_set_handler.argtypes = [_HANDLER_TYPE]
            lib.snd_lib_error_set_handler.restype = ctypes.c_int
            lib.snd_lib_error_set_handler(_HANDLER)
        except (OSError, AttributeError):
            return False
        _done = True
        return True


def _open_libasound() -> ctypes.CDLL:
    """The libasound the audio libraries use: the soname first (fast), then a search (spawns ldconfig)."""
    try:
        return ctypes.CDLL("libasound.so.2")
    except OSError:
        name = ctypes.util.find_library("asound")
        if name is None:
            raise
        return ctypes.CDLL(name)
