"""`hub new`: start a case study from a title, a lead authority and themes.

The file is rendered from `templates/new.yml.j2`, checked with the same validator as every
other case study before it is written, named from the title, and never overwrites a file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from hub.core.problems import HubError, Problem, did_you_mean
from hub.core.project import Project
from hub.load.yamlsafe import load_bytes
from hub.model.records import Authority, Reference, Theme
from hub.model.validate import case_study
from hub.model.values import Invalid, slug_problem, suggest_slug, text
from hub.model.vocabularies import vocabularies
from hub.render.escape import Md
from hub.render.json_schema import EDITOR_COMMENT
from hub.render.pages import environment


def find_authority(ref: Reference, name: str) -> Authority:
    """An authority by slug, DfE code or name ("West Berkshire"); Invalid with a hint otherwise."""
    value = name.strip()
    for candidate in (value, value.lower(), suggest_slug(value)):
        found = vocabularies(ref)["authorities"].entries.get(candidate)
        if found is not None:
            return found  # type: ignore[no-any-return]
    raise Invalid(
        f"'{value}' is not a known local authority; "
        f"{did_you_mean(suggest_slug(value) or value, ref.authorities, allowed=False) or 'use its slug or DfE code'}"
    )


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


def render_new(ref: Reference, title: str, authority: Authority, themes: list[Theme], today: date) -> str:
    return (
        environment()
        .get_template("new.yml.j2")
        .render(
            title=title, authority=authority, themes=themes, today=today.isoformat(), editor_comment=Md(EDITOR_COMMENT)
        )
    )


def new_case_study(
    project: Project, ref: Reference, title: str, authority: Authority, themes: list[Theme], today: date, slug: str = ""
) -> Path:
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
    content = render_new(ref, title, authority, themes, today)
    tree, problems = load_bytes(content.encode("utf-8"), shown)
    if tree is not None:
        _, problems = case_study(tree, slug, shown, ref, today)
    if problems:  # a bug in the template, never the user's fault
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


def _ask(question: str, answer: str | None, parse: Callable[[str], T]) -> T:
    """Use the flag's value, or ask at the terminal until the answer is valid."""
    from hub.model.values import Invalid

    if answer is not None:
        try:
            return parse(answer)
        except Invalid as problem:
            raise HubError([Problem(question, 0, 0, str(problem))]) from None
    if not sys.stdin.isatty():
        raise HubError([Problem(question, 0, 0, "is needed: pass it as an option (see hub new --help)")])
    while True:
        try:
            return parse(input(f"{question}: "))
        except Invalid as problem:
            print(f"  {problem}", file=sys.stderr)
        except EOFError:
            raise HubError([Problem(question, 0, 0, "no answer given; nothing was written")]) from None


def command(project: Project, args: argparse.Namespace) -> int:
    from hub.model.reference import load_reference
    from hub.model.values import text

    ref = load_reference(project.reference, project.root)
    title = _ask("Title", args.title, lambda v: text(v, one_line=True, max_length=120))
    authority = _ask("Lead authority (name, slug or DfE code)", args.authority, lambda v: find_authority(ref, v))
    themes = _ask(
        "Themes, separated by commas (" + ", ".join(ref.themes) + ")",
        ",".join(args.theme) if args.theme else None,
        lambda v: find_themes(ref, [t for t in v.split(",") if t.strip()]),
    )
    path = new_case_study(project, ref, title, authority, themes, args.today, slug=args.slug or "")
    print(f"Created {project.shown(path)}. Replace the placeholder text, then run `make check`.")
    return 0
