"""The `hub` command: check, build, serve and import reference data.

A thin layer over `pipeline`: it parses arguments, runs the steps, and prints problems as
`path:line:col: message` lines with a count. Expected failures exit 1 with no traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from . import lock, pipeline, workers
from .model import CaseStudy
from .problems import HubError, Problem, printable, summary_line

T = TypeVar("T")


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


def cmd_check(project: pipeline.Project, args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    files = 0
    hub = None
    try:
        hub, files = pipeline.check(project, args.today)
    except HubError as error:
        problems += error.problems
    if args.against is not None:
        from .history import addresses_at, addresses_now, lost_pages

        problems += lost_pages(addresses_at(project, args.against), addresses_now(project))
    if problems:
        raise HubError(problems)
    assert hub is not None
    overdue = [s for s in hub.review_list() if hub.due_for_review(s)]
    for study in overdue:  # warnings, not errors: the case study stays published, with a notice
        warning = Problem(study.source, 0, 0, f"review was due on {study.review.isoformat()}; ask {_contact(study)} whether it is still current")
        print(warning.github("warning") if args.format == "github" else printable(f"{study.source}: warning: {warning.message}"), file=sys.stderr)
    print(f"Checked {files} case {'study' if files == 1 else 'studies'} and the reference data: no problems"
          + (f", {len(overdue)} due for review (see hub review)." if overdue else "."))
    return 0


def _contact(study: CaseStudy) -> str:
    where = ", ".join(x for x in (study.contact.email, study.contact.url) if x)
    return f"{study.contact.role}{f' ({study.contact.team})' if study.contact.team else ''}: {where}"


def cmd_review(project: pipeline.Project, args: argparse.Namespace) -> int:
    """A maintainer's list: case studies past or near their review date, with whom to ask."""
    hub, _ = pipeline.check(project, args.today)
    soon = args.today + timedelta(days=args.within)
    listed = [s for s in hub.review_list() if args.all or s.review <= soon]
    for study in listed:
        state = "OVERDUE" if hub.due_for_review(study) else ("due soon" if study.review <= soon else "current")
        print(f"{study.review.isoformat()}  {state:8}  {study.source}\n    {study.title}\n    ask: {_contact(study)}")
    print(f"{len(listed)} of {len(hub.studies)} case studies listed (overdue, or due within {args.within} days{'; --all shows every one' if not args.all else ''}).")
    return 0


def cmd_generate(project: pipeline.Project, args: argparse.Namespace) -> int:
    generated = pipeline.generate(project, args.today)
    report = generated.report
    print(f"Generated pages for {generated.studies} case studies: {report.written} written, {report.unchanged} unchanged, {report.removed} removed.")
    return 0


def cmd_build(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .progress import Progress
    from .site import build_site, source_date_epoch

    started = time.perf_counter()
    progress = Progress()  # a line per phase; a live counter too on a terminal (not in CI logs)
    generated = pipeline.generate(project, args.today, progress=progress)
    # The newest case study's date stands for "when": the same input builds the same bytes.
    build_site(project.config, project.site, source_date_epoch(generated.newest), progress=progress, engine=args.engine, jobs=args.jobs)
    print(f"Built the site for {generated.studies:,} case studies into site/ in {time.perf_counter() - started:.1f} s.")
    return 0


def cmd_serve(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(project, args.today, args.dev_addr)


def cmd_import_authorities(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .importers import import_authorities

    # The default sits beside the project (../shared/reference), wherever the command is run from.
    source = Path(args.source).resolve() if args.source else (project.root.parent / "shared" / "reference" / "dfe-las.csv")
    shown = args.source or "../shared/reference/dfe-las.csv"
    rows = import_authorities(project.root, source, shown, args.today)
    print(f"Wrote practice/reference/authorities.yml: {len(rows)} authorities from {shown}.")
    return 0


def _ask(question: str, answer: str | None, parse: Callable[[str], T]) -> T:
    """Use the flag's value, or ask at the terminal until the answer is valid."""
    from .values import Invalid

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


def cmd_new(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .reference import load_reference
    from .scaffold import find_authority, find_themes, new_case_study
    from .values import text

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


def cmd_from_issue(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .issue_form import case_study_from_issue
    from .reference import load_reference

    shown = "standard input" if args.issue == "-" else args.issue
    raw = sys.stdin.buffer.read() if args.issue == "-" else Path(args.issue).read_bytes()
    ref = load_reference(project.reference, project.root)
    path = case_study_from_issue(project, ref, raw, shown, args.today, args.slug or "")
    print(f"Created {project.shown(path)} from {shown}. Review it with the contributor, then open a pull request.")
    return 0


def cmd_schema(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .reference import load_reference
    from .schema_docs import update_all

    stale = update_all(project.root, load_reference(project.reference, project.root), check_only=args.check)
    if args.check and stale:
        for name in stale:
            print(f"{name}: out of step with scripts/hub/schema.py; run `hub schema`", file=sys.stderr)
        return 1
    print("Rewrote " + ", ".join(stale) + "." if stale else "CONTRIBUTING.md, the JSON Schema and the issue form are up to date.")
    return 0


def cmd_import_ofsted(project: pipeline.Project, args: argparse.Namespace) -> int:
    from .import_ofsted import import_ofsted

    source = Path(args.source).resolve() if args.source else (project.root.parent / "shared" / "reference" / "ofsted-ilacs-overview.csv")
    shown = args.source or "../shared/reference/ofsted-ilacs-overview.csv"
    count = import_ofsted(project.root, source, shown, args.as_at, args.today)
    print(f"Wrote practice/reference/ofsted.yml and neighbours.yml: {count} authorities, as at {args.as_at}, from {shown}.")
    return 0


def cmd_bench(project: pipeline.Project, args: argparse.Namespace) -> int:
    import json
    import shutil

    from .bench import run

    chromium = None if args.no_browser else (shutil.which("chromium") or shutil.which("chromium-browser"))
    result = run(project, args.count, naive=not args.no_naive, chromium=chromium, today=args.today)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        width = max(len(k) for k in result)
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
        if not chromium and not args.no_browser:
            print("(search in the browser not measured: Chromium is not installed)")
    return 0


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return number


WRITERS = frozenset({"generate", "build", "serve"})  # commands that write docs/ or site/: one at a time
def _days(text: str) -> int:
    """An argparse type: a number of days from 0 to 36,500 (a hundred years)."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 36_500:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of days from 0 to 36500")
    return number


ENGINES = ("mkdocs", "zensical")  # site generators `hub build --engine` accepts


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hub", description="Build the children's services practice hub.")
    top.add_argument("--today", type=date.fromisoformat, default=date.today(), help=argparse.SUPPRESS)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format", choices=("text", "github"), default="text",
        help="how to print problems: text (path:line:col: message) or github (annotations in a pull request)",
    )
    check = sub.add_parser("check", parents=[output], help="validate every case study and the reference data")
    check.add_argument(
        "--against", metavar="REF",
        help="also fail if a case study present at git revision REF (e.g. origin/main) has lost its page without an alias",
    )
    check.set_defaults(run=cmd_check)
    sub.add_parser("generate", parents=[output], help="validate, then write the generated pages into docs/").set_defaults(run=cmd_generate)
    build = sub.add_parser("build", parents=[output], help="validate, generate, and build the site into site/ (strict)")
    build.add_argument(
        "--engine", choices=ENGINES, default="mkdocs",
        help="the site generator: mkdocs (MkDocs + Material, the default) or zensical (Material's successor, pinned in requirements.txt)",
    )
    build.add_argument(
        "--jobs", type=_positive, default=0, metavar="N",
        help="MkDocs processes to render pages in (default: one per core for big sites; the output is the same)",
    )
    build.set_defaults(run=cmd_build)
    serve = sub.add_parser("serve", help="preview the site, rebuilding pages when practice/ changes")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)
    review = sub.add_parser("review", help="list case studies past or near their review date, with their contacts")
    review.add_argument("--within", type=_days, default=90, metavar="DAYS", help="also list those due within this many days (default 90)")
    review.add_argument("--all", action="store_true", help="list every case study by review date")
    review.set_defaults(run=cmd_review)
    bench = sub.add_parser("bench", help="build N synthetic case studies in a temporary copy and measure speed and size")
    bench.add_argument("--count", type=_positive, default=1000, metavar="N", help="how many synthetic case studies (default 1000)")
    bench.add_argument("--json", action="store_true", help="print the results as a JSON object")
    bench.add_argument("--no-naive", action="store_true", help="skip the naive configuration (every page in the nav, Material search)")
    bench.add_argument("--no-browser", action="store_true", help="skip measuring search in headless Chromium")
    bench.set_defaults(run=cmd_bench)
    new = sub.add_parser("new", help="start a new case study (asks for what it needs, or takes options)")
    new.add_argument("--title", help="the case study's title; the file is named from it")
    new.add_argument("--authority", help="the lead authority: name, slug or DfE code")
    new.add_argument("--theme", action="append", help="a theme (repeat for up to four)")
    new.add_argument("--slug", help="the file name, if not the one made from the title")
    new.set_defaults(run=cmd_new)
    issue = sub.add_parser("from-issue", help="turn a submitted case-study issue form into practice/<slug>.yml")
    issue.add_argument("issue", help="a file holding the issue's text (the form answers), or - to read it from standard input")
    issue.add_argument("--slug", help="the file name, if not the one made from the title")
    issue.set_defaults(run=cmd_from_issue)
    schema = sub.add_parser("schema", help="rewrite the JSON Schema, the field reference in CONTRIBUTING.md and the case-study issue form from the schema")
    schema.add_argument("--check", action="store_true", help="only report whether they are up to date")
    schema.set_defaults(run=cmd_schema)
    imp = sub.add_parser("import-authorities", help="rebuild practice/reference/authorities.yml from DfE's las.csv")
    imp.add_argument("--source", help="path to DfE's las.csv (default: ../shared/reference/dfe-las.csv beside the project)")
    imp.set_defaults(run=cmd_import_authorities)
    ofsted = sub.add_parser("import-ofsted", help="rebuild the Ofsted snapshot and statistical neighbours from the ILACS overview CSV")
    ofsted.add_argument("--source", help="path to the CSV (default: ../shared/reference/ofsted-ilacs-overview.csv beside the project)")
    ofsted.add_argument("--as-at", required=True, help="when the snapshot was taken, as readers should see it, e.g. 'June 2026'")
    ofsted.set_defaults(run=cmd_import_ofsted)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = pipeline.Project(_root())
    try:
        if args.command in WRITERS:
            with lock.held(project.root, args.command):
                return int(args.run(project, args))
        return int(args.run(project, args))
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
