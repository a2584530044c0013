"""`hub import-authorities` and `hub import-ofsted`: rebuild the reference data from public files."""

from __future__ import annotations

import argparse
from pathlib import Path

from hub.core.project import Project
from hub.imports.authorities import import_authorities
from hub.imports.ofsted import import_ofsted


def authorities(project: Project, args: argparse.Namespace) -> int:
    # The default sits beside the project (../shared/reference), wherever the command is run from.
    source = (
        Path(args.source).resolve() if args.source else (project.root.parent / "shared" / "reference" / "dfe-las.csv")
    )
    shown = args.source or "../shared/reference/dfe-las.csv"
    rows = import_authorities(project.root, source, shown, args.today)
    print(f"Wrote practice/reference/authorities.yml: {len(rows)} authorities from {shown}.")
    return 0


def ofsted(project: Project, args: argparse.Namespace) -> int:
    source = (
        Path(args.source).resolve()
        if args.source
        else (project.root.parent / "shared" / "reference" / "ofsted-ilacs-overview.csv")
    )
    shown = args.source or "../shared/reference/ofsted-ilacs-overview.csv"
    count = import_ofsted(project.root, source, shown, args.as_at, args.today)
    print(
        f"Wrote practice/reference/ofsted.yml and neighbours.yml: {count} authorities, as at {args.as_at}, from "
        f"{shown}."
    )
    return 0
