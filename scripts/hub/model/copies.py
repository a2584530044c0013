"""No case study copies another: the rule that spans files' text.

Each file's title, summary, and what was done with its impact are reduced, where the worker
reads it, to a short fingerprint of the text with case and spacing ignored (`marks`); the
parent then finds the fingerprints two files share in one dictionary (`copies`), so the
check costs one look-up per field however many case studies there are. It reads the file's
tree, not the checked case study, so a copy is reported in the same run as any other problem
in it. It compares the files as they are now: a renamed case study, whose old address is one of
its `aliases`, is no copy of itself (`hub check --against` checks those addresses).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

from hub.core.problems import Problem
from hub.load.yamlsafe import Mapping, Scalar
from hub.model.records import in_words
from hub.model.schema import PLACEHOLDERS

# What may not be the same as another case study's, in the order problems name them: each a
# tuple of fields whose values are compared together. A shared challenge or evidence can be
# honest (two authorities with one problem, one evaluation of both); a shared account of what
# was done and what changed is not.
COMPARED: tuple[tuple[str, ...], ...] = (("title",), ("summary",), ("what_we_did", "impact"))

# (which of COMPARED, fingerprint of its text, line, col): what a worker sends back per file.
Mark = tuple[int, bytes, int, int]
NAMED = 3  # other files a problem names; it counts the rest


def normal(text: str) -> str:
    """`text` as it is compared: compatibility forms folded, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_PLACEHOLDERS = {name: normal(text) for name, text in PLACEHOLDERS.items()}


def marks(tree: Mapping) -> tuple[Mark, ...]:
    """The fingerprints of one case study's compared fields, where it gives them as text. The
    example text `hub new` writes is left out: it is reported as such, not as a copy."""
    found: list[Mark] = []
    for which, names in enumerate(COMPARED):
        nodes = [tree.items.get(name) for name in names]
        texts = [normal(node.value) if isinstance(node, Scalar) else "" for node in nodes]
        if not all(texts) or any(text == _PLACEHOLDERS.get(name) for name, text in zip(names, texts, strict=True)):
            continue
        first = nodes[0]
        assert isinstance(first, Scalar)
        digest = hashlib.blake2b("\0".join(texts).encode("utf-8"), digest_size=16).digest()
        found.append((which, digest, first.line, first.col))
    return tuple(found)


def copies(marked: Sequence[tuple[str, tuple[Mark, ...]]]) -> list[Problem]:
    """A problem in each file that shares a compared field with another, at the first field it
    shares, naming the files it shares it with (one problem for all the fields it shares with
    the same files)."""
    holders: dict[tuple[int, bytes], list[str]] = {}
    for shown, found in marked:
        for which, digest, _, _ in found:
            holders.setdefault((which, digest), []).append(shown)
    # Per file, the fields it shares, by the group of files that share them.
    shared: dict[str, dict[int, list[int]]] = {}
    groups: dict[tuple[str, ...], int] = {}
    for (which, _), sharing in holders.items():
        if len(sharing) > 1:
            group = groups.setdefault(tuple(sorted(sharing)), len(groups))
            for shown in sharing:
                shared.setdefault(shown, {}).setdefault(group, []).append(which)
    if not shared:
        return []
    members = list(groups)
    where = {(shown, which): (line, col) for shown, found in marked for which, _, line, col in found}
    problems = []
    for shown, by_group in shared.items():
        for group, fields in by_group.items():
            first = min(fields)
            named = [other for other in members[group][: NAMED + 1] if other != shown][:NAMED]
            others = [(other, where[(other, first)][0]) for other in named]
            more = len(members[group]) - 1 - len(named)
            problems.append(Problem(shown, *where[(shown, first)], _message(sorted(fields), others, more)))
    return problems


def _message(fields: list[int], others: list[tuple[str, int]], more: int) -> str:
    names = [f"'{name}'" for which in fields for name in COMPARED[which]]
    listed = in_words(names)
    shown = [f"{other} (line {line})" for other, line in others]
    if more:
        shown.append(f"{more:,} more")
    files = in_words(shown)
    if fields == [0]:
        return (
            f"'title' is the same as in {files}; give each case study a title of its own (say whose work it "
            "is), or remove one if it is a copy"
        )
    return (
        f"{listed} {'is' if len(names) == 1 else 'are'} the same as in {files}; a case study must not copy "
        f"another: write {'it' if len(names) == 1 else 'them'} afresh for this one, or remove the copy"
    )
