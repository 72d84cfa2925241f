"""Choosing a backend for `--audio auto|miniaudio|simpleaudio|none`, with at most one notice."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any, Callable

from player.audio.alsa import silence_alsa
from player.audio.backend import Backend, SilentBackend

# `bell`: no audio library, the terminal bell per cue; `none`: nothing at all (like --mute).
BACKEND_CHOICES = ("auto", "miniaudio", "simpleaudio", "bell", "none")
# auto's order: simpleaudio only when the user installed the extra, then the default dependency.
# simpleaudio 1.0.4 (its last release, 2019) kills the process with SIGSEGV at its first sound on
# Python 3.12 and 3.13 (its playback thread and the new GIL API): never used there, whoever installed it.
SIMPLEAUDIO_WORKS = sys.version_info < (3, 12)
_AUTO_ORDER = ("simpleaudio", "miniaudio")
_INSTALL_HINT = {"simpleaudio": "pip install 'vmo[simpleaudio]'", "miniaudio": "pip install miniaudio"}


def _construct(kind: str, options: dict[str, Any]) -> Any:
    """The backend `kind`, probed; raises ImportError when its library is missing."""
    if kind == "miniaudio":
        from player.audio.mini import MiniaudioBackend

        backend: Any = MiniaudioBackend(**options)
    else:
        from player.audio.simple import SimpleaudioBackend

        backend = SimpleaudioBackend()
    try:
        backend.probe()
    except Exception:
        backend.close()
        raise
    return backend


def _why(exc: BaseException) -> str:
    """One short clause from an audio library's exception (they run long and repeat themselves)."""
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    text = first.split(" -- MSG: ")[-1].strip() or type(exc).__name__
    return text.splitlines()[0][:120]


def select_backend(
    choice: str = "auto",
    *,
    bell: Callable[[], None] | None = None,
    miniaudio_options: dict[str, Any] | None = None,
) -> tuple[Backend, str | None]:
    """The backend for `choice`, and a one-line notice when it had to fall back (else None).

    Nothing is printed: the caller shows the notice once, where its UI can. Without a
    device the result is a SilentBackend that calls `bell` on each cue.
    """
    if choice not in BACKEND_CHOICES:
        raise ValueError(f"audio backend must be one of {', '.join(BACKEND_CHOICES)}, got {choice!r}")
    if choice in ("bell", "none"):
        return SilentBackend(bell if choice == "bell" else None), None
    silence_alsa()  # before any library touches ALSA, so a missing card prints nothing
    order = _AUTO_ORDER if choice == "auto" else (choice,)
    missing: list[str] = []
    no_device: list[str] = []
    for kind in order:
        if kind == "simpleaudio" and not SIMPLEAUDIO_WORKS:
            # auto passes over it in silence unless someone installed it anyway; a choice of it is answered
            if choice != "auto" or importlib.util.find_spec("simpleaudio") is not None:
                missing.append(f"simpleaudio crashes on Python {sys.version_info[0]}.{sys.version_info[1]}, so vmo does not use it")
            continue
        try:
            backend = _construct(kind, miniaudio_options or {})
        except ImportError:
            # auto skips a library that is not installed without comment; an explicit choice says so.
            if choice != "auto" or kind == "miniaudio":
                missing.append(f"{kind} is not installed ({_INSTALL_HINT[kind]})")
            continue
        except Exception as exc:
            no_device.append(f"{kind}: {_why(exc)}")
            continue
        if no_device or missing:
            return backend, f"{_reasons(missing, no_device)}; using {kind}"
        return backend, None
    instead = "cues ring the terminal bell instead" if bell is not None else "cues are silent"
    return SilentBackend(bell), f"no sound: {_reasons(missing, no_device)}; {instead}"


def _reasons(missing: list[str], no_device: list[str]) -> str:
    parts = list(missing)
    if no_device:
        parts.append(f"could not open a sound device ({'; '.join(no_device)})")
    return "; ".join(parts)
