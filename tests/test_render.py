"""Rendering: golden pages, the escaping guarantee, deterministic output."""

from __future__ import annotations

import html
import json
import re
import shutil

import jinja2
import pytest

from conftest import FIXTURES, ROOT, TODAY, VALID_STUDY, copy_project, distinct, write_study
from hub.core.project import Project
from hub.model.catalogue import Catalogue
from hub.pipeline import check
from hub.render.escape import Md
from hub.render.pages import Renderer, environment, jobs, load_pages, render_site

GOLDEN = FIXTURES / "golden"
GOLDEN_PAGES = [
    "index.md",
    "practice/index.md",
    "practice/kinship-first-in-the-south-east.md",
    "practice/national-peer-challenge.md",
    "authorities/west-berkshire.md",
    "authorities/hampshire.md",
    "authorities/city-of-london.md",
    "regions/south-east.md",
    "regions/north-east.md",
    "themes/family-networks.md",
    "themes/youth-justice.md",
]


@pytest.fixture(scope="module")
def golden_hub(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    root = tmp_path_factory.mktemp("golden")
    project = copy_project(root)
    for path in (GOLDEN / "practice").glob("*.yml"):
        shutil.copy(path, project.practice / path.name)
    return check(project, TODAY)[0]


@pytest.fixture(scope="module")
def golden_pages(golden_hub: Catalogue) -> dict[str, str]:
    return render_site(golden_hub)


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden(golden_pages: dict[str, str], page: str, update_golden: bool) -> None:
    expected = GOLDEN / "expected" / page
    if update_golden:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(golden_pages[page], encoding="utf-8")
    assert golden_pages[page] == expected.read_text(encoding="utf-8"), (
        f"run pytest --update-golden and review the diff of {expected}"
    )


def test_every_page_type_is_rendered(golden_hub: Catalogue, golden_pages: dict[str, str]) -> None:
    kinds = {path.split("/")[0] if "/" in path else path for path in golden_pages}
    assert kinds == {
        "index.md",
        "contribute.md",
        "coverage.md",
        "find.md",
        "practice",
        "authorities",
        "regions",
        "themes",
        "data",
    }
    assert sum(p.startswith("authorities/") and p != "authorities/index.md" for p in golden_pages) == 153
    assert sum(p.startswith("regions/") and p != "regions/index.md" for p in golden_pages) == 9
    assert sum(p.startswith("themes/") and p != "themes/index.md" for p in golden_pages) == len(golden_hub.ref.themes)
    assert list(golden_pages) == sorted(golden_pages), "pages come out in a stable, sorted order"


def test_contributor_markup_stays_literal(golden_pages: dict[str, str]) -> None:
    page = golden_pages["practice/kinship-first-in-the-south-east.md"]
    body = page.split("---", 2)[2]
    for raw in ("<b>", "[a link]", "{{", "{%", "{:", "!!!", "\n# Not", "\n- not", "\n1. not", "\n| not", "*emphasis*"):
        assert raw not in body, raw
    # Each shows up escaped instead, so the reader sees exactly what was typed.
    assert "&#60;b&#62;proceedings&#60;/b&#62;" in body
    assert "&#123;&#123; not&#95;a&#95;template &#125;&#125;" in body
    assert "&#91;a link&#93;(javascript:alert(1))" in body, "no link: its brackets are escaped"
    # A ")" in a URL cannot end the Markdown link early.
    assert "(https://www.example.gov.uk/evaluation%28final%29.pdf)" in body


def test_templates_compiled_ahead_render_the_same_pages(golden_hub: Catalogue, golden_pages: dict[str, str]) -> None:
    """`hub build` compiles the templates before the hub exists (while the workers check), for
    the processes that render to share; the list-line filter is set when the renderer is made."""
    env = environment()
    with pytest.raises(RuntimeError, match="needs a Renderer"):
        env.from_string("{{ study|study_item }}").render(study=golden_hub.studies[0])
    load_pages(env)
    assert {job.template for job in jobs(golden_hub)} <= {name for _, name in env.cache}, "every page template compiled"
    renderer = Renderer(golden_hub, env)
    assert renderer.env is env, "the renderer takes over the compiled templates"
    assert {job.path: renderer.render(job) for job in jobs(golden_hub)} == golden_pages


def test_templates_refuse_unfiltered_output() -> None:
    env = environment()
    template = env.from_string("{{ value }}")
    with pytest.raises(TypeError, match="must go through a filter"):
        template.render(value="<script>")
    assert env.from_string("{{ value|text }}").render(value="<i>") == "&#60;i&#62;"
    assert env.from_string("{{ value }}").render(value=Md("ok")) == "ok"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing|text }}").render()


def test_project_fixture_has_no_case_studies(project: Project) -> None:
    catalogue, files = check(project, TODAY)
    assert files == 0 and catalogue.studies == ()
    pages = render_site(catalogue)
    assert "has not led a case study on the hub yet" in pages["authorities/west-berkshire.md"]


def test_folded_text_keeps_its_paragraphs(project: Project) -> None:
    from conftest import VALID_STUDY, write_study

    folded = "what_we_did: >-\n  First paragraph,\n  one sentence.\n\n  Second paragraph.\n"
    write_study(
        project,
        "folded",
        VALID_STUDY.replace(
            "what_we_did: >-\n  Coordinators offered a conference to every family at the start of pre-proceedings.\n",
            folded,
        ),
    )
    catalogue, _ = check(project, TODAY)
    assert catalogue.studies[0].action == "First paragraph, one sentence.\n\nSecond paragraph."
    page = render_site(catalogue)["practice/folded.md"]
    assert "First paragraph, one sentence.\n\nSecond paragraph." in page


def test_coverage_counts_link_to_the_matching_lists(golden_pages: dict[str, str]) -> None:
    table = golden_pages["coverage.md"]

    def row(name: str) -> list[str]:
        line = next(line for line in table.splitlines() if f">{name}</a></th>" in line)
        return re.findall(r"<td>(.*?)</td>", line)

    cells = row("Family networks")
    # West Berkshire's (South East) study has family networks; the national one does not.
    assert cells[7] == '<a href="../themes/family-networks/#south-east">1</a>'
    assert cells[0:7] == ["–"] * 7 and cells[8:10] == ["–", "–"] and cells[10] == "1"
    children = row("Children in care")
    assert children[9] == '<a href="../themes/children-in-care/#england-wide">1</a>' and children[10] == "2"
    assert '<th scope="row"><a href="../themes/children-in-care/">Children in care</a></th>' in table
    theme = golden_pages["themes/family-networks.md"]
    assert "### South East" in theme and "### England-wide" not in theme
    assert "[1](../themes/family-networks.md#south-east)" in golden_pages["regions/south-east.md"]


def test_home_page_chart_lists_the_themes_held_most_first(golden_hub: Catalogue, golden_pages: dict[str, str]) -> None:
    home = golden_pages["index.md"]
    chart = home.split("## Case studies by theme", 1)[1].split("\n## ", 1)[0]
    held = [t for t in golden_hub.ref.themes.values() if golden_hub.with_theme(t)]
    assert 0 < len(held) < len(golden_hub.ref.themes), "the fixture has themes with and without case studies"
    bars = re.findall(
        r"^- \[([^\]]+)\]\([^)]+\)<svg [^>]*><rect width=\"(\d+)\"[^<]*</rect></svg>"
        r'<span class="hub-bar__count">(\d+) case stud(?:y|ies)</span>$',
        chart,
        re.M,
    )
    assert sorted(name for name, _, _ in bars) == sorted(t.name for t in held), "a bar for each theme held, no other"
    counts = [int(count) for _, _, count in bars]
    assert counts == sorted(counts, reverse=True), "most first"
    assert [int(width) for _, width, _ in bars][0] == 100, "the theme with most case studies gets the longest bar"
    assert all(int(w) == max(1, round(100 * int(n) / counts[0])) for _, w, n in bars), "bars in proportion"
    missing = [t for t in golden_hub.ref.themes.values() if t not in held]
    assert f"No case studies yet for [{missing[0].name}]({missing[0].page})" in chart, (
        "and the themes with none are named"
    )


def test_authority_page_shows_the_newest_ten_from_its_neighbours_and_links_to_the_rest(project: Project) -> None:
    catalogue, _ = check(project, TODAY)
    neighbours = catalogue.ref.neighbours["west-berkshire"]
    for n in range(12):
        lead = neighbours[n % len(neighbours)].slug
        text = (
            distinct(VALID_STUDY, f"{n}")
            .replace("authorities: west-berkshire", f"authorities: {lead}")
            .replace("published: 2026-03-31", f"published: 2026-03-{n + 1:02d}")
        )
        write_study(project, f"neighbour-{n:02d}", text)
    catalogue, _ = check(project, TODAY)
    page = render_site(catalogue)["authorities/west-berkshire.md"]
    section = page.split("## Practice from similar authorities", 1)[1].split("\n## ", 1)[0]
    assert section.count("\n- [") == 10
    assert "neighbour-11" in section and "neighbour-01" not in section, "the newest ten"
    assert "These are the newest 10 of 12." in section
    link = section.rsplit("](", 1)[1].split(")", 1)[0]
    assert link.startswith("../find.md?authority=")
    assert link.count("authority=") == 10


def test_the_find_page_hands_its_script_the_filters_from_the_reference_data(golden_pages: dict[str, str]) -> None:
    """hub-search.js holds no list of filters or evidence levels: rename a level and the page
    still sorts it in its place on the ladder."""
    found = re.search(r'data-config="([^"]*)"', golden_pages["find.md"])
    assert found is not None
    config = json.loads(html.unescape(found.group(1)))
    assert config["order"]["evidence"] == ["Validated", "Promising", "Early days", "No evidence yet"]
    assert [name for name, _ in config["groups"]] == [
        "theme",
        "region",
        "authority",
        "evidence",
        "programme",
        "partner",
        "year",
    ]
    assert config["every"] == "hubcasestudy"
    script = (ROOT / "docs" / "javascripts" / "hub-search.js").read_text(encoding="utf-8")
    assert "Early days" not in script and "hubcasestudy" not in script and "Local authority" not in script
