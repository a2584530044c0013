"""The escaping filters against the real Markdown converter: whatever a contributor types, in
whatever place a template puts it, Python-Markdown (with the extensions mkdocs.yml enables)
shows exactly that text and makes no element of it."""

from __future__ import annotations

from typing import Any

import markdown
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from htmlview import shown
from hub.render.escape import inline, paragraphs


def _extensions() -> tuple[list[Any], dict[str, Any]]:
    """mkdocs.yml's own markdown_extensions (its `!ENV` tags are not needed here)."""
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: "")
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, settings_ = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        options[name] = settings_ or {}
    return names, options


EXTENSIONS, OPTIONS = _extensions()


def to_html(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=OPTIONS).convert(text)


def one_line(text: str) -> str:
    return " ".join(text.split())


# Everything Markdown or its extensions give meaning to, at the start of a line and inside one,
# with letters, digits and spaces between: the strategy builds headings, lists, tables,
# emphasis, code, links, HTML, entities and admonitions far more often than prose would.
SYNTAX = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + [
    "1. ",
    "\u0661. ",  # ARABIC-INDIC DIGIT ONE: Python-Markdown's \d matches every script's digits
    "\uff15) ",  # FULLWIDTH DIGIT FIVE
    "\U0001d7cf. ",  # MATHEMATICAL BOLD DIGIT ONE
    "\u0967\u0968. ",  # DEVANAGARI ONE TWO
    "- ",
    "!!! note ",
    "    ",
    "\t",
    "&amp;",
    "&#60;",
    "<b>",
    "](x)",
    "[x]",
    "***",
    "---",
    "===",
    "|--|",
]
PIECES = st.one_of(
    st.sampled_from(SYNTAX), st.sampled_from(["a", "word", "12", "\u0663", " ", "  ", "\n", "\n\n", "é", "£"])
)
TEXT = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=1500, deadline=None)
@given(TEXT)
def test_paragraphs_show_what_was_typed(text: str) -> None:
    html = to_html(paragraphs(text))
    seen, tags = shown(html)
    assert tags <= {"p", "br"}, html
    typed = [one_line(line) for line in text.replace("\t", " ").split("\n") if line.strip()]
    assert [one_line(line) for line in seen.split("\n") if line.strip()] == typed


@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        ("", "", {"p"}),  # the start of a line
        ("Some words ", " more words", {"p"}),
        ("## ", "", {"h2", "a"}),  # a heading (the permalink is the toc extension's <a>)
        ("- **Led by:** ", "", {"ul", "li", "strong"}),
        ("[", "](page.md)", {"p", "a"}),  # the text of a link
        ("| Name |\n|---|\n| ", " |", {"table", "thead", "tbody", "tr", "th", "td"}),
    ],
)
@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_inline_text_shows_what_was_typed_wherever_it_is_put(
    before: str, after: str, allowed: set[str], text: str
) -> None:
    assume(text.strip())  # a blank value is never put inline
    html = to_html(f"{before}{inline(text)}{after}\n")
    seen, tags = shown(html)
    assert tags <= allowed, html
    assert one_line(text) in one_line(seen), html


WHITE_SPACE = [c for c in map(chr, range(0x3001)) if c.isspace()]  # every kind Python knows


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*WHITE_SPACE, "a", "é", "1.", "#", "\u200b"]), max_size=20).map("".join))
def test_inline_turns_any_run_of_white_space_into_one_space(text: str) -> None:
    assert inline(text) == inline(one_line(text))
    assert not inline(text).startswith(" ") and not inline(text).endswith(" ") and "  " not in inline(text)


@pytest.mark.parametrize(
    "text", [" a b", "a b ", "a  b", "a\tb", "a\nb", "a\u00a0b", "a\u2003b", "a\u3000b", " a \n b  "]
)
def test_inline_tidies_white_space_of_every_kind(text: str) -> None:
    assert inline(text) == "a b"
