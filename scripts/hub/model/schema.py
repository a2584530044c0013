"""The case-study schema, defined once.

Validation (`validate.py`), the contributor field reference and the JSON Schema all derive
from `CASE_STUDY`. A field's `kind` says how its text is checked; `vocabulary` names the
controlled list its values must come from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

Kind = Literal["line", "text", "date", "url", "email", "choice", "list", "mapping"]


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
    "A link: a title and an https address.",
    fields=(
        Field("title", "line", "What the link points to, as a reader would name it.", required=True, max_length=200),
        Field("url", "url", "The address, starting https://.", required=True, max_length=500),
    ),
)

AUTHORITY = Field(
    "authority",
    "choice",
    "A local authority, by its slug (as in its page address, e.g. `west-berkshire`), its name or its DfE "
    "three-digit code (e.g. `869`).",
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
                Field("links", "list", "Links to the evidence.", item=LINK, max_items=20),
            ),
        ),
        Field("learning", "text", "What others could take from it (optional).", max_length=5000),
        Field(
            "led_by",
            "mapping",
            "Who led the work: either `authority` (with optional `partners`), or `organisation` with the `regions` "
            "it covered (and optional `partners`).",
            required=True,
            fields=(
                AUTHORITY,
                Field(
                    "organisation",
                    "line",
                    "For work led at regional or national level: the leading organisation.",
                    max_length=150,
                ),
                Field(
                    "regions",
                    "list",
                    "Only with `organisation`: the regions the work covered (`england` for all nine). With a lead "
                    "authority the region follows from it.",
                    item=Field("region", "choice", "A region slug.", vocabulary="regions", example="south-west"),
                    min_items=1,
                    max_items=9,
                ),
                Field("partners", "list", "Partner or participating authorities.", item=AUTHORITY, max_items=153),
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
            "contact",
            "mapping",
            "Who to ask: a role, plus a team mailbox and/or a web page. Never a private address.",
            required=True,
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
            "The date the case study was published, as YYYY-MM-DD.",
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
            item=LINK,
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
        Field(
            "ofsted",
            "list",
            "Optional Ofsted context: judgements that bear on the work, each with its date and report.",
            item=Field(
                "judgement",
                "mapping",
                "An Ofsted judgement.",
                fields=(
                    Field("judgement", "choice", "The judgement.", required=True, vocabulary="ofsted", example="good"),
                    Field("date", "date", "When the judgement was published, as YYYY-MM-DD.", required=True),
                    Field("report", "url", "The inspection report, starting https://.", required=True, max_length=500),
                    Field("note", "line", "What the judgement was about (optional).", max_length=200),
                ),
            ),
            max_items=10,
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
        Field("description", "text", "The source, in words.", required=True, max_length=1000),
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
