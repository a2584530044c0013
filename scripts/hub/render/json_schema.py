"""The JSON Schema for case-study files, derived from `schema.CASE_STUDY` and the vocabularies.

Editors that speak the YAML language server validate and autocomplete case studies as people
type, through the `# yaml-language-server: $schema=...` comment at the top of each file. The
hub's own validator stays the authority (it also checks rules that span fields, such as who
led the work); this schema catches most mistakes earlier.
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


def _enum(ref: Reference, vocabulary: str) -> list[Any]:
    return KINDS[vocabulary].editor_values(ref)


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
        node.update(type="array", items=_node(spec.item, ref))
        if spec.min_items:
            node["minItems"] = spec.min_items
        if spec.max_items:
            node["maxItems"] = spec.max_items
        if spec.item.kind == "choice":
            node["uniqueItems"] = True
    elif spec.kind == "choice":
        node["enum"] = _enum(ref, spec.vocabulary)
    else:
        node.update(type="string", minLength=1)
        if spec.max_length:
            node["maxLength"] = spec.max_length
        if spec.kind == "line":
            node["pattern"] = "^[^\\n]*$"
        elif spec.kind == "date":
            node.update(pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format="date")
        elif spec.kind == "url":
            node.update(pattern="^https://[^\\s<>\"'`\\\\{}|^]+$", format="uri")
        elif spec.kind == "email":
            node["format"] = "email"
    if spec.example:
        node["examples"] = [spec.example]
    return node


def json_schema(ref: Reference) -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Case study of good practice in children's services",
        **_node(CASE_STUDY, ref),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
