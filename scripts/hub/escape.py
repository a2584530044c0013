"""The one escaping filter: contributor text into Markdown that shows it literally.

Python-Markdown passes raw HTML through and treats punctuation at the start of a line as block
syntax, so HTML-escaping alone is not enough. Every ASCII punctuation character that Markdown or
its extensions give meaning to becomes a numeric character reference (`&#60;` for `<`), which
Markdown leaves alone and the browser shows as the character typed: no tag, link, attribute
list, admonition, table cell or heading can start from contributor text. Line breaks typed
inside a paragraph are kept as hard breaks; blank lines separate paragraphs; leading spaces are
dropped so no line becomes a code block.

`Md` marks strings that are safe to place in a template; the renderer refuses anything else.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# All ASCII punctuation except the apostrophe and comma, which mean nothing to Markdown and are
# common in prose.
_SPECIAL = frozenset("!\"#$%&()*+-./:;<=>?@[\\]^_`{|}~")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_BLANK_LINES = re.compile(r"\n[ \t]*\n[ \t\n]*")


class Md(str):
    """Text that is already valid, safe Markdown for the place it is put."""

    __slots__ = ()


def inline(text: str) -> Md:
    """One line of literal text (line breaks become spaces)."""
    return Md(" ".join(text.split()).translate(_TABLE))


def paragraphs(text: str) -> Md:
    """Multi-line literal text: paragraphs split on blank lines, line breaks kept."""
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
