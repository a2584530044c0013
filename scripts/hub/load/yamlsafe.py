"""Step 1 of the pipeline: read one YAML file into a tree of plain nodes, safely.

Contributors' files are untrusted, so this loader never *constructs* YAML: it walks the
parser's event stream (libyaml's C parser where available) and builds its own small tree in
which every scalar is the string the contributor typed (`NO`, `1.10`, `01234` and
`2024-02-30` stay as written; the validator decides what they mean). It refuses what plain
case-study files never need and attackers love: tags, anchors, aliases, merge keys,
duplicate keys, several documents, deep nesting, huge files, text that is not UTF-8, control
and invisible characters. Every refusal is a `Problem` with a line and column; nothing
raises.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hub.core.problems import Problem
from hub.load import chars
from hub.load.files import MAX_BYTES, read_up_to

MAX_DEPTH = 12

try:  # libyaml's C parser, much faster than PyYAML's own
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _Parser = yaml.SafeLoader

_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


@dataclass(slots=True)  # not frozen: one is built for every value, and a frozen dataclass's
class Scalar:  # __init__ is slower; nothing changes a node once built
    value: str
    line: int
    col: int
    style: str | None = field(default=None, compare=False)  # ">" folded, "|" literal, quotes, "" plain


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    line: int
    col: int


@dataclass(frozen=True)
class Mapping:
    """Keys in file order; `keys` holds each key's own position (for "unknown field" errors)."""

    items: dict[str, Node]
    keys: dict[str, Scalar]
    line: int
    col: int


Node = Scalar | Sequence | Mapping


@dataclass
class _Open:
    kind: str  # "map" or "seq"
    line: int
    col: int
    items: list[Node] = field(default_factory=list)
    pairs: dict[str, Node] = field(default_factory=dict)
    keys: dict[str, Scalar] = field(default_factory=dict)
    pending_key: Scalar | None = None


# What messages tell the writer of each kind of file to do.
_ADVICE = {
    "case study": {
        "big": "shorten it or split it into several case studies",
        "documents": "keep one case study per file",
        "empty": "a case study needs its fields (see CONTRIBUTING.md)",
    },
    "reference": {
        "big": "reference files are written by the hub's import commands; re-run the one that writes it",
        "documents": "keep one document per file",
        "empty": "restore it from git or re-run the import command that writes it",
    },
}


def load_file(path: Path, shown: str, kind: str = "case study") -> tuple[Mapping | None, list[Problem]]:
    """Read `path` (refusing symlinks and big files) and parse it. `shown` names it in messages,
    and `kind` ("case study" or "reference") says what advice they give."""
    if path.is_symlink():
        return None, [
            Problem(shown, 0, 0, "is a symbolic link; links are never followed — replace it with the real file")
        ]
    try:
        with path.open("rb", buffering=0) as handle:
            data = read_up_to(handle.fileno(), MAX_BYTES + 1, os.fstat(handle.fileno()).st_size)
    except OSError as error:
        return None, [Problem(shown, 0, 0, f"cannot be read: {error.strerror}")]
    if len(data) > MAX_BYTES:
        return None, [Problem(shown, 0, 0, f"is larger than {MAX_BYTES // 1024} KiB; {_ADVICE[kind]['big']}")]
    return load_bytes(data, shown, kind)


def load_bytes(data: bytes, shown: str, kind: str = "case study") -> tuple[Mapping | None, list[Problem]]:
    text, problems = decode(data, shown)
    if text is None or problems:
        return None, problems
    return parse(text, shown, kind)


def decode(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 only (a BOM and CRLF line ends are accepted); report bad characters where they are."""
    if data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ) and not data.startswith(codecs.BOM_UTF8):
        return None, [Problem(shown, 1, 1, "is saved as UTF-16 or UTF-32; save it as UTF-8")]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.count(0) * 4 >= len(data) > 0:  # UTF-16 or UTF-32 without a BOM: every 2nd or 4th byte is NUL
        return None, [Problem(shown, 1, 1, "is saved as UTF-16 or UTF-32 (it is full of NUL bytes); save it as UTF-8")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _position(data[: error.start].decode("utf-8", "replace"))
        hint = "it looks like UTF-16" if b"\x00" in data else "it looks like Latin-1 or Windows-1252"
        return None, [Problem(shown, line, col, f"is not valid UTF-8 ({hint}); save the file as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = []
    # One pass of two regular expressions over the text, rather than a look at every character.
    for match in _TAB_INDENT.finditer(text) if "\t" in text else ():
        line, col = _position(text[: match.end() - 1])
        problems.append(Problem(shown, line, col, "a tab is used for indentation; indent with spaces"))
    # Most files are plain ASCII, which one pass over the bytes shows; the rest are looked at
    # character by character (chars.py says which characters are refused and why).
    for index, message in () if chars.plain_bytes(data) else chars.refused(text):
        line, col = _position(text[:index])
        problems.append(Problem(shown, line, col, message))
    return text, problems


def _hidden_in_name(name: str) -> str | None:
    """Why field name `name` cannot be used, or None: a name is one line of visible text."""
    if "\t" in name or "\n" in name:
        return "a tab or line break; delete it"
    return chars.first_refused(name)


def _position(prefix: str) -> tuple[int, int]:
    line = prefix.count("\n") + 1
    return line, len(prefix) - (prefix.rfind("\n") + 1) + 1


_LONGEST_KEY = 1024  # characters: libyaml reads no longer a key without '?'


def parse(text: str, shown: str, kind: str = "case study") -> tuple[Mapping | None, list[Problem]]:
    """Parse decoded text into a tree; any refusal stops the file (later errors would be noise)."""
    try:
        return _walk(yaml.parse(text, Loader=_Parser), shown, kind)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = error.problem or error.context or "is not valid YAML"
        if what == "found invalid Unicode character escape code":  # "\ud800": half of a UTF-16 pair
            message = "this escape is not a character (half a UTF-16 surrogate pair, or beyond U+10FFFF)"
            return None, [Problem(shown, line, col, f"{message}; type the character itself, or delete the escape")]
        if what == "could not find expected ':'" and col > _LONGEST_KEY:  # libyaml's limit on a simple key
            message = (
                f"this line runs more than {_LONGEST_KEY:,} characters before its ':', longer than YAML allows for "
                "a field name; field names are short words such as 'title': check the start of the line"
            )
            return None, [Problem(shown, line, 1, message)]
        return None, [
            Problem(shown, line, col, f"invalid YAML: {what}; check the indentation and quoting on this line")
        ]
    except yaml.YAMLError as error:
        return None, [Problem(shown, 0, 0, f"invalid YAML: {error}")]


# The event classes libyaml's parser (and PyYAML's own) makes: exactly these, never subclasses.
_SCALAR, _MAPPING_START, _SEQUENCE_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


def _at(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _walk(events: Iterator[Any], shown: str, what: str) -> tuple[Mapping | None, list[Problem]]:
    """Build the tree from the parser's events (`Any`: told apart by exact class, which mypy
    cannot follow)."""
    stack: list[_Open] = []
    root: Node | None = None
    documents = 0

    def refuse(event: yaml.Event, message: str) -> tuple[None, list[Problem]]:
        line, col = _at(event)
        return None, [Problem(shown, line, col, message)]

    # One test of the event's exact class each, the commonest first: this loop runs for every
    # event of every file, where isinstance chains would be a large share of its time.
    for event in events:
        kind = type(event)
        if kind is _SCALAR or kind is _MAPPING_START or kind is _SEQUENCE_START:
            if event.anchor is not None:
                return refuse(event, f"anchor '&{event.anchor}' is not allowed; write each value out in full")
            if event.tag is not None:
                return refuse(event, f"tag '{event.tag}' is not allowed; remove it and write the plain value")
            line, col = _at(event)
            if kind is not _SCALAR:
                if len(stack) >= MAX_DEPTH:
                    return refuse(event, f"is nested more than {MAX_DEPTH} levels deep; flatten the structure")
                stack.append(_Open("map" if kind is _MAPPING_START else "seq", line, col))
                continue
            node: Node = Scalar(event.value, line, col, event.style)
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            done = stack.pop()
            node = (
                Mapping(done.pairs, done.keys, done.line, done.col)
                if done.kind == "map"
                else Sequence(tuple(done.items), done.line, done.col)
            )
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                return refuse(
                    event, f"holds a second YAML document; {_ADVICE[what]['documents']} and remove the extra '---'"
                )
            continue
        elif kind is yaml.AliasEvent:
            return refuse(event, f"alias '*{event.anchor}' is not allowed; write the value out in full")
        else:  # the stream's and documents' other events
            continue
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if parent.kind == "seq":
            parent.items.append(node)
        elif parent.pending_key is None:
            if not isinstance(node, Scalar):
                return None, [
                    Problem(shown, node.line, node.col, "a field name must be plain text, not a list or mapping")
                ]
            hidden = _hidden_in_name(node.value)
            if hidden is not None:  # typed as a double-quoted escape such as "\u200b" or "\0"
                return None, [
                    Problem(
                        shown, node.line, node.col, f"a field name contains a character that is not allowed: {hidden}"
                    )
                ]
            if node.value == "<<":
                return None, [
                    Problem(
                        shown, node.line, node.col, "merge keys ('<<') are not allowed; write each field out in full"
                    )
                ]
            if node.value in parent.keys:
                first = parent.keys[node.value]
                return None, [
                    Problem(
                        shown,
                        node.line,
                        node.col,
                        f"duplicate field '{node.value}' (first given at line {first.line}); keep one of them",
                    )
                ]
            parent.pending_key = node
        else:
            key = parent.pending_key
            assert key is not None
            parent.keys[key.value] = key
            parent.pairs[key.value] = node
            parent.pending_key = None
    if root is None or (isinstance(root, Scalar) and root.value.strip() == ""):
        return None, [Problem(shown, 1, 1, f"is empty; {_ADVICE[what]['empty']}")]
    if not isinstance(root, Mapping):
        return None, [
            Problem(
                shown,
                root.line,
                root.col,
                "must be a set of 'field: value' lines at the top level, not a list or a single value",
            )
        ]
    return root, []
