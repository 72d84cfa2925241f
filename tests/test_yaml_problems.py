"""YAML mistakes are told in vmo's words, from where the parser stopped, never from the parser's wording."""

from __future__ import annotations

import pytest
import yaml

from player import yamlnodes

QUOTE_KEY = "': ' where no key can start; put text that contains ': ' in quotes, or line the key up with the keys above it"
CASES = {
    "tab": ("name: K\nsteps:\n\t- name: Q\n\t  hold: 10s\n", 3, 1, "a tab character; YAML indents with spaces only"),
    "tab-inside": ("name: K\nsteps:\n  - name: Q\n  \thold: 10s\n", 4, 3, "a tab character; YAML indents with spaces only"),
    "colon-in-text": ("name: Q\nsteps:\n  - name: Q\n    instructions: Tip: keep breathing\n", 4, 22, QUOTE_KEY),
    "key-too-deep": ("name: K\nsteps:\n  - name: Q\n      hold: 10s\n", 4, 11, QUOTE_KEY),
    "open-list": (
        "name: x\nsteps: [{rest: 1}\nfoo: 1\n", 3, 1,
        "expected ',' or ']' here: the list opened with '[' at 2:8 is not closed",
    ),
    "open-mapping": (
        "name: x\nsteps: [{rest: 1]\n", 2, 17,
        "expected ',' or '}' here: the mapping opened with '{' at 2:9 is not closed",
    ),
    "key-not-under-item": (
        "name: K\nsteps:\n  - name: Q\n  hold: 10s\n", 4, 3,
        "this line is not a new list item ('- ') lined up with the one at 3:3; "
        "a key of that item lines up with the item's first key",
    ),
    "item-to-no-level": (
        "name: K\nsteps:\n    - rest: 1\n  - rest: 2\n", 4, 3,
        "this line is indented to no level of the block that starts at 1:1; line it up with its neighbours",
    ),
    "open-double-quote": ('name: "Quad\nsteps: []\n', 1, 7, 'the text in quotes that starts here has no closing "'),
    "open-single-quote": ("name: 'Quad\nsteps: []\n", 1, 7, "the text in quotes that starts here has no closing '"),
    "at-sign": ("name: @home\n", 1, 7, "a value cannot start with '@'; put the value in quotes"),
    "backtick": ("name: `x`\n", 1, 7, "a value cannot start with '`'; put the value in quotes"),
}


def problem(text: str, parser: type = yamlnodes._Parser) -> tuple[int, int, str]:
    with pytest.raises(yamlnodes.ComposeError) as caught:
        yamlnodes.compose(text, parser)
    return caught.value.line, caught.value.column, caught.value.message


@pytest.mark.parametrize("name", sorted(CASES))
def test_common_mistakes_get_vmos_words_at_the_place_to_fix(name: str) -> None:
    text, line, column, message = CASES[name]
    assert problem(text) == (line, column, f"invalid YAML: {message}")


class _OtherWording:
    """PyYAML's pure-Python parser with every problem reworded: what a new libyaml release might say."""

    def __init__(self, text: str) -> None:
        self._inner = yaml.SafeLoader(text)

    def get_event(self):  # type: ignore[no-untyped-def]
        try:
            return self._inner.get_event()
        except yaml.MarkedYAMLError as exc:
            exc.problem, exc.context = "something else entirely", exc.context and "somewhere"
            raise


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_words_do_not_depend_on_the_parsers_wording(name: str) -> None:
    text, line, column, message = CASES[name]
    assert problem(text, _OtherWording) == (line, column, f"invalid YAML: {message}")


def test_other_mistakes_keep_the_parsers_description_at_its_place() -> None:
    line, column, message = problem("name: |x\n")
    assert (line, column) == (1, 8) and message.startswith("invalid YAML: ") and len(message) > len("invalid YAML: ")
    assert problem("name: |x\n", _OtherWording) == (1, 8, "invalid YAML: something else entirely")
