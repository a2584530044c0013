"""Step 2 of the pipeline: check one case-study tree against the schema and build the model.

`check` walks the schema and the tree together and reports every problem it finds (unknown
fields with a "did you mean", wrong shapes, bad values, values outside a vocabulary), then
`case_study` applies the rules that span fields (who led it, dates, duplicates) and returns a
`CaseStudy`. Nothing here raises on bad input.
"""

from __future__ import annotations

import re
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
    Evaluation,
    Evidence,
    Funding,
    Lead,
    Link,
    Organisation,
    Outcome,
    Period,
    Reference,
    Region,
)
from hub.model.schema import ALL_REGIONS, CASE_STUDY, PLACEHOLDERS, Field
from hub.model.vocabularies import Vocabulary, vocabularies


@dataclass
class _Walk:
    shown: str
    vocab: dict[str, Vocabulary]
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, tuple[int, int]] = field(default_factory=dict)
    webs: list[tuple[str, str]] = field(default_factory=list)  # (label, address) of every web address read

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
            if spec.kind in ("line", "text") and not node.style:  # plain: neither quoted nor a block
                values.plain_text(raw)
            if spec.kind == "text" and node.style == ">":
                # A folded block turns each blank line between paragraphs into one line break.
                raw = raw.replace("\n", "\n\n")
            # The file as a whole has no hidden characters (yamlsafe); only a double-quoted
            # value can hold one more, typed as an escape such as "\u200b".
            value = self._scalar(spec, raw, escapes=node.style == '"')
            if spec.kind == "web":
                self.webs.append((label, value))
            return value
        except values.Invalid as problem:
            self.report(node, label, str(problem))
            return None

    def _scalar(self, spec: Field, raw: str, escapes: bool) -> Any:
        if spec.kind in ("line", "text"):
            return values.text(raw, one_line=spec.kind == "line", max_length=spec.max_length, escapes=escapes)
        value = values.text(raw, one_line=True, max_length=spec.max_length or 200, escapes=escapes)
        if spec.kind == "date":
            return values.iso_date(value)
        if spec.kind in ("period", "when"):
            return Period(*values.period(value, days=spec.kind == "when"))
        if spec.kind in ("url", "web"):
            return values.https_url(value, http=spec.kind == "web")
        if spec.kind == "email":
            return values.mailbox(value)
        return self.vocab[spec.vocabulary].find(value)

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
        if isinstance(node, Scalar) and not node.value.strip():
            self.report(node, label, "is empty; list at least one, or remove the field if it is optional")
            return None
        if isinstance(node, Scalar) and spec.item.kind != "mapping":
            node = Sequence((node,), node.line, node.col)  # a single value stands for a list of one
        if not isinstance(node, Sequence):
            self.report(node, label, "should be a list, one '- item' per line")
            return None
        if not node.items:
            self.report(node, label, "is an empty list; list at least one, or remove the field if it is optional")
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
    tree: Mapping,
    slug: str,
    shown: str,
    ref: Reference,
    today: date,
    vocab: dict[str, Vocabulary] | None = None,
    *,
    drafting: bool = False,
) -> tuple[CaseStudy | None, list[Problem]]:
    """Validate one tree and build its `CaseStudy`; on any problem, return None and every problem.
    `drafting`: the draft `hub new` writes, whose example text is there to be replaced."""
    walk = _Walk(shown, vocab or vocabularies(ref))
    raw = walk.check(CASE_STUDY, tree, "")
    if raw is None or walk.problems:
        # Cross-field rules still run on what could be read, so one run shows everything.
        if raw is not None:
            _rules(raw, walk, ref, today, drafting)
        return None, walk.problems
    study = _rules(raw, walk, ref, today, drafting)
    if walk.problems or study is None:
        return None, walk.problems
    return study(slug, shown), []


# Domains that give mailboxes to people, not to teams: a case study's contact should outlive
# whoever wrote it (CONTRIBUTING.md asks for a team mailbox).
PERSONAL_MAIL = frozenset(
    (
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "gmx.co.uk",
        "gmx.com",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "mac.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "pm.me",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
        "ymail.com",
    )
)


def _rules(
    raw: dict[str, Any], walk: _Walk, ref: Reference, today: date, drafting: bool = False
) -> Callable[[str, str], CaseStudy] | None:
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
    provenance = raw.get("provenance", "authority")
    contact = raw.get("contact")
    if contact is not None and not (given("contact.email") or given("contact.url")):
        at("contact", "'contact' needs a team mailbox ('email') or a web page ('url'), or both")
    if contact is None and not given("contact") and provenance == "authority":
        at(
            "",
            "'contact' is missing; add who to ask (a role and a team mailbox or web page), or, for a case study "
            "written from public sources, say so with 'provenance: public-sources'",
        )
    _dates(raw, at, today)
    _evidence(raw, at, given)
    if not drafting:
        _placeholders(raw, at)
    for n, alias in enumerate(raw.get("aliases") or [], start=1):
        why = values.slug_problem(alias, "alias")
        if why:
            at(f"aliases[{n}]", f"'aliases[{n}]': {why}")
    published = raw.get("published")
    if walk.problems or lead is None or published is None:
        return None
    evidence = raw["evidence"]
    warnings = tuple(
        (
            *walk.where[label],
            f"'{label}' is an http:// address: readers' browsers may warn about it; use its "
            "https:// address if it has one",
        )
        for label, value in walk.webs
        if value.lower().startswith("http://")
    )
    email = (contact or {}).get("email")
    if email and email.rpartition("@")[2].lower() in PERSONAL_MAIL:
        warnings += (
            (
                *walk.where["contact.email"],
                f"'contact.email' is at {email.rpartition('@')[2]}, which gives personal mailboxes; give a team "
                "mailbox at the authority's own domain, which keeps working when people move on",
            ),
        )

    aliases = raw.get("aliases") or ()
    alias_places = tuple(
        walk.where.get(f"aliases[{n}]", walk.where.get("aliases", (1, 1))) for n in range(1, len(aliases) + 1)
    )

    def build(slug: str, source: str) -> CaseStudy:
        return CaseStudy(
            slug=slug,
            source=source,
            title=raw["title"],
            summary=raw["summary"],
            challenge=raw["challenge"],
            action=raw["what_we_did"],
            impact=raw["impact"],
            evidence=Evidence(
                evidence["level"], evidence["details"], _links(evidence.get("links")), _evaluation(evidence)
            ),
            learning=raw.get("learning"),
            lead=lead,
            themes=tuple(themes),
            contact=Contact(contact["role"], contact.get("team"), contact.get("email"), contact.get("url"))
            if contact
            else None,
            published=published,
            review=raw.get("review") or _years_later(published, 2),
            sources=_links(raw["sources"]),
            aliases=tuple(raw.get("aliases") or ()),
            updated=raw.get("updated"),
            started=raw.get("started"),
            ended=raw.get("ended"),
            outcomes=tuple(
                Outcome(o["measure"], o["change"], o.get("period"), o.get("source")) for o in raw.get("outcomes") or []
            ),
            reach=raw.get("reach"),
            funding=tuple(Funding(f["programme"], f.get("amount"), f.get("years")) for f in raw.get("funding") or []),
            provenance=provenance,
            warnings=warnings,
            alias_places=alias_places,
        )

    return build


def _placeholders(raw: dict[str, Any], at: Callable[[str, str], None]) -> None:
    """Refuse what `hub new` wrote for the contributor to replace, where it is still there."""
    found = [(label, raw.get(label)) for label in ("summary", "challenge", "what_we_did", "impact", "learning")]
    found.append(("evidence.details", (raw.get("evidence") or {}).get("details")))
    contact = raw.get("contact") or {}
    found += [(f"contact.{key}", contact.get(key)) for key in ("role", "url")]
    for n, source in enumerate(raw.get("sources") or [], start=1):
        found += [(f"sources[{n}].{key}", source.get(key)) for key in ("title", "url")]
    for label, value in found:
        if value is not None and value == PLACEHOLDERS.get(re.sub(r"\[\d+\]", "", label)):
            at(label, f"'{label}' still holds the example text `hub new` wrote; replace it with your own")


def _dates(raw: dict[str, Any], at: Callable[[str, str], None], today: date) -> None:
    """When the work ran, and the record's own dates: in order, and none in the future."""
    published, updated, review = raw.get("published"), raw.get("updated"), raw.get("review")
    if published is not None and published > today:
        at("published", f"'published' is {published.isoformat()}, which is in the future; use the date it is published")
    if published is not None and published < values.EARLIEST:
        at(
            "published",
            f"'published' is {published.isoformat()}: it is the date the hub published the case study, not when "
            "the work happened (say that with 'started' and 'ended')",
        )
    if updated is not None and published is not None and not published <= updated <= today:
        at(
            "updated",
            f"'updated' ({updated.isoformat()}) must fall between 'published' ({published.isoformat()}) and today",
        )
    if published is not None and review is not None and review <= published:
        at("review", f"'review' ({review.isoformat()}) must come after 'published' ({published.isoformat()})")
    started, ended = raw.get("started"), raw.get("ended")
    now = Period(today.year, today.month)
    for name, when in (("started", started), ("ended", ended)):
        if when is not None and when.key > now.key:
            at(name, f"'{name}' is {when.iso}, which is in the future")
    if ended is not None and started is None:
        at("ended", "'ended' needs 'started' too: when did the work begin? (YYYY or YYYY-MM)")
    if started is not None and ended is not None and ended.key < started.key:
        at("ended", f"'ended' ({ended.iso}) comes before 'started' ({started.iso})")


def _evidence(raw: dict[str, Any], at: Callable[[str, str], None], given: Callable[[str], bool]) -> None:
    """The evidence level never claims more, or less, than the evaluation facts beside it."""
    evidence = raw.get("evidence") or {}
    level = evidence.get("level")
    evaluation = evidence.get("evaluation") or {}
    status = evaluation.get("status")
    if status == "none" and any(given(f"evidence.evaluation.{name}") for name in ("evaluator", "design", "report")):
        at(
            "evidence.evaluation.status",
            "'evidence.evaluation.status' is 'none', so leave out its evaluator, "
            "design and report, or give the status 'under-way' or 'published'",
        )
    if status == "published":
        for name in ("evaluator", "report"):
            if not given(f"evidence.evaluation.{name}"):
                at(
                    "evidence.evaluation",
                    f"'evidence.evaluation' is published, so give its '{name}' "
                    f"({'who evaluated it' if name == 'evaluator' else 'the report address'})",
                )
    if level is None:
        return
    if level.slug == "validated" and status != "published":
        at(
            "evidence.level",
            "'evidence.level' is 'validated', which needs a published independent evaluation that "
            "found better outcomes: add 'evidence.evaluation' with 'status: published', its "
            "evaluator and report, or choose a lower level",
        )
    if level.slug == "no-evidence-yet" and (status == "published" or raw.get("outcomes")):
        at(
            "evidence.level",
            "'evidence.level' is 'no-evidence-yet', but the case study gives measured outcomes or a "
            "published evaluation: choose 'promising' (or higher, if the evaluation shows it)",
        )


def _evaluation(evidence: dict[str, Any]) -> Evaluation | None:
    found = evidence.get("evaluation")
    if not found:
        return None
    report = Link("Evaluation report", found["report"]) if found.get("report") else None
    return Evaluation(found["status"], found.get("evaluator"), found.get("design"), report)


def _lead(
    led: dict[str, Any] | None, at: Callable[[str, str], None], given: Callable[[str], bool], ref: Reference
) -> Lead | None:
    if led is None:
        return None
    leads: list[Authority] = led.get("authorities") or []
    organisation: str | None = led.get("organisation")
    partners: list[Authority] = led.get("partners") or []
    regions: list[Region | str] = led.get("regions") or []
    ok = True
    # Neither or both given. (A value given but refused has been reported already: not "missing".)
    if given("led_by.authorities") == given("led_by.organisation"):
        at(
            "led_by",
            "'led_by' needs exactly one of 'authorities' (the lead authority, or those that led it together) or "
            "'organisation' (a charity, programme or alliance that led it)",
        )
        ok = False
    if leads and regions:
        at(
            "led_by.regions",
            "'led_by.regions' is not needed: the regions follow from the lead authorities "
            f"({', '.join(sorted({a.region.name for a in leads}))}); remove it",
        )
        ok = False
    named = leads + partners
    if organisation is not None and not (given("led_by.authorities") or given("led_by.regions") or partners):
        at(
            "led_by",
            "'led_by' with an 'organisation' needs the authorities that took part ('partners') or the 'regions' "
            "the work covered ('england' for all nine)",
        )
        ok = False
    seen: set[str] = set()
    for label, listed in (("authorities", leads), ("partners", partners)):
        for n, authority in enumerate(listed, start=1):
            if authority.slug in seen:
                at(
                    f"led_by.{label}[{n}]",
                    f"'led_by.{label}' names '{authority.slug}' twice or repeats a lead authority; keep one",
                )
                ok = False
            seen.add(authority.slug)
    covered: dict[str, Region] = {}
    if ALL_REGIONS in regions and len(regions) > 1:
        at("led_by.regions", f"'led_by.regions': '{ALL_REGIONS}' already means all nine regions; list it alone")
        ok = False
    held = {a.region.slug for a in named}
    for n, region in enumerate(regions, start=1):
        if region == ALL_REGIONS:
            covered.update(ref.regions)
        elif isinstance(region, Region) and ALL_REGIONS not in regions:
            if region.slug in covered:
                at(f"led_by.regions[{n}]", f"'led_by.regions' lists '{region.slug}' twice; keep one")
                ok = False
            elif named and region.slug not in held:
                at(
                    f"led_by.regions[{n}]",
                    f"'led_by.regions' names {region.name}, where none of the authorities taking part is "
                    f"({', '.join(sorted(a.region.name for a in {a.slug: a for a in named}.values()))}); remove it, "
                    "or name an authority there in 'partners'",
                )
                ok = False
            covered[region.slug] = region
    if not ok:
        return None
    ordered = tuple(r for r in sorted(covered.values(), key=lambda r: r.order) if r.slug not in held or not named)
    national = len(covered) == len(ref.regions)
    organisations = tuple(
        Organisation(o["name"], o["kind"], o.get("url"))
        for o in led.get("partner_organisations") or []
        if "name" in o and "kind" in o  # else refused, and reported, already
    )
    return Lead(
        tuple(leads), organisation, tuple(sorted(partners, key=lambda a: a.name)), ordered, national, organisations
    )


def _links(items: list[dict[str, Any]] | None) -> tuple[Link, ...]:
    return tuple(Link(i["title"], i["url"], i.get("date"), i.get("kind")) for i in items or [])


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
