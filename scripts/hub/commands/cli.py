"""The `hub` command line: its parser, and `main`, which runs one command.

Each command's body is a function in its own module of `hub.commands`, imported only when that
command runs, so `hub check` does not load MkDocs. Problems are printed as
`path:line:col: message` lines with a count; expected failures exit 1 with no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from datetime import date
from pathlib import Path

from hub.core import lock, workers
from hub.core.problems import HubError, summary_line
from hub.core.project import Project


def _root() -> Path:
    """The project folder: the nearest folder upwards holding mkdocs.yml and practice/."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "practice").is_dir():
            return folder
    return here


def _report(error: HubError, style: str) -> int:
    for problem in error.problems:
        print(problem.github() if style == "github" else problem, file=sys.stderr)
    files = len({p.path for p in error.problems})
    print(summary_line(len(error.problems), files), file=sys.stderr)
    return 1


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return number


def _days(text: str) -> int:
    """An argparse type: a number of days from 0 to 36,500 (a hundred years)."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 36_500:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of days from 0 to 36500")
    return number


WRITERS = frozenset({"generate", "build", "serve"})  # commands that write docs/ or site/: one at a time
ENGINES = ("mkdocs", "zensical")  # site generators `hub build --engine` accepts


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hub", description="Build the children's services practice hub.")
    top.add_argument("--today", type=date.fromisoformat, default=date.today(), help=argparse.SUPPRESS)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="how to print problems: text (path:line:col: message) or github (annotations in a pull request)",
    )
    check = sub.add_parser("check", parents=[output], help="validate every case study and the reference data")
    check.add_argument(
        "--against",
        metavar="REF",
        help="also fail if a case study present at git revision REF (e.g. origin/main) has lost its page without "
        "an alias",
    )
    check.set_defaults(run="check:check")
    sub.add_parser(
        "generate", parents=[output], help="validate, then write the generated pages into docs/"
    ).set_defaults(run="build:generate")
    build = sub.add_parser("build", parents=[output], help="validate, generate, and build the site into site/ (strict)")
    build.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="the site generator: mkdocs (MkDocs + Material, the default) or zensical (Material's successor, "
        "pinned in requirements-dev.txt)",
    )
    build.add_argument(
        "--jobs",
        type=_positive,
        default=0,
        metavar="N",
        help="MkDocs processes to render pages in (default: one per core for big sites; the output is the same)",
    )
    build.set_defaults(run="build:build")
    serve = sub.add_parser("serve", help="preview the site, rebuilding pages when practice/ changes")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    serve.set_defaults(run="serve:command")
    review = sub.add_parser("review", help="list case studies past or near their review date, with their contacts")
    review.add_argument(
        "--within",
        type=_days,
        default=90,
        metavar="DAYS",
        help="also list those due within this many days (default 90)",
    )
    review.add_argument("--all", action="store_true", help="list every case study by review date")
    review.set_defaults(run="check:review")
    bench = sub.add_parser(
        "bench", help="build N synthetic case studies in a temporary copy and measure speed and size"
    )
    bench.add_argument(
        "--count", type=_positive, default=1000, metavar="N", help="how many synthetic case studies (default 1000)"
    )
    bench.add_argument("--json", action="store_true", help="print the results as a JSON object")
    bench.add_argument(
        "--no-naive", action="store_true", help="skip the naive configuration (every page in the nav, Material search)"
    )
    bench.add_argument("--no-browser", action="store_true", help="skip measuring search in headless Chromium")
    bench.set_defaults(run="bench:command")
    lighthouse = sub.add_parser(
        "lighthouse",
        help="Lighthouse's scores on a phone for one page of every kind of the built site (make lighthouse)",
    )
    lighthouse.add_argument(
        "--runs", type=_positive, default=3, metavar="N", help="runs per page; the median is shown (default 3)"
    )
    lighthouse.add_argument(
        "--page", action="append", metavar="KIND", help="only this kind of page, e.g. 'find practice' (repeatable)"
    )
    lighthouse.add_argument("--json", action="store_true", help="print the results as a JSON object")
    lighthouse.set_defaults(run="lighthouse:command")
    new = sub.add_parser("new", help="start a new case study (asks for what it needs, or takes options)")
    new.add_argument("--title", help="the case study's title; the file is named from it")
    new.add_argument(
        "--authority", action="append", help="a lead authority: name, slug or DfE code (repeat when several led it)"
    )
    new.add_argument(
        "--organisation", help="for work led by an organisation (a charity, programme, alliance): its name"
    )
    new.add_argument("--region", action="append", help="with --organisation: a region it covered, or england")
    new.add_argument("--partner", action="append", help="another authority that took part (repeat for several)")
    new.add_argument("--theme", action="append", help="a theme (repeat for up to four)")
    new.add_argument("--started", help="when the work started: YYYY or YYYY-MM")
    new.add_argument("--ended", help="when it ended, if it has: YYYY or YYYY-MM")
    new.add_argument(
        "--public-sources", action="store_true", help="written from public sources, not by the authority: no contact"
    )
    new.add_argument("--slug", help="the file name, if not the one made from the title")
    new.set_defaults(run="new:command")
    issue = sub.add_parser("from-issue", help="turn a submitted case-study issue form into practice/<slug>.yml")
    issue.add_argument(
        "issue", help="a file holding the issue's text (the form answers), or - to read it from standard input"
    )
    issue.add_argument("--slug", help="the file name, if not the one made from the title")
    issue.set_defaults(run="from_issue:command")
    sub.add_parser(
        "migrate", help="rewrite case studies in the earlier format (led_by.authority, ofsted) in the current one"
    ).set_defaults(run="migrate:command")
    schema = sub.add_parser(
        "schema",
        help="rewrite the JSON Schema, the field reference in CONTRIBUTING.md and the case-study issue form from "
        "the schema",
    )
    schema.add_argument("--check", action="store_true", help="only report whether they are up to date")
    schema.set_defaults(run="schema:schema")
    imp = sub.add_parser("import-authorities", help="rebuild practice/reference/authorities.yml from DfE's las.csv")
    imp.add_argument(
        "--source", help="path to DfE's las.csv (default: ../shared/reference/dfe-las.csv beside the project)"
    )
    imp.set_defaults(run="import_data:authorities")
    ofsted = sub.add_parser(
        "import-ofsted", help="rebuild the Ofsted snapshot and statistical neighbours from the ILACS overview CSV"
    )
    ofsted.add_argument(
        "--source", help="path to the CSV (default: ../shared/reference/ofsted-ilacs-overview.csv beside the project)"
    )
    ofsted.add_argument(
        "--as-at", required=True, help="when the snapshot was taken, as readers should see it, e.g. 'June 2026'"
    )
    ofsted.set_defaults(run="import_data:ofsted")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = Project(_root())
    module, _, function = args.run.partition(":")
    run = getattr(importlib.import_module(f"hub.commands.{module}"), function)
    try:
        if args.command in WRITERS:
            with lock.held(project.root, args.command):
                return int(run(project, args))
        return int(run(project, args))
    except HubError as error:
        return _report(error, getattr(args, "format", "text"))
    except OSError as error:  # a full disk, a permission problem: say what and where, no traceback
        where = f"{error.filename}: " if error.filename else ""
        print(f"{where}{error.strerror or error}; nothing more was written.", file=sys.stderr)
        return 1
    except workers.WorkerLost as error:
        print(f"hub: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
