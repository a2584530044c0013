"""No case study copies another: `hub check` (and so `hub build`) refuses two case studies with
the same title, the same summary, or the same account of what was done and its impact, naming
both files at the lines to mend."""

from __future__ import annotations

import subprocess

import pytest

from conftest import VALID_STUDY, distinct, run_hub, snapshot, write_study
from hub.core.project import Project

TITLE = "Family group conferences before proceedings"
SUMMARY = "An authority offered every family a family group conference before care proceedings."


def refused(project: Project, capsys: pytest.CaptureFixture[str], *options: str) -> list[str]:
    """`hub check`'s lines (every problem, then the count), which must fail."""
    capsys.readouterr()
    assert run_hub(project, "check", *options) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.out == ""
    return captured.err.strip().splitlines()


def test_an_exact_copy_is_refused_in_both_files(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(project, "original", VALID_STUDY)
    write_study(project, "copy", VALID_STUDY)
    fields = "'title', 'summary', 'what_we_did' and 'impact' are the same as in"
    advice = "a case study must not copy another: write them afresh for this one, or remove the copy"
    assert refused(project, capsys) == [
        f"practice/copy.yml:1:8: {fields} practice/original.yml (line 1); {advice}",
        f"practice/original.yml:1:8: {fields} practice/copy.yml (line 1); {advice}",
        "2 problems in 2 files; nothing was written.",
    ]


def test_the_same_title_is_refused_at_the_title(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(project, "a", distinct(VALID_STUDY, "a").replace(f"{TITLE} (a)", TITLE))
    write_study(project, "b", distinct(VALID_STUDY, "b").replace(f"{TITLE} (b)", f"  {TITLE.upper()}"))
    advice = "give each case study a title of its own (say whose work it is), or remove one if it is a copy"
    assert refused(project, capsys) == [
        f"practice/a.yml:1:8: 'title' is the same as in practice/b.yml (line 1); {advice}",
        f"practice/b.yml:1:10: 'title' is the same as in practice/a.yml (line 1); {advice}",
        "2 problems in 2 files; nothing was written.",
    ]


def test_a_summary_differing_only_in_spacing_and_case_is_a_copy(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_study(project, "a", distinct(VALID_STUDY, "a").replace(f"{SUMMARY} (a)", SUMMARY))
    rewrapped = (
        "summary: >-\n  AN AUTHORITY offered every family   a family group\n  conference before CARE proceedings.\n"
    )
    b = distinct(VALID_STUDY, "b").replace(f"summary: >-\n  {SUMMARY} (b)\n", rewrapped)
    assert b.count("\n") == VALID_STUDY.count("\n") + 1
    write_study(project, "b", b)
    # One line more in b: its what_we_did (its own) starts a line later, its summary where a's does.
    advice = "a case study must not copy another: write it afresh for this one, or remove the copy"
    assert refused(project, capsys) == [
        f"practice/a.yml:2:10: 'summary' is the same as in practice/b.yml (line 2); {advice}",
        f"practice/b.yml:2:10: 'summary' is the same as in practice/a.yml (line 2); {advice}",
        "2 problems in 2 files; nothing was written.",
    ]


def test_the_same_account_of_the_work_is_refused_at_what_we_did(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file copied as a start, with only its title and summary rewritten; each problem gives
    the other file's line, not its own."""
    write_study(project, "a", VALID_STUDY)
    b = VALID_STUDY.replace(TITLE, "Kinship care first").replace(SUMMARY, "Kinship carers were supported first.")
    write_study(project, "b", "# A comment moves every line down one.\n" + b)
    advice = "a case study must not copy another: write them afresh for this one, or remove the copy"
    assert refused(project, capsys) == [
        f"practice/a.yml:6:14: 'what_we_did' and 'impact' are the same as in practice/b.yml (line 7); {advice}",
        f"practice/b.yml:7:14: 'what_we_did' and 'impact' are the same as in practice/a.yml (line 6); {advice}",
        "2 problems in 2 files; nothing was written.",
    ]


def test_three_copies_each_name_the_other_two(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    for slug in ("a", "b", "c"):
        write_study(project, slug, VALID_STUDY)
    write_study(project, "d", distinct(VALID_STUDY, "d"))
    lines = refused(project, capsys)
    assert [line.split(": ", 1)[0] for line in lines[:-1]] == [
        "practice/a.yml:1:8",
        "practice/b.yml:1:8",
        "practice/c.yml:1:8",
    ]
    assert "same as in practice/b.yml (line 1) and practice/c.yml (line 1);" in lines[0]
    assert "same as in practice/a.yml (line 1) and practice/c.yml (line 1);" in lines[1]
    assert "same as in practice/a.yml (line 1) and practice/b.yml (line 1);" in lines[2]
    assert lines[-1] == "3 problems in 3 files; nothing was written."


def test_fields_shared_with_different_files_are_told_apart(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """b's title is a's, its summary c's: two problems in b, one naming each file."""
    write_study(project, "a", distinct(VALID_STUDY, "a").replace(f"{TITLE} (a)", TITLE))
    write_study(
        project, "b", distinct(VALID_STUDY, "b").replace(f"{TITLE} (b)", TITLE).replace(f"{SUMMARY} (b)", SUMMARY)
    )
    write_study(project, "c", distinct(VALID_STUDY, "c").replace(f"{SUMMARY} (c)", SUMMARY))
    lines = refused(project, capsys)
    assert [line.split(" is the same as in ")[0] for line in lines[:-1]] == [
        "practice/a.yml:1:8: 'title'",
        "practice/b.yml:1:8: 'title'",
        "practice/b.yml:2:10: 'summary'",
        "practice/c.yml:2:10: 'summary'",
    ]
    assert "'title' is the same as in practice/a.yml (line 1);" in lines[1]
    assert "'summary' is the same as in practice/c.yml (line 2);" in lines[2]
    assert lines[-1] == "4 problems in 3 files; nothing was written."


def test_a_copy_is_reported_with_every_other_problem(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(project, "a", VALID_STUDY)
    write_study(project, "b", VALID_STUDY.replace("family-networks", "famly-networks"))
    lines = refused(project, capsys)
    assert lines[-1] == "3 problems in 2 files; nothing was written."
    assert any(line.startswith("practice/b.yml:1:8: 'title', 'summary',") for line in lines)
    assert any(
        line.startswith("practice/b.yml:17:5: 'themes[1]' 'famly-networks' is not a known theme") for line in lines
    )


def test_github_annotations_land_on_both_files(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(project, "a", VALID_STUDY)
    write_study(project, "b", VALID_STUDY)
    lines = refused(project, capsys, "--format", "github")
    assert lines[0].startswith("::error file=practice/a.yml,line=1,col=8,title=hub check::'title', 'summary'")
    assert lines[1].startswith("::error file=practice/b.yml,line=1,col=8,title=hub check::'title', 'summary'")


def test_similar_but_different_case_studies_pass(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Shared wording is not a copy: a title or summary a word or a full stop apart, the same
    challenge and evidence, the same account of what was done with a different impact."""
    write_study(project, "a", VALID_STUDY)
    b = (
        VALID_STUDY.replace(TITLE, "Family group conferences before care proceedings")
        .replace(SUMMARY, SUMMARY.rstrip("."))
        .replace("More children stayed with their families.", "Fewer children entered care.")
    )
    write_study(project, "b", b)
    c = (
        VALID_STUDY.replace(TITLE, f"{TITLE} in Hampshire")
        .replace(SUMMARY, SUMMARY.replace("An authority", "Hampshire"))
        .replace("Coordinators offered", "Social workers offered")
    )
    write_study(project, "c", c)
    assert run_hub(project, "check") == 0
    assert "Checked 3 case studies" in capsys.readouterr().out


def test_unedited_drafts_are_not_reported_as_copies(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Two drafts from `hub new` share its example text: that is reported as such, not as copies."""
    for title in ("A first draft", "A second draft"):
        assert run_hub(project, "new", "--title", title, "--authority", "leeds", "--theme", "workforce") == 0
    lines = refused(project, capsys)
    assert lines and all("example text" in line for line in lines[:-1]), lines
    assert not any("the same as" in line for line in lines)


def test_a_renamed_case_study_is_not_a_copy(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """At the revision it is compared with, the case study had its old name: a rename keeps it
    as it was, so the same text is there twice, but only in history."""
    monkeypatch.chdir(project.root)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project.root, check=True)
    write_study(project, "old-name", VALID_STUDY)
    subprocess.run([*git, "add", "-A"], cwd=project.root, check=True)
    subprocess.run([*git, "commit", "-qm", "first"], cwd=project.root, check=True)
    (project.practice / "old-name.yml").unlink()
    write_study(project, "new-name", VALID_STUDY + "aliases: [old-name]\n")
    assert run_hub(project, "check", "--against", "HEAD") == 0
    capsys.readouterr()
    write_study(project, "old-name", VALID_STUDY)  # the old file kept beside the new: a copy, and a clash
    assert run_hub(project, "check", "--against", "HEAD") == 1
    err = capsys.readouterr().err
    assert "practice/new-name.yml:1:8: 'title', 'summary', 'what_we_did' and 'impact' are the same as in" in err
    assert "alias 'old-name' is already the address of practice/old-name.yml" in err


def test_a_copy_stops_the_build_and_nothing_is_written(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(project, "a", VALID_STUDY)
    write_study(project, "b", VALID_STUDY)
    before = snapshot(project.root)
    assert run_hub(project, "build") == 1
    err = capsys.readouterr().err
    assert "practice/b.yml:1:8: 'title', 'summary', 'what_we_did' and 'impact' are the same as in" in err
    assert "2 problems in 2 files; nothing was written." in err and "Traceback" not in err
    assert snapshot(project.root) == before, "no docs/, no site/, nothing else"
    assert not project.site.exists()


def test_thousands_of_copies_cost_one_look_up_each(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """2,000 files with one title: one problem each, naming three others and counting the rest."""
    for n in range(2000):
        (project.practice / f"study-{n:04d}.yml").write_text("title: The same\n", encoding="utf-8")
    lines = refused(project, capsys)
    copies = [line for line in lines if "'title' is the same as in" in line]
    assert len(copies) == 2000
    assert copies[0].startswith(
        "practice/study-0000.yml:1:8: 'title' is the same as in practice/study-0001.yml (line 1), "
        "practice/study-0002.yml (line 1), practice/study-0003.yml (line 1) and 1,996 more;"
    )
    assert copies[-1].startswith(
        "practice/study-1999.yml:1:8: 'title' is the same as in practice/study-0000.yml (line 1), "
        "practice/study-0001.yml (line 1), practice/study-0002.yml (line 1) and 1,996 more;"
    )
