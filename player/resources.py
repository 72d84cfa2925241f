"""Where the bundled data lives: the sounds and routines folders.

An installed wheel carries them at `player/_data/<name>` (pyproject force-include);
a source checkout keeps them at the repository root, next to the `player` package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE.parent


def _data_dir(name: str) -> Path:
    """The bundled folder `name`, installed copy first, then the checkout's.

    Wheels install as plain files, so the package's own folder is looked at
    directly (importlib.resources would cost start-up its import and zipfile's).
    """
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _REPO_ROOT / name


def sounds_dir() -> Path:
    """The folder of bundled cue sounds (`<name>.wav`)."""
    return _data_dir("sounds")


def routines_dir() -> Path:
    """The folder of bundled routine files."""
    return _data_dir("routines")


def bundled_sound_names() -> list[str]:
    """Names of the bundled sounds (file names without `.wav`), sorted."""
    folder = sounds_dir()
    return sorted(p.stem for p in folder.glob("*.wav")) if folder.is_dir() else []
