"""Open data: the JSON, CSV and Atom files published with the site, read back with real parsers."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from conftest import (
    FIXTURES,
    GOLDEN_STUDIES,
    TODAY,
    VALID_STUDY,
    build,
    copy_project,
    distinct,
    run_hub,
    snapshot,
    write_study,
)
from hub.core.problems import HubError
from hub.core.project import Project
from hub.pipeline import check
from hub.render.opendata import LICENCE, _json_lines, feed


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("data"))
    write_study(
        project,
        "formula",
        VALID_STUDY.replace(
            "title: Family group conferences before proceedings", "title: '=HYPERLINK(\"https://evil.example\")'"
        ),
    )
    return build(project, *GOLDEN_STUDIES)


def read(project: Project, name: str) -> str:
    return (project.site / "data" / name).read_text(encoding="utf-8")


def test_json_holds_every_case_study_with_its_licence(built: Project) -> None:
    document = json.loads(read(built, "case-studies.json"))
    catalogue, _ = check(built, TODAY)
    assert document["licence"] == LICENCE
    assert [s["slug"] for s in document["case_studies"]] == [s.slug for s in catalogue.studies]
    kinship = next(s for s in document["case_studies"] if s["slug"] == "kinship-first-in-the-south-east")
    assert kinship["title"] == "Kinship first: asking the family before care <b>proceedings</b>", (
        "text exactly as typed"
    )
    assert [a["dfe_code"] for a in kinship["led_by"]["authorities"]] == ["869", "850"], "co-leads, in order typed"
    assert kinship["evidence"]["level"] == "validated" and kinship["themes"] == ["family-networks", "children-in-care"]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_holds_one_case_study_per_line(count: int) -> None:
    items = [{"slug": f"s{n}", "text": "line one\nline two, “quoted”", "links": [1, None]} for n in range(count)]
    text = _json_lines({"title": "T", "licence": "L"}, "case_studies", iter(items))
    assert json.loads(text) == {"title": "T", "licence": "L", "case_studies": items}
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}" and text.endswith("}\n")
    assert [json.loads(line.strip().rstrip(",")) for line in lines if line.startswith("    ")] == items, (
        "each on a line of its own"
    )
    assert ("“quoted”" in text) == bool(items), "characters as typed, not escapes"


def test_csv_reads_back_and_defuses_formulas(built: Project) -> None:
    rows = list(csv.DictReader(io.StringIO(read(built, "case-studies.csv"))))
    assert len(rows) == len(GOLDEN_STUDIES) + 1 and all(r["licence"] == LICENCE for r in rows)
    formula = next(r for r in rows if r["slug"] == "formula")
    assert formula["title"].startswith("'=HYPERLINK")


def test_authorities_table_has_all_153_with_counts(built: Project) -> None:
    rows = list(csv.DictReader(io.StringIO(read(built, "authorities.csv"))))
    assert len(rows) == 153
    berks = next(r for r in rows if r["slug"] == "west-berkshire")
    assert (berks["dfe_code"], berks["case_studies_led"], berks["case_studies_as_partner"]) == ("869", "2", "0")
    london = next(r for r in rows if r["slug"] == "city-of-london")
    assert london["case_studies_as_partner"] == "1" and london["ofsted_report"].startswith("https://")
    assert all(r["licence"] == LICENCE for r in rows)


def test_feed_is_valid_atom(built: Project) -> None:
    parsed = feedparser.parse(read(built, "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.rights == LICENCE
    titles = [e.title for e in parsed.entries]
    assert "Kinship first: asking the family before care <b>proceedings</b>" in titles
    assert len(parsed.entries) == len(GOLDEN_STUDIES) + 1
    assert all(e.id.startswith("tag:") for e in parsed.entries)


def test_data_page_links_every_file(built: Project) -> None:
    html = (built.site / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("case-studies.json", "case-studies.csv", "authorities.csv", "feed.xml", "case-study.schema.json"):
        assert f'href="{name}"' in html
        assert (built.site / "data" / name).is_file()


def test_a_hand_written_file_in_the_data_folder_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path)
    (project.docs / "data").mkdir()
    (project.docs / "data" / "feed.xml").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_hub(tmp_path, "generate") == 1
    assert (project.docs / "data" / "feed.xml").read_text(encoding="utf-8") == "mine"


def test_an_update_moves_a_case_study_to_the_top_of_the_feed(project: Project) -> None:
    write_study(
        project,
        "older",
        distinct(VALID_STUDY, "older").replace("published: 2026-03-31", "published: 2025-01-01\nupdated: 2026-10-01"),
    )
    write_study(project, "newer", VALID_STUDY)
    build(project)
    parsed = feedparser.parse(read(project, "feed.xml"))
    assert [e.id.rsplit("/", 1)[1] for e in parsed.entries] == ["older", "newer"]
    assert parsed.entries[0].updated.startswith("2026-10-01") and parsed.entries[0].published.startswith("2025-01-01")
    assert "Updated:** 1 October 2026" in (project.docs / "practice" / "older.md").read_text(encoding="utf-8")


def test_the_files_written_are_the_files_planned(built: Project) -> None:
    """The build plans where open data goes before the files are made: the two lists agree."""
    from hub.render.opendata import OPEN_DATA_FILES, open_data

    catalogue, _ = check(built, TODAY)
    assert list(open_data(catalogue)) == list(OPEN_DATA_FILES)
    assert sorted(p.relative_to(built.docs).as_posix() for p in (built.docs / "data").iterdir()) == sorted(
        [*OPEN_DATA_FILES, "data/index.md"]
    )


def test_the_feed_holds_the_most_recent_case_studies(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed reader fetches the feed again and again: it carries the newest few, not every one."""
    import hub.render.opendata

    monkeypatch.setattr(hub.render.opendata, "FEED_ENTRIES", 3)
    for day in range(1, 6):
        text = distinct(VALID_STUDY, f"study-{day}")
        write_study(project, f"study-{day}", text.replace("published: 2026-03-31", f"published: 2026-03-0{day}"))
    write_study(
        project,
        "updated-late",
        distinct(VALID_STUDY, "updated-late").replace(
            "published: 2026-03-31", "published: 2025-01-01\nupdated: 2026-03-04"
        ),
    )
    catalogue, _ = check(project, TODAY)
    parsed = feedparser.parse(hub.render.opendata.feed(catalogue))
    assert [e.id.rsplit("/", 1)[1] for e in parsed.entries] == ["study-5", "study-4", "updated-late"]
    assert parsed.feed.updated.startswith("2026-03-05")


ATOM = "{http://www.w3.org/2005/Atom}"
# An organisation's name with everything XML gives a meaning to, as the lead of a case study.
MARKUP_LEAD = VALID_STUDY.replace(
    "led_by:\n  authorities: west-berkshire\n",
    'led_by:\n  organisation: "<b>A & B</b> &amp; ]]> \\"quoted\\" \'single\' <!-- c --> <?pi x?>"\n  regions:\n   '
    " - south-east\n",
)


def test_the_feed_carries_every_contributor_string_as_typed(project: Project) -> None:
    """`hub generate` writes the feed; a strict XML parser and a feed reader read back exactly
    what the case studies hold, the injection payloads included."""
    (project.practice / "every-payload.yml").write_bytes((FIXTURES / "payloads" / "every-payload.yml").read_bytes())
    write_study(project, "markup-lead", MARKUP_LEAD)
    assert run_hub(project, "generate") == 0
    text = (project.docs / "data" / "feed.xml").read_text(encoding="utf-8")
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entries = {e.find(f"{ATOM}id").text.rsplit("/", 1)[1]: e for e in ET.fromstring(text).iter(f"{ATOM}entry")}  # type: ignore[union-attr]
    catalogue, _ = check(project, TODAY)
    assert sorted(entries) == sorted(s.slug for s in catalogue.studies)
    for study in catalogue.studies:
        entry = entries[study.slug]
        assert entry.findtext(f"{ATOM}title") == study.title
        assert entry.findtext(f"{ATOM}summary") == f"Evidence: {study.evidence.level.name}. {study.summary}"
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == study.lead_name
        assert [(c.get("term"), c.get("label")) for c in entry.iter(f"{ATOM}category")] == [
            (t.slug, t.name) for t in study.themes
        ]
    assert "<b>A & B</b> &amp; ]]>" in catalogue.studies[0].lead_name + catalogue.studies[1].lead_name
    assert {e.title for e in parsed.entries} == {s.title for s in catalogue.studies}, (
        "a feed reader shows the titles as typed"
    )


NOT_XML = ["\x00", "\x0c", "\x1b", "\r", "\ud800", "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", NOT_XML, ids=ascii)
def test_a_character_xml_cannot_carry_never_reaches_a_feed(char: str, project: Project) -> None:
    """The loader refuses it; if it got past, the feed writer raises instead of writing a
    feed that readers cannot parse (or that changes the text)."""
    escaped = char.encode("unicode_escape").decode("ascii")
    write_study(
        project,
        "hidden",
        VALID_STUDY.replace(
            "title: Family group conferences before proceedings", f'title: "Family{escaped}conferences"'
        ),
    )
    assert run_hub(project, "check") == 1, "the loader refuses it"
    write_study(project, "hidden", VALID_STUDY)
    catalogue, _ = check(project, TODAY)
    study = catalogue.studies[0]
    object.__setattr__(study, "title", f"Family{char}conferences")  # as if the loader had let it through
    with pytest.raises(HubError) as refused:
        feed(catalogue)
    assert [str(p) for p in refused.value.problems] == [
        f"practice/hidden.yml: holds U+{ord(char):04X}, which the Atom feed cannot carry as typed; delete it from "
        "the file"
    ]


def test_a_feed_that_cannot_be_written_changes_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import hub.pipeline
    import hub.render.opendata

    write_study(project, "first", VALID_STUDY)
    assert run_hub(project, "generate") == 0
    before = snapshot(project.docs)
    write_study(
        project,
        "second",
        distinct(VALID_STUDY, "second").replace(
            "title: Family group conferences before proceedings", "title: A second one"
        ),
    )
    real = hub.render.opendata.open_data

    def past_the_loader(catalogue: object, site: object) -> dict[str, str]:
        second = next(s for s in catalogue.studies if s.slug == "second")  # type: ignore[attr-defined]
        object.__setattr__(second, "summary", "A form feed \x0c here.")
        return real(catalogue, site)  # type: ignore[arg-type]

    monkeypatch.setattr(hub.pipeline, "open_data", past_the_loader)
    capsys.readouterr()
    assert run_hub(project, "generate") == 1
    err = capsys.readouterr().err
    assert (
        "practice/second.yml: holds U+000C, which the Atom feed cannot carry as typed; delete it from the file" in err
    )
    assert "Traceback" not in err
    assert snapshot(project.docs) == before, "docs/ as it was"


def test_the_feed_links_are_absolute_when_the_sites_address_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path)
    write_study(project, "family-group-conferences", VALID_STUDY)
    assert run_hub(project, "generate") == 0
    relative = feedparser.parse((project.docs / "data" / "feed.xml").read_text(encoding="utf-8"))
    assert [link.href for link in relative.feed.links] == ["feed.xml", "../"]
    monkeypatch.setenv("HUB_SITE_URL", "https://practice.example.org/hub")
    assert run_hub(project, "generate") == 0, "a new address is a change: the feed is written again"
    parsed = feedparser.parse((project.docs / "data" / "feed.xml").read_text(encoding="utf-8"))
    assert [link.href for link in parsed.feed.links] == [
        "https://practice.example.org/hub/data/feed.xml",
        "https://practice.example.org/hub/",
    ]
    assert parsed.entries[0].link == "https://practice.example.org/hub/practice/family-group-conferences/"


def test_the_feed_names_the_site_and_publisher_mkdocs_yml_gives(tmp_path: Path) -> None:
    """A copy of the hub run by another body changes mkdocs.yml, and its feed says so."""
    project = copy_project(tmp_path)
    write_study(project, "family-group-conferences", VALID_STUDY)
    config = project.config.read_text(encoding="utf-8")
    assert "site_name: Children's Services Practice Hub\n" in config
    assert "    name: Children's Services Practice Hub maintainers\n" in config
    assert run_hub(project, "generate") == 0
    parsed = feedparser.parse((project.docs / "data" / "feed.xml").read_text(encoding="utf-8"))
    assert parsed.feed.title == "Children's Services Practice Hub: new and updated case studies"
    assert parsed.feed.author == "Children's Services Practice Hub maintainers"
    config = config.replace("site_name: Children's Services Practice Hub\n", "site_name: Northern <Practice> & Co\n")
    config = config.replace(
        "    name: Children's Services Practice Hub maintainers\n", '    name: "The North & <Alliance>"\n'
    )
    project.config.write_text(config, encoding="utf-8")
    assert run_hub(project, "generate") == 0, "a new name is a change: the feed is written again"
    parsed = feedparser.parse((project.docs / "data" / "feed.xml").read_text(encoding="utf-8"))
    assert parsed.feed.title == "Northern <Practice> & Co: new and updated case studies"
    assert parsed.feed.author == "The North & <Alliance>"
