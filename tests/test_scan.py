"""The scan of the built site: what a WHATWG parser (as a browser) sees, in HTML and XML files,
and the Content-Security-Policy, pinned to the scripts the installed theme ships."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from conftest import ON_GITHUB, ROOT
from hub.publish.scan import INLINE_SCRIPT_HASHES, POLICY, scan_page, scan_site, scan_xml, script_hash, theme_templates

JAVASCRIPTS = theme_templates() / "partials" / "javascripts"
# The one expression of Material's head script that differs between pages, and what the hub's
# override reads instead (overrides/partials/javascripts/base.html).
SCOPE_IN_CODE = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
SCOPE_FROM_TAG = "new URL(document.currentScript.dataset.mdScope,location)"
BASE_SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.S)


def page(body: str, head: str = "", policy: str = POLICY) -> str:
    """A page as the theme lays it out: the policy first in <head>."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
        f'content="{policy}">'
        f"{head}</head><body>{body}</body></html>"
    )


def findings(html: str) -> list[str]:
    return [message for _, message in scan_page(html)]


def test_the_policy_allows_exactly_the_scripts_material_ships() -> None:
    shipped_base = BASE_SCRIPT.search((JAVASCRIPTS / "base.html").read_text(encoding="utf-8"))
    assert shipped_base is not None and SCOPE_IN_CODE in shipped_base.group(1)
    ours = BASE_SCRIPT.search(
        (ROOT / "overrides" / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    )
    assert ours is not None
    assert ours.group(1) == shipped_base.group(1).replace(SCOPE_IN_CODE, SCOPE_FROM_TAG)
    content = BASE_SCRIPT.findall((JAVASCRIPTS / "content.html").read_text(encoding="utf-8"))
    assert (script_hash(ours.group(1)), script_hash(content[-1])) == INLINE_SCRIPT_HASHES


@pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None and not ON_GITHUB,
    reason="Zensical is not installed: `make install-dev` installs it",
)
def test_zensical_writes_the_same_inline_script_as_material() -> None:
    """The hub's override of the head script applies under Zensical too (the same
    `overrides/`), so the only other inline script must be the one Material writes."""
    zensical = BASE_SCRIPT.findall(
        (theme_templates("zensical") / "partials" / "javascripts" / "content.html").read_text(encoding="utf-8")
    )
    assert script_hash(zensical[-1]) == INLINE_SCRIPT_HASHES[1]


def test_the_theme_writes_the_policy_the_scan_requires() -> None:
    assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in (
        ROOT / "overrides" / "main.html"
    ).read_text(encoding="utf-8")
    assert "'unsafe-inline'" not in POLICY and "'unsafe-eval'" not in POLICY
    assert "object-src 'none'" in POLICY and "base-uri 'self'" in POLICY


def test_a_page_as_the_theme_writes_it_passes() -> None:
    base = BASE_SCRIPT.search(
        (ROOT / "overrides" / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    )
    assert base is not None
    target = BASE_SCRIPT.findall((JAVASCRIPTS / "content.html").read_text(encoding="utf-8"))[-1]
    html = page(
        f'<form class="md-search__form"></form><p>Text &lt;script&gt;</p><script>{target}</script>'
        '<script id="__config" type="application/json">{"base": ".."}</script>'
        '<script src="../javascripts/hub-search.js"></script>',
        head='<meta http-equiv="refresh" content="0; url=../family-group-conferences/"><link rel="stylesheet" '
        'href="x.css">'
        f'<script data-md-scope="..">{base.group(1)}</script>',
    )
    assert scan_page(html, page="practice/index.html") == []


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        ("<script>alert(1)</script>", "inline <script> is not one the Content-Security-Policy allows"),
        ('<script src="https://evil.example/x.js"></script>', "is not one of the theme's or the hub's scripts"),
        ('<script src="javascripts/evil.js"></script>', "is not one of the theme's or the hub's scripts"),
        ('<img src="x" onerror="alert(1)">', "event handler attribute 'onerror'"),
        ('<p style="color:red">x</p>', "has a style attribute"),
        ('<a href="javascript:alert(1)">x</a>', "uses a javascript: address"),
        ('<a href=" JaVa&#x09;Script:alert(1)">x</a>', "uses a javascript: address"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "uses a javascript: address"),
        ('<a href="data:text/html,x">x</a>', "uses a data: address"),
        ('<a href="vbscript:x">x</a>', "uses a vbscript: address"),
        ('<iframe src="https://example.org"></iframe>', "<iframe> is not allowed"),
        ('<object data="x"></object>', "<object> is not allowed"),
        ('<embed src="x">', "<embed> is not allowed"),
        ('<form action="x"></form>', "<form> is not the theme's or the hub's search box"),
        # What Python's html.parser read differently from browsers.
        ("<p><![CDATA[ x ><img src=x onerror=alert(1)> ]]></p>", "event handler attribute 'onerror'"),
        ("<!--><img src=x onerror=alert(1)>-->", "event handler attribute 'onerror'"),
        ("<!-- --!><img src=x onerror=alert(1)>-->", "event handler attribute 'onerror'"),
        ("<script>alert(1)", "inline <script> is not one the Content-Security-Policy allows"),
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "is not allowed"),
        (
            '<svg><a><animate attributeName="href" values="javascript:alert(1)"/></a></svg>',
            "uses a javascript: address",
        ),
        ("<svg><script>alert(1)</script></svg>", "inline <script>"),
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "uses a javascript: address"),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "is not allowed"),
        ("<template><img src=x onerror=alert(1)></template>", "<template> is not allowed"),
        ('<script type="module">import("https://evil.example/x.js")</script>', "inline <script>"),
        ('<script id="__config" type="application/json" onload="alert(1)">{}</script>', "event handler"),
        ('<script type="text/javascript" id="__config">alert(1)</script>', "inline <script>"),
        (
            '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
            "is not the hub's Content-Security-Policy or its own redirect",
        ),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link> in the body is not allowed"),
        ("<style>body{display:none}</style>", "<style> is not allowed"),
        ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "has a srcdoc attribute"),
        ('<BUTTON FORMACTION="JAVASCRIPT:alert(1)">x</BUTTON>', "uses a javascript: address"),
        ('<base href="https://evil.example/">', "<base> is not allowed"),
        ('<img srcset="x.png 1x, javascript:alert(1) 2x">', "uses a javascript: address"),
        ("<p>generated_by: hub\nhub_source: practice/x.yml</p>", "shows its front matter as text"),
    ],
)
def test_the_scan_finds_what_a_browser_would_run(body: str, finding: str) -> None:
    found = findings(page(body))
    assert any(finding in message for message in found), found


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ("<html><head></head><body><p>x</p></body></html>", "has no Content-Security-Policy"),
        (
            page("", policy=POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")),
            "has no Content-Security-Policy",
        ),
        (
            '<html><head><script src="assets/javascripts/bundle.js"></script>' + page("")[15:],
            "comes before the Content-Security-Policy",
        ),
        (page("", head='<link rel="import" href="x.html">'), "is not a kind the theme uses"),
        (
            page("", head=f'<meta http-equiv="Content-Security-Policy" content="{POLICY}; script-src *">'),
            "is not the hub's Content-Security-Policy",
        ),
    ],
)
def test_the_scan_requires_the_policy(html: str, finding: str) -> None:
    found = findings(html)
    assert any(finding in message for message in found), found


@pytest.mark.parametrize(
    ("data", "finding"),
    [
        (
            b'<?xml version="1.0"?><?xml-stylesheet href="x.xsl" type="text/xsl"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
            "processing instruction",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script> is not allowed"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler attribute 'onload'"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a '
            b'x:href="javascript:alert(1)"/></svg>',
            "javascript: address",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
            "<foreignobject> is not allowed",
        ),
        (
            b'<html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(1)</script></body></html>',
            "<script> is not allowed",
        ),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE"),
        (b"<feed><entry></feed>", "not well-formed"),
    ],
)
def test_the_scan_finds_active_xml(data: bytes, finding: str) -> None:
    found = scan_xml(data)
    assert any(finding in message for message in found), found


def test_a_plain_feed_and_sitemap_pass() -> None:
    assert (
        scan_xml(
            b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x '
            b"&lt;b&gt;</title></feed>"
        )
        == []
    )
    assert (
        scan_xml(b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>')
        == []
    )


def test_every_published_document_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(page("<p>ok</p>"), encoding="utf-8")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8"
    )
    (tmp_path / "old.htm").write_text(page("<script>alert(1)</script>"), encoding="utf-8")
    (tmp_path / "page.XHTML").write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', encoding="utf-8"
    )
    (tmp_path / "logo.svgz").write_bytes(b"\x1f\x8b")
    (tmp_path / "notes.txt").write_text("<script>alert(1)</script>", encoding="utf-8")  # served as text
    found = {problem.path for problem in scan_site(tmp_path)}
    assert found == {"site/images/logo.svg", "site/old.htm", "site/page.XHTML", "site/logo.svgz"}


def test_theme_scripts_are_the_files_the_installed_theme_ships(tmp_path: Path) -> None:
    bundle = next((theme_templates() / "assets" / "javascripts").glob("bundle.*.min.js"))
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy(bundle, tmp_path / "assets" / "javascripts" / bundle.name)
    (tmp_path / "index.html").write_text(
        page(f'<script src="assets/javascripts/{bundle.name}"></script>'), encoding="utf-8"
    )
    assert scan_site(tmp_path) == []
    (tmp_path / "assets" / "javascripts" / bundle.name).write_text("alert(1)", encoding="utf-8")
    [problem] = scan_site(tmp_path)
    assert "is not the script the installed theme ships" in problem.message
    (tmp_path / "index.html").write_text(page('<script src="assets/javascripts/evil.js"></script>'), encoding="utf-8")
    (tmp_path / "assets" / "javascripts" / "evil.js").write_text("alert(1)", encoding="utf-8")
    assert any("ships no such script" in p.message for p in scan_site(tmp_path))


def test_messages_are_printable_ascii(tmp_path: Path) -> None:
    (tmp_path / "a\u202e\n.html").write_text(
        page('<img src=x onerror="alert(1)" title="\u202e\x1b[31m">'), encoding="utf-8"
    )
    [problem] = scan_site(tmp_path)
    text = str(problem)
    assert text.isascii() and "\n" not in text and "\x1b" not in text


def test_a_script_address_is_resolved_against_the_page_that_loads_it(tmp_path: Path) -> None:
    """`javascripts/hub-search.js` on /guide/ loads /guide/javascripts/hub-search.js: a file a
    hand-written page could bring with it, not the hub's script."""
    bundle = next((theme_templates() / "assets" / "javascripts").glob("bundle.*.min.js"))
    for folder in ("javascripts", "assets/javascripts", "guide/javascripts", "guide/assets/javascripts"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(bundle, tmp_path / "assets" / "javascripts" / bundle.name)
    (tmp_path / "javascripts" / "hub-search.js").write_text("// the hub's", encoding="utf-8")
    (tmp_path / "guide" / "javascripts" / "hub-search.js").write_text("window.pwned = 1", encoding="utf-8")
    (tmp_path / "guide" / "assets" / "javascripts" / bundle.name).write_text("window.pwned = 2", encoding="utf-8")
    good = page(
        f'<script src="../assets/javascripts/{bundle.name}"></script><script src="../javascripts/hub-search.js">'
        "</script>"
    )
    (tmp_path / "guide" / "index.html").write_text(good, encoding="utf-8")
    assert scan_site(tmp_path) == []
    for src in (
        "javascripts/hub-search.js",
        f"assets/javascripts/{bundle.name}",
        "../../javascripts/hub-search.js",
        "https://evil.example/javascripts/hub-search.js",
        "//evil.example/javascripts/hub-search.js",
    ):
        (tmp_path / "guide" / "index.html").write_text(page(f'<script src="{src}"></script>'), encoding="utf-8")
        [problem] = scan_site(tmp_path)
        assert problem.path == "site/guide/index.html", src
        assert (
            "is not one of the theme's or the hub's scripts" in problem.message or "not the script" in problem.message
        )


def test_absolute_script_addresses_must_be_under_the_sites_own_path(tmp_path: Path) -> None:
    """On owner.github.io/hub/, /javascripts/... is another repository's site on the same origin."""
    (tmp_path / "javascripts").mkdir()
    (tmp_path / "javascripts" / "hub-search.js").write_text("// the hub's", encoding="utf-8")
    (tmp_path / "index.html").write_text(page('<script src="/hub/javascripts/hub-search.js"></script>'), "utf-8")
    assert scan_site(tmp_path, "/hub") == []
    (tmp_path / "index.html").write_text(page('<script src="/javascripts/hub-search.js"></script>'), "utf-8")
    assert len(scan_site(tmp_path, "/hub")) == 1


@pytest.mark.parametrize("name", ["evil.rng", "schema.xsd", "data.rdf", "page.mhtml", "logo.svgz", "x.RNG"])
def test_only_kinds_of_file_a_browser_does_not_run_are_published(tmp_path: Path, name: str) -> None:
    (tmp_path / "index.html").write_text(page("<p>ok</p>"), encoding="utf-8")
    (tmp_path / name).write_text('<grammar><h:script xmlns:h="http://www.w3.org/1999/xhtml">x</h:script></grammar>')
    for inert in ("report.pdf", "data/x.csv", "CNAME", "LICENSE", "pagefind/pagefind.js", "pagefind/x.pf_fragment"):
        (tmp_path / inert).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / inert).write_bytes(b"x")
    [problem] = scan_site(tmp_path)
    assert problem.path == f"site/{name}" and "is not a kind of file the site publishes" in problem.message


def test_an_id_given_twice_is_found() -> None:
    """The theme's scripts look their elements up by id; a heading must never take one of them."""
    html = page('<h1 id="__config">__config</h1><script id="__config" type="application/json">{}</script>')
    assert any("has the id '__config', which an earlier element has" in message for message in findings(html))


@pytest.mark.parametrize(
    "body",
    [
        "<p>Our pages start with <code>generated_by: hub</code>.</p>",
        "<p>generated&#95;by: hub, as a contributor typed it</p>",
        '<span data-pagefind-meta="summary">generated_by: hub</span>',
    ],
)
def test_words_about_front_matter_are_not_taken_for_a_page_that_shows_its_own(body: str) -> None:
    html = page(body, head='<meta name="description" content="generated_by: hub">')
    assert findings(html) == []
