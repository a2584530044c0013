"""`hub bench` runs the real pipeline on synthetic case studies, in a temporary copy only."""

from __future__ import annotations

import json
import random

from conftest import ROOT, TODAY, run_hub_process
from hub.commands.bench import synthetic_study
from hub.load.yamlsafe import load_bytes
from hub.model.reference import load_reference
from hub.model.validate import case_study


def test_synthetic_studies_are_valid_and_marked() -> None:
    ref = load_reference(ROOT / "practice" / "reference", ROOT)
    rng = random.Random(1)
    for n in range(20):
        text = synthetic_study(n, list(ref.authorities), list(ref.themes), rng)
        assert text.startswith("# SYNTHETIC benchmark data")
        tree, problems = load_bytes(text.encode(), "x.yml")
        assert tree is not None and not problems
        study, problems = case_study(tree, f"synthetic-{n}", "x.yml", ref, TODAY)
        assert study is not None, problems
        assert (
            450
            <= sum(
                len(t.split())
                for t in (study.summary, study.challenge, study.action, study.impact, study.learning or "")
            )
            <= 700
        )


def test_bench_measures_without_touching_the_project() -> None:
    before = sorted(p.name for p in (ROOT / "practice").iterdir())
    result = run_hub_process(ROOT, "bench", "--count", "30", "--json", "--no-naive", "--no-browser")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["case studies"] == 30
    for key in (
        "validate s",
        "generate s",
        "mkdocs s",
        "search index s",
        "total s",
        "peak memory MiB",
        "site MB",
        "median case-study page KB",
        "no-change rebuild s",
        "one-file-edit rebuild s",
        "hub serve: edit to page s",
    ):
        assert figures[key] > 0, key
    assert figures["no-change regenerate writes"] == 0
    assert 0 < figures["peak memory without Pagefind MiB"] <= figures["peak memory MiB"]
    assert sorted(p.name for p in (ROOT / "practice").iterdir()) == before, "no synthetic file in the project"
