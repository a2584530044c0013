"""The controlled vocabularies case studies choose from, in one registry.

A field of the schema names its vocabulary by key (`Field.vocabulary`). Each `Kind` here says
what one value is called in messages, which spellings a file may use, the values hints and
editors offer, the words the field reference uses, and the names the issue form shows. The
validator, the JSON Schema, the field reference and the issue form all read them from here;
the Find practice page is handed its filters by its template (`find.md.j2`), from the same
reference data, so nothing is listed twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.core.problems import did_you_mean
from hub.model.records import (
    EVALUATION_DESIGNS,
    EVALUATION_STATUSES,
    PARTNER_KINDS,
    PROVENANCES,
    SOURCE_KINDS,
    Reference,
)
from hub.model.schema import ALL_REGIONS
from hub.model.values import Invalid, suggest_slug

ALL_OF_ENGLAND = "All of England"  # how the issue form names ALL_REGIONS


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary as the validator uses it, for one set of reference data."""

    noun: str
    entries: dict[str, Any]  # every accepted spelling -> the object it names
    hints: tuple[str, ...]  # spellings offered in "did you mean" and "allowed" hints
    list_allowed: bool = True  # print the whole list when nothing is close
    key: Callable[[str], str] = field(default=lambda value: value)  # a spelling as `entries` may hold it

    def find(self, value: str) -> Any:
        """What `value` names, as a file must write it: a slug (for an authority also its name as
        the hub writes it, or its DfE code), exactly, as the JSON Schema lets an editor accept;
        or raise Invalid with a hint. A spelling that only resolves ("Child protection", "Leeds
        City Council") is refused with the value to write instead."""
        found = self.entries.get(value)
        if found is not None:
            return found
        near = self.resolve_or_none(value)
        if near is not None:
            hint = f"did you mean '{self._slug_of(near)}'?"
        else:
            hint = did_you_mean(self.key(value) or value, self.hints, allowed=self.list_allowed)
        raise Invalid(f"'{value}' is not a known {self.noun}" + (f"; {hint}" if hint else ""))

    def resolve(self, value: str) -> Any:
        """What `value` names, however a person types it (for answers typed at a terminal or into
        the issue form, which the hub then writes as the slug); Invalid with a hint otherwise."""
        found = self.resolve_or_none(value)
        return found if found is not None else self.find(value)

    def resolve_or_none(self, value: str) -> Any:
        for spelling in (value, value.strip(), value.lower().strip(), suggest_slug(value), self.key(value)):
            found = self.entries.get(spelling)
            if found is not None:
                return found
        return None

    def _slug_of(self, found: Any) -> str:
        return str(getattr(found, "slug", found))


def _none(ref: Reference) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class Kind:
    key: str  # as `Field.vocabulary` names it
    noun: str  # one value, in messages: "theme"
    described: str  # in the field reference, after "each" or ":"
    values: Callable[[Reference], Mapping[str, Any]]  # slug -> the object it names, in order
    other_spellings: Callable[[Reference], Mapping[str, Any]] = _none  # also accepted (DfE codes, names)
    names: Callable[[Reference], Mapping[str, str]] = _none  # the name shown on the issue form -> slug
    editor_extra: Callable[[Reference], list[Any]] = field(default=lambda ref: [])  # more for the JSON Schema
    list_allowed: bool = True
    spelling: Callable[[Reference], Callable[[str], str]] = field(default=lambda ref: lambda value: value)

    def vocabulary(self, ref: Reference) -> Vocabulary:
        values = self.values(ref)
        entries = {**values, **self.other_spellings(ref)}
        return Vocabulary(self.noun, entries, tuple(values), self.list_allowed, self.spelling(ref))

    def editor_values(self, ref: Reference) -> list[Any]:
        """What the JSON Schema lets an editor accept without a warning."""
        return [*self.values(ref), *self.editor_extra(ref)]


def _listed(table: Mapping[str, str]) -> str:
    """The values of a vocabulary the code defines, as the field reference lists them."""
    slugs = [f"`{slug}`" for slug in table]
    return ", ".join(slugs[:-1]) + " or " + slugs[-1]


def _fixed(table: Mapping[str, str]) -> Callable[[Reference], Mapping[str, Any]]:
    """A vocabulary the code defines (it has no reference file): each slug stands for itself."""
    return lambda ref: {slug: slug for slug in table}


def _named(table: Mapping[str, str]) -> Callable[[Reference], Mapping[str, str]]:
    """The issue form's choices for a vocabulary the code defines: its labels, capitalised."""
    return lambda ref: {label[:1].upper() + label[1:]: slug for slug, label in table.items()}


def _regions(ref: Reference) -> Mapping[str, Any]:
    return {**ref.regions, ALL_REGIONS: ALL_REGIONS}


# Words councils put around their names ("Leeds City Council", "London Borough of Hackney",
# "City of York"), which authority slugs leave out.
_COUNCIL_WORDS = re.compile(
    r"\b(?:london borough of|royal borough of|metropolitan borough of|borough of|city and county of|city of|"
    r"county of|metropolitan borough council|borough council|city council|county council|district council|"
    r"council|the)\b"
)
# Names in everyday use that are not the start of the official one.
_SHORT_NAMES = {
    "hull": "kingston-upon-hull",
    "brighton": "brighton-and-hove",
    "stoke": "stoke-on-trent",
    "southend": "southend-on-sea",
    "durham": "county-durham",
    "bcp": "bournemouth-christchurch-and-poole",
}


def authority_spelling(ref: Reference) -> Callable[[str], str]:
    """A council's name as it writes it, as the slug it stands for: "Leeds City Council" ->
    "leeds", "City of York" -> "york", "East Cheshire" -> "cheshire-east" (the words, in any
    order, of one authority's slug), "Hull" -> "kingston-upon-hull"."""
    any_order: dict[frozenset[str], str] = {}
    for slug in (*ref.authorities, *ref.former):
        any_order.setdefault(frozenset(slug.split("-")), slug)

    def spelling(value: str) -> str:
        slug = suggest_slug(_COUNCIL_WORDS.sub(" ", value.lower()))
        return _SHORT_NAMES.get(slug) or any_order.get(frozenset(slug.split("-")), slug)

    return spelling


def _authorities(ref: Reference) -> Mapping[str, Any]:
    """The authorities of today, then those that no longer exist (named by their slugs)."""
    return {**ref.authorities, **ref.former}


def _authority_spellings(ref: Reference) -> Mapping[str, Any]:
    found: dict[str, Any] = {}
    for authority in (*ref.authorities.values(), *ref.former.values()):
        found.setdefault(authority.dfe_code, authority)
        found.setdefault(authority.name, authority)
    return found


def _authority_editor_extra(ref: Reference) -> list[Any]:
    # By name or DfE code too; an unquoted code reads as a number in YAML 1.2 editors.
    every = (*ref.authorities.values(), *ref.former.values())
    codes = sorted({a.dfe_code for a in every})
    names = sorted({a.name for a in every} - set(ref.authorities) - set(ref.former))  # as `find` accepts them
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
            "authorities",
            "local authority",
            "an authority's slug, name or DfE code",
            _authorities,
            other_spellings=_authority_spellings,
            editor_extra=_authority_editor_extra,
            list_allowed=False,
            spelling=authority_spelling,
        ),
        Kind(
            "programmes",
            "funding programme",
            "from the funding programmes table",
            lambda ref: ref.programmes,
            names=lambda ref: {p.name: p.slug for p in ref.programmes.values()},
        ),
        Kind("source_kinds", "kind of source", _listed(SOURCE_KINDS), _fixed(SOURCE_KINDS), names=_named(SOURCE_KINDS)),
        Kind(
            "evaluation_statuses",
            "evaluation status",
            _listed(EVALUATION_STATUSES),
            _fixed(EVALUATION_STATUSES),
            names=_named(EVALUATION_STATUSES),
        ),
        Kind(
            "evaluation_designs",
            "evaluation design",
            _listed(EVALUATION_DESIGNS),
            _fixed(EVALUATION_DESIGNS),
            names=_named(EVALUATION_DESIGNS),
        ),
        Kind(
            "partner_kinds",
            "kind of organisation",
            _listed(PARTNER_KINDS),
            _fixed(PARTNER_KINDS),
            names=_named(PARTNER_KINDS),
        ),
        Kind("provenances", "provenance", _listed(PROVENANCES), _fixed(PROVENANCES), names=_named(PROVENANCES)),
    )
}


def vocabularies(ref: Reference) -> dict[str, Vocabulary]:
    """Every vocabulary, for checking case studies against `ref`."""
    return {key: kind.vocabulary(ref) for key, kind in KINDS.items()}
