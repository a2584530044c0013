"""URLs that last: a renamed case study keeps its old address, and `hub check --against` notices a lost one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import TODAY, VALID_STUDY, distinct, run_hub, write_study
from hub.core.problems import HubError
from hub.core.project import Project
from hub.pipeline import check


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True, capture_output=True
    )


def committed(project: Project, monkeypatch: pytest.MonkeyPatch, studies: dict[str, str]) -> None:
    """A git repository whose HEAD holds these case studies; the test then works from its root."""
    git(project.root, "init", "-q")
    for slug, text in studies.items():
        write_study(project, slug, text)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "first")
    monkeypatch.chdir(project.root)


def test_alias_becomes_a_redirect_page(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    write_study(project, "family-group-conferences", VALID_STUDY + "aliases:\n  - fgc-pilot\n")
    monkeypatch.chdir(project.root)
    assert run_hub(project, "build") == 0
    old = (project.site / "practice" / "fgc-pilot" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../family-group-conferences/">' in old
    assert 'href="../family-group-conferences/"' in old
    assert '<meta name="robots" content="noindex">' in old
    new = (project.site / "practice" / "family-group-conferences" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in new


@pytest.mark.parametrize(
    ("aliases", "message", "line", "col"),
    [
        ("  - family-group-conferences\n", "is this file's own name", 2, 5),
        ("  - old\n  - old\n", "listed twice", 3, 5),
        ("  - other\n", "already the address of practice/other.yml", 2, 5),
        ("  - Old_Name\n", "alias 'Old_Name' is not a valid slug", 2, 5),
        ("  - con\n", "alias 'con' is reserved", 2, 5),
    ],
)
def test_bad_aliases(project: Project, aliases: str, message: str, line: int, col: int) -> None:
    write_study(project, "family-group-conferences", VALID_STUDY + "aliases:\n" + aliases)
    write_study(project, "other", distinct(VALID_STUDY, "other"))
    with pytest.raises(HubError) as error:
        check(project, TODAY)
    [problem] = error.value.problems
    assert message in problem.message
    assert (problem.path, problem.line, problem.col) == (
        "practice/family-group-conferences.yml",
        VALID_STUDY.count("\n") + line,
        col,
    ), "placed on the alias to mend"


def test_two_studies_cannot_claim_one_alias(project: Project) -> None:
    write_study(project, "a", distinct(VALID_STUDY, "a") + "aliases: [old]\n")
    write_study(project, "b", distinct(VALID_STUDY, "b") + "aliases: [old]\n")
    with pytest.raises(HubError) as error:
        check(project, TODAY)
    [problem] = error.value.problems
    assert str(problem) == (
        f"practice/b.yml:{VALID_STUDY.count(chr(10)) + 1}:11: alias 'old' is already the address of "
        "practice/a.yml; an alias must be a page address no longer in use"
    )


def test_check_against_a_revision(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    committed(project, monkeypatch, {"fgc-pilot": VALID_STUDY})
    (project.practice / "fgc-pilot.yml").rename(project.practice / "family-group-conferences.yml")
    assert run_hub(project, "check", "--against", "HEAD") == 1
    err = capsys.readouterr().err
    assert (
        "practice/fgc-pilot.yml: the page 'fgc-pilot' would disappear (its case study or alias was removed or "
        "renamed); add 'fgc-pilot' to the 'aliases'" in err
    )
    write_study(project, "family-group-conferences", VALID_STUDY + "aliases: [fgc-pilot]\n")
    assert run_hub(project, "check", "--against", "HEAD") == 0
    assert run_hub(project, "check", "--against", "no-such-branch") == 1
    assert "git cannot read practice/ at 'no-such-branch'" in capsys.readouterr().err


def test_dropping_an_alias_is_caught_too(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    committed(project, monkeypatch, {"family-group-conferences": VALID_STUDY + "aliases: [fgc-pilot]\n"})
    write_study(project, "family-group-conferences", VALID_STUDY)
    assert run_hub(project, "check", "--against", "HEAD") == 1
    assert "the page 'fgc-pilot' would disappear" in capsys.readouterr().err


def test_lost_pages_are_reported_with_every_other_problem(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    committed(project, monkeypatch, {"old": VALID_STUDY})
    (project.practice / "old.yml").unlink()
    write_study(project, "new", VALID_STUDY.replace("family-networks", "famly-networks"))
    assert run_hub(project, "check", "--against", "HEAD") == 1
    err = capsys.readouterr().err
    assert "the page 'old' would disappear" in err and "'famly-networks' is not a known theme" in err


@pytest.mark.parametrize("revision", ["", "--output=x", "-x"])
def test_option_like_revisions_are_refused(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], revision: str
) -> None:
    monkeypatch.chdir(project.root)
    assert run_hub(project, "check", f"--against={revision}") == 1
    assert "is not a git revision" in capsys.readouterr().err
