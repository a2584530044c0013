"""After the MkDocs build, before the site is published: scan every published file a browser
could run for anything active.

A second line of defence behind the escaping filter: any finding fails the build, so a page
that slipped through (from a case study, a hand-written page or a theme override) is never
published. HTML is parsed with Lexbor (selectolax), a parser that follows the WHATWG HTML
standard, so the scan sees the same elements a browser builds, however the markup is bent
(`<![CDATA[`, comments ended early, unclosed tags, foreign SVG and MathML content). XML files
(`.xml`, `.svg`, `.xhtml`, feeds) are parsed as XML, as a browser opening them would.

Every other file must be of a kind a browser does not run as a document (`INERT_SUFFIXES`).

In an HTML page it finds:
- a `<script>` that is not the theme's or the hub's: an external script's address, resolved
  against the page, must be the theme's bundle under `assets/javascripts/`, byte for byte the
  file the installed theme ships, or the hub's own search (`javascripts/hub-search.js`); an
  inline script must be one the Content-Security-Policy allows by hash (`POLICY`), which
  `test_scan.py` pins to the scripts the installed Material ships; the theme's JSON
  configuration is the one inert script;
- a page without exactly the hub's policy (`POLICY`) in a `<meta http-equiv>` before any
  script or stylesheet, or any other `<meta http-equiv>` but the hub's own redirect;
- event-handler (`on…`), `style`, `srcdoc` attributes, and `javascript:`, `data:` or
  `vbscript:` addresses in any attribute that holds one, however spelt;
- `<iframe>`, `<object>`, `<embed>`, `<base>`, `<noscript>`, `<template>`, `<style>`, SVG
  animation, a `<form>` other than the search boxes, a `<link>` in the body or of a kind the
  theme does not use;
- two elements with one id (a heading's id comes from its text: the theme's scripts must find
  their own elements);
- front matter shown as page text (a generated page whose YAML header did not parse).
In XML it finds a DOCTYPE, processing instructions (`<?xml-stylesheet?>` runs XSLT), script,
foreign HTML, event handlers and script addresses; a file that is not well-formed is a finding.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from hub.core.problems import Problem, printable

# The Content-Security-Policy of every page (overrides/main.html writes it; GitHub Pages sends
# no headers). Scripts come from the site itself, or are one of the two inline scripts the theme
# writes on every page, by hash; `'wasm-unsafe-eval'` lets Pagefind compile its WebAssembly.
INLINE_SCRIPT_HASHES = (
    "sha256-CfD1/yIxXjBYFEOv8ptfWOD3YalR13EpHAi/Ll28LxU=",  # partials/javascripts/base.html (overridden)
    "sha256-/8wPdzX9q0NNJXyA5lzsLojXFpkeaXVxhbfkUOQaWy8=",  # partials/javascripts/content.html
)
POLICY = (
    "default-src 'self'; "
    "script-src 'self' " + "".join(f"'{source}' " for source in INLINE_SCRIPT_HASHES) + "'wasm-unsafe-eval'; "
    "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-src 'none'; worker-src 'self'; manifest-src 'self'"
)

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml"})
XML_SUFFIXES = frozenset({".xml", ".svg", ".xhtml", ".xht", ".xsl", ".xslt", ".rss", ".atom"})
# Files a browser does not run as a document, whatever server sends them: styles, scripts (run
# only from a page, which the scan checks), data, images, fonts, downloads, Pagefind's index.
# A file without a suffix (CNAME, a theme's LICENSE) is sent as a download. Any other kind of
# file is not published: GitHub Pages may serve it as a document a browser
# runs (an .rng file as application/xml), and no scan here could vouch for it.
INERT_SUFFIXES = frozenset(
    {
        ".css",
        ".js",
        ".map",
        ".json",
        ".csv",
        ".txt",
        ".gz",
        ".ico",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".pdf",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".webmanifest",
        ".wasm",
        ".pagefind",
        ".pf_fragment",
        ".pf_index",
        ".pf_filter",
        ".pf_meta",
    }
)
HUB_SCRIPT = "javascripts/hub-search.js"  # docs/javascripts/hub-search.js, the hub's one script
_THEME_SCRIPT = re.compile(r"^assets/javascripts/[\w.-]+\.js$")

_URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "xlink:href",
        "srcset",
        "cite",
        "background",
        "values",
        "to",
        "from",
        "by",
        "ping",
        "manifest",
        "codebase",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "itemtype",
        "xml:base",
    }
)
_BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript):")
_NEVER = frozenset(
    {
        "iframe",
        "object",
        "embed",
        "frame",
        "frameset",
        "applet",
        "base",
        "noscript",
        "style",
        "template",
        "animate",
        "set",
        "animatemotion",
        "animatetransform",
        "portal",
        "fencedframe",
        "xmp",
        "plaintext",
        "foreignobject",
        "handler",
        "listener",
    }
)
_LINK_RELS = frozenset({"stylesheet", "icon", "canonical", "prev", "next", "alternate", "sitemap"})
_SEARCH_FORMS = frozenset({"md-search__form", "hub-search", "hub-page-search"})  # the 404 page has one
_REDIRECT = re.compile(r"^0; url=(?:\.\./)*[a-z0-9][a-z0-9/-]*/$")
# A generated page whose YAML header did not parse shows it as its first paragraph or heading.
# Read in the HTML as written: contributor text there reads "generated&#95;by", and attributes
# (a description that mentions the words) and code spans do not match.
_LEAKED_FRONT_MATTER = re.compile(r"<(?:p|h[1-6])\b[^>]*>\s*generated_by: hub\b")


def _shown(node: LexborNode) -> str:
    """An element's start tag, short, for a message."""
    html = node.html or ""
    tag = html[: html.find(">") + 1] if ">" in html else html
    return printable(tag if len(tag) <= 80 else tag[:77] + "...")


def _bad_address(name: str, value: str) -> str | None:
    """The script scheme of an address attribute, if it uses one."""
    if name not in _URL_ATTRIBUTES and not name.endswith(":href"):
        return None
    # Browsers ignore white space and control characters inside a scheme: "java\tscript:".
    for part in value.split(";") if name == "values" else value.split(",") if name == "srcset" else [value]:
        plain = re.sub(r"[\x00-\x20\x7f]+", "", part).lower()
        if _BAD_SCHEME.match(plain):
            return plain.split(":")[0]
    return None


def _attribute_findings(tag: str, attrs: dict[str, str | None]) -> Iterator[str]:
    for name, value in attrs.items():
        name = name.lower()
        if name.startswith("on"):
            yield f"has an event handler attribute '{name}'"
        elif name in ("style", "srcdoc"):
            yield f"has a {name} attribute"
        elif value is not None and (scheme := _bad_address(name, value)):
            yield f"uses a {scheme}: address in '{name}'"


class _Page:
    """The findings in one HTML page."""

    def __init__(self, base_path: str, theme_file: Callable[[str], str | None], page: str = "index.html") -> None:
        self.base_path = base_path  # site_url's path, "/hub", or ""
        self.folder = posixpath.dirname(page)  # where the page is under the site, for its relative links
        self.theme_file = theme_file
        self.findings: list[str] = []

    def _resolved(self, src: str) -> str | None:
        """The path under the site that a script address loads, or None if outside the site."""
        if src.startswith("//") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or "\\" in src:
            return None
        if src.startswith("/"):
            if not src.startswith(self.base_path + "/"):
                return None
            src = src[len(self.base_path) + 1 :]
        else:
            src = posixpath.join(self.folder, src)
        resolved = posixpath.normpath(src)
        return None if resolved.startswith("..") or resolved.startswith("/") else resolved

    def scan(self, html: str) -> list[str]:
        tree = LexborHTMLParser(html)
        head, body = tree.head, tree.body
        policy_seen = False
        ids: set[str] = set()
        for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
            tag = node.tag or ""
            if tag.startswith("-") or tag.startswith("#"):
                continue  # comments, text, the doctype
            attrs = node.attributes
            ident = attrs.get("id")
            if ident is not None:
                if ident in ids:  # the theme's scripts would find the first one, perhaps not theirs
                    self.findings.append(f"{_shown(node)} has the id {ident!r}, which an earlier element has")
                ids.add(ident)
            for message in _attribute_findings(tag, attrs):
                self.findings.append(f"{_shown(node)} {message}")
            if tag in _NEVER:
                self.findings.append(f"<{tag}> is not allowed: {_shown(node)}")
            elif tag == "form" and attrs.get("class") not in _SEARCH_FORMS:
                self.findings.append(f"<form> is not the theme's or the hub's search box: {_shown(node)}")
            elif tag == "meta" and "http-equiv" in attrs:
                policy_seen = self._meta(node, attrs, policy_seen)
            elif tag == "link":
                if body is not None and _inside(node, body):
                    self.findings.append(f"<link> in the body is not allowed: {_shown(node)}")
                elif not set((attrs.get("rel") or "").lower().split()) <= _LINK_RELS:
                    self.findings.append(f"<link rel={attrs.get('rel')!r}> is not a kind the theme uses")
                if not policy_seen:
                    self.findings.append("a <link> comes before the Content-Security-Policy")
            elif tag == "script":
                self._script(node, attrs)
                if not policy_seen:
                    self.findings.append("a <script> comes before the Content-Security-Policy")
        if not policy_seen:
            self.findings.append("the page has no Content-Security-Policy (overrides/main.html writes it)")
        if head is None or body is None:
            self.findings.append("the page has no head or body")
        if _LEAKED_FRONT_MATTER.search(html):
            self.findings.append("the page shows its front matter as text (its YAML header did not parse)")
        return self.findings

    def _meta(self, node: LexborNode, attrs: dict[str, str | None], policy_seen: bool) -> bool:
        kind = (attrs.get("http-equiv") or "").lower()
        content = attrs.get("content") or ""
        if kind == "content-security-policy" and content == POLICY and not policy_seen:
            return True
        if kind == "refresh" and _REDIRECT.match(content):
            return policy_seen
        self.findings.append(f"{_shown(node)} is not the hub's Content-Security-Policy or its own redirect")
        return policy_seen

    def _script(self, node: LexborNode, attrs: dict[str, str | None]) -> None:
        src = attrs.get("src")
        if src is not None:
            # Resolved against the page's own address: "javascripts/hub-search.js" on a page in a
            # folder loads a file in that folder, which could be anything.
            path = self._resolved(src)
            if path is None or not (path == HUB_SCRIPT or _THEME_SCRIPT.match(path)):
                self.findings.append(f"<script src={src!r}> is not one of the theme's or the hub's scripts")
            elif path != HUB_SCRIPT and (problem := self.theme_file(path)):
                self.findings.append(f"<script src={src!r}>: {problem}")
            return
        text = node.text(deep=True) or ""
        if attrs.get("id") == "__config" and attrs.get("type") == "application/json" and len(attrs) == 2:
            return  # the theme's configuration, which browsers never run
        if set(attrs) - {"data-md-scope"} or script_hash(text) not in INLINE_SCRIPT_HASHES:
            self.findings.append(
                f"inline <script> is not one the Content-Security-Policy allows: {_shown(node)} {text.strip()[:60]!r}"
            )


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def script_hash(text: str) -> str:
    """A script's CSP hash source (`sha256-…`): the hash of its text as UTF-8."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def scan_page(
    html: str, base_path: str = "", theme_file: Callable[[str], str | None] | None = None, page: str = "index.html"
) -> list[tuple[int, str]]:
    """Findings in one HTML page, as `(line, message)` (line 0: the parser keeps no positions).
    `base_path` is site_url's path ("/hub"); `theme_file(path)` says what is wrong with the
    theme script at `path` under the site, or None (default: nothing); `page` is where the page
    is under the site, which its relative addresses start from."""
    return [(0, message) for message in _Page(base_path, theme_file or (lambda path: None), page).scan(html)]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()  # "{http://www.w3.org/2000/svg}script" -> "script"


def scan_xml(data: bytes) -> list[str]:
    """Findings in one XML file (a feed, a sitemap, an SVG image, an XHTML page)."""
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        return ["an XML file has a DOCTYPE, which can declare entities; remove it"]
    findings = []
    parser: ET.XMLPullParser[Any] = ET.XMLPullParser(events=("start", "pi"))
    try:
        parser.feed(data)
        parser.close()
    except ET.ParseError as error:
        return [f"is not well-formed XML ({error}); a browser would show an error or guess"]
    events: Iterator[Any] = parser.read_events()  # (event, element or PI) pairs
    for event, item in events:
        if event == "pi":
            findings.append("an XML processing instruction (such as xml-stylesheet) is not allowed")
            continue
        assert isinstance(item, ET.Element)
        tag = _local(item.tag)
        if tag == "script" or tag in _NEVER:
            findings.append(f"<{tag}> is not allowed in an XML file")
        attrs: dict[str, str | None] = {_local(name): value for name, value in item.attrib.items()}
        findings.extend(f"<{tag}> {message}" for message in _attribute_findings(tag, attrs))
    return findings


def theme_files(site: Path, theme: Path) -> Callable[[str], str | None]:
    """A check that a theme script in the built `site` is byte for byte the installed theme's
    file under `theme` (Material's templates folder): nothing in docs/ or overrides/ can stand
    in for it."""

    @functools.cache
    def check(path: str) -> str | None:
        built, shipped = site / path, theme / path
        if not shipped.is_file():
            return "the installed theme ships no such script"
        if not built.is_file() or built.read_bytes() != shipped.read_bytes():
            return "is not the script the installed theme ships"
        return None

    return check


def theme_templates(engine: str = "mkdocs") -> Path:
    """The templates folder (partials and assets) of the theme the site is built with:
    the installed Material for MkDocs, or the copy of it that Zensical ships."""
    spec = importlib.util.find_spec("zensical" if engine == "zensical" else "material")
    assert spec is not None and spec.origin is not None, f"the theme for {engine} is installed"
    return Path(spec.origin).parent / "templates"


def scan_site(
    folder: Path,
    base_path: str = "",
    shown_as: str = "site",
    pages: list[Path] | None = None,
    tick: Callable[[], None] | None = None,
    engine: str = "mkdocs",
) -> list[Problem]:
    """Every finding in every published document of a built site: its HTML pages (or `pages`
    of it) and XML files. `base_path` is site_url's path ("/hub"); `tick` is called as each
    HTML page is scanned; `engine` says whose theme files the site's scripts must be."""
    theme_file = theme_files(folder, theme_templates(engine))
    problems = []

    def report(path: Path, message: str) -> None:
        shown = printable(f"{shown_as}/{path.relative_to(folder).as_posix()}")
        problems.append(
            Problem(
                shown,
                0,
                0,
                f"{printable(message)}; the site was not published (check the case study or page this comes from)",
            )
        )

    files = [path for path in folder.rglob("*") if path.is_file()]
    listed = set(pages or ())
    html_pages = (pages or []) + [p for p in files if p.suffix.lower() in HTML_SUFFIXES and p not in listed]
    for page in html_pages if pages is not None else sorted(html_pages):
        if tick is not None and page in listed:
            tick()
        text = page.read_text(encoding="utf-8", errors="replace")
        for _, message in scan_page(text, base_path.rstrip("/"), theme_file, page.relative_to(folder).as_posix()):
            report(page, message)
    for path in sorted(p for p in files if p.suffix.lower() not in HTML_SUFFIXES):
        suffix = path.suffix.lower()
        if suffix in XML_SUFFIXES:
            for message in scan_xml(path.read_bytes()):
                report(path, message)
        elif suffix and suffix not in INERT_SUFFIXES:
            report(
                path,
                f"a {suffix} file is not a kind of file the site publishes (a server could send it as a "
                "document that a browser runs); publish it as HTML, a PDF, an image or data",
            )
    return problems
