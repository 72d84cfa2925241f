"""The cramp-time quick stretch, without any UI: which muscles, their routine files, episode facts.

Pure apart from `load_cramp_routine`, which reads one bundled file by path (no
library scan, so `vmo cramp` starts fast). Imports neither Textual nor audio.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

from player.errors import UsageError
from player.events import EasingAnswered, EasingAsked, Escalated, Event, SegmentFinished, SegmentStarted
from player.files import read_limited

if TYPE_CHECKING:
    from player.engine import Session
    from player.history import SessionRecorder
    from player.model import Routine

_MAX_ROUTINE = 1024 * 1024  # the loader's limit for a routine file
_MAX_ENTRY = 4 * _MAX_ROUTINE


@dataclass(frozen=True, slots=True)
class Muscle:
    """A muscle `vmo cramp` has a routine for: `name` is its file stem and what the history records."""

    name: str
    label: str   # what the screen calls it
    short: str   # its name in the one-key chooser
    key: str     # the one key that picks it on the cramp screen
    aliases: tuple[str, ...] = ()


MUSCLES: tuple[Muscle, ...] = (
    Muscle("quadriceps", "front of thigh (quadriceps / VMO)", "front thigh", "1",
           ("quad", "quads", "quadricep", "vmo", "thigh", "front", "front-thigh")),
    Muscle("hamstring", "back of thigh (hamstring)", "back thigh", "2",
           ("hamstrings", "ham", "hams", "back", "back-thigh")),
    Muscle("calf", "calf", "calf", "3", ("calves", "calfs", "lower-leg")),
)
DEFAULT_MUSCLE = MUSCLES[0]

# The one calm line the cramp screen shows under the stretch; the full red flags come at the end.
SAFETY_LINE = (
    "Gentle only, never into sharp pain. Swelling or warmth in one leg, feeling unwell, "
    "or no easing after 10 minutes: get medical help."
)
RED_FLAGS_TITLE = "Get medical help if any of these apply:"


def muscle_names() -> tuple[str, ...]:
    """The muscle names in menu order."""
    return tuple(m.name for m in MUSCLES)


def resolve_muscle(text: str | None) -> Muscle:
    """The muscle for a name, alias or key (None: the quadriceps). Raises UsageError for anything else."""
    if text is None:
        return DEFAULT_MUSCLE
    wanted = text.strip().lower().replace("_", "-").replace(" ", "-")
    for muscle in MUSCLES:
        if wanted in (muscle.name, muscle.key) or wanted in muscle.aliases:
            return muscle
    choices = ", ".join(muscle_names())
    # repr() keeps whatever was typed printable: no control characters reach the terminal.
    raise UsageError(f"cramp: unknown muscle {text!r}; choose {choices} (see 'vmo cramp --list')")


def muscle_for_key(key: str) -> Muscle | None:
    """The muscle a single key picks on the cramp screen, or None."""
    return next((m for m in MUSCLES if m.key == key), None)


def list_lines() -> list[str]:
    """What `vmo cramp --list` prints: one muscle a line, with its aliases."""
    width = max(len(m.name) for m in MUSCLES)
    lines = []
    for muscle in MUSCLES:
        default = ", the default" if muscle is DEFAULT_MUSCLE else ""
        lines.append(f"{muscle.name:<{width}}  {muscle.label}{default}  (also: {', '.join(muscle.aliases)})")
    return lines


def cramp_routine_path(muscle: Muscle | str) -> Path:
    """The bundled routine file of a muscle: `<routines>/cramp/<name>.yaml`."""
    from player.resources import routines_dir

    name = muscle.name if isinstance(muscle, Muscle) else resolve_muscle(muscle).name
    return routines_dir() / "cramp" / f"{name}.yaml"


def load_cramp_routine(muscle: Muscle | str, *, cache: bool = True) -> "Routine":
    """Load a muscle's cramp routine from its file; raises RoutineInvalid if it is broken.

    With `cache`, a copy of the loaded routine is kept as JSON in the cache folder and
    used while the file's text still hashes the same: importing YAML and the loader
    would cost the first countdown more than the rest of `vmo cramp` (bench/cramp_startup.py).
    """
    chosen = muscle if isinstance(muscle, Muscle) else resolve_muscle(muscle)
    name = f"cramp-{chosen.name}"
    if cache and (cached := routine_cache().get(name)) is not None:
        return cached
    from player.loader import load_routine

    path = cramp_routine_path(chosen)
    routine = load_routine(path)
    if cache:
        routine_cache().put(name, path, routine)
    return routine


# ----- the routine cache -----


def cache_dir() -> Path:
    """Where vmo keeps files it can rebuild: `cache/` in VMO_DATA_DIR when set, else the platform's cache folder."""
    import os

    explicit = os.environ.get("VMO_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("vmo", appauthor=False))


class RoutineCache:
    """Loaded routines as JSON, each valid while its file's bytes (length, CRC-32) are the same under the same program.

    An entry names its file, so a hit never has to look for the bundled folder. A miss,
    a stale or damaged entry, or a folder that cannot be written only means the YAML
    file is loaded as usual. Entries hold data only (no pickle): a file in the cache
    folder can never run code.
    """

    VERSION = 2

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, name: str) -> "Routine | None":
        """The routine cached as `name`, if its entry matches its file and this program."""
        import json
        import zlib  # already loaded with Textual; hashlib would cost the first frame its import

        try:
            entry = json.loads(read_limited(self._entry(name), _MAX_ENTRY).decode("utf-8"))
            if not isinstance(entry, dict) or entry.get("key") != self._key():
                return None
            data = read_limited(entry["path"], _MAX_ROUTINE)
            if len(data) != entry["size"] or zlib.crc32(data) != entry["crc32"]:
                return None
            routine = _decode(entry["routine"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        from player.model import Routine

        return routine if isinstance(routine, Routine) else None

    def put(self, name: str, path: Path, routine: "Routine") -> None:
        """Keep `routine`, loaded from `path`, as `name` (best effort; not if it includes other files).

        The entry records the file's length and CRC-32 as they are now, and only if the
        text still hashes as the loader saw it: an edit during the load is never cached.
        """
        import hashlib
        import json
        import os
        import zlib

        if any(getattr(step, "source", path) != path for step in routine.steps):
            return  # an included file could change without this one changing
        try:
            data = read_limited(path, _MAX_ROUTINE)
            text_bytes = data.removeprefix(b"\xef\xbb\xbf")  # as the loader hashes a file: without a BOM
            if hashlib.sha256(text_bytes).hexdigest() != routine.file_hash:
                return
            text = json.dumps(
                {
                    "key": self._key(), "path": str(path), "size": len(data), "crc32": zlib.crc32(data),
                    "routine": _encode(routine),
                },
                ensure_ascii=False,
            )
        except (OSError, TypeError):
            return
        target = self._entry(name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, target)  # readers see the old entry or the new one, never half
        except OSError:
            pass

    def _entry(self, name: str) -> Path:
        return self.folder / f"routine-{name}.json"

    @staticmethod
    def _key() -> list[object]:
        """What a cached routine depends on besides its file: this program's place, version and loader."""
        import sys

        from player import __version__

        here = Path(__file__).resolve().parent
        code: list[object] = [(here / "_data").is_dir()]  # an installed copy reads its own data folder
        for module in ("model.py", "loader.py", "yamlnodes.py", "durations.py", "timeline.py"):
            try:
                info = (here / module).stat()
                code.append([module, info.st_size, info.st_mtime_ns])
            except OSError:
                code.append([module, None, None])
        return [RoutineCache.VERSION, __version__, list(sys.version_info[:2]), str(here), code]


_cache: RoutineCache | None = None


def routine_cache() -> RoutineCache:
    """The process-wide routine cache in `cache_dir()`."""
    global _cache
    folder = cache_dir()
    if _cache is None or _cache.folder != folder:
        _cache = RoutineCache(folder)
    return _cache


def _encode(value: object) -> object:
    """Model values as JSON: dataclasses, tuples, paths and mappings tagged so they come back as they were."""
    from dataclasses import fields, is_dataclass

    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {"@": type(value).__name__}
        for f in fields(value):
            out[f.name] = _encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return {"@": "tuple", "items": [_encode(v) for v in value]}
    if isinstance(value, Path):
        return {"@": "path", "value": str(value)}
    if isinstance(value, dict) or hasattr(value, "items"):
        items = dict(value.items())  # type: ignore[attr-defined]
        if not all(isinstance(k, str) for k in items):
            raise TypeError("mapping keys must be strings")
        return {"@": "map", "items": {k: _encode(v) for k, v in items.items()}}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: object) -> object:
    """The inverse of `_encode`; only the routine model's own classes are ever built."""
    from player import model

    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if not isinstance(value, dict):
        raise ValueError("unexpected value in a cache entry")
    tag = value.get("@")
    if tag == "tuple":
        return tuple(_decode(v) for v in value["items"])
    if tag == "path":
        return Path(value["value"])
    if tag == "map":
        return {k: _decode(v) for k, v in value["items"].items()}
    classes = {c.__name__: c for c in (model.Routine, model.Exercise, model.RestStep, model.RepeatBlock, model.CueSettings)}
    if tag not in classes:
        raise ValueError(f"unexpected type {tag!r} in a cache entry")
    return classes[tag](**{k: _decode(v) for k, v in value.items() if k != "@"})


@dataclass(frozen=True, slots=True)
class EpisodeFacts:
    """What the history keeps of one cramp episode."""

    muscle: str
    eased_after_seconds: float | None  # routine seconds from the first hold's start; None: never said eased
    escalated: bool
    holds: int                         # holds started (1 + each "not yet")


class CrampEpisode:
    """Follows the engine's events for one cramp episode and keeps its facts.

    Times are the engine's real seconds; `speed` turns them into routine seconds,
    so a test at --speed 50 still records what a user at normal speed would see.
    """

    def __init__(self, muscle: str, speed: float = 1.0) -> None:
        self.muscle = muscle
        self.speed = speed
        self.started_at: float | None = None
        self.eased_at: float | None = None
        self.escalated = False
        self.escalate_message: str | None = None
        self.holds = 0
        self.asking = False
        self.in_hold = False

    def observe(self, events: Iterable[Event]) -> None:
        """Take in events from the engine, in order."""
        for event in events:
            if isinstance(event, SegmentStarted):
                if self.started_at is None:
                    self.started_at = event.at
                self.in_hold = event.segment.until_eased
                self.holds += int(self.in_hold)
                self.asking = False
            elif isinstance(event, SegmentFinished):
                self.in_hold = False
            elif isinstance(event, EasingAsked):
                self.asking = True
            elif isinstance(event, EasingAnswered):
                self.asking = False
                if event.eased and self.eased_at is None:
                    self.eased_at = event.at
            elif isinstance(event, Escalated):
                self.escalated = True
                self.escalate_message = event.message

    def note_eased(self, at: float) -> None:
        """The user said it eased during a hold (moving on before the hold ended)."""
        if self.eased_at is None:
            self.eased_at = at

    def elapsed(self, now: float) -> float:
        """Routine seconds since the first hold began (0 before it did)."""
        return 0.0 if self.started_at is None else max(0.0, now - self.started_at) * self.speed

    @property
    def eased(self) -> bool:
        """Whether the user said the cramp eased."""
        return self.eased_at is not None

    def facts(self) -> EpisodeFacts:
        """The episode's facts so far."""
        eased_after = None
        if self.eased_at is not None and self.started_at is not None:
            eased_after = round((self.eased_at - self.started_at) * self.speed, 1)
        return EpisodeFacts(self.muscle, eased_after, self.escalated, self.holds)


def clock_text(seconds: float) -> str:
    """A countdown as the big digits show it: `30`, `9`, `1:30`, `10:00` (whole seconds, rounded up)."""
    whole = int(-(-max(0.0, seconds) // 1))  # ceil: 29.2 s left still shows 30
    if whole < 60:
        return str(whole)
    return f"{whole // 60}:{whole % 60:02d}"


def elapsed_text(seconds: float) -> str:
    """Time since the cramp began, as m:ss (whole seconds, rounded down)."""
    whole = int(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def record_episode(recorder: "SessionRecorder", session: "Session", episode: CrampEpisode, now: float) -> str | None:
    """Append the episode to the history with its cramp facts (once); a warning to show, or None."""
    facts = episode.facts()
    recorder.note_cramp(facts.muscle, facts.eased_after_seconds, facts.escalated)
    return recorder.finish_from(session.progress(now))


class CueSink(Protocol):
    """What plays cue sounds: the audio package's CuePlayer has this shape."""

    def handle(self, event: Event) -> object:
        """Play what `event` calls for."""
        ...


# Cue events older than this (real seconds) when the sound device is finally ready stay silent:
# a late "3, 2, 1" would be wrong, a just-missed "start" is still worth playing.
LATE_CUE_SECONDS = 1.0


class DeferredCues:
    """Cue events held until the sound device is ready, so opening it never delays the first countdown.

    `handle` may be called before `attach`; events that are still fresh when the
    player arrives are played then, stale ones are dropped. Thread-safe: the
    device is opened in a worker thread.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.player: CueSink | None = None
        self._pending: list[Event] = []
        self._lock = threading.Lock()

    def handle(self, event: Event) -> None:
        """Play `event`'s cue now, or keep it until a player is attached."""
        with self._lock:
            player = self.player
            if player is None:
                self._pending.append(event)
                return
        player.handle(event)

    def detach(self) -> CueSink | None:
        """Hold events again (e.g. while the player prepares another routine); the player that was in use."""
        with self._lock:
            player, self.player = self.player, None
        return player

    def attach(self, player: CueSink) -> None:
        """Use `player` from now on, playing the held events that are still fresh."""
        with self._lock:
            self.player = player
            pending, self._pending = self._pending, []
        now = self.clock()
        for event in pending:
            if now - getattr(event, "at", now) <= LATE_CUE_SECONDS:
                player.handle(event)
