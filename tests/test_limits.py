"""Limits that hold: huge inputs give a clear error or a bounded result, never a hang or a blow-up."""

from __future__ import annotations

import tracemalloc

import pytest

from conftest import TODAY, VALID_STUDY, copy_project, write_study
from hub.core.problems import HubError
from hub.core.project import Project
from hub.load.yamlsafe import MAX_BYTES
from hub.pipeline import check


def problems_of(project: Project) -> list[str]:
    with pytest.raises(HubError) as error:
        check(project, TODAY)
    return [str(p) for p in error.value.problems]


def test_a_200_kb_field_is_refused_with_its_length(project: Project) -> None:
    write_study(
        project, "big-field", VALID_STUDY.replace("  More children stayed with their families.", "  " + "x" * 200_000)
    )
    (message,) = problems_of(project)
    assert "'impact' is 200000 characters long; the limit is 5000" in message


def test_a_1_mb_file_is_refused_without_reading_it_all(project: Project) -> None:
    write_study(project, "big-file", VALID_STUDY + "# " + "x" * (1024 * 1024) + "\n")
    tracemalloc.start()
    (message,) = problems_of(project)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert f"is larger than {MAX_BYTES // 1024} KiB" in message
    assert peak < 8 * 1024 * 1024, "memory stays bounded"


def test_10000_themes_are_refused_at_once(project: Project) -> None:
    themes = "".join("  - family-help\n" for _ in range(10_000))
    write_study(project, "many-themes", VALID_STUDY.replace("  - family-networks\n", themes))
    (message,) = problems_of(project)
    assert "'themes' has 10000 items; the most allowed is 4" in message


def test_10000_files_report_every_problem(project: Project, tmp_path_factory: pytest.TempPathFactory) -> None:
    single = copy_project(tmp_path_factory.mktemp("single"))
    (single.practice / "study.yml").write_text("title: x\n", encoding="utf-8")
    per_file = len(problems_of(single))
    for n in range(10_000):
        (project.practice / f"study-{n}.yml").write_text(f"title: x{n}\n", encoding="utf-8")  # no two alike
    assert len(problems_of(project)) == 10_000 * per_file
