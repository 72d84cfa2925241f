"""The bundled routines' pictures: made by tools/draw_pictures.py, each a drawable SVG, licensed with vmo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Whole-body movements and rest: no one working leg or muscle to highlight.
WHOLE_BODY = {"walk.svg", "march.svg", "walk-into-jog.svg", "rest-and-sip.svg"}
PICTURES = sorted((REPO / "routines").glob("*/pictures/*.svg"))


def test_the_files_are_what_the_script_draws() -> None:
    done = subprocess.run([sys.executable, str(REPO / "tools" / "draw_pictures.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(PICTURES) >= 30


@pytest.mark.parametrize("svg", PICTURES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_picture_renders_two_poses_on_white(svg: Path) -> None:
    import io

    import resvg_py
    from PIL import Image

    assert svg.stat().st_size < 5 * 1024 * 1024
    image = Image.open(io.BytesIO(bytes(resvg_py.svg_to_bytes(svg_path=str(svg), width=428)))).convert("RGB")
    assert image.size == (428, 200)
    left, right = image.crop((0, 0, 200, 200)), image.crop((228, 0, 428, 200))
    for half in (left, right):  # a figure in each panel: dark ink on white
        inked = sum(1 for r, g, b in half.getdata() if r + g + b < 200)
        assert inked > 300, svg.name
    assert left.tobytes() != right.tobytes()  # start and end differ
    accent = sum(1 for r, g, b in image.getdata() if r > 200 and 60 < g < 120 and b < 60)
    assert (accent > 0) == (svg.name not in WHOLE_BODY), svg.name  # the working part in the accent colour


def test_each_pictures_folder_says_the_licence() -> None:
    for folder in {p.parent for p in PICTURES}:
        readme = (folder / "README.md").read_text(encoding="utf-8")
        assert "licensed with it, under the MIT licence" in readme
