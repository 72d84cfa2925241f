"""A non-editable install carries the bundled routines and sounds, and `vmo` finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True, capture_output=True,
    )
    (built,) = out.glob("vmo-*.whl")
    return built


def test_wheel_contains_package_routines_sounds_and_script(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "player/cli.py" in names and "player/loader.py" in names
    bundled = {p.relative_to(REPO).as_posix() for p in (REPO / "routines").rglob("*.yaml")}
    assert bundled and {f"player/_data/{n}" for n in bundled} <= names
    sounds = {p.name for p in (REPO / "sounds").glob("*.wav")}
    assert {f"player/_data/sounds/{n}" for n in sounds} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "vmo = player.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_finds_its_bundled_routines(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = dict(os.environ, PYTHONPATH=str(target), VMO_DATA_DIR=str(tmp_path / "data"))
    env.pop("VMO_ROUTINES", None)
    # run from an empty folder so the checkout's own `player` cannot be imported
    result = subprocess.run([sys.executable, "-m", "player", "list", "--json"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    bundled = sorted((REPO / "routines").rglob("*.yaml"))
    assert len(rows) == len(bundled)
    assert all(r["source"] == "bundled" for r in rows)
    assert all(r["total_seconds"] > 0 for r in rows if r["category"] != "programme")
    assert [r["id"] for r in rows if r["category"] == "programme"] == ["knee-strength-programme"]
    where = subprocess.run([sys.executable, "-c", "import player.resources as r; print(r.routines_dir()); print(r.sounds_dir())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True).stdout.split()
    assert all(Path(p).is_relative_to(target) for p in where)


def test_installed_wheel_carries_the_document_templates(wheel: Path, tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"player/templates/handout.html", "player/templates/handout.md", "player/templates/report.html",
            "player/templates/report.md"} <= names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = dict(os.environ, PYTHONPATH=str(target), VMO_DATA_DIR=str(tmp_path / "data"))
    env.pop("VMO_ROUTINES", None)
    result = subprocess.run([sys.executable, "-m", "player", "export", "knee-strength-starter", "--format", "html"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and "Quad set" in result.stdout
