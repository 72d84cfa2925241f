"""The garbage collector waits during start-up and is always back on afterwards."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest

from player import startup
from player.cli import main


def test_collector_is_paused_in_the_block_and_back_after() -> None:
    assert gc.isenabled()
    with startup.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_first_frame_turns_it_back_on_once() -> None:
    with startup.collector_paused():
        startup.first_frame_shown()
        assert gc.isenabled()
        gc.disable()  # somebody else's choice after start-up is left alone
        startup.first_frame_shown()
        assert not gc.isenabled()
        gc.enable()
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with startup.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_vmo_returns_with_the_collector_on(capsys: object) -> None:
    assert main(["schema"]) == 0
    assert gc.isenabled()
    assert main(["play", "no-such-routine"]) != 0  # an error path too
    assert gc.isenabled()


def _collector_on_after_first_frame(app: object) -> bool:
    """Run `app` from inside a start-up pause; whether the collector runs once its first frame is out."""
    seen: list[bool] = []

    async def scenario() -> None:
        with startup.collector_paused():
            async with app.run_test() as pilot:  # type: ignore[attr-defined]
                await pilot.pause()
                seen.append(gc.isenabled())
                await pilot.press("q")

    asyncio.run(scenario())
    return seen == [True]


def test_the_cramp_app_turns_it_on_after_its_first_frame(data_dir: Path) -> None:
    from player.ui.cramp import CrampApp

    assert _collector_on_after_first_frame(CrampApp(mute=True))


def test_the_main_app_turns_it_on_after_its_first_frame(data_dir: Path) -> None:
    from test_ui_support import FakeClock, make_app

    assert _collector_on_after_first_frame(make_app(data_dir, FakeClock(), entries=[]))


def _collector_seen_by_commands(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Whether the collector runs when each command does its work (the plain player's loop, or `run`)."""
    import player.commands.schema as schema
    import player.plain as plain

    seen: list[tuple[str, bool]] = []
    monkeypatch.setattr(plain.PlainPlayer, "run", lambda self: seen.append(("plain", gc.isenabled())) or 0)
    real_schema = schema.run
    monkeypatch.setattr(schema, "run", lambda args: seen.append(("schema", gc.isenabled())) or real_schema(args))
    return seen


def test_commands_without_a_screen_and_the_plain_players_run_with_the_collector_on(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    seen = _collector_seen_by_commands(monkeypatch)
    assert main(["schema"]) == 0
    assert main(["play", "quick-warm-up", "--plain", "--mute"]) == 0
    assert main(["cramp", "--plain", "--mute"]) == 0
    assert seen == [("schema", True), ("plain", True), ("plain", True)]
    assert gc.isenabled()
