"""docs/authoring.md: every example in it is checked.

- Every ```yaml block is a routine file, checked by the loader. Leading comment
  lines can say `# file: NAME.yaml` (saved under that name, so other blocks can
  include it and console blocks can check it), `# needs-file: PATH ...` (empty
  files made next to it first) and `# expect-error: MESSAGE` (the block is meant
  to be wrong: exactly that problem must be among the ones found; with no such
  line, the block must have no problems at all). A block starting with
  `# .github/workflows/` is a GitHub Actions workflow instead.
- Every ```console block is run: each `$ vmo ...` line in the folder of saved
  blocks, and its output (standard output, then standard error) must be the
  lines that follow.
- Every `vmo ...` line of a ```sh block must parse with vmo's own argument parser.
- Every ```json block must parse.
- Every key of the format appears in at least one valid example.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_vmo

from player.cli import _UsageExit, build_parser
from player.loader import DEFAULT_KEYS, EXERCISE_KEYS, REPEAT_KEYS, REST_KEYS, SECTION_KEYS, TOP_KEYS, check_file
from player.model import CUES

DOC = REPO / "docs" / "authoring.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
_DIRECTIVE = re.compile(r"^# (file|needs-file|expect-error): (.+)$")


@dataclass
class Block:
    """One fenced block of the guide."""

    lang: str
    text: str
    line: int
    directives: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.directives.get("file", f"example-line-{self.line}.yaml")


def _blocks() -> list[Block]:
    source = DOC.read_text(encoding="utf-8")
    blocks = []
    for m in _FENCE.finditer(source):
        block = Block(m.group(1), m.group(2), source.count("\n", 0, m.start()) + 1)
        for line in block.text.splitlines():
            d = _DIRECTIVE.match(line)
            if not d:
                break
            block.directives[d.group(1)] = d.group(2)
        blocks.append(block)
    return blocks


BLOCKS = _blocks()
ROUTINES = [b for b in BLOCKS if b.lang == "yaml" and not b.text.startswith("# .github/workflows/")]
WORKFLOWS = [b for b in BLOCKS if b.lang == "yaml" and b.text.startswith("# .github/workflows/")]
CONSOLES = [b for b in BLOCKS if b.lang == "console"]


def _id(block: Block) -> str:
    return f"line{block.line}"


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding every routine example under its name, as a reader would save them."""
    folder = tmp_path_factory.mktemp("authoring-examples")
    names = [b.name for b in ROUTINES]
    assert len(names) == len(set(names)), "two examples claim the same file name"
    for block in ROUTINES:
        (folder / block.name).write_text(block.text, encoding="utf-8")
        for path in block.directives.get("needs-file", "").split():
            needed = folder / path
            needed.parent.mkdir(parents=True, exist_ok=True)
            needed.write_bytes(b"")
    return folder


def test_the_guide_has_examples_of_each_kind() -> None:
    assert len(ROUTINES) >= 20
    assert sum("expect-error" in b.directives for b in ROUTINES) >= 10
    assert len(CONSOLES) >= 10 and len(WORKFLOWS) == 1
    # Every block is of a kind this test knows how to check.
    assert {b.lang for b in BLOCKS} <= {"yaml", "console", "sh", "json"}


@pytest.mark.parametrize("block", ROUTINES, ids=_id)
def test_yaml_example(block: Block, examples: Path) -> None:
    _routine, problems = check_file(examples / block.name, block.name)
    expected = block.directives.get("expect-error")
    if expected is None:
        assert [str(p) for p in problems] == [], f"the example at docs/authoring.md:{block.line} has problems"
    else:
        messages = [p.message for p in problems]
        assert expected in messages, f"docs/authoring.md:{block.line}: expected {expected!r}, got {messages}"


@pytest.mark.parametrize("block", CONSOLES, ids=_id)
def test_console_example(block: Block, examples: Path, data_dir: Path) -> None:
    runs: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        else:
            assert runs, f"docs/authoring.md:{block.line}: output before any command"
            runs[-1][1].append(line)
    for command, expected in runs:
        argv = shlex.split(command)
        assert argv[0] == "vmo"
        result = run_vmo(*argv[1:], cwd=examples)
        assert (result.stdout + result.stderr).splitlines() == expected, f"$ {command}"


def _vmo_lines(text: str) -> list[list[str]]:
    commands = []
    for line in text.splitlines():
        argv = shlex.split(line, comments=True)
        if argv[:1] == ["vmo"]:
            # Drop a shell redirection: it is the shell's, not vmo's.
            commands.append(argv[1 : argv.index(">")] if ">" in argv else argv[1:])
    return commands


def _parses(argv: list[str]) -> None:
    try:
        build_parser().parse_args(argv)
    except _UsageExit as exc:
        pytest.fail(f"vmo {shlex.join(argv)}: {exc}")


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang == "sh"], ids=_id)
def test_shell_example_commands_parse(block: Block) -> None:
    commands = _vmo_lines(block.text)
    assert commands, f"docs/authoring.md:{block.line}: no vmo command in the block"
    for argv in commands:
        _parses(argv)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang == "json"], ids=_id)
def test_json_example_parses(block: Block) -> None:
    json.loads(block.text)


@pytest.mark.parametrize("block", WORKFLOWS, ids=_id)
def test_github_workflow_example(block: Block) -> None:
    workflow = yaml.safe_load(block.text)
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step["run"] for step in steps if "run" in step]
    checks = [r for r in runs if r.startswith("vmo check")]
    assert checks == ["vmo check --format github routines/"]
    _parses(shlex.split(checks[0])[1:])
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)


def _keys_used(value: object, path: str = "") -> set[str]:
    """Every mapping key in a parsed example, as 'where.key' for the keys whose meaning depends on the place."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(f"{path}{key}")
            inner_path = "defaults." if key == "defaults" else "sounds." if key == "sounds" else ""
            found |= _keys_used(inner, inner_path)
    elif isinstance(value, list):
        for item in value:
            found |= _keys_used(item, path)
    return found


def test_every_key_has_a_valid_example() -> None:
    used: set[str] = set()
    for block in ROUTINES:
        if "expect-error" not in block.directives:
            used |= _keys_used(yaml.safe_load(block.text))
    wanted = set(TOP_KEYS) | set(EXERCISE_KEYS) | set(REST_KEYS) | set(REPEAT_KEYS) | set(SECTION_KEYS) | {"include"}
    wanted |= {f"defaults.{k}" for k in DEFAULT_KEYS}
    # program-format.md: frequency, progress and every key of a programme file
    from player.loader import PRESCRIPTION_EXERCISE_KEYS, PRESCRIPTION_TOP_KEYS
    from player.prescription import FREQUENCY_KEYS, PROGRESS_MAP_KEYS
    from player.programme import ADVANCE_KEYS, PHASE_KEYS, PROGRAMME_KEYS, STEP_BACK_KEYS

    wanted |= set(PRESCRIPTION_TOP_KEYS) | set(PRESCRIPTION_EXERCISE_KEYS) | set(PROGRAMME_KEYS) | set(PHASE_KEYS)
    wanted |= set(FREQUENCY_KEYS) | set(PROGRESS_MAP_KEYS) - {"sets", "duration"} | set(ADVANCE_KEYS) | set(STEP_BACK_KEYS)
    missing = sorted(wanted - used)
    assert missing == [], f"keys without a valid example in docs/authoring.md: {missing}"
    sounds = {k for k in used if k.startswith("sounds.")}
    assert len(sounds) >= 4, sounds  # several cues shown, not every one of the seven
    assert all(k.removeprefix("sounds.") in CUES for k in sounds)


def test_the_dosage_quoted_in_the_export_section_is_what_export_writes(examples: Path) -> None:
    from player.export import dosage

    routine, _ = check_file(examples / "knee-anna.yaml")
    assert routine is not None
    assert f'"{dosage(routine.exercises()[0])}"' in DOC.read_text(encoding="utf-8")
