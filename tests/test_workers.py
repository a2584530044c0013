"""Validate and generate on several processes: the same pages, the same problems, nothing left
behind when a worker fails. These tests fork real worker processes."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
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
            assert authority is {**catalogue.ref.authorities, **catalogue.ref.former}[authority.slug]
            assert authority.region is catalogue.ref.regions[authority.region.slug]
        assert study.evidence.level is catalogue.ref.evidence_levels[study.evidence.level.slug]


# A real fault, not a patched function: `generate` in a process of its own whose files may not
# grow past a size (RLIMIT_FSIZE), which its forked workers inherit. Writing past it fails with
# EFBIG ("File too large") when SIGXFSZ is ignored, as a full disk fails a write, or kills the
# process that writes, as the out-of-memory killer would.
_LIMITED_GENERATE = """
import resource, signal, sys
from datetime import date
from pathlib import Path
import hub.pipeline
from hub.core.project import Project
from hub.pipeline import generate
hub.pipeline.CHUNK = 2  # many small tasks, shared between the two workers
limit, fault = int(sys.argv[2]), sys.argv[3]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN if fault == "full" else signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
generate(Project(Path(sys.argv[1])), date.fromisoformat(sys.argv[4]), jobs=2)
"""


def limited_generate(project: Project, limit: int, fault: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", _LIMITED_GENERATE, str(project.root), str(limit), fault, TODAY.isoformat()]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("too_big", ["median", "practice/index.md", "data/case-studies.json"])
def test_a_worker_that_cannot_write_leaves_docs_as_it_was(tmp_path: Path, too_big: str) -> None:
    """Pages larger than a page of this size cannot be written (a new case study makes the
    named pages longer): many of them, or a few."""
    project = golden(tmp_path, "p")
    generate(project, TODAY, jobs=2)
    before = snapshot(project.docs)
    sizes = sorted(len(data) for data in before.values())
    limit = (sizes[len(sizes) // 2] if too_big == "median" else len(before[too_big])) - 1
    write_study(project, "new-one", VALID_STUDY)
    result = limited_generate(project, limit, "full")
    assert result.returncode != 0 and "File too large" in result.stderr, result.stderr
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


@pytest.mark.parametrize("first_run", [True, False])
def test_a_worker_killed_as_it_writes_leaves_docs_as_it_was(tmp_path: Path, first_run: bool) -> None:
    project = golden(tmp_path, "p")
    generate(project, TODAY, jobs=2)
    # The open data grows with the new case study: the worker writing it is killed.
    limit = len((project.docs / "data" / "case-studies.json").read_bytes()) - 1
    if first_run:
        shutil.rmtree(project.root / ".cache")
        for generated in ("practice", "authorities", "regions", "themes", "data"):
            shutil.rmtree(project.docs / generated)
    before = snapshot(project.docs)
    write_study(project, "new-one", VALID_STUDY)
    result = limited_generate(project, limit, "killed")
    assert result.returncode != 0 and "a worker process stopped before it finished" in result.stderr, result.stderr
    after = snapshot(project.docs)
    leftovers = [name for name in after if name not in before]
    if first_run:
        assert after == before, "the folders this run made are gone, with what the dead worker left in them"
    else:
        assert all(name.rsplit("/", 1)[-1].startswith(".") and name.endswith(".tmp") for name in leftovers), (
            "only the dead worker's own temporary files, which the next run removes"
        )
        assert {name: data for name, data in after.items() if name in before} == before
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
