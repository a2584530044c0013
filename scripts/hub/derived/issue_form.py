"""The GitHub issue form for people who do not use git, derived from the schema.

`issue_form(ref)` lists one form element per field; `hub schema` writes it to
`.github/ISSUE_TEMPLATE/case-study.yml`. `elements()` is the list both directions share:
`commands.from_issue` reads a submitted form's answers back by the same labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from hub.model.records import Reference
from hub.model.schema import CASE_STUDY, Field
from hub.model.vocabularies import KINDS

FORM_PATH = ".github/ISSUE_TEMPLATE/case-study.yml"
NO_RESPONSE = "_No response_"
# Fields the form leaves to the maintainer: when it is published and reviewed, old addresses,
# and who wrote it (someone using the form writes about their own work).
SKIPPED = {"published", "updated", "review", "aliases", "provenance"}
CONSENT = "Before you submit"
# Vocabularies small enough for a drop-down list, and those shown as boxes to tick.
DROPDOWNS = frozenset({"evidence_levels", "evaluation_statuses", "evaluation_designs"})
CHECKBOXES = frozenset({"themes", "regions"})
# What each part of a line is called, for a list whose items have several fields.
PARTS = {
    "title": "title",
    "url": "address",
    "date": "date",
    "kind": "kind",
    "measure": "what was measured",
    "change": "change",
    "period": "over what period",
    "source": "source address",
    "programme": "programme",
    "amount": "amount",
    "years": "years",
    "name": "name",
}


def parts_hint(item: Field) -> str:
    """How to write a list's items of several fields on one line each."""
    names = [PARTS[f.name] for f in item.fields]
    required = sum(1 for f in item.fields if f.required)
    optional = f" (the last {len(names) - required} may be left out)" if required < len(names) else ""
    return f"One per line: the {', '.join(names[:-1])} and {names[-1]}, separated by vertical bars{optional}."


@dataclass(frozen=True)
class Element:
    id: str  # the schema path joined with "_"
    path: tuple[str, ...]
    label: str
    spec: Field
    widget: str  # input, textarea, dropdown or checkboxes


EXAMPLES = {
    "sources": "Annual report | https://www.example.gov.uk/report | 2024 | council-report",
    "evidence_links": "Evaluation report | https://www.example.gov.uk/evaluation",
    "outcomes": "Children on child protection plans | -20% | 2022 to 2024",
    "funding": "Supporting Families | £200,000 | 2023 to 2025",
    "led_by_partner_organisations": "Thames Valley Police | police",
}


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
            if child.kind == "choice" and child.vocabulary in DROPDOWNS:
                widget = "dropdown"
            elif child.kind == "list" and item is not None and item.vocabulary in CHECKBOXES:
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
    assert vocabulary is not None, f"{element.id} offers choices"
    return list(KINDS[vocabulary].names(ref))


def issue_form(ref: Reference) -> str:
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": "Share a case study of good practice. A maintainer turns your answers into a case study "
                "and checks it with you before it is published. Write for a busy practitioner in another "
                "authority. Give a team mailbox or a public web page, never a personal address, and no personal "
                "data about children or families."
            },
        }
    ]
    for element in elements():
        spec = element.spec
        description = spec.description
        if spec.kind == "list" and spec.item is not None and spec.item.kind == "mapping":
            description += " " + parts_hint(spec.item)
            example = EXAMPLES.get(element.id)
            if example:
                description += f" For example: {example}"
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
                    {
                        "label": "My organisation is happy for this to be published under the Open Government Licence.",
                        "required": True,
                    },
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
    header = "# Generated by `hub schema` from scripts/hub/model/schema.py: do not edit by hand.\n"
    return header + yaml.safe_dump(form, sort_keys=False, allow_unicode=True, width=1000)
