"""`hub new`: start a case study from a title, a lead authority and themes.

The file is rendered from `templates/new.yml.j2`, checked with the same validator as every
other case study before it is written, named from the title, and never overwrites a file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .escape import Md
from .model import Authority, Reference, Theme
from .pipeline import Project
from .problems import HubError, Problem, did_you_mean
from .render import environment
from .schema_json import EDITOR_COMMENT
from .validate import case_study, vocabularies
from .values import Invalid, slug_problem, suggest_slug, text
from .yamlsafe import load_bytes


def find_authority(ref: Reference, name: str) -> Authority:
    """An authority by slug, DfE code or name ("West Berkshire"); Invalid with a hint otherwise."""
    value = name.strip()
    for candidate in (value, value.lower(), suggest_slug(value)):
        found = vocabularies(ref)["authorities"].entries.get(candidate)
        if found is not None:
            return found  # type: ignore[no-any-return]
    raise Invalid(f"'{value}' is not a known local authority; {did_you_mean(suggest_slug(value) or value, ref.authorities, allowed=False) or 'use its slug or DfE code'}")


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
    env = environment()
    env.filters["yaml_comment"] = Md  # our own constant, not contributor text
    return env.get_template("new.yml.j2").render(
        title=title, authority=authority, themes=themes, today=today.isoformat(), editor_comment=EDITOR_COMMENT
    )


def new_case_study(project: Project, ref: Reference, title: str, authority: Authority, themes: list[Theme], today: date, slug: str = "") -> Path:
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
        return Problem(project.shown(path), 0, 0, "already exists; hub never overwrites a file: pass --slug to choose another name")
    return None


def write_new(path: Path, text: str) -> None:
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite, even in a race
        handle.write(text)


