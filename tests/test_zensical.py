"""Zensical, Material's successor, builds the same generated docs/ into the same set of pages.

Skipped when Zensical is not installed (`make install-dev` installs the version requirements-dev.txt
pins); `.ci/run` and the check workflow install it, so CI always runs it.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from conftest import GOLDEN_STUDIES, ON_GITHUB, build, copy_project
from hub.core.project import Project

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None and not ON_GITHUB,
    reason="Zensical is not installed: `make install-dev` installs it (requirements-dev.txt) to run the Zensical "
    "build test",
)


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def build_with(project: Project, engine: str, *extra: Path) -> Path:
    build(project, *extra, options=("--engine", engine))
    kept = project.root / f"site-{engine}"
    shutil.copytree(project.site, kept)
    return kept


def test_zensical_builds_the_same_pages_and_passes_the_scan(tmp_path: Path) -> None:
    project = copy_project(tmp_path, studies=True)
    material = build_with(project, "mkdocs", *GOLDEN_STUDIES)
    zensical = build_with(project, "zensical")  # the HTML scan and Pagefind run on it too
    assert pages(zensical) == pages(material)
    assert len(pages(material)) > 190
    study = (zensical / "practice" / "kinship-first-in-the-south-east" / "index.html").read_text(encoding="utf-8")
    assert "Kinship first" in study and "data-pagefind-filter" in study
    assert (zensical / "pagefind" / "pagefind.js").is_file()
    assert not (project.root / ".hub-zensical.yml").exists(), "the temporary configuration is removed"
