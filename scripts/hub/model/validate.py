"""Step 2 of the pipeline: check one case-study tree against the schema and build the model.

`check` walks the schema and the tree together and reports every problem it finds (unknown
fields with a "did you mean", wrong shapes, bad values, values outside a vocabulary), then
`case_study` applies the rules that span fields (who led it, dates, duplicates) and returns a
`CaseStudy`. Nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markdown.extensions.toc import slugify as heading_id  # type: ignore[import-untyped]

from hub.core.problems import Problem, did_you_mean
from hub.load.yamlsafe import Mapping, Node, Scalar, Sequence
from hub.model import values
from hub.model.records import (
    Authority,
    CaseStudy,
    Contact,
    Evidence,
    Lead,
    Link,
    OfstedJudgement,
    Reference,
    Region,
)
from hub.model.schema import ALL_REGIONS, CASE_STUDY, Field
from hub.model.vocabularies import Vocabulary, vocabularies


@dataclass
class _Walk:
    shown: str
    vocab: dict[str, Vocabulary]
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, tuple[int, int]] = field(default_factory=dict)

    def report(self, node: Node | Scalar, label: str, message: str) -> None:
        self.problems.append(Problem(self.shown, node.line, node.col, f"'{label}' {message}"))

    def check(self, spec: Field, node: Node, label: str) -> Any:
        """The value of `node` per `spec`, or None after reporting why it has none."""
        self.where[label] = (node.line, node.col)
        if spec.kind == "mapping":
            return self._mapping(spec, node, label)
        if spec.kind == "list":
            return self._list(spec, node, label)
        if not isinstance(node, Scalar):
            shape = "a list" if isinstance(node, Sequence) else "a group of fields"
            self.report(node, label, f"should be a single value, not {shape}")
            return None
        try:
            raw = node.value
            if spec.kind == "text" and node.style == ">":
                # A folded block turns each blank line between paragraphs into one line break.
                raw = raw.replace("\n", "\n\n")
            # The file as a whole has no hidden characters (yamlsafe); only a double-quoted
            # value can hold one more, typed as an escape such as "\u200b".
            return self._scalar(spec, raw, escapes=node.style == '"')
        except values.Invalid as problem:
            self.report(node, label, str(problem))
            return None

    def _scalar(self, spec: Field, raw: str, escapes: bool) -> Any:
        if spec.kind in ("line", "text"):
            return values.text(raw, one_line=spec.kind == "line", max_length=spec.max_length, escapes=escapes)
        value = values.text(raw, one_line=True, max_length=spec.max_length or 200, escapes=escapes)
        if spec.kind == "date":
            return values.iso_date(value)
        if spec.kind == "url":
            return values.https_url(value)
        if spec.kind == "email":
            return values.mailbox(value)
        vocab = self.vocab[spec.vocabulary]
        found = vocab.entries.get(value)
        if found is None:  # as typed, then in lower case, then as a slug (a name or its spelling)
            found = vocab.entries.get(value.lower())
        if found is None:
            found = vocab.entries.get(values.suggest_slug(value))
        if found is None:
            hint = did_you_mean(values.suggest_slug(value) or value, vocab.hints, allowed=vocab.list_allowed)
            raise values.Invalid(f"'{value}' is not a known {vocab.noun}" + (f"; {hint}" if hint else ""))
        return found

    def _mapping(self, spec: Field, node: Node, label: str) -> dict[str, Any] | None:
        if not isinstance(node, Mapping):
            self.report(node, label, "should be a group of 'field: value' lines")
            return None
        result: dict[str, Any] = {}
        for name, key in node.keys.items():
            if name not in spec.names:
                where = f"'{label}' has " if label else ""
                hint = did_you_mean(name, [f.name for f in spec.fields], allowed=True)
                self.problems.append(Problem(self.shown, key.line, key.col, f"{where}unknown field '{name}'; {hint}"))
        for child in spec.fields:
            child_label = f"{label}.{child.name}" if label else child.name
            if child.name not in node.items:
                if child.required:
                    self.report(node, child_label, f"is missing; add it ({child.description})")
                continue
            value = self.check(child, node.items[child.name], child_label)
            if value is not None:
                result[child.name] = value
        return result

    def _list(self, spec: Field, node: Node, label: str) -> list[Any] | None:
        assert spec.item is not None
        if isinstance(node, Scalar) and spec.item.kind != "mapping" and node.value.strip():
            node = Sequence((node,), node.line, node.col)  # a single value stands for a list of one
        if not isinstance(node, Sequence):
            self.report(node, label, "should be a list, one '- item' per line")
            return None
        if len(node.items) < spec.min_items:
            self.report(node, label, f"needs at least {spec.min_items} item(s)")
        if spec.max_items and len(node.items) > spec.max_items:
            self.report(node, label, f"has {len(node.items)} items; the most allowed is {spec.max_items}")
            return None
        items = [self.check(spec.item, item, f"{label}[{n}]") for n, item in enumerate(node.items, start=1)]
        if any(item is None for item in items):
            return None
        return items


def check(spec: Field, tree: Node, shown: str, vocab: dict[str, Vocabulary]) -> tuple[Any, list[Problem]]:
    """Check any tree against any schema (reference data files use this too)."""
    walk = _Walk(shown, vocab)
    result = walk.check(spec, tree, "")
    return (None if walk.problems else result), walk.problems


def case_study(
    tree: Mapping, slug: str, shown: str, ref: Reference, today: date, vocab: dict[str, Vocabulary] | None = None
) -> tuple[CaseStudy | None, list[Problem]]:
    """Validate one tree and build its `CaseStudy`; on any problem, return None and every problem."""
    walk = _Walk(shown, vocab or vocabularies(ref))
    raw = walk.check(CASE_STUDY, tree, "")
    if raw is None or walk.problems:
        # Cross-field rules still run on what could be read, so one run shows everything.
        if raw is not None:
            _rules(raw, walk, ref, today)
        return None, walk.problems
    study = _rules(raw, walk, ref, today)
    if walk.problems or study is None:
        return None, walk.problems
    return study(slug, shown), []


def _rules(raw: dict[str, Any], walk: _Walk, ref: Reference, today: date) -> Callable[[str, str], CaseStudy] | None:
    def at(label: str, message: str) -> None:
        line, col = walk.where.get(label, (1, 1))
        walk.problems.append(Problem(walk.shown, line, col, message))

    def given(label: str) -> bool:  # present in the file, even if its value was refused
        return label in walk.where

    lead = _lead(raw.get("led_by"), at, given, ref)
    title = raw.get("title")
    if title is not None and heading_id(title, "-").startswith("_"):
        # The theme's own elements have ids beginning '_' (Material's `__config`, the hub's
        # `__hub-search-input`): a page heading, whose id comes from its text, must not take one.
        at(
            "title",
            "'title' would give the page's heading an id beginning with '_', which the site keeps for its "
            "own elements; start the title with a letter or digit",
        )
    themes = raw.get("themes") or []
    for n, theme in enumerate(themes, start=1):
        if theme in themes[: n - 1]:
            at(f"themes[{n}]", f"'themes' lists '{theme.slug}' twice; keep one")
    contact = raw.get("contact")
    if contact is not None and not (given("contact.email") or given("contact.url")):
        at("contact", "'contact' needs a team mailbox ('email') or a web page ('url'), or both")
    published = raw.get("published")
    review = raw.get("review")
    if published is not None and published > today:
        at("published", f"'published' is {published.isoformat()}, which is in the future; use the date it is published")
    updated = raw.get("updated")
    if updated is not None and published is not None and not published <= updated <= today:
        at(
            "updated",
            f"'updated' ({updated.isoformat()}) must fall between 'published' ({published.isoformat()}) and today",
        )
    if published is not None and review is not None and review <= published:
        at("review", f"'review' ({review.isoformat()}) must come after 'published' ({published.isoformat()})")
    for n, alias in enumerate(raw.get("aliases") or [], start=1):
        why = values.slug_problem(alias, "alias")
        if why:
            at(f"aliases[{n}]", f"'aliases[{n}]': {why}")
    for n, item in enumerate(raw.get("ofsted") or [], start=1):
        when = item.get("date")  # absent when missing or refused (already reported)
        if when is not None and when > today:
            at(f"ofsted[{n}].date", f"'ofsted[{n}].date' is {when.isoformat()}, which is in the future")
    if walk.problems or lead is None or published is None or contact is None:
        return None
    evidence = raw["evidence"]

    def build(slug: str, source: str) -> CaseStudy:
        return CaseStudy(
            slug=slug,
            source=source,
            title=raw["title"],
            summary=raw["summary"],
            challenge=raw["challenge"],
            action=raw["what_we_did"],
            impact=raw["impact"],
            evidence=Evidence(evidence["level"], evidence["details"], _links(evidence.get("links"))),
            learning=raw.get("learning"),
            lead=lead,
            themes=tuple(themes),
            contact=Contact(contact["role"], contact.get("team"), contact.get("email"), contact.get("url")),
            published=published,
            review=review or _years_later(published, 2),
            sources=_links(raw["sources"]),
            ofsted=tuple(
                OfstedJudgement(o["judgement"], o["date"], o["report"], o.get("note")) for o in raw.get("ofsted") or []
            ),
            aliases=tuple(raw.get("aliases") or ()),
            updated=raw.get("updated"),
        )

    return build


def _lead(
    led: dict[str, Any] | None, at: Callable[[str, str], None], given: Callable[[str], bool], ref: Reference
) -> Lead | None:
    if led is None:
        return None
    authority: Authority | None = led.get("authority")
    organisation: str | None = led.get("organisation")
    partners: list[Authority] = led.get("partners") or []
    regions: list[Region | str] = led.get("regions") or []
    ok = True
    # Neither or both given. (A value given but refused has been reported already: not "missing".)
    if given("led_by.authority") == given("led_by.organisation"):
        at(
            "led_by",
            "'led_by' needs exactly one of 'authority' (a local authority) or 'organisation' (for regional or "
            "national work)",
        )
        ok = False
    if authority is not None and regions:
        at(
            "led_by.regions",
            f"'led_by.regions' is not needed: the region follows from the authority ({authority.region.name}); "
            "remove it",
        )
        ok = False
    if organisation is not None and not given("led_by.authority") and not given("led_by.regions"):
        at(
            "led_by",
            "'led_by' with an 'organisation' needs 'regions': the regions the work covered ('england' for all nine)",
        )
        ok = False
    seen = {authority.slug} if authority else set()
    for n, partner in enumerate(partners, start=1):
        if partner.slug in seen:
            at(
                f"led_by.partners[{n}]",
                f"'led_by.partners' names '{partner.slug}' twice or repeats the lead authority; keep one",
            )
            ok = False
        seen.add(partner.slug)
    covered: dict[str, Region] = {}
    if ALL_REGIONS in regions and len(regions) > 1:
        at("led_by.regions", f"'led_by.regions': '{ALL_REGIONS}' already means all nine regions; list it alone")
        ok = False
    for n, region in enumerate(regions, start=1):
        if region == ALL_REGIONS:
            covered.update(ref.regions)
        elif isinstance(region, Region) and ALL_REGIONS not in regions:
            if region.slug in covered:
                at(f"led_by.regions[{n}]", f"'led_by.regions' lists '{region.slug}' twice; keep one")
                ok = False
            covered[region.slug] = region
    if not ok:
        return None
    ordered = tuple(sorted(covered.values(), key=lambda r: r.order))
    national = len(ordered) == len(ref.regions)
    return Lead(authority, organisation, tuple(sorted(partners, key=lambda a: a.name)), ordered, national)


def _links(items: list[dict[str, str]] | None) -> tuple[Link, ...]:
    return tuple(Link(i["title"], i["url"]) for i in items or [])


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
