"""Audio cues: backends that play decoded sounds, and the glue from engine events to them.

Importing this package loads no audio library; `select_backend` does, when asked.
Adapters (the Textual app, the plain player) usually need only `open_cue_player`.
"""

from __future__ import annotations

from typing import Callable, Mapping

from player.audio.backend import Backend, RecordingBackend, SilentBackend, terminal_bell
from player.audio.cues import SETTING_KEY, CuePlayer
from player.audio.pcm import SoundError
from player.audio.select import BACKEND_CHOICES, select_backend
from player.audio.speech import Speaker, find_speech_program

__all__ = [
    "BACKEND_CHOICES", "SETTING_KEY", "Backend", "CuePlayer", "RecordingBackend", "SilentBackend",
    "SoundError", "Speaker", "find_speech_program", "open_cue_player",
    "select_backend", "terminal_bell",
]


def open_cue_player(
    audio: str = "auto",
    *,
    voice: bool = True,
    mute: bool = False,
    bell: Callable[[], None] | None = None,
    user_sounds: Mapping[str, str] | None = None,
) -> tuple[CuePlayer, str | None]:
    """A ready CuePlayer for `--audio`, `--voice/--no-voice` and `--mute`, and the one-line notice to show (or None).

    `bell` is what the silent fallback calls per cue: the Textual app's `bell`, or
    `terminal_bell(sys.stdout)` in the plain player; never raw BEL behind Textual's back.
    """
    if mute:
        backend: Backend = SilentBackend(None)
        notice = None
    else:
        backend, notice = select_backend(audio, bell=bell)
    speak = None
    # A speaker even with voice off, so toggling voice on later has one; none without sound.
    if not isinstance(backend, SilentBackend) and (program := find_speech_program()) is not None:
        speak = Speaker(backend, program)
    player = CuePlayer(backend, voice=voice, speak=speak, user_sounds=user_sounds)
    return player, notice
