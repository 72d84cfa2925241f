"""A fast reader for the plain block YAML that routine files are written in.

`parse(text)` reads a conservative subset of YAML into plain Python values and
returns None for anything outside it; the caller then uses the guarded libyaml
composer (`yamlnodes.compose`). Why: going through libyaml's Python event objects
and a Node per scalar costs several times more than everything else `vmo check`
does, while a simple file can be read line by line with a few string operations.

What it returns, for text inside the subset, is what `yamlnodes.compose` would
compose, with less detail:
- a mapping is a `Mapping` (a dict in file order) whose `line` is the 1-based line
  of its first key; a key given twice makes `parse` return None;
- a block sequence is a list, a flow sequence a tuple (of plain scalars);
- a plain scalar is a `str`; a quoted or block scalar is a `Text` (a str that YAML
  does not resolve, like a Node with plain=False).

The subset (anything else returns None):
- block mappings and sequences by indentation, at most MAX_DEPTH collections
  deep; a sequence may sit at its key's indentation; `- key: value` items;
- keys: plain words `[A-Za-z_][A-Za-z0-9_-]*` of at most 100 characters;
- one-line plain scalars that cannot be read as anything else, one-line single-
  and double-quoted scalars without escapes, one-line flow sequences `[a, b c]`
  of plain words;
- folded and literal block scalars (`>`, `>-`, `|`, `|-`) as mapping values,
  folded ones without more-indented lines;
- full-line and trailing ` #` comments, blank lines, CRLF line ends.
Never: anchors, aliases, tags, merge keys, flow mappings, document markers,
directives, empty (null) values, tabs, multi-line plain or quoted scalars,
nested `- - ` items, or a character libyaml rejects or reads as a line break.
"""

from __future__ import annotations

import re
from typing import Union

MAX_DEPTH = 64  # as yamlnodes.MAX_DEPTH; deeper files are left to it to report

# Text with any of these characters is left to libyaml: control characters and
# tabs, YAML's extra line breaks (U+0085, U+2028, U+2029), surrogates, a BOM or
# U+FFFE/U+FFFF inside the text. libyaml rejects them or reads them specially.
# Every line is searched once: see _classify and _block_scalar.
# (Written as the characters excluded: the complement takes long to compile.)
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]").search
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,99}").fullmatch
# After a quoted scalar or a flow sequence: spaces, then maybe a comment.
_QUOTED = re.compile(r"""(?:'([^']*)'|"([^"\\]*)")(?: *| +#.*)$""").match
_FLOW = re.compile(r"\[([^\[\]{}#'\"]*)\](?: *| +#.*)$").match
# A flow item once its spaces are stripped. (One greedy class: no backtracking.)
_FLOW_ITEM = re.compile(r"[^ \-?:,\[\]{}#&*!|>'\"%@`][^:,\[\]{}#'\"]*").fullmatch
_BLOCK_HEADER = re.compile(r"([|>])(-?)(?: *| +#.*)$").match
# Characters a plain scalar cannot start with, or only in forms left to libyaml.
_SPECIAL_START = frozenset("-?:,[]{}#&*!|>'\"%@`")

# What a line's value is: a scalar or a flow sequence (the value itself), a
# nested collection on the next lines, or a block scalar (its header).
_SCALAR, _NESTED, _BLOCK = range(3)
_BLANK = (-2, None, _SCALAR, None)  # a blank or comment line
# Lines classified so far. Routine files share most of their lines ("    reps: 10",
# "  - rest: 30"), so each distinct line is classified once per process. Only
# short lines are kept, and the cache is emptied when full: it stays small (a few
# MB at most) and follows the files read.
_MAX_CACHED = 20_000
_MAX_CACHED_LINE = 200
_lines: dict[str, tuple] = {}
_heads: dict[str, tuple | bool] = {}  # what came before ": " on lines seen: see _head


class Mapping(dict):  # type: ignore[type-arg]
    """A block mapping, keys in file order; `line` is the 1-based line of its first key."""

    __slots__ = ("line",)

    line: int


class Text(str):
    """A quoted or block scalar: text as written, which YAML does not resolve."""

    __slots__ = ()


Value = Union[str, Text, list, tuple, Mapping]  # what parse puts in a Mapping or list


class _Fallback(Exception):
    """The text is outside the subset; the caller uses the libyaml composer."""


def parse(text: str) -> Mapping | list | None:
    """The document's top-level mapping or sequence, or None to fall back to libyaml."""
    if "\r" in text:
        # libyaml reads CRLF as one line break; a lone CR is a line break of its own.
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    try:
        return _parse(text.split("\n"))
    except _Fallback:
        return None


def _parse(lines: list[str]) -> Mapping | list:
    # The open collections, innermost last, as (collection, indent, is_seq,
    # indentless); an indentless sequence sits at the indentation of its parent's
    # key. A line's "level" is 2 * indent + (1 if it starts with "- " else 0).
    # `top` is the innermost collection and `top_level` the level of the lines
    # that simply add a key to it; -1 when there are none (a sequence, or a key
    # waiting for its value), so every other line takes the slower branch.
    stack: list[tuple] = []
    root: Mapping | list | None = None
    top: Mapping | list = []
    top_level = -1
    pending: str | None = None  # a key of the innermost mapping whose value starts on a later line
    # When the innermost collection is a mapping that began with "- key:", a line
    # of `item_level` begins the next such item of the same sequence, `item_seq`:
    # the commonest change of collection (the next step), taken in a few steps.
    item_level = -1
    item_seq: list = []
    cached = _lines.get
    for number, line in enumerate(lines, 1):
        entry = cached(line)
        if entry is None:
            entry = _classify(line)
            if len(line) <= _MAX_CACHED_LINE:
                if len(_lines) >= _MAX_CACHED:
                    _lines.clear()
                _lines[line] = entry
        level, key, kind, value = entry
        if level != top_level:
            if level == item_level and key is not None and pending is None:
                top = Mapping()
                top.line = number
                item_seq.append(top)
                stack[-1] = (top, stack[-1][1], False, False)
            elif level < 0:
                continue  # a blank or comment line
            else:
                item_level = -1
                indent = level >> 1
                dash = level & 1
                # -- the collection this line's entry belongs to --
                if pending is not None:
                    # the pending key's value: a nested sequence, or a nested mapping
                    parent_indent = stack[-1][1]
                    if dash and indent >= parent_indent:
                        node: Mapping | list = []
                        frame = (node, indent, True, indent == parent_indent)
                    elif not dash and indent > parent_indent:
                        node = Mapping()
                        node.line = number
                        frame = (node, indent, False, False)
                    else:
                        raise _Fallback  # an empty value
                    top[pending] = node  # type: ignore[index]
                    pending = None
                    if len(stack) >= MAX_DEPTH:
                        raise _Fallback  # libyaml's composer reports the depth
                    stack.append(frame)
                elif root is None:
                    root = [] if dash else Mapping()
                    if not dash:
                        root.line = number  # type: ignore[union-attr]
                    frame = (root, indent, dash, False)
                    stack.append(frame)
                else:
                    while stack[-1][1] > indent:
                        stack.pop()
                        if not stack:
                            raise _Fallback  # less indented than the document's first line
                    frame = stack[-1]
                    if not dash and frame[3] and frame[1] == indent:
                        stack.pop()  # a key at an indentless sequence's level ends the sequence
                        frame = stack[-1]
                    if frame[1] != indent or frame[2] != dash:
                        raise _Fallback
                top = frame[0]
                top_level = -1 if dash else 2 * indent
                # -- an item of a sequence --
                if dash:
                    if key is None:
                        top.append(value)  # type: ignore[union-attr]
                        continue
                    # "- key: ...": a mapping starts inside the item
                    if len(stack) >= MAX_DEPTH:
                        raise _Fallback
                    item_level = level
                    item_seq = top  # type: ignore[assignment]
                    node = Mapping()
                    node.line = number
                    top.append(node)  # type: ignore[union-attr]
                    top = node
                    top_level = 2 * indent + 4
                    stack.append((node, indent + 2, False, False))
        # -- a key and its value --
        if key in top:
            raise _Fallback  # a key given twice: the loader reports it
        if not kind:
            top[key] = value  # type: ignore[index]
        elif kind == _NESTED:
            pending = key
            top_level = -1
        else:
            top[key] = _block_scalar(value, lines, number, stack[-1][1])  # type: ignore[index]
    if pending is not None or root is None:
        raise _Fallback  # a trailing empty value, or a document of comments only
    return root


def _classify(line: str) -> tuple:
    """(level, key or None, kind, value) of a line; level < 0 for a blank or comment line."""
    # Each line is checked for unsafe characters here, when first seen; the lines
    # of block scalars, which are not classified, are checked by _block_scalar.
    if _UNSAFE(line):
        raise _Fallback
    # Most lines are "key: value" whose part before ": " has been seen before
    # ("    name", "  - rest"); only the value needs a look.
    head, colon, rest = line.partition(": ")
    if colon:
        known = _heads.get(head)
        if known is None:
            known = _head(head)
            if len(head) <= _MAX_CACHED_LINE:
                if len(_heads) >= _MAX_CACHED:
                    _heads.clear()
                _heads[head] = known
        if known:
            level, key = known
            rest = rest.lstrip(" ")
            if rest and rest[0] not in _SPECIAL_START and "#" not in rest and ": " not in rest:
                # the plainest value: no comment, no indicator, nothing read as a mapping
                if rest[-1] == " ":
                    rest = rest.rstrip(" ")
                if rest[-1] != ":":
                    return (level, key, _SCALAR, rest)
            return (level, key) + _key_value(rest)
    return _classify_other(line)


def _key_value(rest: str) -> tuple[int, object]:
    """The kind and value after a key's ": " (and spaces)."""
    if not rest or rest[0] == "#":
        return _NESTED, None
    if rest[0] == "|" or rest[0] == ">":
        return _BLOCK, rest
    return _value(rest)


def _head(head: str) -> tuple | bool:
    """(level, key) if `head` is what comes before a key's ": ", else False."""
    body = head.lstrip(" ")
    indent = len(head) - len(body)
    dash = body[:2] == "- "
    if dash:
        body = body[2:]
    return (2 * indent + dash, body) if _KEY(body) else False


def _classify_other(line: str) -> tuple:
    """_classify for lines other than "key: value": blank lines, comments, "key:", "- item"."""
    body = line.lstrip(" ")
    if not body or body[0] == "#":
        return _BLANK
    indent = len(line) - len(body)
    dash = body[0] == "-" and body[1:2] == " "
    if dash:
        body = body[2:]
        if not body or body[0] in " #":
            raise _Fallback  # an empty item, or one indented further
    word, colon, rest = body.partition(":")
    if colon and (not rest or rest[0] == " ") and _KEY(word):
        return (2 * indent + dash, word) + _key_value(rest.lstrip(" "))
    if not dash:
        raise _Fallback  # a scalar on a line of its own: multi-line, or not in a mapping
    return (2 * indent + 1, None) + _value(body)


def _value(rest: str) -> tuple[int, object]:
    """The kind and value of a one-line scalar or flow sequence; `rest` runs to the line's end."""
    first = rest[0]
    if first in _SPECIAL_START:
        if first == "'" or first == '"':
            m = _QUOTED(rest)
            if m is None:
                raise _Fallback
            single, double = m.groups()
            return _SCALAR, Text(single if single is not None else double)
        if first == "[":
            return _SCALAR, _flow_sequence(rest)
        # "-5" is a plain scalar; every other form is left to libyaml
        second = rest[1:2]
        if not (first == "-" and second.isascii() and (second.isalnum() or second == ".")):
            raise _Fallback
    cut = rest.find(" #")
    if cut >= 0:
        rest = rest[:cut]
    rest = rest.rstrip(" ")
    if ": " in rest or rest[-1] == ":":
        raise _Fallback  # a mapping inside a value: invalid YAML
    return _SCALAR, rest


def _flow_sequence(rest: str) -> tuple[str, ...]:
    """The items of a one-line flow sequence of plain words, such as `[right, left]`."""
    m = _FLOW(rest)
    if m is None:
        raise _Fallback
    inner = m.group(1)
    if not inner.strip(" "):
        return ()
    items = [piece.strip(" ") for piece in inner.split(",")]
    for item in items:
        if not _FLOW_ITEM(item):
            raise _Fallback  # an empty item, or one that is not a plain word
    return tuple(items)


def _block_scalar(header: str, lines: list[str], number: int, parent_indent: int) -> Text:
    """The block scalar whose header is on line `number`; its lines become blank in `lines`."""
    m = _BLOCK_HEADER(header)
    if m is None:
        raise _Fallback  # an indentation indicator, keep chomping (+), or text after the header
    style, strip = m.groups()
    folded = style == ">"
    count = len(lines)
    j = number  # the index of the line after the header
    indent = 0
    rows: list[str] = []  # the scalar's lines without their indentation; "" for a blank line
    blanks = 0  # blank lines since the last content line
    last = j
    while j < count:
        text = lines[j]
        body = text.lstrip(" ")
        here = len(text) - len(body)
        if not body:
            if here > (indent if rows else parent_indent):
                raise _Fallback  # spaces that could be content
            blanks += 1
            j += 1
            continue
        if not rows:
            if blanks or here <= parent_indent:
                raise _Fallback  # leading blank lines, or an empty scalar
            indent = here
        elif here < indent:
            break
        elif here > indent and folded:
            raise _Fallback  # more-indented lines keep their line breaks in folded scalars
        if blanks:
            rows.extend([""] * blanks)
            blanks = 0
        rows.append(text[indent:])
        j += 1
        last = j  # the index after the last content line
    if not rows:
        raise _Fallback  # an empty block scalar at the end of the text
    if _UNSAFE("".join(rows)):
        raise _Fallback
    if folded:
        # One space between lines; between paragraphs, one newline per blank line.
        out = [rows[0]]
        gap = 0
        for row in rows[1:]:
            if not row:
                gap += 1
                continue
            out.append("\n" * gap if gap else " ")
            out.append(row)
            gap = 0
        value = "".join(out)
    else:
        value = "\n".join(rows)
    lines[number:j] = [""] * (j - number)  # read: the caller skips them as blank lines
    # Clipping keeps the last content line's line break, if the text has one.
    return Text(value if strip or last == count else value + "\n")
