"""CONTRIBUTING.md stays in step with the schema, and its examples are valid."""

from __future__ import annotations

import re

from conftest import ROOT, TODAY
from hub.derived.field_docs import field_reference, update, update_all
from hub.load.yamlsafe import load_bytes
from hub.model.reference import load_reference
from hub.model.schema import CASE_STUDY
from hub.model.validate import case_study, check
from hub.model.vocabularies import vocabularies

REF = load_reference(ROOT / "practice" / "reference", ROOT)
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_derived_files_are_up_to_date() -> None:
    assert update(ROOT / "CONTRIBUTING.md", REF, check_only=True), "run `hub schema` to regenerate CONTRIBUTING.md"
    assert update_all(ROOT, REF, check_only=True) == [], "run `hub schema`"


def test_field_reference_names_every_field_and_value() -> None:
    reference = field_reference(REF)
    for spec in CASE_STUDY.fields:
        assert f"`{spec.name}`" in reference
    for slug in [*REF.themes, *REF.evidence_levels, *REF.regions]:
        assert f"`{slug}`" in reference


def test_examples_are_valid() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", CONTRIBUTING, flags=re.S)
    assert len(blocks) == 3
    tree, problems = load_bytes(blocks[0].encode(), "CONTRIBUTING.md")
    assert tree is not None and not problems
    study, problems = case_study(tree, "example", "CONTRIBUTING.md", REF, TODAY)
    assert study is not None, problems
    led_by, problems = load_bytes(blocks[1].encode(), "CONTRIBUTING.md")
    assert led_by is not None and not problems
    value, problems = check(CASE_STUDY.child("led_by"), led_by.items["led_by"], "CONTRIBUTING.md", vocabularies(REF))  # type: ignore[arg-type]
    assert not problems and value["regions"][0].slug == "south-east"
