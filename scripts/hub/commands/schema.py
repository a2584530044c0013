"""`hub schema`: rewrite (or check) what is derived from the case-study format."""

from __future__ import annotations

import argparse
import sys

from hub.core.project import Project
from hub.derived.field_docs import update_all
from hub.model.reference import load_reference


def schema(project: Project, args: argparse.Namespace) -> int:
    stale = update_all(project.root, load_reference(project.reference, project.root), check_only=args.check)
    if args.check and stale:
        for name in stale:
            print(f"{name}: out of step with scripts/hub/model/schema.py; run `hub schema`", file=sys.stderr)
        return 1
    print(
        "Rewrote " + ", ".join(stale) + "."
        if stale
        else "CONTRIBUTING.md, the JSON Schema and the issue form are up to date."
    )
    return 0
