"""The library index (issue 14): kept in the data folder, refreshed by size and mtime, never trusted.

Shadowed ids (issue 13, defect 9): `vmo list` and `vmo check` say which file wins.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from player import libindex, library, loader
from player.library import scan, scan_library
from tests.conftest import vmo_command

STEP = "steps:\n  - name: Squat\n    reps: 5\n"
OLD = 1_600_000_000  # files dated back: a file changed within the last seconds is always checked again


def _write(path: Path, text: str, when: float = OLD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when, when))
    return path


@pytest.fixture
def lib(tmp_path: Path, data_dir: Path) -> Path:
    folder = tmp_path / "lib"
    _write(folder / "a.yaml", "id: alpha\nname: Alpha\ncategory: strength\n" + STEP)
    _write(folder / "sub" / "b.yaml", "id: beta\nname: Beta\nsummary: Second one\n" + STEP)
    _write(folder / "broken.yaml", "name: [unclosed\n")
    return folder


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loader checks, outside the bundled folder.

    The bundled programme names its routines by id, so it depends on every library
    file that could define them (this test's folder comes first): it is checked again
    when one of them changes, and checks its routines itself. That is right, and not
    what these tests count.
    """
    from player.resources import routines_dir

    bundled = routines_dir().resolve()
    seen: list[str] = []
    real = loader.check_file

    def spy(path: Path, display: str | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not Path(path).resolve().is_relative_to(bundled):
            seen.append(path.name)
        return real(path, display, *args, **kwargs)

    monkeypatch.setattr(loader, "check_file", spy)
    monkeypatch.setattr(library, "check_file", spy)
    return seen


def _ours(folder: Path) -> dict[str, library.Entry]:
    return {e.id: e for e in scan([str(folder)]) if e.source == "option"}


def test_the_index_lives_in_the_data_folder_and_holds_what_list_shows(lib: Path, data_dir: Path) -> None:
    entries = _ours(lib)
    target = libindex.index_path(lib)
    assert target.parent == data_dir / "index"
    assert target.exists()
    assert entries["alpha"].name == "Alpha" and entries["alpha"].category == "strength"
    assert entries["beta"].info.summary == "Second one"
    assert entries["alpha"].info.total_seconds is not None
    broken = entries["broken"]
    assert not broken.valid and broken.problems[0].message.startswith("invalid YAML")
    assert "squat" in entries["alpha"].info.search


def test_only_changed_files_are_checked_again(lib: Path, checks: list[str]) -> None:
    _ours(lib)
    assert {"a.yaml", "b.yaml", "broken.yaml"} <= set(checks)
    checks.clear()
    assert set(_ours(lib)) == {"alpha", "beta", "broken"}
    assert checks == []
    # Same size, other time: checked again.
    os.utime(lib / "a.yaml", (OLD + 10, OLD + 10))
    assert _ours(lib)["alpha"].name == "Alpha"
    assert checks == ["a.yaml"]
    checks.clear()
    # Same time, other size.
    _write(lib / "sub" / "b.yaml", "id: beta\nname: Beta two\n" + STEP, OLD)
    assert _ours(lib)["beta"].name == "Beta two"
    assert checks == ["b.yaml"]
    checks.clear()
    # A new file and a removed one.
    (lib / "broken.yaml").unlink()
    _write(lib / "c.yaml", "id: gamma\nname: Gamma\n" + STEP)
    assert set(_ours(lib)) == {"alpha", "beta", "gamma"}
    assert checks == ["c.yaml"]


def test_a_changed_include_refreshes_the_file_that_includes_it(lib: Path, checks: list[str]) -> None:
    _write(lib / "parts" / "warm.yaml", "name: Warm\n" + STEP)
    _write(lib / "whole.yaml", "id: whole\nname: Whole\nsteps:\n  - include: parts/warm.yaml\n")
    assert _ours(lib)["whole"].valid
    checks.clear()
    _write(lib / "parts" / "warm.yaml", "name: Warm\nsteps: 3\n", OLD + 5)
    assert not _ours(lib)["whole"].valid
    assert "whole.yaml" in checks


def test_a_recently_changed_file_is_checked_every_time(lib: Path, checks: list[str]) -> None:
    # Written now: another write in the same timestamp tick would not change its mtime.
    (lib / "a.yaml").write_text("id: alpha\nname: Alpha now\n" + STEP, encoding="utf-8")
    _ours(lib)
    checks.clear()
    assert _ours(lib)["alpha"].name == "Alpha now"
    assert checks == ["a.yaml"]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\xff garbage",
        b'{"format": "vmo-library-index", "version": 1}\n',
        b"[1, 2, 3]\n",
    ],
)
def test_a_damaged_or_foreign_index_is_rebuilt(lib: Path, checks: list[str], damage: bytes) -> None:
    _ours(lib)
    target = libindex.index_path(lib)
    target.write_bytes(damage)
    checks.clear()
    assert _ours(lib)["alpha"].name == "Alpha"
    assert {"a.yaml", "b.yaml", "broken.yaml"} <= set(checks)
    checks.clear()
    _ours(lib)
    assert checks == []  # rebuilt and written again


def test_a_record_that_lies_is_not_believed(lib: Path, checks: list[str]) -> None:
    _ours(lib)
    target = libindex.index_path(lib)
    lines = target.read_bytes().split(b"\n")
    for n, line in enumerate(lines):
        if b'"alpha"' in line:
            record, _tab, words = line.partition(b"\t")
            r = json.loads(record)
            r[4] = "Alpha\x1b]0;pwned\x07"  # an id no check would give, with control characters
            lines[n] = json.dumps(r).encode() + b"\t" + words
    target.write_bytes(b"\n".join(lines))
    checks.clear()
    assert _ours(lib)["alpha"].name == "Alpha"
    assert "a.yaml" in checks


def test_an_index_of_another_folder_is_not_used(lib: Path, tmp_path: Path, checks: list[str]) -> None:
    other = tmp_path / "other"
    _write(other / "a.yaml", "id: alpha\nname: Other alpha\ncategory: strength\n" + STEP)
    _ours(other)
    libindex.index_path(lib).parent.mkdir(parents=True, exist_ok=True)
    libindex.index_path(lib).write_bytes(libindex.index_path(other).read_bytes())
    assert _ours(lib)["alpha"].name == "Alpha"


def test_an_index_that_is_a_fifo_is_neither_read_nor_waited_for(lib: Path) -> None:
    target = libindex.index_path(lib)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(target)
    assert _ours(lib)["alpha"].name == "Alpha"
    assert target.is_file()  # replaced by a real index


def test_an_unwritable_data_folder_still_lists(lib: Path, data_dir: Path) -> None:
    (data_dir / "index").write_text("a file where the folder should be")
    assert _ours(lib)["alpha"].name == "Alpha"


def test_concurrent_processes_leave_a_whole_index(lib: Path, data_dir: Path) -> None:
    for i in range(40):
        _write(lib / "many" / f"r{i:02d}.yaml", f"id: r{i:02d}\nname: R {i}\n" + STEP)
    env = dict(os.environ, VMO_DATA_DIR=str(data_dir))
    env.pop("VMO_ROUTINES", None)
    procs = [
        subprocess.Popen(vmo_command() + ["list", "--json", "--routines", str(lib)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len({o for o in outputs}) == 1
    rows = json.loads(outputs[0])
    assert {f"r{i:02d}" for i in range(40)} <= {r["id"] for r in rows}
    # What they left is an index the next open uses as it is.
    text = libindex.index_path(lib).read_bytes()
    assert text.count(b"\n") == 1 + 43
    assert not list((data_dir / "index").glob(".index-*"))


# -- shadowing --


@pytest.fixture
def two(tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first", tmp_path / "second"
    _write(first / "x.yaml", "id: twice\nname: First\n" + STEP)
    _write(second / "y.yaml", "id: twice\nname: Second\n" + STEP)
    _write(second / "z.yaml", "id: once\nname: Once\n" + STEP)
    return first, second


def test_scan_reports_a_shadowed_id(two: tuple[Path, Path]) -> None:
    found = scan_library([str(two[0]), str(two[1])])
    assert {e.id: e.name for e in found.entries}["twice"] == "First"
    assert [(s.id, s.used, s.ignored) for s in found.shadowed] == [
        ("twice", two[0] / "x.yaml", two[1] / "y.yaml")
    ]


def _run(args: list[str], cwd: Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, VMO_DATA_DIR=str(data))
    env.pop("VMO_ROUTINES", None)
    return subprocess.run(vmo_command() + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_list_warns_on_stderr_and_keeps_json_clean(two: tuple[Path, Path], tmp_path: Path, data_dir: Path) -> None:
    warning = "vmo: warning: routine id 'twice' is defined twice; second/y.yaml is ignored, first/x.yaml is used"
    text = _run(["list", "--routines", "first", "--routines", "second"], tmp_path, data_dir)
    assert text.returncode == 0
    assert text.stderr.splitlines() == [warning]
    assert "First" in text.stdout and "Second" not in text.stdout
    as_json = _run(["list", "--json", "--routines", "first", "--routines", "second"], tmp_path, data_dir)
    assert as_json.stderr.splitlines() == [warning]
    rows = json.loads(as_json.stdout)
    assert [r["name"] for r in rows if r["id"] == "twice"] == ["First"]


def test_check_of_two_folders_warns_about_a_shadowed_id(two: tuple[Path, Path], tmp_path: Path, data_dir: Path) -> None:
    result = _run(["check", "first", "second"], tmp_path, data_dir)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "second/y.yaml:1:1: warning: id 'twice' is already defined in first/x.yaml;"
        " the library uses that file and ignores this one"
    ]


def test_list_json_is_unchanged_by_streaming(lib: Path, tmp_path: Path, data_dir: Path) -> None:
    first = _run(["list", "--json", "--routines", "lib"], tmp_path, data_dir)
    again = _run(["list", "--json", "--routines", "lib"], tmp_path, data_dir)
    assert first.stdout == again.stdout
    rows = json.loads(first.stdout)
    alpha = next(r for r in rows if r["id"] == "alpha")
    assert alpha == {
        "id": "alpha", "name": "Alpha", "category": "strength", "summary": None,
        "total_seconds": alpha["total_seconds"], "source": "option",
    }
    broken = next(r for r in rows if r["id"] == "broken")
    assert broken["problem"].startswith("lib/broken.yaml:2:1: error: invalid YAML")


def test_time_is_not_read_from_the_clock_in_the_summary(lib: Path) -> None:
    # The summary is a pure function of what the loader returned.
    routine, problems = loader.check_file(lib / "a.yaml")
    one = libindex.summary_of(routine, tuple(problems), lib / "a.yaml")
    time.sleep(0.01)
    assert libindex.summary_of(routine, tuple(problems), lib / "a.yaml") == one


# -- the library screen at scale --


def test_the_library_screen_lists_at_most_list_limit_and_the_filter_finds_the_rest(
    tmp_path: Path, data_dir: Path,
) -> None:
    import asyncio

    from textual.widgets import OptionList

    from player.ui.library import LIST_LIMIT, LibraryScreen, more_text
    from tests.test_ui_support import FakeClock, make_app

    folder = tmp_path / "many"
    count = LIST_LIMIT + 50
    for i in range(count):
        _write(folder / f"r{i:03d}.yaml", f"id: r{i:03d}\nname: Routine {i:03d}\ncategory: strength\n" + STEP)
    entries = [e for e in scan([str(folder)]) if e.source == "option"]

    async def run() -> None:
        app = make_app(data_dir, FakeClock(), entries=entries)
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            options = app.screen.query_one("#routines", OptionList)
            texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            assert texts[0] == "Strength"
            assert texts[1].startswith("Routine 000  ")
            assert len(texts) == 1 + LIST_LIMIT + 1
            assert texts[-1] == more_text(50) == "… and 50 more; type to narrow the list"
            await pilot.press(*"routine 24")  # two words, both must match
            await pilot.pause()
            texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            assert [t.split("  ")[0] for t in texts[1:]] == [f"Routine {n:03d}" for n in range(count) if "24" in f"{n:03d}"]

    asyncio.run(run())


def test_the_library_screen_shows_the_index_first_then_catches_up(lib: Path, data_dir: Path) -> None:
    import asyncio

    from textual.widgets import OptionList

    from player.library import quick_scan
    from tests.test_ui_support import FakeClock, make_app

    _ours(lib)  # the index as it was
    _write(lib / "a.yaml", "id: alpha\nname: Alpha renamed\ncategory: strength\n" + STEP, OLD + 60)

    def ours(entries: list[library.Entry]) -> list[library.Entry]:
        return [e for e in entries if e.source == "option"]

    first = ours(quick_scan([str(lib)]))
    assert {e.id: e.name for e in first}["alpha"] == "Alpha"  # as the index holds it, no stat

    async def run() -> None:
        app = make_app(data_dir, FakeClock(), entries=first, rescan=lambda: ours(scan([str(lib)])))
        async with app.run_test() as pilot:
            options = app.screen.query_one("#routines", OptionList)
            for _ in range(100):
                await pilot.pause(0.05)
                texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
                if any(t.startswith("Alpha renamed") for t in texts):
                    break
            assert any(t.startswith("Alpha renamed") for t in texts), texts

    asyncio.run(run())


def test_temporary_files_of_a_killed_writer_are_removed(lib: Path, data_dir: Path) -> None:
    _ours(lib)
    folder = libindex.index_path(lib).parent
    stale = folder / ".index-killed.tmp"
    fresh = folder / ".index-writing.tmp"
    stale.write_text("half an index")
    fresh.write_text("another process is writing this one")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    os.utime(lib / "a.yaml", (OLD + 30, OLD + 30))  # something changed: the index is written again
    _ours(lib)
    assert not stale.exists()
    assert fresh.exists()
