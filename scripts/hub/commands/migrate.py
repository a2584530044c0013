"""`hub migrate`: bring case studies written in the earlier format up to the current one.

Two things changed. A lead authority is now one of `led_by.authorities` (several can lead
together), so `led_by.authority:` becomes `led_by.authorities:`. The `ofsted` list is gone:
an inspection that bears on the work is a source of the kind `inspection`, with its date, so
each of its entries becomes one of `sources`. Everything else in the file stays byte for byte
as it was, comments and layout included; values the migration writes are quoted so YAML reads
back exactly the text. A file that does not load is reported and left alone; page addresses
never change.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hub.core.problems import HubError, Problem
from hub.core.project import Project
from hub.load.yamlsafe import Mapping, Scalar, Sequence, load_file
from hub.model.records import OFSTED_GRADES
from hub.pipeline import collect
from hub.render.escape import yaml_value


def migrate_text(text: str, tree: Mapping) -> str:
    """`text` (the file whose tree is `tree`) in the current format; the same text if it is."""
    lines = text.split("\n")
    led = tree.items.get("led_by")
    if isinstance(led, Mapping) and "authority" in led.keys and "authorities" not in led.keys:
        key = led.keys["authority"]
        line = lines[key.line - 1]
        lines[key.line - 1] = line[: key.col - 1] + "authorities" + line[key.col - 1 + len("authority") :]
    ofsted = tree.items.get("ofsted")
    if isinstance(ofsted, Sequence):
        sources = tree.items.get("sources")
        added = [_as_source(item) for item in ofsted.items if isinstance(item, Mapping)]
        start = tree.keys["ofsted"].line - 1
        end = _block_end(tree, "ofsted", len(lines))
        indent = "  "
        if isinstance(sources, Sequence) and sources.items:  # as the file indents its sources: up to the "-"
            first = sources.items[0]
            indent = lines[first.line - 1][: first.col - 1].rstrip()[:-1]
        new = [f"{indent}{line}" for item in added for line in item]
        if isinstance(sources, Sequence):
            at = _block_end(tree, "sources", len(lines))
            while at > 0 and not lines[at - 1].strip():
                at -= 1  # after the last item, before any blank lines
            lines[at:at] = new
            if at <= start:
                start, end = start + len(new), end + len(new)
        del lines[start:end]
    return "\n".join(lines)


def _block_end(tree: Mapping, name: str, count: int) -> int:
    """The line index after the top-level field `name`'s block: where the next field starts."""
    starts = sorted(key.line - 1 for key in tree.keys.values())
    mine = tree.keys[name].line - 1
    later = [line for line in starts if line > mine]
    return later[0] if later else count - 1  # the text ends in a line break: keep it


def _as_source(item: Mapping) -> list[str]:
    def value(name: str) -> str:
        found = item.items.get(name)
        return found.value.strip() if isinstance(found, Scalar) else ""

    grade = OFSTED_GRADES.get(value("judgement"), value("judgement"))
    note = value("note")
    title = f"Ofsted inspection: {grade}" + (f" ({note})" if note else "")
    lines = [f"- title: {yaml_value(title)}", f"  url: {yaml_value(value('report'))}"]
    if value("date"):
        lines.append(f"  date: {yaml_value(value('date'))}")
    lines.append("  kind: inspection")
    return lines


def migrate(project: Project) -> list[str]:
    """Rewrite every case study that needs it; return their paths. Raise HubError, writing
    nothing, if any case study does not load."""
    files, _ = collect(project)
    problems: list[Problem] = []
    changed: dict[Path, str] = {}
    for _, path in files:
        shown = project.shown(path)
        tree, found = load_file(path, shown)
        if tree is None:
            problems.extend(found)
            continue
        text = path.read_text(encoding="utf-8")
        fresh = migrate_text(text, tree)
        if fresh != text:
            changed[path] = fresh
    if problems:
        raise HubError(problems)
    for path, text in changed.items():
        path.write_text(text, encoding="utf-8")
    return [project.shown(path) for path in changed]


def command(project: Project, args: argparse.Namespace) -> int:
    done = migrate(project)
    for shown in done:
        print(f"Migrated {shown}.")
    print(f"{len(done)} case {'study' if len(done) == 1 else 'studies'} rewritten; run `make check` to check them.")
    return 0
