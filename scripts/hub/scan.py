"""After the MkDocs build, before the site is published: scan the built HTML for anything active.

A second line of defence behind the escaping filter. Any finding fails the build, so a page
that slipped through is never published. It looks for:
- `<script>` that is not one of the theme's own (its bundle, and its three small inline scripts);
- `on…=` event-handler and `style=` attributes anywhere (the theme uses neither);
- `javascript:`, `data:` and `vbscript:` addresses in any URL attribute, however spelt;
- `<iframe>`, `<object>`, `<embed>`, and `<form>` other than the theme's search box.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .problems import Problem

_THEME_SCRIPT_SRC = re.compile(r"^(?:\.\./)*/?assets/javascripts/[\w.-]+\.js$")
# The theme's inline scripts, recognised by how they start (their middles carry page paths).
_THEME_INLINE = (
    "__md_scope=new URL(",
    "var target=document.getElementById(location.hash.slice(1));",
)
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "cite", "background"})
_BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript):")
_EMBEDS = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet", "base"})


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[int, str]] = []
        self.script: dict[str, str | None] | None = None
        self.script_line = 0
        self.body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        found = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append((line, f"<{tag}> has an event handler attribute '{name}'"))
            elif name == "style":
                self.findings.append((line, f"<{tag}> has a style attribute"))
            elif name in _URL_ATTRIBUTES and value is not None:
                # Browsers ignore whitespace and control characters inside a scheme: "java\tscript:".
                plain = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
                if _BAD_SCHEME.match(plain):
                    self.findings.append((line, f"<{tag} {name}=…> uses a {plain.split(':')[0]}: address"))
        if tag in _EMBEDS:
            self.findings.append((line, f"<{tag}> is not allowed"))
        elif tag == "form" and found.get("class") != "md-search__form":
            self.findings.append((line, "<form> is not the theme's search box"))
        elif tag == "script":
            src = found.get("src")
            if src is not None and not _THEME_SCRIPT_SRC.match(src):
                self.findings.append((line, f"<script src='{src}'> is not one of the theme's scripts"))
            self.script, self.script_line, self.body = found, line, []

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self.script is None:
            return
        body = "".join(self.body).strip()
        is_config = self.script.get("id") == "__config" and self.script.get("type") == "application/json"
        if body and not is_config and not body.startswith(_THEME_INLINE):
            self.findings.append((self.script_line, f"inline <script> is not one of the theme's: {body[:60]!r}"))
        self.script = None


def scan_page(html: str) -> list[tuple[int, str]]:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def scan_site(folder: Path, shown_as: str = "site") -> list[Problem]:
    """Every finding in every HTML page of a built site, as problems (`shown_as` names the folder)."""
    problems = []
    for page in sorted(folder.rglob("*.html")):
        shown = f"{shown_as}/{page.relative_to(folder).as_posix()}"
        for line, message in scan_page(page.read_text(encoding="utf-8", errors="replace")):
            problems.append(Problem(shown, line, 0, f"{message}; the site was not published (check the case study this page comes from)"))
    return problems
