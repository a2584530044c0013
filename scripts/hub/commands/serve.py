"""`hub serve`: a live preview. Edit a YAML file and the page reloads in the browser.

We regenerate `docs/` whenever something in `practice/` changes; MkDocs' own server notices the
changed pages, rebuilds and reloads the browser (livereload is passed explicitly: with recent
click versions MkDocs 1.6 otherwise leaves it off). Because unchanged pages are never rewritten,
a regeneration that changes nothing triggers no rebuild, so the two never loop. A file with
problems is reported in the terminal and the last good pages stay up.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from datetime import date

from mkdocs.commands.serve import serve as mkdocs_serve
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from hub.core.problems import HubError, summary_line
from hub.core.project import Project
from hub.load.files import editor_leftover
from hub.pipeline import generate


class _Regenerate(FileSystemEventHandler):
    def __init__(self, project: Project, today: date) -> None:
        self.project = project
        self.today = today
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if all(editor_leftover(os.path.basename(os.fsdecode(path))) for path in paths if path):
            return  # an editor's swap or backup file: no page changes
        with self.lock:  # editors save in bursts: wait for the last write
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(0.2, self.run)
            self.timer.start()

    def run(self) -> None:
        try:
            report = generate(self.project, self.today).report
        except HubError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print(
                summary_line(len(error.problems), len({p.path for p in error.problems}))
                + " The preview shows the last good version.",
                file=sys.stderr,
            )
            return
        if report.written or report.removed:
            print(f"hub: {report.written} page(s) updated, {report.removed} removed.", file=sys.stderr)


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("A 'dirty' build is being performed")


class _Ready(logging.Handler):
    """Say where the preview is once MkDocs serves it (MkDocs logs "[time] Serving on URL")."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Serving on " in message:
            url = message.split("Serving on ", 1)[1].split()[0]
            print(
                f"hub: the preview is at {url}; it reloads as you edit practice/*.yml. It has no search "
                "(`make build` builds the site with its search index). Ctrl-C stops it.",
                file=sys.stderr,
                flush=True,
            )


def serve(project: Project, today: date, dev_addr: str) -> int:
    generate(project, today)  # problems here stop before the server starts
    # Pages say they are a preview, so the search box says why it has no results (mkdocs.yml's
    # `extra.preview`); a built site never has this set.
    os.environ["HUB_PREVIEW"] = "true"
    ready = logging.getLogger("mkdocs.livereload")
    ready.setLevel(logging.INFO)
    ready.addHandler(_Ready())
    observer = Observer()
    observer.schedule(_Regenerate(project, today), str(project.practice), recursive=True)
    observer.start()
    try:
        # Dirty rebuilds: MkDocs rebuilds only the pages whose Markdown changed, and the hub
        # rewrites only the pages whose content changed, so an edit costs a handful of pages.
        # (MkDocs' warning about navigation going stale does not apply: the hub's navigation
        # lists fixed index pages only.)
        logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
        mkdocs_serve(str(project.config), livereload=True, build_type="dirty", dev_addr=dev_addr)
    finally:
        observer.stop()
        observer.join()
    return 0


def command(project: Project, args: argparse.Namespace) -> int:
    return serve(project, args.today, args.dev_addr)
