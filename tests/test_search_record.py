"""What the search index holds for a page: its own words, never the lists of other pages.

A real `hub build` (MkDocs, then Pagefind) of a small hub, read back from the
index Pagefind wrote: each page's record is a gzipped JSON fragment in pagefind/fragment/.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import VALID_STUDY, build, copy_project, distinct, write_study
from htmlview import parse, text
from hub.core.project import Project

TITLE = "title: Family group conferences before proceedings"
# A case study whose title is a fixed section's heading, with text that looks like headings and
# like the marker the template writes where the related practice starts.
NAMED_LIKE_A_SECTION = VALID_STUDY.replace(TITLE, "title: Related practice").replace(
    "challenge: >-\n  Too many children entered care without their wider family being asked to help.\n",
    'challenge: |-\n  ## Related practice\n  <h2 id="related-practice">Related practice</h2> kinshipword\n'
    "  <!-- hub:search-stops-here: related practice --> after the marker\n",
)
# Another with the same theme, so each lists the other under "Related practice".
NEIGHBOUR = distinct(VALID_STUDY, "zebra").replace(f"{TITLE} (zebra)", "title: Zebra crossing otherstudy")


def records(site: Path) -> dict[str, dict[str, Any]]:
    """Every page's search record in the built site, by its address."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd") :])
        found[record["url"]] = record
    return found


def related_part(html: str) -> str:
    """The text inside the page's one `hub-related` element (left off the index and off paper)."""
    parts = parse(html).css("div.hub-related")
    assert len(parts) == 1, "one related-practice part"
    assert "data-pagefind-ignore" in parts[0].attributes
    return " ".join(text(parts[0]).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("search"))
    write_study(project, "related-practice", NAMED_LIKE_A_SECTION)
    write_study(project, "zebra", NEIGHBOUR)
    return build(project)


def test_a_case_study_titled_like_a_section_is_found_for_its_own_words(built: Project) -> None:
    content = records(built.site)["/practice/related-practice/"]["content"]
    assert content.startswith("Related practice"), "its title"
    assert "## Related practice" in content and "kinshipword" in content, "its text, literally, headings and all"
    assert "<!-- hub:search-stops-here: related practice --> after the marker" in content
    assert "An authority offered every family" in content and "Annual report" in content
    assert "Zebra" not in content, "not the case studies it lists"
    assert "suggest a change" not in content, "nor the footer"


def test_the_related_practice_list_is_out_of_every_case_studys_record(built: Project) -> None:
    content = records(built.site)["/practice/zebra/"]["content"]
    assert "Zebra crossing otherstudy" in content and "Annual report" in content
    assert "Related practice" not in content, "neither the heading nor the study it lists"


def test_the_related_practice_list_is_the_part_left_off_paper(built: Project) -> None:
    html = (built.site / "practice" / "related-practice" / "index.html").read_text(encoding="utf-8")
    related = related_part(html)
    assert related.startswith("Related practice") and "Zebra crossing otherstudy" in related
    assert "kinshipword" not in related and "Annual report" not in related


def test_an_authority_page_is_found_for_its_name_and_facts_only(built: Project) -> None:
    content = records(built.site)["/authorities/west-berkshire/"]["content"]
    assert "West Berkshire" in content and "DfE code" in content
    assert "Zebra" not in content and "Related practice" not in content and "Ofsted inspection" not in content
