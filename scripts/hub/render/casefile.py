"""A case-study file written from values, in the schema's order: what `hub from-issue` saves.

A serialiser, not a template: every value is written by `escape.yaml_value` (one line, JSON
quoting, printable ASCII) or `escape.yaml_block` (a literal block, every line indented), so no
answer typed into the issue form can become YAML syntax, whatever characters it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hub.model.schema import CASE_STUDY, Field
from hub.render.escape import yaml_block, yaml_value


def case_study_file(values: Mapping[str, Any], comments: Sequence[str] = ()) -> str:
    """The file: `comments` (each a line starting '#'), then each field of `values` that the
    schema knows, nested as the schema nests them."""
    lines = [*comments]
    _fields(CASE_STUDY, values, "", lines)
    return "\n".join(lines) + "\n"


def _fields(spec: Field, values: Mapping[str, Any], pad: str, lines: list[str]) -> None:
    for field in spec.fields:
        if field.name in values:
            _field(field, values[field.name], pad, lines)


def _field(field: Field, value: Any, pad: str, lines: list[str]) -> None:
    if field.kind == "mapping":
        lines.append(f"{pad}{field.name}:")
        _fields(field, value, pad + "  ", lines)
    elif field.kind == "list":
        assert field.item is not None
        lines.append(f"{pad}{field.name}:")
        for item in value:
            if field.item.kind == "mapping":
                inner: list[str] = []
                _fields(field.item, item, pad + "    ", inner)
                lines.append(f"{pad}  - {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}  - {yaml_value(item)}")
    elif field.kind == "text":
        lines.append(f"{pad}{field.name}: {yaml_block(value, indent=pad)}")
    else:
        lines.append(f"{pad}{field.name}: {yaml_value(value)}")
