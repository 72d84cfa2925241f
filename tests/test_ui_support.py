"""Helpers for the UI tests: a fake clock, a recording cue player, small routines, an app factory.

(Named test_ui_* so it sits with the UI tests; it holds no tests itself.)
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from player.audio import CuePlayer, RecordingBackend
from player.history import HistoryFile, read_history
from player.loader import load_routine
from player.model import Routine
from player.settings import Settings
from player.ui.app import VmoApp

T0 = 1000.0


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


HOLDS = """\
id: test-holds
name: Test holds
category: activation
summary: Two holds a side.
description: A short routine for the tests.
safety:
  - "Stop if it hurts sharply."
  - "Second note."
steps:
  - name: Quad set
    hold: 10s
    reps: 2
    relax: 5s
    sides: both
    switch: 5s
    prepare: 5s
    instructions: Tighten the thigh.
    cues: ["Press the knee down", "Keep breathing"]
    equipment: [towel]
  - rest: 20s
  - name: Lunges
    reps: 8
    prepare: 0
"""

MANUAL = """\
id: test-manual
name: Test manual
steps:
  - name: Lunges
    reps: 8
    prepare: 0
  - name: Calf raise
    duration: 10s
    prepare: 0
"""

CRAMP = """\
id: test-cramp
name: Test cramp
category: cramp
safety: ["Get help if it does not ease."]
steps:
  - name: Gentle stretch
    hold: 30s
    prepare: 0
    relax: 0
    until_eased: true
    escalate_after: 60s
    escalate: "Still cramping: get urgent medical advice."
  - name: Walk it off
    duration: 10s
    prepare: 0
"""

PAIN = """\
id: test-pain
name: Test pain
ask_pain: true
steps:
  - name: Short
    duration: 5s
    prepare: 0
"""

HOSTILE_NAME = "Press [Enter] then [@click=app.quit]go[/]"
HOSTILE = f"""\
id: test-hostile
name: "{HOSTILE_NAME}"
summary: "[b]not bold[/b] [red]not red[/red]"
safety: ["[@click=app.quit]click me[/]"]
steps:
  - name: "[@click=app.quit]Squat[/] [bold]now"
    duration: 10s
    prepare: 0
    instructions: "Use [link=https://example.com]this[/link] and ${{var}}"
    cues: ["[reverse]cue[/]"]
"""


def write_routine(folder: Path, text: str, name: str = "routine.yaml") -> Path:
    """Write a routine file into `folder` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(folder: Path, text: str, name: str = "routine.yaml") -> Routine:
    """Write and load a routine."""
    return load_routine(write_routine(folder, text, name))


def recording_cues(voice: bool = False) -> CuePlayer:
    """A cue player that records what it plays and plays nothing."""
    return CuePlayer(RecordingBackend(), voice=voice)


def played(app: VmoApp) -> list[str]:
    """The sounds the app's cue player started, in order."""
    assert app.cues is not None
    return list(app.cues.backend.played)  # type: ignore[attr-defined]


def make_app(data_dir: Path, clock: Any, **kwargs: Any) -> VmoApp:
    """A VmoApp with `clock` (a FakeClock), a recording cue player and a history file in `data_dir`."""
    kwargs.setdefault("clock", clock)
    kwargs.setdefault("settings", Settings(voice=False))
    kwargs.setdefault("cues", recording_cues())
    kwargs.setdefault("store", HistoryFile(data_dir / "history.jsonl"))
    kwargs.setdefault("graphics", None)  # text only, whatever terminal runs the tests
    return VmoApp(**kwargs)


def history(data_dir: Path) -> list[Any]:
    """The records written to the test's history file."""
    return read_history(data_dir / "history.jsonl")


async def run_for(app: VmoApp, pilot: Any, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Let `seconds` pass on the fake clock in steps, ticking the app at each, as its timer would."""
    left = seconds
    while left > 1e-9:
        dt = min(step, left)
        clock.advance(dt)
        left -= dt
        app.tick()
    await pilot.pause()


def texts(screen: Any) -> str:
    """Every text the screen's Static widgets show (plain, as displayed), one widget per line."""
    from textual.widgets import Static

    from player.ui.widgets import Text

    shown = []
    for widget in screen.query(Static):
        if not widget.display or widget.has_class("-empty"):
            continue
        shown.append(widget.text if isinstance(widget, Text) else str(widget.visual))
    return "\n".join(shown)


def async_test(fn: Any) -> Any:
    """Run an async test function in a fresh event loop (no asyncio plugin is installed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(fn(*args, **kwargs))

    return wrapper
