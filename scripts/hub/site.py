"""Last step of the pipeline: `mkdocs build --strict` into a scratch folder, then swap it in.

MkDocs empties its output folder before building and aborts only after writing, so building
straight into `site/` would leave a half-built or broken site behind. We build into a fresh
`.site-*` folder beside it, scan the HTML for anything active (`scan.py`), and replace `site/`
only when the strict build and the scan both succeeded.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from . import searchcheck, shards
from .problems import HubError, Problem
from .progress import Progress, Quiet
from .scan import scan_site


def peak_mib() -> float:
    """The most memory this process, or any one process it waited for, has held (MiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


class _Count(logging.Handler):
    """Counts MkDocs' per-page debug message ("Building page …") for progress."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.DEBUG)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, str) and record.msg.startswith("Building page "):
            self.progress.tick()


def build_site(config: Path, site: Path, source_date: int | None = None, progress: Progress | None = None,
               engine: str = "mkdocs", jobs: int = 0) -> float:
    """Build the site strictly; on success `site` holds it, on failure `site` is untouched.

    `source_date` (seconds since 1970) is the date MkDocs writes into the sitemap, so the same
    input gives the same bytes on any day; `SOURCE_DATE_EPOCH` in the environment wins.
    `progress` shows (and times) each step. `jobs` is how many processes MkDocs renders pages
    in (0: one per core when the site is big enough to gain from it; see `shards`). Returns the
    peak memory (MiB, `peak_mib`) before the search index was built, for `hub bench`.
    """
    progress = progress or Quiet()
    scratch = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))
    scratch.chmod(0o755)  # mkdtemp makes folders private; the site is published
    collector = shards.Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    epoch_set = source_date is not None and "SOURCE_DATE_EPOCH" not in os.environ
    if epoch_set:
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date)
    try:
        pages = sum(1 for _ in (config.parent / "docs").rglob("*.md"))
        if engine == "zensical":
            progress.start("zensical", pages, "pages")
            _zensical(config, scratch)
            progress.finish()
            site_url = str(load_config(config_file=str(config))["site_url"] or "")  # as MkDocs reads it
        else:
            site_url = _mkdocs(config, scratch, pages, collector, progress, jobs or shards.auto_jobs(pages))

        # Pagefind (its own process, writing only into pagefind/, which holds no HTML) indexes
        # the pages while this process scans them, so the two share the machine's cores.
        html = sorted(scratch.rglob("*.html"))
        before_index = peak_mib()  # Pagefind's indexer is by far the biggest process at scale
        started = time.perf_counter()
        indexer = start_index(scratch)
        progress.start("scan", len(html), "pages")
        findings = scan_site(scratch, urlsplit(site_url).path, pages=html, tick=progress.tick, engine=engine)
        progress.finish("(while Pagefind indexes)")
        progress.start("search index", len(html), "pages", since=started)
        finish_index(indexer, scratch, html)
        progress.finish("(Pagefind, from the start of the scan)")
        if findings:
            raise HubError(findings)
        _swap(scratch, site)
        return before_index
    finally:
        if epoch_set:
            del os.environ["SOURCE_DATE_EPOCH"]
        logger.removeHandler(collector)
        if scratch.exists():
            shutil.rmtree(scratch)


def _failed(config: Path, messages: list[str]) -> HubError:
    return HubError(Problem(config.name, 0, 0, f"MkDocs: {m}") for m in messages)


def _mkdocs(config: Path, scratch: Path, pages: int, collector: shards.Collect, progress: Progress, jobs: int) -> str:
    """`mkdocs build --strict` into `scratch`, in `jobs` processes; the site_url it was built for."""
    if jobs > 1:
        progress.start("mkdocs", pages, "pages")
        try:
            site_url = shards.build(config, scratch, jobs, progress.tick)
        except shards.BuildFailed as failed:
            raise _failed(config, failed.messages) from None
        progress.finish(f"({jobs} processes)")
        return site_url
    counter = _Count(progress)
    build_logger = logging.getLogger("mkdocs.commands.build")
    level = build_logger.level
    if progress.live:  # the per-page messages are debug messages: ask for them only to count them
        build_logger.setLevel(logging.DEBUG)
        build_logger.addHandler(counter)
    try:
        progress.start("mkdocs", pages, "pages")
        settings = load_config(config_file=str(config), site_dir=str(scratch), strict=True)
        build(settings)
        progress.finish()
    except (MkDocsException, OSError) as error:
        messages = collector.messages or [str(error)]
        raise _failed(config, messages) from None
    finally:
        build_logger.removeHandler(counter)
        build_logger.setLevel(level)
    if collector.messages:  # a warning that strict mode did not turn into an abort
        raise _failed(config, collector.messages)
    return str(settings["site_url"] or "")


def _zensical(config: Path, scratch: Path) -> None:
    """`zensical build --strict` of the same configuration into `scratch` (Zensical reads
    mkdocs.yml; its output folder is set in a copy beside it, so relative paths still hold)."""
    if importlib.util.find_spec("zensical") is None:
        raise HubError([Problem(config.name, 0, 0, "Zensical is not installed: run `make install` (requirements.txt pins it) to build with it")])
    copy = config.with_name(".hub-zensical.yml")
    copy.write_text(config.read_text(encoding="utf-8") + f"\nsite_dir: {json.dumps(str(scratch))}\n", encoding="utf-8")
    try:
        command = [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", str(copy)]
        result = subprocess.run(command, cwd=config.parent, capture_output=True, text=True, check=False)
    finally:
        copy.unlink(missing_ok=True)
    if result.returncode != 0 or not (scratch / "index.html").is_file():
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()][-5:]
        raise HubError(Problem(config.name, 0, 0, f"Zensical: {line.strip()}") for line in lines or ["the build failed"])


# Pagefind's Linux build (the one pagefind_bin ships) allocates with jemalloc, which by default
# keeps freed memory for ten seconds in case it is wanted again. Indexing frees a lot as it goes,
# so handing it back at once lowers the peak by a fifth (1,083 to 867 MiB at 5,000 case studies)
# for about a second. jemalloc reads this variable at start; other builds ignore it, and a value
# already in the environment wins.
PAGEFIND_MALLOC = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")


def start_index(folder: Path) -> subprocess.Popen[str]:
    """Start building Pagefind's search index, split into small pieces that each search fetches
    as it needs them."""
    return subprocess.Popen(
        [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=index_environment(),
    )


def index_environment() -> dict[str, str]:
    name, value = PAGEFIND_MALLOC
    return {name: value, **os.environ}


def finish_index(indexer: subprocess.Popen[str], folder: Path, pages: list[Path]) -> None:
    """Wait for Pagefind, then check that the index it wrote is whole and finds the built
    `pages` (`searchcheck`): it exits 0 even when a full disk cut its files short."""
    out, err = indexer.communicate()
    if indexer.returncode != 0 or not (folder / "pagefind" / "pagefind.js").is_file():
        message = (err or out).strip() or "no index was written"
        raise HubError([Problem("site", 0, 0, f"the search index could not be built (Pagefind: {message})")])
    try:
        searchcheck.check(folder, *searchcheck.expected(pages))
    except searchcheck.Incomplete as error:
        raise HubError([Problem("site/pagefind", 0, 0, f"the search index is incomplete ({error}); check the disk has space, then build again")]) from None


def _swap(new: Path, site: Path) -> None:
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
        site.rename(old / "site")
    new.rename(site)
    if old is not None:
        shutil.rmtree(old)
