"""From engine events to sounds: which sound, spoken clip or spoken name each cue plays.

Which sound a cue plays, first match wins:
1. voice on, a speech program present, and this is an exercise's first cue (the
   `rest` cue of its prepare segment, or its first `start`): the exercise's name;
2. the routine's `sounds:` mapping (carried by each segment) for the cue;
3. the user's `sounds:` setting for the cue;
4. the built-in: the spoken clip when voice is on (countdown numbers, "switch
   sides", "halfway", "get ready"/"relax"/"rest", "routine complete"), else the tone.
A mapping's value is `none` (silence), a bundled sound name, or a .wav path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from player.audio.backend import Backend
from player.audio.pcm import SoundError
from player.audio.speech import Speak
from player.events import CueFired, EasingAsked, Event
from player.model import CueSettings, Exercise, RepeatBlock, Routine, Section, Step
from player.resources import sounds_dir
from player.timeline import Segment

# The tone of each cue when voice is off (and of `start`/`rep`, which have no clip).
TONES: Mapping[str, str] = {
    "start": "start", "rest": "rest", "switch": "switch", "countdown": "tick",
    "halfway": "halfway", "rep": "rep", "phase": "phase", "finish": "finish",
}
# The spoken side, for `sides: alternate` (each hold's start, each tempo rep).
SIDE_CLIPS: Mapping[str, str] = {"left": "say-left-side", "right": "say-right-side"}
# The spoken clip of each cue when voice is on; `rest` depends on the segment kind.
CLIPS: Mapping[str, str] = {"switch": "say-switch-sides", "halfway": "say-halfway", "finish": "say-routine-complete"}
REST_CLIPS: Mapping[str, str] = {"prepare": "say-get-ready", "relax": "say-relax", "rest": "say-rest"}
NUMBER_CLIPS = ("say-one", "say-two", "say-three", "say-four", "say-five",
                "say-six", "say-seven", "say-eight", "say-nine", "say-ten")
EASING_CLIP = "say-is-it-easing"
EASING_TONE = "bell"
# The key in settings.yaml: a mapping like a routine's `sounds:`, e.g. `sounds: {countdown: blip,
# start: ~/bell.wav, rep: none}`; player.settings checks it and hands it to `set_user_sounds`.
SETTING_KEY = "sounds"


class CuePlayer:
    """Plays the sound of each cue the engine emits. `voice` and `muted` may be toggled at any time."""

    def __init__(
        self,
        backend: Backend,
        voice: bool = True,
        speak: Speak | None = None,
        *,
        user_sounds: Mapping[str, str] | None = None,
        folder: Path | None = None,
    ) -> None:
        self.backend = backend
        self.voice = voice
        self.speak = speak
        self.muted = False
        self.user_sounds: Mapping[str, str] = {}
        self.routine_sounds: Mapping[str, str] = {}  # for `finish`, which has no segment
        # Sounds that could not be loaded: reported once each, then the built-in plays.
        self.problems: list[str] = []
        self._failed: set[str] = set()
        self._announced: int | None = None  # the exercise occurrence whose first cue came last
        self._heading: object = None  # the section heading said last
        folder = folder or sounds_dir()
        for path in sorted(folder.glob("*.wav")):
            try:
                backend.load(path.stem, path)
            except SoundError as exc:
                self.problems.append(str(exc))
        self.set_user_sounds(user_sounds or {})

    def set_user_sounds(self, sounds: Mapping[str, str]) -> None:
        """Use the user's `sounds:` setting (cue -> none | bundled name | absolute .wav path), loading its files now."""
        self.user_sounds = dict(sounds)
        for value in self.user_sounds.values():
            self._sound_key(value)

    def prepare(self, routine: Routine) -> None:
        """Load the routine's own sound files and render its spoken names, before it plays."""
        self.routine_sounds = dict(routine.cue_settings.sounds)
        self._announced = None
        self._heading = None
        names: dict[str, None] = {}
        for settings, exercise in _walk(routine.steps, routine.cue_settings):
            for value in settings.sounds.values():
                self._sound_key(value)
            if exercise is not None:
                names.setdefault(exercise.spoken_name, None)
                for phase in exercise.tempo_names or ():
                    names.setdefault(phase, None)
        for text in _heading_texts(routine):
            names.setdefault(text, None)
        prepare = getattr(self.speak, "prepare", None)
        if prepare is not None and names:
            prepare(list(names))

    def handle(self, event: Event) -> str | None:
        """Play what `event` calls for; returns the sound name (or `speak:<text>`) it started, else None."""
        if self.muted:
            return None
        if isinstance(event, EasingAsked):
            return self._play(EASING_CLIP if self.voice else EASING_TONE)
        if not isinstance(event, CueFired):
            return None
        first = self._first_cue_of_exercise(event)
        heading = self._new_heading(event) if first is not None else None
        if first is not None and self.voice and self.speak is not None:
            text = first.spoken_name if heading is None else f"{heading}. {first.spoken_name}"
            self.speak(text, self._sound_for(event))
            return f"speak:{text}"
        sound = self._sound_for(event)
        phase = self._phase_name(event)
        if phase is not None and self._mapped("phase", event.segment) is None:
            # A named phase with voice on: its name, or the phase tone without a speech program.
            if self.speak is not None:
                self.speak(phase, sound)
                return f"speak:{phase}"
        return self._play(sound) if sound is not None else None

    def play(self, name: str) -> str | None:
        """Play a bundled sound by name (e.g. a prompt the UI shows), unless muted."""
        return None if self.muted else self._play(name)

    def close(self, drain: float = 0.0) -> None:
        """Release the speech program and the device, letting sounds play out for up to `drain` s."""
        close_speech = getattr(self.speak, "close", None)
        if close_speech is not None:
            close_speech()
        self.backend.close(drain)

    # -- choosing --

    def _first_cue_of_exercise(self, event: CueFired) -> Exercise | None:
        """The exercise, if `event` is the first cue of one of its occurrences (prepare's rest, else its start).

        Tracked whether or not voice is on, so switching voice on mid-exercise does not
        announce it at its next rep.
        """
        seg = event.segment
        if seg is None or not isinstance(seg.step, Exercise):
            return None
        opening = (event.cue == "rest" and seg.kind == "prepare") or (
            event.cue == "start" and seg.kind in ("work", "manual")
        )
        if not opening or seg.occurrence == self._announced:
            return None
        self._announced = seg.occurrence
        return seg.step

    def _sound_for(self, event: CueFired) -> str | None:
        """The loaded sound the cue plays: the routine's or user's choice, else the built-in; None for silence."""
        chosen = self._mapped(event.cue, event.segment)
        if chosen == "none":
            return None
        if chosen is not None and (key := self._sound_key(chosen)) is not None:
            return key
        return self._builtin(event)

    def _new_heading(self, event: CueFired) -> str | None:
        """The section title to announce with an exercise's name: when the exercise begins a new section."""
        seg = event.segment
        section = seg.section if seg is not None else None
        if section is None or section == self._heading:
            self._heading = section
            return None
        self._heading = section
        return section.title

    def _phase_name(self, event: CueFired) -> str | None:
        """The name the voice says at a `phase` cue: only for a named tempo, with voice on."""
        if event.cue != "phase" or not self.voice or event.segment is None or event.count is None:
            return None
        return event.segment.phase(event.count)[1]

    def _mapped(self, cue: str, seg: Segment | None) -> str | None:
        routine = seg.cue_settings.sounds if seg is not None else self.routine_sounds
        if cue in routine:
            return routine[cue]
        return self.user_sounds.get(cue)

    def _builtin(self, event: CueFired) -> str:
        cue = event.cue
        if self.voice:
            if cue == "countdown" and event.count is not None and 1 <= event.count <= len(NUMBER_CLIPS):
                return NUMBER_CLIPS[event.count - 1]
            seg = event.segment
            if cue == "rest" and seg is not None and seg.kind in REST_CLIPS:
                return REST_CLIPS[seg.kind]
            if seg is not None and seg.alternate and seg.kind == "work":
                if cue == "start" and seg.side in SIDE_CLIPS:
                    return SIDE_CLIPS[seg.side]
                if cue == "rep" and event.count is not None:
                    side = seg.rep_of(event.count)[1]
                    if side in SIDE_CLIPS:
                        return SIDE_CLIPS[side]
            if cue in CLIPS:
                return CLIPS[cue]
        return TONES.get(cue, "start")

    def _sound_key(self, value: str) -> str | None:
        """The backend name for a mapping value, loading a file the first time; None if unusable."""
        if value == "none":
            return None
        if not _is_path(value):
            if self.backend.has(value):
                return value
            self._fail(value, f"no bundled sound named {value!r}")
            return None
        key = f"file:{value}"
        if self.backend.has(key):
            return key
        if value in self._failed:
            return None
        try:
            self.backend.load(key, Path(value))
        except SoundError as exc:
            self._fail(value, str(exc))
            return None
        return key

    def _fail(self, value: str, message: str) -> None:
        if value not in self._failed:
            self._failed.add(value)
            self.problems.append(message)

    def _play(self, name: str) -> str | None:
        if not self.backend.has(name):
            return None
        self.backend.play(name)
        return name


def _is_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.lower().endswith(".wav")


def _walk(steps: tuple[Step, ...], outer: CueSettings) -> Iterable[tuple[CueSettings, Exercise | None]]:
    yield outer, None
    for step in steps:
        if isinstance(step, Section):
            continue  # a heading: no sounds of its own
        if isinstance(step, RepeatBlock):
            yield step.cue_settings, None
            yield from _walk(step.steps, step.cue_settings)
        else:
            yield step.cue_settings, step if isinstance(step, Exercise) else None


def _heading_texts(routine: Routine) -> list[str]:
    """What the voice says where a section begins: its title and the first exercise's name."""
    from player.timeline import iter_segments

    texts: list[str] = []
    last = None
    for seg in iter_segments(routine.steps):
        if seg.section is not None and seg.section != last and isinstance(seg.step, Exercise):
            texts.append(f"{seg.section.title}. {seg.step.spoken_name}")
        last = seg.section
    return texts
