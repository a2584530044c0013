"""`hub new`: start a case study, of any shape, from a few answers.

Who did the work decides its shape: one lead authority, several leading together, or an
organisation (with the authorities taking part, or the regions it covered); with partners;
written by the authority or from public sources. The answers come as options, or by asking at
the terminal, where an empty answer (or end of input) leaves without writing anything. The file
is rendered from `templates/new.yml.j2`, checked with the same validator as every other case
study before it is written, named from the title, and never overwrites a file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from hub.core.problems import HubError, Problem, did_you_mean
from hub.core.project import Project
from hub.load.yamlsafe import load_bytes
from hub.model.records import Authority, Period, Reference, Region, Theme
from hub.model.schema import ALL_REGIONS
from hub.model.validate import case_study
from hub.model.values import Invalid, period, slug_problem, suggest_slug, text
from hub.model.vocabularies import vocabularies
from hub.render.escape import Md
from hub.render.json_schema import EDITOR_COMMENT
from hub.render.pages import environment


@dataclass(frozen=True)
class Shape:
    """Who did the work, and how the case study was written."""

    leads: tuple[Authority, ...] = ()
    organisation: str = ""
    regions: tuple[Region | str, ...] = ()  # for organisation-led work whose authorities are not named
    partners: tuple[Authority, ...] = ()
    started: Period | None = None
    ended: Period | None = None
    public_sources: bool = False
    themes: tuple[Theme, ...] = field(default=())


def find_authority(ref: Reference, name: str) -> Authority:
    """An authority by slug, DfE code or name as a council writes it ("Leeds City Council"), or a
    former one ("cumbria"); Invalid with a hint otherwise."""
    return vocabularies(ref)["authorities"].resolve(name.strip())  # type: ignore[no-any-return]


def find_authorities(ref: Reference, names: str) -> tuple[Authority, ...]:
    """Authorities separated by commas; at least one."""
    found = tuple(dict.fromkeys(find_authority(ref, name) for name in names.split(",") if name.strip()))
    if not found:
        raise Invalid("name at least one authority")
    return found


def find_regions(ref: Reference, names: str) -> tuple[Region | str, ...]:
    """Regions separated by commas, or 'england' for all nine."""
    found = tuple(vocabularies(ref)["regions"].resolve(name.strip()) for name in names.split(",") if name.strip())
    if not found:
        raise Invalid(f"name at least one region, or '{ALL_REGIONS}' for all nine")
    return found


def find_period(value: str) -> Period:
    return Period(*period(value, days=False))


def find_themes(ref: Reference, names: list[str]) -> list[Theme]:
    themes: list[Theme] = []
    for name in names:
        value = name.strip()
        theme = ref.themes.get(value) or ref.themes.get(suggest_slug(value))
        if theme is None:
            theme = next((t for t in ref.themes.values() if t.name.lower() == value.lower()), None)
        if theme is None:
            raise Invalid(f"'{value}' is not a theme; {did_you_mean(suggest_slug(value), ref.themes)}")
        if theme not in themes:
            themes.append(theme)
    if not 1 <= len(themes) <= 4:
        raise Invalid("give one to four themes")
    return themes


def render_new(ref: Reference, title: str, shape: Shape, today: date) -> str:
    return (
        environment()
        .get_template("new.yml.j2")
        .render(
            title=title,
            shape=shape,
            all_regions=ALL_REGIONS,
            today=today.isoformat(),
            editor_comment=Md(EDITOR_COMMENT),
        )
    )


def new_case_study(project: Project, ref: Reference, title: str, shape: Shape, today: date, slug: str = "") -> Path:
    """Write practice/<slug>.yml; raise HubError (writing nothing) if it exists or would be invalid."""
    try:
        title = text(title, one_line=True, max_length=120)
    except Invalid as problem:
        raise HubError([Problem("title", 0, 0, f"the title {problem}")]) from None
    slug = slug or suggest_slug(title)
    path = project.practice / f"{slug}.yml"
    shown = project.shown(path)
    taken = place_problem(project, slug, shown)
    if taken:
        raise HubError([taken])
    content = render_new(ref, title, shape, today)
    tree, problems = load_bytes(content.encode("utf-8"), shown)
    if tree is not None:
        _, problems = case_study(tree, slug, shown, ref, today, drafting=True)
    if problems:  # what the answers make together is refused (a region no partner is in): say why
        raise HubError(problems)
    write_new(path, content)
    return path


def place_problem(project: Project, slug: str, shown: str) -> Problem | None:
    """Why practice/<slug>.yml cannot be a new case study (a bad name, a file already there), or None.
    `shown` names the source of the problem in the message."""
    why = slug_problem(slug) if slug else "the title gives no file name (it has no letters a-z or digits); pass --slug"
    if why:
        return Problem(shown, 0, 0, why)
    path = project.practice / f"{slug}.yml"
    if path.exists() or path.is_symlink():
        return Problem(
            project.shown(path), 0, 0, "already exists; hub never overwrites a file: pass --slug to choose another name"
        )
    return None


def write_new(path: Path, text: str) -> None:
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite, even in a race
        handle.write(text)


T = TypeVar("T")


def _ask(question: str, answer: str | None, parse: Callable[[str], T], *, optional: bool = False) -> T | None:
    """Use the option's value, or ask at the terminal until the answer is valid. An empty
    answer skips an optional question and leaves, writing nothing, at any other."""
    if answer is not None:
        try:
            return parse(answer)
        except Invalid as problem:
            raise HubError([Problem(question, 0, 0, str(problem))]) from None
    if not sys.stdin.isatty():
        if optional:
            return None
        raise HubError([Problem(question, 0, 0, "is needed: pass it as an option (see hub new --help)")])
    while True:
        try:
            typed = input(f"{question}{' (optional: Enter to skip)' if optional else ' (Enter to stop)'}: ")
        except EOFError:
            typed = ""
        if not typed.strip():
            if optional:
                return None
            raise HubError([Problem(question, 0, 0, "no answer given; nothing was written")])
        try:
            return parse(typed)
        except Invalid as problem:
            print(f"  {problem}", file=sys.stderr)


def command(project: Project, args: argparse.Namespace) -> int:
    from hub.model.reference import load_reference

    ref = load_reference(project.reference, project.root)
    title = _ask("Title", args.title, lambda v: text(v, one_line=True, max_length=120))
    assert title is not None
    organisation = args.organisation
    leads: tuple[Authority, ...] = ()
    if organisation is None:
        given = ",".join(args.authority) if args.authority else None
        who = _ask(
            "Who led it: the lead authority, or several separated by commas (names, slugs or DfE codes), or "
            "'organisation: NAME' for work led by a charity, programme or alliance",
            given,
            lambda v: v if v.strip().lower().startswith("organisation:") else find_authorities(ref, v),
        )
        if isinstance(who, str):
            organisation = who.split(":", 1)[1].strip()
        else:
            leads = who or ()
    partners = (
        _ask(
            "Other authorities that took part, separated by commas",
            ",".join(args.partner) if args.partner else None,
            lambda v: find_authorities(ref, v),
            optional=True,
        )
        or ()
    )
    regions: tuple[Region | str, ...] = ()
    if organisation:  # the regions follow from the authorities taking part, when they are named
        regions = (
            _ask(
                f"The regions the work covered, separated by commas ('{ALL_REGIONS}' for all nine)",
                ",".join(args.region) if args.region else None,
                lambda v: find_regions(ref, v),
                optional=bool(partners),
            )
            or ()
        )
    themes = _ask(
        "Themes, separated by commas (" + ", ".join(ref.themes) + ")",
        ",".join(args.theme) if args.theme else None,
        lambda v: find_themes(ref, [t for t in v.split(",") if t.strip()]),
    )
    started = _ask("When the work started (YYYY or YYYY-MM)", args.started, find_period, optional=True)
    ended = (
        _ask("When it ended, if it has (YYYY or YYYY-MM)", args.ended, find_period, optional=True) if started else None
    )
    shape = Shape(
        tuple(leads),
        organisation or "",
        tuple(regions),
        tuple(partners),
        started,
        ended,
        args.public_sources,
        tuple(themes or ()),
    )
    path = new_case_study(project, ref, title, shape, args.today, slug=args.slug or "")
    print(f"Created {project.shown(path)}. Replace the placeholder text, then run `make check`.")
    return 0
