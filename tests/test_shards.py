"""MkDocs in several processes (`hub build --jobs N`, `hub.shards`) writes exactly what one
process writes, and still catches every broken link to an anchor, whichever process rendered
the page it points at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import GOLDEN_STUDIES, copy_project, run_hub, stable_site
from hub.core.project import Project
from hub.publish import shards
from hub.publish.shards import MIN_PAGES_PER_JOB, auto_jobs


def run_build(project: Project, jobs: int) -> int:
    return run_hub(project, "build", "--jobs", str(jobs))


@pytest.fixture(scope="module")
def golden_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The fixed collection and the golden case studies, not yet built."""
    project = copy_project(tmp_path_factory.mktemp("shards"), studies=True)
    for path in GOLDEN_STUDIES:
        shutil.copy(path, project.practice / path.name)
    return project


def test_three_processes_write_the_same_bytes_as_one(golden_project: Project) -> None:
    assert run_build(golden_project, 1) == 0
    alone = stable_site(golden_project.site)
    assert run_build(golden_project, 3) == 0
    shared = stable_site(golden_project.site)
    assert len(alone) > 200 and "sitemap.xml" in alone and "404.html" in alone
    assert sorted(shared) == sorted(alone), "the same files"
    different = [name for name in alone if shared[name] != alone[name]]
    assert different == [], f"these differ: {different[:5]}"
    assert (golden_project.site / "pagefind" / "pagefind.js").is_file()


def test_an_unproved_mkdocs_builds_in_one_process_with_a_notice(
    golden_project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert shards.mkdocs_version() in shards.PROVED_WITH, "the pinned MkDocs is one the parallel build is proved with"
    monkeypatch.setattr(shards, "mkdocs_version", lambda: "1.6.99")
    started: list[int] = []
    real_build = shards.build
    monkeypatch.setattr(shards, "build", lambda *args, **kwargs: started.append(1) or real_build(*args, **kwargs))
    assert run_build(golden_project, 3) == 0
    assert started == [], "no worker processes"
    err = capsys.readouterr().err
    assert "MkDocs 1.6.99 is not a release the parallel build is proved with (1.6.1); building in one process" in err


def adjacent_case_studies(project: Project) -> tuple[str, str]:
    """Two case studies next to each other in path order: with two processes, each renders one."""
    slugs = sorted(p.stem for p in project.practice.glob("*.yml"))
    return slugs[0], slugs[1]


def test_links_to_anchors_on_either_process_pages_are_checked(
    golden_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = adjacent_case_studies(golden_project)
    privacy = golden_project.docs / "privacy.md"  # a hand-written page outside the navigation: shared out too
    original = privacy.read_text(encoding="utf-8")
    about = golden_project.docs / "about.md"  # in the navigation: every process reads it
    original_about = about.read_text(encoding="utf-8")
    try:
        good = f"\n[one](practice/{first}.md#summary) and [two](practice/{second}.md#summary)\n"
        privacy.write_text(original + good, encoding="utf-8")
        about.write_text(original_about + good, encoding="utf-8")
        assert run_build(golden_project, 2) == 0, "links to anchors that exist pass"
        built = stable_site(golden_project.site)

        bad = f"\n[one](practice/{first}.md#no-such-part) and [two](practice/{second}.md#no-such-part)\n"
        privacy.write_text(original + bad, encoding="utf-8")
        about.write_text(original_about + bad, encoding="utf-8")
        capsys.readouterr()
        assert run_build(golden_project, 2) == 1
        errors = capsys.readouterr().err.splitlines()
        missing = [line for line in errors if "does not contain an anchor '#no-such-part'" in line]
        line = bad.strip()

        def where(page: str, slug: str) -> str:
            """The broken link's place in the hand-written page: line and column of its target."""
            text = (original_about if page == "about.md" else original) + bad
            number = text.split("\n").index(line) + 1
            return f"docs/{page}:{number}:{line.find(f'](practice/{slug}.md#') + 3}"

        assert sorted(missing) == sorted(
            f"{where(page, slug)}: MkDocs: Doc file '{page}' contains a link 'practice/{slug}.md#no-such-part', "
            f"but the doc 'practice/{slug}.md' does not contain an anchor '#no-such-part'."
            for page in ("about.md", "privacy.md")
            for slug in (first, second)
        ), "each broken link once, whichever process rendered its target"
        assert stable_site(golden_project.site) == built, "a failed build leaves site/ as it was"
    finally:
        privacy.write_text(original, encoding="utf-8")
        about.write_text(original_about, encoding="utf-8")


def test_small_sites_build_in_one_process() -> None:
    assert auto_jobs(0) == 1
    assert auto_jobs(MIN_PAGES_PER_JOB - 1) == 1
    assert 1 <= auto_jobs(100 * MIN_PAGES_PER_JOB) <= 100


def test_jobs_must_be_a_positive_number(golden_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_build(golden_project, 0)
    assert "'0' is not a whole number of 1 or more" in capsys.readouterr().err


def test_a_worker_that_dies_is_reported_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.publish import shards

    monkeypatch.setattr(shards.sys, "executable", "/bin/false")  # every worker exits at once, saying nothing
    with pytest.raises(shards.BuildFailed) as failed:
        shards.build(tmp_path / "mkdocs.yml", tmp_path, 2)
    assert failed.value.messages == ["a build worker stopped unexpectedly: exit code 1"], "reported once"


def test_a_worker_error_is_reported(tmp_path: Path) -> None:
    from hub.publish import shards

    with pytest.raises(shards.BuildFailed) as failed:
        shards.build(tmp_path / "missing.yml", tmp_path / "site", 2)
    assert len(failed.value.messages) == 1 and "missing.yml" in failed.value.messages[0]
