"""The search index is never published broken: `hub build` reads back what Pagefind wrote and
finds every case study through it before `site/` is replaced."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project, run_hub, snapshot
from hub.core.project import Project
from hub.publish import build as site_module
from hub.publish import searchcheck


def counts(site: Path) -> tuple[int, int]:
    return searchcheck.expected(sorted(site.rglob("*.html")))


def test_the_built_index_is_complete_and_finds_every_case_study(built_site: Project) -> None:
    indexed, studies = counts(built_site.site)
    assert studies == len(list((built_site.practice).glob("*.yml"))) > 0
    assert indexed > studies
    searchcheck.check(built_site.site, indexed, studies)
    with pytest.raises(searchcheck.Incomplete, match="finds"):
        searchcheck.check(built_site.site, indexed, studies + 1)
    with pytest.raises(searchcheck.Incomplete, match="holds"):
        searchcheck.check(built_site.site, indexed + 1, studies)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _halve(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


DAMAGE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "empty fragment": ("fragment/*.pf_fragment", _empty),
    "cut index chunk": ("index/*.pf_index", _halve),
    "empty filter": ("filter/*.pf_filter", _empty),
    "empty metadata": ("pagefind.*.pf_meta", _empty),
    "empty entry": ("pagefind-entry.json", _empty),
    "empty WebAssembly": ("wasm.en.pagefind", _empty),
    "missing fragment": ("fragment/*.pf_fragment", Path.unlink),
    "empty worker": ("pagefind-worker.js", _empty),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_index_is_found(built_site: Project, tmp_path: Path, damage: str) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    pattern, spoil = DAMAGE[damage]
    for path in sorted((site / "pagefind").glob(pattern)):
        spoil(path)
    with pytest.raises(searchcheck.Incomplete):
        searchcheck.check(site, *counts(site))


def test_a_full_disk_while_pagefind_runs_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pagefind on a full disk writes empty files and exits 0: the build fails, site/ stays."""
    project = copy_project(tmp_path, studies=True)
    monkeypatch.chdir(tmp_path)
    assert run_hub(tmp_path, "build") == 0
    before = snapshot(project.site)
    start = site_module.start_index

    def full_disk(folder: Path) -> subprocess.Popen[str]:
        start(folder).communicate()
        for path in (folder / "pagefind" / "fragment").glob("*.pf_fragment"):
            path.write_bytes(b"")
        return subprocess.Popen([sys.executable, "-c", ""], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    monkeypatch.setattr(site_module, "start_index", full_disk)
    assert run_hub(tmp_path, "build") == 1
    err = capsys.readouterr().err
    assert "site/pagefind: the search index is incomplete" in err and "Traceback" not in err
    assert snapshot(project.site) == before
    assert not list(tmp_path.glob(".site-*"))


@pytest.mark.parametrize(
    ("first", "last", "holds"),
    [
        ("her", "hub", True),  # Pagefind's bounds are prefixes: this chunk ends with "hubcasestudi"
        ("hubcasestudi", "zone", True),
        ("a", "zone", True),
        ("hu", "hubc", True),
        ("hubd", "zone", False),
        ("a", "hua", False),
        ("hubcasestue", "zone", False),
    ],
)
def test_the_chunk_a_search_would_fetch_is_found_by_pagefinds_rule(first: str, last: str, holds: bool) -> None:
    assert searchcheck.may_hold(first, last) is holds
