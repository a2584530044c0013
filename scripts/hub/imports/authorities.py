"""Import commands: rebuild reference data files from public sources.

`import_authorities` reads DfE's list of local authority codes (a CSV such as
`../shared/reference/dfe-las.csv`), keeps the live rows that name one authority, and writes
`practice/reference/authorities.yml` in the hub's own format, recording the source and the date.
Every bad row is reported as `path:line: message`; on any problem nothing is written.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
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
COLUMNS = ("new_la_code", "la_name", "parent_geography_code", "entity_code", "status", "old_la_code")
_GSS = re.compile(r"^E(06|08|09|10)\d{6}$")
_DFE = re.compile(r"^\d{3}$")

HEADER = """\
# Every English local authority with children's services responsibilities.
# Written by `hub import-authorities`: do not edit by hand; re-run the import instead.
"""


def plain_name(official: str) -> str:
    """'Bristol, City of' -> 'Bristol'; 'Herefordshire, County of' -> 'Herefordshire'."""
    return re.sub(r", (City|County) of$", "", official).strip()


def read_authorities(
    source: Path, shown: str, region_codes: dict[str, str]
) -> tuple[list[dict[str, str]], list[Problem]]:
    problems: list[Problem] = []
    rows: list[dict[str, str]] = []
    try:
        handle = source.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        return [], [Problem(shown, 0, 0, f"cannot be read: {error.strerror}")]
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [], [Problem(shown, 1, 0, f"is missing the column(s) {', '.join(missing)}; is this DfE's las.csv?")]
        for row in reader:
            line = reader.line_num
            gss, status = row["new_la_code"].strip(), row["status"].strip()
            if status != "live" or " / " in gss or not gss.startswith("E"):
                continue  # terminated codes, combined geographies and non-English rows
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
                }
            )
    for key in ("slug", "dfe_code", "gss_code"):
        counts = Counter(r[key] for r in rows)
        problems.extend(
            Problem(shown, int(r["_line"]), 0, f"{key.replace('_', ' ')} '{r[key]}' appears on more than one live row")
            for r in rows
            if counts[r[key]] > 1
        )
    for r in rows:
        del r["_line"]
    return sorted(rows, key=lambda r: r["slug"]), problems


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
    rows, problems = read_authorities(source, shown, codes)
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
            "licence": "Open Government Licence v3.0",
            "imported": today.isoformat(),
        },
        "authorities": rows,
    }
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    write_if_changed(root / "practice" / "reference" / "authorities.yml", HEADER + body)
    return rows
