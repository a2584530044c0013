"""MkDocs on every core: the same strict build, its pages shared between worker processes.

MkDocs renders one page at a time in one process, and converting Markdown is most of a large
hub's build. Pages outside the navigation (case studies, authorities, regions, themes) need
nothing from one another to be rendered, so each of N workers runs the ordinary
`mkdocs.commands.build.build` over the whole configuration but converts and writes only its
share of them (every Nth, in path order). The few pages in the navigation are read by every
worker (each page's navigation shows their titles) and written by the first, which alone also
copies the theme's files and writes 404.html and the sitemap.

What MkDocs checks across pages still holds: each worker reports its warnings, the anchors its
pages hold and its links to anchors on pages another worker rendered, and `build` checks those
links here as MkDocs would have. The output is byte for byte what one process writes
(tests/test_shards.py compares them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import json
import logging
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.core import workers

MIN_PAGES_PER_JOB = 200  # below this a second process costs more than it saves
# The MkDocs releases whose private functions `_build_share` replaces, proved to build byte for
# byte what one process builds (tests/test_shards.py). With any other, the build runs in one
# process (`parallel_supported`), and pyproject.toml caps MkDocs below its next minor release.
PROVED_WITH = frozenset({"1.6.1"})
PAGE_DONE = "."  # a worker prints one per page written


def mkdocs_version() -> str:
    return importlib.metadata.version("mkdocs")


def parallel_supported() -> bool:
    """Whether the installed MkDocs is one the parallel build was proved with."""
    return mkdocs_version() in PROVED_WITH


def auto_jobs(pages: int) -> int:
    """Workers for a site of `pages` pages: one per available core, each with enough to do."""
    return workers.share(pages, MIN_PAGES_PER_JOB)


@dataclass
class Report:
    """What one worker sends back."""

    warnings: list[str] = field(default_factory=list)
    error: str = ""
    site_url: str = ""
    anchors: dict[str, list[str]] = field(default_factory=dict)  # page -> anchor ids, for pages it rendered alone
    pending: list[list[str]] = field(default_factory=list)  # [from, to, anchor, link], left unchecked here
    anchor_level: int = logging.WARNING


class BuildFailed(Exception):
    """The build stopped; `messages` says why, one line each."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def build(config: Path, site_dir: Path, jobs: int, tick: Callable[[int], None] | None = None) -> str:
    """Build `config` into the empty folder `site_dir` with `jobs` workers; return the site_url
    it was built for, or raise BuildFailed with every warning and error, once each."""
    with contextlib.ExitStack() as stack:
        # A worker's stderr goes to a file, not a pipe: a pipe nobody reads until stdout ends
        # could fill up and stop the worker.
        logs = [
            stack.enter_context(tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace"))
            for _ in range(jobs)
        ]
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "hub.publish.shards", str(config), str(site_dir), str(index), str(jobs)],
                stdout=subprocess.PIPE,
                stderr=logs[index],
                text=True,
            )
            for index in range(jobs)
        ]
        outputs = _follow(workers, tick)
        reports: list[Report] = []
        crashed: list[str] = []
        for worker, output, log in zip(workers, outputs, logs, strict=True):
            try:
                reports.append(Report(**json.loads(output[-1])))
            except (ValueError, TypeError, IndexError):
                log.seek(0)
                last = [line for line in log.read().splitlines() if line.strip()][-1:] or [
                    f"exit code {worker.returncode}"
                ]
                crashed.append(f"a build worker stopped unexpectedly: {last[0].strip()}")
    messages = _unique(
        [m for r in reports for m in r.warnings]
        + _unchecked_anchors(reports)
        + [r.error for r in reports if r.error]
        + crashed
    )
    if messages:
        raise BuildFailed(messages)
    return reports[0].site_url


def _follow(workers: list[subprocess.Popen[str]], tick: Callable[[int], None] | None) -> list[list[str]]:
    """Read every worker's output until it ends, counting pages as they are written; each
    worker's lines other than the counting ones."""
    lock = threading.Lock()
    outputs: list[list[str]] = [[] for _ in workers]

    def follow(worker: subprocess.Popen[str], output: list[str]) -> None:
        assert worker.stdout is not None
        for line in worker.stdout:  # lines of dots as pages are written, then the report
            if line.startswith(PAGE_DONE):
                if tick is not None:
                    with lock:
                        tick(len(line.strip()))
            else:
                output.append(line)
        worker.wait()

    readers = [threading.Thread(target=follow, args=pair, daemon=True) for pair in zip(workers, outputs, strict=True)]
    try:
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
    finally:  # interrupted: stop the workers too
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    return outputs


def _unique(messages: list[str]) -> list[str]:
    """Pages in the navigation are read by every worker, so their warnings come once from each."""
    return list(dict.fromkeys(messages))


def _unchecked_anchors(reports: list[Report]) -> list[str]:
    """MkDocs' own message for each link to a missing anchor on a page another worker rendered."""
    anchors = {page: set(ids) for r in reports for page, ids in r.anchors.items()}
    messages = []
    for report in reports:
        if report.anchor_level < logging.WARNING:
            continue
        for source, target, anchor, link in report.pending:
            if target in anchors and anchor not in anchors[target]:
                messages.append(
                    f"Doc file '{source}' contains a link '{link}', but the doc '{target}' does not contain an "
                    f"anchor '#{anchor}'."
                )
    return messages


class Collect(logging.Handler):
    """Keeps MkDocs' warnings so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def main(argv: list[str]) -> int:
    """One worker (`python -m hub.publish.shards CONFIG SITE_DIR INDEX JOBS`): the ordinary MkDocs build,
    told which pages are its own; prints a line of dots as pages are written, then its report."""
    config_file, site_dir, index, jobs = argv[0], argv[1], int(argv[2]), int(argv[3])
    report = Report()
    collector = Collect()
    logging.getLogger("mkdocs").addHandler(collector)
    written = _Dots()
    try:
        _build_share(config_file, site_dir, index, jobs, written, report)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which turns it into a problem
        from mkdocs.exceptions import Abort

        if not (isinstance(error, Abort) and collector.messages):
            report.error = str(error) or traceback.format_exception_only(error)[-1].strip()
    written.flush()
    report.warnings = collector.messages
    sys.stdout.write(json.dumps(dataclasses.asdict(report)) + "\n")
    return 0


class _Dots:
    """Counts written pages to the parent: a line of dots at most every REFRESH seconds."""

    REFRESH = 0.1

    def __init__(self) -> None:
        self.count = 0
        self.sent = time.perf_counter()

    def __call__(self) -> None:
        self.count += 1
        if time.perf_counter() - self.sent >= self.REFRESH:
            self.flush()

    def flush(self) -> None:
        if self.count:
            sys.stdout.write(PAGE_DONE * self.count + "\n")
            sys.stdout.flush()
        self.count = 0
        self.sent = time.perf_counter()


def _build_share(
    config_file: str, site_dir: str, index: int, jobs: int, written: Callable[[], None], report: Report
) -> None:
    from mkdocs import utils
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    owner: dict[str, int] = {}  # page path -> the worker that renders it; missing: in the navigation
    state: dict[str, Any] = {}

    populate = mkdocs_build._populate_page
    build_page = mkdocs_build._build_page
    build_theme_template = mkdocs_build._build_theme_template
    build_extra_template = mkdocs_build._build_extra_template
    copy_static_files = Files.copy_static_files

    def share_out(files: Any, config: Any) -> Any:
        nav = get_navigation(files, config)
        in_nav = {page.file.src_uri for page in nav.pages}
        others = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in in_nav)
        owner.update((uri, n % jobs) for n, uri in enumerate(others))
        state["files"] = files
        return nav

    def reads(page: Page) -> bool:
        return owner.get(page.file.src_uri, index) == index

    def writes(page: Page) -> bool:
        return owner.get(page.file.src_uri, 0) == index

    def populate_share(page: Page, *args: Any, **kwargs: Any) -> None:
        if reads(page):
            populate(page, *args, **kwargs)

    def build_share(page: Page, *args: Any, **kwargs: Any) -> None:
        if writes(page):
            build_page(page, *args, **kwargs)
            written()

    def first_only(function: Callable[..., None]) -> Callable[..., None]:
        def wrapped(*args: Any, **kwargs: Any) -> None:
            if index == 0:
                function(*args, **kwargs)

        return wrapped

    # This process is the worker's own: these replacements end with it.
    mkdocs_build.get_navigation = share_out  # type: ignore[attr-defined]  # build() looks it up here
    mkdocs_build._populate_page = populate_share
    mkdocs_build._build_page = build_share
    mkdocs_build._build_theme_template = first_only(build_theme_template)
    mkdocs_build._build_extra_template = first_only(build_extra_template)
    Files.copy_static_files = first_only(copy_static_files)  # type: ignore[method-assign]
    utils.clean_directory = lambda directory: None  # the parent hands over an empty folder

    settings = load_config(config_file=config_file, site_dir=site_dir, strict=True)
    report.site_url = str(settings["site_url"] or "")
    report.anchor_level = settings.validation.links.anchors
    try:
        mkdocs_build.build(settings)
    finally:  # strict mode stops the build after its last check: report anchors even then
        if "files" in state:
            _anchors(state["files"], owner, writes, report)


def _anchors(files: Any, owner: dict[str, int], writes: Callable[[Any], bool], report: Report) -> None:
    """The anchors on this worker's own pages, and its links to anchors on other workers' pages."""
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.present_anchor_ids is None or not writes(page):
            continue
        if file.src_uri in owner:
            report.anchors[file.src_uri] = sorted(page.present_anchor_ids)
        for target, links in (page.links_to_anchors or {}).items():
            if target.page is not None and target.page.present_anchor_ids is None:  # another worker's page
                report.pending.extend([file.src_uri, target.src_uri, anchor, link] for anchor, link in links.items())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
