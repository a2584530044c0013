"""Which files in practice/ are case studies: odd names, links, folders and strays are refused.

Cases from the "Paths" section of the bad-inputs guide (and symlinks from "File and YAML"),
through `collect` and `check`, the way `hub check` and `hub build` run them.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from conftest import TODAY, VALID_STUDY, distinct, run_hub, write_study
from hub.core.problems import HubError, Problem
from hub.core.project import Project
from hub.pipeline import check, collect


def slugs(project: Project) -> list[str]:
    found, _ = collect(project)
    return [slug for slug, _ in found]


def problems_for(project: Project, name: str) -> list[Problem]:
    _, problems = collect(project)
    return [p for p in problems if p.path == f"practice/{name}"]


def refuse(project: Project, name: str, *fragments: str) -> Problem:
    """`name` in practice/ gives exactly one problem, naming it, with every fragment."""
    [problem] = problems_for(project, name)
    for fragment in fragments:
        assert fragment in problem.message, problem
    assert name not in {path.name for _, path in collect(project)[0]}
    return problem


def checked(project: Project) -> list[Problem]:
    """Problems from a full check, which must fail."""
    with pytest.raises(HubError) as caught:
        check(project, TODAY)
    return caught.value.problems


def test_valid_study_is_collected(project: Project) -> None:
    path = write_study(project, "family-group-conferences", VALID_STUDY)
    found, problems = collect(project)
    assert found == [("family-group-conferences", path)]
    assert problems == []
    catalogue, count = check(project, TODAY)
    assert count == 1


def test_missing_practice_folder(tmp_path: Path) -> None:
    found, problems = collect(Project(tmp_path))
    assert found == []
    assert [(p.path, p.message) for p in problems] == [("practice", "folder is missing")]


@pytest.mark.parametrize(
    ("stem", "suggestion"),
    [
        ("Bad_Name", "'bad-name'"),
        ("UPPER", "'upper'"),
        ("two--hyphens", "'two-hyphens'"),
        ("-leading", "'leading'"),
        ("trailing-", "'trailing'"),
        ("with space", "'with-space'"),
        ("dots.in.name", "'dots-in-name'"),
        ("café", "'cafe'"),
        ("naïve-approach", "'naive-approach'"),
        ("emoji-\U0001f600", "'emoji'"),
        ("full\uff57idth", "'fullwidth'"),
        ("trailing-newline\n", "'trailing-newline'"),
        ("tab\there", "'tab-here'"),
    ],
)
def test_file_name_not_a_valid_slug(project: Project, stem: str, suggestion: str) -> None:
    write_study(project, stem, VALID_STUDY)
    refuse(project, f"{stem}.yml", "is not a valid slug", "lower-case letters a-z", f"for example {suggestion}")
    assert slugs(project) == []


def test_name_that_has_no_slug_at_all(project: Project) -> None:
    write_study(project, "\u4f8b", VALID_STUDY)
    refuse(project, "\u4f8b.yml", "is not a valid slug", "'my-case-study'")


@pytest.mark.parametrize("name", ["..yml", "...yml", "a..b.yml", ".hidden.yml", "..hidden.yml", ".yml"])
def test_dot_dot_and_hidden_names(project: Project, name: str) -> None:
    (project.practice / name).write_text(VALID_STUDY, encoding="utf-8")
    [problem] = problems_for(project, name)
    assert "is not a valid slug" in problem.message or "is not a case study" in problem.message, problem
    assert slugs(project) == []


def test_over_long_slug(project: Project) -> None:
    stem = "a" * 81
    write_study(project, stem, VALID_STUDY)
    refuse(project, f"{stem}.yml", "is 81 characters long; keep it to 80")
    write_study(project, "b" * 80, VALID_STUDY)
    assert slugs(project) == ["b" * 80]


@pytest.mark.parametrize("stem", ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt0", "index"])
def test_reserved_names(project: Project, stem: str) -> None:
    write_study(project, stem, VALID_STUDY)
    refuse(project, f"{stem}.yml", f"file name '{stem}' is reserved")
    assert slugs(project) == []


@pytest.mark.parametrize("stem", ["console", "null", "auxiliary", "com10", "indexing", "con-1"])
def test_names_that_only_start_like_reserved_ones_are_fine(project: Project, stem: str) -> None:
    write_study(project, stem, VALID_STUDY)
    assert slugs(project) == [stem]


def _can_hold_both(folder: Path, first: str, second: str) -> bool:
    (folder / first).write_text("x", encoding="utf-8")
    (folder / second).write_text("x", encoding="utf-8")
    both = {p.name for p in folder.iterdir()} >= {first, second}
    for name in (first, second):
        (folder / name).unlink(missing_ok=True)
    return both


def test_names_differing_only_in_case(project: Project) -> None:
    if not _can_hold_both(project.practice, "Foo.yml", "foo.yml"):
        pytest.skip("file system ignores case")
    write_study(project, "Foo", VALID_STUDY.replace("Family group", "Upper-case"))
    write_study(project, "foo", VALID_STUDY)
    refuse(project, "Foo.yml", "is not a valid slug", "'foo'")
    assert slugs(project) == ["foo"]
    hub_problems = checked(project)
    assert [p.path for p in hub_problems] == ["practice/Foo.yml"]


def test_names_differing_only_in_unicode_normal_form(project: Project) -> None:
    nfc = unicodedata.normalize("NFC", "café")
    nfd = unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    if not _can_hold_both(project.practice, f"{nfc}.yml", f"{nfd}.yml"):
        pytest.skip("file system normalises names")
    write_study(project, nfc, VALID_STUDY)
    write_study(project, nfd, VALID_STUDY)
    found, problems = collect(project)
    assert found == []
    refused = sorted(p.path for p in problems)
    assert refused == sorted([f"practice/{nfc}.yml", f"practice/{nfd}.yml"])
    assert all("is not a valid slug" in p.message and "'cafe'" in p.message for p in problems)


@pytest.mark.parametrize("name", ["study.yaml", "study.YAML", "study.YML", "study.Yml"])
def test_wrong_extension_is_told_to_rename(project: Project, name: str) -> None:
    (project.practice / name).write_text(VALID_STUDY, encoding="utf-8")
    refuse(project, name, "rename it to study.yml")
    assert slugs(project) == []


def test_symlink_is_refused_and_its_target_never_loaded(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "linked-study.yml"
    target.write_text(VALID_STUDY, encoding="utf-8")
    (project.practice / "linked-study.yml").symlink_to(target)
    refuse(project, "linked-study.yml", "is a symbolic link", "never followed")
    assert slugs(project) == []
    problems = checked(project)  # followed, the valid target would make this check pass
    assert [(p.path, p.line) for p in problems] == [("practice/linked-study.yml", 0)]


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd", "missing.yml", "/dev/zero", "."])
def test_symlinks_anywhere_are_refused(project: Project, target: str) -> None:
    (project.practice / "link.yml").symlink_to(target)
    refuse(project, "link.yml", "is a symbolic link")
    assert [p.path for p in checked(project)] == ["practice/link.yml"]


def test_symlinked_folder_is_refused_not_walked(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "hidden-study.yml").write_text(VALID_STUDY, encoding="utf-8")
    (project.practice / "more").symlink_to(outside, target_is_directory=True)
    refuse(project, "more", "is a symbolic link")
    assert slugs(project) == []


def test_stray_folder(project: Project) -> None:
    folder = project.practice / "drafts"
    folder.mkdir()
    (folder / "nested-study.yml").write_text(VALID_STUDY, encoding="utf-8")
    refuse(project, "drafts", "is a folder", "one .yml file each")
    assert slugs(project) == []


def test_folder_named_like_a_study(project: Project) -> None:
    (project.practice / "looks-like-a-study.yml").mkdir()
    refuse(project, "looks-like-a-study.yml", "is a folder")


def test_reference_folder_is_not_a_problem(project: Project) -> None:
    assert project.reference.is_dir()
    _, problems = collect(project)
    assert problems == []


@pytest.mark.parametrize(
    "name", ["notes.txt", "study.yml.bak", "photo.png", "Makefile", "study.json", "4914", "study.swp"]
)
def test_unrelated_file(project: Project, name: str) -> None:
    (project.practice / name).write_text("anything", encoding="utf-8")
    refuse(project, name, "is not a case study")


EDITOR_LEFTOVERS = ["study.yml~", ".study.yml.swp", ".study.yml.swo", "#study.yml#", "4913"]


@pytest.mark.parametrize("name", EDITOR_LEFTOVERS)
def test_editor_leftovers_are_ignored(project: Project, name: str) -> None:
    (project.practice / name).write_text("title: [unclosed", encoding="utf-8")
    assert collect(project) == ([], [])


def test_an_emacs_lock_link_is_ignored(project: Project) -> None:
    """Emacs marks a file being edited with a dangling link, .#name, to user@host.pid."""
    (project.practice / ".#study.yml").symlink_to("someone@host.1234:1700000000")
    assert collect(project) == ([], [])


def test_check_passes_while_an_editor_has_a_case_study_open(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_study(project, "family-group-conferences", VALID_STUDY)
    for name in EDITOR_LEFTOVERS:
        (project.practice / name).write_text("title: [unclosed", encoding="utf-8")
    (project.practice / ".#family-group-conferences.yml").symlink_to("someone@host.1234:1700000000")
    assert run_hub(project, "check") == 0
    assert "Checked 1 case study" in capsys.readouterr().out


def test_practice_as_a_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "practice").symlink_to(real, target_is_directory=True)
    found, problems = collect(Project(tmp_path / "project"))
    assert found == []
    assert [str(p) for p in problems] == [
        "practice: is a symbolic link; links are never followed — make practice/ a real folder in the project"
    ]


@pytest.mark.parametrize("name", ["README.md", ".gitkeep", ".DS_Store"])
def test_expected_stray_files_are_quiet(project: Project, name: str) -> None:
    (project.practice / name).write_text("", encoding="utf-8")
    assert collect(project) == ([], [])


def test_check_reports_every_problem_in_every_file_sorted(project: Project) -> None:
    write_study(project, "good", VALID_STUDY)
    write_study(
        project,
        "bad-values",
        distinct(VALID_STUDY, "bad").replace("level: promising", "level: strong").replace("2026-03-31", "2024-02-30"),
    )
    write_study(project, "bad-yaml", "title: a\ntitle: b\n")
    write_study(project, "not-utf8", "title: café\n".encode("latin-1"))
    write_study(project, "Bad_Name", VALID_STUDY)
    (project.practice / "notes.txt").write_text("x", encoding="utf-8")
    (project.practice / "link.yml").symlink_to(project.practice / "good.yml")
    problems = checked(project)
    assert problems == sorted(problems)
    assert len(set(problems)) == len(problems)
    where = [(p.path, p.line, p.col) for p in problems]
    assert where == [
        ("practice/Bad_Name.yml", 0, 0),
        ("practice/bad-values.yml", 11, 10),
        ("practice/bad-values.yml", 21, 12),
        ("practice/bad-yaml.yml", 2, 1),
        ("practice/link.yml", 0, 0),
        ("practice/not-utf8.yml", 1, 11),
        ("practice/notes.txt", 0, 0),
    ]
    messages = [p.message for p in problems]
    assert "is not a valid slug" in messages[0]
    assert "'strong' is not a known evidence level" in messages[1]
    assert "'2024-02-30' is not a real date" in messages[2]
    assert "duplicate field 'title' (first given at line 1)" in messages[3]
    assert "symbolic link" in messages[4]
    assert "not valid UTF-8" in messages[5]
    assert "is not a case study" in messages[6]


def test_check_passes_when_every_file_is_good(project: Project) -> None:
    write_study(project, "one", VALID_STUDY)
    write_study(project, "two", distinct(VALID_STUDY, "two").replace("west-berkshire", "hampshire"))
    (project.practice / "README.md").write_text("# Case studies\n", encoding="utf-8")
    catalogue, count = check(project, TODAY)
    assert count == 2


def test_order_of_creation_does_not_change_the_result(project: Project, tmp_path: Path) -> None:
    names = ["zeta", "alpha", "Mid_Name", "beta"]
    for name in names:
        write_study(project, name, VALID_STUDY)
    first = collect(project)
    other = Project(tmp_path / "other")
    (other.root / "practice").mkdir(parents=True)
    for name in reversed(names):
        write_study(other, name, VALID_STUDY)
    second = collect(other)
    assert [slug for slug, _ in first[0]] == [slug for slug, _ in second[0]] == ["alpha", "beta", "zeta"]
    assert [(p.path, p.message) for p in first[1]] == [(p.path, p.message) for p in second[1]]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_with_a_study_name_is_not_opened(project: Project) -> None:
    """Opening a FIFO would block the build for ever; it must be refused before it is read."""
    os.mkfifo(project.practice / "pipe.yml")
    [problem] = problems_for(project, "pipe.yml")
    assert slugs(project) == []
    assert "not a regular file" in problem.message
