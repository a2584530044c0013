"""Last step of the pipeline: `mkdocs build --strict` into a scratch folder, then swap it in.

MkDocs empties its output folder before building and aborts only after writing, so building
straight into `site/` would leave a half-built or broken site behind. We build into a fresh
`.site-*` folder beside it, scan the HTML for anything active (`scan.py`), and replace `site/`
only when the strict build and the scan both succeeded.
"""

from __future__ import annotations

import logging
import os
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

from .problems import HubError, Problem
from .scan import scan_site


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(config: Path, site: Path, source_date: int | None = None, phases: dict[str, float] | None = None) -> None:
    """Build the site strictly; on success `site` holds it, on failure `site` is untouched.

    `source_date` (seconds since 1970) is the date MkDocs writes into the sitemap, so the same
    input gives the same bytes on any day; `SOURCE_DATE_EPOCH` in the environment wins.
    `phases`, when given, receives the seconds each step took (mkdocs, search index, scan).
    """
    phases = {} if phases is None else phases
    scratch = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))
    scratch.chmod(0o755)  # mkdtemp makes folders private; the site is published
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    epoch_set = source_date is not None and "SOURCE_DATE_EPOCH" not in os.environ
    if epoch_set:
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date)
    try:
        try:
            started = time.perf_counter()
            settings = load_config(config_file=str(config), site_dir=str(scratch), strict=True)
            build(settings)
            phases["mkdocs"] = time.perf_counter() - started
        except (MkDocsException, OSError) as error:
            messages = collector.messages or [str(error)]
            shown = config.name
            raise HubError(Problem(shown, 0, 0, f"MkDocs: {m}") for m in messages) from None
        if collector.messages:  # a warning that strict mode did not turn into an abort
            raise HubError(Problem(config.name, 0, 0, f"MkDocs: {m}") for m in collector.messages)
        started = time.perf_counter()
        index_site(scratch)
        phases["search index"] = time.perf_counter() - started
        started = time.perf_counter()
        findings = scan_site(scratch, urlsplit(settings["site_url"] or "").path)
        phases["scan"] = time.perf_counter() - started
        if findings:
            raise HubError(findings)
        _swap(scratch, site)
    finally:
        if epoch_set:
            del os.environ["SOURCE_DATE_EPOCH"]
        logger.removeHandler(collector)
        if scratch.exists():
            shutil.rmtree(scratch)


def index_site(folder: Path) -> None:
    """Pagefind's search index, split into small pieces that each search fetches as it needs them."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0 or not (folder / "pagefind" / "pagefind.js").is_file():
        message = (result.stderr or result.stdout).strip() or "no index was written"
        raise HubError([Problem("site", 0, 0, f"the search index could not be built (Pagefind: {message})")])


def _swap(new: Path, site: Path) -> None:
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
        site.rename(old / "site")
    new.rename(site)
    if old is not None:
        shutil.rmtree(old)
