"""`hub import-authorities`: the authorities, today's and former, from DfE's list of codes.

`import_authorities` reads DfE's list of local authority codes (`las.csv` from DfE's
dfe-published-data-qa repository), keeps the live rows that name one authority and writes
`practice/reference/authorities.yml`; the terminated rows of authorities whose DfE code no live
row carries (Cumbria, Northamptonshire, Dorset County Council, Bournemouth, Poole…) go to
`former-authorities.yml`, each with the authorities that followed it: those in its region that
began the day after it ended, narrowed to those that share a word of its name when any does
(Bournemouth and Poole to Bournemouth, Christchurch and Poole; Cumbria, whose successors share
none, to both of Cumberland and Westmorland and Furness). Rows whose DfE code a live row also
carries are the same authority re-coded, not a former one. Both files record the source and
the date. Every bad row is reported as `path:line: message`; on any problem nothing is written.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from hub.core.problems import HubError, Problem
from hub.load.yamlsafe import load_file
from hub.model.schema import REGIONS_FILE
from hub.model.validate import check
from hub.model.values import suggest_slug
from hub.write.docs import write_if_changed

# DfE entity codes -> hub authority types. Two authorities are kinds of their own.
ENTITY_TYPES = {"E06": "unitary", "E08": "metropolitan-district", "E09": "london-borough", "E10": "county"}
SPECIAL_TYPES = {"E09000001": "city-of-london", "E06000053": "isles-of-scilly"}
COLUMNS = (
    "new_la_code",
    "la_name",
    "parent_geography_code",
    "entity_code",
    "status",
    "old_la_code",
    "date_of_operation",
    "date_of_termination",
)
_GSS = re.compile(r"^E(06|08|09|10)\d{6}$")
_DFE = re.compile(r"^\d{3}$")

HEADER = """\
# Every English local authority with children's services responsibilities.
# Written by `hub import-authorities`: do not edit by hand; re-run the import instead.
"""
FORMER_HEADER = """\
# English local authorities with children's services responsibilities that no longer exist,
# with the authorities that took on their areas. Case studies may name them; their work is
# shown on their successors' pages. Written by `hub import-authorities`: do not edit by hand.
"""


def plain_name(official: str) -> str:
    """'Bristol, City of' -> 'Bristol'; 'Herefordshire, County of' -> 'Herefordshire'."""
    return re.sub(r", (City|County) of$", "", official).strip()


def read_authorities(
    source: Path, shown: str, region_codes: dict[str, str]
) -> tuple[list[dict[str, str]], list[Problem], list[dict[str, Any]]]:
    """The live authorities, the problems with any row, and the former authorities."""
    problems: list[Problem] = []
    rows: list[dict[str, str]] = []
    terminated: list[dict[str, str]] = []
    try:
        handle = source.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        return [], [Problem(shown, 0, 0, f"cannot be read: {error.strerror}")], []
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return (
                [],
                [Problem(shown, 1, 0, f"is missing the column(s) {', '.join(missing)}; is this DfE's las.csv?")],
                [],
            )
        for row in reader:
            line = reader.line_num
            gss, status = row["new_la_code"].strip(), row["status"].strip()
            if " / " in gss or not gss.startswith("E"):
                continue  # combined geographies and non-English rows
            if status != "live":
                dfe = row["old_la_code"].strip()
                if _DFE.match(dfe) and _GSS.match(gss) and row["entity_code"].strip() in ENTITY_TYPES:
                    terminated.append({**row, "_line": str(line)})
                continue
            name, dfe = row["la_name"].strip(), row["old_la_code"].strip()
            kind = SPECIAL_TYPES.get(gss) or ENTITY_TYPES.get(row["entity_code"].strip())
            region = region_codes.get(row["parent_geography_code"].strip())
            for ok, message in (
                (_GSS.match(gss), f"GSS code '{gss}' is not an English authority code"),
                (_DFE.match(dfe), f"DfE code '{dfe}' is not three digits"),
                (kind, f"entity code '{row['entity_code']}' is not a known authority type"),
                (region, f"region code '{row['parent_geography_code']}' is not in practice/reference/regions.yml"),
                (name, "has no authority name"),
            ):
                if not ok:
                    problems.append(Problem(shown, line, 0, f"{name or gss}: {message}"))
            display = plain_name(name)
            rows.append(
                {
                    "slug": suggest_slug(display),
                    "name": display,
                    **({"official_name": name} if name != display else {}),
                    "dfe_code": dfe,
                    "gss_code": gss,
                    "type": kind or "",
                    "region": region or "",
                    "_line": str(line),
                    "_began": row["date_of_operation"].strip(),
                }
            )
    for key in ("slug", "dfe_code", "gss_code"):
        counts = Counter(r[key] for r in rows)
        problems.extend(
            Problem(shown, int(r["_line"]), 0, f"{key.replace('_', ' ')} '{r[key]}' appears on more than one live row")
            for r in rows
            if counts[r[key]] > 1
        )
    former = _former(terminated, rows, region_codes, shown, problems)
    for r in rows:
        del r["_line"], r["_began"]
    return sorted(rows, key=lambda r: r["slug"]), problems, former


def _day(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _former(
    terminated: list[dict[str, str]],
    live: list[dict[str, str]],
    region_codes: dict[str, str],
    shown: str,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    """Former authorities: terminated rows whose DfE code no live row carries."""
    live_codes = {r["dfe_code"] for r in live}
    live_slugs = {r["slug"] for r in live}
    found: list[dict[str, Any]] = []
    for row in terminated:
        dfe, line = row["old_la_code"].strip(), int(row["_line"])
        ended = _day(row["date_of_termination"])
        region = region_codes.get(row["parent_geography_code"].strip())
        if dfe in live_codes:
            continue  # the same authority, re-coded
        if ended is None or region is None:
            problems.append(
                Problem(shown, line, 0, f"{row['la_name']}: a terminated row needs an end date and a region")
            )
            continue
        began = (ended + timedelta(days=1)).strftime("%d/%m/%Y")
        name = plain_name(row["la_name"].strip())
        after = [r for r in live if r["region"] == region and r["_began"] == began]
        words = set(suggest_slug(name).split("-"))
        sharing = [r for r in after if words & set(r["slug"].split("-"))]
        successors = sorted(r["slug"] for r in sharing or after)
        if not successors:
            problems.append(Problem(shown, line, 0, f"{name}: no live authority in its region began on {began}"))
            continue
        slug = suggest_slug(name)
        found.append(
            {
                "slug": slug if slug not in live_slugs else f"{slug}-until-{ended.year}",
                "name": name,
                **({"official_name": row["la_name"].strip()} if row["la_name"].strip() != name else {}),
                "dfe_code": dfe,
                "gss_code": row["new_la_code"].strip(),
                "type": SPECIAL_TYPES.get(row["new_la_code"].strip()) or ENTITY_TYPES[row["entity_code"].strip()],
                "region": region,
                "ended": ended,
                "successors": successors,
            }
        )
    return sorted(found, key=lambda r: r["slug"])


def import_authorities(root: Path, source: Path, shown: str, today: date) -> list[dict[str, str]]:
    """Rebuild practice/reference/authorities.yml from `source`; raise HubError on any problem."""
    regions_path = root / "practice" / "reference" / "regions.yml"
    tree, problems = load_file(regions_path, "practice/reference/regions.yml", "reference")
    regions_data: Any = None
    if tree is not None:
        regions_data, problems = check(REGIONS_FILE, tree, "practice/reference/regions.yml", {})
    if regions_data is None:
        raise HubError(problems)
    codes = {r["code"]: r["slug"] for r in regions_data["regions"]}
    rows, problems, former = read_authorities(source, shown, codes)
    if problems:
        raise HubError(problems)
    if not rows:
        raise HubError([Problem(shown, 0, 0, "has no live authority rows")])
    document = {
        "source": {
            "description": (
                "Department for Education, list of local authority codes (dfe-published-data-qa, "
                f"data/las.csv): the live rows that name a single authority, read from {source.name}."
            ),
            "cite": f"Department for Education, list of local authority codes, as at {today.day} {today:%B %Y}",
            "licence": "Open Government Licence v3.0",
            "imported": today.isoformat(),
        },
        "authorities": rows,
    }
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    former_document: dict[str, Any] = {
        "source": {
            "description": (
                "Department for Education, list of local authority codes (dfe-published-data-qa, "
                f"data/las.csv): the terminated rows of single authorities whose code no live row carries, "
                f"read from {source.name}. Successors: the authorities in the same region that began the day "
                "after each ended, narrowed to those that share a word of its name when any does."
            ),
            "cite": f"Department for Education, list of local authority codes, as at {today.day} {today:%B %Y}",
            "licence": "Open Government Licence v3.0",
            "imported": today.isoformat(),
        },
        "former": former,
    }
    former_body = yaml.safe_dump(former_document, sort_keys=False, allow_unicode=True, width=100)
    write_if_changed(root / "practice" / "reference" / "authorities.yml", HEADER + body)
    write_if_changed(root / "practice" / "reference" / "former-authorities.yml", FORMER_HEADER + former_body)
    return rows
