"""Step 3 of the pipeline: the model, as frozen dataclasses.

Validation (step 2) turns YAML trees into these objects; everything after works on them only.
Every page path is computed here, once, as a property (`page`), relative to `docs/`, so that
templates link with relative `.md` paths and MkDocs checks every cross-link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

# Authority types, in the order pages list them. The import command maps DfE's entity codes
# onto these; City of London and the Isles of Scilly are their own kinds.
AUTHORITY_TYPES: dict[str, str] = {
    "county": "County council",
    "unitary": "Unitary authority",
    "metropolitan-district": "Metropolitan district",
    "london-borough": "London borough",
    "city-of-london": "City of London Corporation",
    "isles-of-scilly": "Council of the Isles of Scilly",
}


def in_words(items: list[str]) -> str:
    """A list as a sentence says it: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Alliance:
    name: str
    url: str | None


@dataclass(frozen=True)
class Region:
    slug: str
    name: str
    code: str  # ONS E12 code
    adcs_name: str  # what ADCS calls its regional branch, when different from `name`
    description: str
    alliance: Alliance | None
    order: int

    @property
    def page(self) -> str:
        return f"regions/{self.slug}.md"

    @property
    def in_text(self) -> str:
        """The name as it reads mid-sentence: "the South East", but "London"."""
        return f"the {self.name}" if self.name.split()[0] in ("North", "South", "East", "West") else self.name


@dataclass(frozen=True)
class Authority:
    slug: str
    name: str
    official_name: str  # the name on DfE's list, e.g. "Bristol, City of"
    dfe_code: str  # DfE three-digit code: the steady key
    gss_code: str  # ONS/GSS nine-character code
    type: str  # a key of AUTHORITY_TYPES
    region: Region
    ended: date | None = None  # a former authority: its last day
    successors: tuple[str, ...] = ()  # a former authority: the slugs of the authorities that followed it

    @property
    def page(self) -> str:
        """The authority's page; a former authority's work is on its successors' pages."""
        return f"authorities/{self.slug}.md"

    @property
    def type_label(self) -> str:
        return AUTHORITY_TYPES[self.type]

    @property
    def former(self) -> bool:
        return self.ended is not None

    @property
    def label(self) -> str:
        """The name as lists show it: a former authority says when it ended ("Cumbria (county
        council, before April 2023)")."""
        if self.ended is None:
            return self.name
        after = self.ended + timedelta(days=1)
        return f"{self.name} ({AUTHORITY_TYPES[self.type].lower()}, before {after:%B %Y})"


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str
    order: int

    @property
    def page(self) -> str:
        return f"themes/{self.slug}.md"


@dataclass(frozen=True)
class EvidenceLevel:
    slug: str
    name: str
    description: str
    rank: int  # 1 is the strongest


@dataclass(frozen=True)
class Period:
    """A year, or a month of a year: when work started or ended, when a source was written."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def label(self) -> str:
        if self.month is None:
            return str(self.year)
        shown = date(self.year, self.month, self.day or 1)
        return f"{shown:%B %Y}" if self.day is None else f"{shown.day} {shown:%B %Y}"

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{n:02d}" for n in (self.month, self.day) if n is not None]
        return "-".join(parts)

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


SOURCE_KINDS: dict[str, str] = {
    "evaluation": "Evaluation",
    "inspection": "Inspection report",
    "council-report": "Council report or minutes",
    "programme-page": "Programme page",
    "case-study": "Case study",
    "research": "Research",
    "press": "Press",
    "blog": "Blog",
}


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    date: Period | None = None  # when the page or report was published
    kind: str | None = None  # a key of SOURCE_KINDS

    @property
    def secure(self) -> bool:
        return self.url.lower().startswith("https://")

    @property
    def kind_label(self) -> str:
        return SOURCE_KINDS[self.kind] if self.kind else ""


EVALUATION_STATUSES: dict[str, str] = {
    "none": "No independent evaluation",
    "under-way": "Evaluation under way",
    "published": "Evaluation published",
}
EVALUATION_DESIGNS: dict[str, str] = {
    "randomised": "a randomised controlled trial",
    "quasi-experimental": "a comparison with similar children or areas (quasi-experimental)",
    "before-and-after": "a comparison of before and after",
    "qualitative": "interviews and observation (qualitative)",
    "mixed": "mixed methods",
    "inspection": "an inspection",
}


@dataclass(frozen=True)
class Evaluation:
    status: str  # a key of EVALUATION_STATUSES
    evaluator: str | None
    design: str | None  # a key of EVALUATION_DESIGNS
    report: Link | None

    @property
    def status_label(self) -> str:
        return EVALUATION_STATUSES[self.status]

    @property
    def design_label(self) -> str:
        return EVALUATION_DESIGNS[self.design] if self.design else ""


@dataclass(frozen=True)
class Evidence:
    level: EvidenceLevel
    text: str
    links: tuple[Link, ...]
    evaluation: Evaluation | None = None


@dataclass(frozen=True)
class Outcome:
    """A measured change, as its source states it."""

    measure: str
    change: str
    period: str | None
    source: str | None


@dataclass(frozen=True)
class Programme:
    slug: str
    name: str
    description: str
    order: int


@dataclass(frozen=True)
class Funding:
    programme: Programme
    amount: str | None
    years: str | None


PARTNER_KINDS: dict[str, str] = {
    "health": "Health",
    "police": "Police",
    "justice": "Justice and probation",
    "education": "Schools and education",
    "voluntary-sector": "Voluntary sector",
    "academic": "University or research",
    "national-body": "National body",
    "group-of-authorities": "Group of authorities",
    "business": "Business",
    "other": "Other",
}


@dataclass(frozen=True)
class Organisation:
    """A partner that is not a local authority."""

    name: str
    kind: str  # a key of PARTNER_KINDS
    url: str | None

    @property
    def kind_label(self) -> str:
        return PARTNER_KINDS[self.kind]


PROVENANCES: dict[str, str] = {
    "authority": "Written by the authority or organisation that did the work",
    "public-sources": "Written from public sources; not checked with the authority",
}


@dataclass(frozen=True)
class Contact:
    role: str
    team: str | None
    email: str | None
    url: str | None


OFSTED_GRADES: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires-improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}


# Grades an inspection can carry beyond the four-point scale.
INSPECTION_GRADES: dict[str, str] = {
    **OFSTED_GRADES,
    "not-given": "Not given (Ofsted stopped giving an overall effectiveness grade from April 2026)",
    "no-separate-judgement": "No separate judgement (care leavers were judged separately from January 2023)",
}
INSPECTION_TYPES = {
    "short": "Short inspection (one week)",
    "standard": "Standard inspection (two weeks)",
    "not-recorded": "Type not recorded in the source",
}


@dataclass(frozen=True)
class Inspection:
    """An authority's latest ILACS inspection, from the imported snapshot."""

    urn: str
    type: str  # a key of INSPECTION_TYPES
    start: date | None
    end: date | None
    published: date
    report: str
    overall: str  # keys of INSPECTION_GRADES
    leaders: str
    help_and_protection: str
    in_care: str
    care_leavers: str

    @property
    def type_label(self) -> str:
        return INSPECTION_TYPES[self.type]

    @property
    def judgements(self) -> tuple[tuple[str, str], ...]:
        """(judgement, grade in words), in Ofsted's order."""
        return tuple(
            (name, INSPECTION_GRADES[grade])
            for name, grade in (
                ("Overall effectiveness", self.overall),
                ("The impact of leaders on social work practice with children and families", self.leaders),
                ("The experiences and progress of children who need help and protection", self.help_and_protection),
                ("The experiences and progress of children in care", self.in_care),
                ("The experiences and progress of care leavers", self.care_leavers),
            )
        )


@dataclass(frozen=True)
class Lead:
    """Who did the work: one or more lead authorities, or an organisation; the authorities that
    took part besides (partners, or the councils in an organisation's programme); the regions
    an organisation's work covered that its authorities do not already say; partners that are
    not councils."""

    leads: tuple[Authority, ...]
    organisation: str | None
    partners: tuple[Authority, ...]
    covered: tuple[Region, ...]  # only for organisation-led work; never restates an authority's region
    national: bool = False  # organisation-led work that covered all of England
    organisations: tuple[Organisation, ...] = ()

    @property
    def authorities(self) -> tuple[Authority, ...]:
        """Every authority named: the leads, then the partners."""
        return self.leads + self.partners


@dataclass(frozen=True)
class CaseStudy:
    slug: str
    source: str  # repo-relative path of the YAML file
    title: str
    summary: str
    challenge: str
    action: str
    impact: str
    evidence: Evidence
    learning: str | None
    lead: Lead
    themes: tuple[Theme, ...]
    contact: Contact | None  # none for a case study written from public sources
    published: date
    review: date
    sources: tuple[Link, ...]
    aliases: tuple[str, ...] = ()  # earlier slugs, each kept alive as a redirect page
    updated: date | None = None  # last change in substance, if any
    started: Period | None = None
    ended: Period | None = None
    outcomes: tuple[Outcome, ...] = ()
    reach: str | None = None
    funding: tuple[Funding, ...] = ()
    provenance: str = "authority"  # a key of PROVENANCES
    warnings: tuple[tuple[int, int, str], ...] = ()  # (line, col, message) for `hub check` to show
    alias_places: tuple[tuple[int, int], ...] = ()  # (line, col) of each alias, for problems found later

    @property
    def last_changed(self) -> date:
        return self.updated or self.published

    @property
    def page(self) -> str:
        return f"practice/{self.slug}.md"

    def alias_page(self, alias: str) -> str:
        return f"practice/{alias}.md"

    @property
    def when(self) -> str:
        """When the work ran, in words: "2014 – 2017", "since March 2019", "" if not known."""
        if self.started is None:
            return ""
        if self.ended is None:
            return f"since {self.started.label}"
        if self.ended == self.started:
            return self.started.label
        return f"{self.started.label} – {self.ended.label}"

    @property
    def from_public_sources(self) -> bool:
        return self.provenance == "public-sources"

    # Derived once per case study (cached_property writes past the frozen dataclass's __setattr__):
    # pages ask for them thousands of times.
    @cached_property
    def regions(self) -> tuple[Region, ...]:
        """Regions follow from the authorities; organisation-led work adds those it covered."""
        found = {a.region.slug: a.region for a in self.lead.authorities}
        found.update({r.slug: r for r in self.lead.covered})
        return tuple(sorted(found.values(), key=lambda r: r.order))

    @cached_property
    def region_slugs(self) -> frozenset[str]:
        return frozenset(r.slug for r in self.regions)

    @cached_property
    def theme_slugs(self) -> frozenset[str]:
        return frozenset(t.slug for t in self.themes)

    @property
    def lead_name(self) -> str:
        """Who led it, in words: the lead authorities' names, or the organisation's."""
        if self.lead.leads:
            return in_words([a.label for a in self.lead.leads])
        return self.lead.organisation or ""


@dataclass(frozen=True)
class Reference:
    """The controlled vocabularies and reference data, each keyed by slug in display order."""

    regions: dict[str, Region]
    authorities: dict[str, Authority]
    themes: dict[str, Theme]
    evidence_levels: dict[str, EvidenceLevel]
    sources: dict[str, str]  # reference file key -> where its facts come from
    inspections: dict[str, Inspection] = field(default_factory=dict)  # authority slug -> latest inspection
    neighbours: dict[str, tuple[Authority, ...]] = field(default_factory=dict)  # authority slug -> its ten
    ofsted_as_at: str = ""
    former: dict[str, Authority] = field(default_factory=dict)  # authorities that no longer exist, by slug
    programmes: dict[str, Programme] = field(default_factory=dict)  # what funded the work, by slug
