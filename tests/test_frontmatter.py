"""Text from the whole of Unicode in every text field of a case study: it is refused with a
position, or every generated page's front matter parses back (as MkDocs parses it) to exactly
the values given, the page text never shows the front matter, and the feed stays well-formed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from conftest import TODAY, copy_project
from hub.core.problems import HubError
from hub.core.project import Project
from hub.load import chars
from hub.pipeline import check
from hub.render.escape import yaml_value
from hub.render.opendata import feed
from hub.render.pages import _brief, render_site

# Characters that have broken a parser somewhere, or that the policy treats specially.
_AWKWARD = [
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\U0010ffff",
    "\U0001fffe",
    "\ud800",
    "\udfff",
    "\u2028",
    "\u2029",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200e",
    "\u061c",
    "\ufeff",
    "\u00ad",
    "\u2060",
    "\u206a",
    "\u206f",
    "\ufff9",
    "\ufffb",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2800",
    "\u3164",
    "\U000e0041",
    "\U000e007f",
    "\U0001f3f4",
    "\ufe0f",
    "\u0301",
    "\ue000",
    "\U000f0000",
    "\u0378",
    "\x00",
    "\x1b",
    "\x7f",
    "\x9b",
    "\t",
    "\n",
    "\r",
    "\u00a0",
    "\u3000",
    "<",
    ">",
    "&",
    '"',
    "'",
    "\\",
    "`",
    "*",
    "_",
    "#",
    "[",
    "]",
    "{",
    "}",
    "|",
    ":",
    "-",
    "---",
    "...",
    "%",
    "{{",
    "{%",
    "]]>",
    "<![CDATA[",
    "<script>",
    "<img src=x onerror=alert(1)>",
    "generated_by: hub",
    "\n---\n",
    "👩\u200d👧",
    "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "ف\u200cا",
    "e\u0301",
]
TEXT = st.lists(
    st.one_of(st.characters(codec=None), st.sampled_from(_AWKWARD), st.text(max_size=8)), min_size=1, max_size=12
).map("".join)
# Every text field of a case study, by where it sits in the file.
FIELDS = [
    "title",
    "summary",
    "challenge",
    "what_we_did",
    "impact",
    "learning",
    "evidence.details",
    "evidence.links.title",
    "led_by.organisation",
    "contact.role",
    "contact.team",
    "sources.title",
    "evidence.evaluation.evaluator",
    "outcomes.measure",
    "outcomes.change",
    "outcomes.period",
    "reach",
    "funding.amount",
    "funding.years",
    "led_by.partner_organisations.name",
]


def quoted(value: str) -> str:
    """`value` as a YAML double-quoted scalar with every character but printable ASCII escaped
    (so any character, surrogates too, can be given), written independently of the hub's code."""

    def one(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        return char if " " <= char <= "~" else f"\\U{ord(char):08X}"

    return '"' + "".join(one(char) for char in value) + '"'


def document(values: dict[str, str]) -> bytes:
    """A case study with every text field set to `values`."""
    q = {name: quoted(value) for name, value in values.items()}
    lead = (
        f"  organisation: {q['led_by.organisation']}\n  regions:\n    - england\n"
        if "led_by.organisation" in q
        else "  authorities: west-berkshire\n"
    )
    return (
        (
            f"title: {q['title']}\nsummary: {q['summary']}\nchallenge: {q['challenge']}\n"
            f"what_we_did: {q['what_we_did']}\nimpact: {q['impact']}\nlearning: {q['learning']}\n"
            f"evidence:\n  level: promising\n  details: {q['evidence.details']}\n"
            f"  links:\n    - title: {q['evidence.links.title']}\n      url: https://www.example.gov.uk/evaluation\n"
            f"led_by:\n{lead}themes:\n  - family-networks\n"
            f"contact:\n  role: {q['contact.role']}\n  team: {q['contact.team']}\n  email: family.help@example.gov.uk\n"
            f"published: 2026-03-31\nsources:\n  - title: {q['sources.title']}\n    url: https://www.example.gov.uk/report\n"
            f"reach: {q['reach']}\n"
            f"outcomes:\n  - measure: {q['outcomes.measure']}\n    change: {q['outcomes.change']}\n"
            f"    period: {q['outcomes.period']}\n"
            f"funding:\n  - programme: local-budget\n"
            f"    amount: {q['funding.amount']}\n    years: {q['funding.years']}\n"
        )
        .replace(
            "      url: https://www.example.gov.uk/evaluation\n",
            "      url: https://www.example.gov.uk/evaluation\n"
            f"  evaluation:\n    status: under-way\n    evaluator: {q['evidence.evaluation.evaluator']}\n",
        )
        .replace(
            "themes:\n",
            f"  partner_organisations:\n    - name: {q['led_by.partner_organisations.name']}\n"
            "      kind: health\nthemes:\n",
            1,
        )
        .encode()
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return copy_project(tmp_path_factory.mktemp("frontmatter"))


def _visible_escaped(message: str) -> bool:
    return chars.first_refused(message.replace("\n", "\\n")) is None


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.fixed_dictionaries({name: TEXT for name in FIELDS}), st.booleans())
def test_any_text_is_refused_with_a_position_or_round_trips(
    project: Project, values: dict[str, str], national: bool
) -> None:
    if not national:
        del values["led_by.organisation"]
    path = project.practice / "x.yml"
    path.write_bytes(document(values))
    try:
        catalogue = check(project, TODAY, jobs=1)[0]
    except HubError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == "practice/x.yml" and problem.line >= 1 and problem.col >= 1, problem
            assert _visible_escaped(problem.message), problem.message
        return
    [study] = catalogue.studies
    pages = render_site(catalogue)
    for name, page in pages.items():
        body, meta = get_data(page)
        assert meta.get("generated_by") == "hub", f"{name}: front matter did not parse"
        assert "generated_by" not in body, name
    body, meta = get_data(pages[study.page])
    assert meta == {
        "generated_by": "hub",
        "hub_source": "practice/x.yml",
        "description": _brief(study.summary),
        "hub_kind": "case-study",
        "hub_search": json.loads(json.dumps(catalogue.search_data(study))),
    }
    assert meta["hub_search"]["meta"]["summary"] == values["summary"].strip().replace("\n", "\n")  # literally
    xml = feed(catalogue)
    ET.fromstring(xml.encode("utf-8"))  # well-formed, or this raises
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries[0].title == study.title


def test_the_awkward_characters_are_each_refused_or_kept(project: Project) -> None:
    """Each character of the list between two words of a title: what the policy allows is kept
    exactly; what it refuses is reported at the title's position."""
    for char in _AWKWARD:
        title = f"Family {char} help"
        values = dict.fromkeys(FIELDS, "Plain text")
        del values["led_by.organisation"]
        values["title"] = title
        (project.practice / "x.yml").write_bytes(document(values))
        try:
            catalogue = check(project, TODAY, jobs=1)[0]
        except HubError as error:
            [problem] = error.problems
            surrogate = len(char) == 1 and 0xD800 <= ord(char) <= 0xDFFF  # libyaml points at the escape itself
            assert problem.line == 1 and problem.col == (18 if surrogate else 8), (repr(char), problem)
            continue
        assert catalogue.studies[0].title == title, repr(char)


@pytest.mark.parametrize(
    ("char", "allowed"),
    [("\u200d", False), ("\u2800", True), ("\u206a", False), ("\ufff9", False), ("\ufffe", False), ("\u2028", False)],
)
def test_policy_in_plain_latin_text(char: str, allowed: bool) -> None:
    assert (chars.first_refused(f"a{char}b") is None) == allowed


@pytest.mark.parametrize(
    "text",
    [
        "👩\u200d👧",
        "ف\u200cا",
        "मि\u200dत्र",
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        "☺\ufe0f",
        "e\u0301",
    ],
)
def test_real_text_that_needs_invisible_characters_is_allowed(text: str) -> None:
    assert chars.first_refused(text) is None


@pytest.mark.parametrize("text", ["\u2800\u2800", "\u3164", " \u2800 ", "\u0301"])
def test_text_that_shows_nothing_is_refused(project: Project, text: str) -> None:
    values = dict.fromkeys(FIELDS, "Plain text")
    del values["led_by.organisation"]
    values["title"] = text
    (project.practice / "x.yml").write_bytes(document(values))
    with pytest.raises(HubError) as error:
        check(project, TODAY, jobs=1)
    [problem] = error.value.problems
    assert (problem.line, problem.col) == (1, 8)
    assert "shows nothing" in problem.message or "not allowed" in problem.message


def test_front_matter_values_hold_any_character() -> None:
    """The serialiser alone, behind the policy: every code point but the surrogates (which a
    YAML parser cannot hold) is written as printable ASCII and read back exactly by MkDocs."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    value = {"a": [every, 'quote " and \\ backslash', "\n---\n..."]}
    written = yaml_value(value)
    assert written.isascii() and written.isprintable()
    assert get_data(f"---\nk: {written}\n---\n")[1] == {"k": value}
