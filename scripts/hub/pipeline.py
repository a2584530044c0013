"""The pipeline, in the order it runs:

    practice/*.yml  -> collect   (which files are case studies; links and odd names refused)
                    -> load      (load/: hardened YAML into plain trees)
                    -> validate  (model/: every problem in every file; stop once, before writing)
                    -> catalogue (model/catalogue.py: who did what, cross-references)
                    -> render    (render/: Jinja templates -> {docs path: Markdown})
                    -> write     (write/: generated folders only; only what changed; stale pages removed)

`check` runs the first four steps, `generate` all six (or none, when `write.record` shows that
nothing they read has changed since the last run); `publish.build.build_site` then builds the
site. On a big hub, load and validate, then render and write, are shared between processes
(`core.workers`): one per core, with the same result as one process.
"""

from __future__ import annotations

import io
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from hub.core import workers
from hub.core.problems import HubError, Problem
from hub.core.progress import Progress, Quiet
from hub.core.project import REFERENCE_DIR, UNNAMED, Project, Site
from hub.load.files import editor_leftover, open_listed, read_up_to
from hub.load.yamlsafe import decode, load_bytes, load_file
from hub.model.catalogue import Catalogue
from hub.model.copies import Mark, copies, marks
from hub.model.records import Authority, CaseStudy, EvidenceLevel, Programme, Reference, Region, Theme
from hub.model.reference import load_reference
from hub.model.validate import case_study
from hub.model.values import slug_problem
from hub.model.vocabularies import vocabularies
from hub.render import pages as render
from hub.render.opendata import OPEN_DATA_FILES, open_data
from hub.write import docs as write
from hub.write import record
from hub.write.docs import WriteReport

# Files in practice/ that are not case studies and need no warning.
QUIET_FILES = frozenset({"README.md", ".gitkeep", ".DS_Store"})


def collect(project: Project) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """The case-study files in practice/, as (slug, path), and problems with any other entry."""
    problems: list[Problem] = []
    found: list[tuple[str, Path]] = []
    if project.practice.is_symlink():
        return [], [
            Problem(
                "practice",
                0,
                0,
                "is a symbolic link; links are never followed — make practice/ a real folder in the project",
            )
        ]
    if not project.practice.is_dir():
        return [], [Problem("practice", 0, 0, "folder is missing")]
    folder = project.shown(project.practice)
    with os.scandir(project.practice) as listing:  # an entry knows a link, folder or file without asking the disk
        entries = sorted((entry for entry in listing if not editor_leftover(entry.name)), key=lambda entry: entry.name)
    for entry in entries:
        path, shown = Path(entry.path), f"{folder}/{entry.name}"
        if entry.is_symlink():
            problems.append(
                Problem(shown, 0, 0, "is a symbolic link; links are never followed — replace it with the real file")
            )
        elif entry.is_dir():
            if path.name != REFERENCE_DIR:
                problems.append(
                    Problem(shown, 0, 0, "is a folder; case studies go directly in practice/, one .yml file each")
                )
        elif not entry.is_file():  # a named pipe or device: opening it could block for ever
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


CHUNK = 100  # case studies or pages per task handed to a worker


@workers.collector_paused()
def check(
    project: Project,
    today: date,
    progress: Progress | None = None,
    since: float | None = None,
    jobs: int | None = None,
    contents: dict[str, bytes] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[Catalogue, int]:
    """Load and validate everything; raise HubError with every problem, or return the Catalogue.
    `since` (perf_counter) is when the validate phase began, if before this call; `jobs` is how
    many processes read and check the files (default: `workers.auto_jobs`); `contents` holds
    files of practice/ already read, by name (the others are read here); `meanwhile()` is work
    of the caller's for this process to do while the workers check (see `workers.run`)."""
    ref = load_reference(project.reference, project.root)
    files, problems = collect(project)
    vocab = vocabularies(ref)
    progress = progress or Quiet()
    progress.start("validate", len(files), "case studies", since=since)
    chunks = [files[start : start + CHUNK] for start in range(0, len(files), CHUNK)]

    folder = project.shown(project.practice)

    def task(index: int) -> list[tuple[CaseStudy | None, list[Problem], tuple[Mark, ...]]]:
        checked: list[tuple[CaseStudy | None, list[Problem], tuple[Mark, ...]]] = []
        for slug, path in chunks[index]:
            shown = f"{folder}/{path.name}"
            data = contents.get(path.name) if contents else None
            tree, found = load_file(path, shown) if data is None else load_bytes(data, shown)
            study: CaseStudy | None = None
            fingerprints: tuple[Mark, ...] = ()
            if tree is not None:
                study, more = case_study(tree, slug, shown, ref, today, vocab)
                found = found + more
                fingerprints = marks(tree)
            checked.append((study, found, fingerprints))
        return checked

    carrier = _Carrier(ref)
    try:
        checked = workers.run(
            task,
            len(chunks),
            workers.auto_jobs(len(files)) if jobs is None else jobs,
            done=lambda chunk: progress.tick(len(chunk)),
            pack=carrier.pack,
            unpack=carrier.unpack,
            meanwhile=meanwhile,
        )
    except workers.TaskFailed as failed:
        failed.reraise()
    studies: list[CaseStudy] = []
    marked: list[tuple[str, tuple[Mark, ...]]] = []
    for chunk, listed in zip(checked, chunks, strict=True):
        for (study, found, fingerprints), (_, path) in zip(chunk, listed, strict=True):
            problems.extend(found)
            if study is not None:
                studies.append(study)
            marked.append((f"{folder}/{path.name}", fingerprints))
    problems.extend(_alias_problems(studies))
    problems.extend(copies(marked))
    if problems:
        raise HubError(problems)
    return Catalogue.build(ref, studies, today), len(files)


class _Carrier:
    """Sends checked case studies between processes by pickle, with the reference data they
    point to (authorities, regions, themes, evidence levels) sent as slugs and looked up again
    on arrival: smaller and faster than copies, and the same objects as the parent's."""

    def __init__(self, ref: Reference) -> None:
        self.tables: dict[type, tuple[str, dict[str, Any]]] = {
            Authority: ("authority", {**ref.authorities, **ref.former}),
            Region: ("region", ref.regions),
            Theme: ("theme", ref.themes),
            EvidenceLevel: ("evidence", ref.evidence_levels),
            Programme: ("programme", ref.programmes),
        }
        self.by_kind = dict(self.tables.values())

    def pack(self, value: object) -> bytes:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        tables = self.tables

        def persistent_id(obj: object) -> tuple[str, str] | None:
            found = tables.get(type(obj))
            return None if found is None else (found[0], obj.slug)  # type: ignore[attr-defined]

        pickler.persistent_id = persistent_id  # type: ignore[method-assign]
        pickler.dump(value)
        return out.getvalue()

    def unpack(self, data: bytes) -> Any:
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = lambda key: self.by_kind[key[0]][key[1]]  # type: ignore[method-assign]
        return unpickler.load()


def _alias_problems(studies: list[CaseStudy]) -> list[Problem]:
    """Every page address is used once: an alias may not repeat a slug or another alias."""
    owner = {s.slug: s.source for s in studies}
    problems = []
    for study in studies:
        places = study.alias_places or ((0, 0),) * len(study.aliases)
        for alias, (line, col) in zip(study.aliases, places, strict=True):
            if alias not in owner:
                owner[alias] = study.source
                continue
            other = owner[alias]
            if alias == study.slug:
                what = "this file's own name; an alias is an address the case study had before, so remove it"
            elif other == study.source:
                what = "listed twice; keep one"
            else:
                what = f"already the address of {other}; an alias must be a page address no longer in use"
            problems.append(Problem(study.source, line, col, f"alias '{alias}' is {what}"))
    return problems


GUIDE_LIMIT = 4 * 1024 * 1024  # CONTRIBUTING.md, as a page: far more than any guide needs


def read_guide(project: Project) -> str:
    """CONTRIBUTING.md, which the site publishes as its Contribute page: a real file in the
    project (never through a link), UTF-8 text with only characters that show as themselves."""
    shown = project.shown(project.guide)
    if project.guide.is_symlink():
        link = "is a symbolic link; links are never followed — replace it with the real file"
        raise HubError([Problem(shown, 0, 0, link)])
    try:
        fd = open_listed(str(project.guide))
        try:
            data = read_up_to(fd, GUIDE_LIMIT + 1, os.fstat(fd).st_size)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise HubError([Problem(shown, 0, 0, "is missing; the site's Contribute page is made from it")]) from None
    except OSError as error:
        raise HubError([Problem(shown, 0, 0, f"cannot be read: {error.strerror}")]) from None
    if len(data) > GUIDE_LIMIT:
        raise HubError([Problem(shown, 0, 0, f"is larger than {GUIDE_LIMIT // 1024 // 1024} MiB; shorten it")])
    text, problems = decode(data, shown)
    if text is None or problems:
        raise HubError(problems)
    return text


@dataclass(frozen=True)
class Generated:
    studies: int
    newest: date | None  # the newest case study's publication date
    report: WriteReport


@workers.collector_paused()
def generate(project: Project, today: date, progress: Progress | None = None, jobs: int | None = None) -> Generated:
    """Check, render and write, unless nothing changed since the last time (`write.record`); `progress`
    shows (and times) each step, and `jobs` sets how many processes do the work (default:
    `workers.auto_jobs`)."""
    progress = progress or Quiet()
    started = time.perf_counter()
    read = record.inputs(project, today)
    fingerprint = read.fingerprint
    saved = record.unchanged(project, fingerprint)
    if saved is not None:
        progress.start("validate", saved.studies, "case studies", since=started)
        progress.finish("unchanged since the last generate")
        progress.start("generate", len(saved.outputs), "pages")
        progress.finish("nothing to write")
        return Generated(saved.studies, saved.newest_date, WriteReport(0, len(saved.outputs), 0))
    templates = render.environment()
    # Compiled while the workers check, and shared with those that render when they fork.
    catalogue, _ = check(
        project,
        today,
        progress,
        since=started,
        jobs=jobs,
        contents=read.practice,
        meanwhile=lambda: render.load_pages(templates),
    )
    progress.finish()
    guide = read_guide(project)
    report = _render_and_write(project, catalogue, guide, progress, jobs, templates, read.site)
    newest = max((s.published for s in catalogue.studies), default=None)
    record.save(project, fingerprint, len(catalogue.studies), newest, report.files)
    progress.finish(f"{report.written:,} written, {report.removed:,} removed", count=report.written + report.unchanged)
    return Generated(len(catalogue.studies), newest, report)


def _render_and_write(
    project: Project,
    catalogue: Catalogue,
    guide: str,
    progress: Progress,
    jobs: int | None,
    templates: jinja2.Environment,
    site: Site = UNNAMED,
) -> WriteReport:
    """Render every page and write those that changed, all or nothing (see `write`). The
    workers that render the pages also compare and stage them; this process moves them into
    place. `templates` is a `render.environment()` for the renderers to take over; `site`, where
    the site is published and by whom, goes into the feed."""
    to_render = render.jobs(catalogue, guide)
    paths = [job.path for job in to_render] + list(OPEN_DATA_FILES)
    progress.start("generate", len(paths), "pages")
    docs = project.docs
    stale = write.plan(docs, paths, project.root)
    folders = write.make_folders(docs, paths)
    chunks = [to_render[start : start + CHUNK] for start in range(0, len(to_render), CHUNK)]
    renderer: render.Renderer | None = None

    def task(index: int) -> list[write.Staged]:
        if index == 0:  # the biggest task first, while the others share out the pages
            files = open_data(catalogue, site)
            assert list(files) == list(OPEN_DATA_FILES), "open data files not as planned"
            return write.stage(docs, files, folders)
        nonlocal renderer
        renderer = renderer or render.Renderer(catalogue, templates)  # one per process, with its cache of list items
        return write.stage(docs, {job.path: renderer.render(job) for job in chunks[index - 1]}, folders)

    try:
        staged = workers.run(
            task,
            len(chunks) + 1,
            workers.auto_jobs(len(paths)) if jobs is None else jobs,
            done=lambda done: progress.tick(len(done)),
        )
    except workers.TaskFailed as failed:
        write.abandon(page for done in failed.results if done for page in done)
        write.remove_folders(folders)
        failed.reraise()
    return write.commit(docs, [page for done in staged for page in done], stale, folders)
