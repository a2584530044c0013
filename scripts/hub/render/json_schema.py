"""The JSON Schema for case-study files, derived from `schema.CASE_STUDY` and the vocabularies.

Editors that speak the YAML language server validate and autocomplete case studies as people
type, through the `# yaml-language-server: $schema=...` comment at the top of each file. The
schema and `hub check` agree on every rule JSON Schema can say: the fields and their shapes
(one value where a list is expected stands for a list of one, as in the hub), the values each
vocabulary accepts, who led the work (`oneOf`), a contact unless the case study is written from
public sources (`if`/`then`), `ended` only with `started` (`dependentRequired`), and an evidence
level that matches the evaluation beside it. The few rules only the hub can check (dates against
today, authorities' regions, which characters text may hold) are listed in CONTRIBUTING.md;
`tests/test_json_schema.py` checks the two agree on mutations of the real collection.
"""

from __future__ import annotations

import json
from typing import Any

from hub.model.records import Reference
from hub.model.schema import CASE_STUDY, Field
from hub.model.vocabularies import KINDS

SCHEMA_PATH = "schema/case-study.schema.json"
# What editors should find in each case-study file (relative to practice/).
EDITOR_COMMENT = f"# yaml-language-server: $schema=../{SCHEMA_PATH}"

# A year (an editor reads `2014` as a number) or a month, with a date for a source's `date`.
_YEAR = {"type": "integer", "minimum": 1900, "maximum": 2100}
_PERIOD = {"anyOf": [{"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]))?$"}, _YEAR]}
_WHEN = {"anyOf": [{"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-[0-3][0-9])?)?$"}, _YEAR]}
_ADDRESS = "[^\\s<>\"'`\\\\{}|^]+$"


def _node(spec: Field, ref: Reference) -> dict[str, Any]:
    node: dict[str, Any] = {"description": spec.description}
    if spec.kind == "mapping":
        node.update(
            type="object",
            properties={f.name: _node(f, ref) for f in spec.fields},
            additionalProperties=False,
        )
        required = [f.name for f in spec.fields if f.required]
        if required:
            node["required"] = required
    elif spec.kind == "list":
        assert spec.item is not None
        item = _node(spec.item, ref)
        # An empty list says nothing: the hub asks for the field to be left out instead.
        listed: dict[str, Any] = {"type": "array", "items": item, "minItems": max(spec.min_items, 1)}
        if spec.max_items:
            listed["maxItems"] = spec.max_items
        if spec.item.kind == "choice":
            listed["uniqueItems"] = True
        # The hub reads one value where a list is expected as a list of one ("themes: workforce").
        node.update(listed if spec.item.kind == "mapping" else {"anyOf": [listed, item]})
    elif spec.kind == "choice":
        node["enum"] = KINDS[spec.vocabulary].editor_values(ref)
    elif spec.kind == "period":
        node.update(_PERIOD)
    elif spec.kind == "when":
        node.update(_WHEN)
    else:
        node.update(type="string", minLength=1, pattern="\\S")  # something to show, not blanks
        if spec.max_length and spec.kind != "text":
            # (Text of several paragraphs is measured by the hub alone: it counts what readers see,
            # without the line breaks, which JSON Schema's maxLength counts.)
            node["maxLength"] = spec.max_length
        if spec.kind == "line":
            node["pattern"] = "^\\s*[^\\n]*\\S[^\\n]*\\n?$"  # one line (a folded value ends in a line break)
        elif spec.kind == "date":
            node.update(pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format="date")
        elif spec.kind == "url":
            node.update(pattern="^[Hh][Tt][Tt][Pp][Ss]://" + _ADDRESS)
        elif spec.kind == "web":
            node.update(pattern="^[Hh][Tt][Tt][Pp][Ss]?://" + _ADDRESS)
        elif spec.kind == "email":
            node["format"] = "email"
    if spec.example:
        node["examples"] = [spec.example]
    return node


def _has(name: str, value: Any) -> dict[str, Any]:
    """An object whose field `name` is there and is `value`."""
    return {"properties": {name: {"const": value}}, "required": [name]}


def _rules(schema: dict[str, Any]) -> None:
    """The rules across fields that JSON Schema can say, added where the hub applies them."""
    properties = schema["properties"]
    led_by = properties["led_by"]
    led_by["oneOf"] = [
        {
            "description": "One or more lead authorities; the regions follow from them.",
            "required": ["authorities"],
            "not": {"anyOf": [{"required": ["organisation"]}, {"required": ["regions"]}]},
        },
        {
            "description": "An organisation, with the authorities that took part or the regions it covered.",
            "required": ["organisation"],
            "not": {"required": ["authorities"]},
            "anyOf": [{"required": ["regions"]}, {"required": ["partners"]}],
        },
    ]
    contact = properties["contact"]
    contact["anyOf"] = [{"required": ["email"]}, {"required": ["url"]}]
    evaluation = properties["evidence"]["properties"]["evaluation"]
    evaluation["allOf"] = [
        {"if": _has("status", "published"), "then": {"required": ["evaluator", "report"]}},
        {
            "if": _has("status", "none"),
            "then": {"not": {"anyOf": [{"required": [name]} for name in ("evaluator", "design", "report")]}},
        },
    ]
    published_evaluation = {"properties": {"evaluation": _has("status", "published")}, "required": ["evaluation"]}
    schema["dependentRequired"] = {"ended": ["started"]}
    schema["allOf"] = [
        {
            "description": "A contact, unless the case study is written from public sources.",
            "if": {"not": _has("provenance", "public-sources")},
            "then": {"required": ["contact"]},
        },
        {
            "description": "'validated' needs a published independent evaluation.",
            "if": {"properties": {"evidence": _has("level", "validated")}, "required": ["evidence"]},
            "then": {"properties": {"evidence": published_evaluation}},
        },
        {
            "description": "'no-evidence-yet' has no measured outcomes and no published evaluation.",
            "if": {"properties": {"evidence": _has("level", "no-evidence-yet")}, "required": ["evidence"]},
            "then": {
                "not": {"anyOf": [{"required": ["outcomes"]}, {"properties": {"evidence": published_evaluation}}]}
            },
        },
    ]


def json_schema(ref: Reference) -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Case study of good practice in children's services",
        **_node(CASE_STUDY, ref),
    }
    _rules(schema)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
