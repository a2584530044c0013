"""`hub generate` and `hub build`: the pipeline, then the site."""

from __future__ import annotations

import argparse
import time

from hub import pipeline
from hub.core.progress import Progress
from hub.core.project import Project
from hub.publish.build import build_site, source_date_epoch


def generate(project: Project, args: argparse.Namespace) -> int:
    generated = pipeline.generate(project, args.today)
    report = generated.report
    print(
        f"Generated pages for {generated.studies} case studies: {report.written} written, {report.unchanged} "
        f"unchanged, {report.removed} removed."
    )
    return 0


def build(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    progress = Progress()  # a line per phase; a live counter too on a terminal (not in CI logs)
    generated = pipeline.generate(project, args.today, progress=progress)
    # The newest case study's date stands for "when": the same input builds the same bytes.
    build_site(
        project.config,
        project.site,
        source_date_epoch(generated.newest),
        progress=progress,
        engine=args.engine,
        jobs=args.jobs,
    )
    print(f"Built the site for {generated.studies:,} case studies into site/ in {time.perf_counter() - started:.1f} s.")
    return 0
