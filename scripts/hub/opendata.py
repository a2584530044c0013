"""Open data: every case study as JSON and CSV, the authorities table, and an Atom feed.

Pure, like `render`: `open_data(hub)` returns `{path under docs/: text}`, written into the
generated `docs/data/` folder so that MkDocs publishes the files and checks links to them. JSON
and CSV come from the standard library's writers, the feed from a Jinja template with XML
escaping. Every file states its licence. Nothing depends on the clock: the feed's "updated"
is the newest case study's date.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

import jinja2

from .index import Hub
from .model import CaseStudy
from .schema_json import json_schema
from .write import DATA_DIR, DATA_MARKER, DATA_MARKER_TEXT

LICENCE = "Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)"
FEED_ID = "tag:childrens-services-practice-hub,2026:"
# The feed holds the most recently published or updated case studies: what a feed reader shows,
# without every reader downloading the whole hub each time it looks (the JSON has every one).
FEED_ENTRIES = 50
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _study(study: CaseStudy) -> dict[str, Any]:
    lead = study.lead
    return {
        "slug": study.slug,
        "page": f"practice/{study.slug}/",
        "title": study.title,
        "summary": study.summary,
        "challenge": study.challenge,
        "what_we_did": study.action,
        "impact": study.impact,
        "evidence": {
            "level": study.evidence.level.slug,
            "details": study.evidence.text,
            "links": [{"title": link.title, "url": link.url} for link in study.evidence.links],
        },
        "learning": study.learning,
        "led_by": {
            "authority": {"slug": lead.authority.slug, "name": lead.authority.name, "dfe_code": lead.authority.dfe_code} if lead.authority else None,
            "organisation": lead.organisation,
            "partners": [{"slug": a.slug, "name": a.name, "dfe_code": a.dfe_code} for a in lead.partners],
            "regions_covered": [r.slug for r in lead.covered],
        },
        "regions": [r.slug for r in study.regions],
        "themes": [t.slug for t in study.themes],
        "contact": {"role": study.contact.role, "team": study.contact.team, "email": study.contact.email, "url": study.contact.url},
        "published": study.published.isoformat(),
        "updated": study.updated.isoformat() if study.updated else None,
        "review": study.review.isoformat(),
        "sources": [{"title": link.title, "url": link.url} for link in study.sources],
        "ofsted": [{"judgement": o.judgement, "date": o.date.isoformat(), "report": o.report, "note": o.note} for o in study.ofsted],
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


def case_studies_csv(hub: Hub) -> str:
    header = ["slug", "page", "title", "summary", "lead", "lead_dfe_code", "partners", "regions", "themes",
              "evidence_level", "published", "review", "contact_role", "contact_email", "contact_url"]
    rows = [
        [
            s.slug, f"practice/{s.slug}/", s.title, s.summary, s.lead_name, s.lead.authority.dfe_code if s.lead.authority else "",
            "; ".join(a.name for a in s.lead.partners), "; ".join(r.name for r in s.regions), "; ".join(t.name for t in s.themes),
            s.evidence.level.name, s.published.isoformat(), s.review.isoformat(),
            s.contact.role, s.contact.email or "", s.contact.url or "",
        ]
        for s in hub.studies
    ]
    return _csv(header, rows)


def authorities_csv(hub: Hub) -> str:
    header = ["slug", "name", "dfe_code", "gss_code", "type", "region", "case_studies_led", "case_studies_as_partner",
              "ofsted_overall_effectiveness", "ofsted_report_published", "ofsted_report"]
    rows = []
    for a in hub.ref.authorities.values():
        inspection = hub.ref.inspections.get(a.slug)
        rows.append([
            a.slug, a.name, a.dfe_code, a.gss_code, a.type_label, a.region.name,
            str(len(hub.led_by(a))), str(len(hub.partnered_by(a))),
            inspection.judgements[0][1] if inspection else "", inspection.published.isoformat() if inspection else "",
            inspection.report if inspection else "",
        ])
    return _csv(header, rows)


def feed(hub: Hub) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hub", "templates"), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    entries = sorted(hub.studies, key=lambda s: s.last_changed, reverse=True)[:FEED_ENTRIES]  # stable: newest first, then as the hub lists them
    updated = entries[0].last_changed if entries else None
    return env.get_template("feed.xml.j2").render(entries=entries, feed_id=FEED_ID, updated=updated, licence=LICENCE)


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


OPEN_DATA_FILES = tuple(f"{DATA_DIR}/{name}" for name in (
    DATA_MARKER, "case-studies.json", "case-studies.csv", "authorities.csv", "feed.xml", "case-study.schema.json",
))


def open_data(hub: Hub) -> dict[str, str]:
    """Every file of `OPEN_DATA_FILES`, with its text."""
    head = {
        "title": "Case studies of good practice in English children's services",
        "licence": LICENCE,
        "fields": "as in the case-study files; see case-study.schema.json",
    }
    return {
        f"{DATA_DIR}/{DATA_MARKER}": DATA_MARKER_TEXT,
        f"{DATA_DIR}/case-studies.json": _json_lines(head, "case_studies", map(_study, hub.studies)),
        f"{DATA_DIR}/case-studies.csv": case_studies_csv(hub),
        f"{DATA_DIR}/authorities.csv": authorities_csv(hub),
        f"{DATA_DIR}/feed.xml": feed(hub),
        f"{DATA_DIR}/case-study.schema.json": json_schema(hub.ref),
    }
