"""The player's per-second widgets under Pilot with a fake clock: what a second of a hold repaints, and the bars' look."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ui_support import HOLDS, FakeClock, async_test, load, make_app, run_for
from textual.color import Color
from textual.widget import Widget

from player.ui.meters import Meters


async def into_the_first_hold(app, pilot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    """Dismiss the safety notes and play the 5 s GET READY and 2 s of the 10 s hold."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await run_for(app, pilot, clock, 7)
    assert app.controller.snapshot().segment.kind == "work"


@async_test
async def test_a_second_of_a_hold_repaints_only_the_clock_and_the_bars_without_a_layout(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test(size=(80, 24)) as pilot:
        await into_the_first_hold(app, pilot, clock)
        refreshed: list[tuple[str | None, bool]] = []
        original = Widget.refresh

        def refresh(self: Widget, *regions, **kwargs):  # type: ignore[no-untyped-def]
            refreshed.append((self.id, bool(kwargs.get("layout"))))
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", refresh)
        for second in range(3):
            refreshed.clear()
            clock.advance(1)
            app.tick()
            assert sorted(refreshed) == [("countdown", False), ("meters", False)], f"second {second}"
        await pilot.pause()


@async_test
async def test_the_bars_fill_by_half_cells_end_with_the_time_left_and_follow_the_theme(
    tmp_path: Path, data_dir: Path
) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test(size=(80, 24)) as pilot:
        await into_the_first_hold(app, pilot, clock)
        meters = app.screen.query_one("#meters", Meters)
        width = meters.size.width
        top, bottom = meters.render_line(0), meters.render_line(1)
        assert top.cell_length == bottom.cell_length == width
        # 2 s of the 10 s hold: a fifth of the bar, to the half cell
        filled = round(width * 2 / 5)
        assert top.text == "━" * (filled // 2) + "╸" * (filled % 2) + "━" * (width - (filled + 1) // 2)
        assert bottom.text.endswith(" " + app.controller.view().time_left)

        def done_colour() -> Color:
            return Color.from_rich_color(next(iter(meters.render_line(0))).style.color)

        assert done_colour() == Color.parse(app.current_theme.primary)
        app.theme = "textual-light"
        await pilot.pause()
        await run_for(app, pilot, clock, 1)
        assert done_colour() == Color.parse(app.current_theme.primary)


@async_test
async def test_a_countdown_taller_than_its_glyphs_draws_blank_rows_below_them() -> None:
    from textual.app import App, ComposeResult

    from player.ui.meters import Countdown

    class Tall(App[None]):
        CSS = "Countdown { height: 5; }"

        def compose(self) -> ComposeResult:
            yield Countdown("0:30")

    app = Tall()
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        lines = [app.screen.get_widget_at(0, y)[0] for y in range(5)]
        assert all(isinstance(w, Countdown) for w in lines)
        rows = [line.text for line in app.query_one(Countdown).render_lines(app.query_one(Countdown).region.reset_offset)]
        assert rows[0].strip() and rows[2].strip() and not rows[3].strip() and not rows[4].strip()
