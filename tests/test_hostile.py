"""Hostile files are rejected with a clear problem and never crash the process.

Speed and memory for these are measured in bench/check_speed.py, not here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_vmo

LAUGHS = "\n".join(
    ["name: lol", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
    + ["steps: [{rest: 1}]", ""]
)
MERGE_BOMB = "\n".join(
    ["name: merge", "a: &a {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1, k9: 1}"]
    + [f"{c}: &{c} {{<<: [{', '.join(['*' + p] * 10)}]}}" for p, c in zip("abcdefgh", "bcdefghi")]
    + ["steps: [{rest: 1}]", ""]
)

CASES = {
    "billion-laughs": (LAUGHS, "error: aliases expand past 10,000 nodes; write the content out instead"),
    "merge-bomb": (MERGE_BOMB, "error: aliases expand past 10,000 nodes; write the content out instead"),
    "self-alias": ("name: x\nsteps: &s\n  - include: *s\n", "error: alias '*s' refers to the node that contains it"),
    "deep-flow": ("name: x\nsteps: " + "[" * 30000 + "]" * 30000 + "\n", "error: nested deeper than 64 levels"),
    "deep-block": ("name: x\nsteps:\n" + "".join(" " * i + "- \n" for i in range(0, 30000, 1))[:900_000], "error: nested deeper than 64 levels"),
    "deep-map": ("name: x\n" + "".join(" " * i + f"k{i}:\n" for i in range(200)), "error: nested deeper than 64 levels"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_yaml_is_rejected_cleanly(tmp_path: Path, name: str) -> None:
    text, expected = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_vmo("check", str(path), timeout=20)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:") and lines[0].endswith(expected)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Kniebeuge\nsummary: f\u00fcr Knie\nsteps:\n  - rest: 5\n".encode("latin-1"))
    result = run_vmo("check", str(path))
    assert result.returncode == 1
    assert result.stdout == f"{path}:2:11: error: the file is not UTF-8 text (byte 0xfc)\n"


def test_file_over_one_mebibyte(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("name: big\n# " + "x" * (2 * 1024 * 1024) + "\nsteps: [{rest: 1}]\n")
    result = run_vmo("check", str(path))
    assert result.returncode == 1
    assert result.stdout == f"{path}:1:1: error: the file is larger than 1 MiB (1,048,576 bytes); split it with include\n"


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    result = run_vmo("check", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # bytes 0x00-0x7f decode; the first line break is 0x0a, so 0x80 sits on line 2, column 118
    assert result.stdout == f"{path}:2:118: error: the file is not UTF-8 text (byte 0x80)\n"


def test_show_of_a_hostile_file_exits_1_with_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nsteps: " + "[" * 30000 + "]" * 30000 + "\n")
    result = run_vmo("show", str(path))
    assert result.returncode == 1
    assert result.stderr == f"{path}:2:71: error: nested deeper than 64 levels\n"


class _StrictScanner:
    """Stands in for libyaml with a nesting limit of its own and its own wording: it hands out
    the events of PyYAML's pure-Python parser, but after 3 start events it raises a scanner
    error far ahead (1,000 characters into the flow collection), the way PyYAML 6.0.4 does."""

    def __init__(self, text: str) -> None:
        import yaml

        self._inner = yaml.SafeLoader(text)
        self._starts = 0

    def get_event(self):  # type: ignore[no-untyped-def]
        import yaml

        event = self._inner.get_event()
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._starts += 1
            if self._starts > 3:
                mark = yaml.Mark("<text>", 0, 1, 1006, None, None)
                raise yaml.scanner.ScannerError("while scanning", mark, "any wording at all", mark)
        return event


def test_vmo_guards_nesting_before_libyaml_whatever_its_limit_and_wording(monkeypatch: pytest.MonkeyPatch) -> None:
    from player import yamlnodes

    text = "name: x\nsteps: " + "[" * 30000 + "]" * 30000 + "\n"
    with pytest.raises(yamlnodes.ComposeError) as caught:
        yamlnodes.compose(text, _StrictScanner)
    assert (caught.value.message, caught.value.line, caught.value.column) == ("nested deeper than 64 levels", 2, 71)
    # a problem that is libyaml's own (no vmo guard fires before it) keeps libyaml's position and words
    with pytest.raises(yamlnodes.ComposeError) as caught:
        yamlnodes.compose("name: x\nsteps: [[[[[[1]]]]]]\n", _StrictScanner)
    assert (caught.value.message, caught.value.line, caught.value.column) == ("invalid YAML: any wording at all", 2, 1007)
