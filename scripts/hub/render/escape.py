"""The one escaping filter: contributor text into Markdown that shows it literally.

Python-Markdown passes raw HTML through and treats punctuation at the start of a line as block
syntax, so HTML-escaping alone is not enough. Every ASCII punctuation character that can start
inline syntax anywhere (emphasis, code, links, images, HTML, entities, table cells, attribute
lists, a heading's closing `#`) becomes a numeric character reference (`&#60;` for `<`), which
Markdown leaves alone and the browser shows as the character typed. So does any punctuation
at the start of a line, where lists, block quotes, headings, rules and admonitions begin, and
the `.` or `)` after a number there (`1.` starts a list, and so do `١.` and `５.`). The rest (`.`, `-`, `:`, `(`, `"`
and the like inside a line) mean nothing to Markdown and are left as typed: prose is full of
them, and every reference costs the converter time. Line breaks typed inside a paragraph are
kept as hard breaks; blank lines separate paragraphs; leading spaces are dropped so no line
becomes a code block. tests/test_escape.py puts generated text through the real converter in
every place a template uses it.

`Md` marks strings that are safe to place in a template; the renderer refuses anything else.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

# Punctuation that starts inline syntax wherever it is.
_ANYWHERE = re.compile(r"[!#&*<>\[\\\]^_`{|}~]")
# The start of a line: any ASCII punctuation, or the one after a number ("1." or "1)"), in any
# script's digits: Python-Markdown's list pattern is a str pattern, so its \d matches them all.
_LINE_START = re.compile(r"\d*[!-/:-@\[-`{-~]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n[ \t\n]*")
# Printable ASCII but what `_ANYWHERE` matches: text of these alone needs no reference inside a line.
_PLAIN_ASCII = bytes(code for code in range(0x20, 0x7F) if not _ANYWHERE.match(chr(code)))


class Md(str):
    """Text that is already valid, safe Markdown for the place it is put."""

    __slots__ = ()


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match.group()[-1])};"


def inline(text: str) -> Md:
    """One line of literal text (line breaks become spaces), safe at the start of a line too."""
    # ASCII text is often plain: printable, without a character that needs a reference inside
    # a line. Deleting the plain bytes shows it, faster than searching for references.
    plain = text.isascii() and not text.encode("ascii").translate(None, _PLAIN_ASCII)
    # Most values are typed as one line with single spaces, which needs no tidying: printable
    # text holds no white space but the space itself, so no other kind needs looking for.
    tidy = (plain or text.isprintable()) and "  " not in text and text[:1] != " " and text[-1:] != " "
    line = text if tidy else " ".join(text.split())
    start = _LINE_START.match(line)
    if start is None:
        return Md(line if plain else _ANYWHERE.sub(_reference, line))
    head = start.group()
    return Md(head[:-1] + _reference(start) + _ANYWHERE.sub(_reference, line[start.end() :]))


def paragraphs(text: str) -> Md:
    """Multi-line literal text: paragraphs split on blank lines, line breaks kept."""
    if "\n" not in text:  # one paragraph of one line (as YAML's folded text often is)
        return inline(text)
    blocks = [block for block in _BLANK_LINES.split(text.replace("\t", " ").strip()) if block.strip()]
    rendered = []
    for block in blocks:
        lines = [inline(line) for line in block.split("\n") if line.strip()]
        rendered.append("  \n".join(lines))  # two trailing spaces: a hard line break
    return Md("\n\n".join(rendered))


# Characters kept as they are in a link target; everything else is percent-encoded, so a
# `)` or space can never end the Markdown link early.
_URL_SAFE = "/:?#[]@!$&'*+,;=%-._~"


def url(address: str) -> Md:
    """A validated https (or mailto) address, made safe inside `[text](...)`."""
    return Md(quote(address, safe=_URL_SAFE))


# Characters a YAML double-quoted scalar must not hold raw: anything but printable ASCII. A YAML
# parser refuses some of them outright (noncharacters, C1 controls), folds others into spaces or
# line breaks (NEL, U+2028), and a page whose front matter does not parse is shown as text.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")


def _yaml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"


def yaml_value(value: object) -> Md:
    """A YAML value (text, or lists and mappings of text) on one line, in printable ASCII only:
    JSON's quoting (valid YAML flow syntax) with every other character written as a YAML
    escape, so any parser reads back exactly `value` whatever characters the text holds."""
    return Md(_NOT_PRINTABLE_ASCII.sub(_yaml_escape, json.dumps(value, ensure_ascii=False)))


def yaml_block(value: str, indent: str = "") -> Md:
    """Multi-line text as a YAML literal block (`|-`), every line indented: nothing in it is YAML syntax."""
    lines = [line.strip() for line in value.split("\n")]
    return Md("|-\n" + "\n".join(f"{indent}  {line}" if line else "" for line in lines))


_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.-]+\Z")


def code(value: str) -> Md:
    """A field name or slug as a Markdown code span (shown as typed: a code span decodes nothing)."""
    if not _IDENTIFIER.match(value):
        raise ValueError(f"{value!r} is not an identifier to show as code")
    return Md(f"`{value}`")


def html_text(value: str) -> Md:
    """Text inside the hub's own HTML blocks (where Markdown is not read): HTML-escaped."""
    return Md(html.escape(value, quote=True))


def attribute(value: object) -> Md:
    """A value as JSON in a double-quoted HTML attribute written by a template (`data-config`)."""
    return Md(html.escape(json.dumps(value, ensure_ascii=False), quote=True))
