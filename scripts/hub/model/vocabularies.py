"""The controlled vocabularies case studies choose from, in one registry.

A field of the schema names its vocabulary by key (`Field.vocabulary`). Each `Kind` here says
what one value is called in messages, which spellings a file may use, the values hints and
editors offer, the words the field reference uses, and the names the issue form shows. The
validator, the JSON Schema, the field reference and the issue form all read them from here;
the Find practice page is handed its filters by its template (`find.md.j2`), from the same
reference data, so nothing is listed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.model.records import OFSTED_GRADES, Reference
from hub.model.schema import ALL_REGIONS

ALL_OF_ENGLAND = "All of England"  # how the issue form names ALL_REGIONS


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary as the validator uses it, for one set of reference data."""

    noun: str
    entries: dict[str, Any]  # every accepted spelling -> the object it names
    hints: tuple[str, ...]  # spellings offered in "did you mean" and "allowed" hints
    list_allowed: bool = True  # print the whole list when nothing is close


def _none(ref: Reference) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class Kind:
    key: str  # as `Field.vocabulary` names it
    noun: str  # one value, in messages: "theme"
    described: str  # in the field reference, after "each" or ":"
    values: Callable[[Reference], Mapping[str, Any]]  # slug -> the object it names, in order
    other_spellings: Callable[[Reference], Mapping[str, Any]] = _none  # also accepted (DfE codes)
    names: Callable[[Reference], Mapping[str, str]] = _none  # the name shown on the issue form -> slug
    editor_extra: Callable[[Reference], list[Any]] = field(default=lambda ref: [])  # more for the JSON Schema
    list_allowed: bool = True

    def vocabulary(self, ref: Reference) -> Vocabulary:
        values = self.values(ref)
        return Vocabulary(self.noun, {**values, **self.other_spellings(ref)}, tuple(values), self.list_allowed)

    def editor_values(self, ref: Reference) -> list[Any]:
        """What the JSON Schema lets an editor accept without a warning."""
        return [*self.values(ref), *self.editor_extra(ref)]


def _regions(ref: Reference) -> Mapping[str, Any]:
    return {**ref.regions, ALL_REGIONS: ALL_REGIONS}


def _authority_spellings(ref: Reference) -> Mapping[str, Any]:
    return {a.dfe_code: a for a in ref.authorities.values()}


def _authority_editor_extra(ref: Reference) -> list[Any]:
    # By name or DfE code too; an unquoted code reads as a number in YAML 1.2 editors.
    codes = sorted(a.dfe_code for a in ref.authorities.values())
    names = sorted({a.name for a in ref.authorities.values()} - set(ref.authorities))
    return [*names, *codes, *(int(c) for c in codes)]


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "themes",
            "theme",
            "from the themes table",
            lambda ref: ref.themes,
            names=lambda ref: {t.name: t.slug for t in ref.themes.values()},
        ),
        Kind(
            "evidence_levels",
            "evidence level",
            "from the evidence levels table",
            lambda ref: ref.evidence_levels,
            names=lambda ref: {e.name: e.slug for e in ref.evidence_levels.values()},
        ),
        Kind(
            "regions",
            "region",
            "from the regions table",
            _regions,
            names=lambda ref: {**{r.name: r.slug for r in ref.regions.values()}, ALL_OF_ENGLAND: ALL_REGIONS},
        ),
        Kind(
            "ofsted",
            "Ofsted judgement",
            "`outstanding`, `good`, `requires-improvement` or `inadequate`",
            lambda ref: {k: k for k in OFSTED_GRADES},
        ),
        Kind(
            "authorities",
            "local authority",
            "an authority slug or DfE code",
            lambda ref: ref.authorities,
            other_spellings=_authority_spellings,
            editor_extra=_authority_editor_extra,
            list_allowed=False,
        ),
    )
}


def vocabularies(ref: Reference) -> dict[str, Vocabulary]:
    """Every vocabulary, for checking case studies against `ref`."""
    return {key: kind.vocabulary(ref) for key, kind in KINDS.items()}
