"""`vmo play` hands --audio, --voice and --watch to the terminal UI, and to plain text without a terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

import player.ui as ui
from player.loader import load_routine


def _args(**kw: object) -> argparse.Namespace:
    base = dict(speed=2.0, mute=False, audio="none", voice=False, watch=True, routine="r.yaml")
    base.update(kw)
    return argparse.Namespace(**base)


def test_options_reach_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.yaml").write_text("name: R\nsteps:\n  - rest: 5\n")
    routine = load_routine(tmp_path / "r.yaml")
    seen = {}
    import player.ui.app as app_module

    monkeypatch.setattr(ui, "is_terminal", lambda: True)
    monkeypatch.setattr(app_module, "run_app", lambda app: seen.setdefault("app", app) and 0)
    assert ui.play(routine, _args()) == 0
    app = seen["app"]
    assert (app.audio_choice, app.voice, app.watch, app.speed) == ("none", False, "r.yaml", 2.0)
    seen.clear()
    ui.play(routine, _args(watch=False, audio=None, voice=None))
    assert (seen["app"].audio_choice, seen["app"]._voice, seen["app"].watch) == (None, None, None)


def test_without_a_terminal_the_options_reach_the_plain_player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.yaml").write_text("name: R\nsteps:\n  - rest: 5\n")
    routine = load_routine(tmp_path / "r.yaml")
    calls = []
    import player.plain as plain

    monkeypatch.setattr(ui, "is_terminal", lambda: False)
    monkeypatch.setattr(plain, "play_plain", lambda r, **kw: calls.append(kw) or 0)
    assert ui.play(routine, _args()) == 0
    assert calls == [dict(speed=2.0, mute=False, audio="none", voice=False, watch="r.yaml")]
