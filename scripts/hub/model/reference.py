"""Reference data: regions, themes, evidence levels and authorities, from `practice/reference/`.

Read with the same hardened loader and the same schema walker as case studies, so a mistake in
reference data is reported the same way. Regions are read first: authorities name them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hub.core.problems import HubError, Problem
from hub.load.yamlsafe import Sequence, load_file
from hub.model.records import (
    AUTHORITY_TYPES,
    INSPECTION_GRADES,
    INSPECTION_TYPES,
    Alliance,
    Authority,
    EvidenceLevel,
    Inspection,
    Programme,
    Reference,
    Region,
    Theme,
)
from hub.model.schema import (
    AUTHORITIES_FILE,
    EVIDENCE_FILE,
    FORMER_AUTHORITIES_FILE,
    NEIGHBOURS_FILE,
    OFSTED_FILE,
    PROGRAMMES_FILE,
    REGIONS_FILE,
    THEMES_FILE,
    Field,
)
from hub.model.validate import check
from hub.model.values import slug_problem
from hub.model.vocabularies import Vocabulary

FILES = {
    "regions": "regions.yml",
    "themes": "themes.yml",
    "levels": "evidence-levels.yml",
    "authorities": "authorities.yml",
    "former": "former-authorities.yml",
    "programmes": "programmes.yml",
    "inspections": "ofsted.yml",
    "neighbours": "neighbours.yml",
}
GRADES = frozenset(INSPECTION_GRADES)


def load_reference(folder: Path, root: Path) -> Reference:
    """Load and cross-check every reference file; raise `HubError` with every problem found."""
    problems: list[Problem] = []
    sources: dict[str, str] = {}
    documents: dict[str, dict[str, Any]] = {}

    def read(key: str, spec: Field, vocab: dict[str, Vocabulary]) -> list[dict[str, Any]]:
        path = folder / FILES[key]
        shown = path.relative_to(root).as_posix()
        tree, found = (
            load_file(path, shown, "reference")
            if path.exists()
            else (None, [Problem(shown, 0, 0, "is missing; restore it from git or re-run its import command")])
        )
        if tree is None:
            problems.extend(found)
            return []
        data, found = check(spec, tree, shown, vocab)
        problems.extend(found)
        if data is None:
            return []
        sources[key] = data["source"].get("cite") or data["source"]["description"]
        documents[key] = data
        items: list[dict[str, Any]] = data[key]
        seen: set[str] = set()
        for n, item in enumerate(items, start=1):
            if "slug" not in item:
                continue
            why = slug_problem(item["slug"], "slug")
            if why or item["slug"] in seen:
                listed = tree.items[key]
                line = listed.items[n - 1].line if isinstance(listed, Sequence) else 0
                problems.append(Problem(shown, line, 0, why or f"slug '{item['slug']}' is used twice"))
            seen.add(item["slug"])
        return items

    regions = {
        r["slug"]: Region(
            r["slug"],
            r["name"],
            r["code"],
            r.get("adcs_name") or r["name"],
            r["description"],
            Alliance(r["alliance"]["name"], r["alliance"].get("url")) if r.get("alliance") else None,
            order,
        )
        for order, r in enumerate(read("regions", REGIONS_FILE, {}), start=1)
    }
    regions_failed = bool(problems)
    themes = {
        t["slug"]: Theme(t["slug"], t["name"], t["description"], order)
        for order, t in enumerate(read("themes", THEMES_FILE, {}), start=1)
    }
    levels = {
        e["slug"]: EvidenceLevel(e["slug"], e["name"], e["description"], rank)
        for rank, e in enumerate(read("levels", EVIDENCE_FILE, {}), start=1)
    }
    programmes = {
        f["slug"]: Programme(f["slug"], f["name"], f["description"], order)
        for order, f in enumerate(read("programmes", PROGRAMMES_FILE, {}), start=1)
    }
    vocab = {
        "regions": Vocabulary("region", dict(regions), tuple(regions)),
        "authority_types": Vocabulary("authority type", {k: k for k in AUTHORITY_TYPES}, tuple(AUTHORITY_TYPES)),
    }
    # A file that names another's entries is checked only once that one is right: otherwise one
    # mistake there would be reported again at every entry that names it.
    waiting = "not checked yet: it names entries of {}, which has problems; fix those first"
    authorities: dict[str, Authority] = {}
    codes: set[str] = set()
    shown = _shown(folder, "authorities", root)
    if regions_failed:
        problems.append(Problem(shown, 0, 0, waiting.format(FILES["regions"])))
    before = len(problems)
    for a in [] if regions_failed else read("authorities", AUTHORITIES_FILE, vocab):
        for key in ("dfe_code", "gss_code"):
            if a[key] in codes:
                problems.append(
                    Problem(
                        shown, 0, 0, f"{key.replace('_', ' ')} {a[key]} is used twice; re-run hub import-authorities"
                    )
                )
            codes.add(a[key])
        authorities[a["slug"]] = _authority(a)
    ordered = dict(sorted(authorities.items(), key=lambda item: item[1].name))
    former = {} if regions_failed or len(problems) > before else _former(read, vocab, ordered, problems, folder, root)
    if regions_failed or len(problems) > before:
        later = FILES["regions" if regions_failed else "authorities"]
        problems.extend(
            Problem(_shown(folder, key, root), 0, 0, waiting.format(later)) for key in ("inspections", "neighbours")
        )
        inspections: dict[str, Inspection] = {}
        neighbours: dict[str, tuple[Authority, ...]] = {}
    else:
        inspections, neighbours = _ofsted(read, ordered, problems, folder, root)
    if problems:
        raise HubError(problems)
    as_at = documents.get("inspections", {}).get("as_at", "")
    return Reference(
        regions, ordered, themes, levels, sources, inspections, neighbours, as_at, former=former, programmes=programmes
    )


def _authority(a: dict[str, Any], ended: date | None = None, successors: tuple[str, ...] = ()) -> Authority:
    """An authority from its checked entry in authorities.yml or former-authorities.yml."""
    official = a.get("official_name") or a["name"]
    return Authority(
        a["slug"], a["name"], official, a["dfe_code"], a["gss_code"], a["type"], a["region"], ended, successors
    )


def _former(
    read: Callable[[str, Field, dict[str, Vocabulary]], list[dict[str, Any]]],
    vocab: dict[str, Vocabulary],
    authorities: dict[str, Authority],
    problems: list[Problem],
    folder: Path,
    root: Path,
) -> dict[str, Authority]:
    """Authorities that no longer exist, each with the live authorities that followed it."""
    shown = _shown(folder, "former", root)
    former: dict[str, Authority] = {}
    for a in read("former", FORMER_AUTHORITIES_FILE, vocab):
        unknown = [s for s in a["successors"] if s not in authorities]
        if a["slug"] in authorities or unknown:
            why = f"successor(s) {', '.join(unknown)} not in authorities.yml" if unknown else "slug is a live one"
            problems.append(Problem(shown, 0, 0, f"{a['slug']}: {why}; re-run hub import-authorities"))
            continue
        former[a["slug"]] = _authority(a, a["ended"], tuple(a["successors"]))
    return former


def _shown(folder: Path, key: str, root: Path) -> str:
    return (folder / FILES[key]).relative_to(root).as_posix()


def _ofsted(
    read: Callable[[str, Field, dict[str, Vocabulary]], list[dict[str, Any]]],
    authorities: dict[str, Authority],
    problems: list[Problem],
    folder: Path,
    root: Path,
) -> tuple[dict[str, Inspection], dict[str, tuple[Authority, ...]]]:
    """The Ofsted snapshot and the neighbours; every authority must have both."""
    vocab = {"authorities": Vocabulary("authority", dict(authorities), tuple(authorities), list_allowed=False)}
    inspections: dict[str, Inspection] = {}
    for item in read("inspections", OFSTED_FILE, vocab):
        grades = [item[k] for k in ("overall", "leaders", "help_and_protection", "in_care", "care_leavers")]
        bad = [g for g in grades if g not in GRADES] + ([item["type"]] if item["type"] not in INSPECTION_TYPES else [])
        if bad:
            problems.append(
                Problem(
                    (folder / FILES["inspections"]).relative_to(root).as_posix(),
                    0,
                    0,
                    f"{item['authority'].slug}: unknown value(s) {', '.join(bad)}",
                )
            )
            continue
        inspections[item["authority"].slug] = Inspection(
            item["urn"], item["type"], item.get("start"), item.get("end"), item["published"], item["report"], *grades
        )
    neighbours = {
        item["authority"].slug: tuple(item["neighbours"]) for item in read("neighbours", NEIGHBOURS_FILE, vocab)
    }
    for key, found in (("inspections", inspections), ("neighbours", neighbours)):
        missing = [slug for slug in authorities if slug not in found]
        if missing and found:
            shown = (folder / FILES[key]).relative_to(root).as_posix()
            problems.append(Problem(shown, 0, 0, f"has no entry for {', '.join(missing)}; re-run hub import-ofsted"))
    return inspections, neighbours
