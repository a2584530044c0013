"""`hub new`: a valid case study named from its title, never overwriting."""

from __future__ import annotations

import io

import pytest

from conftest import TODAY, run_hub
from hub.commands.cli import main
from hub.core.project import Project
from hub.pipeline import check


def test_new_writes_a_valid_case_study(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    assert (
        main(
            [
                "--today",
                TODAY.isoformat(),
                "new",
                "--title",
                "Kinship care: a family network offer",
                "--authority",
                "869",
                "--theme",
                "family-networks",
                "--theme",
                "Children in care",
            ]
        )
        == 0
    )
    path = project.practice / "kinship-care-a-family-network-offer.yml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/case-study.schema.json\n"
    )
    catalogue, _ = check(project, TODAY)
    (study,) = catalogue.studies
    assert study.title == "Kinship care: a family network offer"
    assert study.lead.authority is not None and study.lead.authority.slug == "west-berkshire"
    assert [t.slug for t in study.themes] == ["family-networks", "children-in-care"]
    assert study.published == TODAY


def test_new_never_overwrites(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project.root)
    existing = project.practice / "peer-review.yml"
    existing.write_text("mine", encoding="utf-8")
    assert run_hub(project, "new", "--title", "Peer review", "--authority", "kent", "--theme", "workforce") == 1
    assert existing.read_text(encoding="utf-8") == "mine"
    assert "already exists; hub never overwrites" in capsys.readouterr().err


def test_new_explains_bad_answers(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project.root)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run_hub(project, "new", "--title", "Peer review", "--authority", "West Berks", "--theme", "workforce") == 1
    assert "did you mean 'west-berkshire'?" in capsys.readouterr().err
    assert run_hub(project, "new", "--title", "Peer review", "--authority", "kent") == 1
    assert "is needed: pass it as an option" in capsys.readouterr().err
    assert not list(project.practice.glob("*.yml"))


def test_new_asks_at_a_terminal(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    answers = iter(["Early help hubs", "Westeros", "Kent", "famly help", "family-help, workforce"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert run_hub(project, "new") == 0
    catalogue, _ = check(project, TODAY)
    (study,) = catalogue.studies
    assert study.slug == "early-help-hubs"
    assert study.lead_name == "Kent"
    assert [t.slug for t in study.themes] == ["family-help", "workforce"]


def test_end_of_input_at_a_question_writes_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project.root)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)

    def end_of_input(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", end_of_input)
    assert run_hub(project, "new") == 1
    assert "no answer given; nothing was written" in capsys.readouterr().err
    assert not list(project.practice.glob("*.yml"))
