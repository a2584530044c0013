"""URLs that last: compare the page addresses of case studies now with those at a git revision.

A case study's address is its file name, plus any `aliases` it keeps alive as redirects. When an
address published at the target branch would go dead (a file removed or renamed, or an alias
dropped), `hub check --against REF` says so. Files are read leniently here, so that the check
still runs when other problems are found, and every problem shows in one run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from hub.core.problems import HubError, Problem
from hub.core.project import Project
from hub.load.yamlsafe import Mapping, Scalar, Sequence, load_bytes, load_file
from hub.pipeline import collect


def _aliases(tree: Mapping | None) -> set[str]:
    listed = tree.items.get("aliases") if tree is not None else None
    if isinstance(listed, Scalar):
        return {listed.value.strip()}
    if isinstance(listed, Sequence):
        return {item.value.strip() for item in listed.items if isinstance(item, Scalar)}
    return set()


def addresses_now(project: Project) -> set[str]:
    files, _ = collect(project)
    found = set()
    for slug, path in files:
        found.add(slug)
        found |= _aliases(load_file(path, slug)[0])
    return found


def _git(root: Path, args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", *args], cwd=root, input=stdin.encode() if stdin else None, capture_output=True, check=False
    )


def addresses_at(project: Project, revision: str) -> dict[str, str]:
    """Every case-study address at `revision`, mapped to the file that gave it."""
    if not revision or revision.startswith("-"):
        raise HubError([Problem("--against", 0, 0, f"'{revision}' is not a git revision (for example origin/main)")])
    listing = _git(project.root, ["ls-tree", "--name-only", f"{revision}:practice/"])
    if listing.returncode != 0:
        reason = listing.stderr.decode("utf-8", "replace").strip() or "unknown revision"
        raise HubError([Problem("--against", 0, 0, f"git cannot read practice/ at '{revision}': {reason}")])
    names = [n for n in listing.stdout.decode("utf-8", "replace").splitlines() if n.endswith(".yml")]
    found = {name[: -len(".yml")]: f"practice/{name}" for name in names}
    # One git process reads every file at that revision, for the aliases they kept alive.
    batch = _git(project.root, ["cat-file", "--batch"], "".join(f"{revision}:practice/{n}\n" for n in names))
    for name, blob in zip(names, _blobs(batch.stdout), strict=False):
        for alias in _aliases(load_bytes(blob, name)[0]):
            found.setdefault(alias, f"practice/{name}")
    return found


def _blobs(output: bytes) -> Iterable[bytes]:
    """The contents from `git cat-file --batch` output: "<sha> blob <size>\\n<bytes>\\n" per file."""
    at = 0
    while at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].split()
        if len(header) < 3:  # "<name> missing"
            yield b""
            at = end + 1
            continue
        size = int(header[2])
        yield output[end + 1 : end + 1 + size]
        at = end + 1 + size + 1


def lost_pages(before: dict[str, str], now: set[str]) -> list[Problem]:
    """Addresses published at the earlier revision that would now go dead."""
    return [
        Problem(
            before[address],
            0,
            0,
            f"the page '{address}' would disappear (its case study or alias was removed or renamed); "
            f"add '{address}' to the 'aliases' of the case study that replaces it",
        )
        for address in sorted(set(before) - now)
    ]
