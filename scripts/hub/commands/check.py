"""`hub check` and `hub review`: every case study and the reference data checked, and the
maintainer's list of case studies due for review."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from hub import pipeline
from hub.core.problems import HubError, Problem
from hub.core.project import Project
from hub.model.records import CaseStudy


def check(project: Project, args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    files = 0
    catalogue = None
    try:
        catalogue, files = pipeline.check(project, args.today)
    except HubError as error:
        problems += error.problems
    try:  # the contributor guide, which the site publishes as its Contribute page
        pipeline.read_guide(project)
    except HubError as error:
        problems += error.problems
    if args.against is not None:
        from hub.commands.history import addresses_at, addresses_now, lost_pages

        problems += lost_pages(addresses_at(project, args.against), addresses_now(project))
    if problems:
        raise HubError(problems)
    assert catalogue is not None
    for study in catalogue.studies:  # accepted, but worth mending
        for line, col, message in study.warnings:
            warning = Problem(study.source, line, col, message)
            print(warning.github("warning") if args.format == "github" else _warning(warning), file=sys.stderr)
    overdue = [s for s in catalogue.review_list() if catalogue.due_for_review(s)]
    for study in overdue:  # warnings, not errors: the case study stays published, with a notice
        warning = Problem(
            study.source,
            0,
            0,
            f"review was due on {study.review.isoformat()}; ask {_contact(study)} whether it is still current",
        )
        print(warning.github("warning") if args.format == "github" else _warning(warning), file=sys.stderr)
    print(
        f"Checked {files} case {'study' if files == 1 else 'studies'}, the reference data and CONTRIBUTING.md: "
        "no problems" + (f", {len(overdue)} due for review (see hub review)." if overdue else ".")
    )
    return 0


def _warning(problem: Problem) -> str:
    """A warning in the text format: the problem's place, then "warning:"."""
    where, _, message = str(problem).partition(": ")
    return f"{where}: warning: {message}"


def _contact(study: CaseStudy) -> str:
    contact = study.contact
    if contact is None:
        return "its sources (it was written from public sources; ask the authority to check it)"
    where = ", ".join(x for x in (contact.email, contact.url) if x)
    return f"{contact.role}{f' ({contact.team})' if contact.team else ''}: {where}"


def review(project: Project, args: argparse.Namespace) -> int:
    """A maintainer's list: case studies past or near their review date, with whom to ask."""
    catalogue, _ = pipeline.check(project, args.today)
    soon = args.today + timedelta(days=args.within)
    listed = [s for s in catalogue.review_list() if args.all or s.review <= soon]
    for study in listed:
        state = "OVERDUE" if catalogue.due_for_review(study) else ("due soon" if study.review <= soon else "current")
        print(f"{study.review.isoformat()}  {state:8}  {study.source}\n    {study.title}\n    ask: {_contact(study)}")
    more = "" if args.all else "; --all shows every one"
    print(
        f"{len(listed)} of {len(catalogue.studies)} case studies listed (overdue, or due within {args.within} "
        f"days{more})."
    )
    return 0
