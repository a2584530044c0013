"""Reference data: regions, themes, evidence levels and authorities, from `practice/reference/`.

Read with the same hardened loader and the same schema walker as case studies, so a mistake in
reference data is reported the same way. Regions are read first: authorities name them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import AUTHORITY_TYPES, Alliance, Authority, EvidenceLevel, Reference, Region, Theme
from .problems import HubError, Problem
from .schema import AUTHORITIES_FILE, EVIDENCE_FILE, REGIONS_FILE, THEMES_FILE, Field
from .validate import Vocabulary, check
from .values import slug_problem
from .yamlsafe import Sequence, load_file

FILES = {
    "regions": "regions.yml",
    "themes": "themes.yml",
    "levels": "evidence-levels.yml",
    "authorities": "authorities.yml",
}


def load_reference(folder: Path, root: Path) -> Reference:
    """Load and cross-check every reference file; raise `HubError` with every problem found."""
    problems: list[Problem] = []
    sources: dict[str, str] = {}

    def read(key: str, spec: Field, vocab: dict[str, Vocabulary]) -> list[dict[str, Any]]:
        path = folder / FILES[key]
        shown = path.relative_to(root).as_posix()
        tree, found = load_file(path, shown) if path.exists() else (None, [Problem(shown, 0, 0, "is missing")])
        if tree is None:
            problems.extend(found)
            return []
        data, found = check(spec, tree, shown, vocab)
        problems.extend(found)
        if data is None:
            return []
        sources[key] = data["source"]["description"]
        items: list[dict[str, Any]] = data[key]
        seen: set[str] = set()
        for n, item in enumerate(items, start=1):
            why = slug_problem(item["slug"])
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
    themes = {
        t["slug"]: Theme(t["slug"], t["name"], t["description"], order)
        for order, t in enumerate(read("themes", THEMES_FILE, {}), start=1)
    }
    levels = {
        e["slug"]: EvidenceLevel(e["slug"], e["name"], e["description"], rank)
        for rank, e in enumerate(read("levels", EVIDENCE_FILE, {}), start=1)
    }
    vocab = {
        "regions": Vocabulary("region", dict(regions), tuple(regions)),
        "authority_types": Vocabulary("authority type", {k: k for k in AUTHORITY_TYPES}, tuple(AUTHORITY_TYPES)),
    }
    authorities: dict[str, Authority] = {}
    codes: set[str] = set()
    shown = (folder / FILES["authorities"]).relative_to(root).as_posix()
    for a in read("authorities", AUTHORITIES_FILE, vocab):
        for key in ("dfe_code", "gss_code"):
            if a[key] in codes:
                problems.append(Problem(shown, 0, 0, f"{key.replace('_', ' ')} {a[key]} is used twice; re-run hub import-authorities"))
            codes.add(a[key])
        authorities[a["slug"]] = Authority(
            a["slug"], a["name"], a.get("official_name") or a["name"], a["dfe_code"], a["gss_code"], a["type"], a["region"]
        )
    if problems:
        raise HubError(problems)
    ordered = dict(sorted(authorities.items(), key=lambda item: item[1].name))
    return Reference(regions, ordered, themes, levels, sources)
