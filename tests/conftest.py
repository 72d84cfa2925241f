"""Shared test helpers: run the installed `vmo` command, find fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check what holds, not how fast: no per-example deadline (200 ms by default) and no
# too-slow health check, which fail on a busy machine whatever vmo does. Tests may still set more.
settings.register_profile("vmo", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("vmo")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def vmo_command() -> list[str]:
    """The installed `vmo` script next to this Python, else `python -m player`."""
    script = Path(sys.executable).parent / "vmo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "player"]


def run_vmo(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None, input: str | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `vmo ARGS` as a user would and capture its output."""
    full_env = dict(os.environ)
    full_env.setdefault("VMO_DATA_DIR", str(REPO / ".pytest_cache" / "vmo-data"))
    full_env.pop("VMO_ROUTINES", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        vmo_command() + list(args), cwd=cwd, env=full_env, input=input, capture_output=True,
        text=True, timeout=timeout,
    )


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty vmo data folder for this test, also set in the environment."""
    folder = tmp_path / "vmo-data"
    folder.mkdir()
    monkeypatch.setenv("VMO_DATA_DIR", str(folder))
    monkeypatch.delenv("VMO_ROUTINES", raising=False)
    return folder
