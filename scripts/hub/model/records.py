"""Step 3 of the pipeline: the model, as frozen dataclasses.

Validation (step 2) turns YAML trees into these objects; everything after works on them only.
Every page path is computed here, once, as a property (`page`), relative to `docs/`, so that
templates link with relative `.md` paths and MkDocs checks every cross-link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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

    @property
    def page(self) -> str:
        return f"authorities/{self.slug}.md"

    @property
    def type_label(self) -> str:
        return AUTHORITY_TYPES[self.type]


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
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Evidence:
    level: EvidenceLevel
    text: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Contact:
    role: str
    team: str | None
    email: str | None
    url: str | None


@dataclass(frozen=True)
class OfstedJudgement:
    judgement: str  # a key of OFSTED_GRADES
    date: date
    report: str
    note: str | None

    @property
    def label(self) -> str:
        return OFSTED_GRADES[self.judgement]


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
    """Who led the work: an authority (with partners), or an organisation covering regions."""

    authority: Authority | None
    organisation: str | None
    partners: tuple[Authority, ...]
    covered: tuple[Region, ...]  # only for organisation-led work; never restates an authority's region
    national: bool = False  # organisation-led work that covered all of England

    @property
    def authorities(self) -> tuple[Authority, ...]:
        return ((self.authority,) if self.authority else ()) + self.partners


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
    contact: Contact
    published: date
    review: date
    sources: tuple[Link, ...]
    ofsted: tuple[OfstedJudgement, ...]
    aliases: tuple[str, ...] = ()  # earlier slugs, each kept alive as a redirect page
    updated: date | None = None  # last change in substance, if any

    @property
    def last_changed(self) -> date:
        return self.updated or self.published

    @property
    def page(self) -> str:
        return f"practice/{self.slug}.md"

    def alias_page(self, alias: str) -> str:
        return f"practice/{alias}.md"

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
        if self.lead.authority is not None:
            return self.lead.authority.name
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
