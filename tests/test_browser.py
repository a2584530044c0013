"""Search in a real browser: headless Chromium (Debian's `chromium`), driven by Playwright
(fixtures in conftest.py). The built site is served on localhost."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route

from conftest import ROOT, build, copy_project, needs_chromium, write_study
from hub.commands import bench
from hub.model.reference import load_reference

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
    assert status.inner_text().startswith("10 results")
    assert len(titles(p)) == 10, "the count is said once the results are on the page"
    p.fill("#hub-find-q", "peer challenge")
    p.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'peer challenge'")
    status.filter(has_text="results").filter(has_not_text="newest first").wait_for()
    found = titles(p)
    assert "A national peer challenge programme" in found
    assert "Director self-assessment and peer challenge across the South West" in found
    # A theme and a region: values within a group widen, groups narrow.
    p.get_by_label("Sector-led improvement (", exact=False).check()
    p.wait_for_function("() => new URLSearchParams(location.search).get('theme') === 'Sector-led improvement'")
    p.get_by_label("South West (", exact=False).check()
    p.wait_for_function("() => new URLSearchParams(location.search).get('region') === 'South West'")
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 2")
    assert sorted(titles(p)) == [
        "A national peer challenge programme",
        "Director self-assessment and peer challenge across the South West",
    ]
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
    assert titles(p) == ["Kinship first: asking the family before care <b>proceedings</b>"], (
        "contributor text stays text"
    )
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


def test_an_excerpt_shows_the_text_as_typed(page: Page, site: str) -> None:
    p = page
    p.goto(site + "find/?q=verbatim")
    excerpt = p.locator(".hub-result__excerpt").first
    excerpt.wait_for()
    assert "Quote verbatim: &lt;b&gt; &amp;amp; <i>as typed</i>." in excerpt.inner_text(), (
        "references stay as typed, and a space follows each match"
    )
    assert excerpt.locator("mark").all_inner_texts() == ["verbatim:"]
    assert excerpt.locator("i, b").count() == 0
    assert "¶" not in excerpt.inner_text(), "headings' permalinks are not indexed"


def test_the_not_found_page_offers_search_and_the_ways_in(page: Page, site: str) -> None:
    p = page
    p.goto(site + "404.html")
    assert p.locator("h1").inner_text() == "Page not found"
    for name in ("theme, region, authority or evidence", "the list of all case studies", "the home page"):
        assert p.get_by_role("link", name=name).is_visible()
    p.get_by_label("Search the case studies").fill("peer challenge")
    p.keyboard.press("Enter")
    p.wait_for_url("**/find/?q=peer+challenge")
    p.locator(".hub-result").first.wait_for()
    assert "A national peer challenge programme" in titles(p)


def test_header_search_by_keyboard_only(page: Page, site: str) -> None:
    p = page
    p.goto(site + "regions/london/")
    p.keyboard.press("/")
    assert p.evaluate("document.activeElement.id") == "__hub-search-input"
    p.keyboard.type("benchmarking")
    first = p.locator(".hub-search__list a").first
    first.wait_for()
    assert first.inner_text() == "South West regional benchmarking data built on other regions' learning"
    assert "result" in p.inner_text("#__hub-search-status")
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
        p.fill("#__hub-search-input", words)
        p.wait_for_function(
            "w => document.getElementById('__hub-search-status').textContent.includes('for ' + w)", arg=words
        )
        return [
            urlsplit(href).path.removeprefix(urlsplit(site).path)
            for href in links.evaluate_all("as => as.map(a => a.href)")
        ]

    # The case study is listed on the South West page and on both its themes' pages; only the
    # data theme says "benchmarking" in its own description.
    assert sorted(found("benchmarking")) == [
        "practice/south-west-regional-benchmarking-data/",
        "themes/data-performance-and-finance/",
    ]
    assert "regions/south-west/" in found("South West")
    assert "authorities/hampshire/" in found("Hampshire")
    assert "themes/family-networks/" in found("family networks")


def test_search_that_cannot_load_says_so(page: Page, site: str) -> None:
    """Offline, or in `hub serve`'s preview (which has no index): the status says so, and the
    Find practice page points to its lists."""
    p = page
    p.route("**/pagefind/pagefind.js", lambda route: route.fulfill(status=404, body="not here"))
    p.goto(site)
    p.fill("#__hub-search-input", "peer")
    p.wait_for_function(
        "() => document.getElementById('__hub-search-status').textContent.startsWith('Search could not be loaded.')"
    )
    assert p.locator(".hub-search__results").is_hidden()
    p.goto(site + "find/?q=peer")
    p.locator(".hub-find__status", has_text="Search could not be loaded.").wait_for()
    assert "The lists are below." in p.inner_text(".hub-find__status")
    assert p.get_by_role("link", name="Family networks").first.is_visible()


def test_escape_closes_the_results(page: Page, site: str) -> None:
    p = page
    p.goto(site)
    p.fill("#__hub-search-input", "Hampshire")
    p.locator(".hub-search__results").wait_for()
    assert "for Hampshire. Press Tab to reach them." in p.inner_text("#__hub-search-status")
    p.keyboard.press("Escape")
    assert p.locator(".hub-search__results").is_hidden()
    assert p.evaluate("document.activeElement.id") == "__hub-search-input"


def test_without_javascript_there_are_no_dead_ends(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(site + "find/?q=peer")
    assert p.locator("#hub-find").is_hidden()
    for name in ("Family networks", "South West", "all 153 local authorities", "the full list"):
        assert p.get_by_role("link", name=name, exact=False).first.is_visible(), name
    context.close()


@pytest.fixture(scope="module")
def long_list(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with 23 (synthetic) case studies: more than one page of results."""
    project = copy_project(tmp_path_factory.mktemp("many"))
    ref = load_reference(project.reference, project.root)
    rng = random.Random(23)
    for n in range(23):
        write_study(
            project, f"synthetic-{n:05d}", bench.synthetic_study(n, list(ref.authorities), list(ref.themes), rng)
        )
    build(project)
    with bench.serve(project.site) as base:
        yield base


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_show_more_adds_the_next_results_and_takes_focus_to_them(tab: Page, long_list: str) -> None:
    p = tab
    p.goto(long_list + "find/")
    p.locator(".hub-find__status", has_text="23 results").wait_for()
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 10")
    first_ten = titles(p)
    more = p.get_by_role("button", name="Show more")
    more.focus()
    p.keyboard.press("Enter")
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 20")
    assert titles(p)[:10] == first_ten, "the first results stay where they were"
    focused = p.evaluate("() => document.activeElement.textContent")
    assert focused == titles(p)[10], "focus moves to the first new result, not back to the top"
    p.get_by_role("button", name="Show more").click()
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 23")
    assert more.is_hidden()
    assert len(set(titles(p))) == 23


def test_results_of_an_earlier_show_more_never_join_a_new_search(tab: Page, long_list: str) -> None:
    """ "Show more", then a new search before its results arrive: the late results are dropped."""
    p = tab
    held: list[Route] = []
    finished: list[str] = []
    hold = {"on": False}
    p.route("**/pagefind/fragment/*", lambda route: held.append(route) if hold["on"] else route.continue_())
    p.on("requestfinished", lambda request: finished.append(request.url) if "/fragment/" in request.url else None)
    p.goto(long_list + "find/")
    p.locator(".hub-find__status", has_text="23 results").wait_for()
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 10")
    newest = titles(p)[0].split(":")[0]  # "Synthetic case study 000NN", its page already loaded
    hold["on"] = True
    p.get_by_role("button", name="Show more").click()
    until(p, lambda: len(held) == 10)
    hold["on"] = False
    p.fill("#hub-find-q", newest.rsplit(" ", 1)[1])
    p.locator(".hub-find__status", has_text="1 result").wait_for()
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 1")
    done = len(finished)
    for route in held:  # the earlier "Show more" gets its answers now
        route.continue_()
    until(p, lambda: len(finished) == done + 10)
    p.evaluate("() => new Promise((settled) => setTimeout(settled, 200))")  # its handlers run
    assert [t.split(":")[0] for t in titles(p)] == [newest]
    assert p.get_by_role("button", name="Show more").is_hidden()


def test_show_more_pressed_while_a_new_search_runs_adds_nothing(tab: Page, long_list: str) -> None:
    """A filter ticked, then "Show more" before the filtered results arrive: the old list's next
    results must not be added under the new ones."""
    p = tab
    held: list[Route] = []
    p.route("**/pagefind/fragment/*", lambda route: held.append(route))
    p.goto(long_list + "find/")
    until(p, lambda: len(held) == 10)
    for route in held:
        route.continue_()
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 10")
    held.clear()
    # The newest case study (number 22) is the only one its authority led: its page is loaded already.
    authority = list(load_reference(ROOT / "practice" / "reference", ROOT).authorities.values())[22].name
    p.evaluate(
        """(name) => {
            document.querySelector(`input[name=authority][value="${name}"]`).click();
            document.querySelector(".hub-find__more").click();
        }""",
        authority,
    )
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 1")
    for route in held:  # whatever the click asked for arrives now
        route.continue_()
    p.evaluate("() => new Promise((settled) => setTimeout(settled, 300))")  # and is handled
    assert [t.split(":")[0] for t in titles(p)] == ["Synthetic case study 00022"]


def test_show_more_that_cannot_load_says_so(tab: Page, long_list: str) -> None:
    p = tab
    p.goto(long_list + "find/")
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 10")
    p.route("**/pagefind/fragment/*", lambda route: route.fulfill(status=503, body="busy"))
    more = p.get_by_role("button", name="Show more")
    more.click()
    p.locator(
        ".hub-find__status", has_text="More results could not be loaded. Check the connection, then reload the page."
    ).wait_for()
    assert len(titles(p)) == 10, "what was shown stays"
    p.unroute("**/pagefind/fragment/*")
    p.reload()
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 10")
    more.click()
    p.wait_for_function("() => document.querySelectorAll('.hub-result').length === 20")


def until(page: Page, condition: Callable[[], bool], seconds: float = 10) -> None:
    """Let Playwright deliver events (requests, routes) until `condition` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(20)


def test_the_filters_drawn_before_the_index_loads_are_the_index_s_own(page: Page, site: str) -> None:
    """Find practice draws its filters from the page's data-config at once; each value and its
    total must be what Pagefind's index holds, or the counts would change under the reader."""
    page.goto(site + "find/")
    page.locator(".hub-result").first.wait_for()
    given = page.evaluate("JSON.parse(document.querySelector('[data-hub-find]').dataset.config).values")
    held = page.evaluate(
        """async () => {
          const base = new URL("../", document.baseURI);
          const pagefind = await import(new URL("pagefind/pagefind.js", base).href);
          await pagefind.options({ baseUrl: base.pathname });
          const all = await pagefind.filters();
          delete all.kind;
          return all;
        }"""
    )
    assert {name: values for name, values in given.items() if values} == held
    assert given["theme"]["Family networks"] >= 1
