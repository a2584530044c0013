"""The pipeline, in the order it runs:

    practice/*.yml  -> collect   (which files are case studies; symlinks and odd names refused)
                    -> load      (yamlsafe: hardened YAML into plain trees)
                    -> validate  (every problem in every file; stop once, before writing)
                    -> index     (Hub: cross-references)
                    -> render    (Jinja templates -> {docs path: Markdown})
                    -> write     (generated folders only; only what changed; stale pages removed)
                    -> site      (mkdocs build --strict into a scratch folder, on every core
                                  (shards), then swap into site/)

`check` runs the first four steps, `generate` the first six (or none, when `stamp` shows that
nothing they read has changed since the last run); `site.build_site` does the last.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import stamp
from .index import Hub
from .model import CaseStudy
from .opendata import open_data
from .problems import HubError, Problem
from .progress import Progress, Quiet
from .reference import load_reference
from .render import render_site
from .validate import case_study, vocabularies
from .values import slug_problem
from .write import WriteReport, write_pages
from .yamlsafe import load_file

# Files in practice/ that are not case studies and need no warning.
QUIET_FILES = frozenset({"README.md", ".gitkeep", ".DS_Store"})
REFERENCE_DIR = "reference"


@dataclass(frozen=True)
class Project:
    """Where things are. Every other path is derived from `root`."""

    root: Path

    @property
    def practice(self) -> Path:
        return self.root / "practice"

    @property
    def reference(self) -> Path:
        return self.practice / REFERENCE_DIR

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def guide(self) -> Path:
        return self.root / "CONTRIBUTING.md"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    def shown(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def collect(project: Project) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """The case-study files in practice/, as (slug, path), and problems with any other entry."""
    problems: list[Problem] = []
    found: list[tuple[str, Path]] = []
    if not project.practice.is_dir():
        return [], [Problem("practice", 0, 0, "folder is missing")]
    for path in sorted(project.practice.iterdir()):
        shown = project.shown(path)
        if path.is_symlink():
            problems.append(Problem(shown, 0, 0, "is a symbolic link; links are never followed — replace it with the real file"))
        elif path.is_dir():
            if path.name != REFERENCE_DIR:
                problems.append(Problem(shown, 0, 0, "is a folder; case studies go directly in practice/, one .yml file each"))
        elif not path.is_file():  # a named pipe or device: opening it could block for ever
            problems.append(Problem(shown, 0, 0, "is not a regular file; practice/ holds only .yml case-study files"))
        elif path.suffix == ".yml":
            why = slug_problem(path.stem)
            if why:
                problems.append(Problem(shown, 0, 0, why))
            else:
                found.append((path.stem, path))
        elif path.suffix.lower() in (".yaml", ".yml"):
            problems.append(Problem(shown, 0, 0, f"rename it to {path.stem}.yml (case studies end in lower-case .yml)"))
        elif path.name not in QUIET_FILES:
            problems.append(Problem(shown, 0, 0, "is not a case study; practice/ holds only .yml case-study files"))
    return found, problems


def check(project: Project, today: date, progress: Progress | None = None, since: float | None = None) -> tuple[Hub, int]:
    """Load and validate everything; raise HubError with every problem, or return the Hub.
    `since` (perf_counter) is when the validate phase began, if before this call."""
    ref = load_reference(project.reference, project.root)
    files, problems = collect(project)
    vocab = vocabularies(ref)
    studies: list[CaseStudy] = []
    progress = progress or Quiet()
    progress.start("validate", len(files), "case studies", since=since)
    for slug, path in files:
        progress.tick()
        shown = project.shown(path)
        tree, found = load_file(path, shown)
        problems.extend(found)
        if tree is None:
            continue
        study, found = case_study(tree, slug, shown, ref, today, vocab)
        problems.extend(found)
        if study is not None:
            studies.append(study)
    problems.extend(_alias_problems(studies))
    if problems:
        raise HubError(problems)
    return Hub.build(ref, studies, today), len(files)


def _alias_problems(studies: list[CaseStudy]) -> list[Problem]:
    """Every page address is used once: an alias may not repeat a slug or another alias."""
    owner = {s.slug: s.source for s in studies}
    problems = []
    for study in studies:
        for alias in study.aliases:
            if alias in owner:
                other = owner[alias]
                what = "listed twice or is its own file name" if other == study.source else f"already used by {other}"
                problems.append(Problem(study.source, 0, 0, f"alias '{alias}' is {what}; an alias must be a page address no longer in use"))
            else:
                owner[alias] = study.source
    return problems


@dataclass(frozen=True)
class Generated:
    studies: int
    newest: date | None  # the newest case study's publication date
    report: WriteReport


def generate(project: Project, today: date, phases: dict[str, float] | None = None,
             progress: Progress | None = None) -> Generated:
    """Check, render and write, unless nothing changed since the last time (`stamp`); `phases`,
    when given, receives the seconds of each step, and `progress` shows them as they go."""
    phases = {} if phases is None else phases
    progress = progress or Quiet()
    started = time.perf_counter()
    fingerprint = stamp.inputs(project, today)
    saved = stamp.unchanged(project, fingerprint)
    if saved is not None:
        progress.start("validate", saved.studies, "case studies", since=started)
        phases["validate"] = progress.finish("unchanged since the last generate")
        progress.start("generate", len(saved.outputs), "pages")
        phases["generate"] = progress.finish("nothing to write")
        return Generated(saved.studies, saved.newest_date, WriteReport(0, len(saved.outputs), 0))
    hub, _ = check(project, today, progress, since=started)
    phases["validate"] = progress.finish()
    progress.start("generate", 0, "pages")
    try:
        guide = project.guide.read_text(encoding="utf-8")
    except OSError:
        raise HubError([Problem(project.shown(project.guide), 0, 0, "is missing; the site's Contribute page is made from it")]) from None
    pages = render_site(hub, guide, progress.tick) | open_data(hub)
    report = write_pages(project.docs, pages, project.root)
    newest = max((s.published for s in hub.studies), default=None)
    stamp.save(project, fingerprint, len(hub.studies), newest)
    phases["generate"] = progress.finish(f"{report.written:,} written, {report.removed:,} removed", count=len(pages))
    return Generated(len(hub.studies), newest, report)
