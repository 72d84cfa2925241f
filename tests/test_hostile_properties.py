"""No file makes a command fail badly (issue 13): random bytes, random YAML, and random mutations of
valid routines, settings and history lines never make `check`, `show`, `list` or `history` raise,
hang, or print a raw control or bidi character. In-process calls to `player.cli.main`, for speed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player import settings as settings_module
from player.cli import main

REPO = Path(__file__).resolve().parent.parent
ROUTINES = sorted((REPO / "routines").glob("*/*.yaml"))
VALID_ROUTINES = [p.read_text(encoding="utf-8") for p in ROUTINES[:4]]
VALID_SETTINGS = "audio: none\nvoice: false\nweekly_target: 4\nask_pain: yes\nsounds:\n  start: bell\n  rep: none\n"
VALID_RECORD = {
    "version": 1, "start": "2025-03-03T08:00:00+01:00", "end": "2025-03-03T08:04:00+01:00",
    "routine_id": "quad-sets", "routine_name": "Quad sets", "file_hash": None, "player": "plain", "speed": 1.0,
    "planned_seconds": 215.0, "played_seconds": 214.0, "segments_total": 40, "segments_done": 40,
    "segments_skipped": 0, "completed": False, "stopped_at": {"exercise": "Quad set", "segment_index": 3},
    "pain_before": 3, "pain_after": 2, "cramp": {"muscle": "calf", "eased_after_seconds": 12.5, "escalated": False},
}
# What may never reach the terminal raw: C0 but tab and newline, DEL, C1, bidi controls, line separators.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
EXPECTED_STATUS = {0, 1, 2}
PER_COMMAND_SECONDS = 10  # a hang fails the example instead of stalling the suite

PROPERTY = settings(max_examples=int(os.environ.get("VMO_PROPERTY_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(*args: str, data: Path) -> tuple[int, str]:
    """`vmo ARGS` in this process: the status and everything written to stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("VMO_DATA_DIR"), os.environ.pop("VMO_ROUTINES", None)
    os.environ["VMO_DATA_DIR"] = str(data)
    settings_module._loaded.clear()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), time_limit(PER_COMMAND_SECONDS):
            status = main(list(args))
    finally:
        if saved[0] is None:
            os.environ.pop("VMO_DATA_DIR", None)
        else:
            os.environ["VMO_DATA_DIR"] = saved[0]
        if saved[1] is not None:
            os.environ["VMO_ROUTINES"] = saved[1]
    return status, out.getvalue() + err.getvalue()


def assert_well_behaved(status: int, text: str, args: tuple[str, ...]) -> None:
    assert status in EXPECTED_STATUS, (args, status, text[-2000:])
    assert "Traceback" not in text, (args, text[-2000:])
    raw = RAW.search(text.replace("\r\n", "\n"))  # CSV rows end in CRLF (RFC 4180)
    assert raw is None, (args, repr(raw.group()), text[max(0, raw.start() - 200) : raw.start() + 50])  # type: ignore[union-attr]


def every_command(data: Path, routine: Path) -> None:
    folder = str(routine.parent)
    for args in (
        ("check", str(routine)), ("check", "--format", "json", str(routine)),
        ("check", "--format", "github", folder), ("show", str(routine)), ("show", "--json", str(routine)),
        ("list", "--routines", folder), ("list", "--json", "--routines", folder),
        ("history",), ("history", "--json"), ("history", "--csv"),
    ):
        status, text = run(*args, data=data)
        assert_well_behaved(status, text, args)
        if args[-1] == "--json" and status == 0 and args[0] == "history":
            json.loads(text.split("\n", 1)[0])  # strict JSON (no NaN, no Infinity)


def scenario(routine: bytes, settings_text: bytes | None = None, history: bytes | None = None) -> None:
    with tempfile.TemporaryDirectory() as where:
        base = Path(where)
        data = base / "data"
        data.mkdir()
        lib = base / "lib"
        lib.mkdir()
        # The file name is outside text too.
        path = lib / "r\x1b]0;t\x07\u202e.yaml"
        path.write_bytes(routine)
        if settings_text is not None:
            (data / "settings.yaml").write_bytes(settings_text)
        if history is not None:
            (data / "history.jsonl").write_bytes(history)
        every_command(data, path)


# -- strategies --

hostile_text = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\x1b\x07\x9b\u202e\u2066\u200f\u2028\x00\x7f\n:-[]{}&*!|>'\"%@`#,")),
    ),
    max_size=30,
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True), hostile_text,
)
yaml_values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)),
    max_leaves=20,
)
routine_keys = st.sampled_from(
    ["id", "name", "category", "summary", "steps", "safety", "defaults", "sounds", "name", "duration", "hold",
     "reps", "sets", "tempo", "rest", "include", "sides", "prepare", "relax", "switch", "rounds"]
)
routine_like = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(routine_keys, inner, max_size=6)),
    max_leaves=25,
)


def dump(value: object) -> bytes:
    try:
        return yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, ValueError, RecursionError):
        return b"{}"


@st.composite
def mutated(draw: st.DrawFn, texts: list[str]) -> bytes:
    """A valid text with a few random edits: cut, insert (bytes, text, huge numbers), duplicate, swap."""
    data = bytearray(draw(st.sampled_from(texts)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["cut", "bytes", "text", "number", "dup"]))
        if op == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "bytes":
            data[at:at] = draw(st.binary(max_size=12))
        elif op == "text":
            data[at:at] = draw(hostile_text).encode("utf-8", "surrogatepass")
        elif op == "number":
            data[at:at] = draw(st.sampled_from([b"9" * 5000, b"1e400", b".inf", b"-.nan", b"\xd9\xa1\xd9\xa0s",
                                                b"NaN", b"Infinity", b"-0", b"99999999999999999999"]))
        else:
            end = data.find(b"\n", at)
            line = data[at : end + 1 if end >= 0 else len(data)]
            data[at:at] = line * draw(st.integers(1, 3))
    return bytes(data)


@st.composite
def history_lines(draw: st.DrawFn) -> bytes:
    """Valid records, some with a field replaced by a random JSON value, some random bytes or raw JSON."""
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["valid", "field", "bytes", "literal"]))
        record = dict(VALID_RECORD)
        if kind == "field":
            record[draw(st.sampled_from(sorted(record)))] = draw(yaml_values)
        if kind == "bytes":
            lines.append(draw(st.binary(max_size=60)))
            continue
        text = json.dumps(record, ensure_ascii=False)
        if kind == "literal":
            key = draw(st.sampled_from(["played_seconds", "planned_seconds", "segments_done", "speed", "pain_before"]))
            literal = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "9" * 5000, "-1", "1e-400"]))
            text = re.sub(f'"{key}": [^,]+', f'"{key}": {literal}', text)
        lines.append(text.encode("utf-8", "surrogatepass"))
    return b"\n".join(lines) + b"\n"


# -- the properties --


@PROPERTY
@given(st.binary(max_size=400), st.binary(max_size=200), st.binary(max_size=200))
def test_random_bytes(routine: bytes, settings_text: bytes, history: bytes) -> None:
    scenario(routine, settings_text, history)


@PROPERTY
@given(routine_like.map(dump), yaml_values.map(dump))
def test_random_yaml(routine: bytes, settings_text: bytes) -> None:
    scenario(routine, settings_text)


@PROPERTY
@given(mutated(VALID_ROUTINES), mutated([VALID_SETTINGS]), history_lines())
def test_mutations_of_valid_files(routine: bytes, settings_text: bytes, history: bytes) -> None:
    scenario(routine, settings_text, history)
