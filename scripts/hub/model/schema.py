"""The case-study schema, defined once.

Validation (`validate.py`), the contributor field reference and the JSON Schema all derive
from `CASE_STUDY`. A field's `kind` says how its text is checked; `vocabulary` names the
controlled list its values must come from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

# line: one line of text; text: paragraphs; date: YYYY-MM-DD; period: YYYY or YYYY-MM; when:
# YYYY, YYYY-MM or YYYY-MM-DD; url: an https address; web: an https address, or an http one
# (old public pages), which is accepted with a warning; email: a mailbox; choice: a value of
# a vocabulary; list and mapping: as in YAML.
Kind = Literal["line", "text", "date", "period", "when", "url", "web", "email", "choice", "list", "mapping"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    required: bool = False
    max_length: int = 0  # characters, for line and text fields
    vocabulary: str = ""  # for choice fields: themes, evidence_levels, regions, authorities, ofsted
    fields: tuple[Field, ...] = ()  # for mapping fields
    item: Field | None = None  # for list fields
    min_items: int = 0
    max_items: int = 0
    example: str = ""

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The names of the fields of a mapping field."""
        return frozenset(f.name for f in self.fields)

    def child(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


LINK = Field(
    "link",
    "mapping",
    "A link: a title and an address.",
    fields=(
        Field("title", "line", "What the link points to, as a reader would name it.", required=True, max_length=200),
        Field(
            "url",
            "web",
            "The address, starting https:// (an old page only at http:// is accepted, with a warning).",
            required=True,
            max_length=500,
        ),
    ),
)

SOURCE_LINK = Field(
    "source",
    "mapping",
    "A public source: a title and an address, and when it was published and what kind it is.",
    fields=(
        *LINK.fields,
        Field("date", "when", "When it was published: YYYY, YYYY-MM or YYYY-MM-DD (optional).", example="2017-11"),
        Field(
            "kind", "choice", "What kind of source it is (optional).", vocabulary="source_kinds", example="evaluation"
        ),
    ),
)

AUTHORITY = Field(
    "authority",
    "choice",
    "A local authority, by its slug (as in its page address, e.g. `west-berkshire`), its name as the hub "
    "shows it (`West Berkshire`) or its DfE three-digit code (e.g. `869`); an authority that no longer "
    "exists by its former slug (e.g. `cumbria`).",
    vocabulary="authorities",
    example="west-berkshire",
)

CASE_STUDY = Field(
    "case study",
    "mapping",
    "One case study of good practice.",
    fields=(
        Field("title", "line", "A short, plain title that says what was done.", required=True, max_length=120),
        Field(
            "summary",
            "text",
            "One paragraph: what was done, by whom, and what changed.",
            required=True,
            max_length=1200,
        ),
        Field("challenge", "text", "The problem the work set out to solve.", required=True, max_length=5000),
        Field(
            "what_we_did",
            "text",
            "What was done, in enough detail for another authority to try it.",
            required=True,
            max_length=10000,
        ),
        Field("impact", "text", "What changed, with numbers where there are any.", required=True, max_length=5000),
        Field("learning", "text", "What others could take from it (optional).", max_length=5000),
        Field("started", "period", "When the work started: YYYY or YYYY-MM (optional).", example="2014-09"),
        Field(
            "ended",
            "period",
            "When the work ended, if it has: YYYY or YYYY-MM (optional; leave it out while it runs).",
            example="2017",
        ),
        Field(
            "evidence",
            "mapping",
            "How we know it worked, and how strong that evidence is.",
            required=True,
            fields=(
                Field(
                    "level",
                    "choice",
                    "The evidence level.",
                    required=True,
                    vocabulary="evidence_levels",
                    example="promising",
                ),
                Field(
                    "details",
                    "text",
                    "What the evidence is: evaluations, data, inspection findings.",
                    required=True,
                    max_length=4000,
                ),
                Field(
                    "evaluation",
                    "mapping",
                    "An independent evaluation of the work, if there is one or one is planned (optional).",
                    fields=(
                        Field(
                            "status",
                            "choice",
                            "Whether it is under way or published; `none` says there is none.",
                            required=True,
                            vocabulary="evaluation_statuses",
                            example="published",
                        ),
                        Field("evaluator", "line", "Who evaluated it (an organisation).", max_length=200),
                        Field("design", "choice", "How it was evaluated.", vocabulary="evaluation_designs"),
                        Field("report", "web", "The evaluation report's address.", max_length=500),
                    ),
                ),
                Field("links", "list", "Links to the evidence.", item=LINK, max_items=20),
            ),
        ),
        Field(
            "outcomes",
            "list",
            "Measured changes, as the sources state them (optional).",
            item=Field(
                "outcome",
                "mapping",
                "One measured change.",
                fields=(
                    Field("measure", "line", "What was measured.", required=True, max_length=200),
                    Field(
                        "change", "line", 'The change, as the source gives it ("-49%").', required=True, max_length=120
                    ),
                    Field("period", "line", "Over what period (optional).", max_length=120),
                    Field("source", "web", "The source that states it (optional).", max_length=500),
                ),
            ),
            max_items=20,
        ),
        Field("reach", "line", "How many children, families or staff it reached, as the sources say.", max_length=200),
        Field(
            "funding",
            "list",
            "What paid for the work (optional).",
            item=Field(
                "grant",
                "mapping",
                "One source of money.",
                fields=(
                    Field(
                        "programme",
                        "choice",
                        "The programme or kind of funding.",
                        required=True,
                        vocabulary="programmes",
                        example="innovation-programme",
                    ),
                    Field("amount", "line", "How much, as the source gives it (optional).", max_length=100),
                    Field("years", "line", "Which years (optional).", max_length=50),
                ),
            ),
            max_items=10,
        ),
        Field(
            "led_by",
            "mapping",
            "Who did the work: either `authorities` (one or more lead authorities) or an `organisation` (with "
            "the `regions` it covered when no authority is named); and other authorities and organisations "
            "that took part.",
            required=True,
            fields=(
                Field(
                    "authorities",
                    "list",
                    "The lead authority, or the authorities that led it together.",
                    item=AUTHORITY,
                    max_items=20,
                ),
                Field(
                    "organisation",
                    "line",
                    "For work led by an organisation (a charity, a programme, a regional alliance): its name.",
                    max_length=150,
                ),
                Field(
                    "regions",
                    "list",
                    "Only with `organisation`: the regions the work covered (`england` for all nine), when the "
                    "authorities taking part do not say it. Regions otherwise follow from the authorities.",
                    item=Field("region", "choice", "A region slug.", vocabulary="regions", example="south-west"),
                    min_items=1,
                    max_items=9,
                ),
                Field("partners", "list", "Other authorities that took part.", item=AUTHORITY, max_items=153),
                Field(
                    "partner_organisations",
                    "list",
                    "Partners that are not councils: health, police, charities, universities, national bodies.",
                    item=Field(
                        "organisation",
                        "mapping",
                        "A partner organisation.",
                        fields=(
                            Field("name", "line", "Its name.", required=True, max_length=150),
                            Field(
                                "kind",
                                "choice",
                                "What kind of organisation it is.",
                                required=True,
                                vocabulary="partner_kinds",
                                example="police",
                            ),
                            Field("url", "web", "Its web page (optional).", max_length=500),
                        ),
                    ),
                    max_items=30,
                ),
            ),
        ),
        Field(
            "themes",
            "list",
            "One to four themes.",
            required=True,
            item=Field("theme", "choice", "A theme slug.", vocabulary="themes", example="sector-led-improvement"),
            min_items=1,
            max_items=4,
        ),
        Field(
            "provenance",
            "choice",
            "Who wrote it: `authority` (the authority or organisation that did the work, the default) or "
            "`public-sources` (written from public sources, not checked with them).",
            vocabulary="provenances",
            example="public-sources",
        ),
        Field(
            "contact",
            "mapping",
            "Who to ask: a role, plus a team mailbox and/or a web page. Never a private address. Needed unless "
            "the case study is written from public sources.",
            fields=(
                Field(
                    "role",
                    "line",
                    "A role or team, e.g. 'Head of service, children's social care'.",
                    required=True,
                    max_length=150,
                ),
                Field("team", "line", "The team or service (optional).", max_length=150),
                Field("email", "email", "A team mailbox (not a personal address).", max_length=254),
                Field("url", "url", "A public web page about the work or the team, starting https://.", max_length=500),
            ),
        ),
        Field(
            "published",
            "date",
            "The date the case study was published on the hub, as YYYY-MM-DD.",
            required=True,
            example="2026-03-31",
        ),
        Field(
            "updated",
            "date",
            "When the case study was last changed in substance, as YYYY-MM-DD (optional).",
            example="2027-01-15",
        ),
        Field(
            "review",
            "date",
            "When to check it is still current, as YYYY-MM-DD; defaults to two years after publication.",
            example="2028-03-31",
        ),
        Field(
            "sources",
            "list",
            "Where the facts come from: one or more links.",
            required=True,
            item=SOURCE_LINK,
            min_items=1,
            max_items=30,
        ),
        Field(
            "aliases",
            "list",
            "Earlier file names (slugs) of this case study, after a rename, so that old links keep working.",
            item=Field("alias", "line", "An earlier slug.", max_length=80, example="old-file-name"),
            max_items=20,
        ),
    ),
)

# Region value that stands for all nine regions (national work).
ALL_REGIONS = "england"


# Reference data files under practice/reference/. Maintainers edit regions, themes and
# evidence levels by hand; `hub import-authorities` writes authorities.yml.
SOURCE = Field(
    "source",
    "mapping",
    "Where the facts in the file come from.",
    required=True,
    fields=(
        Field("description", "text", "The source, in words, for maintainers.", required=True, max_length=1000),
        Field(
            "cite",
            "line",
            "The source as readers see it under the facts on the site, without file names.",
            max_length=300,
        ),
        Field("licence", "line", "The licence the facts are used under.", required=True, max_length=200),
        Field("imported", "date", "When the file was last built from the source."),
    ),
)


def _reference_file(items: str, item: Field) -> Field:
    return Field(
        f"{items} file",
        "mapping",
        f"The {items} reference data.",
        fields=(SOURCE, Field(items, "list", f"The {items}.", required=True, item=item, min_items=1)),
    )


_SLUG = Field("slug", "line", "The page name: lower-case letters, digits and hyphens.", required=True, max_length=80)
_NAME = Field("name", "line", "The name readers know.", required=True, max_length=120)
_DESCRIPTION = Field("description", "text", "One sentence.", required=True, max_length=600)

REGIONS_FILE = _reference_file(
    "regions",
    Field(
        "region",
        "mapping",
        "A region of England.",
        fields=(
            _SLUG,
            _NAME,
            Field("code", "line", "The ONS region code (E12...).", required=True, max_length=9),
            Field("adcs_name", "line", "The name of the ADCS regional branch, when it differs.", max_length=120),
            _DESCRIPTION,
            Field(
                "alliance",
                "mapping",
                "The regional improvement and innovation alliance, where known.",
                fields=(
                    Field("name", "line", "Its name.", required=True, max_length=200),
                    Field("url", "url", "Its public web page.", max_length=500),
                ),
            ),
        ),
    ),
)

THEMES_FILE = _reference_file("themes", Field("theme", "mapping", "A theme.", fields=(_SLUG, _NAME, _DESCRIPTION)))

EVIDENCE_FILE = _reference_file(
    "levels", Field("level", "mapping", "An evidence level, strongest first.", fields=(_SLUG, _NAME, _DESCRIPTION))
)

_GRADE = "A grade: outstanding, good, requires-improvement, inadequate, not-given or no-separate-judgement."
OFSTED_FILE = Field(
    "ofsted file",
    "mapping",
    "The Ofsted snapshot.",
    fields=(
        SOURCE,
        Field("as_at", "line", "When the snapshot was taken, as readers see it.", required=True, max_length=40),
        Field(
            "inspections",
            "list",
            "One latest inspection per authority.",
            required=True,
            item=Field(
                "inspection",
                "mapping",
                "An authority's latest ILACS inspection.",
                fields=(
                    Field("authority", "choice", "Authority slug.", required=True, vocabulary="authorities"),
                    Field("urn", "line", "Ofsted's unique reference number.", required=True, max_length=12),
                    Field("type", "line", "short, standard or not-recorded.", required=True, max_length=20),
                    Field("start", "date", "First day of the inspection."),
                    Field("end", "date", "Last day of the inspection."),
                    Field("published", "date", "When the report was published.", required=True),
                    Field("report", "url", "The report.", required=True, max_length=500),
                    *(
                        Field(name, "line", _GRADE, required=True, max_length=30)
                        for name in ("leaders", "help_and_protection", "in_care", "care_leavers", "overall")
                    ),
                ),
            ),
        ),
    ),
)

NEIGHBOURS_FILE = _reference_file(
    "neighbours",
    Field(
        "entry",
        "mapping",
        "An authority and its statistical neighbours.",
        fields=(
            Field("authority", "choice", "Authority slug.", required=True, vocabulary="authorities"),
            Field(
                "neighbours",
                "list",
                "Ten authority slugs.",
                required=True,
                item=Field("neighbour", "choice", "Slug.", vocabulary="authorities"),
                min_items=10,
                max_items=10,
            ),
        ),
    ),
)

AUTHORITIES_FILE = _reference_file(
    "authorities",
    Field(
        "authority",
        "mapping",
        "A local authority with children's services responsibilities.",
        fields=(
            _SLUG,
            _NAME,
            Field("official_name", "line", "The name on DfE's list, when it differs.", max_length=120),
            Field("dfe_code", "line", "DfE three-digit code.", required=True, max_length=3),
            Field("gss_code", "line", "ONS/GSS code.", required=True, max_length=9),
            Field("type", "choice", "Authority type.", required=True, vocabulary="authority_types"),
            Field("region", "choice", "Region slug.", required=True, vocabulary="regions"),
        ),
    ),
)

FORMER_AUTHORITIES_FILE = _reference_file(
    "former",
    Field(
        "authority",
        "mapping",
        "A local authority that no longer exists, with the authorities that followed it.",
        fields=(
            _SLUG,
            _NAME,
            Field("official_name", "line", "The name on DfE's list, when it differs.", max_length=120),
            Field("dfe_code", "line", "DfE three-digit code.", required=True, max_length=3),
            Field("gss_code", "line", "ONS/GSS code.", required=True, max_length=9),
            Field("type", "choice", "Authority type.", required=True, vocabulary="authority_types"),
            Field("region", "choice", "Region slug.", required=True, vocabulary="regions"),
            Field("ended", "date", "Its last day.", required=True),
            Field(
                "successors",
                "list",
                "The authorities that took on its area.",
                required=True,
                item=Field("successor", "line", "Authority slug.", max_length=80),
                min_items=1,
            ),
        ),
    ),
)

PROGRAMMES_FILE = _reference_file(
    "programmes", Field("programme", "mapping", "A programme.", fields=(_SLUG, _NAME, _DESCRIPTION))
)


# What `hub new` writes for the contributor to replace (templates/new.yml.j2, kept in step by
# tests/test_new.py): `hub check` refuses a case study that still holds any of it, so an
# unedited draft is never published.
PLACEHOLDERS: dict[str, str] = {
    "summary": "One paragraph: what was done, by whom, and what changed.",
    "challenge": "The problem the work set out to solve.",
    "what_we_did": "What was done, in enough detail for another authority to try it.",
    "impact": "What changed, with numbers where there are any, and where they come from.",
    "learning": "What others could take from it.",
    "evidence.details": "What the evidence is: evaluations, data, inspection findings.",
    "contact.role": "Replace with a role, for example Head of service",
    "contact.url": "https://www.example.gov.uk/replace-with-a-page-about-the-work",
    "sources.title": "Replace with the title of a report, web page or presentation",
    "sources.url": "https://www.example.gov.uk/replace-with-the-source",
}
