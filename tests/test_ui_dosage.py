"""The Textual player with the richer dosage keys: what it shows, and the reps: max question."""

from __future__ import annotations

from pathlib import Path

from test_ui_player import shown, start
from test_ui_support import FakeClock, async_test, history, load, make_app, run_for

from player.ui.dialogs import CountPrompt

DOSAGE = """\
id: test-dosage
name: Test dosage
steps:
  - section: "Part 1: strength"
  - name: Wall push-up
    reps: max
    prepare: 0
    load: red band
    video: https://example.org/push-up
  - name: Lunge
    reps: 2
    tempo: {down: 2, up: 1}
    sides: alternate
    prepare: 0
  - name: Walk
    distance: 20 m
    prepare: 0
"""


@async_test
async def test_reps_max_asks_how_many_and_records_it_and_the_new_keys_are_shown(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, DOSAGE))
    async with app.run_test() as pilot:
        await start(app, pilot)
        assert shown(app, "#prompt") == "Do as many as you can, then press Enter or d"
        assert shown(app, "#counts") == "As many as you can · red band"
        assert "Video: https://example.org/push-up" in shown(app, "#cues")
        assert "Part 1: strength" in shown(app, "#routine-name")
        await run_for(app, pilot, clock, 30)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CountPrompt)
        await run_for(app, pilot, clock, 20)  # answering takes time: the set's clock is held
        await pilot.press("1", "4", "enter")
        await pilot.pause()
        assert shown(app, "#exercise") == "Lunge"
        assert shown(app, "#side") == "LEFT"
        assert shown(app, "#counts") == "Rep 1/2 · DOWN"
        await run_for(app, pilot, clock, 2)
        assert shown(app, "#counts") == "Rep 1/2 · UP"
        await run_for(app, pilot, clock, 1)
        assert shown(app, "#side") == "RIGHT"
        assert shown(app, "#counts") == "Rep 1/2 · DOWN"
        await run_for(app, pilot, clock, 9)
        assert shown(app, "#exercise") == "Walk"
        assert shown(app, "#prompt") == "Cover 20 m at your own pace, then press Enter or d"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("q")
    app.finalize()
    [record] = history(data_dir)
    assert record.completed
    assert [(r.exercise, r.reps) for r in record.reps_done] == [("Wall push-up", 14)]
    assert record.played_seconds == 42.0  # 30 s of push-ups (not the 20 s question) and 12 s of lunges
