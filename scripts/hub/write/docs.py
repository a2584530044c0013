"""Step 6 of the pipeline: write generated pages into `docs/`, touching only what changed.

The hub owns a few folders and files under `docs/` (`GENERATED`); every page it writes starts
with the `MARK` front-matter line. A file without the mark is hand-written: it is never
overwritten or removed, and finding one where a generated page belongs stops the build before
anything is written. Unchanged files are not rewritten (so `mkdocs serve` does not loop), stale
generated pages are removed, and each file is replaced atomically.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hub.core.problems import HubError, Problem
from hub.core.project import DATA_DIR, DATA_MARKER, GENERATED_DIRS, GENERATED_FILES
from hub.load.files import open_listed

MARK = "---\ngenerated_by: hub\n"


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    # Every page's size and modification time (ns) once in place, as the processes that wrote
    # or compared it saw them (for the generate record, without asking the disk again).
    files: dict[str, list[int]] = field(default_factory=dict, compare=False)


def _starts_with_mark(path: str) -> bool:
    """Whether the regular file at `path` begins with the generated mark."""
    try:
        fd = open_listed(path)
    except OSError:
        return False
    try:
        return os.read(fd, len(_MARK_BYTES)) == _MARK_BYTES
    except OSError:
        return False
    finally:
        os.close(fd)


_MARK_BYTES = MARK.encode()


# The name `_stage` gives a staged copy (tempfile's eight random characters), and
# `make_folders` a generated folder being built: one a stopped run left behind, perhaps empty,
# is removed by the next whatever it holds.
_STAGED = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp\Z")


def _stage(path: Path, data: bytes) -> tuple[Path, os.stat_result]:
    """Write `data` to a temporary file beside `path`; remove it if that fails. Returns the
    file and its status (a rename into place keeps size and time)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    return Path(temp), _fill(fd, Path(temp), data)


def _create(path: Path, data: bytes) -> os.stat_result:
    """Write `data` to a new file at `path`, in a folder this run is building; its status."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    return _fill(os.open(path, flags, 0o644), path, data)


def _fill(fd: int, path: Path, data: bytes) -> os.stat_result:
    """Write `data` to the new, empty file open as `fd` at `path`, readable by all, and close
    it; remove the file if that fails. Returns its status."""
    try:
        try:
            os.fchmod(fd, 0o644)  # mkstemp makes files private, and a umask may too; pages are published
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            return os.fstat(fd)
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _unchanged(path: Path, data: bytes) -> os.stat_result | None:
    """The status of the file at `path` if it holds exactly `data`, else None."""
    try:
        with path.open("rb") as handle:
            return os.fstat(handle.fileno()) if handle.read() == data else None
    except OSError:
        return None


def _make_dirs(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return those created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o755)
    return list(reversed(missing))


def write_if_changed(path: Path, text: str) -> bool:
    """Replace `path` atomically with `text` unless it already holds exactly that; True if written."""
    data = text.encode("utf-8")
    if _unchanged(path, data) is not None:
        return False
    _make_dirs(path.parent)
    os.replace(_stage(path, data)[0], path)
    return True


def _entries(docs: Path) -> dict[str, os.DirEntry[str]]:
    """What is in the parts of docs/ the hub owns — its top-level pages (and staged copies a
    stopped run left beside them) and everything under its folders, at any depth, folders
    included — as {path relative to docs/: entry}, in path order. One directory listing per
    folder: the entries already know a link, a file and a folder apart."""
    found: dict[str, os.DirEntry[str]] = {}

    def listing(folder: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as entries:
                return list(entries)
        except (FileNotFoundError, NotADirectoryError):
            return []

    def walk(folder: Path, prefix: str) -> None:
        for entry in listing(folder):
            found[prefix + entry.name] = entry
            if entry.is_dir(follow_symlinks=False):
                walk(Path(entry.path), f"{prefix}{entry.name}/")

    staged_prefixes = tuple(f".{name}." for name in (*GENERATED_FILES, *GENERATED_DIRS))
    for entry in listing(docs):
        page = entry.name in GENERATED_FILES and entry.is_file()
        if page or _left_behind(entry, staged_prefixes):
            found[entry.name] = entry
        elif entry.name in GENERATED_DIRS and entry.is_dir():
            walk(Path(entry.path), f"{entry.name}/")
    return dict(sorted(found.items()))


def _left_behind(entry: os.DirEntry[str], prefixes: tuple[str, ...]) -> bool:
    """Whether a top-level entry of docs/ is a staged copy of a generated page, or a generated
    folder being built, that a stopped run left behind (never followed if a link)."""
    return bool(_STAGED.match(entry.name)) and entry.name.startswith(prefixes) and not entry.is_symlink()


def existing_generated(docs: Path) -> dict[str, os.DirEntry[str]]:
    """Every generated file in docs/, and anything else found where only generated files belong
    (links, a staged copy or folder a stopped run left behind), other folders aside:
    {path relative to docs/: entry}."""
    return {
        relative: entry
        for relative, entry in _entries(docs).items()
        if "/" not in relative or not entry.is_dir(follow_symlinks=False)
    }


def layout_problems(docs: Path, root: Path) -> list[Problem]:
    """What stops any write into docs/, whatever the pages: a linked folder, a clashing page."""
    problems: list[Problem] = []
    for folder in (docs, *(docs / name for name in GENERATED_DIRS)):
        # A linked folder would send writes (and removals) outside docs/.
        if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(root.resolve())):
            problems.append(
                Problem(
                    folder.relative_to(root).as_posix(),
                    0,
                    0,
                    "is a symbolic link; hub writes only into real folders inside the project",
                )
            )
    for name in GENERATED_DIRS:
        # MkDocs would silently drop docs/<folder>.md in favour of the generated <folder>/index.md.
        clash = docs / f"{name}.md"
        if clash.exists() or clash.is_symlink():
            problems.append(
                Problem(
                    clash.relative_to(root).as_posix(),
                    0,
                    0,
                    f"clashes with the generated page {name}/index.md (same address); rename it",
                )
            )
    return problems


def plan(docs: Path, paths: Collection[str], root: Path) -> list[Path]:
    """For pages at `paths` (relative to docs/): the stale generated files to remove; raise
    HubError if any hand-written page is in the way."""
    problems = layout_problems(docs, root)
    if problems:
        raise HubError(problems)
    entries = _entries(docs)
    data_marked = (docs / DATA_DIR / DATA_MARKER).is_file()

    def generated(relative: str, entry: os.DirEntry[str]) -> bool:
        if not entry.is_file(follow_symlinks=False):  # a link, a folder, a named pipe
            return False
        if posixpath.dirname(relative) == DATA_DIR:
            return data_marked
        return _starts_with_mark(entry.path)

    for relative in sorted(paths):
        entry = entries.get(relative)
        if entry is not None and not generated(relative, entry):
            problems.append(
                Problem(
                    (docs / relative).relative_to(root).as_posix(),
                    0,
                    0,
                    "is a hand-written page where hub generates one; rename or move it (hub never overwrites it)",
                )
            )
    stale = []
    wanted = set(paths)
    for relative, entry in entries.items():
        if "/" not in relative and entry.is_dir(follow_symlinks=False):  # left behind by a stopped run
            stale.append(docs / relative)
            continue
        if relative in wanted or entry.is_dir(follow_symlinks=False):
            continue
        if generated(relative, entry) or (entry.is_file(follow_symlinks=False) and _STAGED.match(entry.name)):
            stale.append(docs / relative)
        else:
            problems.append(
                Problem(
                    (docs / relative).relative_to(root).as_posix(),
                    0,
                    0,
                    f"is not a generated page, but docs/{relative.split('/')[0]} holds only pages generated by "
                    "hub; move it elsewhere in docs/",
                )
            )
    if problems:
        raise HubError(problems)
    return stale


@dataclass(frozen=True)
class Staged:
    relative: str
    temp: Path | None  # the new bytes, beside the target; None when the file already holds them
    size: int
    mtime_ns: int  # of the page once in place
    built: bool = False  # written into a folder being built, which moves into place whole


@dataclass(frozen=True)
class Folders:
    """The folders a run's pages go in. A generated folder that does not exist yet (every one,
    on a first build) is built whole under a temporary name beside it, its pages written
    straight in, and renamed into place by `commit`: one rename, not one per page, and nothing
    appears until every page is there."""

    building: dict[str, Path]  # a generated folder's name: where it is being built
    made: list[Path]  # every folder created, outermost first (folders being built included)

    def place(self, docs: Path, relative: str) -> Path:
        """Where the page or folder at `relative` (under docs/) is during this run."""
        top, _, rest = relative.partition("/")
        building = self.building.get(top)
        return docs / relative if building is None else building / rest

    def built(self, relative: str) -> bool:
        """Whether the page at `relative` goes in a folder being built."""
        return relative.partition("/")[0] in self.building


def make_folders(docs: Path, paths: Iterable[str]) -> Folders:
    """Create the folders the pages at `paths` go in (see `Folders`)."""
    folders = Folders({}, [])
    try:
        for folder in sorted({posixpath.dirname(relative) for relative in paths}):
            top = folder.partition("/")[0]
            if (
                top in GENERATED_DIRS
                and top not in folders.building
                and not (docs / top).exists()
                and not (docs / top).is_symlink()
            ):
                folders.made.extend(_make_dirs(docs))
                building = Path(tempfile.mkdtemp(dir=docs, prefix=f".{top}.", suffix=".tmp"))
                folders.building[top] = building
                folders.made.append(building)
                building.chmod(0o755)  # mkdtemp makes folders private; the site is published
            folders.made.extend(_make_dirs(folders.place(docs, folder)))
    except OSError:
        remove_folders(folders)
        raise
    return folders


def remove_folders(folders: Folders) -> None:
    """Remove folders this run created, with anything in them (only this run's own pages can
    be there; a worker that was killed could not remove its own)."""
    for folder in folders.made:
        shutil.rmtree(folder, ignore_errors=True)


def stage(docs: Path, pages: dict[str, str], folders: Folders) -> list[Staged]:
    """Compare each page with its file and write each changed one to a temporary file beside it,
    or straight into its folder if that is being built (`make_folders` made the folders). If
    one fails, the others staged here are removed before raising."""
    staged: list[Staged] = []
    try:
        for relative, text in pages.items():
            assert relative.startswith(f"{DATA_DIR}/") or text.startswith(MARK), f"{relative} lacks the generated mark"
            target = folders.place(docs, relative)
            data = text.encode("utf-8")
            if folders.built(relative):
                staged.append(Staged(relative, None, *_times(_create(target, data)), built=True))
                continue
            status = _unchanged(target, data)
            temp = None
            if status is None:
                temp, status = _stage(target, data)
            staged.append(Staged(relative, temp, *_times(status)))
    except BaseException:
        abandon(staged)
        raise
    return staged


def _times(status: os.stat_result) -> tuple[int, int]:
    return status.st_size, status.st_mtime_ns


def abandon(staged: Iterable[Staged]) -> None:
    for page in staged:
        if page.temp is not None:
            page.temp.unlink(missing_ok=True)


def commit(docs: Path, staged: list[Staged], stale: list[Path], folders: Folders) -> WriteReport:
    """Move every staged page and built folder into place, remove the stale pages (and folders
    a stopped run left behind) and any folder left empty."""
    written = 0
    for name, building in folders.building.items():
        os.rename(building, docs / name)
    for page in staged:
        if page.temp is not None:
            os.replace(page.temp, docs / page.relative)
            written += 1
        elif page.built:
            written += 1
    for path in stale:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    for folder in GENERATED_DIRS:
        for directory in sorted((docs / folder).glob("**/"), reverse=True):
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()
    files = {page.relative: [page.size, page.mtime_ns] for page in staged}
    return WriteReport(written, len(staged) - written, len(stale), files)


def write_pages(docs: Path, pages: dict[str, str], root: Path) -> WriteReport:
    """Write every changed page, all or nothing: each is staged beside its target first, and only
    when every one is on disk are they renamed into place (a failure half way, a full disk,
    leaves docs/ as it was, without temporary files). `hub build` does the same in steps, with
    the pages staged by the processes that render them."""
    stale = plan(docs, pages, root)
    folders = make_folders(docs, pages)
    try:
        staged = stage(docs, pages, folders)
    except BaseException:
        remove_folders(folders)
        raise
    return commit(docs, staged, stale, folders)
