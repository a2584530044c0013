"""Search in a real browser: headless Chromium (Debian's `chromium`), driven by Playwright
(fixtures in conftest.py). The built site is served on localhost."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page

from conftest import needs_chromium

pytestmark = needs_chromium


def titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".hub-result__title").all_inner_texts()]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_search_filter_back_and_reload(page: Page, site: str) -> None:
    p = page
    p.goto(site + "find/")
    status = p.locator(".hub-find__status")
    status.filter(has_text="results").wait_for()
    assert status.inner_text().startswith("9 results")
    p.fill("#hub-find-q", "peer challenge")
    p.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'peer challenge'")
    status.filter(has_text="results").wait_for()
    found = titles(p)
    assert "A national peer challenge programme" in found
    assert "Director self-assessment and peer challenge across the South West" in found
    # A theme and a region: values within a group widen, groups narrow.
    p.get_by_label("Sector-led improvement (", exact=False).check()
    p.wait_for_function("() => new URLSearchParams(location.search).get('theme') === 'Sector-led improvement'")
    p.get_by_label("South West (", exact=False).check()
    p.wait_for_function("() => new URLSearchParams(location.search).get('region') === 'South West'")
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 2")
    assert sorted(titles(p)) == ["A national peer challenge programme", "Director self-assessment and peer challenge across the South West"]
    assert query(p) == {"q": ["peer challenge"], "theme": ["Sector-led improvement"], "region": ["South West"]}
    assert "2 results" in status.inner_text()
    # Back: the region filter goes, the theme stays.
    p.go_back()
    p.wait_for_function("() => !new URLSearchParams(location.search).has('region')")
    p.wait_for_function("() => !document.querySelector('input[name=region]:checked')")
    assert p.get_by_label("Sector-led improvement (", exact=False).is_checked()
    # Reload keeps the state.
    p.reload()
    p.locator(".hub-result").first.wait_for()
    assert p.input_value("#hub-find-q") == "peer challenge"
    assert p.get_by_label("Sector-led improvement (", exact=False).is_checked()


def test_counts_tell_what_a_value_would_give(page: Page, site: str) -> None:
    p = page
    p.goto(site + "find/?theme=Family%20networks")
    p.locator(".hub-result").first.wait_for()
    assert titles(p) == ["Kinship first: asking the family before care <b>proceedings</b>"], "contributor text stays text"
    # Within the theme group, other values still count as if ticked alongside (OR).
    label = p.locator("label", has_text="Sector-led improvement (")
    assert label.inner_text() == "Sector-led improvement (8)"
    assert p.locator("label", has_text="South East (").inner_text() == "South East (1)"


def test_prefiltered_link_from_a_theme_page(page: Page, site: str) -> None:
    p = page
    p.goto(site + "themes/family-networks/")
    p.get_by_role("link", name="Search and filter the case studies on this theme").click()
    p.locator(".hub-result").first.wait_for()
    assert query(p) == {"theme": ["Family networks"]}
    assert p.get_by_label("Family networks (", exact=False).is_checked()


def test_header_search_by_keyboard_only(page: Page, site: str) -> None:
    p = page
    p.goto(site + "regions/london/")
    p.keyboard.press("/")
    assert p.evaluate("document.activeElement.id") == "hub-search-input"
    p.keyboard.type("benchmarking")
    first = p.locator(".hub-search__list a").first
    first.wait_for()
    assert first.inner_text() == "South West regional benchmarking data built on other regions' learning"
    assert "result" in p.inner_text("#hub-search-status")
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.textContent") == first.inner_text()
    p.keyboard.press("Enter")
    p.wait_for_url("**/practice/south-west-regional-benchmarking-data/")


def test_pages_that_list_case_studies_are_found_by_their_own_words(page: Page, site: str) -> None:
    """An authority, region or theme page is found by its name and facts, not by the titles of
    the case studies it lists (those are found on their own pages)."""
    p = page
    p.goto(site)
    links = p.locator(".hub-search__list a")

    def found(words: str) -> list[str]:
        p.fill("#hub-search-input", words)
        p.wait_for_function("w => document.getElementById('hub-search-status').textContent.includes('for ' + w)", arg=words)
        return [urlsplit(href).path.removeprefix(urlsplit(site).path) for href in links.evaluate_all("as => as.map(a => a.href)")]

    # The case study is listed on the South West page and on both its themes' pages; only the
    # data theme says "benchmarking" in its own description.
    assert sorted(found("benchmarking")) == ["practice/south-west-regional-benchmarking-data/", "themes/data-performance-and-finance/"]
    assert "regions/south-west/" in found("South West")
    assert "authorities/hampshire/" in found("Hampshire")
    assert "themes/family-networks/" in found("family networks")


def test_search_that_cannot_load_says_so(page: Page, site: str) -> None:
    """Offline, or in `hub serve`'s preview (which has no index): the status says so, and the
    Find practice page points to its lists."""
    p = page
    p.route("**/pagefind/pagefind.js", lambda route: route.fulfill(status=404, body="not here"))
    p.goto(site)
    p.fill("#hub-search-input", "peer")
    p.wait_for_function("() => document.getElementById('hub-search-status').textContent.startsWith('Search could not be loaded.')")
    assert p.locator(".hub-search__results").is_hidden()
    p.goto(site + "find/?q=peer")
    p.locator(".hub-find__status", has_text="Search could not be loaded.").wait_for()
    assert "The lists are below." in p.inner_text(".hub-find__status")
    assert p.get_by_role("link", name="Family networks").first.is_visible()


def test_escape_closes_the_results(page: Page, site: str) -> None:
    p = page
    p.goto(site)
    p.fill("#hub-search-input", "Hampshire")
    p.locator(".hub-search__results").wait_for()
    assert "for Hampshire. Press Tab to reach them." in p.inner_text("#hub-search-status")
    p.keyboard.press("Escape")
    assert p.locator(".hub-search__results").is_hidden()
    assert p.evaluate("document.activeElement.id") == "hub-search-input"


def test_without_javascript_there_are_no_dead_ends(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(site + "find/?q=peer")
    assert p.locator("#hub-find").is_hidden()
    for name in ("Family networks", "South West", "all 153 local authorities", "the full list"):
        assert p.get_by_role("link", name=name, exact=False).first.is_visible(), name
    context.close()
