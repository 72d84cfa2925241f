"""The user's settings: `settings.yaml` in the data folder (cli.md).

A missing or invalid settings file never stops vmo. Each invalid value is
reported like a routine file's problem (FILE:LINE:COL), once per process, and
that setting keeps its default; unknown keys are warnings. Values are read with
readers of its own (the messages speak of settings, not routines), and every
number is range-checked as it is read.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, TextIO

from player.audio.select import BACKEND_CHOICES as AUDIO_CHOICES
from player.loader import _Context, _Invalid, _read_text, _show
from player.resources import bundled_sound_names
from player.model import CUES
from player.problems import Problem, did_you_mean, write_text
from player.yamlnodes import ComposeError, Node, compose

SETTINGS_FILE = "settings.yaml"
DEFAULT_WEEKLY_TARGET = 3
MAX_WEEKLY_TARGET = 50
KEYS = ("audio", "voice", "weekly_target", "ask_pain", "sounds", "affected_side")


@dataclass(frozen=True)
class Settings:
    """The user's settings; None means "not set": the player's own default applies."""

    audio: str = "auto"
    voice: bool | None = None
    weekly_target: int = DEFAULT_WEEKLY_TARGET
    ask_pain: bool | None = None
    sounds: Mapping[str, str] = field(default_factory=dict)
    # The patient's affected leg, for exercises written with `sides: affected` (program-format.md, section 6).
    affected_side: str | None = None


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
        return DEFAULT_SETTINGS, sorted(_settings_wording(p) for p in ctx.problems)
    try:
        root = compose(text)
    except ComposeError as exc:
        return DEFAULT_SETTINGS, [Problem(ctx.display, exc.line, exc.column, exc.message)]
    if root is None:
        return DEFAULT_SETTINGS, []
    settings = _SettingsChecker(ctx).settings(root)
    return settings, sorted(ctx.problems)


def _settings_wording(problem: Problem) -> Problem:
    # The shared file reader speaks of routines; a settings file is a few lines, never split.
    if "split it with include" in problem.message:
        return replace(problem, message=f"the settings file is larger than {MAX_SETTINGS_BYTES_TEXT}; it should hold a few lines")
    return problem


MAX_SETTINGS_BYTES_TEXT = "1 MiB"
# An integer literal longer than this is refused before Python converts it (its 4300-digit limit).
MAX_DIGITS = 9
_INT = re.compile(r"^[+]?[0-9]+$", re.ASCII)
_TRUE = ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")
_FALSE = ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _kind_name(node: Node) -> str:
    return {"seq": "a list", "map": "a mapping"}.get(node.kind, "text")


def _got(node: Node) -> str:
    return _show(str(node.value)) if node.kind == "scalar" else _kind_name(node)


class _SettingsChecker:
    """Reads the settings mapping; each reader records a problem and raises _Invalid on a bad value.

    Its own readers, not the routine loader's: the messages speak of settings and
    the data folder, and every number is range-checked as it is read.
    """

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx

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
            "audio": lambda n: self.choice(n, "audio", AUDIO_CHOICES),
            "voice": lambda n: self.boolean(n, "voice"),
            "weekly_target": lambda n: self.integer(n, "weekly_target", 0, MAX_WEEKLY_TARGET),
            "ask_pain": lambda n: self.boolean(n, "ask_pain"),
            "sounds": self.sounds,
            "affected_side": lambda n: self.choice(n, "affected_side", ("left", "right")),
        }
        for name, node in found.items():
            try:
                out[name] = readers[name](node)
            except _Invalid:
                pass  # recorded; the default applies
        return Settings(**out)  # type: ignore[arg-type]

    # -- values --

    def text(self, node: Node, path: str) -> str:
        if node.kind != "scalar" or (node.plain and node.value in ("", "~", "null", "Null", "NULL")):
            self.ctx.error(node, f"{path}: expected text, got {_kind_name(node) if node.kind != 'scalar' else 'nothing'}")
            raise _Invalid
        value = str(node.value)
        if m := _CONTROL.search(value):
            self.ctx.error(node, f"{path}: contains a control character (U+{ord(m.group()):04X})")
            raise _Invalid
        return value

    def integer(self, node: Node, path: str, low: int, high: int) -> int:
        expected = f"{path}: expected a whole number from {low} to {high}"
        text = str(node.value) if node.kind == "scalar" else ""
        if node.kind != "scalar" or not node.plain or not _INT.match(text):
            self.ctx.error(node, f"{expected}, got {_got(node)}")
            raise _Invalid
        digits = text.lstrip("+").lstrip("0")
        if len(digits) > MAX_DIGITS:
            self.ctx.error(node, f"{expected}, got a number with {len(digits)} digits")
            raise _Invalid
        value = int(digits or "0")
        if not low <= value <= high:
            self.ctx.error(node, f"{expected}, got {value}")
            raise _Invalid
        return value

    def boolean(self, node: Node, path: str) -> bool:
        if node.kind == "scalar" and node.plain and node.value in _TRUE:
            return True
        if node.kind == "scalar" and node.plain and node.value in _FALSE:
            return False
        self.ctx.error(node, f"{path}: expected true or false, got {_got(node)}")
        raise _Invalid

    def choice(self, node: Node, path: str, options: tuple[str, ...]) -> str:
        value = self.text(node, path)
        if value not in options:
            hint = did_you_mean(value, options)
            self.ctx.error(node, f"{path}: expected one of {', '.join(options)}, got {_show(value)}{hint}")
            raise _Invalid
        return value

    def sounds(self, node: Node) -> dict[str, str]:
        if node.kind != "map":
            self.ctx.error(node, f"sounds: expected a mapping from cue ({', '.join(CUES)}) to a sound")
            raise _Invalid
        chosen: dict[str, str] = {}
        seen: dict[str, Node] = {}
        for key, value in node.value:  # type: ignore[union-attr]
            if key.kind != "scalar":
                self.ctx.error(key, f"sounds: keys must be text, got {_kind_name(key)}")
                continue
            cue = str(key.value)
            if cue in seen:
                self.ctx.error(key, f"sounds: key {_show(cue)} given twice (first on line {seen[cue].line})")
                continue
            if cue not in CUES:
                self.ctx.error(key, f"sounds: unknown key {_show(cue)} (not a cue){did_you_mean(cue, CUES)}")
                continue
            seen[cue] = key
            try:
                chosen[cue] = self.sound(value, f"sounds.{cue}")
            except _Invalid:
                pass
        return chosen

    def sound(self, node: Node, path: str) -> str:
        """A bundled sound's name, none, or a .wav file: absolute, ~/..., or relative to the data folder."""
        value = self.text(node, path)
        if value == "none":
            return value
        if "/" in value or "\\" in value or value.lower().endswith(".wav"):
            folder = self.ctx.path.parent
            target = Path(value).expanduser() if value.startswith("~") else folder / value
            if not value.lower().endswith(".wav"):
                self.ctx.error(node, f"{path}: a sound file must be a .wav file, got {_show(value)}")
                raise _Invalid
            try:
                is_file = target.is_file()
            except (OSError, ValueError):
                is_file = False
            if not is_file:
                relative = not (os.path.isabs(value) or value.startswith("~"))
                where = f" (a relative name is looked up in the settings file's folder, {folder})" if relative else ""
                self.ctx.error(node, f"{path}: no such sound file {_show(value)}{where}")
                raise _Invalid
            return str(target.resolve())
        names = bundled_sound_names()
        if value not in names:
            hint = did_you_mean(value, names)
            self.ctx.error(
                node, f"{path}: no bundled sound named {_show(value)}{hint}; see 'sounds/README.md', or give a .wav path or none"
            )
            raise _Invalid
        return value


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

