"""`hub from-issue`: a submitted "Share a case study" issue back into a case-study file.

GitHub writes the body of an issue made from the form (`derived.issue_form`) as "### Label"
then the answer. `from_issue` reads it back, renders `templates/from-issue.yml.j2` and checks
the result with the real validator before a maintainer reviews it. GitHub writes each
question's heading once; a body with any other heading, or one twice, had it typed into an
answer and is refused.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from hub.commands.new import place_problem, write_new
from hub.core.problems import HubError, Problem, printable
from hub.core.project import Project
from hub.derived.issue_form import CONSENT, NO_RESPONSE, elements
from hub.load.yamlsafe import Mapping, Scalar, load_bytes
from hub.model.records import Reference
from hub.model.schema import Field
from hub.model.validate import case_study
from hub.model.values import suggest_slug
from hub.model.vocabularies import KINDS, vocabularies
from hub.render.casefile import case_study_file
from hub.render.json_schema import EDITOR_COMMENT

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
    for element in elements():
        answer = answers.get(element.label, "").strip()
        if not answer:
            continue
        spec = element.spec
        if element.widget in ("checkboxes", "dropdown"):  # the form shows names; the file holds slugs
            key = spec.item.vocabulary if spec.item else spec.vocabulary
            assert key is not None, f"{element.id} offers choices"
            slugs = KINDS[key].names(ref)
            value: Any = (
                [slugs.get(name, name) for name in _checked(answer)]
                if element.widget == "checkboxes"
                else slugs.get(answer, answer)
            )
        elif spec.kind == "list" and spec.item is not None and spec.item.kind == "mapping":
            value = _items(spec.item, answer, element.label, ref, shown, problems)
        elif spec.kind == "list":
            value = [line.strip(" -*\t") for line in answer.split("\n") if line.strip(" -*\t")]
            if spec.item is not None and spec.item.vocabulary:  # "Leeds City Council" is written as leeds
                vocabulary = vocabularies(ref)[spec.item.vocabulary]
                value = [_slug(vocabulary.resolve_or_none(typed), typed) for typed in value]
        else:
            value = answer
        if value != []:  # nothing ticked or listed: as if not answered
            _put(values, element.path, value)
    if "title" not in values:
        problems.append(
            Problem(shown, 0, 0, "the issue has no answer for 'Title'; is it made from the case-study form?")
        )
    consent = _checked(answers.get(CONSENT, ""))
    if len(consent) < 2:
        problems.append(
            Problem(
                shown,
                0,
                0,
                "the contributor has not ticked both boxes under 'Before you submit'; ask them before going on",
            )
        )
    values["published"] = today.isoformat()
    comments = [
        EDITOR_COMMENT,
        "# Made by `hub from-issue` from a submitted issue form. Check it with the contributor before merging.",
    ]
    text = case_study_file(values, comments)
    tree, found = load_bytes(text.encode("utf-8"), shown)
    # Positions would point into YAML nobody has seen yet: name the answer instead.
    problems += [Problem(shown, 0, 0, f"in the answers: {p.message}") for p in found]
    if tree is not None:
        # Belt and braces: the file may hold only fields the form asks for.
        extra = sorted(set(tree.items) - {e.path[0] for e in elements()} - {"published"})
        if extra:
            problems.append(
                Problem(
                    shown,
                    0,
                    0,
                    f"the answers produced fields the form does not ask for ({', '.join(extra)}); check the issue "
                    "by hand",
                )
            )
    return text, tree, problems


def _slug(found: Any, typed: str) -> str:
    """The slug of what an answer names, or the answer as typed for the validator to explain."""
    return str(getattr(found, "slug", found)) if found is not None else typed


def _put(values: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set a nested field: ("led_by", "partners") -> values["led_by"]["partners"]."""
    for name in path[:-1]:
        values = values.setdefault(name, {})
    values[path[-1]] = value


def _items(
    item: Field, answer: str, label: str, ref: Reference, shown: str, problems: list[Problem]
) -> list[dict[str, str]]:
    """A list's items typed one per line, their fields separated by vertical bars; a choice may
    be typed as the name the hub shows ("Police") or its slug."""
    found = []
    fields = item.fields
    required = sum(1 for f in fields if f.required)
    for line in filter(None, (line.strip(" -*\t") for line in answer.split("\n"))):
        parts = [part.strip() for part in line.split("|", len(fields) - 1)]
        if len(parts) < required:
            hint = " | ".join(f.name for f in fields[:required])
            problems.append(Problem(shown, 0, 0, f"'{label}': write each line as '{hint}' (a line has too few parts)"))
            continue
        entry: dict[str, str] = {}
        for spec, part in zip(fields, parts, strict=False):
            if not part:
                continue
            if spec.kind == "choice" and spec.vocabulary:  # a name as shown ("Police") or a slug
                part = KINDS[spec.vocabulary].names(ref).get(part, part)
                part = _slug(vocabularies(ref)[spec.vocabulary].resolve_or_none(part), part)
            entry[spec.name] = part
        found.append(entry)
    return found


def case_study_from_issue(
    project: Project, ref: Reference, raw: bytes, shown: str, today: date, slug: str = ""
) -> Path:
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


def command(project: Project, args: argparse.Namespace) -> int:
    from hub.model.reference import load_reference

    shown = "standard input" if args.issue == "-" else args.issue
    raw = sys.stdin.buffer.read() if args.issue == "-" else Path(args.issue).read_bytes()
    ref = load_reference(project.reference, project.root)
    path = case_study_from_issue(project, ref, raw, shown, args.today, args.slug or "")
    print(f"Created {project.shown(path)} from {shown}. Review it with the contributor, then open a pull request.")
    return 0
