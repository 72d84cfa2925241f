"""The model cache (player/modelcache.py): the same models as the loader, reused only while nothing they
depend on changed, a damaged cache ignored and replaced, and `vmo today` served from it without YAML."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player import modelcache
from player.loader import check_file

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures" / "programmes"
OLD = 1_700_000_000_000_000_000  # a modification time long past: not "just changed"


def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    for name in ("prog.yaml", "slr.yaml", "other.yaml"):
        shutil.copy(FIX / name, lib / name)
    age(lib)
    return lib


def age(lib: Path, shift: int = 0) -> None:
    """Files and folder dated long ago (`shift` ns later): their times are not racy, and differ per shift."""
    for p in [*lib.iterdir(), lib]:
        os.utime(p, ns=(OLD + shift, OLD + shift))


def every_valid_file() -> list[Path]:
    files = sorted((ROOT / "routines").rglob("*.yaml")) + sorted(FIX.glob("*.yaml"))
    return [f for f in files if check_file(f, str(f))[0] is not None]


@pytest.mark.parametrize("path", every_valid_file(), ids=lambda p: p.name)
def test_every_bundled_model_comes_back_equal_from_its_json(path: Path) -> None:
    model = check_file(path, str(path))[0]
    text = json.dumps(modelcache._out(model), allow_nan=False)
    assert modelcache._in(json.loads(text)) == model


def test_the_cache_is_used_until_a_file_it_depends_on_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib, cache = library(tmp_path), tmp_path / "models.json"
    fresh, problems = modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache)
    assert fresh is not None and problems == []
    assert fresh == check_file(lib / "prog.yaml", "prog.yaml")[0]
    entry = json.loads(cache.read_text())["entries"][str(lib / "prog.yaml")]
    assert {d[0] for d in entry["deps"]} >= {str(lib / "prog.yaml"), str(lib / "slr.yaml"), str(lib)}

    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the loader was called")

    with monkeypatch.context() as m:
        m.setattr("player.loader.check_file", no_loading)
        assert modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache) == (fresh, [])

    (lib / "slr.yaml").write_text((lib / "slr.yaml").read_text().replace("reps: 15", "reps: 16"))
    age(lib, 1)  # a routine the programme names changed (its size and time)
    changed = modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache)[0]
    assert changed.phases[0].routines[0].routine.steps[0].reps == 16
    assert modelcache.check_file(lib / "prog.yaml", "prog.yaml", ("elsewhere",), cache)[0] == changed  # other --routines: checked again


def test_a_file_changed_just_now_is_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib, cache = library(tmp_path), tmp_path / "models.json"
    (lib / "other.yaml").touch()  # its time may not have ticked yet when it changes again
    modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache)
    calls = []
    real = check_file
    monkeypatch.setattr("player.loader.check_file", lambda *a, **k: calls.append(a) or real(*a, **k))
    modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache)
    assert calls and calls[0][0] == lib / "prog.yaml"  # loaded again (and, through it, its routines)


@pytest.mark.parametrize("damage", [
    b"", b"{", b"[]", b'{"format": "vmo-model-cache", "version": 1, "entries": []}', b"\xff\xfe",
])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    lib, cache = library(tmp_path), tmp_path / "models.json"
    cache.write_bytes(damage)
    model = modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache)[0]
    assert model == check_file(lib / "prog.yaml", "prog.yaml")[0]
    assert json.loads(cache.read_text())["format"] == "vmo-model-cache"


@pytest.mark.parametrize("edit", ["text", "class", "fields"])
def test_an_entry_whose_model_does_not_match_is_not_trusted(tmp_path: Path, edit: str) -> None:
    lib, cache = library(tmp_path), tmp_path / "models.json"
    expected = modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache)[0]
    document = json.loads(cache.read_text())
    entry = document["entries"][str(lib / "prog.yaml")]
    if edit == "text":  # changed without its SHA-256
        entry["model"] = entry["model"].replace('"Knee programme"', '"Other"')
    else:  # changed with it: a class the cache does not write, or a field too many
        value = json.loads(entry["model"])
        if edit == "class":
            value["class"] = "Path"
        else:
            value["fields"].append(1)
        entry["model"] = json.dumps(value)
        entry["sha256"] = __import__("hashlib").sha256(entry["model"].encode()).hexdigest()
    cache.write_text(json.dumps(document))
    assert modelcache.check_file(lib / "prog.yaml", "prog.yaml", (), cache)[0] == expected


def test_a_file_with_errors_is_not_cached(tmp_path: Path) -> None:
    cache = tmp_path / "models.json"
    model, problems = modelcache.check_file(FIX / "bad.yaml", "bad.yaml", (), cache)
    assert model is None and problems == check_file(FIX / "bad.yaml", "bad.yaml")[1]
    assert not cache.exists()


def test_vmo_today_reads_no_yaml_once_cached_and_sees_an_edited_routine(tmp_path: Path) -> None:
    lib, data = library(tmp_path), tmp_path / "data"
    data.mkdir()
    (data / "history.jsonl").write_text(json.dumps({
        "version": 1, "kind": "programme", "at": "2026-12-07T08:00:00+01:00", "programme_id": "prog",
        "file_hash": None, "event": "started", "start": "2026-12-07"}) + "\n")
    env = {**os.environ, "VMO_DATA_DIR": str(data), "VMO_ROUTINES": str(lib)}
    code = ("import sys, player.cli; code = player.cli.main(['today', '--on', '2026-12-07', '--json']);"
            "print('yaml' in sys.modules)")

    def today() -> tuple[list, str]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
        assert out.stderr == ""
        *lines, imported = out.stdout.splitlines()
        return json.loads("\n".join(lines)), imported

    # The library's index (written by a whole walk such as `vmo list`) says which file has the id without YAML.
    subprocess.run([sys.executable, "-m", "player", "list"], env=env, capture_output=True, timeout=60, check=True)
    first, imported = today()
    assert imported == "True"
    assert today() == (first, "False")  # the same items, without the YAML reader
    assert first[0]["dose"]["Straight-leg raise"] == {"reps": 15}
    (lib / "slr.yaml").write_text((lib / "slr.yaml").read_text().replace("reps: 15", "reps: 17"))
    age(lib, 1)
    edited, imported = today()
    assert (edited[0]["dose"]["Straight-leg raise"], imported) == ({"reps": 17}, "True")
