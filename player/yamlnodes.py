"""A guarded YAML composer: events from libyaml in, a small node tree with positions out.

Why not `yaml.compose`: libyaml's C composer recurses once per nesting level and
crashes the process on a file nested tens of thousands deep, and alias expansion
(billion laughs, merge-key bombs) is only bounded if someone counts. This composer
walks the event stream iteratively, so it bounds depth and the number of nodes
aliases expand to before anything large is built. It also skips PyYAML's tag
resolver: the loader reads scalars as written, which is both what the routine
format asks for and faster.
"""

from __future__ import annotations

from typing import Union

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


def _mark(mark: object) -> tuple[int, int]:
    return getattr(mark, "line", 0) + 1, getattr(mark, "column", 0) + 1


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


def compose(text: str, _parser: type = _Parser, _wrap: bool = True) -> Node | None:
    """Compose one YAML document with bounded depth and alias expansion.

    Returns None for an empty document. Raises ComposeError with the position of
    the first problem: invalid YAML, a second document, nesting deeper than
    MAX_DEPTH, an alias that refers to its own node, or aliases expanding past
    MAX_ALIAS_NODES nodes.
    """
    parser = _parser(text)
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
        line, col = _mark(mark)
        if _parser is not _PyParser:
            _guards_first(text, line, col)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ComposeError(f"invalid YAML: {problem}", line, col) from None
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
