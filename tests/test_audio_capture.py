"""What the real backends play, captured with no sound card.

ALSA's `file` plugin over a `null` device writes every stream a program opens to
CAPTURE, CAPTURE.0001, ... Each test runs a routine in a subprocess (ALSA reads its
configuration once per process) through one backend, then compares the captured
streams with the decoded sounds the cue player chose, in order.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import pytest

from player.audio.pcm import load_pcm, samples_of
from player.resources import sounds_dir

REPO = Path(__file__).resolve().parent.parent

ROUTINE = """\
id: capture
name: Capture
sounds:
  halfway: none
  finish: bell
steps:
  - name: Side lunge
    hold: 10
    reps: 2
    sides: both
    prepare: 4
    relax: 3
    switch: 4
  - include: heel.yaml
  - rest: 5
"""

# Included: its own `sounds` apply to its steps (a custom file, a bundled alternative).
INCLUDED = """\
id: heel
name: Heel
sounds:
  rep: knock.wav
  countdown: blip
steps:
  - name: Heel raise
    reps: 3
    tempo: 1-1
    prepare: 0
"""


def write_routine(folder: Path, knock: bool = True) -> Path:
    """The routine files, and knock.wav: the rep sound played backwards, a distinct custom file."""
    (folder / "capture.yaml").write_text(ROUTINE)
    (folder / "heel.yaml").write_text(INCLUDED if knock else INCLUDED.replace("knock.wav", "rep"))
    samples = samples_of(load_pcm(sounds_dir() / "rep.wav"))
    samples.reverse()
    with wave.open(str(folder / "knock.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(44100)  # another rate: decoding converts it
        w.writeframes(samples.tobytes())
    return folder / "capture.yaml"


# Plays the routine through the engine at high speed with a fake clock, handing
# every event to a CuePlayer, and waits for each sound to finish (and its device
# to close) before the next, so each sound is one captured stream.
DRIVER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from player.audio import CuePlayer, select_backend
    from player.engine import Session, State
    from player.loader import load_routine
    from player.timeline import compile_timeline

    kind, routine_path = sys.argv[1], Path(sys.argv[2])
    backend, notice = select_backend(kind, miniaudio_options={"idle_close": 0.0})
    player = CuePlayer(backend, voice=True)
    routine = load_routine(routine_path)
    player.prepare(routine)
    session = Session(compile_timeline(routine), speed=1000.0)
    events, played = session.start(0.0), []
    while True:
        for event in events:
            name = player.handle(event)
            if name is not None:
                played.append(name)
                assert backend.wait_idle(10), "sound did not finish"
        deadline = session.next_deadline()
        if deadline is None:
            break
        events = session.advance(deadline)
    player.close()
    print(json.dumps({"backend": backend.name, "notice": notice, "played": played,
                      "finished": session.state is State.FINISHED, "problems": player.problems}))
""")


def capture_config(folder: Path) -> tuple[Path, Path]:
    """An ALSA configuration whose default device writes raw streams under `folder`."""
    (folder / "streams").mkdir()
    capture = folder / "streams" / "capture"
    config = folder / "asound.conf"
    config.write_text(
        f'pcm.!default {{ type file; slave.pcm {{ type null }}; file "{capture}"; format "raw"; truncate false }}\n'
    )
    return config, capture


def streams(capture: Path) -> list[bytes]:
    """The captured streams in the order they were opened, without silence at either end."""
    def number(p: Path) -> int:
        return 0 if p.name == capture.name else int(p.suffix[1:])

    files = sorted(capture.parent.glob(capture.name + "*"), key=number)
    return [s for s in (strip(f.read_bytes()) for f in files) if s]


def strip(pcm: bytes) -> bytes:
    """Drop whole zero samples at both ends (device padding, probe streams of silence)."""
    start, end = 0, len(pcm) - len(pcm) % 2
    while start < end and pcm[start : start + 2] == b"\0\0":
        start += 2
    while end > start and pcm[end - 2 : end] == b"\0\0":
        end -= 2
    return pcm[start:end]


def expected_pcm(name: str, folder: Path) -> bytes:
    if name.startswith("file:"):
        return strip(load_pcm(Path(name[5:])))
    return strip(load_pcm(sounds_dir() / f"{name}.wav"))


def run_driver(kind: str, tmp_path: Path, config: Path) -> dict[str, object]:
    routine = write_routine(tmp_path)
    env = dict(os.environ, ALSA_CONFIG_PATH=str(config))
    out = subprocess.run(
        [sys.executable, "-c", DRIVER, kind, str(routine)], env=env, cwd=REPO,
        capture_output=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    assert out.stderr == b""
    result: dict[str, object] = json.loads(out.stdout)
    return result


BACKENDS = [
    "miniaudio",
    pytest.param(
        "simpleaudio",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("simpleaudio") is None or sys.version_info >= (3, 12),
            reason="simpleaudio not installed, or a Python it crashes on (vmo does not use it there)",
        ),
    ),
]


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_routine_plays_the_expected_sounds_in_order(kind: str, tmp_path: Path) -> None:
    config, capture = capture_config(tmp_path)
    result = run_driver(kind, tmp_path, config)
    assert result["backend"] == kind and result["notice"] is None and result["finished"] is True
    assert result["problems"] == []
    played = result["played"]
    assert isinstance(played, list)
    knock = f"file:{tmp_path / 'knock.wav'}"
    count = ["say-three", "say-two", "say-one"]
    side = ["start", *count, "say-relax", *count, "start", *count]  # halfway: none
    assert played == [
        "say-get-ready", *count, *side, "say-switch-sides", *count, *side,
        # tempo 1-1 x 3 reps (6 s): phase 2 at 1 s, rep 2 at 2 s, phase 4 and countdown 3 at 3 s,
        # rep 3 and countdown 2 at 4 s, phase 6 and countdown 1 at 5 s
        "start", "phase", knock, "phase", "blip", knock, "blip", "phase", "blip",
        "say-rest", *count, "bell",
    ]
    got = streams(capture)
    want = [expected_pcm(name, tmp_path) for name in played]
    assert len(got) == len(want), f"{len(got)} streams captured for {len(want)} sounds"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"stream {i} is not {played[i]} ({len(g)} bytes captured, {len(w)} expected)"


NO_CARD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from player.audio import open_cue_player
    from player.engine import Session, State
    from player.loader import load_routine
    from player.timeline import compile_timeline

    player, notice = open_cue_player("auto", voice=True, bell=None)
    if notice:
        print(notice)
    routine = load_routine(Path(sys.argv[1]))
    player.prepare(routine)
    session = Session(compile_timeline(routine), speed=1000.0)
    events, cues = session.start(0.0), 0
    while True:
        for event in events:
            cues += player.handle(event) is not None
        deadline = session.next_deadline()
        if deadline is None:
            break
        events = session.advance(deadline)
    player.close(drain=1.0)
    print("finished" if session.state is State.FINISHED else "stuck", cues, type(player.backend).__name__)
""")


def run_no_card(code: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    empty = tmp_path / "empty.conf"
    empty.write_text("")
    routine = write_routine(tmp_path, knock=False)
    env = dict(os.environ, ALSA_CONFIG_PATH=str(empty))
    # stderr is a pipe at the file-descriptor level: ALSA's C-level writes land here too.
    return subprocess.run(
        [sys.executable, "-c", code, str(routine)], env=env, cwd=REPO, capture_output=True, timeout=120
    )


def test_no_sound_card_falls_back_with_one_notice_and_nothing_from_alsa(tmp_path: Path) -> None:
    out = run_no_card(NO_CARD, tmp_path)
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    assert out.stderr == b""
    lines = out.stdout.decode().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("no sound: could not open a sound device (") and lines[0].endswith("cues are silent")
    finished, cues, backend = lines[1].split()
    assert finished == "finished" and int(cues) > 20 and backend == "SilentBackend"


def test_without_the_silencing_alsa_would_have_written_to_stderr(tmp_path: Path) -> None:
    """The control for the test above: the empty configuration does make ALSA complain."""
    code = textwrap.dedent("""
        import miniaudio
        try:
            miniaudio.PlaybackDevice(nchannels=1, sample_rate=22050, backends=[miniaudio.Backend.ALSA])
        except miniaudio.MiniaudioError:
            pass
    """)
    out = run_no_card(code, tmp_path)
    assert b"ALSA lib" in out.stderr
