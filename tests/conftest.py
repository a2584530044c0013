"""Shared fixtures: a throw-away copy of the project with the real reference data."""

from __future__ import annotations

import functools
import inspect
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hub.commands import bench
from hub.core.project import Project

ROOT = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A fixed "today" so date rules and review dates give the same answer on every run.
TODAY = date(2026, 11, 22)
# A fixed collection of real case studies (copies of the hub's first ones, frozen) for the tests
# that build a whole site: what practice/ holds changes with every contribution, and a copy of
# the hub run by someone else holds other work entirely. tests/test_reference_data.py checks
# and builds whatever practice/ holds.
COLLECTION = sorted((FIXTURES / "collection").glob("*.yml"))

VALID_STUDY = """\
title: Family group conferences before proceedings
summary: >-
  An authority offered every family a family group conference before care proceedings.
challenge: >-
  Too many children entered care without their wider family being asked to help.
what_we_did: >-
  Coordinators offered a conference to every family at the start of pre-proceedings.
impact: >-
  More children stayed with their families.
evidence:
  level: promising
  details: >-
    The authority's own data.
led_by:
  authorities: west-berkshire
themes:
  - family-networks
contact:
  role: Head of service
  email: family.help@example.gov.uk
published: 2026-03-31
sources:
  - title: Annual report
    url: https://www.example.gov.uk/report
"""


def distinct(text: str, tag: str) -> str:
    """`text` (a case study) made its own: `tag` added to its title, summary and what was done,
    which `hub check` refuses to find in two case studies. Every line stays where it was."""
    lines = text.split("\n")
    for name in ("title", "summary", "what_we_did"):
        at = next(n for n, line in enumerate(lines) if line.startswith(f"{name}:"))
        if lines[at].partition(":")[2].strip() in ("", ">-", ">", "|", "|-"):  # a block: its first line
            at += 1
        lines[at] += f" ({tag})"
    return "\n".join(lines)


def copy_project(target: Path, *, studies: bool = False) -> Project:
    """Copy what a build needs (config, overrides, hand-written docs, reference data), and with
    `studies` the fixed collection of case studies."""
    project = bench.copy_project(Project(ROOT), target)
    if studies:
        for path in COLLECTION:
            shutil.copy(path, target / "practice" / path.name)
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty hub (reference data only) in a temporary folder."""
    return copy_project(tmp_path)


def write_study(project: Project, slug: str, text: str | bytes) -> Path:
    path = project.practice / f"{slug}.yml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden files in tests/fixtures/golden/expected"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def run_hub(where: Project | Path, *args: str, today: date | None = TODAY) -> int:
    """`hub ARGS` run in this process, in the project's folder, as at `today` (None: the real
    date); its exit code. The one way tests run a command, but for `run_hub_process`."""
    from hub.commands.cli import main

    root = where.root if isinstance(where, Project) else where
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        return main([*(["--today", today.isoformat()] if today else []), *args])


# What the installed `hub` script runs (pyproject.toml's entry point).
HUB = [sys.executable, "-c", "import sys; from hub.entry import main; sys.exit(main())"]


def hub_command(*args: str, today: date | None = TODAY) -> list[str]:
    """`hub ARGS` as a command line, for a test that needs its own process (signals, a hash
    seed, two commands at once, a server)."""
    return [*HUB, *(["--today", today.isoformat()] if today else []), *args]


def run_hub_process(
    where: Project | Path,
    *args: str,
    env: dict[str, str] | None = None,
    today: date | None = TODAY,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """`hub ARGS` in a process of its own, in the project's folder; what it printed, and its code."""
    root = where.root if isinstance(where, Project) else where
    return subprocess.run(
        hub_command(*args, today=today), cwd=root, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def build(project: Project, *extra: Path, options: tuple[str, ...] = ()) -> Project:
    """Copy `extra` case-study files into the project and run `hub build [options]` there."""
    for path in extra:
        shutil.copy(path, project.practice / path.name)
    assert run_hub(project, "build", *options) == 0, "the strict build and the scan pass"
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stable_site(site: Path) -> dict[str, bytes]:
    """A built site's files but Pagefind's filter and metadata files, which it names and fills
    differently from run to run (upstream Pagefind/pagefind#638); its page fragments are stable."""
    return {
        p: b for p, b in snapshot(site).items() if not p.startswith("pagefind/") or p.startswith("pagefind/fragment/")
    }


GOLDEN_STUDIES = sorted((FIXTURES / "golden" / "practice").glob("*.yml"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The fixed collection and the golden case studies, built once for the session."""
    return build(copy_project(tmp_path_factory.mktemp("site"), studies=True), *GOLDEN_STUDIES)


# ---------------------------------------------------------------- a real browser
# Headless Chromium (Debian's `chromium`) driven by Playwright. Without it the browser tests are
# skipped with a message saying how to install it, except on GitHub Actions, where they fail:
# `.ci/run` installs it and the check workflow points HUB_CHROMIUM at the runner's Chrome.
ON_GITHUB = os.environ.get("GITHUB_ACTIONS") == "true"
CHROMIUM = os.environ.get("HUB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not ON_GITHUB,
    reason="Chromium is not installed: `apt-get install -y chromium` (or set HUB_CHROMIUM) to run the browser tests",
)


@pytest.fixture(scope="session")
def site(built_site: Project) -> Iterator[str]:
    """The built site served on localhost: its base address, ending in '/'."""
    with bench.serve(built_site.site) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=bench.BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    """A fresh page; afterwards, every request it made went to the site itself, the page's
    Content-Security-Policy refused nothing the site does (search, navigation, the theme), and
    it left no cookies and nothing in the browser's storage (the privacy page promises both)."""
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(site) else None)
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    assert refused == [], "the Content-Security-Policy refused something the site does"
    stored = page.evaluate("() => localStorage.length + sessionStorage.length") if page.url.startswith(site) else 0
    cookies = context.cookies()
    context.close()
    assert outside == [], "every request goes to the site itself"
    assert cookies == [] and stored == 0, "no cookies, nothing stored in the browser"


# ---------------------------------------------------------------- the quick tier
# `make test-quick` leaves out the tests marked `slow`: those that build a whole site (with
# MkDocs), start a command in a process of its own, or drive a browser, directly or through a
# fixture. They are found by reading each test's and fixture's code, so a new test is marked
# the day it starts building.
_SLOW = re.compile(
    r"""run_hub\([^)]*"(?:build|serve|bench)"|\bbuild\(|run_build\(|build_site\(|build_with\(|hub_command\(|run_hub_process\("""
    r"""|sync_playwright|\bbrowser\b|\bpage\.goto"""
)


@functools.cache
def _slow_code(function: Any) -> bool:
    try:
        return bool(_SLOW.search(inspect.getsource(function)))
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        fixtures = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        functions = [function] + [definition.func for defs in fixtures.values() for definition in defs]
        if any(_slow_code(f) for f in functions if f is not None):
            item.add_marker(pytest.mark.slow)
