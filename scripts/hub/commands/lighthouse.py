"""`hub lighthouse`: Lighthouse's four scores for one page of every kind of the built site.

It serves `site/` on 127.0.0.1, gzipped as the published site's host sends it, and runs the
Lighthouse pinned in `tools/lighthouse/` (`make lighthouse` installs it with npm) in headless
Chromium with its default profile: a mid-range phone on a slow 4G connection, simulated. Each
page is measured `--runs` times, taking turns, and the median of each score is shown. Below the
table it lists what costs points: every accessibility, best-practices and SEO audit short of
full marks with the elements it names, the performance metrics short of 90 and the
opportunities Lighthouse estimates savings for. A request to anywhere but the site is listed
too: the privacy notice promises there is none.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.core.project import Project
from hub.publish.localhost import BROWSER_ARGS, serve

CATEGORIES = (("performance", "perf"), ("accessibility", "a11y"), ("best-practices", "best"), ("seo", "seo"))
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}
# One page of every kind, as tests/test_accessibility.py lists them. A folder name ending in
# "/*" stands for its largest page, the heaviest of that kind.
PAGES = {
    "home": "",
    "case study": "practice/*",
    "authority": "authorities/*",
    "region": "regions/*",
    "theme": "themes/*",
    "case studies index": "practice/",
    "authorities index": "authorities/",
    "regions index": "regions/",
    "themes index": "themes/",
    "find practice": "find/",
    "coverage": "coverage/",
    "open data": "data/",
    "contribute": "contribute/",
    "about": "about/",
    "accessibility statement": "accessibility/",
    "privacy": "privacy/",
    "not found": "404.html",
}
LIGHTHOUSE = Path("tools/lighthouse/node_modules/.bin/lighthouse")
_SHOWN = 5  # offending elements or files listed for each audit


def pages(site: Path) -> dict[str, str]:
    """Each kind's page that the site has: its address relative to the site's root."""
    chosen: dict[str, str] = {}
    for kind, path in PAGES.items():
        if path.endswith("/*"):
            files = list((site / path[:-2]).glob("*/index.html"))
            if files:
                largest = max(files, key=lambda f: (f.stat().st_size, f.as_posix()))
                chosen[kind] = largest.parent.relative_to(site).as_posix() + "/"
        elif (site / path / "index.html" if path == "" or path.endswith("/") else site / path).is_file():
            chosen[kind] = path
    return chosen


@dataclass
class Result:
    """One page's runs: each category's scores (0-100) and each run's report."""

    path: str
    scores: dict[str, list[int]] = field(default_factory=dict)
    reports: list[dict[str, Any]] = field(default_factory=list)

    def add(self, report: dict[str, Any]) -> None:
        self.reports.append(report)
        for category, _ in CATEGORIES:
            score = report["categories"][category]["score"]
            self.scores.setdefault(category, []).append(-1 if score is None else round(score * 100))

    def median(self, category: str) -> int:
        return int(statistics.median_low(self.scores[category]))

    def typical(self) -> dict[str, Any]:
        """The run whose performance score is the median's: the one to read the audits from."""
        wanted = self.median("performance")
        return next(r for r, s in zip(self.reports, self.scores["performance"], strict=True) if s == wanted)


def _item_text(item: dict[str, Any]) -> str:
    node = item.get("node")
    if isinstance(node, dict) and node.get("snippet"):
        text = str(node["snippet"])
        if node.get("explanation"):
            text += f" ({' '.join(str(node['explanation']).split())[:160]})"
        return text
    for key in ("url", "source", "label", "description"):
        value = item.get(key)
        if isinstance(value, str) and value:
            extra = f" ({item['wastedBytes'] / 1024:.0f} KiB)" if item.get("wastedBytes") else ""
            return value + extra
        if isinstance(value, dict) and value.get("url"):
            return str(value["url"])
    return ""


def _items(audit: dict[str, Any]) -> list[str]:
    details = audit.get("details") or {}
    out: list[str] = []
    for item in details.get("items") or []:
        text = _item_text(item)
        if text:
            out.append(text)
        elif item.get("subItems"):  # some audits group their elements under an item of their own
            out.extend(_item_text(sub) for sub in item["subItems"].get("items") or [])
    return list(dict.fromkeys(t for t in out if t))


def failing(report: dict[str, Any]) -> list[tuple[str, str, str, list[str]]]:
    """What costs the report points: (category, audit id, what Lighthouse says, elements or files)."""
    audits = report["audits"]
    found = []
    for category, _ in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            score = audit.get("score")
            mode = audit.get("scoreDisplayMode")
            if score is None or mode in ("notApplicable", "manual", "informative"):
                continue
            details = audit.get("details") or {}
            if category == "performance":
                metric = ref.get("group") == "metrics"
                saves = details.get("type") == "opportunity" and score < 1
                if not (metric and score < 0.9) and not saves:
                    continue
            elif score >= 1 or not ref.get("weight"):
                continue
            said = audit.get("displayValue") or audit.get("title") or ""
            found.append((category, ref["id"], str(said), _items(audit)))
    return found


def outside(report: dict[str, Any], base: str) -> list[str]:
    """Addresses the page asked for that are not the site's own (data: and blob: are local)."""
    items = ((report["audits"].get("network-requests") or {}).get("details") or {}).get("items") or []
    urls = (str(i.get("url", "")) for i in items)
    return sorted({u for u in urls if not u.startswith((base, "data:", "blob:"))})


def run_lighthouse(binary: Path, chromium: str, url: str) -> dict[str, Any]:
    flags = " ".join(["--headless=new", *BROWSER_ARGS])
    with tempfile.TemporaryDirectory(prefix="hub-lighthouse-") as folder:
        out = Path(folder) / "report.json"
        command = [str(binary), url, "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={flags}"]
        env = {**os.environ, "CHROME_PATH": chromium}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0 or not out.is_file():
            raise RuntimeError(f"Lighthouse failed on {url}: {(done.stderr or done.stdout).strip()[-800:]}")
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse failed on {url}: {report['runtimeError'].get('message')}")
    return report


def table(results: dict[str, Result], runs: int) -> str:
    width = max(len(k) for k in results)
    head = f"{'page':<{width}}  " + "  ".join(f"{short:>4}" for _, short in CATEGORIES) + "  address"
    lines = [head, "-" * len(head)]
    for kind, result in results.items():
        cells = []
        for category, _ in CATEGORIES:
            median = result.median(category)  # -1: Lighthouse could not score it
            mark = "*" if median < TARGETS[category] else " "
            cells.append(f"{median if median >= 0 else '-':>3}{mark}")
        lines.append(f"{kind:<{width}}  " + "  ".join(cells) + f"  /{result.path}")
    every = f"median of {runs} runs" if runs > 1 else "one run"
    targets = ", ".join(f"{short} {TARGETS[c]}" for c, short in CATEGORIES)
    lines.append(f"({every}; * below the target: {targets})")
    return "\n".join(lines)


def findings(results: dict[str, Result], base: str) -> str:
    lines = []
    for kind, result in results.items():
        report = result.typical()
        found = failing(report)
        away = sorted({u for r in result.reports for u in outside(r, base)})
        if not found and not away:
            continue
        lines.append(f"\n{kind} (/{result.path})")
        for category, audit, said, items in found:
            lines.append(f"  {category}: {audit}  {said}".rstrip())
            lines.extend(f"      {text[:200]}" for text in items[:_SHOWN])
            if len(items) > _SHOWN:
                lines.append(f"      ... and {len(items) - _SHOWN} more")
        lines.extend(f"  REQUEST TO ANOTHER SITE: {url}" for url in away)
    return "\n".join(lines)


def command(project: Project, args: argparse.Namespace) -> int:
    binary = project.root / LIGHTHOUSE
    chromium = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary.is_file():
        print(f"{LIGHTHOUSE} is missing: `make lighthouse` installs it (npm ci in tools/lighthouse).", file=sys.stderr)
        return 1
    if not chromium:
        print("Chromium is not installed (or set CHROME_PATH to a Chrome or Chromium).", file=sys.stderr)
        return 1
    if not (project.site / "index.html").is_file():
        print("site/ has no built site: run `hub build` first.", file=sys.stderr)
        return 1
    chosen = pages(project.site)
    if args.page:
        unknown = [k for k in args.page if k not in chosen]
        if unknown:
            print(f"no such kind of page: {', '.join(unknown)} (kinds: {', '.join(chosen)})", file=sys.stderr)
            return 1
        chosen = {k: v for k, v in chosen.items() if k in args.page}
    results = {kind: Result(path) for kind, path in chosen.items()}
    with serve(project.site, compress=True) as base:
        # Taking turns spreads the machine's slow minutes over every page, not one page's runs.
        for turn in range(args.runs):
            for kind, result in results.items():
                print(f"  run {turn + 1}/{args.runs}: {kind}", file=sys.stderr, flush=True)
                result.add(run_lighthouse(binary, chromium, base + result.path))
        if args.json:
            out = {
                kind: {
                    "address": "/" + r.path,
                    "median": {c: r.median(c) for c, _ in CATEGORIES},
                    "runs": r.scores,
                    "failing": [
                        {"category": c, "audit": a, "says": s, "items": i} for c, a, s, i in failing(r.typical())
                    ],
                    "requests to other sites": sorted({u for rep in r.reports for u in outside(rep, base)}),
                }
                for kind, r in results.items()
            }
            print(json.dumps(out, indent=2))
        else:
            print(table(results, args.runs))
            print(findings(results, base))
    return 0
