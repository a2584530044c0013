"""The JSON Schema editors use and `hub check` agree.

Each case below changes one thing in a real case study. `hub check`'s own loader and validator
judge it, and so does check-jsonschema (the validator pre-commit and CI tools use) with the
committed schema, over every case in one run. They must agree, except on the rules CONTRIBUTING.md
lists as the hub's alone: for those the hub refuses, the schema cannot, and the hub's message says
which rule it was. The schema must never refuse what the hub accepts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, TODAY
from hub.core.problems import Problem
from hub.load.yamlsafe import load_bytes
from hub.model.records import Reference
from hub.model.reference import load_reference
from hub.model.validate import case_study
from hub.render.json_schema import SCHEMA_PATH

GOLDEN = FIXTURES / "golden" / "practice"
KINSHIP = (GOLDEN / "kinship-first-in-the-south-east.yml").read_text(encoding="utf-8")
FORMER = (GOLDEN / "former-county-academy.yml").read_text(encoding="utf-8")
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def edit(base: str, old: str, new: str) -> str:
    assert base.count(old) == 1, old
    return base.replace(old, new)


K_LEAD = "  authorities: [west-berkshire, hampshire]\n"
K_CONTACT = (
    "contact:\n  role: Head of family help\n  team: Family network service\n"
    "  email: family.network@example.gov.uk\n  url: https://www.example.gov.uk/family-network\n"
)

# Accepted by both.
BOTH_ACCEPT = {
    "kinship as it is": KINSHIP,
    "former county as it is": FORMER,
    "an authority by its name, one not a list": edit(KINSHIP, K_LEAD, "  authorities: West Berkshire\n"),
    "an authority by its DfE code": edit(KINSHIP, K_LEAD, "  authorities: ['869', hampshire]\n"),
    "a former authority": edit(KINSHIP, K_LEAD, "  authorities: [cumbria]\n"),
    "a year as a number": edit(KINSHIP, "started: 2019-09", "started: 2019"),
    "one theme, not a list": edit(KINSHIP, "  - family-networks\n  - children-in-care\n", "  - family-networks\n"),
    "no contact when written from public sources": FORMER,
    "an email but no page": edit(KINSHIP, "  url: https://www.example.gov.uk/family-network\n", ""),
    "work led by an organisation with partners": edit(
        KINSHIP, K_LEAD, "  organisation: Family Rights Group\n  partners: [west-berkshire, hampshire]\n"
    ),
    "work led by an organisation across England": edit(
        KINSHIP, K_LEAD, "  organisation: A national charity\n  regions: england\n"
    ),
}

# Refused by both.
BOTH_REFUSE = {
    "no title": edit(KINSHIP, 'title: "Kinship first: asking the family before care <b>proceedings</b>"\n', ""),
    "an empty title": edit(
        KINSHIP, 'title: "Kinship first: asking the family before care <b>proceedings</b>"', "title: ''"
    ),
    "a number for a title": edit(
        KINSHIP, 'title: "Kinship first: asking the family before care <b>proceedings</b>"', "title: 12"
    ),
    "null for text": edit(KINSHIP, 'reach: "940 families"', "reach: null"),
    "a field the hub does not know": edit(KINSHIP, 'learning: "Start', 'lessons: "Start'),
    "an unknown evidence level": edit(KINSHIP, "level: validated", "level: amazing"),
    "an evidence level by its name": edit(KINSHIP, "level: validated", "level: Validated"),
    "an unknown theme": edit(KINSHIP, "  - children-in-care\n", "  - hugs\n"),
    "a council's own name for itself": edit(KINSHIP, K_LEAD, "  authorities: [Leeds City Council]\n"),
    "an empty list of themes": edit(KINSHIP, "themes:\n  - family-networks\n  - children-in-care\n", "themes: []\n"),
    "no authorities": edit(KINSHIP, K_LEAD, "  authorities: []\n"),
    "a thirteenth month": edit(KINSHIP, "started: 2019-09", "started: 2019-13"),
    "an end without a start": edit(KINSHIP, "started: 2019-09\n", ""),
    "a contact with no way to reach them": edit(
        KINSHIP, K_CONTACT, "contact:\n  role: Head of family help\n  team: Family network service\n"
    ),
    "no contact, not from public sources": edit(FORMER, "provenance: public-sources\n", ""),
    "a script address for a source": edit(
        KINSHIP,
        'url: https://www.example.gov.uk/annual-report\n  - title: "Ofsted',
        'url: javascript:alert(1)\n  - title: "Ofsted',
    ),
    "a lead authority and an organisation": edit(KINSHIP, K_LEAD, K_LEAD + "  organisation: A charity\n"),
    "an organisation with neither partners nor regions": edit(KINSHIP, K_LEAD, "  organisation: A charity\n"),
    "details of an evaluation that is not there": edit(KINSHIP, "status: published", "status: none"),
    "validated by an evaluation still under way": edit(KINSHIP, "status: published", "status: under-way"),
    "an unknown kind of partner": edit(KINSHIP, "kind: police", "kind: spaceship"),
    "an unknown funding programme": edit(KINSHIP, "programme: innovation-programme", "programme: lottery-win"),
    "an unknown kind of source": edit(KINSHIP, "kind: inspection", "kind: rumour"),
    "an email address that is not one": edit(
        KINSHIP, "email: family.network@example.gov.uk", "email: family network at example"
    ),
    "an outcome with no measure": edit(
        KINSHIP, "  - measure: Children entering care | each year\n    change", "  - change"
    ),
    "a source with no address": edit(
        KINSHIP, "    url: https://www.example.gov.uk/annual-report\n  - title", "  - title"
    ),
}

# Refused by the hub alone, with a fragment of its message naming the rule CONTRIBUTING.md lists.
HUB_ONLY = {
    "published in the future": (
        edit(edit(KINSHIP, "published: 2026-01-15", "published: 2030-01-15"), "review: 2027-01-15\n", ""),
        "future",
    ),
    "started in the future": (
        edit(edit(FORMER, 'started: "2018"', 'started: "2029"'), "ended: 2023-03\n", ""),
        "future",
    ),
    "ended before it started": (edit(KINSHIP, 'ended: "2024"', 'ended: "2018"'), "before"),
    "a review before publication": (edit(KINSHIP, "review: 2027-01-15", "review: 2025-01-15"), "after"),
    "a region none of its authorities is in": (
        edit(KINSHIP, K_LEAD, "  organisation: A charity\n  partners: [west-berkshire]\n  regions: north-east\n"),
        "North East",
    ),
    "a right-to-left override in a title": (
        edit(KINSHIP, "asking the family", "asking the \u202efamily"),
        "U+202E",
    ),
}


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference(ROOT / "practice" / "reference", ROOT)


def hub_problems(text: str, ref: Reference) -> list[Problem]:
    tree, problems = load_bytes(text.encode("utf-8"), "case.yml")
    if problems or tree is None:
        return problems
    study, problems = case_study(tree, "case", "case.yml", ref, TODAY)
    assert (study is None) == bool(problems)
    return problems


@pytest.fixture(scope="module")
def schema_refuses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every case, checked by check-jsonschema in one run: the errors for each case's file."""
    folder = tmp_path_factory.mktemp("cases")
    names: dict[str, str] = {}
    cases = {**BOTH_ACCEPT, **BOTH_REFUSE, **{name: text for name, (text, _) in HUB_ONLY.items()}}
    for number, (name, text) in enumerate(cases.items()):
        path = folder / f"case-{number}.yml"
        path.write_text(text, encoding="utf-8")
        names[str(path)] = name
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "-o", "json", "--schemafile", str(ROOT / SCHEMA_PATH), *names],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["parse_errors"] == [], report["parse_errors"]
    errors: dict[str, list[str]] = {name: [] for name in cases}
    for error in report["errors"]:
        errors[names[error["filename"]]].append(f"{error['path']}: {error['message']}")
    return errors


@pytest.mark.parametrize("name", BOTH_ACCEPT)
def test_both_accept(name: str, ref: Reference, schema_refuses: dict[str, list[str]]) -> None:
    assert hub_problems(BOTH_ACCEPT[name], ref) == []
    assert schema_refuses[name] == []


@pytest.mark.parametrize("name", BOTH_REFUSE)
def test_both_refuse(name: str, ref: Reference, schema_refuses: dict[str, list[str]]) -> None:
    assert hub_problems(BOTH_REFUSE[name], ref), "the hub accepted it"
    assert schema_refuses[name], "the schema accepted it"


@pytest.mark.parametrize("name", HUB_ONLY)
def test_rules_only_the_hub_can_apply(name: str, ref: Reference, schema_refuses: dict[str, list[str]]) -> None:
    text, fragment = HUB_ONLY[name]
    problems = hub_problems(text, ref)
    assert len(problems) == 1 and fragment in problems[0].message, problems
    assert schema_refuses[name] == [], "JSON Schema can say this after all: move the case to BOTH_REFUSE"


def test_every_case_study_in_the_hub_meets_the_schema() -> None:
    files = sorted((ROOT / "practice").glob("*.yml")) + sorted(GOLDEN.glob("*.yml"))
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(ROOT / SCHEMA_PATH), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
