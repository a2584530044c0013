"""Problems: what every step of the pipeline reports instead of raising.

Loaders and validators *yield* `Problem`s so that one run reports every problem in every
file; the command line prints them as `path:line:col: message`, then a count, and exits 1.
`HubError` carries problems out of a step that cannot go on (the build stops before writing).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place. `line` and `col` are 1-based; 0 means "not known"."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        where = printable(self.path)
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {printable(self.message)}"

    def github(self, kind: str = "error") -> str:
        """The problem as a GitHub Actions annotation (error or warning) on its file and line."""
        where = f"file={_escape(self.path, True)}"
        if self.line:
            where += f",line={self.line}"
            if self.col:
                where += f",col={self.col}"
        return f"::{kind} {where},title=hub check::{_escape(self.message, False)}"


def printable(text: str) -> str:
    """`text` with every character that is not printable (controls, line and paragraph
    separators, format characters such as bidi overrides) written as a Python escape (`\\n`,
    `\\x1b`, `\\u202e`): a message can never move the cursor, recolour a terminal, reorder what
    is shown or start a line of a log."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def _escape(text: str, is_property: bool) -> str:
    """GitHub's workflow-command escaping (its own for line ends, `printable` for any other
    character that could break or disguise a log line), so problem text can never start a
    command of its own; in a property, no ':' or ',' that ends it."""
    text = printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


class HubError(Exception):
    """A step found problems and nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s)")


def did_you_mean(word: str, choices: Iterable[str], *, allowed: bool = True) -> str:
    """A hint for an unknown name: the closest choices, else (optionally) the allowed list."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word.lower(), options, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    if allowed:
        return "allowed: " + ", ".join(options)
    return ""


def summary_line(problems: int, files: int) -> str:
    noun = "problem" if problems == 1 else "problems"
    file_noun = "file" if files == 1 else "files"
    return f"{problems} {noun} in {files} {file_noun}; nothing was written."
