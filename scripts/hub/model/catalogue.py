"""Step 4 of the pipeline: cross-references between case studies, authorities, regions and themes.

`Catalogue` holds the reference data and the valid case studies, newest first, with named queries the
templates use. It is built once per run and never changed.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hub.model.records import Authority, CaseStudy, Reference, Region, Theme


def _pages_of(authority: Authority) -> tuple[str, ...]:
    """The authority pages that show an authority's work: its own, or its successors'."""
    return authority.successors if authority.former else (authority.slug,)


def _newest_first(studies: list[CaseStudy]) -> tuple[CaseStudy, ...]:
    return tuple(sorted(studies, key=lambda s: (-s.published.toordinal(), s.title.casefold(), s.slug)))


# Every case-study page holds this word, hidden (overrides/main.html): Find practice lists by
# filters alone by searching for it, as a search with no words would fetch the whole index.
EVERY_CASE_STUDY = "hubcasestudy"
# The Find practice page's filter groups, in order: the name in each case study's search data
# (a Pagefind filter), and the label readers see.
FILTERS = (
    ("theme", "Theme"),
    ("region", "Region"),
    ("authority", "Local authority"),
    ("evidence", "Evidence level"),
    ("programme", "Funding programme"),
    ("partner", "Working with"),
    ("year", "Year the work started"),
)


@dataclass(frozen=True)
class Catalogue:
    ref: Reference
    studies: tuple[CaseStudy, ...]
    today: date  # the build's "today", for review dates: same input and same day, same bytes
    _led: dict[str, tuple[CaseStudy, ...]] = field(repr=False)
    _partnered: dict[str, tuple[CaseStudy, ...]] = field(repr=False)
    _region: dict[str, tuple[CaseStudy, ...]] = field(repr=False)
    _covering: dict[str, tuple[CaseStudy, ...]] = field(repr=False)  # of _region: led by an organisation covering it
    _theme: dict[str, tuple[CaseStudy, ...]] = field(repr=False)
    _national: dict[str, tuple[CaseStudy, ...]] = field(repr=False)  # of _theme: England-wide
    # Work led within a region (not England-wide) by theme: where related practice is looked for first.
    _local: dict[tuple[str, str], tuple[CaseStudy, ...]] = field(repr=False)
    _local_slugs: dict[tuple[str, str], frozenset[str]] = field(repr=False)
    _involving: dict[str, tuple[CaseStudy, ...]] = field(repr=False)  # led or partnered, by authority
    # Each study's place in the order related practice breaks ties by: newest first, then slug.
    _rank: dict[str, int] = field(repr=False)
    _by_slug: dict[str, CaseStudy] = field(repr=False)

    @classmethod
    def build(cls, ref: Reference, studies: list[CaseStudy], today: date) -> Catalogue:
        led: dict[str, list[CaseStudy]] = defaultdict(list)
        partnered: dict[str, list[CaseStudy]] = defaultdict(list)
        involving: dict[str, list[CaseStudy]] = defaultdict(list)
        region: dict[str, list[CaseStudy]] = defaultdict(list)
        covering: dict[str, list[CaseStudy]] = defaultdict(list)
        theme: dict[str, list[CaseStudy]] = defaultdict(list)
        national: dict[str, list[CaseStudy]] = defaultdict(list)
        local: dict[tuple[str, str], list[CaseStudy]] = defaultdict(list)
        newest_first = _newest_first(studies)
        for study in newest_first:  # so every group is newest first too
            lead = study.lead
            # A former authority's work is shown on the pages of the authorities that followed it.
            for slug in dict.fromkeys(slug for a in lead.leads for slug in _pages_of(a)):
                led[slug].append(study)
            for slug in dict.fromkeys(slug for a in lead.partners for slug in _pages_of(a)):
                partnered[slug].append(study)
            for slug in dict.fromkeys(slug for a in lead.authorities for slug in _pages_of(a)):
                involving[slug].append(study)
            # Organisation-led work covers every region it reaches, through the authorities taking part or not.
            covered = set() if lead.leads else {r.slug for r in study.regions}
            for r in study.regions:
                region[r.slug].append(study)
                if r.slug in covered:
                    covering[r.slug].append(study)
            for t in study.themes:
                theme[t.slug].append(study)
                if lead.national:
                    national[t.slug].append(study)
                else:
                    for r in study.regions:
                        local[(t.slug, r.slug)].append(study)

        def freeze(groups: dict[Any, list[CaseStudy]]) -> dict[Any, tuple[CaseStudy, ...]]:
            return {key: tuple(group) for key, group in groups.items()}

        ranked = sorted(studies, key=lambda s: (-s.published.toordinal(), s.slug))
        return cls(
            ref,
            newest_first,
            today,
            freeze(led),
            freeze(partnered),
            freeze(region),
            freeze(covering),
            freeze(theme),
            freeze(national),
            freeze(local),
            {key: frozenset(s.slug for s in group) for key, group in local.items()},
            freeze(involving),
            {s.slug: n for n, s in enumerate(ranked)},
            {s.slug: s for s in studies},
        )

    # Queries used by the templates.
    def search_data(self, study: CaseStudy) -> dict[str, Any]:
        """What the search index needs from a case study: filter values, result details, sort
        date, and the word every case study holds (`EVERY_CASE_STUDY`)."""
        regions = "England" if study.lead.national else ", ".join(r.name for r in study.regions)
        values = {
            "theme": [t.name for t in study.themes],
            "region": [r.name for r in study.regions],
            "authority": [a.label for a in study.lead.authorities],
            "evidence": [study.evidence.level.name],
            "programme": list(dict.fromkeys(f.programme.name for f in study.funding)),
            "partner": list(dict.fromkeys(o.kind_label for o in study.lead.organisations)),
            "year": [str(study.started.year)] if study.started else [],
        }
        return {
            "filters": {name: values[name] for name, _ in FILTERS},
            "every": EVERY_CASE_STUDY,
            "meta": {
                "lead": study.lead_name,
                "regions": regions,
                "evidence": study.evidence.level.name,
                "published": study.published.isoformat(),
                "when": study.when,
                "summary": study.summary,
            },
            "date": study.published.isoformat(),
            "started": study.started.iso if study.started else "",
        }

    def find_config(self) -> dict[str, Any]:
        """What the Find practice page's script needs (docs/javascripts/hub-search.js): the filter
        groups, every value of each with how many case studies have it (the same values the
        search index holds, from `search_data`), the order of evidence levels, and the word
        every case study holds."""
        values: dict[str, dict[str, int]] = {name: {} for name, _ in FILTERS}
        for study in self.studies:
            for name, held in self.search_data(study)["filters"].items():
                counts = values[name]
                for value in dict.fromkeys(held):
                    counts[value] = counts.get(value, 0) + 1
        return {
            "groups": [list(group) for group in FILTERS],
            "values": {name: dict(sorted(counts.items())) for name, counts in values.items()},
            "order": {"evidence": [level.name for level in self.ref.evidence_levels.values()]},
            "descending": ["year"],
            "every": EVERY_CASE_STUDY,
        }

    def due_for_review(self, study: CaseStudy) -> bool:
        return study.review <= self.today

    def review_list(self) -> tuple[CaseStudy, ...]:
        """Every case study, the longest overdue first."""
        return tuple(sorted(self.studies, key=lambda s: (s.review, s.slug)))

    def led_by(self, authority: Authority) -> tuple[CaseStudy, ...]:
        return self._led.get(authority.slug, ())

    def partnered_by(self, authority: Authority) -> tuple[CaseStudy, ...]:
        return self._partnered.get(authority.slug, ())

    def involving(self, authority: Authority) -> tuple[CaseStudy, ...]:
        return self._involving.get(authority.slug, ())

    def neighbours_of(self, authority: Authority) -> tuple[Authority, ...]:
        return self.ref.neighbours.get(authority.slug, ())

    def from_neighbours(self, authority: Authority) -> tuple[CaseStudy, ...]:
        """Case studies led or joined by the authority's statistical neighbours, newest first."""
        found = {s.slug: s for n in self.neighbours_of(authority) for s in self.involving(n)}
        return _newest_first(list(found.values()))

    def in_region(self, region: Region) -> tuple[CaseStudy, ...]:
        return self._region.get(region.slug, ())

    def covering_region_without(self, region: Region, authority: Authority) -> tuple[CaseStudy, ...]:
        """Regional and national work covering the region, less what the authority is already named in."""
        mine = {s.slug for s in self.involving(authority)}
        return tuple(s for s in self.covering_region(region) if s.slug not in mine)

    def covering_region(self, region: Region) -> tuple[CaseStudy, ...]:
        """Work led by an organisation (not an authority) that covered this region."""
        return self._covering.get(region.slug, ())

    def led_in_region(self, region: Region) -> tuple[CaseStudy, ...]:
        covering = {s.slug for s in self.covering_region(region)}
        return tuple(s for s in self.in_region(region) if s.slug not in covering)

    def with_theme(self, theme: Theme) -> tuple[CaseStudy, ...]:
        return self._theme.get(theme.slug, ())

    def with_theme_in(self, theme: Theme, region: Region) -> tuple[CaseStudy, ...]:
        """Case studies with the theme in the region, not counting England-wide work (counted apart)."""
        return self._local.get((theme.slug, region.slug), ())

    def national_with_theme(self, theme: Theme) -> tuple[CaseStudy, ...]:
        return self._national.get(theme.slug, ())

    def theme_bars(self) -> tuple[tuple[Theme, int, int], ...]:
        """(theme, case studies, bar length in percent of the longest) for the home page chart:
        the themes that have case studies, most first, then in the vocabulary's order."""
        counts = [(t, len(self.with_theme(t))) for t in self.ref.themes.values()]
        top = max((n for _, n in counts), default=0) or 1
        held = sorted((pair for pair in counts if pair[1]), key=lambda pair: -pair[1])  # stable: ties keep order
        return tuple((t, n, max(1, round(100 * n / top))) for t, n in held)

    def themes_without_studies(self) -> tuple[Theme, ...]:
        return tuple(t for t in self.ref.themes.values() if not self.with_theme(t))

    def coverage_level(self, count: int) -> int:
        """Shading for a count in the coverage table: 0 none, 1 one, 2 two or three, 3 four or more."""
        return 0 if count == 0 else 1 if count == 1 else 2 if count <= 3 else 3

    def successors(self, authority: Authority) -> tuple[Authority, ...]:
        """The authorities that followed a former one."""
        return tuple(self.ref.authorities[slug] for slug in authority.successors)

    def former_authorities_of(self, authority: Authority) -> tuple[Authority, ...]:
        """The authorities that no longer exist whose area this one took on (or part of it)."""
        return tuple(a for a in self.ref.former.values() if authority.slug in a.successors)

    def contributing_authorities(self) -> tuple[Authority, ...]:
        return tuple(a for a in self.ref.authorities.values() if self.involving(a))

    def authorities_in(self, region: Region) -> tuple[Authority, ...]:
        return tuple(a for a in self.ref.authorities.values() if a.region.slug == region.slug)

    def active_authorities_in(self, region: Region, besides: Authority | None = None) -> tuple[Authority, ...]:
        """Authorities of the region that led or partnered in at least one case study."""
        return tuple(a for a in self.authorities_in(region) if a != besides and self.involving(a))

    def themes_in(self, region: Region) -> tuple[Theme, ...]:
        used = {t.slug for s in self.in_region(region) for t in s.themes}
        return tuple(t for t in self.ref.themes.values() if t.slug in used)

    def themes_missing_in(self, region: Region) -> tuple[Theme, ...]:
        used = {t.slug for t in self.themes_in(region)}
        return tuple(t for t in self.ref.themes.values() if t.slug not in used)

    def regions_for(self, theme: Theme) -> tuple[Region, ...]:
        """Regions with practice on the theme of their own (England-wide work is listed apart)."""
        return tuple(r for r in self.ref.regions.values() if self.with_theme_in(theme, r))

    def authorities_for(self, theme: Theme) -> tuple[Authority, ...]:
        used = {slug for s in self.with_theme(theme) for a in s.lead.authorities for slug in _pages_of(a)}
        return tuple(a for a in self.ref.authorities.values() if a.slug in used)

    def related(self, study: CaseStudy, limit: int = 5) -> tuple[CaseStudy, ...]:
        """Other case studies sharing a theme: same region first, then national work, then elsewhere;
        within each, most themes shared, then newest."""
        mine_t, mine_r = study.theme_slugs, study.region_slugs

        def nearness(s: CaseStudy) -> tuple[int, int, int, str]:
            # National work covers every region: near everything, but never nearest.
            national = s.lead.national or study.lead.national
            place = 1 if national else 0 if mine_r & s.region_slugs else 2
            return (place, -len(mine_t & s.theme_slugs), -s.published.toordinal(), s.slug)

        if not study.lead.national:
            # Same region first: when that alone fills the list, nothing further away can get in,
            # so only the (theme, region) groups need ranking — a few dozen, not every study.
            # There every candidate shares a region, so the order is: most themes shared (how
            # many of this study's theme groups hold it), then newest, then slug.
            shared: Counter[str] = Counter()
            for t in mine_t:
                shared.update(frozenset().union(*(self._local_slugs.get((t, r), ()) for r in mine_r)))
            shared.pop(study.slug, None)
            if len(shared) >= limit:
                levels: dict[int, list[str]] = defaultdict(list)
                for slug, count in shared.items():
                    levels[count].append(slug)
                chosen: list[str] = []
                for count in sorted(levels, reverse=True):
                    chosen += heapq.nsmallest(limit - len(chosen), levels[count], key=self._rank.__getitem__)
                    if len(chosen) == limit:
                        break
                return tuple(self._by_slug[slug] for slug in chosen)
        candidates = {s.slug: s for t in study.themes for s in self.with_theme(t) if s.slug != study.slug}
        return tuple(heapq.nsmallest(limit, candidates.values(), key=nearness))
