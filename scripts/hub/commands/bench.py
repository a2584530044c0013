"""`hub bench`: how fast and how big the hub is at N case studies, measured on the real pipeline.

It copies the project's configuration, theme overrides, hand-written pages and reference data
into a temporary folder, writes N synthetic case studies there (each file says it is synthetic;
none is ever written into the project), and runs the same steps as `hub build`, timing each.
It then rebuilds with nothing changed and with one file edited, measures the first filtered
search in headless Chromium when it is installed, and builds the same content with a naive
configuration (every page in the navigation, Material's own search) for comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from hub.core.progress import Quiet
from hub.core.project import Project, copy_project
from hub.model.reference import load_reference
from hub.pipeline import generate
from hub.publish.build import build_site, peak_mib
from hub.publish.localhost import BROWSER_ARGS, fetch, free_port, serve

_VOCABULARY = """
family help early support social work practice children young people carers kinship care leavers placement
stability safeguarding partnership police health schools youth justice exploitation missing audit supervision
workforce recruitment retention agency staff caseloads leadership governance improvement board peer challenge
self-assessment benchmarking data performance finance demand cost sufficiency fostering residential permanence
reunification conference network voice participation advocacy outcomes evaluation evidence pilot team manager
director council region alliance summit plan review quality assurance framework model training coaching
"""
WORDS = tuple(_VOCABULARY.split())


def synthetic_study(n: int, ref_authorities: list[str], ref_themes: list[str], rng: random.Random) -> str:
    """A valid case study of about 600 words, clearly marked synthetic."""

    def prose(words: int) -> str:
        sentences: list[str] = []
        while sum(len(s.split()) for s in sentences) < words:
            length = rng.randint(8, 18)
            sentence = " ".join(rng.choice(WORDS) for _ in range(length))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        return " ".join(sentences)

    themes = rng.sample(ref_themes, rng.randint(1, 3))
    published = date(2020, 1, 1) + timedelta(days=n % 2000)
    level = rng.choice(["validated", "promising", "early-days", "no-evidence-yet"])
    evidence: dict[str, Any] = {"level": level, "details": prose(60)}
    if level in ("validated", "early-days"):
        evidence["evaluation"] = {
            "status": "published" if level == "validated" else "under-way",
            "evaluator": "Synthetic evaluators",
            "design": rng.choice(["randomised", "quasi-experimental", "before-and-after"]),
            **({"report": "https://www.example.gov.uk/synthetic-evaluation"} if level == "validated" else {}),
        }
    started = 2010 + n % 15
    document = {
        "title": f"Synthetic case study {n:05d}: {' '.join(rng.choice(WORDS) for _ in range(5))}",
        "summary": prose(60),
        "challenge": prose(100),
        "what_we_did": prose(200),
        "impact": prose(120),
        "evidence": evidence,
        "learning": prose(60),
        "started": str(started),
        **({"ended": str(started + 2)} if n % 3 == 0 else {}),
        **(
            {"outcomes": [{"measure": "children in care", "change": f"-{n % 40}%", "period": "two years"}]}
            if level != "no-evidence-yet"
            else {}
        ),
        "funding": [{"programme": rng.choice(["innovation-programme", "local-budget", "supporting-families"])}],
        "led_by": {"authorities": [ref_authorities[n % len(ref_authorities)]]},
        "themes": themes,
        "contact": {"role": "Benchmark team", "email": "benchmark@example.gov.uk"},
        "published": published.isoformat(),
        "review": (published + timedelta(days=3650)).isoformat(),
        "sources": [{"title": "Synthetic source", "url": "https://www.example.gov.uk/synthetic"}],
    }
    return "# SYNTHETIC benchmark data, written by `hub bench`: not a real case study.\n" + yaml.safe_dump(
        document, sort_keys=False
    )


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@dataclass(frozen=True)
class Once:
    seconds: dict[str, float]  # each phase's
    total: float
    written: int  # pages generate wrote
    before_index: float  # peak MiB before the search index was built


def build_once(project: Project, today: date) -> Once:
    """One full build, as `hub build` does it, timed phase by phase."""
    progress = Quiet()
    started = time.perf_counter()
    generated = generate(project, today, progress=progress)
    before_index = build_site(project.config, project.site, None, progress=progress)
    return Once(dict(progress.seconds), time.perf_counter() - started, generated.report.written, before_index)


def naive_build(project: Project) -> float:
    """The same docs with every page in the navigation and Material's search: the usual setup."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = yaml.safe_load(
        "\n".join(line for line in project.config.read_text(encoding="utf-8").splitlines() if "!ENV" not in line)
    )
    for key in ("nav", "not_in_nav", "strict", "validation", "extra_javascript"):
        config.pop(key, None)
    config["repo_url"] = "https://github.com/example/hub"  # the !ENV lines were dropped above
    config["plugins"] = ["search"]
    naive = project.root / "mkdocs-naive.yml"
    naive.write_text(yaml.safe_dump(config), encoding="utf-8")
    started = time.perf_counter()
    build(load_config(config_file=str(naive), site_dir=str(project.root / "site-naive")))
    return time.perf_counter() - started


def measure_search(site: Path, chromium: str, theme: str, region: str) -> dict[str, float]:
    """Bytes of search files the first two-filter search fetches, and ms from last keystroke to results."""
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page()
        fetched: dict[str, int] = {}

        def count(response: Any) -> None:
            if "/pagefind/" in response.url:
                with contextlib.suppress(Exception):  # a cancelled request has no body
                    fetched[response.url] = len(response.body())

        page.on("response", count)
        page.goto(f"{base}find/?theme={theme}&region={region}")
        page.locator(".hub-result").first.wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle")
        # The search program (its JavaScript and WebAssembly, the same for any site) apart from
        # the search data this site's index holds: index chunks, filters, metadata, fragments.
        library = sum(size for url, size in fetched.items() if url.endswith((".js", ".pagefind")))
        data = sum(fetched.values()) - library
        # Results as you type: time from the last keystroke until the list changes.
        latency = page.evaluate(
            """() => new Promise(resolve => {
                const results = document.querySelector('.hub-find__results');
                const input = document.getElementById('hub-find-q');
                const observer = new MutationObserver(() => {
                    observer.disconnect();
                    resolve(performance.now() - start);
                });
                observer.observe(results, {childList: true});
                input.value = 'family';
                const start = performance.now();
                input.dispatchEvent(new Event('input', {bubbles: true}));
            })"""
        )
        browser.close()
    return {
        "first filtered search: data KB": data / 1024,
        "first filtered search: program KB": library / 1024,
        "results after last keystroke ms": float(latency),
    }


def measure_serve(project: Project, today: date) -> float:
    """Seconds from saving an edited case study to `hub serve` serving the changed page (the
    browser then reloads through livereload). The server is started first and left to settle."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hub.commands.cli",
            "--today",
            today.isoformat(),
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def page() -> str:
        return fetch(f"http://127.0.0.1:{port}/practice/synthetic-00001/") or ""

    try:
        deadline = time.monotonic() + 900
        while "synthetic" not in page():
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("hub serve did not start")
            time.sleep(0.5)
        edited = project.practice / "synthetic-00001.yml"
        edited.write_text(
            edited.read_text(encoding="utf-8").replace("summary: ", "summary: Served edit. ", 1), encoding="utf-8"
        )
        started = time.monotonic()
        while "Served edit." not in page():
            if time.monotonic() - started > 300:
                raise RuntimeError("hub serve did not show the edit within 300 s")
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def run(source: Project, count: int, *, naive: bool, chromium: str | None, today: date) -> dict[str, Any]:
    ref = load_reference(source.reference, source.root)
    rng = random.Random(count)
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as folder:
        project = copy_project(source, Path(folder))
        authorities, themes = list(ref.authorities), list(ref.themes)
        for n in range(count):
            (project.practice / f"synthetic-{n:05d}.yml").write_text(
                synthetic_study(n, authorities, themes, rng), encoding="utf-8"
            )
        result: dict[str, Any] = {"case studies": count}
        first = build_once(project, today)
        result.update({f"{k} s": round(v, 2) for k, v in first.seconds.items()})
        result["total s"] = round(first.total, 2)
        pages = sorted(p.stat().st_size for p in (project.site / "practice").glob("synthetic-*/index.html"))
        result.update(
            {
                "peak memory MiB": round(peak_mib(), 1),
                "peak memory without Pagefind MiB": round(first.before_index, 1),
                "site MB": round(_tree_size(project.site) / 1e6, 1),
                "median case-study page KB": round(statistics.median(pages) / 1024, 1),
                "largest case-study page KB": round(pages[-1] / 1024, 1),
            }
        )
        again = build_once(project, today)
        result["no-change regenerate s"] = round(again.seconds["validate"] + again.seconds["generate"], 2)
        result["no-change rebuild s"] = round(again.total, 2)
        result["no-change regenerate writes"] = again.written
        edited = project.practice / "synthetic-00000.yml"
        edited.write_text(
            edited.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), encoding="utf-8"
        )
        result["one-file-edit rebuild s"] = round(build_once(project, today).total, 2)
        result["hub serve: edit to page s"] = round(measure_serve(project, today), 2)
        if chromium:
            theme, region = ref.themes[themes[0]].name, next(iter(ref.regions.values())).name
            result.update({k: round(v, 1) for k, v in measure_search(project.site, chromium, theme, region).items()})
        if naive:
            seconds = naive_build(project)
            result["naive MkDocs build s"] = round(seconds, 2)
            result["naive / hub"] = round(seconds / first.total, 1)
        os.sync()
    return result


def command(project: Project, args: argparse.Namespace) -> int:
    import json

    from hub.commands.bench import run

    chromium = None if args.no_browser else (shutil.which("chromium") or shutil.which("chromium-browser"))
    result = run(project, args.count, naive=not args.no_naive, chromium=chromium, today=args.today)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        width = max(len(k) for k in result)
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
        if not chromium and not args.no_browser:
            print("(search in the browser not measured: Chromium is not installed)")
    return 0
