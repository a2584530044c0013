"""Last step of the pipeline: `mkdocs build --strict` into a scratch folder, then swap it in.

MkDocs empties its output folder before building and aborts only after writing, so building
straight into `site/` would leave a half-built or broken site behind. We build into a fresh
`.site-*` folder beside it, scan the HTML for anything active (`scan.py`), and replace `site/`
only when the strict build and the scan both succeeded.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from hub.core.problems import HubError, Problem, printable
from hub.core.progress import Progress, Quiet
from hub.publish import searchcheck, shards
from hub.publish.scan import scan_site


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


# What MkDocs publishes from: the pages and files of docs/ and the theme's overrides/.
PUBLISHED_FOLDERS = ("docs", "overrides")
# gzip, which writes sitemap.xml.gz, keeps the source date in 32 unsigned bits.
_EPOCH_RANGE = (0, 2**32 - 1)


def source_date_epoch(newest: date | None) -> int | None:
    """The seconds since 1970 that stand for the newest case study's date, within what the
    sitemap's gzip header can hold."""
    if newest is None:
        return None
    seconds = int(datetime.combine(newest, datetime.min.time(), tzinfo=UTC).timestamp())
    return min(max(seconds, _EPOCH_RANGE[0]), _EPOCH_RANGE[1])


def link_problems(root: Path) -> list[Problem]:
    """Symbolic links and other files that are not regular files or folders in what MkDocs
    publishes: MkDocs would follow a link and publish whatever it points to (/etc/passwd, say)."""
    problems = []

    def refuse(path: str, why: str) -> None:
        problems.append(Problem(printable(Path(path).relative_to(root).as_posix()), 0, 0, why))

    def walk(folder: str) -> None:
        with os.scandir(folder) as listing:
            for entry in listing:  # an entry knows a link without asking the disk
                if entry.is_symlink():
                    refuse(
                        entry.path,
                        "is a symbolic link; the site publishes only real files inside the project "
                        "(a link could publish a file from elsewhere on this computer): put the file itself here",
                    )
                elif entry.is_dir():
                    walk(entry.path)
                elif not entry.is_file():
                    refuse(entry.path, "is not a regular file (a pipe or device); remove it")

    for name in PUBLISHED_FOLDERS:
        top = root / name
        if top.is_symlink():
            refuse(str(top), f"is a symbolic link; make {name}/ a real folder in the project")
        elif top.is_dir():
            walk(str(top))
    return sorted(problems)


def build_site(
    config: Path,
    site: Path,
    source_date: int | None = None,
    progress: Progress | None = None,
    engine: str = "mkdocs",
    jobs: int = 0,
) -> float:
    """Build the site strictly; on success `site` holds it, on failure `site` is untouched.

    `source_date` (seconds since 1970) is the date MkDocs writes into the sitemap, so the same
    input gives the same bytes on any day; `SOURCE_DATE_EPOCH` in the environment wins.
    `progress` shows (and times) each step. `jobs` is how many processes MkDocs renders pages
    in (0: one per core when the site is big enough to gain from it; see `shards`). Returns the
    peak memory (MiB, `peak_mib`) before the search index was built, for `hub bench`.
    """
    progress = progress or Quiet()
    problems = link_problems(config.parent)
    if problems:
        raise HubError(problems)
    recover(site)
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=site.parent))
    scratch.chmod(0o755)  # mkdtemp makes folders private; the site is published
    # Everything published is readable by the web server and by readers, whatever the umask.
    umask = os.umask(0o022)
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
            site_url = _mkdocs(config, scratch, pages, collector, progress, _jobs(jobs, pages))

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
        os.umask(umask)
        if epoch_set:
            del os.environ["SOURCE_DATE_EPOCH"]
        logger.removeHandler(collector)
        if scratch.exists():
            shutil.rmtree(scratch)


def _jobs(asked: int, pages: int) -> int:
    """How many MkDocs processes to build in: as asked (0: as many as help), or one when the
    installed MkDocs is not a release the parallel build was proved with."""
    jobs = asked or shards.auto_jobs(pages)
    if jobs > 1 and not shards.parallel_supported():
        proved = ", ".join(sorted(shards.PROVED_WITH))
        print(
            f"hub: MkDocs {shards.mkdocs_version()} is not a release the parallel build is proved with ({proved}); "
            "building in one process",
            file=sys.stderr,
        )
        return 1
    return jobs


# MkDocs names the page a broken link is on: "Doc file 'about.md' contains a link 'x.md', ...".
_DOC_FILE = re.compile(r"^Doc file '([^']+)' contains (?:a|an absolute|an unrecognized relative) link '([^']*)'")


def _failed(config: Path, messages: list[str]) -> HubError:
    return HubError(_where(config, message) for message in messages)


def _where(config: Path, message: str) -> Problem:
    """A problem MkDocs found, placed in the file to mend where it names one: a hand-written page
    in docs/, or CONTRIBUTING.md for the Contribute page made from it (the hub's own pages link
    only to pages that exist), at the first line that holds the link."""
    found = _DOC_FILE.match(message)
    if found is None:
        return Problem(config.name, 0, 0, f"MkDocs: {message}")
    page, link = found.groups()
    source = config.parent / ("CONTRIBUTING.md" if page == "contribute.md" else f"docs/{page}")
    line = col = 0
    try:
        for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            at = text.find(f"]({link}")
            at = at + 2 if at >= 0 else text.find(link)  # the link's target, in [text](target)
            if at >= 0:
                line, col = number, at + 1
                break
    except (OSError, UnicodeDecodeError):
        pass
    return Problem(source.relative_to(config.parent).as_posix(), line, col, f"MkDocs: {message}")


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
        raise HubError(
            [
                Problem(
                    config.name,
                    0,
                    0,
                    "Zensical is not installed: run `make install-dev` (requirements-dev.txt pins it) to build with it",
                )
            ]
        )
    copy = config.with_name(".hub-zensical.yml")
    copy.write_text(config.read_text(encoding="utf-8") + f"\nsite_dir: {json.dumps(str(scratch))}\n", encoding="utf-8")
    try:
        command = [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", str(copy)]
        result = subprocess.run(command, cwd=config.parent, capture_output=True, text=True, check=False)
    finally:
        copy.unlink(missing_ok=True)
    if result.returncode != 0 or not (scratch / "index.html").is_file():
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()][-5:]
        raise HubError(
            Problem(config.name, 0, 0, f"Zensical: {line.strip()}") for line in lines or ["the build failed"]
        )


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
        # Headings' "¶" permalinks are not text: left in, every excerpt reads "Summary¶ In ...".
        [sys.executable, "-m", "pagefind", "--site", str(folder), "--exclude-selectors", ".headerlink", "--silent"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=index_environment(),
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
        raise HubError(
            [
                Problem(
                    "site/pagefind",
                    0,
                    0,
                    f"the search index is incomplete ({error}); check the disk has space, then build again",
                )
            ]
        ) from None


SCRATCH_PREFIX = ".site-"  # a build's scratch folder, and the old site while it is swapped out
_OLD_PREFIX = ".site-old-"


def recover(site: Path) -> None:
    """Tidy what a build that was stopped (killed, or the machine lost power) left beside
    `site`: put back a site it had moved aside and not replaced, and remove its scratch
    folders. The caller holds the project's lock (`lock.py`), so no other build owns them."""
    leftovers = sorted(site.parent.glob(SCRATCH_PREFIX + "*"))
    if not site.exists():
        for folder in leftovers:
            if folder.name.startswith(_OLD_PREFIX) and (folder / "site").is_dir():
                (folder / "site").rename(site)
                break
    for folder in leftovers:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def _swap(new: Path, site: Path) -> None:
    """Replace `site` with `new` by two renames. Ctrl-C or a termination signal waits until
    both are done, so the project is never left without a site; a harder stop in between is
    mended by the next build (`recover`)."""
    old = None
    with _signals_held():
        if site.exists():
            old = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX, dir=site.parent))
            site.rename(old / "site")
        new.rename(site)
    if old is not None:
        shutil.rmtree(old)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done, then deliver them. A handler, not a
    signal mask: Python runs handlers in the main thread whichever thread the signal reaches."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can set handlers; the command line's swap runs there
        return
    caught: list[int] = []
    previous = {
        number: signal.signal(number, lambda number, frame: caught.append(number))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        if caught:
            signal.raise_signal(caught[0])
