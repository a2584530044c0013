"""The real data in practice/: reference data complete and correct, every case study valid."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_REFERENCE, copy_project, run_hub
from hub.core.problems import HubError
from hub.core.project import Project
from hub.model.records import AUTHORITY_TYPES
from hub.model.reference import load_reference
from hub.model.values import slug_problem
from hub.pipeline import check

REF = load_reference(ROOT / "practice" / "reference", ROOT)

# From the domain guide: the number of authorities in each region.
REGION_COUNTS = {
    "north-east": 12,
    "north-west": 24,
    "yorkshire-and-the-humber": 15,
    "east-midlands": 10,
    "west-midlands": 14,
    "east-of-england": 11,
    "london": 33,
    "south-east": 19,
    "south-west": 15,
}


def test_153_authorities_in_nine_regions() -> None:
    assert len(REF.authorities) == 153
    assert list(REF.regions) == list(REGION_COUNTS)
    assert Counter(a.region.slug for a in REF.authorities.values()) == REGION_COUNTS


def test_every_authority_type_comes_through() -> None:
    types = Counter(a.type for a in REF.authorities.values())
    assert set(types) == set(AUTHORITY_TYPES)
    assert types["city-of-london"] == 1 and types["isles-of-scilly"] == 1
    assert types["london-borough"] == 32


@pytest.mark.parametrize(
    ("slug", "dfe", "gss", "kind", "region"),
    [
        ("west-berkshire", "869", "E06000037", "unitary", "south-east"),
        ("hampshire", "850", "E10000014", "county", "south-east"),
        ("east-sussex", "845", "E10000011", "county", "south-east"),
        ("city-of-london", "201", "E09000001", "city-of-london", "london"),
        ("isles-of-scilly", "420", "E06000053", "isles-of-scilly", "south-west"),
        ("barnsley", "370", "E08000038", "metropolitan-district", "yorkshire-and-the-humber"),
        ("westmorland-and-furness", "943", "E06000064", "unitary", "north-west"),
        ("bristol", "801", "E06000023", "unitary", "south-west"),
    ],
)
def test_known_authorities(slug: str, dfe: str, gss: str, kind: str, region: str) -> None:
    authority = REF.authorities[slug]
    assert (authority.dfe_code, authority.gss_code, authority.type, authority.region.slug) == (dfe, gss, kind, region)


def test_keys_are_unique_and_slugs_valid() -> None:
    authorities = list(REF.authorities.values())
    for key in ("slug", "dfe_code", "gss_code", "name"):
        values = [getattr(a, key) for a in authorities]
        assert len(set(values)) == len(values), key
    for slug in [*REF.authorities, *REF.regions, *REF.themes, *REF.evidence_levels]:
        assert slug_problem(slug) is None, slug


def test_vocabularies_are_complete() -> None:
    assert len(REF.themes) == 17
    assert [level.name for level in REF.evidence_levels.values()] == [
        "Validated",
        "Promising",
        "Early days",
        "No evidence yet",
    ]
    assert all(t.description for t in REF.themes.values())
    assert REF.regions["east-of-england"].adcs_name == "Eastern"
    assert REF.regions["london"].adcs_name == "Greater London"


def test_every_case_study_in_practice_is_valid() -> None:
    catalogue, files = check(Project(ROOT), date.today())
    assert len(catalogue.studies) == files
    slugs = [s.slug for s in catalogue.studies]
    assert len(set(slugs)) == len(slugs)
    for study in catalogue.studies:
        assert study.sources and all(s.url.startswith(("https://", "http://")) for s in study.sources)
        plain = sum(s.url.startswith("http://") for s in study.sources)
        assert sum("http:// address" in message for _, _, message in study.warnings) >= plain, study.slug
        assert study.from_public_sources or (study.contact and (study.contact.url or study.contact.email))


def test_the_case_studies_in_practice_build_and_pass_the_scan(tmp_path: Path) -> None:
    """What `make build` publishes, as of today; the other site tests use a fixed collection."""
    project = copy_project(tmp_path)
    for path in (ROOT / "practice").glob("*.yml"):
        shutil.copy(path, project.practice / path.name)
    assert run_hub(project, "build", today=None) == 0
    for path in project.practice.glob("*.yml"):
        assert (project.site / "practice" / path.stem / "index.html").is_file(), path.name


@pytest.mark.skipif(not (SHARED_REFERENCE / "dfe-las.csv").exists(), reason="../shared/reference is not present")
def test_matches_dfe_list() -> None:
    """Every live single-code authority on DfE's list is here with the right codes and region."""
    with (SHARED_REFERENCE / "dfe-las.csv").open(encoding="utf-8-sig", newline="") as handle:
        live = [
            r
            for r in csv.DictReader(handle)
            if r["status"] == "live" and r["new_la_code"].startswith("E") and " / " not in r["new_la_code"]
        ]
    with (SHARED_REFERENCE / "dfe-regions.csv").open(encoding="utf-8-sig", newline="") as handle:
        region_names = {r["region_code"]: r["region_name"] for r in csv.DictReader(handle)}
    by_code = {a.dfe_code: a for a in REF.authorities.values()}
    assert len(live) == len(by_code) == 153
    for row in live:
        authority = by_code[row["old_la_code"]]
        assert authority.gss_code == row["new_la_code"]
        assert authority.official_name == row["la_name"]
        assert authority.region.code == row["parent_geography_code"]
        assert authority.region.name.lower() == region_names[row["parent_geography_code"]].lower()


def test_every_case_study_points_editors_at_the_schema() -> None:
    from hub.render.json_schema import EDITOR_COMMENT

    for path in sorted((ROOT / "practice").glob("*.yml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == EDITOR_COMMENT, path.name


def _broken_reference(tmp_path: Path, name: str, change: Callable[[str], str]) -> list[str]:
    """The messages `hub check` gives for the real reference data with one file changed."""
    tmp_path.mkdir(exist_ok=True)
    project = copy_project(tmp_path)
    path = project.reference / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(HubError) as raised:
        load_reference(project.reference, project.root)
    return [str(problem) for problem in raised.value.problems]


def test_reference_messages_speak_of_reference_files(tmp_path: Path) -> None:
    """Advice meant for contributors' case studies is not given about the reference files."""
    [empty] = _broken_reference(tmp_path / "a", "themes.yml", lambda text: "")
    assert (
        empty == "practice/reference/themes.yml:1:1: is empty; restore it from git or re-run the import command that "
        "writes it"
    )
    [two] = _broken_reference(tmp_path / "b", "evidence-levels.yml", lambda text: text + "---\nx: 1\n")
    assert "keep one document per file" in two and "case stud" not in two
    [slug] = _broken_reference(
        tmp_path / "c", "themes.yml", lambda text: text.replace("slug: workforce", "slug: Work-Force")
    )
    assert "slug 'Work-Force' is not a valid slug" in slug and "file name" not in slug


def test_a_mistake_in_regions_is_reported_once_not_at_every_authority(tmp_path: Path) -> None:
    messages = _broken_reference(
        tmp_path, "regions.yml", lambda text: text.replace("slug: north-east\n", "slug: North East\n", 1)
    )
    assert len(messages) == 4, messages
    assert "slug 'North East' is not a valid slug" in messages[-1]
    waiting = "not checked yet: it names entries of regions.yml, which has problems; fix those first"
    assert messages[:3] == [
        f"practice/reference/{name}: {waiting}" for name in ("authorities.yml", "neighbours.yml", "ofsted.yml")
    ]


def test_a_mistake_in_authorities_holds_back_only_the_files_that_name_authorities(tmp_path: Path) -> None:
    messages = _broken_reference(
        tmp_path, "authorities.yml", lambda text: text.replace("region: south-east", "region: south-eats", 1)
    )
    waiting = "not checked yet: it names entries of authorities.yml, which has problems; fix those first"
    assert messages[1:] == [f"practice/reference/{name}: {waiting}" for name in ("neighbours.yml", "ofsted.yml")]
    assert messages[0].startswith("practice/reference/authorities.yml:")
