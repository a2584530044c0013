"""The GitHub issue form for people who do not use git, and its way back into a case study.

Both directions derive from the schema: `issue_form(ref)` lists one form element per field
(`hub schema` writes it to `.github/ISSUE_TEMPLATE/case-study.yml`), and `from_issue` reads the
body GitHub makes from a submitted form ("### Label" then the answer) back into a case-study
file, rendered from `templates/from-issue.yml.j2` and checked by the real validator before a
maintainer reviews it. GitHub writes each question's heading once; a body with any other
heading, or one twice, had it typed into an answer and is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .escape import Md
from .model import Reference
from .pipeline import Project
from .problems import HubError, Problem, printable
from .render import environment
from .scaffold import place_problem, write_new
from .schema import ALL_REGIONS, CASE_STUDY, Field
from .schema_json import EDITOR_COMMENT
from .validate import case_study
from .values import suggest_slug
from .yamlsafe import Mapping, Scalar, load_bytes

FORM_PATH = ".github/ISSUE_TEMPLATE/case-study.yml"
NO_RESPONSE = "_No response_"
# Fields the form leaves to the maintainer: the date it is published, Ofsted context, old addresses.
SKIPPED = {"published", "ofsted", "aliases"}
CONSENT = "Before you submit"
LINK_HINT = "One per line: the title, a vertical bar, then the https address. For example: Annual report | https://www.example.gov.uk/report"


@dataclass(frozen=True)
class Element:
    id: str  # the schema path joined with "_"
    path: tuple[str, ...]
    label: str
    spec: Field
    widget: str  # input, textarea, dropdown or checkboxes


def _label(path: tuple[str, ...]) -> str:
    words = [p.replace("_", " ") for p in path]
    words[0] = words[0].capitalize()
    return words[0] if len(words) == 1 else f"{words[0]}: {' '.join(words[1:])}"


def elements() -> list[Element]:
    found: list[Element] = []

    def walk(spec: Field, path: tuple[str, ...]) -> None:
        for child in spec.fields:
            here = (*path, child.name)
            if child.name in SKIPPED and not path:
                continue
            if child.kind == "mapping":
                walk(child, here)
                continue
            item = child.item
            if child.kind == "choice" and child.vocabulary == "evidence_levels":
                widget = "dropdown"
            elif child.kind == "list" and item is not None and item.vocabulary in ("themes", "regions"):
                widget = "checkboxes"
            elif child.kind in ("text", "list"):
                widget = "textarea"
            else:
                widget = "input"
            found.append(Element("_".join(here), here, _label(here), child, widget))

    walk(CASE_STUDY, ())
    return found


def _options(element: Element, ref: Reference) -> list[str]:
    vocabulary = element.spec.item.vocabulary if element.spec.item else element.spec.vocabulary
    if vocabulary == "themes":
        return [t.name for t in ref.themes.values()]
    if vocabulary == "regions":
        return [r.name for r in ref.regions.values()] + ["All of England"]
    return [e.name for e in ref.evidence_levels.values()]


def issue_form(ref: Reference) -> str:
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": "Share a case study of good practice. A maintainer turns your answers into a case study and checks it with you "
                "before it is published. Write for a busy practitioner in another authority. Give a team mailbox or a public web page, "
                "never a personal address, and no personal data about children or families."
            },
        }
    ]
    for element in elements():
        spec = element.spec
        description = spec.description
        if spec.kind == "list" and spec.item is not None and spec.item.kind == "mapping":
            description += " " + LINK_HINT
        elif spec.kind == "list" and element.widget == "textarea":
            description += " One per line."
        attributes: dict[str, Any] = {"label": element.label, "description": description}
        if element.widget in ("dropdown", "checkboxes"):
            options = _options(element, ref)
            attributes["options"] = options if element.widget == "dropdown" else [{"label": o} for o in options]
        entry: dict[str, Any] = {"type": element.widget, "id": element.id, "attributes": attributes}
        if spec.required and element.widget != "checkboxes":
            entry["validations"] = {"required": True}
        body.append(entry)
    body.append(
        {
            "type": "checkboxes",
            "id": "consent",
            "attributes": {
                "label": CONSENT,
                "options": [
                    {"label": "This contains no personal data about children, families or staff.", "required": True},
                    {"label": "My organisation is happy for this to be published under the Open Government Licence.", "required": True},
                ],
            },
        }
    )
    form = {
        "name": "Share a case study",
        "description": "Propose a case study of good practice without using git.",
        "title": "Case study: ",
        "labels": ["case study"],
        "body": body,
    }
    header = "# Generated by `hub schema` from scripts/hub/schema.py: do not edit by hand.\n"
    return header + yaml.safe_dump(form, sort_keys=False, allow_unicode=True, width=1000)


# Every line break str.splitlines knows (YAML knows fewer): each becomes "\n" before the body is
# split, so no answer can hide one and start a line, or a question, that the reader cannot see.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_QUESTION = re.compile(r"### (.+?)\s*")


def _questions() -> set[str]:
    """The headings GitHub writes into an issue made from the form: one per question."""
    return {e.label for e in elements()} | {CONSENT}


def _misplaced(label: str, known: set[str], asked_at: int | None) -> str:
    """Why a heading cannot be one GitHub wrote (it is no question, or one already asked), or ""."""
    if label not in known:
        return f"'### {printable(label)}' is not a question on the form, so it was typed into an answer"
    if asked_at is not None:
        return f"the question '{label}' is asked twice, here and at line {asked_at}, so one was typed into an answer"
    return ""


def parse_issue(body: str, shown: str) -> tuple[dict[str, str], list[Problem]]:
    """The answers in an issue body made from the form, by label (empty when not answered),
    and a problem for every heading that is not one of the form's questions or asks one again:
    GitHub writes each question once, so any other was typed into an answer."""
    answers: dict[str, str] = {}
    asked_at: dict[str, int] = {}
    problems: list[Problem] = []
    known = _questions()
    label = None
    lines: list[str] = []

    def close() -> None:
        if label is not None:
            text = "\n".join(lines).strip()
            answers[label] = "" if text == NO_RESPONSE else text

    for number, line in enumerate(_LINE_BREAKS.sub("\n", body).split("\n"), start=1):
        heading = _QUESTION.fullmatch(line)
        if heading is None:
            lines.append(line)
            continue
        close()
        label, lines = heading.group(1), []
        why = _misplaced(label, known, asked_at.get(label))
        if why:
            problems.append(Problem(shown, number, 1, f"{why}; remove it from the issue's text and run again"))
        asked_at.setdefault(label, number)
    close()
    return answers, problems


def _checked(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^- \[[xX]\] (.+)$", text, flags=re.M)]


def from_issue(body: str, ref: Reference, today: date, shown: str) -> tuple[str, list[Problem]]:
    """A case-study file from an issue body; problems name what is missing or unreadable."""
    text, _, problems = _from_issue(body, ref, today, shown)
    return text, problems


def _from_issue(body: str, ref: Reference, today: date, shown: str) -> tuple[str, Mapping | None, list[Problem]]:
    """`from_issue`, with the file's text parsed (None if it does not parse)."""
    answers, problems = parse_issue(body, shown)
    values: dict[str, Any] = {}
    by_name = {**{t.name: t.slug for t in ref.themes.values()}, **{r.name: r.slug for r in ref.regions.values()}, "All of England": ALL_REGIONS}
    levels = {e.name: e.slug for e in ref.evidence_levels.values()}
    for element in elements():
        answer = answers.get(element.label, "").strip()
        if not answer:
            continue
        spec = element.spec
        if element.widget == "checkboxes":
            values[element.id] = [by_name.get(name, name) for name in _checked(answer)]
        elif element.widget == "dropdown":
            values[element.id] = levels.get(answer, answer)
        elif spec.kind == "list" and spec.item is not None and spec.item.kind == "mapping":
            links = []
            for line in filter(None, (line.strip(" -*\t") for line in answer.split("\n"))):
                title, bar, url = line.rpartition("|")
                if not bar:
                    problems.append(Problem(shown, 0, 0, f"'{element.label}': write each link as 'title | https://address' (found a line without '|')"))
                    continue
                links.append({"title": title.strip(), "url": url.strip()})
            values[element.id] = links
        elif spec.kind == "list":
            values[element.id] = [line.strip(" -*\t") for line in answer.split("\n") if line.strip(" -*\t")]
        else:
            values[element.id] = answer
        if values.get(element.id) == []:
            del values[element.id]  # nothing ticked or listed: as if not answered
    if "title" not in values:
        problems.append(Problem(shown, 0, 0, "the issue has no answer for 'Title'; is it made from the case-study form?"))
    consent = _checked(answers.get(CONSENT, ""))
    if len(consent) < 2:
        problems.append(Problem(shown, 0, 0, "the contributor has not ticked both boxes under 'Before you submit'; ask them before going on"))
    env = environment()
    env.filters["block"] = _block
    env.filters["raw"] = Md  # our own constant (the editor comment), not contributor text
    text = env.get_template("from-issue.yml.j2").render(v=values, today=today.isoformat(), editor_comment=EDITOR_COMMENT)
    tree, found = load_bytes(text.encode("utf-8"), shown)
    problems += found
    if tree is not None:
        # Belt and braces: the file may hold only fields the form asks for.
        extra = sorted(set(tree.items) - {e.path[0] for e in elements()} - {"published"})
        if extra:
            problems.append(Problem(shown, 0, 0, f"the answers produced fields the form does not ask for ({', '.join(extra)}); check the issue by hand"))
    return text, tree, problems


def case_study_from_issue(project: Project, ref: Reference, raw: bytes, shown: str, today: date, slug: str = "") -> Path:
    """Write practice/<slug>.yml from a submitted form's text; raise HubError (writing nothing) on any problem."""
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HubError([Problem(shown, 0, 0, "is not UTF-8 text; save the issue's text as UTF-8")]) from None
    text, tree, problems = _from_issue(body, ref, today, shown)
    title = tree.items.get("title") if tree is not None else None
    slug = slug or suggest_slug(title.value if isinstance(title, Scalar) else "")
    if tree is not None and not problems:
        _, found = case_study(tree, slug or "case-study", shown, ref, today)
        # Line numbers would point into YAML nobody has seen yet: name the answer instead.
        problems += [Problem(shown, 0, 0, f"in the answers: {p.message}") for p in found]
    taken = place_problem(project, slug, shown)
    if taken:
        problems.append(taken)
    if problems:
        raise HubError(problems)
    path = project.practice / f"{slug}.yml"
    write_new(path, text)
    return path


def _block(value: str, indent: str = "") -> Md:
    """Multi-line text as a YAML literal block (`|-`), every line indented: nothing in it is YAML syntax."""
    lines = [line.strip() for line in value.split("\n")]
    return Md("|-\n" + "\n".join(f"{indent}  {line}" if line else "" for line in lines))
