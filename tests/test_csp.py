"""The Content-Security-Policy in a real browser: a handler or script planted in a built page
(past the scan, as if it had missed one) does not run, and the browser reports the refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import needs_chromium
from hub.commands import bench
from hub.core.project import Project

pytestmark = needs_chromium

PLANTED = (
    '<img src="missing.png" onerror="window.ran = (window.ran || []).concat(\'handler\')">'
    "<script>window.ran = (window.ran || []).concat('inline')</script>"
    '<a id="planted" href="javascript:window.ran=(window.ran||[]).concat(\'link\')">x</a>'
    '<svg><a><animate attributeName="href" values="javascript:window.ran=[\'svg\']"/><text>y</text></a></svg>'
)


def test_planted_script_does_not_run(browser: Browser, built_site: Project, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    about = site / "about" / "index.html"
    html = about.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    about.write_text(html.replace("</article>", PLANTED + "</article>", 1), encoding="utf-8")
    with bench.serve(site) as base:
        page = browser.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.goto(base + "about/")
        page.wait_for_load_state("load")
        page.click("#planted")
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.ran") is None, "a planted script ran"
        # The theme's own scripts (allowed by hash) did run: Material's helpers exist.
        assert page.evaluate("() => typeof window.__md_get") == "function"
        page.close()
    assert any("inline event handler" in text or "script-src" in text for text in refused), refused


@pytest.mark.parametrize("path", ["", "find/", "practice/", "about/"])
def test_the_site_works_under_the_policy(page: object, site: str, path: str) -> None:
    """Every page kind loads with the theme working and nothing refused (the `page` fixture
    fails the test on any refusal the browser reports)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(site + path)
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof window.__md_get") == "function"
    assert page.evaluate("() => document.querySelector('meta[http-equiv=Content-Security-Policy]') !== null")
