"""Injection: every payload, in every free-text field, built with --strict; then the scan of site/."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, TODAY, VALID_STUDY, build, copy_project, distinct, run_hub
from htmlview import section_text
from hub.core.project import Project
from hub.pipeline import check
from hub.publish.scan import scan_site

PAYLOADS = FIXTURES / "payloads" / "every-payload.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return build(copy_project(tmp_path_factory.mktemp("payloads")), PAYLOADS)


def test_scan_of_the_built_site_is_empty(built: Project) -> None:
    assert scan_site(built.site) == []
    assert (built.site / "practice" / "every-payload" / "index.html").is_file()


def test_every_field_shows_exactly_what_was_typed(built: Project) -> None:
    study = check(built, TODAY)[0].studies[0]
    html = (built.site / "practice" / "every-payload" / "index.html").read_text(encoding="utf-8")
    typed = "\n".join(" ".join(line.split()) for line in study.challenge.split("\n"))
    assert section_text(html, "the-challenge") == typed
    assert section_text(html, "impact") == "\n".join(" ".join(line.split()) for line in study.impact.split("\n"))
    assert f"<title>{study.title.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')} - " in html
    assert "<ol" not in html, "no numbered list from '1.', '\u0661.' or '\uff15)' at the start of a line"
    assert study.contact.role.startswith("\uff15. ") and "\uff15&#46; " in html, "the role's '.' is a reference"


def test_a_pages_project_site_passes_the_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub Pages serves a project site under /<repository>/; its 404 page uses that path."""
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HUB_SITE_URL", "https://owner.github.io/hub/")
    assert run_hub(tmp_path, "build") == 0
    assert 'src="/hub/assets/javascripts/' in (tmp_path / "site" / "404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "shown"),
    [
        ("about.md", "# About\n\n<script>alert(1)</script>\n", "site/about/index.html:"),
        ("about.md", "# About\n\n<p><![CDATA[ x ><img src=x onerror=alert(1)> ]]></p>\n", "site/about/index.html:"),
        ("images/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "site/images/logo.svg:"),
        ("old.htm", "<p><img src=x onerror=alert(1)></p>", "site/old.htm:"),
    ],
)
def test_active_content_in_a_hand_written_page_is_never_published(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    shown: str,
) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run_hub(tmp_path, "build") == 0
    before = sorted(p.relative_to(project.site).as_posix() for p in project.site.rglob("*"))
    (project.docs / name).parent.mkdir(parents=True, exist_ok=True)
    (project.docs / name).write_text(text, encoding="utf-8")
    assert run_hub(tmp_path, "build") == 1
    assert shown in capsys.readouterr().err
    assert sorted(p.relative_to(project.site).as_posix() for p in project.site.rglob("*")) == before
    assert "alert(1)" not in (project.site / "about" / "index.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".site-*"))


def test_a_title_like_the_sites_own_ids_takes_none_of_them(tmp_path: Path) -> None:
    """A heading's id comes from its text; the site's own ids begin '__', which no title's can."""
    project = copy_project(tmp_path)
    title = "title: Family group conferences before proceedings"
    for slug, words in (("hub-search-input", "Hub search input"), ("config", "Config")):
        study = distinct(VALID_STUDY, slug).replace(f"{title} ({slug})", f"title: {words}")
        (project.practice / f"{slug}.yml").write_text(study, encoding="utf-8")
    build(project)  # the scan refuses a page where two elements share an id
    for slug in ("hub-search-input", "config"):
        html = (project.site / "practice" / slug / "index.html").read_text(encoding="utf-8")
        assert html.count('id="__hub-search-input"') == 1 and html.count('id="__config"') == 1
