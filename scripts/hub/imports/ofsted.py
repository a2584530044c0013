"""Import command: Ofsted's latest ILACS inspection and DfE's statistical neighbours for each authority.

`import_ofsted` reads a CSV like `../shared/reference/ofsted-ilacs-overview.csv` (one row per
authority, keyed by the DfE three-digit code `la_code`), checks every row, and writes two files in
the hub's own format: `practice/reference/ofsted.yml` (a dated snapshot) and
`practice/reference/neighbours.yml`. A missing, repeated or malformed row is reported as
`path:line: message` and nothing is written.

What the source's special values mean:
- an overall effectiveness of `nan` or blank: Ofsted gave none (it stopped from April 2026);
- a care leavers grade of `inspection_pre_dates_judgement`: the inspection came before care
  leavers had a separate judgement (January 2023);
- an inspection type of `None` with blank dates: the source does not record them.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from hub.core.problems import HubError, Problem
from hub.load.yamlsafe import Mapping, Scalar, Sequence, load_file
from hub.write.docs import write_if_changed

GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires-improvement",
    "inadequate": "inadequate",
}
NOT_GIVEN = "not-given"
NO_SEPARATE_JUDGEMENT = "no-separate-judgement"
OVERALL_ENDED = date(2026, 4, 1)  # Ofsted gave no overall effectiveness grade from April 2026
CARE_LEAVERS_FROM = date(2023, 1, 1)  # care leavers judged separately from January 2023
COLUMNS = (
    "la_code",
    "urn",
    "inspection_link",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "stat_neighbours",
)
HEADER = """\
# {what}
# Written by `hub import-ofsted`: do not edit by hand; re-run the import with a newer snapshot.
"""


def _date(text: str, two_digit_year: bool = False) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(2000 + year if two_digit_year else year, month, day)


def _authorities(root: Path) -> dict[str, str]:
    """DfE code -> slug, from the hub's own authorities file (fully checked when the hub loads it)."""
    shown = "practice/reference/authorities.yml"
    tree, problems = load_file(root / shown, shown, "reference")
    listed = tree.items.get("authorities") if tree is not None else None
    if not isinstance(listed, Sequence):
        raise HubError(
            problems or [Problem(shown, 0, 0, "has no list of authorities; run hub import-authorities first")]
        )
    codes = {}
    for item in listed.items:
        if isinstance(item, Mapping):
            code, slug = item.items.get("dfe_code"), item.items.get("slug")
            if isinstance(code, Scalar) and isinstance(slug, Scalar):
                codes[code.value] = slug.value
    return codes


def read_rows(
    source: Path, shown: str, slugs: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Problem]]:
    problems: list[Problem] = []
    inspections: list[dict[str, Any]] = []
    neighbours: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    try:
        handle = source.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        return [], [], [Problem(shown, 0, 0, f"cannot be read: {error.strerror}")]
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return (
                [],
                [],
                [Problem(shown, 1, 0, f"is missing the column(s) {', '.join(missing)}; is this the ILACS overview?")],
            )
        for row in reader:
            line = reader.line_num
            code = row["la_code"].strip()

            def bad(message: str, code: str = code, line: int = line) -> None:
                problems.append(Problem(shown, line, 0, f"la_code {code}: {message}"))

            if code not in slugs:
                bad("is not a DfE code in practice/reference/authorities.yml")
                continue
            if code in seen:
                bad(f"appears twice (first on line {seen[code]}); keep the latest inspection only")
                continue
            seen[code] = line
            record = _inspection(row, slugs[code], bad)
            if record is not None:
                inspections.append(record)
            near = [c.strip() for c in row["stat_neighbours"].split(",") if c.strip()]
            unknown = [c for c in near if c not in slugs]
            if len(near) != 10 or unknown:
                bad(
                    f"needs 10 statistical neighbours with known DfE codes; found {len(near)}"
                    + (f", unknown {', '.join(unknown)}" if unknown else "")
                )
            else:
                neighbours.append({"authority": slugs[code], "neighbours": [slugs[c] for c in near]})
    for code, slug in sorted(slugs.items()):
        if code not in seen:
            problems.append(
                Problem(
                    shown, 0, 0, f"has no row for {slug} (DfE code {code}); every authority needs its latest inspection"
                )
            )
    return sorted(inspections, key=lambda r: r["authority"]), sorted(neighbours, key=lambda r: r["authority"]), problems


def _inspection(row: dict[str, str], slug: str, bad: Any) -> dict[str, Any] | None:
    kind = row["inspection_framework"].strip()
    start_text, end_text = row["inspection_start_date"].strip(), row["inspection_end_date"].strip()
    try:
        start = _date(start_text) if start_text else None
        end = _date(end_text) if end_text else None
        published = _date(row["publication_date"].strip(), two_digit_year=True)
    except ValueError:
        bad(
            f"has a date that is not DD/MM/YYYY (start '{start_text}', end '{end_text}') or DD/MM/YY (published "
            f"'{row['publication_date']}')"
        )
        return None
    if (
        kind not in ("short", "standard", "None")
        or (kind == "None") != (start is None)
        or (start is None) != (end is None)
    ):
        bad(f"inspection type '{kind}' and dates '{start_text}'-'{end_text}' do not fit together")
        return None
    if start and end and not start <= end <= published:
        bad("its dates are out of order (start, end, publication)")
        return None
    link = row["inspection_link"].strip()
    if not link.startswith("https://"):
        bad(f"report link '{link}' is not an https address")
        return None
    grades: dict[str, str] = {}
    for key, column in (
        ("leaders", "impact_of_leaders_grade"),
        ("help_and_protection", "help_and_protection_grade"),
        ("in_care", "in_care_grade"),
        ("care_leavers", "care_leavers_grade"),
        ("overall", "overall_effectiveness_grade"),
    ):
        value = row[column].strip().lower()
        if value in GRADES:
            grades[key] = GRADES[value]
        elif key == "overall" and value in ("", "nan") and (start is None or start >= OVERALL_ENDED):
            grades[key] = NOT_GIVEN
        elif (
            key == "care_leavers"
            and value == "inspection_pre_dates_judgement"
            and (start is None or start < CARE_LEAVERS_FROM)
        ):
            grades[key] = NO_SEPARATE_JUDGEMENT
        else:
            bad(
                f"{column} '{row[column]}' is not a grade for an inspection starting "
                f"{start_text or 'on an unrecorded date'}"
            )
            return None
    record: dict[str, Any] = {"authority": slug, "urn": row["urn"].strip(), "type": kind if start else "not-recorded"}
    if start and end:
        record.update(start=start.isoformat(), end=end.isoformat())
    record.update(published=published.isoformat(), report=link, **grades)
    return record


def import_ofsted(root: Path, source: Path, shown: str, as_at: str, today: date) -> int:
    """Rebuild ofsted.yml and neighbours.yml from `source`; raise HubError (writing nothing) on any problem."""
    slugs = _authorities(root)
    inspections, neighbours, problems = read_rows(source, shown, slugs)
    if problems:
        raise HubError(problems)
    described = (
        "Ofsted's latest inspection of local authority children's services (ILACS) for each authority, as collected "
        f"by data-to-insight's ILACS scrape tool (ofsted_csc_ilacs_overview), read from {source.name}."
    )
    ofsted = {
        "source": {
            "description": described,
            "cite": "Ofsted, inspections of local authority children's services (ILACS), as collected by "
            f"data-to-insight, {as_at}",
            "licence": "Open Government Licence v3.0 (Ofsted data)",
            "imported": today.isoformat(),
        },
        "as_at": as_at,
        "inspections": inspections,
    }
    near = {
        "source": {
            "description": "The Department for Education's statistical neighbours (the ten most similar "
            f"authorities, in the order given), as carried in {source.name}.",
            "cite": "Department for Education, children's services statistical neighbours, as published with "
            f"Ofsted's inspection data, {as_at}",
            "licence": "Open Government Licence v3.0",
            "imported": today.isoformat(),
        },
        "neighbours": neighbours,
    }
    folder = root / "practice" / "reference"
    for name, what, document in (
        ("ofsted.yml", "Ofsted's latest ILACS inspection of each authority: a dated snapshot.", ofsted),
        ("neighbours.yml", "Each authority's ten statistical neighbours, in the order DfE gives them.", near),
    ):
        body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        write_if_changed(folder / name, HEADER.format(what=what) + body)
    return len(inspections)
