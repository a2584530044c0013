"""Nothing changed, nothing to do: the record of the last generate, to skip the next if it would
write the same pages.

After a successful generate, `.cache/hub/generate.json` records a fingerprint of everything the
pages are made from (each case-study file's bytes and every other entry in practice/, the
reference data, CONTRIBUTING.md, the date, this package's code and templates, the versions of
Python, Jinja and PyYAML, and the hand-written files that could clash with generated ones) and
the size and modification time of every generated file in docs/. When both still match, the
pages on disk are the ones a full run would write, so generate stops there (reading the files
costs a fraction of parsing and rendering them). Anything else — a missing or unreadable record,
one changed byte, a generated page edited or removed by hand — means a full run.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import yaml

from hub.core.project import Project, Site
from hub.load.files import editor_leftover, kind, read_listed, read_marker
from hub.write.docs import existing_generated, layout_problems, write_if_changed

RECORD = Path(".cache") / "hub" / "generate.json"
VERSION = 1
_CODE = Path(__file__).resolve().parents[1]  # the hub package: its code and templates


@dataclass(frozen=True)
class Record:
    inputs: str
    outputs: dict[str, list[int]]
    studies: int
    newest: str | None  # the newest case study's publication date, ISO
    version: int = VERSION

    @property
    def newest_date(self) -> date | None:
        return date.fromisoformat(self.newest) if self.newest else None


@dataclass(frozen=True)
class Inputs:
    fingerprint: str
    # The bytes of each file in practice/ read for the fingerprint, by name: a full run checks
    # these very bytes instead of reading the files again.
    practice: dict[str, bytes]
    site: Site  # where the site is published and by whom, for the feed


def inputs(project: Project, today: date) -> Inputs:
    """The fingerprint of everything generate reads."""
    digest = hashlib.sha256()
    kept: dict[str, bytes] = {}

    def add(label: str, data: bytes = b"") -> None:
        digest.update(len(label).to_bytes(4, "big") + label.encode("utf-8", "surrogateescape"))
        digest.update(len(data).to_bytes(8, "big") + data)

    add("versions", f"{VERSION} {platform.python_version()} {jinja2.__version__} {yaml.__version__}".encode())
    add("today", today.isoformat().encode())
    site = project.settings()
    add("site", repr(site).encode("utf-8", "surrogateescape"))
    for path in sorted(_CODE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            add(f"code {path.relative_to(_CODE).as_posix()}", path.read_bytes())
    practice = project.practice
    if not practice.is_dir() or practice.is_symlink():
        add(f"missing {practice}")
    else:
        shown = practice.relative_to(project.root).as_posix()
        with os.scandir(practice) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            if editor_leftover(entry.name):  # collect ignores them: a swap file changes no page
                continue
            what = kind(entry)
            marker, data = read_listed(entry.path) if what == "file" else (b"", None)
            if data is not None:
                kept[entry.name] = data
            add(f"{what} {shown}/{entry.name}", marker)
    reference = project.reference
    if not reference.is_dir() or reference.is_symlink():
        add(f"missing {reference}")
    else:
        for path in sorted(reference.rglob("*")):
            what = kind(path)
            add(f"{what} {path.relative_to(project.root).as_posix()}", read_marker(path) if what == "file" else b"")
    add("guide", read_marker(project.guide) if project.guide.is_file() else b"missing")
    # What write.plan refuses whatever the pages (linked folders, clashing pages): a run that
    # would stop must not be skipped.
    add("layout", "\n".join(map(str, layout_problems(project.docs, project.root))).encode("utf-8", "surrogateescape"))
    return Inputs(digest.hexdigest(), kept, site)


def outputs(docs: Path) -> dict[str, list[int]]:
    """Every generated file in docs/, with its size and modification time."""
    found = {}
    for relative, entry in existing_generated(docs).items():
        status = entry.stat(follow_symlinks=False)
        found[relative] = [status.st_size, status.st_mtime_ns]
    return found


def unchanged(project: Project, fingerprint: str) -> Record | None:
    """The last record, if the inputs and the generated files are exactly as it left them."""
    try:
        saved = Record(**json.loads((project.root / RECORD).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if saved.version != VERSION or saved.inputs != fingerprint or saved.outputs != outputs(project.docs):
        return None
    return saved


def save(project: Project, fingerprint: str, studies: int, newest: date | None, files: dict[str, list[int]]) -> None:
    """Record a successful generate; `files` are the generated files, as `outputs` lists them."""
    record = Record(fingerprint, dict(sorted(files.items())), studies, newest.isoformat() if newest else None)
    # vars, not asdict: asdict copies every value deeply, which a big hub's outputs make slow.
    write_if_changed(project.root / RECORD, json.dumps(vars(record), sort_keys=True) + "\n")
