"""Step 5 of the pipeline: render every generated page from Jinja templates. Pure.

`render_site(catalogue)` returns `{path relative to docs/: Markdown text}`. Markup lives only in the
templates under `templates/`. The environment is strict twice over: an undefined name is an
error (`StrictUndefined`), and every `{{ … }}` must produce a number or `Md` — text that went
through one of the escaping filters below — so contributor text cannot reach Markdown raw.
Links between pages are relative `.md` paths computed from each model's `page` property.
"""

from __future__ import annotations

import functools
import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from hub.model.catalogue import Catalogue
from hub.model.records import CaseStudy
from hub.render import escape
from hub.render.escape import Md
from hub.render.opendata import FEED_ENTRIES


def _finalize(value: Any) -> Any:
    if isinstance(value, (Md, int)) and not isinstance(value, bool):
        return value
    raise TypeError(f"template output {value!r} must go through a filter (text, paragraphs, link, url, day)")


@functools.lru_cache(maxsize=4096)
def _relative(here: str, target: str) -> str:
    # Pages sit in a handful of folders, so the same few answers are asked for thousands of times.
    return posixpath.relpath(target, here or ".")


@jinja2.pass_context
def _link(context: Any, target: str) -> Md:
    """Relative path from the page being rendered to `target` (both relative to docs/)."""
    here = context["page_folder"]
    folder, _, name = target.rpartition("/")
    if not folder:
        return Md(_relative(here, target))
    up = _relative(here, folder)
    return Md(name if up == "." else f"{up}/{name}")


def _address(page: str) -> str:
    """The address MkDocs gives docs page `page` (directory URLs): "themes/x.md" -> "themes/x/"."""
    stem = page.removesuffix(".md")
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"


@jinja2.pass_context
def _href(context: Any, target: str) -> Md:
    """For links in the hub's own HTML blocks, where MkDocs does not turn `.md` paths into
    addresses: the address of docs page `target` ("themes/x.md#south-east") relative to the
    address of the page being rendered, HTML-escaped for an attribute. The site tests check
    every such link resolves."""
    page, _, fragment = target.partition("#")
    here, there = _address(context["page_path"]), _address(page)
    relative = posixpath.relpath(there or ".", here or ".") + "/"  # "./" for the page itself
    return Md(html.escape(relative + (f"#{fragment}" if fragment else ""), quote=True))


@jinja2.pass_context
def _find(context: Any, value: str | list[str], group: str) -> Md:
    """A link to the Find practice page with filters ticked: `theme.name|find("theme")`, or a
    list of values of one group (the page combines them with OR)."""
    values = [value] if isinstance(value, str) else value
    return Md(_link(context, "find.md") + "?" + urlencode([(group, v) for v in values], quote_via=quote))


def _day(value: date) -> Md:
    return Md(f"{value.day} {value:%B %Y}")


BRIEF = 160  # characters: what search engines and link previews show of a description


def _brief(value: str) -> str:
    """Plain text for a page description: one line, cut at a word before BRIEF characters."""
    text = " ".join(value.split())
    if len(text) <= BRIEF:
        return text
    cut = text[: BRIEF - 1].rsplit(" ", 1)[0].rstrip(",;:—-– ")
    return cut + "…"


def _plural(count: int, singular: str, plural: str = "") -> Md:
    return Md(f"{count} {singular if count == 1 else (plural or singular + 's')}")


@jinja2.pass_context
def _study_item_unset(context: Any, study: CaseStudy) -> Md:
    raise RuntimeError("the study_item filter needs a Renderer")  # compiled code looks filters up when it runs


def environment() -> jinja2.Environment:
    """The template environment, with every filter; `Renderer` sets `study_item`, the line
    listing a case study, which needs the hub."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hub.render", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: escaping is the explicit filters' job
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a run: no stat() per include
    )
    env.filters.update(
        text=escape.inline,
        paragraphs=escape.paragraphs,
        url=escape.url,
        link=_link,
        href=_href,
        html=escape.html_text,
        find=_find,
        day=_day,
        plural=_plural,
        brief=_brief,
        yaml=escape.yaml_value,
        block=escape.yaml_block,
        code=escape.code,
        attribute=escape.attribute,
        study_item=_study_item_unset,
    )
    return env


def load_pages(env: jinja2.Environment) -> None:
    """Compile and load every page template (and the parts they include) into `env`, once:
    processes forked afterwards to render share them."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".md.j2")):
        env.get_template(name)


@dataclass(frozen=True)
class Job:
    """One page to render: its template, its path under docs/, and what the template needs
    besides the hub."""

    template: str
    path: str
    context: dict[str, Any] = field(default_factory=dict)


def jobs(catalogue: Catalogue, guide: str = "") -> list[Job]:
    """Every generated page, as jobs, the pages that list many case studies first (when they
    are shared between processes, the work then ends evenly, on small pages). `guide` is
    CONTRIBUTING.md, published as the Contribute page."""
    found = [
        Job("home.md.j2", "index.md"),
        Job("coverage.md.j2", "coverage.md"),
        Job("find.md.j2", "find.md"),
        Job("data.md.j2", "data/index.md", {"feed_entries": FEED_ENTRIES}),
        Job("contribute.md.j2", "contribute.md", {"guide": Md(guide)}),  # the project's own guide, not contributor text
        Job("practice-index.md.j2", "practice/index.md"),
        Job("authorities-index.md.j2", "authorities/index.md"),
        Job("themes-index.md.j2", "themes/index.md"),
        Job("regions-index.md.j2", "regions/index.md"),
    ]
    found.extend(Job("theme.md.j2", t.page, {"theme": t}) for t in catalogue.ref.themes.values())
    found.extend(Job("region.md.j2", r.page, {"region": r}) for r in catalogue.ref.regions.values())
    found.extend(Job("authority.md.j2", a.page, {"authority": a}) for a in catalogue.ref.authorities.values())
    for study in catalogue.studies:
        found.append(Job("case-study.md.j2", study.page, {"study": study}))
        # Old addresses of renamed case studies keep working.
        found.extend(Job("redirect.md.j2", study.alias_page(alias), {"study": study}) for alias in study.aliases)
    return found


_LINK_HERE = "\x00"


class Renderer:
    """Renders jobs for one hub, with one template environment (build one per process); `env`,
    when given, is an `environment()` this renderer may take over."""

    def __init__(self, catalogue: Catalogue, env: jinja2.Environment | None = None) -> None:
        self.catalogue = catalogue
        self.env = env or environment()
        # A case study's line in a list reads the same on every page but for its relative link,
        # and lists repeat each case study on many pages: render the line once, with a stand-in
        # for the link, and put in the link for each folder (once per folder). The stand-in is
        # a NUL character, which no text can hold: the loader refuses control characters.
        item = self.env.get_template("_study_item.md.j2")
        lines: dict[str, str] = {}
        items: dict[tuple[str, str], Md] = {}

        @jinja2.pass_context
        def study_item(context: Any, study: CaseStudy) -> Md:
            key = (study.slug, context["page_folder"])
            found = items.get(key)
            if found is None:
                line = lines.get(study.slug)
                if line is None:
                    line = item.render(
                        catalogue=catalogue, ref=catalogue.ref, study=study, study_link=Md(_LINK_HERE)
                    ).rstrip("\n")
                    assert line.count(_LINK_HERE) == 1, f"{study.source}: a list line must hold its link once"
                    lines[study.slug] = line
                found = items[key] = Md(line.replace(_LINK_HERE, _link(context, study.page)))
            return found

        self.env.filters["study_item"] = study_item

    def render(self, job: Job) -> str:
        # Links are relative to the page's folder (under docs/), which the filters read from here.
        return self.env.get_template(job.template).render(
            catalogue=self.catalogue,
            ref=self.catalogue.ref,
            page_folder=posixpath.dirname(job.path),
            page_path=job.path,
            **job.context,
        )


def render_site(catalogue: Catalogue, guide: str = "", tick: Callable[[], None] | None = None) -> dict[str, str]:
    """Every generated page, `{path under docs/: Markdown}`, in one process; `tick`, when given,
    is called after each page. (`hub build` shares the same jobs between processes.)"""
    renderer = Renderer(catalogue)
    pages: dict[str, str] = {}
    for job in jobs(catalogue, guide):
        pages[job.path] = renderer.render(job)
        if tick is not None:
            tick()
    return dict(sorted(pages.items()))
