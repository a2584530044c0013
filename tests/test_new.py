"""`hub new`: a valid case study named from its title, never overwriting."""

from __future__ import annotations

import io
from typing import Any

import pytest

from conftest import TODAY, run_hub
from hub.core.project import Project
from hub.model.schema import PLACEHOLDERS
from hub.pipeline import check


def fill_in(project: Project) -> Project:
    """Every case study in the project with `hub new`'s example text replaced, as a contributor would."""
    for path in project.practice.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        for label, example in PLACEHOLDERS.items():
            mine = "https://www.example.gov.uk/our-work" if label.endswith("url") else f"Our own {label}."
            text = text.replace(example, mine)
        path.write_text(text, encoding="utf-8")
    return project


def test_an_unedited_draft_is_refused_where_its_example_text_is(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_hub(project, "new", "--title", "A draft left as it was", "--authority", "leeds", "--theme", "workforce")
        == 0
    )
    capsys.readouterr()
    assert run_hub(project, "check") == 1
    err = capsys.readouterr().err.splitlines()
    text = (project.practice / "a-draft-left-as-it-was.yml").read_text(encoding="utf-8").splitlines()
    refused = [line for line in err if "still holds the example text `hub new` wrote" in line]
    assert len(refused) == len(PLACEHOLDERS) and len(err) == len(PLACEHOLDERS) + 1, err
    for line in refused:
        place, label = line.split(": '", 1)[0], line.split("'")[1]
        row, col = (int(n) for n in place.split(":")[1:3])
        assert text[row - 1][col - 1 :].strip() in {*PLACEHOLDERS.values(), ">-"}, (line, label)


def test_new_writes_a_valid_case_study(project: Project) -> None:
    options = ["--title", "Kinship care: a family network offer", "--authority", "869"]
    assert run_hub(project, "new", *options, "--theme", "family-networks", "--theme", "Children in care") == 0
    path = project.practice / "kinship-care-a-family-network-offer.yml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/case-study.schema.json\n"
    )
    catalogue, _ = check(fill_in(project), TODAY)
    (study,) = catalogue.studies
    assert study.title == "Kinship care: a family network offer"
    assert [a.slug for a in study.lead.leads] == ["west-berkshire"]
    assert [t.slug for t in study.themes] == ["family-networks", "children-in-care"]
    assert study.published == TODAY


@pytest.mark.parametrize(
    ("options", "check_study"),
    [
        (
            ["--authority", "Westminster City Council", "--authority", "kensington-and-chelsea"],
            lambda s: [a.slug for a in s.lead.leads] == ["westminster", "kensington-and-chelsea"],
        ),
        (
            ["--organisation", "Family Rights Group", "--partner", "leeds", "--partner", "camden"],
            lambda s: (
                s.lead.organisation == "Family Rights Group"
                and [r.slug for r in s.regions] == ["yorkshire-and-the-humber", "london"]
            ),
        ),
        (
            ["--organisation", "ADCS South West", "--region", "south-west"],
            lambda s: [r.slug for r in s.regions] == ["south-west"],
        ),
        (["--organisation", "A national programme", "--region", "england"], lambda s: s.lead.national),
        (
            ["--authority", "cumbria", "--public-sources", "--started", "2018", "--ended", "2023-03"],
            lambda s: s.contact is None and s.from_public_sources and s.when == "2018 – March 2023",
        ),
    ],
)
def test_new_starts_every_shape_of_case_study(project: Project, options: list[str], check_study: Any) -> None:
    assert run_hub(project, "new", "--title", "A shape", *options, "--theme", "workforce") == 0
    catalogue, _ = check(fill_in(project), TODAY)
    (study,) = catalogue.studies
    assert check_study(study), study


def test_new_refuses_a_shape_the_format_refuses(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    options = ["--organisation", "A programme", "--partner", "leeds", "--region", "london"]
    assert run_hub(project, "new", "--title", "A shape", *options, "--theme", "workforce") == 1
    assert "'led_by.regions' names London, where none of the authorities taking part is" in capsys.readouterr().err
    assert not list(project.practice.glob("*.yml"))


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
    answers = iter(
        [
            "Early help hubs",
            "Westeros",
            "Kent County Council",
            "",
            "famly help",
            "family-help, workforce",
            "2021-04",
            "",
        ]
    )
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert run_hub(project, "new") == 0
    catalogue, _ = check(fill_in(project), TODAY)
    (study,) = catalogue.studies
    assert study.slug == "early-help-hubs"
    assert study.lead_name == "Kent"
    assert [t.slug for t in study.themes] == ["family-help", "workforce"]
    assert study.when == "since April 2021"


@pytest.mark.parametrize("at", range(3))
def test_an_empty_answer_to_a_question_that_needs_one_leaves(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], at: int
) -> None:
    """A wrong authority asks again; an empty answer stops, writing nothing."""
    answers = iter(["Early help hubs", "Westeros", "kent", "", "family-help"][: [1, 2, 4][at]] + [""])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert run_hub(project, "new") == 1
    assert "no answer given; nothing was written" in capsys.readouterr().err
    assert not list(project.practice.glob("*.yml"))


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
