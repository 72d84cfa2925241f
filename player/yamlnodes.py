"""YAML text in, a node tree with positions out: libyaml's C composer where it is safe, a guarded one elsewhere.

Every node has `kind` ("scalar", "seq" or "map"), `value`, 1-based `line` and
`column` and, for scalars, `plain` (written without quotes or a tag, so `~` or
`yes` mean what YAML 1.1 says); scalars are read as written, PyYAML's tag
resolver is skipped.

Two composers, one node shape:

- `compose_quick` hands the whole document to libyaml's C composer (PyYAML's
  `CParser.get_single_node`, the fastest way to nodes with positions). It is used
  only behind cheap guards: the libyaml in use bounds nesting depth itself (PyYAML
  6.0.4's does, at 1,000 levels, so a deep file cannot crash it), and the text can
  hold no anchor, alias or merge key (`&`, `*`, `<<`: nothing to expand) and no
  line break editors do not count (U+0085, U+2028, U+2029: libyaml's lines would
  not be the editor's). It answers UNSURE when a guard does not hold or the text
  is not valid YAML.
- `compose` walks libyaml's event stream iteratively and bounds depth and the
  nodes aliases expand to before anything large is built (billion laughs, merge-key
  bombs, a self-referencing alias), and reports positions as editors count lines.
  It is the authority for every problem: a file the quick composer cannot vouch
  for, or in which the loader found a problem, is composed again by it, so its
  guards (64 levels, 10,000 alias nodes) come first exactly as if it had read the
  file alone.
"""

from __future__ import annotations

import bisect
import re
import threading
from typing import Callable, Union

import yaml

try:  # the C parser when PyYAML was built with libyaml
    from yaml._yaml import CParser as _Parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]
_PyParser = yaml.SafeLoader

MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000


class Node:
    """A YAML node: a scalar (`value` is its text), a sequence or a mapping.

    `line` and `column` are 1-based. For mappings `value` is a list of (key, value)
    node pairs in file order, merge keys already applied; duplicate keys are kept
    (the loader reports them).
    """

    __slots__ = ("kind", "value", "line", "column", "plain", "tag", "anchor_size")

    def __init__(self, kind: str, value: object, line: int, column: int, plain: bool = False, tag: str | None = None):
        self.kind = kind
        self.value = value
        self.line = line
        self.column = column
        self.plain = plain
        self.tag = tag
        self.anchor_size = 1

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.value!r}, {self.line}:{self.column})"


Pairs = list[tuple[Node, Node]]
NodeValue = Union[str, list[Node], Pairs]


class ComposeError(Exception):
    """The text is not a YAML document vmo can read; 1-based position and message."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _raw_mark(mark: object) -> tuple[int, int]:
    """libyaml's own 1-based line and column of a mark."""
    return getattr(mark, "line", 0) + 1, getattr(mark, "column", 0) + 1


_mark = _raw_mark


def _merge(mapping: Node, value: Node, line: int, column: int) -> Pairs:
    """The pairs a merge key (`<<`) brings in: a mapping, or a sequence of mappings."""
    sources = value.value if value.kind == "seq" else [value]
    merged: Pairs = []
    for source in sources:  # type: ignore[union-attr]
        if source.kind != "map":
            raise ComposeError("a merge key (<<) needs a mapping or a list of mappings", line, column)
        merged.extend(source.value)  # type: ignore[arg-type]
    return merged


def _apply_merge(mapping: Node, merged: Pairs) -> None:
    """Add merged pairs whose keys the mapping does not set itself; the first merge source wins."""
    seen = {k.value for k, _ in mapping.value if k.kind == "scalar"}  # type: ignore[union-attr]
    for key, value in merged:
        if key.kind == "scalar" and key.value in seen:
            continue
        seen.add(key.value)
        mapping.value.append((key, value))  # type: ignore[union-attr]


# Line breaks for libyaml that editors, terminals and GitHub do not break lines at.
_EDITOR_BREAKS = re.compile(r"\r\n|\r|\n")


def _editor_marks(text: str):  # type: ignore[no-untyped-def]
    """A function from a libyaml mark to the 1-based (line, column) an editor shows for it.

    libyaml also breaks lines at U+0085, U+2028 and U+2029, so after one of them
    (inside a quoted value, say) its line numbers run ahead of the editor's; then
    the position is computed from the mark's character index instead.
    """
    if not _has_odd_breaks(text):
        return _mark
    starts = [0] + [m.end() for m in _EDITOR_BREAKS.finditer(text)]

    def editor_mark(mark: object) -> tuple[int, int]:
        index = getattr(mark, "index", None)
        if not isinstance(index, int) or not 0 <= index <= len(text):
            return _mark(mark)
        row = bisect.bisect_right(starts, index) - 1
        return row + 1, index - starts[row] + 1

    return editor_mark


def editor_position(text: str, mark: object) -> tuple[int, int]:
    """The 1-based (line, column) an editor shows for a libyaml `mark` in `text`."""
    return _editor_marks(text)(mark)


def compose(text: str, _parser: type = _Parser, _wrap: bool = True) -> Node | None:
    """Compose one YAML document with bounded depth and alias expansion.

    Returns None for an empty document. Raises ComposeError with the position of
    the first problem: invalid YAML, a second document, nesting deeper than
    MAX_DEPTH, an alias that refers to its own node, or aliases expanding past
    MAX_ALIAS_NODES nodes.
    """
    parser = _parser(text)
    _mark = _editor_marks(text)
    anchors: dict[str, Node] = {}
    open_anchors: set[str] = set()
    # (collection, its anchor, pending key, (merge key, merge source) pairs)
    stack: list[tuple[Node, str | None, list[Node], Pairs]] = []
    expanded = 0
    root: Node | None = None
    documents = 0
    get_event = parser.get_event
    ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
    SeqStart, MapStart = yaml.SequenceStartEvent, yaml.MappingStartEvent
    SeqEnd, MapEnd = yaml.SequenceEndEvent, yaml.MappingEndEvent
    DocStart, StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, _anchor, pending, merged = stack[-1]
        if parent.kind == "seq":
            parent.value.append(node)  # type: ignore[union-attr]
            return
        if not pending:
            pending.append(node)
            return
        key = pending.pop()
        if key.kind == "scalar" and key.plain and key.value == "<<" and key.tag is None:
            merged.append((key, node))  # expanded when the mapping ends: `node` may still be filling
        else:
            parent.value.append((key, node))  # type: ignore[union-attr]

    try:
        while True:
            event = get_event()
            cls = type(event)
            if cls is ScalarEvent:
                line, col = _mark(event.start_mark)
                tag = event.tag if event.tag not in (None, "!") else None
                node = Node("scalar", event.value, line, col, plain=not event.style and event.implicit[0], tag=tag)
                if event.anchor:
                    anchors[event.anchor] = node
                attach(node)
                if stack:
                    stack[-1][0].anchor_size += 1
            elif cls is AliasEvent:
                line, col = _mark(event.start_mark)
                name = event.anchor
                if name in open_anchors:
                    raise ComposeError(f"alias '*{name}' refers to the node that contains it", line, col)
                target = anchors.get(name)
                if target is None:
                    raise ComposeError(f"alias '*{name}' refers to no anchor", line, col)
                expanded += target.anchor_size
                if expanded > MAX_ALIAS_NODES:
                    raise ComposeError(
                        f"aliases expand past {MAX_ALIAS_NODES:,} nodes; write the content out instead", line, col
                    )
                attach(target)
                if stack:
                    stack[-1][0].anchor_size += target.anchor_size
            elif cls is SeqStart or cls is MapStart:
                line, col = _mark(event.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise ComposeError(f"nested deeper than {MAX_DEPTH} levels", line, col)
                tag = event.tag if event.tag not in (None, "!") else None
                node = Node("seq" if cls is SeqStart else "map", [], line, col, tag=tag)
                if event.anchor:
                    anchors[event.anchor] = node
                    open_anchors.add(event.anchor)
                attach(node)
                stack.append((node, event.anchor, [], []))
            elif cls is SeqEnd or cls is MapEnd:
                node, anchor, _pending, merged = stack.pop()
                if merged:
                    pairs = [p for key, source in merged for p in _merge(node, source, key.line, key.column)]
                    _apply_merge(node, pairs)
                if anchor:
                    open_anchors.discard(anchor)
                if stack:
                    stack[-1][0].anchor_size += node.anchor_size
            elif cls is DocStart:
                documents += 1
                if documents > 1:
                    line, col = _mark(event.start_mark)
                    raise ComposeError("expected one YAML document, found a second one", line, col)
            elif cls is StreamEnd:
                return root
    except yaml.MarkedYAMLError as exc:
        if not _wrap:
            raise
        mark = exc.problem_mark or exc.context_mark
        if _parser is not _PyParser:
            _guards_first(text, *_raw_mark(mark))
        line, col = _mark(mark)
        message, line, col = _syntax_problem(exc, text, line, col, _mark)
        raise ComposeError(f"invalid YAML: {message}", line, col) from None
    except yaml.YAMLError as exc:  # reader errors carry a position of their own
        if not _wrap:
            raise
        line, col = _reader_position(exc, text)
        raise ComposeError(f"invalid YAML: {_reader_message(exc)}", line, col) from None


def _guards_first(text: str, line: int, column: int) -> None:
    """Raise vmo's own problem when one of its guards fires before libyaml's problem at line:column.

    libyaml scans ahead of the events it hands out (up to 1,024 characters inside a
    flow collection) and has limits of its own: PyYAML 6.0.4's build stops flow
    nesting at 1,000 levels, so `[[[[...` fails in libyaml's scanner before vmo sees
    the 64th level. Only on that error path, the text up to libyaml's problem is read
    again with PyYAML's pure-Python parser, which has no such limit; if a vmo guard
    (depth, aliases, a second document) fires there, that is the problem reported,
    whatever libyaml's wording. Otherwise libyaml's problem stands.
    """
    lines = text.split("\n", line - 1)
    end = sum(len(part) + 1 for part in lines[: line - 1]) + column
    try:
        compose(text[:end], _PyParser, _wrap=False)
    except yaml.YAMLError:
        return


_LIBYAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _char_at(text: str, mark: object) -> str:
    """The character at a parser mark ('' past the end of its line or of the text), lines as libyaml counts them."""
    if mark is None:
        return ""
    line, column = getattr(mark, "line", 0), getattr(mark, "column", 0)
    lines = _LIBYAML_BREAK.split(text, maxsplit=line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _syntax_problem(
    exc: yaml.MarkedYAMLError, text: str, line: int, col: int, position: Callable[[object], tuple[int, int]]
) -> tuple[str, int, int]:
    """vmo's own words for the YAML mistakes people make, and where to look.

    The mistake is told from what stands at the parser's marks (a tab, a ': ', the
    '[' or quote that was never closed, the list item a line fails to line up with),
    never from the parser's wording, so the message stays vmo's whatever libyaml says.
    Anything else keeps the parser's own description.
    """
    problem, context = _char_at(text, exc.problem_mark), _char_at(text, exc.context_mark)
    at = "{}:{}".format(*position(exc.context_mark)) if exc.context_mark is not None else ""
    scanning = isinstance(exc, yaml.scanner.ScannerError)
    if problem == "\t":
        return "a tab character; YAML indents with spaces only", line, col
    if scanning and context in ("'", '"'):
        return f"the text in quotes that starts here has no closing {context}", *position(exc.context_mark)
    if context in ("[", "{"):
        kind, close = ("list", "]") if context == "[" else ("mapping", "}")
        return f"expected ',' or '{close}' here: the {kind} opened with '{context}' at {at} is not closed", line, col
    if scanning and problem == ":" and exc.context_mark is None:
        return (
            "': ' where no key can start; put text that contains ': ' in quotes, "
            "or line the key up with the keys above it", line, col,
        )
    if scanning and problem in ("@", "`", "%") and context in (problem, ""):
        return f"a value cannot start with '{problem}'; put the value in quotes", line, col
    above = exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.line < exc.problem_mark.line
    if not scanning and above and context == "-":
        return (
            f"this line is not a new list item ('- ') lined up with the one at {at}; "
            "a key of that item lines up with the item's first key", line, col,
        )
    if not scanning and above:
        return f"this line is indented to no level of the block that starts at {at}; line it up with its neighbours", line, col
    return exc.problem or exc.context or "not valid YAML here", line, col


def _reader_position(exc: yaml.YAMLError, text: str) -> tuple[int, int]:
    position = getattr(exc, "position", None)
    if position is None:
        return 1, 1
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _reader_message(exc: yaml.YAMLError) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, str):
        return f"character U+{ord(character):04X} is not allowed in YAML"
    return str(exc).splitlines()[0]


# -- the quick composer: libyaml's C composer, behind cheap guards --

UNSURE = object()  # compose_quick's answer when only `compose` may read the text

# Where an anchor (&a) or alias (*a) could be: libyaml starts a token only at the start,
# after white space, a flow indicator, ':' or '?' (flow context) or a closing quote, and
# an anchor name is not empty ("A&E", "Ayrshire & Arran" and "3*2" hold none). A
# libyaml error is UNSURE too, so a broken anchor needs no care here.
_BEFORE_TOKEN = frozenset(" \t\r\n\x85\u2028\u2029[]{},:?\"'")
_NOT_A_NAME = frozenset(" \t\r\n\x85\u2028\u2029[]{},")


def _may_hold_anchors(text: str) -> bool:
    """Whether `text` could hold an anchor or an alias (str.find: far faster than a regex here)."""
    for char in "&*":
        i = text.find(char)
        while i != -1:
            after = text[i + 1 : i + 2]
            if (i == 0 or text[i - 1] in _BEFORE_TOKEN) and after and after not in _NOT_A_NAME:
                return True
            i = text.find(char, i + 1)
    return False


def _has_odd_breaks(text: str) -> bool:
    return not text.isascii() and ("\u2028" in text or "\x85" in text or "\u2029" in text)


class _QuickScalar(yaml.ScalarNode):
    """A scalar node built by libyaml's composer, with the loader's node shape.

    `tag` is "" for a plain scalar without a tag (see `_QuickParser.resolve`).
    """

    kind = "scalar"
    line = property(lambda self: self.start_mark.line + 1)
    column = property(lambda self: self.start_mark.column + 1)
    plain = property(lambda self: self.tag == "")


class _QuickSequence(yaml.SequenceNode):
    kind = "seq"
    plain = False
    line = _QuickScalar.line
    column = _QuickScalar.column


class _QuickMapping(yaml.MappingNode):
    kind = "map"
    plain = False
    line = _QuickScalar.line
    column = _QuickScalar.column


_QUICK_NODES = {"ScalarNode": _QuickScalar, "SequenceNode": _QuickSequence, "MappingNode": _QuickMapping}
_QUICK_TYPES = (_QuickScalar, _QuickSequence, _QuickMapping)
_quick_ok: bool | None = None  # None: not probed yet


if _Parser is not yaml.SafeLoader:

    class _QuickParser(_Parser):  # type: ignore[misc,valid-type]
        """libyaml's composer without PyYAML's tag resolver: scalars stay as written."""

        def resolve(self, kind: type, value: object, implicit: object) -> str:
            # "" marks a plain scalar without a tag (as `Node.plain`); "!" any other
            return "" if value is None or implicit[0] else "!"  # type: ignore[index]

        def descend_resolver(self, parent: object, index: object) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass


_PYYAML_NODES = {"ScalarNode": yaml.ScalarNode, "SequenceNode": yaml.SequenceNode, "MappingNode": yaml.MappingNode}
_swap = threading.Lock()  # one quick composition at a time: the swap below is process-wide


def _quick_build(text: str) -> object:
    """libyaml's node tree for `text`, built from the quick node classes (UNSURE if it was not)."""
    import yaml._yaml as c_module  # type: ignore[import-not-found]

    # The compiled composer looks its node classes up in its module's namespace at each
    # node: they are swapped for the subclasses above during this call, and PyYAML's own
    # put back. Anyone else composing meanwhile gets the subclasses, which are PyYAML's
    # node classes with a few read-only properties more.
    names = c_module.__dict__
    with _swap:
        names.update(_QUICK_NODES)
        try:
            root = _QuickParser(text).get_single_node()
        finally:
            names.update(_PYYAML_NODES)
    if root is not None and type(root) not in _QUICK_TYPES:
        return UNSURE
    return root


def _probe_quick() -> bool:
    """Whether the quick composer is safe and works here: the C parser is there, libyaml
    stops deep nesting itself (a 1,001-level flow and block nesting is refused) and the
    composer builds the quick node classes."""
    if _Parser is yaml.SafeLoader:
        return False
    for deep in ("[" * 1001, "- " * 1001 + "x"):
        try:
            _quick_build(deep)
        except yaml.YAMLError:
            continue
        return False  # this libyaml would recurse as deep as a file goes: not safe
    try:
        root = _quick_build("a: [b]")
    except yaml.YAMLError:
        return False
    return type(root) is _QuickMapping and type(root.value[0][1]) is _QuickSequence  # type: ignore[attr-defined]


def compose_quick(text: str) -> object:
    """The document's root node (None when empty) from libyaml's C composer, or UNSURE.

    UNSURE when a cheap guard does not hold (see the module's notes) or the text is not
    valid YAML: then only `compose` reads it, and reports the problem.
    """
    global _quick_ok
    if _may_hold_anchors(text) or ("<" in text and "<<" in text) or _has_odd_breaks(text):
        return UNSURE
    if _quick_ok is None:
        _quick_ok = _probe_quick()
    if not _quick_ok:
        return UNSURE
    try:
        return _quick_build(text)
    except yaml.YAMLError:
        return UNSURE
