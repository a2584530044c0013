"""The `hub` command: check, build, serve and import reference data.

A thin layer over `pipeline`: it parses arguments, runs the steps, and prints problems as
`path:line:col: message` lines with a count. Expected failures exit 1 with no traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from . import pipeline
from .problems import HubError, summary_line


def _root() -> Path:
    """The project folder: the nearest folder upwards holding mkdocs.yml and practice/."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "practice").is_dir():
            return folder
    return here


def _report(error: HubError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    files = len({p.path for p in error.problems})
    print(summary_line(len(error.problems), files), file=sys.stderr)
    return 1


def cmd_check(project: pipeline.Project, args: argparse.Namespace) -> int:
    hub, files = pipeline.check(project, args.today)
    print(f"Checked {files} case {'study' if files == 1 else 'studies'} and the reference data: no problems.")
    return 0


def cmd_generate(project: pipeline.Project, args: argparse.Namespace) -> int:
    hub, report = pipeline.generate(project, args.today)
    print(f"Generated pages for {len(hub.studies)} case studies: {report.written} written, {report.unchanged} unchanged, {report.removed} removed.")
    return 0


def cmd_build(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .site import build_site

    started = time.perf_counter()
    cmd_generate(project, args)
    build_site(project.config, project.site)
    print(f"Built the site into site/ in {time.perf_counter() - started:.1f} s.")
    return 0


def cmd_serve(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(project, args.today, args.dev_addr)


def cmd_import_authorities(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .importers import import_authorities

    source = Path(args.source).resolve()
    rows = import_authorities(project.root, source, args.source, args.today)
    print(f"Wrote practice/reference/authorities.yml: {len(rows)} authorities from {args.source}.")
    return 0


def cmd_fields(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .reference import load_reference
    from .schema_docs import update

    current = update(project.root / "CONTRIBUTING.md", load_reference(project.reference, project.root), check_only=args.check)
    if args.check and not current:
        print("CONTRIBUTING.md: the field reference is out of date; run `hub fields`", file=sys.stderr)
        return 1
    print("CONTRIBUTING.md: the field reference is up to date." if current else "CONTRIBUTING.md: field reference rewritten.")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hub", description="Build the children's services practice hub.")
    top.add_argument("--today", type=date.fromisoformat, default=date.today(), help=argparse.SUPPRESS)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("check", help="validate every case study and the reference data").set_defaults(run=cmd_check)
    sub.add_parser("generate", help="validate, then write the generated pages into docs/").set_defaults(run=cmd_generate)
    sub.add_parser("build", help="validate, generate, and build the site into site/ (strict)").set_defaults(run=cmd_build)
    serve = sub.add_parser("serve", help="preview the site, rebuilding pages when practice/ changes")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)
    fields = sub.add_parser("fields", help="rewrite the field reference in CONTRIBUTING.md from the schema")
    fields.add_argument("--check", action="store_true", help="only report whether it is up to date")
    fields.set_defaults(run=cmd_fields)
    imp = sub.add_parser("import-authorities", help="rebuild practice/reference/authorities.yml from DfE's las.csv")
    imp.add_argument("--source", default="../shared/reference/dfe-las.csv", help="path to DfE's las.csv")
    imp.set_defaults(run=cmd_import_authorities)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = pipeline.Project(_root())
    try:
        return int(args.run(project, args))
    except HubError as error:
        return _report(error)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
