"""The public site's layout in a real browser (headless Chromium through Playwright, fixtures in
conftest.py) at a desktop's and a phone's widths: what readers must be able to reach and read."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route

from conftest import needs_chromium

pytestmark = needs_chromium

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 667}
SMALLEST = {"width": 320, "height": 640}


def covered_cells(page: Page) -> list[str]:
    """Each cell of the Coverage table that, scrolled into view in its region, is not wholly
    inside the screen or has something else (the sticky theme column) on top of it."""
    return list(
        page.evaluate(
            """() => {
              const region = document.querySelector(".hub-coverage");
              const bad = [];
              for (const cell of region.querySelectorAll("tr > :not(:first-child)")) {
                cell.scrollIntoView({block: "center", inline: "nearest"});
                const box = cell.getBoundingClientRect();
                const inside = box.left >= 0 && box.right <= window.innerWidth + 0.5;
                const x = box.left + Math.min(box.width / 2, 12), y = box.top + box.height / 2;
                const top = document.elementFromPoint(x, y);
                if (!inside || !top || !(cell === top || cell.contains(top))) bad.push(cell.textContent.trim());
              }
              return bad;
            }"""
        )
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366px", "375px"])
def test_every_coverage_cell_can_be_reached_and_read(page: Page, site: str, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    page.goto(site + "coverage/")
    region = page.get_by_role("region", name="The table has a column for each region", exact=False)
    assert region.count() == 1 and region.get_attribute("tabindex") == "0", "a named, focusable scroll region"
    assert page.locator(".hub-coverage tbody tr").count() == 17
    headings = page.get_by_role("rowheader").all_inner_texts()
    assert len(headings) == 17 and headings[0] == "Family help and early help", "each row is headed by its theme"
    assert covered_cells(page) == []
    # The theme names stay in view however far the table is scrolled.
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    name = page.locator(".hub-coverage tbody th").first.bounding_box()
    edge = region.bounding_box()
    assert name and edge and abs(name["x"] - edge["x"]) < 2, "the row headings stay at the region's left edge"
    if size is DESKTOP:
        fits = region.evaluate("r => r.scrollWidth <= r.clientWidth + 1")
        assert fits, "at 1,366 px the whole table fits: nothing to scroll"
    else:
        # Keyboard: the region takes focus, and the arrow keys scroll it.
        region.evaluate("r => { r.scrollLeft = 0; }")
        region.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        assert region.evaluate("r => r.scrollLeft") > 0


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366px", "375px"])
def test_header_search_results_are_targets_at_least_24_pixels_tall(page: Page, site: str, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    page.goto(site + "regions/london/")
    page.fill("#__hub-search-input", "peer")
    links = page.locator(".hub-search__results a")
    links.first.wait_for()
    boxes = [box for box in (link.bounding_box() for link in links.all()) if box]
    assert len(boxes) >= 3, "several results and the link to all of them"
    assert min(box["height"] for box in boxes) >= 24


def layout_shift(page: Page, address: str) -> float:
    """The page's cumulative layout shift (as Lighthouse counts it: shifts not caused by input)
    while it loads, with the script and the search index slowed as on a slow connection."""
    page.add_init_script(
        """window.__shift = 0;
        new PerformanceObserver(list => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
        }).observe({type: "layout-shift", buffered: true});"""
    )

    def slowly(route: Route) -> None:
        page.wait_for_timeout(400)
        route.continue_()

    page.route("**/hub-search.js", slowly)
    page.route("**/pagefind/**", slowly)
    page.goto(address)
    page.locator(".hub-result").first.wait_for()
    page.wait_for_timeout(500)
    return float(page.evaluate("window.__shift"))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366px", "375px"])
def test_find_practice_does_not_jump_as_it_loads(page: Page, site: str, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    assert layout_shift(page, site + "find/") <= 0.1


def test_on_a_phone_the_results_come_before_the_filters(page: Page, site: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site + "find/")
    first = page.locator(".hub-result").first
    first.wait_for()
    assert page.locator(".hub-find__group").first.is_hidden(), "the filters are folded away"
    box = first.bounding_box()
    assert box is not None and box["y"] < PHONE["height"] * 1.5, "the first result is near the top"
    page.get_by_text("Filter by theme, region, local authority and more").click()
    theme = page.get_by_role("group", name="Theme")
    assert theme.is_visible()
    theme.get_by_label("Children in care", exact=False).check()
    page.wait_for_url("**theme=Children+in+care**")
    assert page.get_by_text("(1 chosen)", exact=False).is_visible()


def test_on_a_wide_screen_the_filters_sit_beside_the_results(page: Page, site: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(site + "find/")
    first = page.locator(".hub-result").first
    first.wait_for()
    filters = page.locator(".hub-find__groups").bounding_box()
    result = first.bounding_box()
    assert filters and result and filters["x"] + filters["width"] <= result["x"], "side by side"
    assert result["y"] < DESKTOP["height"], "the first result shows without scrolling"


SHARE = "https://github.com/childrens-services-practice-hub/hub/issues/new?template=case-study.yml"
# Words for contributors, not readers: file names, data-file names and the hub's commands.
DEVELOPER_WORDS = (".yml", ".csv", "dfe-published-data-qa", "ilacs_overview", "hub build", "hub check")


@pytest.mark.parametrize(
    "path",
    ["", "practice/kinship-first-in-the-south-east/", "authorities/hampshire/", "regions/london/", "themes/workforce/"],
)
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366px", "375px"])
def test_readers_see_a_way_to_share_and_no_developer_words(
    page: Page, site: str, path: str, size: dict[str, int]
) -> None:
    """What a reader sees on screen (the rendered text, not the file): the "Share your practice"
    button where the page invites it, opening the issue form, and no file names or commands."""
    page.set_viewport_size(size)
    page.goto(site + path)
    seen = page.locator("body").inner_text()
    for words in DEVELOPER_WORDS:
        assert words not in seen, words
    share = page.get_by_role("article").get_by_role("link", name="Share your practice", exact=True)
    if path.startswith(("regions/", "themes/")):
        assert share.count() == 0
    else:
        assert share.is_visible() and share.get_attribute("href") == SHARE
        box = share.bounding_box()
        assert box is not None and box["height"] >= 24 and box["width"] >= 24
