"""The `hub` command as a user runs it: messages, counts, exit codes, nothing written on error."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import VALID_STUDY, distinct, run_hub_process, write_study
from hub.core.project import Project


def run(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return run_hub_process(project, *args, env={**os.environ, "PYTHONHASHSEED": "0"})


def test_check_passes_on_valid_input(project: Project) -> None:
    write_study(project, "family-group-conferences", VALID_STUDY)
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert "Checked 1 case study" in result.stdout


def test_check_reports_every_problem_in_every_file_then_a_count(project: Project) -> None:
    write_study(project, "one", VALID_STUDY.replace("title:", "titel:", 1))
    write_study(
        project,
        "two",
        distinct(VALID_STUDY, "two").replace("family-networks", "famly-networks").replace("2026-03-31", "2024-02-30"),
    )
    write_study(project, "three", b"title: caf\xe9\n")
    result = run(project, "check")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert lines[-1] == "5 problems in 3 files; nothing was written."
    assert lines == sorted(lines[:-1]) + lines[-1:], "problems come sorted by file, line and column"
    assert "practice/one.yml:1:1: unknown field 'titel'; did you mean 'title'?" in lines
    assert any(line.startswith("practice/one.yml:1:1: 'title' is missing") for line in lines)
    assert any(line.startswith("practice/three.yml:1:") and "not valid UTF-8" in line for line in lines)
    assert any(
        line
        == "practice/two.yml:17:5: 'themes[1]' 'famly-networks' is not a known theme; did you mean 'family-networks'?"
        for line in lines
    )
    assert any(line.startswith("practice/two.yml:21:12: 'published' '2024-02-30' is not a real date") for line in lines)


def test_build_with_bad_input_writes_nothing(project: Project) -> None:
    write_study(project, "bad", VALID_STUDY.replace("west-berkshire", "westeros"))
    before = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*"))
    result = run(project, "build")
    assert result.returncode == 1
    assert "'led_by.authorities[1]' 'westeros' is not a known local authority" in result.stderr
    assert sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*")) == before


def test_generate_writes_only_what_changed(project: Project) -> None:
    write_study(project, "family-group-conferences", VALID_STUDY)
    first = run(project, "generate")
    assert first.returncode == 0, first.stderr
    assert "written, 0 unchanged, 0 removed" in first.stdout
    second = run(project, "generate")
    assert ": 0 written," in second.stdout and "0 removed" in second.stdout
    (project.practice / "family-group-conferences.yml").unlink()
    third = run(project, "generate")
    assert "1 removed" in third.stdout
    assert not (project.docs / "practice" / "family-group-conferences.md").exists()


def test_help_lists_the_commands(project: Project) -> None:
    result = run(project, "--help")
    for command in ("check", "generate", "build", "serve", "import-authorities"):
        assert command in result.stdout


def test_makefile_help_lists_every_target() -> None:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(["make", "-s", "help"], cwd=root, capture_output=True, text=True, check=True)
    for target in ("build", "serve", "check", "test", "import-authorities"):
        assert f"make {target}" in result.stdout


def test_check_prints_github_annotations(project: Project) -> None:
    write_study(project, "one", VALID_STUDY.replace("family-networks", "famly-networks"))
    result = run(project, "check", "--format", "github")
    assert result.returncode == 1
    assert (
        "::error file=practice/one.yml,line=17,col=5,title=hub check::'themes[1]' 'famly-networks' is not a known theme"
        in result.stderr
    )


def test_annotations_cannot_smuggle_workflow_commands() -> None:
    from hub.core.problems import Problem

    line = Problem("practice/a,b.yml", 3, 1, "bad\n::add-mask::x 100%").github()
    assert "\n" not in line
    assert line == "::error file=practice/a%2Cb.yml,line=3,col=1,title=hub check::bad%0A::add-mask::x 100%25"


def test_hostile_file_names_cannot_break_a_log_line_in_either_format(project: Project) -> None:
    """A file name can hold any character but '/' and NUL: what `hub check` prints of it is one
    line per problem, with no control, separator or bidi character a terminal or GitHub's log
    would act on."""
    names = [
        "x\n::warning::owned.yml",
        "y\x1b[31mred.yml",
        "z\u2028::error::u2028.yml",
        "w\u202eevil.yml",
        "v\r::add-mask::x.yml",
    ]
    for name in names:
        (project.practice / name).write_text("title: x\n", encoding="utf-8")
    for style in ("text", "github"):
        result = run(project, "check", "--format", style)
        assert result.returncode == 1
        lines = result.stderr.splitlines()  # str.splitlines splits at every line break Unicode knows
        assert len(lines) == len(names) + 1, result.stderr
        assert all(line.isprintable() for line in lines)
        if style == "github":
            assert all(line.startswith("::error file=practice/") for line in lines[:-1])
        else:
            assert all(line.startswith("practice/") and "::" not in line.split(":", 1)[0] for line in lines[:-1])
