"""The user's settings: `settings.yaml` in the data folder (cli.md).

A missing or invalid settings file never stops vmo. Each invalid value is
reported like a routine file's problem (FILE:LINE:COL), once per process, and
that setting keeps its default; unknown keys are warnings. Values are read with
the routine loader's readers, so the messages match `vmo check`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, TextIO

from player.audio.select import BACKEND_CHOICES as AUDIO_CHOICES
from player.loader import _Context, _FileChecker, _Invalid, _read_text, _show
from player.model import CUES
from player.problems import Problem, did_you_mean, write_text
from player.yamlnodes import ComposeError, Node, compose

SETTINGS_FILE = "settings.yaml"
DEFAULT_WEEKLY_TARGET = 3
MAX_WEEKLY_TARGET = 50
KEYS = ("audio", "voice", "weekly_target", "ask_pain", "sounds")


@dataclass(frozen=True)
class Settings:
    """The user's settings; None means "not set": the player's own default applies."""

    audio: str = "auto"
    voice: bool | None = None
    weekly_target: int = DEFAULT_WEEKLY_TARGET
    ask_pain: bool | None = None
    sounds: Mapping[str, str] = field(default_factory=dict)


DEFAULT_SETTINGS = Settings()


def settings_path() -> Path:
    """Where the settings live: `settings.yaml` in the data folder."""
    from player.library import data_dir

    return data_dir() / SETTINGS_FILE


def _display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def load_settings(path: Path | None = None) -> tuple[Settings, list[Problem]]:
    """Read the settings file: the settings (defaults where missing or invalid) and every problem, sorted."""
    target = settings_path() if path is None else path
    if not target.exists():
        return DEFAULT_SETTINGS, []
    ctx = _Context(_display(target), target, (target.resolve(),))
    text = _read_text(target, ctx)
    if text is None:
        return DEFAULT_SETTINGS, sorted(ctx.problems)
    try:
        root = compose(text)
    except ComposeError as exc:
        return DEFAULT_SETTINGS, [Problem(ctx.display, exc.line, exc.column, exc.message)]
    if root is None:
        return DEFAULT_SETTINGS, []
    settings = _SettingsChecker(ctx).settings(root)
    return settings, sorted(ctx.problems)


class _SettingsChecker:
    """Reads the settings mapping with the loader's value readers."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.values = _FileChecker(ctx, lambda *_args: None)

    def settings(self, root: Node) -> Settings:
        if root.kind != "map":
            self.ctx.error(root, "the top level must be a mapping of settings such as weekly_target: 3")
            return DEFAULT_SETTINGS
        found: dict[str, Node] = {}
        for key, value in root.value:  # type: ignore[union-attr]
            name = str(key.value) if key.kind == "scalar" else None
            if name is None:
                self.ctx.error(key, "keys must be text")
            elif name in found:
                self.ctx.error(key, f"key {_show(name)} given twice (first on line {found[name].line})")
            elif name not in KEYS:
                hint = did_you_mean(name, KEYS)
                self.ctx.problems.append(
                    Problem(self.ctx.display, key.line, key.column, f"unknown setting {_show(name)}{hint}; ignored", "warning")
                )
            else:
                found[name] = value
        out: dict[str, object] = {}
        readers = {
            "audio": lambda n: self.values.choice(n, "audio", AUDIO_CHOICES),
            "voice": lambda n: self.values.boolean(n, "voice"),
            "weekly_target": lambda n: self.values.integer(n, "weekly_target", 0, MAX_WEEKLY_TARGET),
            "ask_pain": lambda n: self.values.boolean(n, "ask_pain"),
            "sounds": self.sounds,
        }
        for name, node in found.items():
            try:
                out[name] = readers[name](node)
            except _Invalid:
                pass  # recorded; the default applies
        return Settings(**out)  # type: ignore[arg-type]

    def sounds(self, node: Node) -> dict[str, str]:
        if node.kind != "map":
            self.ctx.error(node, f"sounds: expected a mapping from cue ({', '.join(CUES)}) to a sound")
            raise _Invalid
        chosen: dict[str, str] = {}
        for cue, (_key, value) in self.values.mapping(node, "sounds", CUES, what=" (not a cue)").items():
            try:
                chosen[cue] = self.sound(value, f"sounds.{cue}")
            except _Invalid:
                pass
        return chosen

    def sound(self, node: Node, path: str) -> str:
        # The user's own file may live anywhere; relative names are taken from the data folder.
        if node.kind == "scalar" and isinstance(node.value, str) and node.value.startswith(("/", "~")):
            target = Path(node.value).expanduser()
            if not node.value.lower().endswith(".wav"):
                self.ctx.error(node, f"{path}: a sound file must be a .wav file, got {_show(node.value)}")
                raise _Invalid
            if not target.is_file():
                self.ctx.error(node, f"{path}: no such sound file {_show(node.value)}")
                raise _Invalid
            return str(target)
        return self.values.sound(node, path)


_loaded: dict[Path, Settings] = {}


def get_settings(warn: TextIO | None = None, path: Path | None = None) -> Settings:
    """The settings, read once per process; problems are written to `warn` (default stderr) the first time."""
    target = settings_path() if path is None else path
    if target not in _loaded:
        settings, problems = load_settings(target)
        if problems:
            write_text(problems, warn if warn is not None else sys.stderr)
        _loaded[target] = settings
    return _loaded[target]
