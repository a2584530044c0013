"""Property-based tests: any Unicode text in any field is either accepted or reported (never another
exception), and what is accepted is shown on the built page exactly as typed."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TODAY, VALID_STUDY, copy_project, distinct, run_hub
from htmlview import first_heading
from hub.load.yamlsafe import load_bytes
from hub.model.copies import normal
from hub.model.reference import load_reference
from hub.model.schema import CASE_STUDY
from hub.model.validate import case_study

REF = load_reference(ROOT / "practice" / "reference", ROOT)
FIELDS = ["title", "summary", "challenge", "what_we_did", "impact", "learning", "reach"]


def with_field(field: str, value: str, study: str = VALID_STUDY) -> bytes:
    """`study` (VALID_STUDY) with one field set to `value`, written as a YAML double-quoted string."""
    lines = study.split("\n")
    out, skipping = [], False
    for line in lines:
        if line.startswith(f"{field}:"):
            skipping = True
            continue
        if skipping and line.startswith("  "):
            continue
        skipping = False
        out.append(line)
    return ("\n".join(out) + f"\n{field}: {json.dumps(value)}\n").encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_are_accepted_or_reported(data: bytes) -> None:
    tree, problems = load_bytes(data, "x.yml")
    assert (tree is None) == bool(problems)
    if tree is not None:
        study, problems = case_study(tree, "x", "x.yml", REF, TODAY)
        assert (study is None) == bool(problems)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FIELDS), st.text(max_size=300))
def test_any_text_in_any_field_is_accepted_or_reported(field: str, value: str) -> None:
    tree, problems = load_bytes(with_field(field, value), "x.yml")
    if tree is None:
        assert problems
        return
    study, problems = case_study(tree, "x", "x.yml", REF, TODAY)
    assert (study is None) == bool(problems)
    if study is not None and field == "title":
        assert study.title == value.strip()


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(st.text(min_size=1, max_size=80), min_size=12, max_size=12))
def test_accepted_titles_show_exactly_as_typed(tmp_path_factory: pytest.TempPathFactory, titles: list[str]) -> None:
    """One real build per example, a dozen case studies each: the <h1> text is the typed title."""
    root = tmp_path_factory.mktemp("prop")
    project = copy_project(root)
    accepted: dict[str, str] = {}
    for n, title in enumerate(titles):
        data = with_field("title", title, distinct(VALID_STUDY, f"s{n}"))
        tree, problems = load_bytes(data, "x.yml")
        if tree is None or case_study(tree, f"s{n}", "x.yml", REF, TODAY)[1]:
            continue
        if any(normal(title) == normal(other) for other in accepted.values()):
            continue  # no two case studies may share a title (test_copies.py)
        (project.practice / f"s{n}.yml").write_bytes(data)
        accepted[f"s{n}"] = title
    assert run_hub(project, "build") == 0
    for slug, title in accepted.items():
        html = (project.site / "practice" / slug / "index.html").read_text(encoding="utf-8")
        assert " ".join(first_heading(html).split()) == " ".join(title.split())
    shutil.rmtree(root)


def test_schema_fields_are_covered() -> None:
    texts = {f.name for f in CASE_STUDY.fields if f.kind in ("line", "text")}
    assert set(FIELDS) == texts
