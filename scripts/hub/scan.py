"""After the MkDocs build, before the site is published: scan the built HTML for anything active.

A second line of defence behind the escaping filter. Any finding fails the build, so a page
that slipped through (from a case study, or from a hand-written page or theme override) is never
published. It finds:
- `<script>` that is not the theme's or the hub's: an external script must be the theme's
  bundle under `assets/javascripts/` or the hub's search (`javascripts/hub-search.js`), and an
  inline script must be, byte for byte (path strings aside), one of the inline scripts the
  theme puts on its own 404 page, which holds no content;
- event-handler (`on…=`), `style=` and `srcdoc=` attributes; `javascript:`, `data:` and
  `vbscript:` addresses in any URL-bearing attribute, however spelt;
- `<iframe>`, `<object>`, `<embed>`, `<base>`, `<noscript>`, SVG animation, `<style>`, a
  `<form>` other than the search box in the header, `<link>` in the body, a `<meta http-equiv>` other
  than the hub's own redirect to a page of the site, comments a browser could end early, and a
  `<script>` left open.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from .problems import Problem

_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "cite", "background", "values", "to", "from", "by"}
)
_BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript):")
_NEVER = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet", "base", "noscript", "style", "animate", "set",
                    "animatemotion", "animatetransform", "portal"})
_PATH_STRING = re.compile(r'"[\w./-]*"')  # "..", "/hub/", "../.." : the only parts of the theme's inline scripts that vary
_REDIRECT = re.compile(r"^0; url=(?:\.\./)*[a-z0-9][a-z0-9/-]*/$")


def _normalise(script: str) -> str:
    return _PATH_STRING.sub('""', script.strip())


class _Scanner(HTMLParser):
    def __init__(self, theme_scripts: frozenset[str], base_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.theme_scripts = theme_scripts
        # The theme's bundle, and the hub's own search script (docs/javascripts/hub-search.js).
        self.script_src = re.compile(rf"^(?:\./)?(?:\.\./)*(?:{re.escape(base_path)})?/?(?:assets/javascripts/[\w.-]+|javascripts/hub-search)\.js$")
        self.findings: list[tuple[int, str]] = []
        self.inline: list[str] = []  # every inline script body seen, normalised
        self.script: dict[str, str | None] | None = None
        self.script_line = 0
        self.body: list[str] = []
        self.in_body = False

    def find(self, message: str, line: int = 0) -> None:
        self.findings.append((line or self.getpos()[0], message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.find(f"<{tag}> has an event handler attribute '{name}'")
            elif name in ("style", "srcdoc"):
                self.find(f"<{tag}> has a {name} attribute")
            elif name in _URL_ATTRIBUTES and value is not None:
                # Browsers ignore whitespace and control characters inside a scheme: "java\tscript:".
                for part in value.split(";") if name == "values" else [value]:
                    plain = re.sub(r"[\x00-\x20\x7f]+", "", part).lower()
                    if _BAD_SCHEME.match(plain):
                        self.find(f"<{tag} {name}=…> uses a {plain.split(':')[0]}: address")
        if tag == "body":
            self.in_body = True
        elif tag in _NEVER:
            self.find(f"<{tag}> is not allowed")
        elif tag == "form" and found.get("class") not in ("md-search__form", "hub-search"):
            self.find("<form> is not the theme's or the hub's search box")
        elif tag == "link" and self.in_body:
            self.find("<link> in the body is not allowed")
        elif tag == "meta" and "http-equiv" in found:
            if (found.get("http-equiv") or "").lower() != "refresh" or not _REDIRECT.match(found.get("content") or ""):
                self.find(f"<meta http-equiv={found.get('http-equiv')!r}> is not the hub's own redirect")
        elif tag == "script":
            src = found.get("src")
            if src is not None and not self.script_src.match(src):
                self.find(f"<script src='{src}'> is not one of the theme's scripts")
            self.script, self.script_line, self.body = found, self.getpos()[0], []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.body.append(data)

    def handle_comment(self, data: str) -> None:
        # "<!-->" and "<!--->" end a comment early in browsers but not in Python's parser.
        if "<" in data or data.startswith((">", "->")) or "--!" in data:
            self.find("a comment that a browser could end early")

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self.script is None:
            return
        body = "".join(self.body)
        is_config = self.script.get("id") == "__config" and self.script.get("type") == "application/json"
        if body.strip() and not is_config:
            self.inline.append(_normalise(body))
            if self.theme_scripts and _normalise(body) not in self.theme_scripts:
                self.find(f"inline <script> is not one of the theme's: {body.strip()[:60]!r}", self.script_line)
        self.script = None

    def close(self) -> None:
        super().close()
        if self.script is not None:
            self.find("a <script> is never closed", self.script_line)


def scan_page(html: str, theme_scripts: frozenset[str] = frozenset({""}), base_path: str = "") -> list[tuple[int, str]]:
    """Findings in one page; `theme_scripts` are the allowed inline scripts, normalised."""
    scanner = _Scanner(theme_scripts, base_path)
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def theme_scripts(site: Path) -> frozenset[str]:
    """The theme's own inline scripts, read from its 404 page, which holds no content."""
    page = site / "404.html"
    if not page.is_file():
        return frozenset({""})  # nothing is allowed
    scanner = _Scanner(frozenset(), "")
    scanner.feed(page.read_text(encoding="utf-8", errors="replace"))
    scanner.close()
    return frozenset(scanner.inline) or frozenset({""})


def scan_site(folder: Path, base_path: str = "", shown_as: str = "site", pages: list[Path] | None = None,
              tick: Callable[[], None] | None = None) -> list[Problem]:
    """Every finding in every HTML page of a built site (or in `pages` of it). `base_path` is
    site_url's path ("/hub"); `tick` is called as each page is scanned."""
    allowed = theme_scripts(folder)
    problems = []
    for page in sorted(folder.rglob("*.html")) if pages is None else pages:
        if tick is not None:
            tick()
        shown = f"{shown_as}/{page.relative_to(folder).as_posix()}"
        for line, message in scan_page(page.read_text(encoding="utf-8", errors="replace"), allowed, base_path.rstrip("/")):
            problems.append(Problem(shown, line, 0, f"{message}; the site was not published (check the case study or page this comes from)"))
    return problems
