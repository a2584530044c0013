"""Which characters contributor text may hold: the one policy, used for whole files and values.

A character is refused when it cannot be shown as itself, or when it can change how other text
reads or parses: controls (C0, DEL, C1 with NEL), Unicode's own line and paragraph separators,
surrogates, private-use characters (they look different on every device), noncharacters and
code points Unicode has not assigned, and invisible formatting characters (bidi controls,
zero-width spaces, word joiners, the soft hyphen, interlinear annotations, deprecated format
controls, a byte-order mark inside text, the Hangul fillers). Some invisible characters are
part of how real text is written, so they are allowed where they do that job:
- ZWNJ (U+200C) and ZWJ (U+200D) after a visible character that is not ASCII and before a
  visible one (Persian and Indic words, emoji such as 👩‍👧), never in plain Latin text;
- tag characters (U+E0020-U+E007F) only inside an emoji flag sequence (🏴 + tags + U+E007F,
  the flags of England, Scotland and Wales);
- variation selectors and other combining marks, at most `MAX_MARKS` in a row on one letter.
Every other character is shown literally. SECURITY.md lists the same classes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

MAX_MARKS = 8  # combining marks on one letter: real scripts use up to about four
_ZW = frozenset("\u200c\u200d")
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")  # Hangul fillers: letters that show nothing
_BLANK = frozenset("\u2800") | _FILLERS  # symbols and letters that show nothing (Braille blank)
_PLAIN = re.compile(r"[\t\n\x20-\x7e]*\Z")

# What a character is, for the policy: "ok", "context" (allowed in some places) or a reason.
_OK, _CONTEXT = "", "context"


@lru_cache(maxsize=4096)
def _kind(char: str) -> str:
    code = ord(char)
    if char in "\t\n" or 0x20 <= code < 0x7F:
        return _OK
    category = unicodedata.category(char)
    if category == "Cc":
        what = "next-line control character" if code == 0x85 else "control character"
        return f"{what} U+{code:04X} is not allowed; delete it"
    if category in ("Zl", "Zp"):
        return f"U+{code:04X} ({unicodedata.name(char).lower()}) is not allowed; use an ordinary line break"
    if category == "Cs":
        return f"U+{code:04X} is half of a UTF-16 surrogate pair, not a character; delete it"
    if category == "Co":
        return f"private-use character U+{code:04X} shows differently on every device; delete it"
    if category == "Cn":
        if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            return f"noncharacter U+{code:04X} is not allowed; delete it"
        return f"U+{code:04X} is not a character in Unicode {unicodedata.unidata_version}; delete it"
    if char in _ZW or 0xE0020 <= code <= 0xE007F or category in ("Mn", "Me"):
        return _CONTEXT
    if category == "Cf" or char in _FILLERS:
        name = unicodedata.name(char, "invisible character").lower()
        return f"invisible character U+{code:04X} ({name}) is not allowed; delete it"
    return _OK


def refused(text: str) -> Iterator[tuple[int, str]]:
    """`(index, message)` for each character of `text` the policy refuses, in order."""
    if _PLAIN.match(text):
        return
    kinds = {char: _kind(char) for char in set(text)}
    if all(kind == _OK for kind in kinds.values()):
        return
    flags = (
        {i for match in _TAGS.finditer(text) for i in range(match.start() + 1, match.end())}
        if _BLACK_FLAG in text
        else set()
    )
    marks = 0
    for index, char in enumerate(text):
        kind = kinds[char]
        if kind == _OK:
            marks = 0
            continue
        if kind != _CONTEXT:
            yield index, kind
            continue
        code = ord(char)
        if char in _ZW:
            before, after = text[index - 1 : index], text[index + 1 : index + 2]
            if not (before and after and not before.isascii() and _joins(before) and _joins(after)):
                name = "zero width joiner" if code == 0x200D else "zero width non-joiner"
                yield (
                    index,
                    f"invisible character U+{code:04X} ({name}) is allowed only inside an emoji or a word of a "
                    "script that needs it; delete it",
                )
        elif 0xE0020 <= code <= 0xE007F:
            if index not in flags:
                yield index, f"tag character U+{code:04X} is allowed only in an emoji flag; delete it"
        else:
            marks += 1
            if marks == MAX_MARKS + 1:
                yield index, f"more than {MAX_MARKS} accents or other combining marks in a row; delete the extra ones"
            continue
        marks = 0


def _joins(char: str) -> bool:
    """Whether a joiner may stand next to `char`: a letter, mark, digit or symbol (ZWJ follows
    a vowel sign in Devanagari, an emoji in a family emoji)."""
    return unicodedata.category(char)[0] in "LMNS"


def visible(text: str) -> bool:
    """Whether `text` has a character that shows: a letter, digit, punctuation or symbol."""
    if text.isascii():
        return not text.isspace() and text.isprintable() or any(" " < char < "\x7f" for char in text)
    return any(char not in _BLANK and unicodedata.category(char)[0] in "LNPS" for char in text)


def first_refused(text: str) -> str | None:
    """The message for the first refused character of `text`, or None."""
    return next((message for _, message in refused(text)), None)


def plain_bytes(data: bytes) -> bool:
    """Whether `data` is tab, line feed, carriage return and printable ASCII only: no character
    of it needs a look (one C-speed pass, the common case for a case-study file)."""
    return not data.translate(None, _PLAIN_BYTES)


_PLAIN_BYTES = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])
