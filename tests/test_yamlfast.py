"""The fast lane agrees with the full path: yamlfast.parse with yamlnodes.compose, fastload with the checker.

yamlfast.parse must return what libyaml composes, or None; it must never accept
text libyaml rejects or reads differently. fastload.quick_routine must return the
Routine the full checker builds, or None; never a routine for a file with problems.
"""

from __future__ import annotations

import dataclasses
import random
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from player import fastload, timeline, yamlfast
from player.loader import check_routine
from player.yamlfast import Mapping, Text, parse
from player.yamlnodes import MAX_DEPTH, ComposeError, Node, compose

from conftest import FIXTURES, REPO

REAL = sorted(REPO.glob("routines/**/*.yaml")) + sorted(FIXTURES.glob("**/*.yaml"))


def slow(node: Node | None) -> object:
    """What yamlfast.parse would return for a composed tree, in a comparable form."""
    if node is None:
        return None
    if node.tag is not None:
        return ("tagged",)
    if node.kind == "scalar":
        return ("plain" if node.plain else "text", node.value)
    if node.kind == "seq":
        return [slow(item) for item in node.value]  # type: ignore[union-attr]
    keys = [k.value for k, _ in node.value]  # type: ignore[union-attr]
    if any(k.kind != "scalar" or not k.plain or k.tag for k, _ in node.value) or len(set(keys)) != len(keys):  # type: ignore[union-attr]
        return ("not a plain mapping",)
    return ("map", node.line, [(k.value, slow(v)) for k, v in node.value])  # type: ignore[union-attr]


def fast(value: object) -> object:
    if type(value) is str:
        return ("plain", value)
    if type(value) is Text:
        return ("text", str(value))
    if type(value) is list or type(value) is tuple:
        return [fast(item) for item in value]
    assert type(value) is Mapping, type(value)
    return ("map", value.line, [(k, fast(v)) for k, v in value.items()])


def agree(text: str) -> object:
    """Assert parse(text) is None or equals the composed tree; return parse's result."""
    got = parse(text)
    try:
        expected = slow(compose(text))
    except ComposeError:
        assert got is None, f"fast path accepted text libyaml rejects: {text!r}"
        return None
    if got is not None:
        assert fast(got) == expected, text
    return got


# -- real files --


@pytest.mark.parametrize("path", REAL, ids=[str(p.relative_to(REPO)) for p in REAL])
def test_real_files_read_the_same(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8")
    got = agree(text)
    if "routines" in path.parts:
        assert got is not None, "a bundled routine left the fast path"


def test_crlf_files_read_the_same() -> None:
    for path in REAL[:4]:
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        assert agree(text) is not None


# -- generated documents of the subset --

WORDS = st.sampled_from(["Quad set", "1:30", "0:45", "10s", "-5", "yes", "No", "~", "null", "2-1-2", "both",
                         "a#b", "x:y", "Kniebeuge für Knie", "à la 😀", "don't", 'say "hi"', "3.5", "100%"])
PLAIN = st.one_of(WORDS, st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 .,()/'-]{0,20}[A-Za-z0-9.)]", fullmatch=True))
KEYS = st.one_of(st.sampled_from(["name", "steps", "hold", "reps", "sides", "x_1", "a-b", "On"]),
                 st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True))
QUOTED = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="'\"\\\ufeff"),
                 max_size=12)
PARAGRAPH = st.lists(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 .,:#'-]{0,30}", fullmatch=True), min_size=1, max_size=4)


@st.composite
def scalar_lines(draw: st.DrawFn, key: str, indent: int) -> str:
    """`key: value` in one of the supported scalar styles, with maybe a comment."""
    style = draw(st.sampled_from(["plain", "single", "double", "flow", "folded", "literal"]))
    pad = " " * indent
    comment = draw(st.sampled_from(["", "", "  # note", " #x"]))
    if style == "plain":
        return f"{pad}{key}: {draw(PLAIN)}{comment}"
    if style == "single":
        return f"{pad}{key}: '{draw(QUOTED)}'{comment}"
    if style == "double":
        return f'{pad}{key}: "{draw(QUOTED)}"{comment}'
    if style == "flow":
        items = draw(st.lists(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 .()/-]{0,10}", fullmatch=True), max_size=4))
        sep = draw(st.sampled_from([", ", ",", " , "]))
        return f"{pad}{key}: [{sep.join(items)}]{comment}"
    header = (">" if style == "folded" else "|") + draw(st.sampled_from(["", "-"]))
    body_indent = pad + " " * draw(st.integers(1, 4))
    rows = draw(PARAGRAPH)
    if draw(st.booleans()):
        rows = rows + [""] + draw(PARAGRAPH)  # two paragraphs
    lines = [f"{body_indent}{row}" if row else "" for row in rows]
    return f"{pad}{key}: {header}{comment}\n" + "\n".join(lines)


@st.composite
def mapping_lines(draw: st.DrawFn, indent: int, depth: int, first_prefix: str = "") -> list[str]:
    """A block mapping's lines; `first_prefix` replaces the first line's indentation ("- ")."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=4, unique=True))
    out: list[str] = []
    for i, key in enumerate(keys):
        kind = draw(st.sampled_from(["scalar", "scalar", "map", "seq"] if depth < 3 else ["scalar"]))
        if kind == "scalar":
            lines = draw(scalar_lines(key, indent)).split("\n")
        elif kind == "map":
            step = draw(st.integers(1, 3))
            lines = [f"{' ' * indent}{key}:"] + draw(mapping_lines(indent + step, depth + 1))
        else:
            seq_indent = indent + draw(st.sampled_from([0, 2]))  # 0: a sequence at its key's indentation
            lines = [f"{' ' * indent}{key}:"] + draw(sequence_lines(seq_indent, depth + 1))
        if i == 0 and first_prefix:
            lines[0] = first_prefix + lines[0][indent:]
        out += lines
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(["", "# comment", " " * indent + "# indented comment"])))
    return out


@st.composite
def sequence_lines(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    out: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 3 and draw(st.booleans()):
            out += draw(mapping_lines(indent + 2, depth + 1, first_prefix=" " * indent + "- "))
        else:
            item = draw(scalar_lines("k", 0)).split("\n")[0][3:]
            if item.startswith(("|", ">")):
                item = draw(PLAIN)
            out.append(f"{' ' * indent}- {item}")
    return out


@settings(max_examples=400, deadline=None, derandomize=True)
@given(mapping_lines(0, 0), st.booleans(), st.booleans())
def test_generated_documents_of_the_subset_read_the_same(lines: list[str], crlf: bool, last_break: bool) -> None:
    text = "\n".join(lines) + ("\n" if last_break else "")
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        compose(text)
    except ComposeError:
        assume(False)  # the generator made a mapping value that YAML reads otherwise
    assert agree(text) is not None, text


# -- mutations of real files --

NOISE = st.one_of(
    st.text(st.sampled_from(list(" :-#'\"[]{},&*!|>%@`?~\t\r\n\u2028\x85\xa0\ufeffé😀0aZ")), min_size=1, max_size=6),
    st.text(st.sampled_from(list("  -:#\naZ0é")), min_size=1, max_size=3),  # more often stays inside the subset
)
SOURCES = [p.read_text(encoding="utf-8") for p in REAL if p.name not in ("not-utf8.yaml",)]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.sampled_from(SOURCES), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 12), NOISE), max_size=3),
       st.lists(st.sampled_from(["indent", "delete", "duplicate", "swap", "cut"]), max_size=2),
       st.randoms(use_true_random=False))
def test_mutated_real_files_read_the_same_or_fall_back(
    source: str, edits: list[tuple[float, int, str]], line_edits: list[str], rnd: random.Random
) -> None:
    text = source
    for where, cut, noise in edits:
        at = int(where * len(text))
        text = text[:at] + noise + text[at + cut:]
    for edit in line_edits:
        lines = text.split("\n")
        i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
        if edit == "indent":
            lines[i] = " " * rnd.randrange(7) + lines[i].lstrip(" ")  # move a line in or out
        elif edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines = lines[:i] + [lines[i][: rnd.randrange(len(lines[i]) + 1)]]  # the text ends early
        text = "\n".join(lines)
    agree(text)


# -- what the fast path leaves to libyaml --

FALLBACK = {
    "anchor and alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 1\n",
    "merge key": "base: &b {x: 1}\nc:\n  <<: *b\n",
    "flow mapping": "a: {x: 1}\n",
    "multi-line plain scalar": "a: one\n  two\n",
    "multi-line quoted scalar": "a: 'one\n  two'\n",
    "tab": "a:\tb\n",
    "tab indentation": "a:\n\t- b\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "document start": "---\na: 1\n",
    "document end": "a: 1\n...\n",
    "second document": "a: 1\n---\nb: 2\n",
    "empty value": "a:\nb: 1\n",
    "empty value at the end": "a: 1\nb:\n",
    "empty item": "a:\n  -\n  - x\n",
    "nested item": "a:\n  - - x\n",
    "double-quoted escape": 'a: "x\\ty"\n',
    "doubled single quote": "a: 'it''s'\n",
    "quoted key": "'a': 1\n",
    "key with a space": "a b: 1\n",
    "question-mark key": "? a\n: 1\n",
    "colon in a plain value": "a: b: c\n",
    "value ending in a colon": "a: b:\n",
    "lone CR": "a: 1\rb: 2\n",
    "BOM inside": "a: 1\n\ufeffb: 2\n",
    "line separator": "a: x\u2028y\n",
    "next line": "a: x\x85y\n",
    "control character": "a: x\x01y\n",
    "duplicate key": "a: 1\na: 2\n",
    "keep chomping": "a: |+\n  x\n\n",
    "indentation indicator": "a: |2\n   x\n",
    "block scalar in a sequence": "a:\n  - |\n    x\n",
    "leading blank line in a block scalar": "a: |\n\n  x\n",
    "empty block scalar": "a: >-\nb: 1\n",
    "empty block scalar at the end": "a: >\n",
    "empty block scalar before blank lines": "a: |\n\n\n",
    "block scalar header at the very end": "a: |",
    "more-indented folded line": "a: >\n  x\n    y\n",
    "blank line of spaces in a block scalar": "a: |\n  x\n      \n  y\n",
    "flow sequence with a quoted item": "a: ['x', y]\n",
    "flow sequence over two lines": "a: [x,\n  y]\n",
    "nested flow sequence": "a: [[x]]\n",
    "trailing comma": "a: [x, ]\n",
    "alias value": "a: *x\n",
    "scalar document": "just text\n",
    "comments only": "# nothing\n",
    "empty text": "",
    "less indented than the root": "  a: 1\nb: 2\n",
    "wrongly indented key": "a:\n  b: 1\n c: 2\n",
    "sequence at a mapping's level": "a: 1\n- b\n",
    "indented item after an item": "- a\n  - b\n",
}


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_outside_the_subset_falls_back(name: str) -> None:
    text = FALLBACK[name]
    assert parse(text) is None
    agree(text)  # and the slow path reads it (or rejects it) on its own


def test_depth_is_bounded_like_the_composer() -> None:
    assert yamlfast.MAX_DEPTH == MAX_DEPTH
    def nested(levels: int) -> str:
        return "".join(" " * i + f"k{i}:\n" for i in range(levels - 1)) + " " * (levels - 1) + "k: v\n"

    assert agree(nested(MAX_DEPTH)) is not None
    with pytest.raises(ComposeError, match="nested deeper than 64 levels"):
        compose(nested(MAX_DEPTH + 1))
    assert parse(nested(MAX_DEPTH + 1)) is None
    deep = "name: x\nsteps:\n" + "".join(" " * i + "- a:\n" for i in range(0, 20000, 2))
    assert parse(deep) is None


def test_results_do_not_share_mutable_parts_through_the_line_cache() -> None:
    text = "a: [x, y]\nb:\n  - c: 1\n"
    first = parse(text)
    first["a"] += ("z",)  # type: ignore[index]
    first["b"][0]["c"] = "changed"  # type: ignore[index]
    first["b"].append("more")  # type: ignore[index]
    assert fast(parse(text)) == slow(compose(text))


def test_the_line_caches_stay_bounded() -> None:
    for i in range(yamlfast._MAX_CACHED + 10):
        assert parse(f"k{i}: v{i}\n") is not None
    assert len(yamlfast._lines) <= yamlfast._MAX_CACHED
    assert len(yamlfast._heads) <= yamlfast._MAX_CACHED
    long = "k: " + "x" * 10_000  # long lines are prose, read once: kept nowhere
    assert parse(long + "\n") == {"k": "x" * 10_000}
    assert long not in yamlfast._lines


# -- fastload: the same routine as the full checker, or None --


def full_check(path: Path) -> tuple[object, list[object]]:
    """check_routine with the fast lane turned off."""
    with mock.patch.object(fastload, "quick_routine", lambda *args, **kw: None):
        return check_routine(path)


def both(text: str) -> tuple[object, tuple[object, list[object]]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.yaml"
        path.write_text(text, encoding="utf-8")
        quick = fastload.quick_routine(text, path, top_level=True)
        return quick, full_check(path)


def assert_same_routine(text: str) -> object:
    quick, (routine, problems) = both(text)
    if quick is not None:
        assert problems == [], f"the fast lane accepted a file with problems: {problems[:2]}"
        assert quick == dataclasses.replace(routine, file_hash=None), text  # type: ignore[type-var]
    return quick


@pytest.mark.parametrize("path", REAL, ids=[str(p.relative_to(REPO)) for p in REAL])
def test_real_files_load_the_same(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8")
    quick = fastload.quick_routine(text, path, top_level=True)
    routine, problems = full_check(path)
    if quick is not None:
        assert problems == [] and routine is not None
        assert quick == dataclasses.replace(routine, file_hash=None)  # type: ignore[type-var]
    if "routines" in path.parts and "sounds:" not in text and "include:" not in text:
        assert quick is not None, "a bundled routine left the fast lane"


def test_objects_built_without_init_behave_like_the_others() -> None:
    path = REPO / "routines" / "activation" / "knee-strength-starter.yaml"
    quick = fastload.quick_routine(path.read_text(encoding="utf-8"), path, top_level=True)
    routine, _ = full_check(path)
    assert quick is not None and routine is not None
    assert repr(quick) == repr(dataclasses.replace(routine, file_hash=None))  # type: ignore[type-var]
    assert dataclasses.replace(quick, name="x") == dataclasses.replace(routine, name="x", file_hash=None)  # type: ignore[type-var]
    for a, b in zip(quick.steps, routine.steps):  # type: ignore[attr-defined]
        assert type(a) is type(b) and repr(a) == repr(b) and dataclasses.asdict(a) == dataclasses.asdict(b)
        assert dataclasses.replace(a, line=1) == dataclasses.replace(b, line=1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.line = 2  # type: ignore[misc]


def test_check_routine_gives_the_same_result_either_way() -> None:
    for path in REAL:
        assert check_routine(path) == full_check(path)


# Values for each key: (valid ones, wrong ones). Generated routines are mostly valid,
# so both the fast lane's acceptance and its refusals are exercised.
VALUES = {
    "name": (["Quad set", "No", "10", "'~'", "|\n»Two\n»lines"], ["''", "~", "[a]", "'  '"]),
    "duration": (["30", "1:30", "0:45", "'2m'", "1h5m", "7.5"], ["0", "-5", "thirty", "[1]", "0:75", "25h"]),
    "hold": (["10s", "2.5", "'1:00'"], ["0", "x", "-0"]),
    "reps": (["10", "+3", "1000"], ["0", "1001", "'5'", "2.5", "yes"]),
    "tempo": (["2-1-2", "'3-1'", "1.5-0.5"], ["0-0", "2", "1-2-3-4-5"]),
    "sets": (["3", "1"], ["0", "101", "~"]),
    "sides": (["both", "left", "[right, left]", "'right'", "\n»- left"], ["[]", "[left, up]", "up"]),
    "prepare": (["0", "5", "-0"], ["-1", "x"]),
    "switch": (["0", "5"], ["x"]),
    "relax": (["3", "0"], ["-2"]),
    "rest": (["45", "1m", "0"], ["x"]),
    "instructions": (["Do it.", "'x'", ">-\n»A long\n»text"], ["~", "[a]"]),
    "cues": (["[a, b]", "[]", "\n»- one\n»- two"], ["a", "\n»- ~"]),
    "equipment": (["[chair]", "[]"], ["[[x]]"]),
    "target": (["quads"], ["null"]),
    "announce": (["Go"], ["''"]),
    "until_eased": (["true", "false", "yes", "off"], ["maybe", "'true'"]),
    "escalate_after": (["10m"], ["0", "x"]),
    "escalate": (["Call 111"], ["~"]),
}
TOP = {
    "id": (["knee", "k-1"], ["Knee", "''"]),
    "category": (["strength", "other"], ["Strength", "~"]),
    "summary": (["Short", "'x'"], ["~"]),
    "description": (["Long", ">-\n»Two\n»lines"], ["[x]"]),
    "tags": (["[a, b]", "[]"], ["x"]),
    "author": (["Me"], ["~"]),
    "safety": (["\n»- Stop if it hurts", "[x]"], ["\n»- ~"]),
    "ask_pain": (["true", "no"], ["maybe"]),
    "defaults": (["\n»prepare: 3\n»rest: 20", "\n»countdown: 5\n»halfway: false"],
                 ["\n»countdown: 99", "\n»bogus: 1", "[1]", "\n»relax: -1"]),
    "sounds": (["\n»finish: none", "\n»start: bell\n»rest: none", "\n»countdown: beep"],
               ["\n»start: nosuch", "\n»bogus: none", "\n»start: cue.wav", "\n»start: ~", "[bell]"]),
    "repeat": (["2", "3"], ["0", "x"]),
    "bogus": ([], ["1"]),
}
WORK = [("duration",), ("hold",), ("hold", "reps"), ("reps",), ("reps", "tempo")]
OPTIONAL = ["sets", "sides", "prepare", "switch", "relax", "rest", "instructions", "cues", "equipment", "target",
            "announce"]


def rare(n: int) -> st.SearchStrategy[bool]:
    """True about once in `n` draws (and False when Hypothesis simplifies)."""
    return st.sampled_from([False] * (n - 1) + [True])


@st.composite
def value(draw: st.DrawFn, table: dict[str, tuple[list[str], list[str]]], key: str) -> str:
    good, bad = table[key]
    wrong = not good or (bad and draw(rare(60)))
    return draw(st.sampled_from(bad if wrong else good))


def render(key: str, text: str, indent: int) -> list[str]:
    """`key: text` at `indent`; "»" in `text` starts a line one level deeper than the key."""
    return (" " * indent + f"{key}: {text}").replace("»", " " * (indent + 2)).split("\n")


@st.composite
def step_lines(draw: st.DrawFn, depth: int, indent: int) -> list[str]:
    """One step as an item of a sequence at `indent`."""
    kind = draw(st.sampled_from(["exercise"] * 12 + ["rest"] * 3 + ["repeat"] * 4 + ["none"]))
    step: dict[str, str] = {}
    inner: list[str] = []
    if kind == "rest":
        step["rest"] = draw(value(VALUES, "hold"))
        if draw(st.booleans()):
            step["name"] = draw(value(VALUES, "name"))
    elif kind == "repeat" and depth < 2:
        step["repeat"] = draw(value(TOP, "repeat"))
        if draw(st.booleans()):
            step["rest"] = draw(value(VALUES, "rest"))
        inner = [line for _ in range(draw(st.integers(1, 2))) for line in draw(step_lines(depth + 1, indent + 4))]
    elif kind == "none" or kind == "repeat":
        step["name"] = "Nothing"  # a step of no kind
    else:
        if not draw(rare(50)):
            step["name"] = draw(value(VALUES, "name"))
        for key in draw(st.sampled_from(WORK)):
            step[key] = draw(value(VALUES, key))
        keys = sorted(VALUES) if draw(rare(20)) else OPTIONAL  # all of them: conflicts too
        for key in draw(st.lists(st.sampled_from(keys), max_size=5, unique=True)):
            step[key] = draw(value(VALUES, key))
        if "hold" in step and draw(rare(5)):
            step.update(until_eased="true", escalate_after="5m", escalate="Get help")
        if draw(rare(50)):
            step[draw(st.sampled_from(["include", "bogus", "repeat"]))] = "x.yaml"
    lines = [line for key, text in step.items() for line in render(key, text, indent + 2)]
    if inner:
        lines += [" " * (indent + 2) + "steps:"] + inner
    lines[0] = " " * indent + "- " + lines[0][indent + 2:]
    return lines


@st.composite
def routine_texts(draw: st.DrawFn) -> str:
    lines = ["name: " + draw(st.sampled_from(["R"] * 38 + ["~", "''"]))]
    for key in draw(st.lists(st.sampled_from(sorted(TOP)), max_size=4, unique=True)):
        if key not in ("bogus", "repeat") or key != "repeat" and draw(rare(10)):
            lines += render(key, draw(value(TOP, key)), 0)
    lines.append("steps:")
    indent = draw(st.sampled_from([0, 2]))
    for _ in range(draw(st.integers(1, 4))):
        lines += draw(step_lines(0, indent))
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(routine_texts())
def test_generated_routines_load_the_same_or_fall_back(text: str) -> None:
    assert_same_routine(text)


def test_the_fast_lane_knows_every_exercise_key_and_conflict() -> None:
    from player.loader import CONFLICTS, EXERCISE_KEYS

    assert fastload._EXERCISE_READERS.keys() == set(EXERCISE_KEYS)
    assert set(CONFLICTS) == fastload.HANDLED_CONFLICTS


@pytest.mark.parametrize("keys", [("duration", "reps"), ("duration", "hold"), ("hold", "tempo"), ("duration", "tempo"),
                                  ("hold", "reps", "tempo"), ("duration", "reps", "tempo"), ("tempo",)])
def test_conflicting_keys_leave_the_fast_lane(keys: tuple[str, ...]) -> None:
    sample = {"duration": "30", "hold": "10", "reps": "5", "tempo": "2-1-2"}
    text = "name: R\nsteps:\n  - name: A\n" + "".join(f"    {k}: {sample[k]}\n" for k in keys)
    if keys == ("tempo",):
        text += "    sets: 2\n"  # a step of no kind otherwise: tempo alone is not an exercise
    quick, (routine, problems) = both(text)
    assert quick is None and routine is None and problems


def test_the_fast_lane_takes_plain_valid_files() -> None:
    text = ("name: R\nid: r-1\ncategory: strength\ntags: [a, b]\nask_pain: yes\n"
            "defaults:\n  prepare: 3\n  countdown: 5\n  halfway: off\n"
            "steps:\n  - name: A\n    hold: 10s\n    reps: 3\n    sides: both\n    cues:\n      - one\n"
            "    until_eased: true\n    escalate_after: 5m\n    escalate: Call\n"
            "  - rest: 30\n  - repeat: 2\n    rest: 10\n    name: Block\n    steps:\n"
            "      - name: B\n        reps: 5\n        tempo: 2-1-2\n      - name: C\n        duration: 1:30\n")
    assert assert_same_routine(text) is not None


def test_the_fast_lane_leaves_limits_to_the_checker() -> None:
    text = "name: R\nsteps:\n  - name: A\n    hold: 1\n    reps: 1000\n    sets: 100\n    relax: 0\n    rest: 0\n    prepare: 0\n"
    quick, (routine, problems) = both(text)
    assert quick is None and routine is None
    assert [p.message for p in problems] == ["steps: the timeline has 100,000 segments; the limit is 10,000"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(routine_texts())
def test_the_fast_lane_measures_like_the_timeline(text: str) -> None:
    root = parse(text)
    assume(type(root) is Mapping)
    file = fastload._File(Path("r.yaml"), top_level=False)  # no limit: big timelines are measured too
    try:
        routine = file.routine(root)  # type: ignore[arg-type]
    except fastload._Unusual:
        assume(False)
    assert (file.count, file.seconds) == timeline.measure(routine.steps)


def test_the_loader_reads_up_to_one_mebibyte_and_no_more(tmp_path: Path) -> None:
    from player.loader import MAX_BYTES

    head = "name: R\nsteps:\n  - rest: 5\n# "
    path = tmp_path / "r.yaml"
    path.write_text(head + "x" * (MAX_BYTES - len(head) - 1) + "\n")
    assert path.stat().st_size == MAX_BYTES
    routine, problems = check_routine(path)
    assert routine is not None and problems == []
    path.write_text(head + "x" * (MAX_BYTES - len(head)) + "\n")
    routine, problems = check_routine(path)
    assert routine is None and [p.message for p in problems] == [
        f"the file is larger than 1 MiB ({MAX_BYTES:,} bytes); split it with include"
    ]
