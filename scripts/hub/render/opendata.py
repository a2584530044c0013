"""Open data: every case study as JSON and CSV, the authorities table, and an Atom feed.

Pure, like `render`: `open_data(catalogue)` returns `{path under docs/: text}`, written into the
generated `docs/data/` folder so that MkDocs publishes the files and checks links to them. JSON
and CSV come from the standard library's writers, the Atom feed from ElementTree's XML
serialiser. Every file states its licence. Nothing depends on the clock: the feed's "updated"
is the newest case study's date.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date
from typing import Any

from hub.core.problems import HubError, Problem
from hub.core.project import DATA_DIR, DATA_MARKER, DATA_MARKER_TEXT, UNNAMED, Site
from hub.model.catalogue import Catalogue
from hub.model.records import Authority, CaseStudy, Link
from hub.render.json_schema import json_schema

LICENCE = "Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)"
FEED_ID = "tag:childrens-services-practice-hub,2026:"
ATOM = "http://www.w3.org/2005/Atom"
# Characters outside XML 1.0's `Char` production, and the carriage return, which an XML parser
# reads as a line feed: the feed cannot carry any of them as typed.
_NOT_CARRIED = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The feed holds the most recently published or updated case studies: what a feed reader shows,
# without every reader downloading the whole hub each time it looks (the JSON has every one).
FEED_ENTRIES = 50
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _authority(authority: Authority) -> dict[str, Any]:
    found: dict[str, Any] = {"slug": authority.slug, "name": authority.name, "dfe_code": authority.dfe_code}
    if authority.ended is not None:
        found |= {"ended": authority.ended.isoformat(), "successors": list(authority.successors)}
    return found


def _link(link: Link) -> dict[str, Any]:
    return {"title": link.title, "url": link.url, "date": link.date.iso if link.date else None, "kind": link.kind}


def _study(study: CaseStudy) -> dict[str, Any]:
    lead = study.lead
    evaluation = study.evidence.evaluation
    contact = study.contact
    return {
        "slug": study.slug,
        "page": f"practice/{study.slug}/",
        "title": study.title,
        "summary": study.summary,
        "challenge": study.challenge,
        "what_we_did": study.action,
        "impact": study.impact,
        "started": study.started.iso if study.started else None,
        "ended": study.ended.iso if study.ended else None,
        "evidence": {
            "level": study.evidence.level.slug,
            "details": study.evidence.text,
            "evaluation": {
                "status": evaluation.status,
                "evaluator": evaluation.evaluator,
                "design": evaluation.design,
                "report": evaluation.report.url if evaluation.report else None,
            }
            if evaluation
            else None,
            "links": [_link(link) for link in study.evidence.links],
        },
        "outcomes": [
            {"measure": o.measure, "change": o.change, "period": o.period, "source": o.source} for o in study.outcomes
        ],
        "reach": study.reach,
        "funding": [{"programme": f.programme.slug, "amount": f.amount, "years": f.years} for f in study.funding],
        "learning": study.learning,
        "led_by": {
            "authorities": [_authority(a) for a in lead.leads],
            "organisation": lead.organisation,
            "partners": [_authority(a) for a in lead.partners],
            "partner_organisations": [{"name": o.name, "kind": o.kind, "url": o.url} for o in lead.organisations],
            "regions_covered": [r.slug for r in lead.covered],
        },
        "regions": [r.slug for r in study.regions],
        "themes": [t.slug for t in study.themes],
        "provenance": study.provenance,
        "contact": {"role": contact.role, "team": contact.team, "email": contact.email, "url": contact.url}
        if contact
        else None,
        "published": study.published.isoformat(),
        "updated": study.updated.isoformat() if study.updated else None,
        "review": study.review.isoformat(),
        "sources": [_link(link) for link in study.sources],
        "aliases": list(study.aliases),
    }


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*header, "licence"])
    writer.writerows([*(_cell(v) for v in row), LICENCE] for row in rows)
    return out.getvalue()


def case_studies_csv(catalogue: Catalogue) -> str:
    header = [
        "slug",
        "page",
        "title",
        "summary",
        "lead",
        "lead_dfe_codes",
        "partners",
        "partner_organisations",
        "regions",
        "themes",
        "started",
        "ended",
        "evidence_level",
        "evaluation_status",
        "evaluator",
        "evaluation_design",
        "reach",
        "outcomes",
        "funding_programmes",
        "provenance",
        "published",
        "review",
        "contact_role",
        "contact_email",
        "contact_url",
    ]
    rows = []
    for s in catalogue.studies:
        evaluation, contact = s.evidence.evaluation, s.contact
        rows.append(
            [
                s.slug,
                f"practice/{s.slug}/",
                s.title,
                s.summary,
                s.lead_name,
                "; ".join(a.dfe_code for a in s.lead.leads),
                "; ".join(a.label for a in s.lead.partners),
                "; ".join(f"{o.name} ({o.kind_label})" for o in s.lead.organisations),
                "; ".join(r.name for r in s.regions),
                "; ".join(t.name for t in s.themes),
                s.started.iso if s.started else "",
                s.ended.iso if s.ended else "",
                s.evidence.level.name,
                evaluation.status if evaluation else "",
                (evaluation.evaluator or "") if evaluation else "",
                (evaluation.design or "") if evaluation else "",
                s.reach or "",
                "; ".join(f"{o.measure}: {o.change}" + (f" ({o.period})" if o.period else "") for o in s.outcomes),
                "; ".join(dict.fromkeys(f.programme.name for f in s.funding)),
                s.provenance,
                s.published.isoformat(),
                s.review.isoformat(),
                contact.role if contact else "",
                (contact.email or "") if contact else "",
                (contact.url or "") if contact else "",
            ]
        )
    return _csv(header, rows)


def authorities_csv(catalogue: Catalogue) -> str:
    header = [
        "slug",
        "name",
        "dfe_code",
        "gss_code",
        "type",
        "region",
        "case_studies_led",
        "case_studies_as_partner",
        "ofsted_overall_effectiveness",
        "ofsted_report_published",
        "ofsted_report",
    ]
    rows = []
    for a in catalogue.ref.authorities.values():
        inspection = catalogue.ref.inspections.get(a.slug)
        rows.append(
            [
                a.slug,
                a.name,
                a.dfe_code,
                a.gss_code,
                a.type_label,
                a.region.name,
                str(len(catalogue.led_by(a))),
                str(len(catalogue.partnered_by(a))),
                inspection.judgements[0][1] if inspection else "",
                inspection.published.isoformat() if inspection else "",
                inspection.report if inspection else "",
            ]
        )
    return _csv(header, rows)


def feed(catalogue: Catalogue, site: Site = UNNAMED) -> str:
    """The Atom feed of the `FEED_ENTRIES` newest case studies, newest first (then as the hub
    lists them), made as an element tree and written by ElementTree's serialiser: every
    string is a text node or an attribute value, escaped as XML needs. Its links are absolute
    when the site's address (`site.url`) is known, as feed readers need; relative to the feed
    otherwise (a preview, or a copy with no address set). Its title and author are the site's
    name and its publisher's."""
    site_url = site.url
    home = site_url.rstrip("/") + "/" if site_url else "../"
    entries = sorted(catalogue.studies, key=lambda s: s.last_changed, reverse=True)[:FEED_ENTRIES]
    # Atom's namespace as the root's `xmlns` attribute, the elements unqualified: ElementTree's
    # `default_namespace` refuses attributes without a namespace, and Atom's have none.
    root = ET.Element("feed", xmlns=ATOM)
    _add(root, "id", FEED_ID + "feed")
    _add(root, "title", f"{site.name}: new and updated case studies")
    _add(root, "subtitle", "Case studies of good practice in English children's services.")
    _add(root, "link", rel="self", href=f"{home}{DATA_DIR}/feed.xml" if site_url else "feed.xml")
    _add(root, "link", rel="alternate", href=home)
    _add(root, "updated", _instant(entries[0].last_changed) if entries else "2026-01-01T00:00:00Z")
    _add(root, "rights", LICENCE)
    _add(_add(root, "author"), "name", site.publisher)
    for study in entries:
        _entry(root, study, home)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _entry(feed: ET.Element, study: CaseStudy, home: str) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", f"{FEED_ID}practice/{study.slug}")
    _add(entry, "title", study.title)
    _add(entry, "link", rel="alternate", type="text/html", href=f"{home}practice/{study.slug}/")
    _add(entry, "published", _instant(study.published))
    _add(entry, "updated", _instant(study.last_changed))
    _add(_add(entry, "author"), "name", study.lead_name)
    for theme in study.themes:
        _add(entry, "category", term=theme.slug, label=theme.name)
    _add(entry, "summary", f"Evidence: {study.evidence.level.name}. {study.summary}", type="text")
    _refuse_what_xml_cannot_carry(entry, study.source)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _instant(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _refuse_what_xml_cannot_carry(entry: ET.Element, source: str) -> None:
    """Raise `HubError` if the entry holds a character an XML 1.0 document cannot hold, or a
    carriage return (which a reader of the XML would see as a line feed). The loader refuses
    every one of them in case studies and reference data, so none should get this far; if one
    does, no feed is better than one feed readers cannot parse or that changes the text."""
    for element in entry.iter():
        for value in (element.text or "", *element.attrib.values()):
            found = _NOT_CARRIED.search(value)
            if found:
                code = f"U+{ord(found.group()):04X}"
                raise HubError(
                    [
                        Problem(
                            source,
                            0,
                            0,
                            f"holds {code}, which the Atom feed cannot carry as typed; delete it from the file",
                        )
                    ]
                )


def _json_lines(head: dict[str, Any], listed: str, items: Iterable[Any]) -> str:
    """JSON of the fields `head` and then `listed`, the list of `items`, one item per line: as
    easy to read and compare as an indented file, and written by the C encoder (`indent` makes
    Python's json use its slow one). Each item is encoded as it comes, and the text is joined
    once: for 5,000 case studies, 30 MB, where every copy of it costs time."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    parts = ["{\n", *(f"  {encode(key)}: {encode(value)},\n" for key, value in head.items()), f"  {encode(listed)}: ["]
    empty = True
    for item in items:
        parts += ("\n    " if empty else ",\n    ", encode(item))
        empty = False
    parts.append("]\n}\n" if empty else "\n  ]\n}\n")
    return "".join(parts)


OPEN_DATA_FILES = tuple(
    f"{DATA_DIR}/{name}"
    for name in (
        DATA_MARKER,
        "case-studies.json",
        "case-studies.csv",
        "authorities.csv",
        "feed.xml",
        "case-study.schema.json",
    )
)


def open_data(catalogue: Catalogue, site: Site = UNNAMED) -> dict[str, str]:
    """Every file of `OPEN_DATA_FILES`, with its text; `site` as for `feed`."""
    head = {
        "title": "Case studies of good practice in English children's services",
        "licence": LICENCE,
        "fields": "as in the case-study files; see case-study.schema.json",
    }
    return {
        f"{DATA_DIR}/{DATA_MARKER}": DATA_MARKER_TEXT,
        f"{DATA_DIR}/case-studies.json": _json_lines(head, "case_studies", map(_study, catalogue.studies)),
        f"{DATA_DIR}/case-studies.csv": case_studies_csv(catalogue),
        f"{DATA_DIR}/authorities.csv": authorities_csv(catalogue),
        f"{DATA_DIR}/feed.xml": feed(catalogue, site),
        f"{DATA_DIR}/case-study.schema.json": json_schema(catalogue.ref),
    }
