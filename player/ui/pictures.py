"""Exercise pictures in the terminal: which terminals can draw them, and getting them ready to draw.

Pictures are drawn with textual-image (Kitty's graphics protocol or Sixel) where the
terminal can draw them, and never as a mosaic of coloured blocks: elsewhere the player
names the picture in a line of text instead.

Which terminal this is comes from its environment (`graphics_protocol`), decided before
the app starts and without asking the terminal: textual-image asks the terminal when it
is imported, which costs up to 0.1 s on a terminal that does not answer and cannot work
once Textual reads the keyboard. `load_image_widget` therefore imports it with those
questions turned off, after the first frame. `VMO_GRAPHICS=kitty|sixel|none` overrides the
guess.

Nothing here runs at start-up: PIL, resvg and textual-image are imported by the worker
thread that prepares the pictures, after the first frame.
"""

from __future__ import annotations

import functools
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

PROTOCOLS = ("kitty", "sixel")
# The longer side of a rasterised picture, in pixels: the widest pane (40 cells of up to ~12 px).
RASTER_SIZE = 640
# A picture's own size never decides the raster: a 200-byte SVG may declare itself a
# million pixels tall, and a few MiB of PNG may hold a billion pixels.
MAX_PIXELS = 40_000_000
MAX_ASPECT = 64.0
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.S)
_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_VIEWBOX = re.compile(
    rb"\bviewBox\s*=\s*[\"']\s*" + _NUMBER + rb"[\s,]+" + _NUMBER + rb"[\s,]+(" + _NUMBER + rb")[\s,]+(" + _NUMBER + rb")"
)
_SIZES = [
    re.compile(rb"(?<![-\w:])" + name + rb"\s*=\s*[\"']\s*(" + _NUMBER + rb")\s*([a-z%]*)\s*[\"']")
    for name in (b"width", b"height")
]
_UNITS = {b"": 1.0, b"px": 1.0, b"in": 96.0, b"cm": 96 / 2.54, b"mm": 96 / 25.4, b"pt": 4 / 3, b"pc": 16.0,
          b"em": 16.0, b"ex": 8.0}
SVG_SUFFIXES = (".svg",)
MAX_PICTURE_BYTES = 32 * 1024 * 1024


def graphics_protocol(env: Mapping[str, str] | None = None) -> str | None:
    """The picture protocol this terminal speaks ("kitty" or "sixel"), or None: text only.

    From the environment only (no terminal query): Kitty (TERM=xterm-kitty or
    KITTY_WINDOW_ID), and the terminals that draw Sixel out of the box: iTerm2, WezTerm,
    foot, mlterm, Konsole, Windows Terminal, contour. Inside tmux or screen nothing is drawn:
    they pass pictures through only when configured to. VMO_GRAPHICS overrides the guess.
    """
    env = os.environ if env is None else env
    forced = env.get("VMO_GRAPHICS", "").strip().lower()
    if forced in PROTOCOLS:
        return forced
    if forced in ("none", "off", "0", "no", "text"):
        return None
    term = env.get("TERM", "")
    if env.get("TMUX") or term.startswith(("screen", "tmux")):
        return None
    if term == "xterm-kitty" or env.get("KITTY_WINDOW_ID"):
        return "kitty"
    program = env.get("TERM_PROGRAM", "")
    if program in ("iTerm.app", "WezTerm") or env.get("WEZTERM_EXECUTABLE"):
        return "sixel"
    if term.startswith(("foot", "mlterm", "contour")) or env.get("KONSOLE_VERSION") or env.get("WT_SESSION"):
        return "sixel"
    return None


def routine_has_images(routine: object) -> bool:
    """Whether any exercise of `routine` has a picture."""
    exercises = getattr(routine, "exercises", None)
    return bool(exercises) and any(exercise_images(e) for e in exercises())


def exercise_images(step: object) -> tuple[Path, ...]:
    """The picture files of an exercise (its `image` key), absolute; () when it has none.

    Paths in the file are relative to the routine's folder; the loader has checked that they
    stay inside it, exist, and are of a known type.
    """
    paths = getattr(step, "image_paths", None)
    if callable(paths):
        return tuple(paths())
    found: Any = getattr(step, "images", None) or getattr(step, "image", None)
    if not found:
        return ()
    if isinstance(found, (str, Path)):
        found = (found,)
    source = getattr(step, "source", None)
    base = Path(source).parent if source is not None else Path.cwd()
    return tuple(p if Path(p).is_absolute() else base / p for p in (Path(x) for x in found))


def svg_aspect(head: bytes) -> float:
    """Width over height of the SVG whose text begins with `head`; 2.0 if unknown.

    From its width and height where both are absolute lengths (the canvas resvg draws),
    else from its viewBox.
    """
    tag = _SVG_TAG.search(head)
    if tag is None:
        return 2.0
    box = _VIEWBOX.search(tag.group(0))
    sizes = [pattern.search(tag.group(0)) for pattern in _SIZES]
    try:
        if all(m is not None and m.group(2) in _UNITS for m in sizes):  # the canvas: what resvg draws
            width, height = (float(m.group(1)) * _UNITS[m.group(2)] for m in sizes)  # type: ignore[union-attr]
        elif box is not None:
            width, height = float(box.group(1)), float(box.group(2))
        else:
            return 2.0
        aspect = width / height
    except (ValueError, ZeroDivisionError, OverflowError):
        return 2.0
    return aspect if aspect > 0 and math.isfinite(aspect) else 2.0


def rasterise(path: Path) -> PILImage:
    """The picture at `path` as an RGB image on white (line drawings stay visible on a dark terminal)."""
    import io

    from PIL import Image

    from player.files import read_limited

    data = read_limited(path, MAX_PICTURE_BYTES)  # a regular file only: never a FIFO or a device
    if path.suffix.lower() in SVG_SUFFIXES:
        import resvg_py

        aspect = svg_aspect(data[:16384])
        if max(aspect, 1 / aspect) > MAX_ASPECT:
            raise ValueError(f"a picture {aspect:.3g} times as wide as it is tall cannot be drawn here")
        size = {"width": RASTER_SIZE} if aspect >= 1 else {"height": RASTER_SIZE}  # the longer side
        svg = data.decode("utf-8")
        png = bytes(resvg_py.svg_to_bytes(svg_string=svg, background="#ffffff", **size))
        image = Image.open(io.BytesIO(png))
    else:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValueError(f"a picture of {image.width}x{image.height} pixels is too large to draw")
        image.draft("RGB", (RASTER_SIZE, RASTER_SIZE))  # a JPEG is decoded at a reduced size
        image.load()
        image.thumbnail((RASTER_SIZE * 2, RASTER_SIZE * 2))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "#ffffff")
        background.alpha_composite(image)
        image = background
    return image.convert("RGB")


def side_by_side(images: list[PILImage]) -> PILImage:
    """Several pictures (start and end positions) in one row, with a small gap, scaled to one height."""
    from PIL import Image

    if len(images) == 1:
        return images[0]
    height = max(i.height for i in images)
    scaled = [i if i.height == height else i.resize((max(1, i.width * height // i.height), height)) for i in images]
    gap = max(4, height // 20)
    row = Image.new("RGB", (sum(i.width for i in scaled) + gap * (len(scaled) - 1), height), "#ffffff")
    x = 0
    for image in scaled:
        row.paste(image, (x, 0))
        x += image.width + gap
    return row


def prepare(paths: tuple[Path, ...]) -> PILImage:
    """One image for an exercise's pictures. Raises OSError or ValueError for a file that cannot be drawn."""
    return side_by_side([rasterise(p) for p in paths])


@functools.cache
def load_image_widget(protocol: str) -> type:
    """textual-image's widget class for `protocol`, imported without its terminal queries.

    textual-image asks the terminal for Sixel and Kitty support (and the cell size) when its
    modules are first imported; with Textual already reading the keyboard those answers
    would be lost or typed into the app. The questions are turned into "no answer" before
    the import: vmo has chosen the protocol itself, and the cell size comes from the
    terminal's window size (ioctl) or textual-image's default.
    """
    import logging

    import textual_image._terminal as terminal

    # Its "no answer from the terminal" warnings would go to stderr, under the app's screen.
    logging.getLogger("textual_image").setLevel(logging.ERROR)

    def no_query(*args: object, **kwargs: object) -> object:
        raise terminal.TerminalError("vmo does not query the terminal once the app runs")

    terminal.capture_terminal_response = no_query  # type: ignore[assignment]
    from textual_image import widget

    if protocol == "kitty":
        return widget.TGPImage
    if protocol == "sixel":
        return widget.SixelImage
    if protocol == "halfcell":  # tests only: a deterministic stand-in for a terminal with pictures
        return widget.HalfcellImage
    raise ValueError(f"unknown picture protocol {protocol!r}")
