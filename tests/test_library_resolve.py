"""`vmo play ID` finds the same file as a full library scan, reading the library index instead of every file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from player import library, loader
from player.errors import UsageError
from player.library import resolve_routine, scan

STEP = "steps:\n  - name: Squat\n    reps: 5\n"


def _routine(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folders(tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first", tmp_path / "second"
    # An invalid file is known by its name's slug: it wins "broken-one" though another file says so too.
    _routine(first, "Broken One.yaml", "name: [unclosed\n")
    _routine(second, "b.yaml", "id: broken-one\nname: B\n" + STEP)
    # A file named like the id, with another id inside: it does not define its name.
    _routine(first, "a/legs.yaml", "id: arms\nname: Arms\n" + STEP)
    _routine(second, "legs-day.yaml", "id: legs\nname: Legs\n" + STEP)
    # An id written with escapes holds no literal copy of itself.
    _routine(second, "c.yaml", 'id: "esc\\x61ped"\nname: E\n' + STEP)
    # No id: the name's slug.
    _routine(second, "Plain Name.yml", "name: P\n" + STEP)
    # The first folder wins an id both define.
    _routine(first, "z.yaml", "id: twice\nname: First\n" + STEP)
    _routine(second, "y.yaml", "id: twice\nname: Second\n" + STEP)
    return first, second


def test_every_id_resolves_to_the_file_a_scan_gives_it(folders: tuple[Path, Path]) -> None:
    dirs = [str(f) for f in folders]
    entries = scan(dirs)
    assert {"broken-one", "arms", "legs", "escaped", "plain-name", "twice"} <= {e.id for e in entries}
    for entry in entries:
        assert resolve_routine(entry.id, dirs) == entry.path, entry.id
    assert resolve_routine("twice", dirs).parent == folders[0]
    assert resolve_routine("broken-one", dirs).name == "Broken One.yaml"


def _age(folders: tuple[Path, Path]) -> None:
    """Date the files written in the last minute back: a file changed in the last seconds is always checked again."""
    for folder in folders:
        for path in folder.rglob("*.y*ml"):
            if path.stat().st_mtime > time.time() - 60:
                os.utime(path, (1_600_000_000, 1_600_000_000))


def test_the_index_checks_only_what_changed(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from player.resources import routines_dir

    bundled = routines_dir().resolve()
    checked: list[str] = []
    real = loader.check_file

    def spy(path: Path, display: str | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        # The bundled programme depends on every file that could define its routines' ids
        # (these folders come first), and checks its routines itself: not counted here.
        if not Path(path).resolve().is_relative_to(bundled):
            checked.append(path.name)
        return real(path, display, *args, **kwargs)

    monkeypatch.setattr(library, "check_file", spy)
    monkeypatch.setattr(loader, "check_file", spy)
    dirs = [str(f) for f in folders]
    _age(folders)
    scan(dirs)  # the first look at the folders indexes them: every file once (the bundled ones too)
    assert sorted(n for n in checked if "/" not in n) == sorted(set(checked))
    assert {"legs.yaml", "legs-day.yaml", "c.yaml", "Broken One.yaml"} <= set(checked)
    checked.clear()
    # Later lookups read the index: only the file found is checked, once.
    assert resolve_routine("legs", dirs).name == "legs-day.yaml"
    assert checked == ["legs-day.yaml"]
    checked.clear()
    assert library.load("legs", dirs).name == "Legs"
    assert checked == ["legs-day.yaml"]  # the file found is not loaded again
    checked.clear()
    assert [e.id for e in scan(dirs)] and checked == []
    # A file whose size changed is checked again, and only it.
    _routine(folders[1], "legs-day.yaml", "id: legs\nname: Legs again\n" + STEP)
    _age(folders)
    assert {e.id: e.name for e in scan(dirs)}["legs"] == "Legs again"
    assert checked == ["legs-day.yaml"]


def test_an_invalid_file_found_by_its_id_reports_its_problems(folders: tuple[Path, Path]) -> None:
    from player.errors import RoutineInvalid

    with pytest.raises(RoutineInvalid) as raised:
        library.load("broken-one", [str(f) for f in folders])
    assert raised.value.problems and raised.value.problems[0].file.endswith("Broken One.yaml")


def test_an_unknown_id_still_gets_its_hint(folders: tuple[Path, Path]) -> None:
    with pytest.raises(UsageError, match="did you mean 'twice'"):
        resolve_routine("twise", [str(f) for f in folders])
