"""Schema checks on one case study: every mistake is a Problem with a place; nothing raises.

Cases from the "Schema" section of the bad-inputs guide (and the URL and e-mail cases of
"Injection"). Each case starts from the valid study and changes one thing.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date

import pytest

from conftest import ROOT, TODAY, VALID_STUDY
from hub.core.problems import Problem
from hub.load.yamlsafe import load_bytes
from hub.model.records import CaseStudy, Reference
from hub.model.reference import load_reference
from hub.model.schema import CASE_STUDY, Field
from hub.model.validate import case_study

SHOWN = "practice/family-group-conferences.yml"
SLUG = "family-group-conferences"
TITLE = "title: Family group conferences before proceedings"
AUTHORITY = "  authorities: west-berkshire"
THEME = "  - family-networks"
EMAIL = "family.help@example.gov.uk"
PUBLISHED = "published: 2026-03-31"
SOURCE_URL = "https://www.example.gov.uk/report"


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference(ROOT / "practice" / "reference", ROOT)


def changed(old: str, new: str) -> str:
    """VALID_STUDY with `old` (which must occur exactly once) replaced by `new`."""
    assert VALID_STUDY.count(old) == 1, old
    return VALID_STUDY.replace(old, new)


def validate(text: str, ref: Reference, today: date = TODAY) -> tuple[CaseStudy | None, list[Problem]]:
    tree, problems = load_bytes(text.encode("utf-8"), SHOWN)
    assert problems == [], "the YAML itself should load; these are schema cases"
    assert tree is not None
    return case_study(tree, SLUG, SHOWN, ref, today)


def valid(text: str, ref: Reference) -> CaseStudy:
    study, problems = validate(text, ref)
    assert problems == []
    assert study is not None
    return study


def invalid(text: str, ref: Reference) -> list[Problem]:
    study, problems = validate(text, ref)
    assert study is None
    assert problems, "refused without saying why"
    for problem in problems:
        assert problem.path == SHOWN
        assert problem.line >= 1 and problem.col >= 1, problem
    return problems


def only(problems: list[Problem], *fragments: str) -> Problem:
    """The one problem; it contains every fragment."""
    assert len(problems) == 1, "\n".join(map(str, problems))
    for fragment in fragments:
        assert fragment in problems[0].message, problems[0]
    return problems[0]


def at(problem: Problem, line: int, col: int) -> None:
    assert (problem.line, problem.col) == (line, col), problem


# --- the valid study -------------------------------------------------------------------------------


def test_valid_study_builds(ref: Reference) -> None:
    study = valid(VALID_STUDY, ref)
    assert study.slug == SLUG
    assert study.source == SHOWN
    assert study.title == "Family group conferences before proceedings"
    assert [a.slug for a in study.lead.leads] == ["west-berkshire"]
    assert study.lead.organisation is None
    assert [r.name for r in study.regions] == ["South East"]
    assert study.published == date(2026, 3, 31)
    assert study.review == date(2028, 3, 31)
    assert [t.slug for t in study.themes] == ["family-networks"]
    assert study.evidence.level.slug == "promising"
    assert study.contact is not None and study.contact.email == EMAIL and study.contact.url is None
    assert [(s.title, s.url) for s in study.sources] == [("Annual report", SOURCE_URL)]


@pytest.mark.parametrize("code", ["'869'", "869", '"869"'])
def test_authority_by_dfe_code(ref: Reference, code: str) -> None:
    study = valid(changed(AUTHORITY, f"  authorities: {code}"), ref)
    assert [a.slug for a in study.lead.leads] == ["west-berkshire"]
    assert [r.slug for r in study.regions] == ["south-east"]


def test_review_on_29_february_default(ref: Reference) -> None:
    study = valid(changed(PUBLISHED, "published: 2024-02-29"), ref)
    assert study.review == date(2026, 2, 28)


def test_explicit_review_date_is_kept(ref: Reference) -> None:
    study = valid(changed(PUBLISHED, PUBLISHED + "\nreview: 2027-01-01"), ref)
    assert study.review == date(2027, 1, 1)


@pytest.mark.parametrize("typed", ["'NO'", '"1.10"', "'01234'", "'true'", '"null"', "'~'", "'0x1F'", "2024-02-30"])
def test_text_fields_keep_what_was_typed_in_quotes(ref: Reference, typed: str) -> None:
    study = valid(changed(TITLE, f"title: {typed}").replace("role: Head of service", f"role: {typed}"), ref)
    assert study.title == typed.strip("'\"")
    assert study.contact is not None and study.contact.role == typed.strip("'\"")


@pytest.mark.parametrize(
    ("typed", "reads_as"),
    [
        ("null", "no value"),
        ("~", "no value"),
        ("true", "true or false"),
        ("NO", "true or false"),
        ("2026", "a number"),
        ("1.10", "a number"),
        ("01234", "a number"),
        ("0x1F", "a number"),
        ("9" * 100, "a number"),
    ],
)
def test_yaml_values_that_are_not_text_are_refused_in_text_fields(ref: Reference, typed: str, reads_as: str) -> None:
    problems = invalid(changed(TITLE, f"title: {typed}").replace("role: Head of service", f"role: {typed}"), ref)
    assert len(problems) == 2
    for problem in problems:
        assert f"is written {typed}, which YAML reads as {reads_as}, not text; put it in quotes" in problem.message


def test_text_loses_spaces_at_the_ends_of_its_lines(ref: Reference) -> None:
    # In a literal block ("|") spaces at the end of a line are kept by YAML; the text drops them.
    typed = "impact: |\n  More children stayed at home.   \n  Fewer went into care.  \n\n  Costs fell. \n"
    study = valid(changed("impact: >-\n  More children stayed with their families.\n", typed), ref)
    assert study.impact == "More children stayed at home.\nFewer went into care.\n\nCosts fell."


def test_published_today_is_not_in_the_future(ref: Reference) -> None:
    assert valid(changed(PUBLISHED, f"published: {TODAY.isoformat()}"), ref).published == TODAY


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("2024-02-30", "'2024-02-30' is not a real date"),
        ("2023-02-29", "'2023-02-29' is not a real date"),
        ("2026-13-01", "'2026-13-01' is not a real date"),
        ("2026-04-31", "'2026-04-31' is not a real date"),
        ("0000-01-01", "'0000-01-01' is not a real date"),
        ("31/03/2026", "'31/03/2026' is not a date written YYYY-MM-DD"),
        ("2026-3-31", "'2026-3-31' is not a date written YYYY-MM-DD"),
        ("20260331", "'20260331' is not a date written YYYY-MM-DD"),
        ("31 March 2026", "'31 March 2026' is not a date written YYYY-MM-DD"),
        ("2026-03-31T10:00:00", "is not a date written YYYY-MM-DD"),
        ("2026-W13-2", "is not a date written YYYY-MM-DD"),
        ("'2026-03-31 '", None),  # surrounding spaces are trimmed: accepted
        ("２０２６-03-31", "'２０２６-03-31' is not a date written YYYY-MM-DD"),
        ("\u0662\u0660\u0662\u0666-03-31", "is not a date written YYYY-MM-DD"),
        ("9" * 5000, "is 5000 characters long"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_bad_dates(ref: Reference, typed: str, fragment: str | None) -> None:
    text = changed(PUBLISHED, f"published: {typed}")
    if fragment is None:
        assert valid(text, ref).published == date(2026, 3, 31)
        return
    problem = only(invalid(text, ref), "'published'", fragment)
    at(problem, 21, 12)


def test_published_in_the_future(ref: Reference) -> None:
    problem = only(
        invalid(changed(PUBLISHED, "published: 2026-11-23"), ref), "'published' is 2026-11-23, which is in the future"
    )
    at(problem, 21, 12)


@pytest.mark.parametrize("review", ["2026-03-30", "2026-03-31", "2020-01-01"])
def test_review_not_after_publication(ref: Reference, review: str) -> None:
    problem = only(
        invalid(changed(PUBLISHED, f"{PUBLISHED}\nreview: {review}"), ref),
        f"'review' ({review}) must come after 'published' (2026-03-31)",
    )
    at(problem, 22, 9)


def test_bad_review_date(ref: Reference) -> None:
    only(invalid(changed(PUBLISHED, f"{PUBLISHED}\nreview: 2028-02-30"), ref), "'review'", "not a real date")


# --- missing, unknown and misspelt fields -----------------------------------------------------------

REQUIRED = [f.name for f in CASE_STUDY.fields if f.required]


def _without(name: str) -> str:
    """VALID_STUDY without the top-level field `name` (and its indented lines)."""
    lines = VALID_STUDY.splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith(f"{name}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    return "".join(lines[:start] + lines[end:])


def test_the_required_list_is_what_the_valid_study_has() -> None:
    assert REQUIRED == [
        "title",
        "summary",
        "challenge",
        "what_we_did",
        "impact",
        "evidence",
        "led_by",
        "themes",
        "published",
        "sources",
    ]


@pytest.mark.parametrize("name", REQUIRED)
def test_missing_required_field(ref: Reference, name: str) -> None:
    problem = only(invalid(_without(name), ref), f"'{name}' is missing; add it")
    spec = CASE_STUDY.child(name)
    assert spec is not None and spec.description in problem.message
    at(problem, 1, 1)


@pytest.mark.parametrize(
    ("old", "new", "label", "line", "col"),
    [
        ("  level: promising\n", "", "evidence.level", 11, 3),
        ("  role: Head of service\n", "", "contact.role", 19, 3),
        ("    url: https://www.example.gov.uk/report\n", "", "sources[1].url", 23, 5),
        ("  - title: Annual report\n    url:", "  - url:", "sources[1].title", 23, 5),
    ],
)
def test_missing_required_nested_field(ref: Reference, old: str, new: str, label: str, line: int, col: int) -> None:
    problem = only(invalid(changed(old, new), ref), f"'{label}' is missing")
    at(problem, line, col)


@pytest.mark.parametrize(
    ("old", "new", "fragment", "line", "col"),
    [
        ("summary:", "sumary:", "unknown field 'sumary'; did you mean 'summary'?", 2, 1),
        ("what_we_did:", "what_we_do:", "did you mean 'what_we_did'?", 6, 1),
        ("title: Family", "Title: Family", "unknown field 'Title'; did you mean 'title'?", 1, 1),
        (
            "  level: promising",
            "  levle: promising",
            "'evidence' has unknown field 'levle'; did you mean 'level'?",
            11,
            3,
        ),
        ("  email:", "  e-mail:", "'contact' has unknown field 'e-mail'; did you mean 'email'?", 20, 3),
        (
            AUTHORITY,
            "  authorty: west-berkshire",
            "'led_by' has unknown field 'authorty'; did you mean 'authorities'?",
            15,
            3,
        ),
    ],
)
def test_misspelt_field_gets_a_hint(ref: Reference, old: str, new: str, fragment: str, line: int, col: int) -> None:
    problems = invalid(changed(old, new), ref)
    [unknown] = [p for p in problems if "unknown field" in p.message]
    assert fragment in unknown.message
    at(unknown, line, col)
    # The field it was meant to be is then reported missing (or, for 'email' and 'authority', the
    # rule that needs it is broken), and nothing else.
    assert len(problems) == 2, problems
    [other] = [p for p in problems if p is not unknown]
    assert any(
        s in other.message for s in ("is missing", "'contact' needs a team mailbox", "'led_by' needs exactly one")
    ), other


def test_unknown_field_lists_the_allowed_ones(ref: Reference) -> None:
    problem = only(invalid(VALID_STUDY + "zzzzzzzz: 1\n", ref), "unknown field 'zzzzzzzz'; allowed: ")
    for name in (f.name for f in CASE_STUDY.fields):
        assert name in problem.message
    at(problem, 25, 1)


# --- wrong types -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "fragment", "line", "col"),
    [
        (TITLE, "title:\n  - a\n  - b", "'title' should be a single value, not a list", 2, 3),
        (TITLE, "title: {a: b}", "'title' should be a single value, not a group of fields", 1, 8),
        (PUBLISHED, "published: [2026-03-31]", "'published' should be a single value, not a list", 21, 12),
        (
            "  email: family.help@example.gov.uk",
            "  email: [family.help@example.gov.uk]",
            "'contact.email' should be a single value",
            20,
            10,
        ),
        (AUTHORITY, "  authorities: {x: y}", "'led_by.authorities' should be a list, one '- item' per line", 15, 16),
        (THEME, "  - {slug: family-networks}", "'themes[1]' should be a single value, not a group of fields", 17, 5),
        (
            "contact:\n  role: Head of service\n  email: family.help@example.gov.uk",
            "contact: Head of service, family.help@example.gov.uk",
            "'contact' should be a group of 'field: value' lines",
            18,
            10,
        ),
        (
            "led_by:\n  authorities: west-berkshire",
            "led_by: west-berkshire",
            "'led_by' should be a group of 'field: value' lines",
            14,
            9,
        ),
        (
            "evidence:\n  level: promising\n  details: >-\n    The authority's own data.",
            "evidence:\n  - promising",
            "'evidence' should be a group",
            11,
            3,
        ),
        (
            "sources:\n  - title: Annual report\n    url: https://www.example.gov.uk/report",
            f"sources: {SOURCE_URL}",
            "'sources' should be a list",
            22,
            10,
        ),
        ("themes:\n  - family-networks", "themes: {family-networks: yes}", "'themes' should be a list", 16, 9),
        ("themes:\n  - family-networks", "themes:", "'themes' is empty", 16, 8),
    ],
)
def test_wrong_types(ref: Reference, old: str, new: str, fragment: str, line: int, col: int) -> None:
    text = changed(old, new)
    problem = only(invalid(text, ref), fragment)
    at(problem, line, col)


def test_single_theme_may_be_written_without_a_list(ref: Reference) -> None:
    study = valid(changed("themes:\n  - family-networks", "themes: family-networks"), ref)
    assert [t.slug for t in study.themes] == ["family-networks"]


# --- text: length, lines, empty, hidden characters ----------------------------------------------------

TEXT_FIELDS = [f for f in CASE_STUDY.fields if f.kind in ("line", "text") and f.required]


@pytest.mark.parametrize("spec", TEXT_FIELDS, ids=lambda f: f.name)
def test_over_long_value(ref: Reference, spec: Field) -> None:
    assert spec.max_length
    at_limit = _without(spec.name) + f"{spec.name}: {'x' * spec.max_length}\n"
    assert getattr(valid(at_limit, ref), "action" if spec.name == "what_we_did" else spec.name) == "x" * spec.max_length
    over = _without(spec.name) + f"{spec.name}: {'x' * (spec.max_length + 1)}\n"
    problem = only(
        invalid(over, ref), f"'{spec.name}' is {spec.max_length + 1} characters long; the limit is {spec.max_length}"
    )
    assert problem.line == over.count("\n")


@pytest.mark.parametrize(
    ("old", "new", "label", "limit"),
    [
        ("  role: Head of service", "  role: " + "r" * 151, "contact.role", 150),
        ("  - title: Annual report", "  - title: " + "t" * 201, "sources[1].title", 200),
        (SOURCE_URL, SOURCE_URL + "/" + "p" * 500, "sources[1].url", 500),
        (EMAIL, "a" * 250 + "@example.gov.uk", "contact.email", 254),
    ],
)
def test_over_long_nested_values(ref: Reference, old: str, new: str, label: str, limit: int) -> None:
    only(invalid(changed(old, new), ref), f"'{label}' is", f"the limit is {limit}")


def test_long_text_is_measured_after_folding(ref: Reference) -> None:
    spec = CASE_STUDY.child("summary")
    assert spec is not None
    words = " ".join(["word"] * (spec.max_length // 5))  # just under the limit, folded over many lines
    folded = "\n".join("  " + line for line in textwrap.wrap(words, 60))
    assert valid(_without("summary") + "summary: >-\n" + folded + "\n", ref).summary == words
    over = words + " more"
    folded = "\n".join("  " + line for line in textwrap.wrap(over, 60))
    only(invalid(_without("summary") + "summary: >-\n" + folded + "\n", ref), f"is {len(over)} characters long")


@pytest.mark.parametrize(
    "title",
    ['"a\\nb"', "|\n  a\n  b", '"a\\rb"', "'a\n\n  b'"],
    ids=["escaped newline", "literal block", "escaped CR", "blank line in quotes"],
)
def test_newline_in_one_line_field(ref: Reference, title: str) -> None:
    problems = invalid(changed(TITLE, f"title: {title}"), ref)
    problem = only(problems, "'title'")
    assert "must be on one line" in problem.message or "control character U+000D" in problem.message
    at(problem, 1, 8)


def test_folded_title_is_one_line(ref: Reference) -> None:
    assert valid(changed(TITLE, "title: >-\n  Family group\n  conferences"), ref).title == "Family group conferences"


@pytest.mark.parametrize(
    ("old", "new", "label", "line", "col"),
    [
        (TITLE, "title:", "title", 1, 7),
        (TITLE, "title: ''", "title", 1, 8),
        (TITLE, 'title: "   "', "title", 1, 8),
        (TITLE, 'title: "\\t \\n "', "title", 1, 8),
        (
            "summary: >-\n  An authority offered every family a family group conference before care proceedings.",
            "summary: >-\n",
            "summary",
            2,
            10,
        ),
        ("  role: Head of service", "  role:", "contact.role", 19, 8),
        ("  level: promising", "  level: ' '", "evidence.level", 11, 10),
        (AUTHORITY, "  authorities:", "led_by.authorities", 15, 15),
        (PUBLISHED, "published:", "published", 21, 11),
        (THEME, "  -", "themes[1]", 17, 4),
    ],
)
def test_empty_or_whitespace_only(ref: Reference, old: str, new: str, label: str, line: int, col: int) -> None:
    problems = invalid(changed(old, new), ref)
    [problem] = [p for p in problems if f"'{label}' is empty" in p.message]
    at(problem, line, col)
    assert len(problems) == 1, problems


@pytest.mark.parametrize(
    "escape",
    [
        "\\u200b",
        "\\u200B",
        "\\u202E",
        "\\u2066",
        "\\u2069",
        "\\u061c",
        "\\ufeff",
        "\\0",
        "\\a",
        "\\e",
        "\\x7f",
        "\\x85",
        "\\N",
    ],
)
def test_hidden_characters_typed_as_escapes(ref: Reference, escape: str) -> None:
    problem = only(
        invalid(changed(TITLE, f'title: "Family{escape}help"'), ref),
        "'title' contains a character that is not allowed: ",
    )
    at(problem, 1, 8)
    assert not any(
        ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c in "\u200b\u202e\u2066\u2069\u200d\u061c\ufeff"
        for c in problem.message
    )


@pytest.mark.parametrize(
    ("old", "new", "label", "line", "col"),
    [
        ("  level: promising", '  level: "promising\\u200b"', "evidence.level", 11, 10),
        (AUTHORITY, '  authorities: "west-\\u202Eberkshire"', "led_by.authorities[1]", 15, 16),
        (THEME, '  - "family\\u2066-networks"', "themes[1]", 17, 5),
        (EMAIL, '"family.help\\u200b@example.gov.uk"', "contact.email", 20, 10),
        (SOURCE_URL, '"https://www.example.gov.uk/\\u202Ereport"', "sources[1].url", 24, 10),
        (PUBLISHED, 'published: "2026-03-31\\u200b"', "published", 21, 12),
    ],
)
def test_hidden_characters_in_every_kind_of_field(
    ref: Reference, old: str, new: str, label: str, line: int, col: int
) -> None:
    problem = only(invalid(changed(old, new), ref), f"'{label}' contains a character that is not allowed: ")
    at(problem, line, col)


# --- controlled vocabularies ----------------------------------------------------------------------


def test_theme_outside_vocabulary_gets_closest(ref: Reference) -> None:
    problem = only(
        invalid(changed(THEME, "  - famly-help"), ref),
        "'themes[1]' 'famly-help' is not a known theme; did you mean 'family-help'",
    )
    at(problem, 17, 5)


def test_theme_with_no_close_match_lists_all(ref: Reference) -> None:
    problem = only(invalid(changed(THEME, "  - zzzz"), ref), "'zzzz' is not a known theme; allowed: ")
    for slug in ref.themes:
        assert slug in problem.message


def test_evidence_level_outside_vocabulary_lists_allowed(ref: Reference) -> None:
    problem = only(
        invalid(changed("  level: promising", "  level: strong"), ref),
        "'evidence.level' 'strong' is not a known evidence level; allowed: ",
    )
    for slug in ref.evidence_levels:
        assert slug in problem.message
    at(problem, 11, 10)


def test_region_outside_vocabulary(ref: Reference) -> None:
    text = changed(AUTHORITY, "  organisation: ADCS\n  regions: [south-wset]")
    problem = only(
        invalid(text, ref), "'led_by.regions[1]' 'south-wset' is not a known region; did you mean 'south-west'"
    )
    at(problem, 16, 13)


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        (THEME, "  - Family-Networks", "'Family-Networks' is not a known theme; did you mean 'family-networks'?"),
        (THEME, "  - Child protection", "'Child protection' is not a known theme; did you mean 'child-protection'?"),
        (
            "level: promising",
            "level: PROMISING",
            "'PROMISING' is not a known evidence level; did you mean 'promising'?",
        ),
    ],
)
def test_a_value_is_written_as_its_slug_as_editors_expect(ref: Reference, old: str, new: str, hint: str) -> None:
    """The JSON Schema lets an editor accept exactly the slugs: the hub does too, and names the slug."""
    only(invalid(changed(old, new), ref), hint)


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("west-berks", "'west-berkshire'"), ("westberkshire", "'west-berkshire'"), ("hampshir", "'hampshire'")],
)
def test_unknown_authority_suggests_closest(ref: Reference, typed: str, suggestion: str) -> None:
    problem = only(
        invalid(changed(AUTHORITY, f"  authorities: {typed}"), ref),
        f"'{typed}' is not a known local authority; did you mean {suggestion}",
    )
    at(problem, 15, 16)


@pytest.mark.parametrize("typed", ["West Berkshire", "'869'", "869", "west-berkshire"])
def test_authority_by_name_slug_or_code(ref: Reference, typed: str) -> None:
    study = valid(changed(AUTHORITY, f"  authorities: {typed}"), ref)
    assert [a.slug for a in study.lead.leads] == ["west-berkshire"]


@pytest.mark.parametrize("typed", ["west berkshire", "West-Berkshire", "West Berkshire Council"])
def test_another_spelling_of_an_authority_gets_its_slug_as_the_hint(ref: Reference, typed: str) -> None:
    only(invalid(changed(AUTHORITY, f"  authorities: {typed}"), ref), "did you mean 'west-berkshire'?")


def test_unknown_authority_with_nothing_close_does_not_list_all_153(ref: Reference) -> None:
    problem = only(
        invalid(changed(AUTHORITY, "  authorities: westeros"), ref), "'westeros' is not a known local authority"
    )
    assert "allowed" not in problem.message
    assert len(problem.message) < 200


def test_unknown_dfe_code(ref: Reference) -> None:
    only(invalid(changed(AUTHORITY, "  authorities: '999'"), ref), "'999' is not a known local authority")


# --- themes --------------------------------------------------------------------------------------


def test_more_than_four_themes(ref: Reference) -> None:
    five = "\n".join(
        f"  - {t}" for t in ["family-networks", "family-help", "workforce", "youth-justice", "care-leavers"]
    )
    problem = only(invalid(changed(THEME, five), ref), "'themes' has 5 items; the most allowed is 4")
    at(problem, 17, 3)


def test_four_themes_are_fine(ref: Reference) -> None:
    four = "\n".join(f"  - {t}" for t in ["family-networks", "family-help", "workforce", "youth-justice"])
    assert len(valid(changed(THEME, four), ref).themes) == 4


def test_no_themes(ref: Reference) -> None:
    only(
        invalid(changed("themes:\n  - family-networks", "themes: []"), ref),
        "'themes' is an empty list; list at least one",
    )


def test_duplicate_theme(ref: Reference) -> None:
    problem = only(
        invalid(changed(THEME, f"{THEME}\n  - family-networks"), ref),
        "'themes' lists 'family-networks' twice; keep one",
    )
    at(problem, 18, 5)


# --- who led it -----------------------------------------------------------------------------------------


def test_led_by_authority_and_organisation(ref: Reference) -> None:
    problem = only(
        invalid(changed(AUTHORITY, f"{AUTHORITY}\n  organisation: ADCS"), ref),
        "'led_by' needs exactly one of 'authorities'",
        "or 'organisation'",
    )
    at(problem, 15, 3)


def test_led_by_neither(ref: Reference) -> None:
    problem = only(invalid(changed(AUTHORITY, "  partners: [hampshire]"), ref), "'led_by' needs exactly one of")
    at(problem, 15, 3)


def test_led_by_authority_with_regions(ref: Reference) -> None:
    problem = only(
        invalid(changed(AUTHORITY, f"{AUTHORITY}\n  regions: [south-east]"), ref),
        "'led_by.regions' is not needed: the regions follow from the lead authorities (South East)",
    )
    at(problem, 16, 12)


def test_led_by_organisation_without_regions(ref: Reference) -> None:
    problem = only(
        invalid(changed(AUTHORITY, "  organisation: ADCS"), ref),
        "'led_by' with an 'organisation' needs the authorities that took part ('partners') or the 'regions'",
        "'england' for all nine",
    )
    at(problem, 15, 3)


def test_led_by_organisation_with_regions(ref: Reference) -> None:
    study = valid(
        changed(
            AUTHORITY,
            "  organisation: ADCS\n  regions: [south-west, london]\n  partners: [bath-and-north-east-somerset, camden]",
        ),
        ref,
    )
    assert study.lead.organisation == "ADCS" and study.lead.leads == ()
    assert [r.slug for r in study.lead.covered] == [], "both regions follow from the authorities taking part"
    assert not study.lead.national
    assert [r.slug for r in study.regions] == ["london", "south-west"]


def test_regions_of_organisation_led_work_follow_from_the_authorities_taking_part(ref: Reference) -> None:
    study = valid(changed(AUTHORITY, "  organisation: Family Rights Group\n  partners: [leeds, camden, cumbria]"), ref)
    assert [r.slug for r in study.regions] == ["north-west", "yorkshire-and-the-humber", "london"]


def test_a_region_no_authority_taking_part_is_in_is_refused(ref: Reference) -> None:
    """`regions: [london]` on a programme run elsewhere would put it on every London borough's page."""
    problem = only(
        invalid(changed(AUTHORITY, "  organisation: A programme\n  regions: [london]\n  partners: [leeds, kent]"), ref),
        "'led_by.regions' names London, where none of the authorities taking part is (South East, Yorkshire",
    )
    at(problem, 16, 13)


def test_several_authorities_can_lead_together(ref: Reference) -> None:
    study = valid(
        changed(
            AUTHORITY,
            "  authorities:\n    - westminster\n    - kensington-and-chelsea\n    - Hammersmith and Fulham",
        ),
        ref,
    )
    assert [a.slug for a in study.lead.leads] == ["westminster", "kensington-and-chelsea", "hammersmith-and-fulham"]
    assert study.lead_name == "Westminster, Kensington and Chelsea and Hammersmith and Fulham"


def test_regions_england_means_all_nine(ref: Reference) -> None:
    study = valid(changed(AUTHORITY, "  organisation: ADCS\n  regions: [england]"), ref)
    assert study.lead.national
    assert [r.slug for r in study.regions] == list(ref.regions)
    assert len(study.regions) == 9


def test_duplicate_region(ref: Reference) -> None:
    only(
        invalid(changed(AUTHORITY, "  organisation: ADCS\n  regions: [london, london]"), ref),
        "'led_by.regions' lists 'london' twice",
    )


@pytest.mark.parametrize("partner", ["west-berkshire", "'869'", "West Berkshire"])
def test_partner_repeating_the_lead(ref: Reference, partner: str) -> None:
    problem = only(
        invalid(changed(AUTHORITY, f"{AUTHORITY}\n  partners: [hampshire, {partner}]"), ref),
        "twice or repeats a lead authority",
    )
    at(problem, 16, 25)


def test_partner_named_twice(ref: Reference) -> None:
    only(
        invalid(changed(AUTHORITY, f"{AUTHORITY}\n  partners: [hampshire, hampshire]"), ref),
        "'led_by.partners' names 'hampshire' twice",
    )


def test_misspelt_lead_authority_is_one_problem(ref: Reference) -> None:
    """A refused authority was still given: no second, false, "needs exactly one of" problem."""
    problem = only(invalid(changed(AUTHORITY, "  authorities: west-berks"), ref), "did you mean 'west-berkshire'")
    at(problem, 15, 16)


def test_refused_regions_are_not_also_reported_missing(ref: Reference) -> None:
    only(
        invalid(changed(AUTHORITY, "  organisation: ADCS\n  regions: [narnia]"), ref), "'narnia' is not a known region"
    )


# --- contact, web addresses and mailboxes ----------------------------------------------------------


def test_contact_with_neither_email_nor_url(ref: Reference) -> None:
    problem = only(
        invalid(changed(f"  email: {EMAIL}\n", ""), ref),
        "'contact' needs a team mailbox ('email') or a web page ('url')",
    )
    at(problem, 19, 3)


def test_contact_with_url_only(ref: Reference) -> None:
    study = valid(changed(f"  email: {EMAIL}", "  url: https://www.example.gov.uk/team"), ref)
    assert study.contact.url == "https://www.example.gov.uk/team" and study.contact.email is None


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("javascript:alert(1)", "must start with https://"),
        ("JaVaScRiPt:alert(1)", "must start with https://"),
        ("javascript://www.example.gov.uk/%0aalert(1)", "must start with https://"),
        ("vbscript:msgbox(1)", "must start with https://"),
        ("data:text/html;base64,PHNjcmlwdD4=", "must start with https://"),
        ("ftp://www.example.gov.uk/report", "must start with https://"),
        ("//www.example.gov.uk/report", "must start with https://"),
        ("www.example.gov.uk/report", "must start with https://"),
        ("/report", "must start with https://"),
        ("https://user:pw@x.gov.uk", "contains a user name or password"),
        ("https://user@x.gov.uk/report", "contains a user name or password"),
        ("https://x.gov.uk@evil.example.com/", "contains a user name or password"),
        ('"https://www.example.gov.uk/a report"', "contains a space or a character not allowed"),
        ('"https://www.example.gov.uk/report "', None),  # trailing space trimmed: accepted
        ("https://www.example.gov.uk/a<script>", "contains a space or a character not allowed"),
        ("https://www.example.gov.uk/a>b", "contains a space or a character not allowed"),
        ("'https://www.example.gov.uk/a\"onmouseover=\"x'", "contains a space or a character not allowed"),
        ("https://www.example.gov.uk/a`b`", "contains a space or a character not allowed"),
        ('"https://www.example.gov.uk/a\'b"', "contains a space or a character not allowed"),
        ("https://www.example.gov.uk/a\\b", "contains a space or a character not allowed"),
        ("'https://www.example.gov.uk/{{ config }}'", "contains a space or a character not allowed"),
        ("'https://www.example.gov.uk/a|b'", "contains a space or a character not allowed"),
        ('"https://www.example.gov.uk/\\ta"', "contains a space or a character not allowed"),
        ("https://", "has no valid host name"),
        ("https:///report", "has no valid host name"),
        ("https://localhost/report", "has no valid host name"),
        ("https://127.0.0.1/report", "has no valid host name"),
        ("https://www.example.gov.uk:99999/report", "has an invalid port number"),
        ("https://www.example.gov.uk:abc/report", "has an invalid port number"),
        ("https://www.example.gov.uk]/report", "has no valid host name"),
        ("'https://[example.org/'", "has no valid host name"),
        ("https://ex[a]mple.org/", "has no valid host name"),
    ],
)
def test_bad_source_url(ref: Reference, url: str, fragment: str | None) -> None:
    text = changed(SOURCE_URL, url)
    if fragment is None:
        assert valid(text, ref).sources[0].url == "https://www.example.gov.uk/report"
        return
    problem = only(invalid(text, ref), "'sources[1].url'", fragment)
    at(problem, 24, 10)


@pytest.mark.parametrize("url", ["http://www.example.gov.uk/report", "HTTP://www.example.gov.uk/report"])
def test_an_http_source_is_accepted_with_a_warning(ref: Reference, url: str) -> None:
    """Old public pages often have no https address: a source may be one, and `hub check` warns."""
    study = valid(changed(SOURCE_URL, url), ref)
    assert not study.sources[0].secure
    assert study.warnings == (
        (
            24,
            10,
            "'sources[1].url' is an http:// address: readers' browsers may warn about "
            "it; use its https:// address if it has one",
        ),
    )


@pytest.mark.parametrize(
    ("email", "warned"),
    [("a.person@gmail.com", True), ("someone@Hotmail.co.uk", True), (EMAIL, False), ("team@nhs.net", False)],
)
def test_a_personal_mailbox_is_accepted_with_a_warning(ref: Reference, email: str, warned: bool) -> None:
    study = valid(changed(EMAIL, email), ref)
    assert study.contact is not None and study.contact.email == email
    warnings = [w for w in study.warnings if "personal mailboxes" in w[2]]
    assert warnings == ([(20, 10, warnings[0][2])] if warned else [])
    if warned:
        assert "give a team mailbox at the authority's own domain" in warnings[0][2]


def test_bracket_in_url_is_allowed_as_typed(ref: Reference) -> None:
    """A ')' is legal in an address; it is percent-encoded when rendered, not refused here."""
    url = "https://en.example.org/wiki/Foo_(bar)"
    assert valid(changed(SOURCE_URL, url), ref).sources[0].url == url


@pytest.mark.parametrize(
    ("field", "value", "label", "line", "col"),
    [
        ("contact", "javascript:alert(1)", "contact.url", 21, 8),
        ("contact", "http://www.example.gov.uk/team", "contact.url", 21, 8),
        ("evidence", "data:text/html,x", "evidence.links[1].url", 16, 12),
    ],
)
def test_every_url_field_is_checked(ref: Reference, field: str, value: str, label: str, line: int, col: int) -> None:
    if field == "contact":
        text = changed(f"  email: {EMAIL}", f"  email: {EMAIL}\n  url: {value}")
    elif field == "evidence":
        text = changed(
            "    The authority's own data.\n",
            f"    The authority's own data.\n  links:\n    - title: Data\n      url: {value}\n",
        )
    problem = only(invalid(text, ref), f"'{label}'", "must start with https://")
    at(problem, line, col)


@pytest.mark.parametrize(
    ("email", "fragment"),
    [
        ("mailto:x@y.gov.uk", "write the address alone, without 'mailto:'"),
        ("MAILTO:x@y.gov.uk", "without 'mailto:'"),
        ("not an email", "is not an e-mail address"),
        ("a@b", "is not an e-mail address"),
        ("'@example.gov.uk'", "is not an e-mail address"),
        ("team@", "is not an e-mail address"),
        ("team@@example.gov.uk", "is not an e-mail address"),
        ("team..x@example.gov.uk", "is not an e-mail address"),
        ("team@example..gov.uk", "is not an e-mail address"),
        ("team@-example.gov.uk", "is not an e-mail address"),
        ("'team <t@example.gov.uk>'", "is not an e-mail address"),
        ("'t@example.gov.uk?subject=x'", "is not an e-mail address"),
        ("t@example.gov.uk,u@example.gov.uk", "is not an e-mail address"),
        ('"t@example.gov.uk\\nBcc: u@example.gov.uk"', "must be on one line"),
        ("https://www.example.gov.uk/contact", "is not an e-mail address"),
    ],
)
def test_email_that_is_not_a_mailbox(ref: Reference, email: str, fragment: str) -> None:
    problem = only(invalid(changed(EMAIL, email), ref), "'contact.email'", fragment)
    at(problem, 20, 10)


# --- all problems in one run, and never an exception --------------------------------------------------


def test_three_mistakes_give_three_problems(ref: Reference) -> None:
    text = (
        changed("level: promising", "level: strong")
        .replace(PUBLISHED, "published: 2024-02-30")
        .replace(SOURCE_URL, "javascript:alert(1)")
    )
    study, problems = validate(text, ref)
    assert study is None
    assert [(p.line, p.col) for p in problems] == [(11, 10), (21, 12), (24, 10)]
    assert "'evidence.level' 'strong'" in problems[0].message
    assert "'published' '2024-02-30' is not a real date" in problems[1].message
    assert "'sources[1].url' 'javascript:alert(1)'" in problems[2].message


def test_every_problem_in_a_file_is_reported(ref: Reference) -> None:
    text = (
        changed(TITLE, "title: ''")
        .replace("summary:", "sumary:")
        .replace(AUTHORITY, "  authorities: west-berks")
        .replace(THEME, "  - famly-help\n  - workforce\n  - workforce")
        .replace(EMAIL, "mailto:x@y.gov.uk")
        .replace(SOURCE_URL, "ftp://x.gov.uk")
        + "colour: red\n"
    )
    problems = invalid(text, ref)
    expected = [
        "'title' is empty",
        "unknown field 'sumary'",
        "'summary' is missing",
        "'led_by.authorities[1]' 'west-berks'",
        "'themes[1]' 'famly-help'",
        "'contact.email' 'mailto:x@y.gov.uk'",
        "'sources[1].url' 'ftp://x.gov.uk'",
        "unknown field 'colour'",
    ]
    for fragment in expected:
        assert sum(fragment in p.message for p in problems) == 1, (fragment, problems)
    assert len(problems) == len(expected), "\n".join(map(str, problems))


def test_cross_field_rules_still_run_when_a_value_is_refused(ref: Reference) -> None:
    """A bad title does not hide a review date before publication."""
    text = changed(TITLE, "title: ''").replace(PUBLISHED, f"{PUBLISHED}\nreview: 2025-01-01")
    problems = invalid(text, ref)
    assert len(problems) == 2
    assert any("'review' (2025-01-01) must come after" in p.message for p in problems)


NASTY = [
    "title: [",
    "title: {",
    "led_by: []",
    "led_by: {}",
    "led_by:\n  authorities: {}",
    "led_by:\n  regions: england",
    "led_by:\n  organisation: []\n  regions: [[]]",
    "contact: []",
    "contact: {}",
    "contact:\n  email: []",
    "evidence: {links: x}",
    "evidence: {level: [], details: {}, links: [x]}",
    "sources: [[]]",
    "sources: [{}]",
    "sources: ['']",
    "themes: [[], {}]",
    "ofsted: [{}]",
    "ofsted: x",
    "ofsted: [{judgement: good, date: 2099-99-99, report: x}]",
    "published: ''",
    "review: ''",
    "published: 99999-01-01",
]


@pytest.mark.parametrize("replacement", NASTY)
def test_odd_shapes_never_raise(ref: Reference, replacement: str) -> None:
    """Each odd shape added to (or replacing a field of) the valid study gives problems, not an exception."""
    name = replacement.split(":", 1)[0]
    base = _without(name) if name in REQUIRED else VALID_STUDY
    tree, problems = load_bytes((base + replacement + "\n").encode(), SHOWN)
    if tree is None:
        assert problems
        return
    study, problems = case_study(tree, SLUG, SHOWN, ref, TODAY)
    assert study is None
    assert problems
    assert all(p.path == SHOWN and p.line >= 1 for p in problems)


def test_england_with_other_regions(ref: Reference) -> None:
    only(
        invalid(changed(AUTHORITY, "  organisation: ADCS\n  regions: [england, london]"), ref),
        "'england' already means all nine regions",
    )


@pytest.mark.parametrize("updated", ["2026-03-30", "2026-11-23"])
def test_updated_between_published_and_today(ref: Reference, updated: str) -> None:
    only(
        invalid(VALID_STUDY.replace("published: 2026-03-31", f"published: 2026-03-31\nupdated: {updated}"), ref),
        "must fall between 'published'",
    )


@pytest.mark.parametrize("title", ["__config", "_drawer", "\uff3f\uff3fconfig", "!__search"])
def test_a_title_cannot_give_the_heading_an_id_the_site_keeps_for_its_own(ref: Reference, title: str) -> None:
    problem = only(invalid(changed(TITLE, f"title: {json.dumps(title)}"), ref), "'title' would give the page's heading")
    at(problem, 1, 8)


def test_a_title_that_starts_like_the_sites_own_ids_but_with_a_letter_is_fine(ref: Reference) -> None:
    assert valid(changed(TITLE, "title: Hub search input"), ref).title == "Hub search input"


# --- when the work ran, who did it, how well it is evidenced -----------------------------------
@pytest.mark.parametrize(
    ("lines", "when"),
    [
        ("started: 2014\nended: 2017\n", "2014 – 2017"),
        ("started: 2019-03\n", "since March 2019"),
        ("started: '2016'\nended: 2016\n", "2016"),
    ],
)
def test_when_the_work_ran(ref: Reference, lines: str, when: str) -> None:
    study = valid(VALID_STUDY + lines, ref)
    assert study.when == when


@pytest.mark.parametrize(
    ("lines", "fragment"),
    [
        ("ended: 2017\n", "'ended' needs 'started' too"),
        ("started: 2018\nended: 2017-06\n", "'ended' (2017-06) comes before 'started' (2018)"),
        ("started: 2027\n", "'started' is 2027, which is in the future"),
        ("started: 2014-13\n", "'2014-13' is not a real month"),
        ("started: 2014-09-01\n", "'2014-09-01' is not written YYYY or YYYY-MM"),
        ("started: spring 2014\n", "is not written YYYY or YYYY-MM"),
    ],
)
def test_when_the_work_ran_is_checked(ref: Reference, lines: str, fragment: str) -> None:
    only(invalid(VALID_STUDY + lines, ref), fragment)


def test_published_is_the_hubs_date_not_the_works(ref: Reference) -> None:
    problem = only(invalid(changed(PUBLISHED, "published: 1999-09-01"), ref), "it is the date the hub published")
    assert "say that with 'started' and 'ended'" in problem.message


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Leeds City Council", "leeds"),
        ("Royal Borough of Greenwich", "greenwich"),
        ("Luton Borough Council", "luton"),
        ("London Borough of Hackney", "hackney"),
        ("Hull", "kingston-upon-hull"),
        ("City of York", "york"),
        ("East Cheshire", "cheshire-east"),
        ("Dorset County Council", "dorset"),
        ("Cumbria County Council", "cumbria"),
    ],
)
def test_councils_names_as_they_write_them_get_the_slug_to_write(ref: Reference, typed: str, slug: str) -> None:
    only(invalid(changed(AUTHORITY, f"  authorities: {typed}"), ref), f"did you mean '{slug}'?")


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("cumbria", "cumbria"),
        ("'928'", "northamptonshire"),
        ("dorset-until-2019", "dorset-until-2019"),
        ("'835'", "dorset-until-2019"),
        ("Poole", "poole"),
        ("Northamptonshire", "northamptonshire"),
    ],
)
def test_former_authorities_by_slug_name_or_code(ref: Reference, typed: str, slug: str) -> None:
    study = valid(changed(AUTHORITY, f"  authorities: {typed}"), ref)
    assert [a.slug for a in study.lead.leads] == [slug]


def test_a_former_authority_names_its_successors(ref: Reference) -> None:
    study = valid(changed(AUTHORITY, "  authorities: cumbria"), ref)
    [cumbria] = study.lead.leads
    assert cumbria.former and cumbria.successors == ("cumberland", "westmorland-and-furness")
    assert cumbria.label == "Cumbria (county council, before April 2023)"
    assert [r.slug for r in study.regions] == ["north-west"]


EVALUATED = "    The authority's own data.\n"


@pytest.mark.parametrize(
    ("level", "evaluation", "fragment"),
    [
        ("validated", "", "'evidence.level' is 'validated', which needs a published independent evaluation"),
        ("validated", "  evaluation:\n    status: under-way\n", "which needs a published independent evaluation"),
        ("promising", "  evaluation:\n    status: published\n", "is published, so give its 'evaluator'"),
        ("promising", "  evaluation:\n    status: none\n    evaluator: Someone\n", "is 'none', so leave out"),
        (
            "no-evidence-yet",
            "  evaluation:\n    status: published\n    evaluator: X\n    report: https://x.org.uk/r\n",
            "'evidence.level' is 'no-evidence-yet', but the case study gives measured outcomes or a published "
            "evaluation",
        ),
    ],
)
def test_the_evidence_level_never_claims_more_or_less_than_the_evaluation(
    ref: Reference, level: str, evaluation: str, fragment: str
) -> None:
    text = changed("  level: promising", f"  level: {level}").replace(EVALUATED, EVALUATED + evaluation)
    assert any(fragment in p.message for p in invalid(text, ref))


def test_an_evaluation_under_way_is_early_days(ref: Reference) -> None:
    text = changed("  level: promising", "  level: early-days").replace(
        EVALUATED,
        EVALUATED + "  evaluation:\n    status: under-way\n    evaluator: Foundations\n    design: randomised\n",
    )
    evaluation = valid(text, ref).evidence.evaluation
    assert evaluation is not None and evaluation.status_label == "Evaluation under way"
    assert evaluation.design_label == "a randomised controlled trial"


def test_outcomes_reach_funding_and_partner_organisations(ref: Reference) -> None:
    text = changed(
        AUTHORITY, AUTHORITY + "\n  partner_organisations:\n    - name: Thames Valley Police\n      kind: police"
    ) + (
        "outcomes:\n  - measure: Children on child protection plans\n    change: '-49%'\n    period: 2015 to 2017\n"
        "reach: 940 families\nfunding:\n  - programme: innovation-programme\n    amount: £4.8 million\n"
    )
    study = valid(text, ref)
    assert [(o.measure, o.change, o.period) for o in study.outcomes] == [
        ("Children on child protection plans", "-49%", "2015 to 2017")
    ]
    assert study.reach == "940 families"
    assert [(f.programme.slug, f.amount) for f in study.funding] == [("innovation-programme", "£4.8 million")]
    assert [(o.name, o.kind_label) for o in study.lead.organisations] == [("Thames Valley Police", "Police")]


def test_a_partner_organisation_needs_a_known_kind(ref: Reference) -> None:
    text = changed(AUTHORITY, AUTHORITY + "\n  partner_organisations:\n    - name: A trust\n      kind: nhs")
    only(invalid(text, ref), "'nhs' is not a known kind of organisation")


def test_written_from_public_sources_needs_no_contact(ref: Reference) -> None:
    text = VALID_STUDY.replace("contact:\n  role: Head of service\n  email: family.help@example.gov.uk\n", "")
    problem = only(invalid(text, ref), "'contact' is missing", "'provenance: public-sources'")
    assert problem.line == 1
    study = valid(text + "provenance: public-sources\n", ref)
    assert study.contact is None and study.from_public_sources


def test_a_paragraph_break_counts_as_no_character(ref: Reference) -> None:
    """A folded block's blank line between paragraphs is no character a reader sees."""
    paragraphs = "\n\n".join(["x" * 599, "y" * 600])
    text = changed(TITLE, TITLE).replace(
        "summary: >-\n  An authority offered every family a family group conference before care proceedings.",
        "summary: >-\n  " + paragraphs.replace("\n\n", "\n\n  "),
    )
    assert len(valid(text, ref).summary) == 1201
