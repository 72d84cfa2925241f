"""What one check may cost, where includes may point, numbers too large to read, positions as editors count.

From outside (the installed `vmo`) where a user meets them, each with a timeout so a
hang fails instead of stalling the suite. Speed is measured in bench/, not here.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_vmo
from player import yamlnodes
from player.loader import check_routine

REST = "name: Leaf\nsteps:\n  - rest: 1\n"


def _problems(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout.splitlines()


# -- include fan-out: each file read once, the work bounded before any timeline --


def _fan_out(folder: Path, levels: int, fan: int, *, in_repeat: bool) -> Path:
    """level0.yaml includes level1.yaml `fan` times, ... down to a one-step leaf."""
    folder.mkdir()
    (folder / f"level{levels}.yaml").write_text(REST)
    for level in range(levels - 1, -1, -1):
        includes = "".join(f"  - include: level{level + 1}.yaml\n" for _ in range(fan))
        if in_repeat:
            body = "steps:\n  - repeat: 1\n    steps:\n" + "".join("  " + line + "\n" for line in includes.splitlines())
        else:
            body = "steps:\n" + includes
        (folder / f"level{level}.yaml").write_text(f"name: Level {level}\n{body}")
    return folder / "level0.yaml"


def test_an_include_fan_out_is_rejected_at_the_list_that_grows_too_long(tmp_path: Path) -> None:
    top = _fan_out(tmp_path / "fan", levels=8, fan=10, in_repeat=False)
    result = run_vmo("check", str(top), cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    lines = _problems(result)
    # level4 has 10,000 steps (the limit); level3's second include of it passes the limit
    assert (
        f"{tmp_path}/fan/level3.yaml:4:5: error: steps[1]: the included steps make this list longer than 10,000 steps;"
        " the limit is 10,000 segments"
    ) in lines
    assert f"{top}:3:14: error: steps[0].include: 'level1.yaml' has errors (listed under its own name)" in lines
    assert len(lines) == 1 + 3 * 10  # each file's problems once, not once per path to it


def test_a_fan_out_through_repeat_blocks_is_measured_without_expanding_it(tmp_path: Path) -> None:
    top = _fan_out(tmp_path / "fan", levels=8, fan=10, in_repeat=True)
    result = run_vmo("check", str(top), cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert _problems(result) == [
        f"{top}:2:1: error: steps: the timeline has 100,000,000 segments; the limit is 10,000"
    ]
    listed = run_vmo("list", "--routines", str(tmp_path / "fan"), cwd=tmp_path, timeout=30)
    assert "Traceback" not in listed.stderr and listed.returncode in (0, 1)


def test_the_files_one_check_reads_are_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(101):
        (folder / f"part{i}.yaml").write_text(REST)
    steps = "".join(f"  - include: part{i}.yaml\n" for i in range(101))
    top = folder / "top.yaml"
    top.write_text(f"name: Many\nsteps:\n{steps}")
    result = run_vmo("check", str(top), timeout=30)
    assert result.returncode == 1
    assert _problems(result) == [
        f"{top}:{line}:14: error: steps[{i}].include: the routine reads more than 100 files with its includes;"
        " the limit is 100"
        for i, line in ((99, 102), (100, 103))
    ]


def test_the_text_one_check_reads_is_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    words = "Keep the knee in line with your second toe. " * 20
    big = "name: Big\ndescription: >-\n" + "".join(f"  {words}\n" for _ in range(1000)) + "steps:\n  - rest: 1\n"
    assert 800_000 < len(big) < 1024 * 1024
    for name in ("a", "b", "c"):
        (folder / f"{name}.yaml").write_text(big)
    top = folder / "top.yaml"
    top.write_text("name: Top\nsteps:\n  - include: a.yaml\n  - include: b.yaml\n  - include: c.yaml\n")
    result = run_vmo("check", str(top), timeout=30)
    assert result.returncode == 1
    assert _problems(result) == [
        f"{top}:5:14: error: steps[2].include: the routine and its includes add up to more than 2 MiB; the limit is 2 MiB"
    ]


def test_a_file_included_twice_is_read_once_and_plays_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from player import loader

    (tmp_path / "part.yaml").write_text("name: Part\nsteps:\n  - name: Squat\n    reps: 5\n")
    top = tmp_path / "top.yaml"
    top.write_text("name: Top\nsteps:\n  - include: part.yaml\n  - include: part.yaml\n")
    reads: list[Path] = []
    real = loader._read_text
    monkeypatch.setattr(loader, "_read_text", lambda path, ctx: reads.append(path) or real(path, ctx))
    routine, problems = check_routine(top)
    assert problems == [] and routine is not None
    # each include: the included file's heading (its name), then its steps
    assert [getattr(s, "name", None) or s.title for s in routine.steps] == ["Part", "Squat", "Part", "Squat"]
    assert [p.name for p in reads] == ["top.yaml", "part.yaml"]


# -- includes stay inside the including file's folder, as sounds do --


def test_an_include_outside_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "shared.yaml").write_text(REST)
    folder = tmp_path / "routines"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "ok.yaml").write_text(REST)
    top = folder / "top.yaml"
    top.write_text("name: Top\nsteps:\n  - include: ../shared.yaml\n  - include: parts/../parts/ok.yaml\n")
    result = run_vmo("check", str(top), timeout=30)
    assert result.returncode == 1
    assert _problems(result) == [
        f"{top}:3:14: error: steps[0].include: '../shared.yaml' is outside the routine's folder"
    ]


def test_an_include_through_a_symlink_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yaml").write_text(REST)
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "inside.yaml").write_text(REST)
    (folder / "link.yaml").symlink_to(tmp_path / "elsewhere" / "x.yaml")
    (folder / "near.yaml").symlink_to(folder / "inside.yaml")  # a link that stays inside is fine
    (folder / "sub").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    top = folder / "top.yaml"
    top.write_text("name: Top\nsteps:\n  - include: link.yaml\n  - include: near.yaml\n  - include: sub/x.yaml\n")
    result = run_vmo("check", str(top), timeout=30)
    assert result.returncode == 1
    assert _problems(result) == [
        f"{top}:3:14: error: steps[0].include: 'link.yaml' is outside the routine's folder",
        f"{top}:5:14: error: steps[2].include: 'sub/x.yaml' is outside the routine's folder",
    ]


def test_an_included_file_confines_its_own_includes_to_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    (folder / "parts").mkdir(parents=True)
    (folder / "leaf.yaml").write_text(REST)
    (folder / "parts" / "mid.yaml").write_text("name: Mid\nsteps:\n  - include: ../leaf.yaml\n")
    top = folder / "top.yaml"
    top.write_text("name: Top\nsteps:\n  - include: parts/mid.yaml\n")
    result = run_vmo("check", str(top), cwd=folder, timeout=30)
    assert result.returncode == 1
    assert _problems(result) == [
        f"{top}:3:14: error: steps[0].include: 'parts/mid.yaml' has errors (listed under its own name)",
        f"{folder}/parts/mid.yaml:3:14: error: steps[0].include: '../leaf.yaml' is outside the routine's folder",
    ]


# -- numbers too large to read: a problem at their position, never a traceback --

HUGE = {
    "duration": ("    duration: " + "9" * 400, "steps[0].duration: too large: a routine lasts at most 24 hours, got '"
                 + "9" * 39 + "…'"),
    "clock": ("    duration: " + "9" * 5000 + ":00", "steps[0].duration: too large: a routine lasts at most 24 hours,"
              " got '" + "9" * 39 + "…'"),
    "tempo": ("    reps: 5\n    tempo: 2-" + "9" * 400, "steps[0].tempo: too large: a routine lasts at most 24 hours,"
              " got '2-" + "9" * 37 + "…'"),
    "reps": ("    reps: " + "9" * 5000, "steps[0].reps: expected a whole number from 1 to 1000, got '" + "9" * 39 + "…'"),
    "hold": ("    hold: 1." + "1" * 5000 + "\n    reps: " + "1" * 5000,
             "steps[0].reps: expected a whole number from 1 to 1000, got '" + "1" * 39 + "…'"),
}


@pytest.mark.parametrize("case", sorted(HUGE))
def test_a_huge_number_is_a_problem_at_its_position(tmp_path: Path, case: str) -> None:
    value, message = HUGE[case]
    path = tmp_path / "huge.yaml"
    path.write_text(f"name: Huge\nsteps:\n  - name: Squat\n{value}\n")
    result = run_vmo("check", str(path), timeout=30)
    assert result.returncode == 1
    lines = _problems(result)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:") and lines[0].endswith(f": error: {message}")


def test_one_file_with_a_huge_number_leaves_the_rest_of_the_library_alone(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "good.yaml").write_text("name: Good one\nsteps:\n  - name: Squat\n    reps: 5\n")
    (folder / "huge.yaml").write_text("name: Huge\nsteps:\n  - name: Squat\n    reps: " + "9" * 5000 + "\n")
    (folder / "huge-clock.yaml").write_text("name: Huge clock\nsteps:\n  - rest: " + "9" * 5000 + ":00\n")
    result = run_vmo("list", "--routines", str(folder), timeout=30)
    assert "Traceback" not in result.stderr
    assert "good" in result.stdout and "Good one" in result.stdout
    shown = run_vmo("show", "good", "--routines", str(folder), timeout=30)
    assert shown.returncode == 0 and "Squat" in shown.stdout


def test_the_library_screen_lists_the_others_beside_a_file_with_a_huge_number(tmp_path: Path, data_dir: Path) -> None:
    import asyncio

    from test_ui_screens import details, option_texts
    from test_ui_support import FakeClock, make_app

    from player.library import scan

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "good.yaml").write_text("name: Good one\ncategory: activation\nsteps:\n  - name: Squat\n    reps: 5\n")
    (folder / "huge.yaml").write_text("name: Huge\nsteps:\n  - name: Squat\n    tempo: 1-" + "9" * 400 + "\n    reps: 2\n")
    entries = [e for e in scan([str(folder)]) if e.source == "option"]
    app = make_app(data_dir, FakeClock(), entries=entries)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await pilot.pause()
            shown = option_texts(app)
            assert "Good one  5 reps at your own pace" in " ".join(shown) or any("Good one" in s for s in shown)
            assert shown[-1].startswith("✗ huge.yaml  invalid: ")
            await pilot.press(*"huge")
            await pilot.pause()
            assert "steps[0].tempo: too large: a routine lasts at most 24 hours" in details(app)

    asyncio.run(asyncio.wait_for(scenario(), 60))


# -- positions as editors count lines; ASCII digits only --


@pytest.mark.parametrize("odd", ["\u2028", "\u0085", "\u2029"])
def test_a_line_break_editors_do_not_count_moves_no_later_position(tmp_path: Path, odd: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(f'name: Odd\nsummary: "one{odd}two"\nsteps:\n  - name: Squat\n    reps: lots\n', encoding="utf-8")
    result = run_vmo("check", str(path), timeout=30)
    assert result.returncode == 1
    assert _problems(result) == [
        f"{path}:5:11: error: steps[0].reps: expected a whole number from 1 to 1000 or max, got 'lots'"
    ]
    broken = tmp_path / "broken.yaml"
    broken.write_text(f'name: Odd\nsummary: "one{odd}two"\nsteps: [\n', encoding="utf-8")
    result = run_vmo("check", str(broken), timeout=30)
    assert _problems(result) == [f"{broken}:4:1: error: invalid YAML: did not find expected node content"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("duration", "١٠s"), ("duration", "１０"), ("hold", "1:٣٠"), ("rest", "۵"), ("tempo", "２-１-２")],
)
def test_durations_and_tempos_take_ascii_digits_only(tmp_path: Path, key: str, value: str) -> None:
    path = tmp_path / "digits.yaml"
    extra = "    reps: 5\n" if key in ("tempo", "rest") else ""
    path.write_text(f"name: Digits\nsteps:\n  - name: Squat\n{extra}    {key}: {value}\n", encoding="utf-8")
    result = run_vmo("check", str(path), timeout=30)
    assert result.returncode == 1
    expected = (
        f"steps[0].tempo: expected 2 to 4 seconds per phase joined by '-', such as 2-1-2, "
        f"or named phases such as {{down: 3, hold: 1, up: 3}}, got {value!r}"
        if key == "tempo" else f"steps[0].{key}: expected a duration such as 30s, 1m30s or 0:45, got {value!r}"
    )
    assert [line.split(": error: ", 1)[1] for line in _problems(result)] == [expected]


# -- one loader: libyaml's composer where it is safe gives the guarded composer's answers --


def _all_routine_files() -> list[Path]:
    repo = Path(__file__).resolve().parent.parent
    files = sorted((repo / "tests" / "fixtures").rglob("*.yaml")) + sorted((repo / "routines").rglob("*.yaml"))
    assert len(files) > 20
    return files


def test_the_quick_composer_and_the_guarded_one_give_the_same_routines_and_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = _all_routine_files()
    quick = [check_routine(path, str(path)) for path in files]
    assert sum(yamlnodes.compose_quick(p.read_text(encoding="utf-8", errors="replace")) is not yamlnodes.UNSURE
               for p in files) > len(files) // 2
    monkeypatch.setattr(yamlnodes, "compose_quick", lambda text: yamlnodes.UNSURE)
    guarded = [check_routine(path, str(path)) for path in files]
    assert quick == guarded


def test_nesting_too_deep_for_the_guarded_composer_is_caught_on_the_quick_path(tmp_path: Path) -> None:
    inner = "  - rest: 1\n"
    for _ in range(31):  # each repeat block adds two levels
        inner = "  - repeat: 1\n    steps:\n" + "".join("    " + line + "\n" for line in inner.splitlines())
    path = tmp_path / "nested.yaml"
    path.write_text("name: Nested\nsteps:\n" + inner)
    assert yamlnodes.compose_quick(path.read_text()) is not yamlnodes.UNSURE
    routine, problems = check_routine(path, "nested.yaml")
    assert routine is None
    assert [str(p) for p in problems] == ["nested.yaml:65:129: error: nested deeper than 64 levels"]
    with pytest.raises(yamlnodes.ComposeError) as guarded:
        yamlnodes.compose(path.read_text())
    assert (guarded.value.line, guarded.value.column) == (65, 129)


# -- no import circles in player/ --


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports inside `if TYPE_CHECKING:` blocks (never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines.update(n.lineno for stmt in node.body for n in ast.walk(stmt) if hasattr(n, "lineno"))
    return lines


def test_player_modules_import_no_circle() -> None:
    """The import graph of player/ (every import that runs, also inside functions) has no cycle."""
    root = Path(__file__).resolve().parent.parent / "player"
    modules = {}
    for file in root.rglob("*.py"):
        parts = file.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = file
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, file in modules.items():
        package = name if file.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(file.read_text(encoding="utf-8"))
        typing_only = _type_checking_only(tree)
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base] * bool(base))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    assert len(graph) > 20 and graph["player.library"] >= {"player.loader"}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


# -- the quick composer never changes an answer, also for broken files --

_SAMPLES = [p for p in _all_routine_files() if p.suffix == ".yaml" and "not-utf8" not in p.name]
_PIECES = [":", ": ", "- ", " ", "  ", "\n", "\n  ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", '"', "'", "#",
           "!", "! ", "|", ">", "\t", "x", "1", "0:", "\u2028", "\x85", "~", "null", "---\n", "\\", "\x07"]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_routines_get_the_same_answer_from_both_composers(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_SAMPLES))
    text = path.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + data.draw(st.sampled_from(_PIECES)) + text[at + cut:]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / path.relative_to(path.parent.parent)  # keep a folder, as includes and sounds expect
        shutil.copytree(path.parent, target.parent, dirs_exist_ok=True)
        target.write_text(text, encoding="utf-8")
        quick = check_routine(target, "r.yaml")
        real = yamlnodes.compose_quick
        yamlnodes.compose_quick = lambda text: yamlnodes.UNSURE  # type: ignore[assignment]
        try:
            guarded = check_routine(target, "r.yaml")
        finally:
            yamlnodes.compose_quick = real  # type: ignore[assignment]
    assert quick == guarded


def test_quick_compositions_in_threads_get_their_nodes_and_pyyaml_keeps_its_own() -> None:
    import threading

    import yaml
    import yaml._yaml as c_module

    text = (Path(__file__).resolve().parent.parent / "routines" / "cramp" / "calf.yaml").read_text(encoding="utf-8")
    wrong: list[object] = []

    def work() -> None:
        for _ in range(40):
            root = yamlnodes.compose_quick(text)
            if root is yamlnodes.UNSURE or root.kind != "map":  # type: ignore[attr-defined]
                wrong.append(root)
            yaml.compose(text, Loader=yaml.CSafeLoader)  # anyone else's composing goes on working

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert wrong == []
    assert (c_module.ScalarNode, c_module.SequenceNode, c_module.MappingNode) == (
        yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode,
    )
    assert type(yaml.compose("a: [1]", Loader=yaml.CSafeLoader)) is yaml.MappingNode


def test_a_picture_through_a_linked_folder_leaving_the_routines_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    folder = tmp_path / "routines"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (folder / "near").symlink_to(folder / "pics", target_is_directory=True)
    top = folder / "top.yaml"
    top.write_text(
        "name: Top\nsteps:\n"
        "  - name: A\n    hold: 5\n    image: linked/x.png\n"
        "  - name: B\n    hold: 5\n    image: [pics/a.png, ./pics//a.png, near/a.png, pics/missing.png]\n"
    )
    routine, problems = check_routine(top, "top.yaml")
    assert routine is None
    assert [str(p) for p in problems] == [
        "top.yaml:5:12: error: steps[0].image: 'linked/x.png' is outside the routine's folder",
        "top.yaml:8:52: error: steps[1].image[3]: no such picture 'pics/missing.png'",
    ]
