"""Where things are: the project's folders and files, and which parts of docs/ the hub writes.

Every path the hub reads or writes is derived from `Project.root` here, at the bottom of the
package, so every stage can know where things are without importing the stages above it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, for the few values generate needs (`Site`); a tag of MkDocs' own
    other than `!ENV` (`!relative`) reads as nothing, and Python tags stay refused."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_constructor("!relative", lambda loader, node: None)

REFERENCE_DIR = "reference"  # practice/reference/: the vocabularies and public data
# What the hub writes in docs/: these folders and top-level pages (git-ignored, never edited).
GENERATED_DIRS = ("practice", "authorities", "regions", "themes", "data")
GENERATED_FILES = ("index.md", "contribute.md", "coverage.md", "find.md")
DATA_DIR = "data"  # docs/data/: the open data files
# Open-data files cannot carry the generated mark, so the data folder carries it for them.
DATA_MARKER = ".hub-generated"
DATA_MARKER_TEXT = "Every file in this folder is written by `hub build` from practice/; do not edit them.\n"


DEFAULT_NAME = "Children's Services Practice Hub"


@dataclass(frozen=True)
class Site:
    """What generate needs from mkdocs.yml: where the site is published (`site_url`, "" when
    unset), its name (`site_name`) and who publishes it (`extra.publisher.name`), for the feed."""

    url: str = ""
    name: str = DEFAULT_NAME
    publisher: str = DEFAULT_NAME


UNNAMED = Site()  # a site with no address, under the hub's own name


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

    def settings(self) -> Site:
        """`Site` as MkDocs reads mkdocs.yml (`!ENV` from the environment, so HUB_SITE_URL
        counts), with the defaults for what is missing, not text, or when mkdocs.yml cannot be
        read: the build reads the configuration again and says what is wrong with it."""
        try:
            with self.config.open(encoding="utf-8") as handle:
                settings = yaml.load(handle, Loader=_ConfigLoader)  # a SafeLoader: no Python objects
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return UNNAMED
        settings = settings if isinstance(settings, dict) else {}
        extra = settings.get("extra")
        publisher = extra.get("publisher") if isinstance(extra, dict) else None
        url = settings.get("site_url")
        name = _text(settings.get("site_name"), DEFAULT_NAME)
        return Site(
            url if isinstance(url, str) and url.startswith(("https://", "http://")) else "",
            name,
            _text(publisher.get("name") if isinstance(publisher, dict) else None, name),
        )


def _text(value: object, default: str) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else default


def copy_project(source: Project, target: Path) -> Project:
    """Copy what a build needs (configuration, theme overrides, the contributor guide,
    hand-written pages and reference data) from `source` into the empty folder `target`,
    without case studies: for the benchmark and the tests."""
    shutil.copy(source.config, target / "mkdocs.yml")
    shutil.copytree(source.root / "overrides", target / "overrides")
    shutil.copy(source.guide, target / "CONTRIBUTING.md")
    (target / "docs").mkdir()
    for entry in sorted(source.docs.iterdir()):
        if entry.name not in GENERATED_FILES and entry.name not in GENERATED_DIRS:
            (shutil.copytree if entry.is_dir() else shutil.copy)(entry, target / "docs" / entry.name)
    shutil.copytree(source.reference, target / "practice" / "reference")
    return Project(target)
