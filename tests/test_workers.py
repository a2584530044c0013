"""Validate and generate on several processes: the same pages, the same problems, nothing left
behind when a worker fails. These tests fork real worker processes."""

from __future__ import annotations

import errno
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import hub.pipeline
import hub.write.docs
import hub.write.record
from conftest import GOLDEN_STUDIES, TODAY, VALID_STUDY, copy_project, snapshot, write_study
from hub.core import workers
from hub.core.problems import HubError
from hub.core.progress import Quiet
from hub.core.project import Project
from hub.pipeline import check, generate

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked only on Linux")


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two case studies or pages per task, so a small project makes many tasks to share out."""
    monkeypatch.setattr(hub.pipeline, "CHUNK", 2)


def golden(tmp_path: Path, name: str) -> Project:
    (tmp_path / name).mkdir()
    project = copy_project(tmp_path / name, studies=True)
    for path in GOLDEN_STUDIES:
        shutil.copy(path, project.practice / path.name)
    return project


def test_run_gives_results_in_task_order_from_other_processes() -> None:
    arrived: list[tuple[int, int]] = []
    results = workers.run(lambda index: (index, os.getpid()), 12, 2, done=arrived.append)
    assert [index for index, _ in results] == list(range(12))
    assert arrived == results, "done() sees each result in order"
    assert os.getpid() not in {pid for _, pid in results}, "the work was done in worker processes"


@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_here_once_while_the_workers_work(jobs: int) -> None:
    arrived: list[int] = []
    seen: list[tuple[int, int]] = []
    results = workers.run(
        lambda index: index, 8, jobs, done=arrived.append, meanwhile=lambda: seen.append((os.getpid(), len(arrived)))
    )
    assert results == list(range(8))
    # With workers, before any result is taken; in this process, after the tasks.
    assert seen == [(os.getpid(), 0 if jobs == 2 else 8)]


def test_a_failed_task_is_reported_after_the_others_ran() -> None:
    def task(index: int) -> int:
        if index == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return index * 10

    for jobs in (1, 2):
        with pytest.raises(workers.TaskFailed) as failed:
            workers.run(task, 6, jobs)
        assert isinstance(failed.value.error, OSError) and failed.value.error.errno == errno.ENOSPC
        assert failed.value.results == [0, 10, 20, None, 40, 50], f"jobs={jobs}: the other tasks' results, to undo"


def test_one_process_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)  # two cores, even on one
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert workers.auto_jobs(10_000) == 1, "forking a threaded process could deadlock"
    finally:
        stop.set()
        thread.join()
    # Alone (other tests may leave a server thread running in this process):
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    assert workers.auto_jobs(10_000) == 2
    assert workers.auto_jobs(workers.MIN_ITEMS_PER_JOB * 2 - 1) == 1, "each worker needs enough to do"


@pytest.mark.usefixtures("small_chunks")
def test_generate_on_two_processes_writes_the_same_pages(tmp_path: Path) -> None:
    one, two = golden(tmp_path, "one"), golden(tmp_path, "two")
    generate(one, TODAY, jobs=1)
    report = generate(two, TODAY, jobs=2).report
    assert snapshot(two.docs) == snapshot(one.docs)
    assert report.written == len(hub.write.docs.existing_generated(two.docs)) > 100, "every generated file, once"
    # The record of what the workers wrote matches the disk: the next run has nothing to do.
    assert hub.write.record.outputs(two.docs) == report.files
    assert generate(two, TODAY, jobs=2).report == hub.write.docs.WriteReport(0, report.written, 0)


@pytest.mark.usefixtures("small_chunks")
def test_check_on_two_processes_reports_every_problem_in_file_order(tmp_path: Path) -> None:
    project = golden(tmp_path, "p")
    for n in range(7):
        write_study(project, f"broken-{n}", VALID_STUDY.replace("evidence:", f"evidence_{n}:"))
    good = golden(tmp_path, "good")
    assert check(good, TODAY, jobs=2)[0].studies == check(good, TODAY, jobs=1)[0].studies
    errors = []
    for jobs in (1, 2):
        with pytest.raises(HubError) as raised:
            check(project, TODAY, jobs=jobs)
        errors.append([str(problem) for problem in raised.value.problems])
    assert errors[0] == errors[1]
    assert [line.split(":")[0] for line in errors[1] if "evidence_" in line] == [
        f"practice/broken-{n}.yml" for n in range(7)
    ]


@pytest.mark.usefixtures("small_chunks")
def test_checked_case_studies_come_back_pointing_at_the_same_reference_data(tmp_path: Path) -> None:
    catalogue = check(golden(tmp_path, "p"), TODAY, jobs=2)[0]
    for study in catalogue.studies:
        for theme in study.themes:
            assert theme is catalogue.ref.themes[theme.slug]
        for authority in study.lead.authorities:
            assert authority is catalogue.ref.authorities[authority.slug]
            assert authority.region is catalogue.ref.regions[authority.region.slug]
        assert study.evidence.level is catalogue.ref.evidence_levels[study.evidence.level.slug]


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("fail_at", ["practice/index.md", "data/case-studies.json", "themes/family-networks.md"])
def test_a_worker_that_cannot_write_leaves_docs_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    project = golden(tmp_path, "p")
    generate(project, TODAY, jobs=2)
    before = snapshot(project.docs)
    write_study(project, "new-one", VALID_STUDY)
    real_stage = hub.write.docs._stage

    def full_disk(path: Path, data: bytes) -> Path:
        if path.relative_to(project.docs).as_posix() == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_stage(path, data)

    monkeypatch.setattr(hub.write.docs, "_stage", full_disk)  # the forked workers inherit it
    with pytest.raises(OSError, match="No space"):
        generate(project, TODAY, jobs=2)
    assert snapshot(project.docs) == before, "nothing changed, no temporary file left behind"
    assert not [p for p in project.docs.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("count", [4, 5_000])  # many: the worker may die while tasks are still handed out
def test_a_worker_that_dies_is_reported_not_waited_for(count: int) -> None:
    def task(index: int) -> int:
        if index == 1:
            os._exit(9)  # as if killed: no exception, no result
        return index

    with pytest.raises(workers.TaskFailed) as failed:
        workers.run(task, count, 2)
    assert isinstance(failed.value.error, workers.WorkerLost)
    assert len(failed.value.results) == count and failed.value.results[1] is None


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("first_run", [True, False])
def test_hub_says_when_a_worker_died_and_leaves_docs_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], first_run: bool
) -> None:
    project = golden(tmp_path, "p")
    if not first_run:
        generate(project, TODAY, jobs=2)
    before = snapshot(project.docs)
    write_study(project, "new-one", VALID_STUDY)
    real_fill = hub.write.docs._fill

    def killed(fd: int, path: Path, data: bytes) -> os.stat_result:
        status = real_fill(fd, path, data)
        if path.name.startswith(("family-networks.md", ".family-networks.md.")):
            os._exit(9)  # after writing its temporary file, or its page in a folder being built
        return status

    monkeypatch.setattr(hub.write.docs, "_fill", killed)
    monkeypatch.setattr(workers, "auto_jobs", lambda items: 2)
    monkeypatch.chdir(project.root)
    from hub.commands.cli import main

    assert main(["--today", TODAY.isoformat(), "generate"]) == 1
    assert "hub: a worker process stopped before it finished" in capsys.readouterr().err
    after = snapshot(project.docs)
    leftovers = [name for name in after if name not in before]
    if first_run:
        assert after == before, "the folders this run made are gone, with what the dead worker left in them"
    else:
        assert leftovers and all(
            name.rsplit("/", 1)[-1].startswith(".") and name.endswith(".tmp") for name in leftovers
        ), "only the dead worker's own temporary files, which the next run removes"
        assert {name: data for name, data in after.items() if name in before} == before
    monkeypatch.setattr(hub.write.docs, "_fill", real_fill)
    generate(project, TODAY, jobs=2)
    assert not [p for p in project.docs.rglob("*.tmp")], "the next run cleans up"


class _Interrupt(Quiet):
    """Ctrl-C while the pages' results come in: after the third task of the generate phase."""

    def tick(self, count: int = 1) -> None:
        super().tick(count)
        if self.phase == "generate" and self.done > 3 * hub.pipeline.CHUNK:
            raise KeyboardInterrupt


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("first_run", [True, False])
def test_an_interrupted_generate_leaves_docs_as_it_was(tmp_path: Path, first_run: bool) -> None:
    project = golden(tmp_path, "p")
    if not first_run:
        generate(project, TODAY, jobs=2)
        write_study(project, "new-one", VALID_STUDY)
    before = snapshot(project.docs)
    with pytest.raises(KeyboardInterrupt):
        generate(project, TODAY, progress=_Interrupt(), jobs=2)
    assert snapshot(project.docs) == before, "no page changed, no staged copy left, no new folder"
    assert {p.name for p in project.docs.iterdir() if p.is_dir()} == {
        name.split("/")[0] for name in before if "/" in name
    }


def test_the_collector_is_paused_for_a_run_and_back_after_it_even_after_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    seen = []
    real_jobs = hub.pipeline.render.jobs

    def jobs(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real_jobs(*args)

    monkeypatch.setattr(hub.pipeline.render, "jobs", jobs)
    project = golden(tmp_path, "p")
    generate(project, TODAY, jobs=1)
    assert seen == [False], "paused while generate runs"
    assert gc.isenabled(), "and back on after it"
    write_study(project, "broken", VALID_STUDY.replace("evidence:", "evidence_x:"))
    with pytest.raises(HubError):
        generate(project, TODAY, jobs=1)
    assert gc.isenabled(), "a failed run leaves the collector on"
    gc.disable()
    try:
        with workers.collector_paused():
            pass
        assert not gc.isenabled(), "a collector paused by the caller stays paused"
    finally:
        gc.enable()
