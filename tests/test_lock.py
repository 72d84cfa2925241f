"""uv.lock pins everything vmo and its tests install, and it is in step with pyproject.toml.

When a test here fails: `scripts/lock` re-resolves the lock after a change to pyproject.toml
(README.md, "Dependencies").
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO


def uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert found, "uv is not installed: it comes with the test extra (scripts/test installs it)"
    return found


def lock_check(folder: Path) -> subprocess.CompletedProcess[str]:
    """`uv lock --check` offline: a lock in step with pyproject.toml needs no index to say so."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    return subprocess.run(
        [uv(), "lock", "--check", "--offline", "--no-progress"], cwd=folder, env=env, capture_output=True, text=True,
        timeout=120,
    )


def project_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "vmo"
    (folder / "player").mkdir(parents=True)
    for name in ("pyproject.toml", "uv.lock", "README.md", "player/__init__.py"):
        shutil.copy(REPO / name, folder / name)
    return folder


def load_lock_script():  # type: ignore[no-untyped-def]
    loader = importlib.machinery.SourceFileLoader("scripts_lock", str(REPO / "scripts" / "lock"))
    spec = importlib.util.spec_from_loader("scripts_lock", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_lock_is_in_step_with_pyproject() -> None:
    result = lock_check(REPO)
    assert result.returncode == 0, f"uv.lock is out of date with pyproject.toml: run scripts/lock\n{result.stderr}"


@pytest.mark.parametrize(
    "old, new",
    [
        ('"platformdirs>=4.0"', '"platformdirs>=4.1"'),  # a bound moves
        ('"pytest>=8.0",', '"pytest>=8.0", "tomli-w>=1.0",'),  # a test dependency arrives
        ('"miniaudio>=1.59",\n', ""),  # a dependency leaves
        ('requires-python = ">=3.11,<3.14"', 'requires-python = ">=3.11,<3.13"'),
    ],
)
def test_the_check_fails_when_pyproject_changes_without_a_new_lock(tmp_path: Path, old: str, new: str) -> None:
    folder = project_copy(tmp_path)
    assert lock_check(folder).returncode == 0  # the copy alone is in step
    pyproject = folder / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert old in text
    pyproject.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = lock_check(folder)
    assert result.returncode != 0, result.stderr  # 1 when resolved offline from uv's cache, or when it cannot be


def test_every_dependency_and_extra_is_locked_with_hashes() -> None:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    packages = {p["name"]: p for p in lock["package"]}
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + [r for extra in project["optional-dependencies"].values() for r in extra]
    names = {r.split(";")[0].split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in wanted}
    assert names - set(packages) == set()
    assert set(packages["vmo"]["optional-dependencies"]) == set(project["optional-dependencies"])
    for name, package in packages.items():
        if name == "vmo":
            continue
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files and all(f["hash"].startswith("sha256:") for f in files), name


def test_the_build_backend_is_pinned_to_the_locked_versions() -> None:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    pins = load_lock_script().build_closure(lock)
    assert pins["hatchling"]
    constraints = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["uv"][
        "build-constraint-dependencies"
    ]
    assert constraints == [f"{name}=={version}" for name, version in pins.items()], "run scripts/lock"
