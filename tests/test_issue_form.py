"""The issue form for non-git contributors, and `hub from-issue` turning its answers into a case study."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, run_hub
from hub.commands.from_issue import from_issue
from hub.core.project import Project
from hub.derived.issue_form import FORM_PATH, elements, issue_form
from hub.load.yamlsafe import load_bytes
from hub.model.reference import load_reference
from hub.model.schema import CASE_STUDY
from hub.model.validate import case_study
from hub.pipeline import check

REF = load_reference(ROOT / "practice" / "reference", ROOT)

ANSWERS = {
    "Title": "Family group conferences: every family, every time",
    "Summary": "We offered every family a conference.\n\nSecond paragraph: key: value # not a comment",
    "Challenge": "# Not a heading\n- not a list",
    "What we did": "Coordinators offered a conference.",
    "Impact": "More children stayed at home.",
    "Evidence: level": "Promising",
    "Evidence: details": "Our own data.",
    "Evidence: links": "Evaluation | https://www.example.gov.uk/evaluation",
    "Learning": "_No response_",
    "Started": "2019-09",
    "Ended": "_No response_",
    "Outcomes": "Children entering care | -12% | 2019 to 2024\nFamilies reached | 940",
    "Reach": "940 families",
    "Funding": "Supporting Families | £200,000 | 2023 to 2025",
    "Led by: authorities": "Hampshire County Council",
    "Led by: organisation": "_No response_",
    "Led by: regions": "- [ ] South East\n- [ ] All of England",
    "Led by: partners": "- West Berkshire\n- 886",
    "Led by: partner organisations": "Thames Valley Police | Police\nFamily Rights Group | voluntary-sector | https://frg.org.uk",
    "Themes": "- [X] Family networks\n- [ ] Workforce\n- [x] Children in care",
    "Contact: role": "Head of service",
    "Contact: team": "_No response_",
    "Contact: email": "family.help@example.gov.uk",
    "Contact: url": "_No response_",
    "Sources": "Annual report | https://www.example.gov.uk/report\n- Board paper | https://www.example.gov.uk/board",
    "Before you submit": (
        "- [X] This contains no personal data about children, families or staff.\n"
        "- [X] My organisation is happy for this to be published."
    ),
}


def issue_body(answers: dict[str, str]) -> str:
    return "\n\n".join(f"### {label}\n\n{answer}" for label, answer in answers.items()) + "\n"


def test_form_is_up_to_date_and_valid_yaml() -> None:
    text = (ROOT / FORM_PATH).read_text(encoding="utf-8")
    assert text == issue_form(REF), "run `hub schema`"
    form = yaml.safe_load(text)
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    themes = next(item for item in form["body"] if item.get("id") == "themes")
    assert [o["label"] for o in themes["attributes"]["options"]] == [t.name for t in REF.themes.values()]


def test_every_choice_on_the_form_offers_options_that_come_back_as_slugs() -> None:
    """GitHub refuses a form with an empty dropdown; and each option offered must be understood."""
    form = yaml.safe_load((ROOT / FORM_PATH).read_text(encoding="utf-8"))
    choices = [item for item in form["body"] if item["type"] in ("dropdown", "checkboxes")]
    assert len(choices) >= 6
    for item in choices:
        assert item["attributes"]["options"], item["id"]
    for status, design, slugs in (
        ("Evaluation under way", "Interviews and observation (qualitative)", ("under-way", "qualitative")),
        ("Evaluation published", "A randomised controlled trial", ("published", "randomised")),
    ):
        answers = {
            **ANSWERS,
            "Evidence: evaluation status": status,
            "Evidence: evaluation evaluator": "An independent university team",
            "Evidence: evaluation design": design,
            "Evidence: evaluation report": "https://www.example.gov.uk/evaluation-report",
        }
        text, problems = from_issue(issue_body(answers), REF, TODAY, "issue.md")
        assert problems == []
        tree, problems = load_bytes(text.encode(), "x.yml")
        study, problems = case_study(tree, "fgc", "x.yml", REF, TODAY)
        assert study is not None and study.evidence.evaluation is not None, problems
        assert (study.evidence.evaluation.status, study.evidence.evaluation.design) == slugs


def test_form_asks_for_every_required_field() -> None:
    asked = {e.path for e in elements()}
    for spec in CASE_STUDY.fields:
        if spec.required and spec.name != "published" and spec.kind != "mapping":
            assert (spec.name,) in asked, spec.name
    for spec in CASE_STUDY.child("evidence").fields + CASE_STUDY.child("contact").fields:  # type: ignore[union-attr]
        if spec.required:
            assert any(path[-1] == spec.name for path in asked)


def test_answers_become_a_valid_case_study() -> None:
    text, problems = from_issue(issue_body(ANSWERS), REF, TODAY, "issue.md")
    assert problems == []
    tree, problems = load_bytes(text.encode(), "x.yml")
    assert tree is not None and problems == []
    study, problems = case_study(tree, "fgc", "x.yml", REF, TODAY)
    assert study is not None, problems
    assert study.title == "Family group conferences: every family, every time"
    assert study.summary == "We offered every family a conference.\n\nSecond paragraph: key: value # not a comment"
    assert study.challenge == "# Not a heading\n- not a list"
    assert study.evidence.level.slug == "promising"
    assert [a.slug for a in study.lead.leads] == ["hampshire"]
    assert [a.slug for a in study.lead.partners] == ["kent", "west-berkshire"]
    assert [(o.name, o.kind, o.url) for o in study.lead.organisations] == [
        ("Thames Valley Police", "police", None),
        ("Family Rights Group", "voluntary-sector", "https://frg.org.uk"),
    ]
    assert study.started is not None and study.started.iso == "2019-09" and study.ended is None
    assert [(o.measure, o.change, o.period) for o in study.outcomes] == [
        ("Children entering care", "-12%", "2019 to 2024"),
        ("Families reached", "940", None),
    ]
    assert study.reach == "940 families"
    assert [(f.programme.slug, f.amount, f.years) for f in study.funding] == [
        ("supporting-families", "£200,000", "2023 to 2025")
    ]
    assert [t.slug for t in study.themes] == ["family-networks", "children-in-care"]
    assert [s.title for s in study.sources] == ["Annual report", "Board paper"]
    assert study.published == TODAY


def test_bad_answers_are_reported(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = ANSWERS | {"Sources": "Annual report https://www.example.gov.uk/report", "Led by: authority": "Westeros"}
    issue = tmp_path / "issue.md"
    issue.write_text(issue_body(answers), encoding="utf-8")
    monkeypatch.chdir(project.root)
    assert run_hub(project, "from-issue", str(issue)) == 1
    err = capsys.readouterr().err
    assert "'Sources': write each line as 'title | url' (a line has too few parts)" in err
    assert not list(project.practice.glob("*.yml"))


def test_from_issue_writes_once(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = tmp_path / "issue.md"
    issue.write_text(issue_body(ANSWERS | {"Led by: partners": "west-berkshire"}), encoding="utf-8")
    monkeypatch.chdir(project.root)
    assert run_hub(project, "from-issue", str(issue)) == 0
    catalogue, _ = check(project, TODAY)
    assert [s.slug for s in catalogue.studies] == ["family-group-conferences-every-family-every-time"]
    assert run_hub(project, "from-issue", str(issue)) == 1
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("newline", ["\r", "\x85", "\u2028", "\x0b"])
def test_a_hidden_line_break_cannot_add_fields(newline: str) -> None:
    smuggled = (
        f"Short summary.{newline}aliases:{newline}  - old-address{newline}ofsted:{newline}  - judgement: outstanding"
    )
    text, problems = from_issue(issue_body(ANSWERS | {"Summary": smuggled}), REF, TODAY, "issue.md")
    tree, _ = load_bytes(text.encode(), "x.yml")
    assert tree is not None and "aliases" not in tree.items and "ofsted" not in tree.items
    study, _ = case_study(tree, "x", "x.yml", REF, TODAY)
    assert study is not None and "aliases:" in study.summary, "the text stays text, in the summary"


# Every line break Python knows (str.splitlines): "\r\n" and each character that ends a line.
LINE_BREAKS = ["\r\n", *(c for c in map(chr, range(0x110000)) if len(f"a{c}b".splitlines()) == 2)]


def from_issue_file(
    project: Project, tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    """`hub from-issue` on a file holding `body`: its exit code and the lines it printed as errors."""
    issue = tmp_path / "issue.md"
    issue.write_bytes(body.encode("utf-8"))
    monkeypatch.chdir(project.root)
    code = run_hub(project, "from-issue", str(issue))
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("newline", LINE_BREAKS, ids=ascii)
def test_a_hidden_line_break_cannot_answer_a_question_again(
    newline: str, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    consent = ANSWERS["Before you submit"] + f"{newline}### Title{newline}{newline}Overridden"
    body = issue_body(ANSWERS | {"Before you submit": consent})
    lines = body.splitlines()
    first = lines.index("### Title") + 1
    second = lines.index("### Title", first) + 1
    code, err = from_issue_file(project, tmp_path, body, monkeypatch, capsys)
    assert code == 1
    assert err[0] == (
        f"{tmp_path / 'issue.md'}:{second}:1: the question 'Title' is asked twice, here and at line {first}, "
        "so one was typed into an answer; remove it from the issue's text and run again"
    )
    assert not any("Traceback" in line for line in err)
    assert not list(project.practice.glob("*.yml")), "nothing written"


@pytest.mark.parametrize("newline", LINE_BREAKS, ids=ascii)
def test_every_line_break_separates_lines(newline: str) -> None:
    expected, problems = from_issue(issue_body(ANSWERS), REF, TODAY, "issue.md")
    assert problems == []
    assert from_issue(issue_body(ANSWERS).replace("\n", newline), REF, TODAY, "issue.md") == (expected, [])


def test_a_heading_typed_into_an_answer_is_refused(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = issue_body(
        ANSWERS | {"Summary": "We offered every family a conference.\n### How we did it\nThe rest of the summary."}
    )
    code, err = from_issue_file(project, tmp_path, body, monkeypatch, capsys)
    assert code == 1
    line = body.splitlines().index("### How we did it") + 1
    assert err[0] == (
        f"{tmp_path / 'issue.md'}:{line}:1: '### How we did it' is not a question on the form, so it was typed "
        "into an answer; "
        "remove it from the issue's text and run again"
    )
    assert not list(project.practice.glob("*.yml"))


def test_consent_is_required() -> None:
    _, problems = from_issue(issue_body(ANSWERS | {"Before you submit": "- [ ] no"}), REF, TODAY, "issue.md")
    assert any("has not ticked both boxes" in p.message for p in problems)


def test_awkward_issues_are_reported_without_a_traceback(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project.root)
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes(issue_body(ANSWERS).replace("every time", "caf\u00e9").encode("latin-1", "replace"))
    assert run_hub(project, "from-issue", str(latin1)) == 1
    assert "is not UTF-8 text" in capsys.readouterr().err
    nameless = tmp_path / "nameless.md"
    nameless.write_text(issue_body(ANSWERS | {"Title": "日本の事例"}), encoding="utf-8")
    assert run_hub(project, "from-issue", str(nameless)) == 1
    assert "gives no file name" in capsys.readouterr().err
    assert not list(project.practice.glob("*.yml"))


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\ufeff"])
def test_a_character_refused_in_an_answer_names_the_answers_not_a_hidden_position(char: str) -> None:
    _, problems = from_issue(
        issue_body(ANSWERS | {"Summary": f"We offered{char} every family a conference."}), REF, TODAY, "issue.md"
    )
    [problem] = problems
    assert (problem.line, problem.col) == (0, 0) and problem.message.startswith("in the answers: "), problem
