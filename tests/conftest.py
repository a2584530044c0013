"""Shared fixtures: a throw-away copy of the project with the real reference data."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from hub import bench
from hub.pipeline import Project

ROOT = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A fixed "today" so date rules give the same answer on every run.
TODAY = date(2026, 11, 22)

VALID_STUDY = """\
title: Family group conferences before proceedings
summary: >-
  An authority offered every family a family group conference before care proceedings.
challenge: >-
  Too many children entered care without their wider family being asked to help.
what_we_did: >-
  Coordinators offered a conference to every family at the start of pre-proceedings.
impact: >-
  More children stayed with their families.
evidence:
  level: promising
  details: >-
    The authority's own data.
led_by:
  authority: west-berkshire
themes:
  - family-networks
contact:
  role: Head of service
  email: family.help@example.gov.uk
published: 2026-03-31
sources:
  - title: Annual report
    url: https://www.example.gov.uk/report
"""


def copy_project(target: Path, *, studies: bool = False) -> Project:
    """Copy what a build needs (config, overrides, hand-written docs, reference data)."""
    project = bench.copy_project(Project(ROOT), target)
    if studies:
        for path in (ROOT / "practice").glob("*.yml"):
            shutil.copy(path, target / "practice" / path.name)
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty hub (reference data only) in a temporary folder."""
    return copy_project(tmp_path)


def write_study(project: Project, slug: str, text: str | bytes) -> Path:
    path = project.practice / f"{slug}.yml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files in tests/fixtures/golden/expected")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def build(project: Project, *extra: Path) -> Project:
    """Copy `extra` case-study files into the project and run `hub build` there, at TODAY."""
    from hub.cli import main

    for path in extra:
        shutil.copy(path, project.practice / path.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.root)
        assert main(["--today", TODAY.isoformat(), "build"]) == 0, "the strict build and the scan pass"
    return project


GOLDEN_STUDIES = sorted((FIXTURES / "golden" / "practice").glob("*.yml"))
