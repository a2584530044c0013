"""Dependency floors that carry known security fixes, in the pins and in what is installed."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from conftest import ROOT

FLOORS = {
    "jinja2": (3, 1, 6),  # sandbox escapes fixed in 3.1.5 and 3.1.6
    "pymdown-extensions": (10, 21, 3),  # snippets path traversal
    "mkdocs-material": (9, 7, 7),  # search cross-site scripting
}


def parse(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, _, ver = line.partition("==")
            pins[name.strip().lower().replace("_", "-")] = ver.strip()
    return pins


@pytest.mark.parametrize("name", FLOORS)
def test_pinned_version_meets_the_floor(name: str) -> None:
    assert parse(pinned()[name]) >= FLOORS[name], f"requirements.txt pins {name} below {FLOORS[name]}"


@pytest.mark.parametrize("name", FLOORS)
def test_installed_version_meets_the_floor(name: str) -> None:
    assert parse(version(name)) >= FLOORS[name]


@pytest.mark.parametrize("name", FLOORS)
def test_pyproject_declares_the_floor(name: str) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8").lower()
    match = re.search(rf'"{re.escape(name)}>=([\d.]+)"', pyproject)
    assert match and parse(match.group(1)) >= FLOORS[name]


def test_no_risky_extensions_on_contributor_content() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for risky in ("pymdownx.snippets", "macros", "attr_list", "md_in_html", "pymdownx.magiclink"):
        assert risky not in config, risky


def test_the_pinned_mkdocs_is_one_the_parallel_build_is_proved_with() -> None:
    from hub.publish.shards import PROVED_WITH

    assert pinned()["mkdocs"] in PROVED_WITH
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    cap = re.search(r'"mkdocs>=[\d.]+,<([\d.]+)"', pyproject)
    assert cap is not None, "pyproject.toml caps MkDocs below a release the patches were not proved with"
    assert all(parse(proved) < parse(cap.group(1)) for proved in PROVED_WITH)
