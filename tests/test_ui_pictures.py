"""Exercise pictures in the player: where the terminal draws pictures, the text line elsewhere, the key.

A terminal that draws pictures is simulated with textual-image's half-cell widget
(`graphics="halfcell"`): the real Kitty and Sixel widgets write escape codes that a
snapshot cannot hold, and the screen treats all three alike.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from test_ui_snapshots import player_at, snap  # noqa: F401 (snap: the fixture, shared)
from test_ui_support import FakeClock, async_test, load, make_app, texts

from player.model import Exercise, Routine
from player.ui.pictures import exercise_images, graphics_protocol, prepare

REPO = Path(__file__).resolve().parent.parent
SQUAT = REPO / "routines" / "warm-up" / "pictures" / "squat.svg"

ROUTINE = """\
id: pictured
name: Pictured
steps:
  - name: Squat
    hold: 10s
    reps: 1
    prepare: 5s
    instructions: Sit back as if onto a chair, knees over the middle toes, then stand.
    cues: ["Hips back", "Heels down"]
  - name: No picture
    duration: 10s
    instructions: Walk easily.
"""


def pictured(folder: Path, images: tuple[Path, ...] = (SQUAT,)) -> Routine:
    routine = load(folder, ROUTINE)
    first = routine.steps[0]
    assert isinstance(first, Exercise)
    steps = (dataclasses.replace(first, images=tuple(str(i) for i in images)),) + routine.steps[1:]
    return dataclasses.replace(routine, steps=steps)


# ----- which terminals draw pictures -----

@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TERM": "xterm-kitty"}, "kitty"),
        ({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"}, "kitty"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"}, "sixel"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, "sixel"),
        ({"TERM": "foot"}, "sixel"),
        ({"TERM": "xterm-256color", "KONSOLE_VERSION": "230800"}, "sixel"),
        ({"TERM": "xterm-256color", "WT_SESSION": "x"}, "sixel"),
        ({"TERM": "xterm-256color"}, None),
        ({"TERM": "linux"}, None),
        ({}, None),
        ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "KITTY_WINDOW_ID": "1"}, None),
        ({"TERM": "screen-256color"}, None),
        ({"TERM": "xterm-256color", "VMO_GRAPHICS": "sixel"}, "sixel"),
        ({"TERM": "xterm-kitty", "VMO_GRAPHICS": "none"}, None),
        ({"TERM": "xterm-kitty", "VMO_GRAPHICS": "bogus"}, "kitty"),
    ],
)
def test_graphics_protocol_from_the_environment(env: dict[str, str], expected: str | None) -> None:
    assert graphics_protocol(env) == expected


def test_exercise_images_are_relative_to_the_routine_folder(tmp_path: Path) -> None:
    routine = pictured(tmp_path, images=(Path("pictures/a.svg"), Path("b.png")))
    step = routine.steps[0]
    assert exercise_images(step) == (tmp_path / "pictures" / "a.svg", tmp_path / "b.png")
    assert exercise_images(routine.steps[1]) == ()


def test_prepare_puts_start_and_end_side_by_side_on_white(tmp_path: Path) -> None:
    from PIL import Image

    png = tmp_path / "end.png"
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(png)
    one = prepare((SQUAT,))
    both = prepare((SQUAT, png))
    assert one.mode == "RGB" and one.width == 640
    assert both.height == one.height and both.width == one.width + 15 + 600  # the 100x50 one scaled to 600x300
    assert both.getpixel((both.width - 1, both.height - 1)) == (255, 255, 255)  # transparent became white


def test_prepare_raises_for_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg", encoding="utf-8")
    with pytest.raises(ValueError):
        prepare((bad,))


# ----- the player screen -----

def flat_picture(folder: Path) -> Path:
    """A 400x200 PNG of flat blocks: its half-cell rendering does not hang on a rasteriser's anti-aliasing."""
    from PIL import Image, ImageDraw

    path = folder / "blocks.png"
    image = Image.new("RGB", (400, 200), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 20, 80, 180), fill="#1f2933")
    draw.rectangle((40, 100, 80, 140), fill="#e8590c")
    draw.rectangle((240, 60, 360, 100), fill="#1f2933")
    draw.rectangle((300, 100, 340, 180), fill="#e8590c")
    image.save(path)
    return path


def _wait_for_picture(clock: FakeClock, then: tuple[str, ...] = ()) -> Any:
    start = player_at(clock)

    async def run_before(pilot: Any) -> None:
        await start(pilot)
        app = pilot.app
        for _ in range(1500):  # the worker thread rasterises the picture: up to 30 s on a busy machine
            await pilot.pause(0.02)
            if app.player_screen.has_class("-picture"):
                break
        assert app.player_screen.has_class("-picture"), "the picture never arrived"
        await pilot.pause()
        for key in then:
            await pilot.press(key)
            await pilot.pause()

    return run_before


def test_player_picture_beside_the_instructions(snap: Any, tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=pictured(tmp_path, images=(flat_picture(tmp_path),)), graphics="halfcell")
    assert snap(app, _wait_for_picture(clock))


def test_player_picture_named_in_text(snap: Any, tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=pictured(tmp_path), graphics=None)
    assert snap(app, player_at(clock))


@async_test
async def test_picture_pane_shows_then_hides_with_p(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=pictured(tmp_path), graphics="halfcell")
    async with app.run_test(size=(100, 30)) as pilot:
        await _wait_for_picture(clock)(pilot)
        screen = app.player_screen
        pane = screen.query_one("#picture")
        assert screen.has_class("-picture") and pane.display
        image = pane.children[0]
        assert image.region.height >= 4 and image.region.width >= 12
        instructions = screen.query_one("#instructions")
        assert instructions.region.right <= pane.region.x  # beside, not over
        await pilot.press("p")
        await pilot.pause()
        assert not pane.display and app.notices[-1] == "Pictures off"
        await pilot.press("p")
        await pilot.pause()
        assert pane.display and app.notices[-1] == "Pictures on"


@async_test
async def test_text_line_names_the_picture_and_goes_with_the_exercise(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=pictured(tmp_path), graphics=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await player_at(clock)(pilot)
        line = "Picture: squat.svg (this terminal cannot draw pictures: p hides this line)"
        assert line in texts(app.player_screen)
        assert not app.player_screen.query_one("#picture").display
        await pilot.press("N")  # on to the exercise without a picture
        await pilot.pause()
        assert "Picture:" not in texts(app.player_screen)


@async_test
async def test_a_picture_that_cannot_be_drawn_says_so(tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "broken.svg"
    bad.write_text("<svg", encoding="utf-8")
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=pictured(tmp_path, images=(bad,)), graphics="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        await player_at(clock)(pilot)
        for _ in range(1500):  # up to 30 s on a busy machine
            await pilot.pause(0.02)
            if "cannot be shown" in texts(app.player_screen):
                break
        assert "Picture broken.svg cannot be shown: " in texts(app.player_screen)
        assert not app.player_screen.has_class("-picture")


@pytest.mark.parametrize(("protocol", "widget"), [("kitty", "TGPImage"), ("sixel", "SixelImage")])
@async_test
async def test_kitty_and_sixel_use_textual_images_widgets(
    protocol: str, widget: str, tmp_path: Path, data_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=pictured(tmp_path), graphics=protocol)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for_picture(clock)(pilot)
        screen = app.player_screen
        assert screen.has_class("-picture")
        image = screen.query_one("#picture-image")
        from textual_image import widget as widgets

        assert type(image) is getattr(widgets, widget) and image.region.height >= 4
        assert screen.query_one("#countdown").region.bottom <= image.region.y  # the clock stays clear


def test_the_library_does_not_query_the_terminal_once_loaded() -> None:
    import textual_image._terminal as terminal

    from player.ui.pictures import load_image_widget

    load_image_widget("kitty")
    with pytest.raises(terminal.TerminalError):
        terminal.capture_terminal_response("\x1b[", "t", 0.1)


def test_p_is_in_the_players_help() -> None:
    from player.ui.keys import PLAYER_KEYS, help_rows

    assert ("p", "Show or hide the exercise's picture") in help_rows(PLAYER_KEYS)


def test_the_player_imports_no_picture_library_until_it_needs_one() -> None:
    import subprocess
    import sys

    code = (
        "import sys, player.cli, player.ui.app, player.ui.player_screen, player.ui.view, player.ui.pictures\n"
        "print(sorted(m for m in ('PIL', 'textual_image', 'resvg_py') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.parametrize(
    ("head", "aspect"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 428 200" width="856" height="400">', 2.14),
        (b'<svg viewBox="0,0,1,2000" stroke-width="3">', 0.0005),
        (b'<svg width="1in" height="48px" viewBox="0 0 1 9">', 2.0),
        (b'<svg width="100%" height="50%" viewBox="0 0 4 1">', 4.0),
        (b"<svg>", 2.0),
        (b'<svg viewBox="0 0 0 5">', 2.0),
        (b"not an svg", 2.0),
    ],
)
def test_svg_aspect_from_its_canvas(head: bytes, aspect: float) -> None:
    from player.ui.pictures import svg_aspect

    assert svg_aspect(head) == pytest.approx(aspect, rel=1e-3)


def test_a_picture_declared_huge_is_refused_not_drawn(tmp_path: Path) -> None:
    from PIL import Image

    tall = tmp_path / "tall.svg"
    tall.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 2000"><rect width="1" height="2000"/></svg>',
                    encoding="utf-8")
    with pytest.raises(ValueError, match="^a picture 0.0005 times as wide as it is tall cannot be drawn here$"):
        prepare((tall,))
    narrow = tmp_path / "narrow.svg"
    narrow.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 40"><rect width="1" height="40"/></svg>',
                      encoding="utf-8")
    assert prepare((narrow,)).size == (16, 640)  # the longer side, not the width, is 640
    big = tmp_path / "big.png"
    Image.new("1", (8000, 6000)).save(big)
    with pytest.raises(ValueError, match="^a picture of 8000x6000 pixels is too large to draw$"):
        prepare((big,))
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (4000, 3000), "#336699").save(photo)
    assert max(prepare((photo,)).size) <= 1280
