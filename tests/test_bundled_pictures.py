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


def test_every_bundled_exercise_has_a_picture_of_its_own_folder() -> None:
    from player.loader import load_routine

    for path in sorted((REPO / "routines").glob("*/*.yaml")):
        if path.parent.name == "programmes":
            continue
        for exercise in load_routine(path).exercises():
            assert exercise.images, f"{path.name}: {exercise.name}"
            for picture in exercise.image_paths():
                assert picture.parent == path.parent / "pictures" and picture.is_file()


def test_vmo_new_from_a_routine_copies_its_pictures(tmp_path: Path) -> None:
    from conftest import run_vmo

    data = tmp_path / "data"
    done = run_vmo("new", "knee-anna", "--from", "knee-strength-starter", env={"VMO_DATA_DIR": str(data)})
    assert done.returncode == 0, done.stderr
    folder = data / "routines"
    assert f"also copied 6 picture(s) beside it, under {folder}" in done.stderr
    assert (folder / "pictures" / "quad-set.svg").read_bytes() == (
        REPO / "routines" / "activation" / "pictures" / "quad-set.svg").read_bytes()
    # A second copy keeps the pictures already there and checks clean.
    (folder / "pictures" / "quad-set.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', encoding="utf-8")
    again = run_vmo("new", "knee-ben", "--from", "knee-strength-starter", env={"VMO_DATA_DIR": str(data)})
    assert again.returncode == 0 and "picture(s)" not in again.stderr, again.stderr
    assert (folder / "pictures" / "quad-set.svg").read_text(encoding="utf-8").endswith('viewBox="0 0 1 1"/>')
    check = run_vmo("check", str(folder / "knee-ben.yaml"), env={"VMO_DATA_DIR": str(data)})
    assert check.returncode == 0, check.stdout + check.stderr
