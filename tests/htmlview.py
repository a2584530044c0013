"""What a reader's browser makes of built HTML, for the tests: one set of helpers on the parser
the scan uses (Lexbor, which follows the WHATWG standard as browsers do)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DOCUMENT = frozenset({"html", "head", "body"})


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def _headerlink(node: LexborNode) -> bool:
    """The permalink MkDocs adds to a heading (a "¶" no reader counts as the heading's text)."""
    return node.tag == "a" and "headerlink" in (node.attributes.get("class") or "").split()


def text(node: LexborNode) -> str:
    """The text a reader sees in `node`: each <br> a line break, heading permalinks left out."""
    parts: list[str] = []

    def walk(current: LexborNode) -> None:
        for child in current.iter(include_text=True):
            if child.tag == "-text":
                parts.append(child.text_content or "")
            elif child.tag == "br":
                parts.append("\n")
            elif not _headerlink(child):
                walk(child)

    walk(node)
    return "".join(parts)


def elements(html: str) -> Iterator[LexborNode]:
    tree = parse(html)
    root = tree.root
    if root is not None:
        yield from (node for node in root.traverse(include_text=False) if not node.tag.startswith(("-", "#")))


def shown(fragment: str) -> tuple[str, set[str]]:
    """A fragment of HTML (what Markdown makes of a text): the text it shows and the elements it
    uses, beyond the document's own."""
    tree = parse(fragment)
    body = tree.body
    tags = {node.tag for node in elements(fragment) if node.tag not in _DOCUMENT}
    return (text(body) if body is not None else ""), tags


def section_text(html: str, heading_id: str) -> str:
    """The text under the heading with id `heading_id`, up to the next <h1> or <h2>, one
    non-empty line per typed line, white space inside each line made single."""
    tree = parse(html)
    heading = tree.css_first(f"#{heading_id}")
    assert heading is not None, f"no heading #{heading_id}"
    parts: list[str] = []
    node = heading.next
    while node is not None and node.tag not in ("h1", "h2"):
        parts.append(node.text_content or "" if node.tag == "-text" else text(node))
        node = node.next
    lines = (" ".join(line.split()) for line in "".join(parts).strip().split("\n"))
    return "\n".join(line for line in lines if line)


def first_heading(html: str) -> str:
    """The text of the page's <h1>."""
    heading = parse(html).css_first("h1")
    assert heading is not None, "the page has an <h1>"
    return text(heading)


def links_and_ids(html: str) -> tuple[list[str], set[str]]:
    """Every address an element links to or loads (href, src), and every id on the page."""
    links: list[str] = []
    ids: set[str] = set()
    for node in elements(html):
        attributes = node.attributes
        if attributes.get("id"):
            ids.add(str(attributes["id"]))
        links.extend(str(attributes[name]) for name in ("href", "src") if attributes.get(name))
    return links, ids


def attribute_names(html: str) -> list[str]:
    """The name of every attribute of every element."""
    return [name for node in elements(html) for name in node.attributes]


def texts_of(html: str, selector: str) -> list[str]:
    """The text of each element `selector` matches, white space made single."""
    return [" ".join(text(node).split()) for node in parse(html).css(selector)]


@dataclass
class Outline:
    """The facts the static accessibility checks need from one page."""

    lang: str | None = None
    title: str = ""
    description: str | None = None
    headings: list[int] = field(default_factory=list)  # levels of the article's headings, in order
    links: list[str] = field(default_factory=list)
    redirect: bool = False


def outline(html: str) -> Outline:
    tree = parse(html)
    found = Outline()
    root = tree.css_first("html")
    found.lang = root.attributes.get("lang") if root is not None else None
    title = tree.css_first("title")
    found.title = title.text() if title is not None else ""
    description = tree.css_first('meta[name="description"]')
    found.description = description.attributes.get("content") if description is not None else None
    found.redirect = tree.css_first('meta[http-equiv="refresh"]') is not None
    found.links = [str(node.attributes["href"]) for node in tree.css("a[href]")]
    found.headings = [
        int(node.tag[1]) for node in tree.css("article h1, article h2, article h3, article h4, article h5, article h6")
    ]
    return found
