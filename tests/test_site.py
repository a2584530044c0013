"""End to end: `hub build` runs the real pipeline and a strict MkDocs build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import COLLECTION, GOLDEN_STUDIES, ROOT, copy_project, run_hub, run_hub_process, snapshot, stable_site
from htmlview import attribute_names, links_and_ids, parse, text
from hub.core.project import Project


def test_every_page_type_is_built(built_site: Project) -> None:
    site = built_site.site
    for page in (
        "index.html",
        "practice/index.html",
        "practice/west-berkshire-from-inadequate-to-good-with-sector-support/index.html",
        "authorities/index.html",
        "authorities/west-berkshire/index.html",
        "authorities/city-of-london/index.html",
        "authorities/isles-of-scilly/index.html",
        "regions/index.html",
        "regions/south-west/index.html",
        "themes/index.html",
        "themes/sector-led-improvement/index.html",
        "about/index.html",
        "contribute/index.html",
    ):
        assert (site / page).is_file(), page
    assert len(list((site / "authorities").glob("*/index.html"))) == 153
    assert not list(built_site.root.glob(".site-*")), "no scratch folders are left behind"


def test_every_internal_link_and_anchor_resolves(built_site: Project) -> None:
    site = built_site.site
    # 404.html is served at any depth, so MkDocs gives it site-absolute links on purpose.
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    ids: dict[Path, set[str]] = {}
    links: dict[Path, list[str]] = {}
    for page in pages:
        links[page], ids[page.resolve()] = links_and_ids(page.read_text(encoding="utf-8"))
    checked = 0
    for page, hrefs in links.items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(site)} links to missing {href}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids[target], f"{page.relative_to(site)} links to missing anchor {href}"
            checked += 1
    assert checked > 1000


def test_case_study_page_shows_evidence_and_cross_links(built_site: Project) -> None:
    html = (
        built_site.site / "practice/west-berkshire-from-inadequate-to-good-with-sector-support/index.html"
    ).read_text(encoding="utf-8")
    assert "Evidence level: Promising" in html
    assert 'href="../../authorities/west-berkshire/"' in html
    assert 'href="../../regions/south-east/"' in html
    assert 'href="../../themes/sector-led-improvement/"' in html
    # "Edit this page" opens the YAML source, not the generated Markdown.
    assert "/edit/main/practice/west-berkshire-from-inadequate-to-good-with-sector-support.yml" in html
    assert "/edit/main/docs/practice/" not in html


def test_contributor_markup_never_reaches_html(built_site: Project) -> None:
    html = (built_site.site / "practice/kinship-first-in-the-south-east/index.html").read_text(encoding="utf-8")
    assert "<b>proceedings" not in html
    assert 'href="javascript:' not in html.lower()
    assert not [attribute for attribute in attribute_names(html) if attribute.startswith("on")]
    assert 'onclick="alert(1)"' in html, "the typed attribute list is shown as text, not applied"
    assert "<title>Kinship first: asking the family before care &lt;b&gt;proceedings&lt;/b&gt; - " in html


def test_no_third_party_fonts(built_site: Project) -> None:
    html = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_a_built_site_is_not_marked_as_a_preview(built_site: Project) -> None:
    pages = list(built_site.site.rglob("*.html"))
    assert pages and not any(b'name="hub-preview"' in page.read_bytes() for page in pages)


def test_public_pages_speak_readers_words_not_file_names(built_site: Project) -> None:
    """File names and tools are for contributors: only the Contribute and open-data pages name them."""
    for page in built_site.site.rglob("*.html"):
        where = page.relative_to(built_site.site).as_posix()
        if where.startswith(("contribute/", "data/")):
            continue
        body = parse(page.read_text(encoding="utf-8")).body
        words = text(body) if body is not None else ""
        for fragment in (".yml", ".csv", "dfe-published-data-qa", "ilacs_overview", "hub build", "hub check"):
            assert fragment not in words, (where, fragment)
    kinship = (built_site.site / "practice" / "kinship-first-in-the-south-east" / "index.html").read_text("utf-8")
    assert 'title="Suggest a change to this case study"' in kinship


SHARE = "https://github.com/childrens-services-practice-hub/hub/issues/new?template=case-study.yml"


def test_the_way_in_without_git_is_offered_where_readers_look(built_site: Project) -> None:
    """A "Share your practice" button opens the issue form of the repository mkdocs.yml names."""
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "case-study.yml").is_file()
    for where in (
        "index.html",
        "contribute/index.html",
        "practice/kinship-first-in-the-south-east/index.html",
        "authorities/hampshire/index.html",
    ):
        html = (built_site.site / where).read_text(encoding="utf-8")
        links = [a for a in parse(html).css("a") if text(a) == "Share your practice"]
        assert [a.attributes.get("href") for a in links] == [SHARE], where
        assert "mailto:" not in parse(html).css_first(".hub-share").html, "no mailbox unless the publisher gives one"
    assert "Share your practice" not in (built_site.site / "regions" / "london" / "index.html").read_text("utf-8")


def test_the_publishers_repository_and_mailbox_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    monkeypatch.setenv("HUB_REPO_URL", "https://github.com/an-alliance/practice")
    monkeypatch.setenv("HUB_CONTACT_EMAIL", "practice.hub@alliance.example.org")
    assert run_hub(project, "build") == 0
    share = parse((project.site / "index.html").read_text(encoding="utf-8")).css_first(".hub-share")
    hrefs = [a.attributes.get("href") for a in share.css("a")]
    assert hrefs == [
        "https://github.com/an-alliance/practice/issues/new?template=case-study.yml",
        "mailto:practice.hub@alliance.example.org",
    ]


def test_the_home_page_leads_with_search_and_every_page_names_its_publisher(built_site: Project) -> None:
    home = parse((built_site.site / "index.html").read_text(encoding="utf-8"))
    content = home.css_first(".md-content")
    assert text(content.css_first("h1")) == "Children's Services Practice Hub", "the site's name from mkdocs.yml"
    form = content.css_first("form")
    assert form.attributes.get("action") == "find/" and form.attributes.get("role") == "search"
    first = content.css_first("h1").next
    while first is not None and first.tag in ("-text", "p"):
        first = first.next
    assert first is not None and first.html == form.html, (
        "the search box comes straight after the heading and a sentence"
    )
    assert form.css_first("input").attributes.get("name") == "q"
    for where in ("index.html", "regions/london/index.html", "find/index.html"):
        page = parse((built_site.site / where).read_text(encoding="utf-8"))
        assert text(page.css_first(".hub-publisher")) == "Published by Children's Services Practice Hub maintainers"
        logo = page.css_first(".md-header .md-logo img")
        assert logo is not None and logo.attributes.get("src", "").endswith("images/logo.svg")
        assert page.css_first(".md-header .md-source") is None, "the header's one action is search"
        assert [text(a) for a in page.css("footer a") if "github.com" in (a.attributes.get("href") or "")] == [
            "Report a problem with the site",
            "Source code",
        ]


def test_a_copy_of_the_hub_names_its_own_publisher_in_one_place(tmp_path: Path) -> None:
    """A regional alliance changes mkdocs.yml's site_name and `extra.publisher`, nothing else."""
    project = copy_project(tmp_path)
    config = project.config.read_text(encoding="utf-8")
    config = config.replace(
        "site_name: Children's Services Practice Hub\n", "site_name: North <East> Practice & Learning\n"
    )
    config = config.replace(
        "    name: Children's Services Practice Hub maintainers\n", "    name: The North <East> Alliance\n"
    )
    config = config.replace('    url: ""\n', '    url: "https://alliance.example.org/"\n', 1)
    config = config.replace("    logo: images/logo.svg\n", "    logo: images/alliance.svg\n")
    config = config.replace('    logo_alt: ""\n', '    logo_alt: "The <North East> Alliance"\n')
    project.config.write_text(config, encoding="utf-8")
    (project.docs / "images" / "alliance.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    assert run_hub(project, "build") == 0
    for where in ("index.html", "accessibility/index.html"):
        page = parse((project.site / where).read_text(encoding="utf-8"))
        assert text(page.css_first(".hub-publisher")) == "Published by The North <East> Alliance"
        assert page.css_first(".hub-publisher a").attributes.get("href") == "https://alliance.example.org/"
        logo = page.css_first(".md-header .md-logo img")
        assert logo.attributes.get("src", "").endswith("images/alliance.svg")
        assert logo.attributes.get("alt") == "The <North East> Alliance"
        assert text(page.css_first("title")).endswith("North <East> Practice & Learning")
    home = parse((project.site / "index.html").read_text(encoding="utf-8"))
    assert text(home.css_first(".md-content h1")) == "North <East> Practice & Learning"


def test_broken_link_fails_and_leaves_site_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run_hub(tmp_path, "build") == 0
    before = snapshot(project.site)
    (project.docs / "about.md").write_text("# About\n\n[gone](missing-page.md)\n", encoding="utf-8")
    assert run_hub(tmp_path, "build") == 1
    err = capsys.readouterr().err
    assert "docs/about.md:3:8: MkDocs: Doc file 'about.md' contains a link 'missing-page.md'" in err
    assert "Traceback" not in err
    assert snapshot(project.site) == before
    assert not list(tmp_path.glob(".site-*"))
    (project.docs / "about.md").write_text("# About\n", encoding="utf-8")
    with project.guide.open("a", encoding="utf-8") as guide:
        guide.write("\nSee the [README](README.md).\n")
    lines = project.guide.read_text(encoding="utf-8").count("\n")
    assert run_hub(tmp_path, "build") == 1
    assert f"CONTRIBUTING.md:{lines}:18: MkDocs: Doc file 'contribute.md' contains a link 'README.md'" in (
        capsys.readouterr().err
    )


def test_hand_written_page_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    (project.docs / "index.md").write_text("# My own home page\n", encoding="utf-8")
    assert run_hub(tmp_path, "build") == 1
    assert (project.docs / "index.md").read_text(encoding="utf-8") == "# My own home page\n"
    assert "docs/index.md: is a hand-written page" in capsys.readouterr().err
    assert not (project.docs / "practice").exists(), "nothing else was written either"


def test_site_is_readable_by_a_web_server(built_site: Project) -> None:
    assert built_site.site.stat().st_mode & 0o777 == 0o755
    assert (built_site.site / "index.html").stat().st_mode & 0o044 == 0o044


def test_json_schema_is_published(built_site: Project) -> None:
    from hub.render.json_schema import SCHEMA_PATH

    committed = (Path(__file__).resolve().parent.parent / SCHEMA_PATH).read_bytes()
    assert (built_site.site / "data" / "case-study.schema.json").read_bytes() == committed


def test_a_failed_write_is_reported_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_project(tmp_path)
    (tmp_path / "docs" / "regions").write_text("a file where a folder belongs", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_hub(tmp_path, "generate") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "docs/regions" in err


def test_same_input_same_bytes(tmp_path: Path) -> None:
    """Two builds, files created in opposite orders, different hash seeds: identical docs/ and site/."""
    studies = sorted([*GOLDEN_STUDIES, *COLLECTION])
    trees = []
    for name, order, seed in (("a", studies, "1"), ("b", list(reversed(studies)), "2")):
        root = tmp_path / name
        root.mkdir()
        project = copy_project(root)
        for path in order:
            shutil.copy(path, project.practice / path.name)
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"PYTHONHASHSEED": seed}
        result = run_hub_process(root, "build", env=env)
        assert result.returncode == 0, result.stderr
        trees.append((snapshot(project.docs), stable_site(project.site)))
    assert trees[0][0] == trees[1][0], "generated Markdown differs"

    site_a, site_b = trees[0][1], trees[1][1]
    assert site_a.keys() == site_b.keys()
    differing = [path for path in site_a if site_a[path] != site_b[path]]
    assert differing == [], "site files differ"
    assert any(p.startswith("pagefind/fragment/") for p in site_a), "the search index was built"


def test_contribute_page_is_the_contributing_guide(built_site: Project) -> None:
    html = (built_site.site / "contribute" / "index.html").read_text(encoding="utf-8")
    assert "How to propose one" in html and "<table>" in html, "the guide, with its field reference"
    assert "/edit/main/CONTRIBUTING.md" in html
    case_study = (
        built_site.site / "practice/west-berkshire-from-inadequate-to-good-with-sector-support/index.html"
    ).read_text(encoding="utf-8")
    assert 'href="../../contribute/"' in case_study
    assert 'href="../../contribute/"' in (built_site.site / "authorities/kent/index.html").read_text(encoding="utf-8")


def test_every_authority_page_has_ofsted_context_and_neighbours(built_site: Project) -> None:
    """All 153, so a join that fails for a whole type of authority (all London boroughs, say) shows."""
    from hub.model.reference import load_reference

    ref = load_reference(built_site.reference, built_site.root)
    for authority in ref.authorities.values():
        html = (built_site.site / "authorities" / authority.slug / "index.html").read_text(encoding="utf-8")
        inspection = ref.inspections[authority.slug]
        assert f"as at {ref.ofsted_as_at}" in html, authority.slug
        assert f'href="{inspection.report}"' in html, authority.slug
        assert "Overall effectiveness" in html and "care leavers" in html
        for other in ref.neighbours[authority.slug]:
            assert f'href="../{other.slug}/"' in html, (authority.slug, other.slug)


def test_grades_in_words_with_their_special_cases(built_site: Project) -> None:
    from hub.model.reference import load_reference

    ref = load_reference(built_site.reference, built_site.root)
    not_given = next(a for a, i in ref.inspections.items() if i.overall == "not-given")
    before_2023 = next(a for a, i in ref.inspections.items() if i.care_leavers == "no-separate-judgement")

    def page(slug: str) -> str:
        import html

        return html.unescape((built_site.site / "authorities" / slug / "index.html").read_text(encoding="utf-8"))

    assert "Not given (Ofsted stopped giving an overall effectiveness grade from April 2026)" in page(not_given)
    assert "No separate judgement (care leavers were judged separately from January 2023)" in page(before_2023)


def test_pagefind_is_asked_to_give_memory_back_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.publish.build import PAGEFIND_MALLOC, index_environment

    name, value = PAGEFIND_MALLOC
    monkeypatch.delenv(name, raising=False)
    assert index_environment()[name] == value
    monkeypatch.setenv(name, "narenas:1")
    assert index_environment()[name] == "narenas:1", "a value the maintainer set wins"


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="pagefind_bin's Linux build is the one that allocates with jemalloc"
)
def test_the_pagefind_binary_reads_the_allocator_setting() -> None:
    """If a Pagefind upgrade stops reading the variable, the setting above does nothing: say so."""
    from hub.publish.build import PAGEFIND_MALLOC

    name, value = PAGEFIND_MALLOC
    command = [sys.executable, "-m", "pagefind", "--version"]
    ours = subprocess.run(command, env={**os.environ, name: value}, capture_output=True, check=False)
    assert ours.returncode == 0, ours.stderr
    bad = subprocess.run(
        command, env={**os.environ, name: "abort_conf:true,no_such_option:1"}, capture_output=True, check=False
    )
    assert bad.returncode != 0, "Pagefind ignored the allocator setting"
