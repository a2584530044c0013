"""`hub import-authorities`: DfE's list into the hub's own authorities file."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SHARED_REFERENCE, copy_project
from hub.core.problems import HubError
from hub.imports.authorities import import_authorities, plain_name
from hub.model.reference import load_reference

HEADER = (
    "new_la_code,la_name,date_of_operation,date_of_termination,parent_geography_code,entity_code,"
    "entity_description,status,old_la_code\n"
)
ROWS = (
    "E06000037,West Berkshire,01/01/2009,,E12000008,E06,Unitary Authorities,live,869\n"
    'E06000023,"Bristol, City of",01/01/2009,,E12000009,E06,Unitary Authorities,live,801\n'
    "E09000001,City of London,01/01/2009,,E12000007,E09,London Boroughs,live,201\n"
    "E06000053,Isles of Scilly,01/04/2009,,E12000009,E06,Unitary Authorities,live,420\n"
    "E08000016,Barnsley,01/01/2009,30/04/2025,E12000003,E08,Metropolitan Districts,terminated,370\n"
    "E08000038,Barnsley,01/05/2025,,E12000003,E08,Metropolitan Districts,live,370\n"
    "E10000021,Northamptonshire,01/01/2009,31/03/2021,E12000004,E10,Counties,terminated,928\n"
    "E06000061,North Northamptonshire,01/04/2021,,E12000004,E06,Unitary Authorities,live,940\n"
    "E06000062,West Northamptonshire,01/04/2021,,E12000004,E06,Unitary Authorities,live,941\n"
    "E06000061 / E06000062,North Northamptonshire / West Northamptonshire,01/04/2021,,E12000004,E06,Unitary "
    "Authorities,live,940 / 941\n"
    "z,British Forces Post Office overseas establishments,,,,,,live,702\n"
)


def test_plain_names() -> None:
    assert plain_name("Bristol, City of") == "Bristol"
    assert plain_name("Herefordshire, County of") == "Herefordshire"
    assert plain_name("Bournemouth, Christchurch and Poole") == "Bournemouth, Christchurch and Poole"


def test_imports_live_single_authorities(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    source = tmp_path / "las.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    rows = import_authorities(project.root, source, "las.csv", date(2026, 1, 2))
    assert [r["slug"] for r in rows] == [
        "barnsley",
        "bristol",
        "city-of-london",
        "isles-of-scilly",
        "north-northamptonshire",
        "west-berkshire",
        "west-northamptonshire",
    ]
    former = yaml.safe_load((project.reference / "former-authorities.yml").read_text(encoding="utf-8"))["former"]
    assert former == [
        {
            "slug": "northamptonshire",
            "name": "Northamptonshire",
            "dfe_code": "928",
            "gss_code": "E10000021",
            "type": "county",
            "region": "east-midlands",
            "ended": date(2021, 3, 31),
            "successors": ["north-northamptonshire", "west-northamptonshire"],
        },
    ], "Barnsley's old code is the same authority, re-coded"
    # The Ofsted snapshot names all 153 authorities; with only seven left it must be re-imported.
    with pytest.raises(HubError, match="problem"):
        load_reference(project.reference, project.root)
    (project.reference / "ofsted.yml").unlink()
    (project.reference / "neighbours.yml").unlink()
    with pytest.raises(HubError) as missing:
        load_reference(project.reference, project.root)
    assert {p.message for p in missing.value.problems} == {
        "is missing; restore it from git or re-run its import command"
    }
    written = {
        a["slug"]: a
        for a in yaml.safe_load((project.reference / "authorities.yml").read_text(encoding="utf-8"))["authorities"]
    }
    assert written["bristol"]["official_name"] == "Bristol, City of"
    assert written["city-of-london"]["type"] == "city-of-london"
    assert written["isles-of-scilly"]["type"] == "isles-of-scilly"
    assert written["west-berkshire"]["region"] == "south-east"
    text = (project.reference / "authorities.yml").read_text(encoding="utf-8")
    assert "imported: '2026-01-02'" in text and "las.csv" in text


def test_bad_rows_are_reported_and_nothing_written(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = (project.reference / "authorities.yml").read_bytes()
    source = tmp_path / "las.csv"
    source.write_text(
        HEADER
        + "E06000037,West Berkshire,01/01/2009,,E12000099,E06,Unitary Authorities,live,869\n"
        + "E06000038,Reading,01/01/2009,,E12000008,E06,Unitary Authorities,live,86\n"
        + "E06000039,Slough,01/01/2009,,E12000008,E06,Unitary Authorities,live,869\n",
        encoding="utf-8",
    )
    with pytest.raises(HubError) as error:
        import_authorities(project.root, source, "las.csv", date(2026, 1, 2))
    messages = [str(p) for p in error.value.problems]
    assert any(m.startswith("las.csv:2: West Berkshire: region code 'E12000099'") for m in messages)
    assert any(m.startswith("las.csv:3: Reading: DfE code '86' is not three digits") for m in messages)
    assert any("dfe code '869' appears on more than one live row" in m for m in messages)
    assert (project.reference / "authorities.yml").read_bytes() == before


def test_wrong_file_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    source = tmp_path / "other.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(HubError, match="problem"):
        import_authorities(project.root, source, "other.csv", date(2026, 1, 2))


@pytest.mark.skipif(not (SHARED_REFERENCE / "dfe-las.csv").exists(), reason="../shared/reference is not present")
def test_committed_files_are_what_the_import_gives(tmp_path: Path) -> None:
    """Re-running the import on the recorded source reproduces the committed files."""
    project = copy_project(tmp_path)
    committed = (ROOT / "practice" / "reference" / "authorities.yml").read_text(encoding="utf-8")
    imported_on = next(line for line in committed.splitlines() if line.strip().startswith("imported:")).split("'")[1]
    shutil.copy(SHARED_REFERENCE / "dfe-las.csv", tmp_path / "dfe-las.csv")
    import_authorities(project.root, tmp_path / "dfe-las.csv", "dfe-las.csv", date.fromisoformat(imported_on))
    for name in ("authorities.yml", "former-authorities.yml"):
        assert (project.reference / name).read_text(encoding="utf-8") == (
            ROOT / "practice" / "reference" / name
        ).read_text(encoding="utf-8"), name
