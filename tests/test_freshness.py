"""Freshness: past its review date, a case study says so on its page, in hub check and in hub review."""

from __future__ import annotations

import pytest

from conftest import TODAY, VALID_STUDY, distinct, run_hub, write_study
from hub.core.project import Project
from hub.pipeline import check
from hub.render.pages import render_site
from test_cli import run

OLD = distinct(VALID_STUDY, "old").replace("published: 2026-03-31", "published: 2024-01-10\nreview: 2026-01-10")


def test_page_shows_a_due_for_review_notice(project: Project) -> None:
    write_study(project, "old", OLD)
    write_study(project, "fresh", VALID_STUDY)
    catalogue, _ = check(project, TODAY)
    pages = render_site(catalogue, "# Guide\n")
    assert '!!! warning "Due for review"' in pages["practice/old.md"]
    assert "was due for review on 10 January 2026" in pages["practice/old.md"]
    assert "Due for review" not in pages["practice/fresh.md"]


def test_notice_is_built_into_the_page(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    write_study(project, "old", OLD)
    monkeypatch.chdir(project.root)
    assert run_hub(project, "build") == 0
    html = (project.site / "practice" / "old" / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition warning"' in html and "Due for review" in html


def test_check_warns_but_passes(project: Project) -> None:
    write_study(project, "old", OLD)
    result = run(project, "check")
    assert result.returncode == 0
    assert (
        "practice/old.yml: warning: review was due on 2026-01-10; ask Head of service: family.help@example.gov.uk"
        in result.stderr
    )
    assert "1 due for review" in result.stdout
    github = run(project, "check", "--format", "github")
    assert "::warning file=practice/old.yml,title=hub check::review was due on 2026-01-10" in github.stderr


def test_review_lists_overdue_and_soon(project: Project) -> None:
    write_study(project, "old", OLD)
    write_study(
        project,
        "soon",
        distinct(VALID_STUDY, "soon").replace("published: 2026-03-31", "published: 2026-03-31\nreview: 2026-12-31"),
    )
    write_study(project, "later", VALID_STUDY)
    result = run(project, "review")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2026-01-10  OVERDUE   practice/old.yml")
    assert lines[3].startswith("2026-12-31  due soon  practice/soon.yml")
    assert "practice/later.yml" not in result.stdout
    assert "2 of 3 case studies listed" in lines[-1]
    assert "practice/later.yml" in run(project, "review", "--all").stdout
