"""The pieces under the cue player: bundled sounds, PCM helpers, the mixer, speech, selection."""

from __future__ import annotations

import array
import io
import sys
import re
import shutil
import wave
from pathlib import Path

import pytest

from player.audio import RecordingBackend, SilentBackend, select_backend, terminal_bell
from player.audio.cues import CLIPS, EASING_CLIP, EASING_TONE, NUMBER_CLIPS, REST_CLIPS, TONES
from player.audio.pcm import RATE, SoundError, load_pcm, mix, samples_of, trim_silence
from player.audio.speech import Speaker, SpeechProgram, clean_text, find_speech_program
from player.resources import sounds_dir

SOUNDS = sounds_dir()


def test_every_cue_sound_is_bundled_16_bit_mono_at_one_rate() -> None:
    needed = {*TONES.values(), *CLIPS.values(), *REST_CLIPS.values(), *NUMBER_CLIPS, EASING_CLIP, EASING_TONE}
    for name in sorted(needed):
        with wave.open(str(SOUNDS / f"{name}.wav"), "rb") as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE), name
            assert 0.03 < w.getnframes() / RATE < 1.5, name


def test_cue_tones_are_distinct_and_fade_in_and_out() -> None:
    seen: dict[bytes, str] = {}
    for name in set(TONES.values()):
        pcm = load_pcm(SOUNDS / f"{name}.wav")
        assert pcm not in seen, f"{name} is the same as {seen.get(pcm)}"
        seen[pcm] = name
        samples = samples_of(pcm)
        # Starts and ends at (near) zero: no click.
        assert abs(samples[0]) < 200 and abs(samples[-1]) < 200, name
        assert max(abs(s) for s in samples) > 10000, name


def test_spoken_clips_are_trimmed() -> None:
    for name in NUMBER_CLIPS[:3]:
        samples = samples_of(load_pcm(SOUNDS / f"{name}.wav"))
        first_loud = next(i for i, s in enumerate(samples) if abs(s) > 300)
        last_loud = max(i for i, s in enumerate(samples) if abs(s) > 300)
        assert first_loud < 0.02 * RATE and len(samples) - last_loud < 0.02 * RATE, name


def test_readme_lists_every_sound_file_and_no_other() -> None:
    readme = (SOUNDS / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([\w-]+\.wav)` \|", readme, re.MULTILINE))
    assert listed == {p.name for p in SOUNDS.glob("*.wav")}


def test_load_pcm_reports_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(SoundError, match="no such sound file"):
        load_pcm(tmp_path / "nope.wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(SoundError, match="junk.wav"):
        load_pcm(junk)


def test_stereo_and_other_rates_are_converted(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(b"\x10\x00\x10\x00" * 4410)
    assert len(load_pcm(path)) == pytest.approx(2 * RATE * 0.1, abs=4)


def test_mix_sums_and_clips() -> None:
    a = array.array("h", [1000, -30000, 30000, 5]).tobytes()
    b = array.array("h", [1000, -10000, 10000]).tobytes()
    assert list(samples_of(mix([a, b]))) == [2000, -32768, 32767, 5]
    assert mix([a]) is a


def test_mixer_plays_overlapping_voices_summed_then_reports_idle() -> None:
    from player.audio.mini import DRAIN_CALLBACKS, _Mixer

    idle: list[bool] = []
    mixer = _Mixer(lambda: idle.append(True))
    mixer.add(array.array("h", [100] * 6).tobytes())
    assert list(samples_of(mixer.send(4))) == [100] * 4
    mixer.add(array.array("h", [1] * 3).tobytes())  # starts while the first still plays
    assert list(samples_of(mixer.send(4))) == [101, 101, 1]
    # Silence while the last samples drain out of the device buffer, then idle.
    for _ in range(DRAIN_CALLBACKS):
        assert mixer.busy is True and idle == []
        assert mixer.send(4) == b""
    assert mixer.busy is False and idle == [True]
    assert mixer.send(4) == b"" and idle == [True]


def test_trim_silence_keeps_a_short_margin() -> None:
    pcm = array.array("h", [0] * 1000 + [5000] * 10 + [0] * 1000).tobytes()
    margin = int(0.01 * RATE)
    assert list(samples_of(trim_silence(pcm))) == [0] * margin + [5000] * 10 + [0] * margin


def test_clean_text_drops_control_characters_and_phoneme_brackets() -> None:
    assert clean_text("Quad\x1b[31m set\n[[h@'loU]]") == "Quad [31m set h@'loU"


def test_speaker_falls_back_when_the_program_fails() -> None:
    backend = RecordingBackend()
    backend.load("start", SOUNDS / "start.wav")
    speaker = Speaker(backend, SpeechProgram("false", (shutil.which("false") or "false",)))
    speaker("Quad set", "start")
    speaker.close()  # joins the worker: everything queued has been handled
    assert backend.played == ["start"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_speaker_renders_a_name_once_and_plays_it_through_the_backend() -> None:
    program = find_speech_program()
    assert program is not None and program.name == "espeak-ng"
    backend = RecordingBackend()
    speaker = Speaker(backend, program)
    speaker.prepare(["Wall sit"])
    speaker("Wall sit", "start")
    speaker("Wall  sit", "start")  # the same words: not rendered again
    speaker.close()
    assert backend.played == ["speech:Wall sit", "speech:Wall sit"]
    samples = samples_of(backend.pcm("speech:Wall sit") or b"")
    assert 0.3 * RATE < len(samples) < 2 * RATE
    assert next(i for i, s in enumerate(samples) if abs(s) > 300) < 0.02 * RATE  # leading silence trimmed


def test_none_and_bell_choices_need_no_library_and_give_no_notice() -> None:
    rung: list[int] = []
    quiet, notice = select_backend("none", bell=lambda: rung.append(1))
    assert isinstance(quiet, SilentBackend) and notice is None
    bell, notice = select_backend("bell", bell=lambda: rung.append(1))
    bell.load("tick", SOUNDS / "tick.wav")
    quiet.load("tick", SOUNDS / "tick.wav")
    quiet.play("tick")
    bell.play("tick")
    bell.play("tick")
    assert notice is None and rung == [1, 1]


def test_unknown_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, miniaudio, simpleaudio, bell, none"):
        select_backend("loud")


def test_terminal_bell_only_on_a_terminal() -> None:
    assert terminal_bell(io.StringIO()) is None

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    ring = terminal_bell(tty)
    assert ring is not None
    ring()
    assert tty.getvalue() == "\a"


def test_simpleaudio_is_never_used_on_a_python_it_crashes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from player.audio import select

    monkeypatch.setattr(select, "SIMPLEAUDIO_WORKS", False)
    monkeypatch.setattr(select.sys, "version_info", (3, 12, 1, "final", 0))
    backend, notice = select.select_backend("simpleaudio", bell=lambda: None)
    assert isinstance(backend, SilentBackend)
    assert notice == (
        "no sound: simpleaudio crashes on Python 3.12, so vmo does not use it; cues ring the terminal bell instead"
    )
    backend.close()


def test_simpleaudio_works_where_the_extra_installs_it() -> None:
    from player.audio import select

    assert select.SIMPLEAUDIO_WORKS is (sys.version_info < (3, 12))
