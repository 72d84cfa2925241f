"""The cue mapping: which sound each engine event plays, through a RecordingBackend."""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from player.audio import CuePlayer, RecordingBackend
from player.audio.pcm import RATE, load_pcm
from player.engine import Session, State
from player.events import CueFired, EasingAsked, Event, SegmentStarted
from player.model import CueSettings, Exercise, RestStep, Routine
from player.timeline import Segment, compile_timeline

EX = Exercise(name="Quad set", hold=10.0, reps=2, prepare=5.0, relax=3.0)


def seg(kind: str = "work", *, occurrence: int = 0, sounds: dict[str, str] | None = None,
        step: Exercise | RestStep | None = EX) -> Segment:
    """A segment of `kind` with its step's cue settings (or `sounds`)."""
    settings = CueSettings(sounds=sounds or {})
    return Segment(kind, "Quad set", 10.0, occurrence=occurrence, step=step, cue_settings=settings)


def cue(name: str, segment: Segment | None = None, count: int | None = None) -> CueFired:
    return CueFired(name, 0, 0.0, segment if segment is not None or name == "finish" else seg(), count)


class Said:
    """A fake speech callable: records (text, fallback)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.prepared: list[str] = []

    def __call__(self, text: str, fallback: str | None) -> None:
        self.calls.append((text, fallback))

    def prepare(self, texts: list[str]) -> None:
        self.prepared.extend(texts)


def write_tone(path: Path, freq: float = 300.0, rate: int = RATE, seconds: float = 0.1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(rate * seconds)
        w.writeframes(struct.pack(f"<{n}h", *(int(8000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(n))))
    return path


def play(player: CuePlayer, events: list[Event]) -> list[str]:
    backend = player.backend
    assert isinstance(backend, RecordingBackend)
    for event in events:
        player.handle(event)
    return backend.played


def test_voice_off_plays_each_cue_tone() -> None:
    player = CuePlayer(RecordingBackend(), voice=False)
    events: list[Event] = [
        cue("rest", seg("prepare")), cue("countdown", count=3), cue("start"), cue("halfway"),
        cue("rep", count=2), cue("switch", seg("switch")), cue("rest", seg("relax")), cue("finish"),
    ]
    assert play(player, events) == ["rest", "tick", "start", "halfway", "rep", "switch", "rest", "finish"]


def test_countdown_speaks_numbers_with_voice_on_and_ticks_with_it_off() -> None:
    player = CuePlayer(RecordingBackend(), voice=True)
    assert play(player, [cue("countdown", count=n) for n in (3, 2, 1)]) == ["say-three", "say-two", "say-one"]
    player.voice = False  # the UI's `v` toggles it mid-routine
    assert play(player, [cue("countdown", count=n) for n in (3, 2, 1)])[3:] == ["tick", "tick", "tick"]


def test_countdown_beyond_ten_ticks_even_with_voice() -> None:
    player = CuePlayer(RecordingBackend(), voice=True)
    assert play(player, [cue("countdown", count=12), cue("countdown", count=10)]) == ["tick", "say-ten"]


def test_voice_on_uses_spoken_clips_by_segment_kind() -> None:
    player = CuePlayer(RecordingBackend(), voice=True)
    rest_step = RestStep(rest=30.0)
    events: list[Event] = [
        cue("rest", seg("prepare")), cue("start"), cue("halfway"), cue("rest", seg("relax")),
        cue("switch", seg("switch")), cue("rest", seg("rest", step=rest_step)), cue("rep", count=3), cue("finish"),
    ]
    assert play(player, events) == [
        "say-get-ready", "start", "say-halfway", "say-relax", "say-switch-sides", "say-rest", "rep",
        "say-routine-complete",
    ]


def test_exercise_name_is_spoken_once_per_occurrence_at_its_first_cue() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    announced = Exercise(name="Quad set", announce="Tighten the thigh", hold=10.0, reps=2)
    first = seg("prepare", occurrence=0)
    second = Segment("work", "Wall sit", 30.0, occurrence=1, step=announced)
    events: list[Event] = [
        cue("rest", first), cue("start", seg("work", occurrence=0)), cue("start", seg("work", occurrence=0)),
        cue("start", second), cue("start", second),
    ]
    assert play(player, events) == ["start", "start", "start"]
    # No prepare on the second: its name comes with its first start, instead of the start tone.
    assert said.calls == [("Quad set", "say-get-ready"), ("Tighten the thigh", "start")]


def test_without_a_speech_program_the_start_sound_plays() -> None:
    player = CuePlayer(RecordingBackend(), voice=True, speak=None)
    assert play(player, [cue("start", seg("work", occurrence=4))]) == ["start"]


def test_voice_off_never_speaks_names() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=False, speak=said)
    assert play(player, [cue("rest", seg("prepare")), cue("start")]) == ["rest", "start"]
    assert said.calls == []


def test_routine_sounds_mapping_bundled_name_none_and_path(tmp_path: Path) -> None:
    custom = write_tone(tmp_path / "gong.wav", rate=44100)
    sounds = {"countdown": "blip", "halfway": "none", "start": str(custom)}
    player = CuePlayer(RecordingBackend(), voice=True)
    played = play(player, [
        cue("countdown", seg(sounds=sounds), count=3), cue("halfway", seg(sounds=sounds)),
        cue("start", seg(sounds=sounds)), cue("rep", seg(sounds=sounds), count=2),
    ])
    assert played == ["blip", f"file:{custom}", "rep"]
    # Decoded once, converted to the common format: 0.1 s at 44.1 kHz is 0.1 s at RATE.
    pcm = player.backend.pcm(f"file:{custom}")  # type: ignore[attr-defined]
    assert pcm == load_pcm(custom) and len(pcm) == pytest.approx(2 * RATE * 0.1, abs=4)


def test_user_setting_applies_where_the_routine_is_silent_and_the_routine_wins(tmp_path: Path) -> None:
    player = CuePlayer(RecordingBackend(), voice=False, user_sounds={"countdown": "none", "start": "bell"})
    mapped = seg(sounds={"start": "beep"})
    assert play(player, [cue("countdown", count=1), cue("start"), cue("start", mapped)]) == ["bell", "beep"]
    player.set_user_sounds({})
    assert play(player, [cue("countdown", count=1)])[-1] == "tick"


def test_finish_uses_the_routine_level_mapping_after_prepare() -> None:
    routine = Routine(id="r", name="R", steps=(EX,), cue_settings=CueSettings(sounds={"finish": "bell"}))
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    player.prepare(routine)
    assert play(player, [cue("finish")]) == ["bell"]
    assert said.prepared == ["Quad set"]


def test_prepare_loads_step_sound_files_before_playing(tmp_path: Path) -> None:
    custom = write_tone(tmp_path / "knock.wav")
    ex = Exercise(name="Squat", duration=30.0, cue_settings=CueSettings(sounds={"rep": str(custom)}))
    player = CuePlayer(RecordingBackend(), voice=False)
    player.prepare(Routine(id="r", name="R", steps=(ex,)))
    assert player.backend.has(f"file:{custom}")


def test_unreadable_sound_file_is_reported_once_and_the_builtin_plays(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....not a wave at all")
    player = CuePlayer(RecordingBackend(), voice=False)
    mapped = seg(sounds={"start": str(broken)})
    assert play(player, [cue("start", mapped), cue("start", mapped)]) == ["start", "start"]
    assert len(player.problems) == 1 and str(broken) in player.problems[0]


def test_muted_plays_nothing_and_unmuting_resumes() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    player.muted = True
    assert play(player, [cue("rest", seg("prepare")), cue("countdown", count=1), cue("finish")]) == []
    assert said.calls == []
    player.muted = False
    assert play(player, [cue("countdown", count=1)]) == ["say-one"]


def test_easing_question_is_spoken_or_rung() -> None:
    asked = EasingAsked(0, seg(), 0.0, 1)
    assert play(CuePlayer(RecordingBackend(), voice=True), [asked]) == ["say-is-it-easing"]
    assert play(CuePlayer(RecordingBackend(), voice=False), [asked]) == ["bell"]


def test_other_events_play_nothing() -> None:
    player = CuePlayer(RecordingBackend(), voice=True)
    assert player.handle(SegmentStarted(0, seg(), 0.0)) is None
    assert player.backend.played == []  # type: ignore[attr-defined]


def test_a_whole_routine_through_the_engine() -> None:
    ex = Exercise(name="Side lunge", hold=10.0, reps=2, sides=("left", "right"), prepare=5.0, relax=3.0, switch=5.0)
    routine = Routine(id="r", name="R", steps=(ex, RestStep(rest=10.0)))
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    player.prepare(routine)
    session = Session(compile_timeline(routine), speed=50.0)
    events = session.start(0.0)
    while (deadline := session.next_deadline()) is not None:
        events += session.advance(deadline)
    assert session.state is State.FINISHED
    played = play(player, events)
    count = ["say-three", "say-two", "say-one"]
    hold = ["start", "say-halfway", *count]
    side = [*hold, "say-relax", *count, *hold]
    assert said.calls == [("Side lunge", "say-get-ready")]
    assert played == [*count, *side, "say-switch-sides", *count, *side, "say-rest", *count, "say-routine-complete"]


def test_importing_the_audio_package_loads_no_audio_library() -> None:
    code = "import sys, player.audio; print([m for m in ('miniaudio', 'simpleaudio', 'textual') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_fallback_for_a_name_is_the_sound_the_cue_would_have_played() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    play(player, [
        cue("rest", seg("prepare", sounds={"rest": "bell"})),
        cue("start", seg(occurrence=1, sounds={"start": "none"})),
    ])
    assert said.calls == [("Quad set", "bell"), ("Quad set", None)]


def test_turning_voice_on_mid_exercise_does_not_announce_it_at_the_next_rep() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=False, speak=said)
    play(player, [cue("rest", seg("prepare")), cue("start")])
    player.voice = True
    assert play(player, [cue("start"), cue("start", seg(occurrence=1))]) == ["rest", "start", "start"]
    assert said.calls == [("Quad set", "start")]


# ----- richer dosage: the phase cue and alternate sides -----

SQUAT = Exercise(name="Squat", reps=2, tempo=(3.0, 1.0, 3.0), prepare=0.0)
NAMED = Exercise(name="Squat", reps=2, tempo=(3.0, 1.0, 3.0), tempo_names=("down", "hold", "up"), prepare=0.0)


def tempo_seg(step: Exercise, sounds: dict[str, str] | None = None) -> Segment:
    return Segment("work", step.name, 14.0, step=step, cue_settings=CueSettings(sounds=sounds or {}))


def test_phase_cue_plays_the_phase_tone_for_a_numbers_only_tempo_even_with_voice() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    player._announced = 0  # the exercise's name was said at its start
    assert play(player, [cue("phase", tempo_seg(SQUAT), count=2), cue("phase", tempo_seg(SQUAT), count=3)]) == [
        "phase", "phase",
    ]
    assert said.calls == []


def test_phase_cue_says_the_phase_name_of_a_named_tempo_with_voice_on() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    player._announced = 0
    for count in (2, 3, 5):
        assert player.handle(cue("phase", tempo_seg(NAMED), count=count)) is not None
    assert said.calls == [("hold", "phase"), ("up", "phase"), ("hold", "phase")]


def test_phase_names_are_rendered_before_play_and_voice_off_plays_the_tone() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    player.prepare(Routine(id="r", name="R", steps=(NAMED,)))
    assert said.prepared == ["Squat", "down", "hold", "up"]
    quiet_player = CuePlayer(RecordingBackend(), voice=False, speak=said)
    assert play(quiet_player, [cue("phase", tempo_seg(NAMED), count=2)]) == ["phase"]


def test_sounds_phase_none_silences_the_phase_cue_and_its_name() -> None:
    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    player._announced = 0
    assert player.handle(cue("phase", tempo_seg(NAMED, {"phase": "none"}), count=2)) is None
    assert said.calls == []
    assert player.backend.played == []


def test_alternate_holds_say_the_side_and_alternate_tempo_reps_too() -> None:
    hold = Exercise(name="Raise", hold=5.0, reps=2, sides=("left", "right"), alternate=True, prepare=0.0)
    player = CuePlayer(RecordingBackend(), voice=True, speak=None)
    starts = [Segment("work", "Raise", 5.0, side=side, step=hold, occurrence=0) for side in ("left", "right")]
    assert play(player, [cue("start", s) for s in starts]) == ["say-left-side", "say-right-side"]
    lunge = Exercise(name="Lunge", reps=2, tempo=(1.0, 1.0), sides=("left", "right"), alternate=True, prepare=0.0)
    seg_t = Segment("work", "Lunge", 8.0, step=lunge)
    player = CuePlayer(RecordingBackend(), voice=True, speak=None)
    assert play(player, [cue("rep", seg_t, count=n) for n in (2, 3, 4)]) == [
        "say-right-side", "say-left-side", "say-right-side",
    ]
    off = CuePlayer(RecordingBackend(), voice=False)
    assert play(off, [cue("start", starts[1]), cue("rep", seg_t, count=2)]) == ["start", "rep"]


def test_a_section_is_announced_with_the_first_exercise_under_it() -> None:
    from player.model import Section

    said = Said()
    player = CuePlayer(RecordingBackend(), voice=True, speak=said)
    part = Section("Part 1: running")
    routine = Routine(id="r", name="R", steps=(
        part, Exercise(name="Jog", duration=10.0, prepare=0.0), Exercise(name="Run", duration=10.0, prepare=0.0),
    ))
    player.prepare(routine)
    assert said.prepared == ["Jog", "Run", "Part 1: running. Jog"]
    session = Session(compile_timeline(routine), speed=100.0)
    events = session.start(0.0)
    while session.state is not State.FINISHED:
        events += session.advance(session.next_deadline())  # type: ignore[arg-type]
    for event in events:
        player.handle(event)
    assert [text for text, _ in said.calls] == ["Part 1: running. Jog", "Run"]
