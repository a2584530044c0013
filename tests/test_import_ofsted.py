"""`hub import-ofsted`: the ILACS overview CSV into the hub's Ofsted snapshot and neighbours files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_REFERENCE, TODAY, copy_project
from hub.core.problems import HubError
from hub.imports.ofsted import import_ofsted, read_rows

HEADER = (
    "urn,la_code,region_code,ltla23cd,stat_neighbours,stat_neighbour_judgement,local_authority,inspection_link,"
    "overall_effectiveness_grade,inspection_framework,inspection_start_date,inspection_end_date,publication_date,"
    "impact_of_leaders_grade,help_and_protection_grade,in_care_grade,care_leavers_grade\n"
)
NEAR = '"850, 845, 886, 936, 938, 872, 868, 867, 870, 871"'
SLUGS = {
    "869": "west-berkshire",
    "850": "hampshire",
    "845": "east-sussex",
    "886": "kent",
    "936": "surrey",
    "938": "west-sussex",
    "872": "wokingham",
    "868": "windsor-and-maidenhead",
    "867": "bracknell-forest",
    "870": "reading",
    "871": "slough",
}


def row(
    code: str = "869",
    overall: str = "good",
    kind: str = "short",
    start: str = "11/09/2023",
    end: str = "15/09/2023",
    published: str = "27/10/23",
    care_leavers: str = "good",
    link: str = "https://files.ofsted.gov.uk/v1/file/1",
    near: str = NEAR,
) -> str:
    return (
        f"1,{code},SE,x,{near},[],x,{link},{overall},{kind},{start},{end},{published},good,good,good,{care_leavers}\n"
    )


def rows_for_all(first: str) -> str:
    return first + "".join(row(code) for code in SLUGS if code != "869")


def problems(tmp_path: Path, text: str) -> list[str]:
    source = tmp_path / "ilacs.csv"
    source.write_text(HEADER + text, encoding="utf-8")
    return [str(p) for p in read_rows(source, "ilacs.csv", SLUGS)[2]]


def test_good_rows_read(tmp_path: Path) -> None:
    source = tmp_path / "ilacs.csv"
    source.write_text(
        HEADER + rows_for_all(row(overall="nan", start="27/04/2026", end="01/05/2026", published="17/06/26")),
        encoding="utf-8",
    )
    inspections, neighbours, found = read_rows(source, "ilacs.csv", SLUGS)
    assert found == []
    berks = next(i for i in inspections if i["authority"] == "west-berkshire")
    assert berks["overall"] == "not-given" and berks["start"] == "2026-04-27" and berks["published"] == "2026-06-17"
    assert neighbours[0]["neighbours"][0] == "hampshire"


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (
            row(overall="nan"),
            "ilacs.csv:2: la_code 869: overall_effectiveness_grade 'nan' is not a grade for an inspection starting "
            "11/09/2023",
        ),
        (
            row(care_leavers="inspection_pre_dates_judgement"),
            "care_leavers_grade 'inspection_pre_dates_judgement' is not a grade",
        ),
        (row(start="31/02/2024"), "has a date that is not DD/MM/YYYY"),
        (row(kind="None"), "do not fit together"),
        (row(end="01/09/2023"), "dates are out of order"),
        (row(link="http://files.ofsted.gov.uk/x"), "is not an https address"),
        (row(overall="excellent"), "'excellent' is not a grade"),
        (row(near='"850, 845"'), "needs 10 statistical neighbours"),
        (row(code="999"), "la_code 999: is not a DfE code"),
    ],
)
def test_bad_rows_name_the_row(tmp_path: Path, first: str, message: str) -> None:
    assert any(message in p for p in problems(tmp_path, rows_for_all(first))), problems(tmp_path, rows_for_all(first))


def test_missing_and_repeated_rows(tmp_path: Path) -> None:
    found = problems(tmp_path, row("869") + row("869"))
    assert any("appears twice (first on line 2)" in p for p in found)
    assert any("has no row for kent (DfE code 886)" in p for p in found)


def test_old_inspections_keep_their_special_values(tmp_path: Path) -> None:
    old = row(care_leavers="inspection_pre_dates_judgement", start="05/12/2022", end="16/12/2022", published="01/02/23")
    assert problems(tmp_path, rows_for_all(old)) == []


def test_nothing_written_on_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = (project.reference / "ofsted.yml").read_bytes()
    source = tmp_path / "ilacs.csv"
    source.write_text(HEADER + row(overall="excellent"), encoding="utf-8")
    with pytest.raises(HubError):
        import_ofsted(project.root, source, "ilacs.csv", "June 2026", TODAY)
    assert (project.reference / "ofsted.yml").read_bytes() == before


@pytest.mark.skipif(
    not (SHARED_REFERENCE / "ofsted-ilacs-overview.csv").exists(), reason="../shared/reference is not present"
)
def test_committed_files_are_what_the_import_gives(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    shutil.copy(SHARED_REFERENCE / "ofsted-ilacs-overview.csv", tmp_path / "ofsted-ilacs-overview.csv")
    committed = {
        name: (ROOT / "practice" / "reference" / name).read_text(encoding="utf-8")
        for name in ("ofsted.yml", "neighbours.yml")
    }
    imported_on = next(
        line for line in committed["ofsted.yml"].splitlines() if line.strip().startswith("imported:")
    ).split("'")[1]
    as_at = next(line for line in committed["ofsted.yml"].splitlines() if line.startswith("as_at:")).split(": ", 1)[1]
    import_ofsted(project.root, tmp_path / "ofsted-ilacs-overview.csv", "x", as_at, date.fromisoformat(imported_on))
    for name, text in committed.items():
        assert (project.reference / name).read_text(encoding="utf-8") == text
