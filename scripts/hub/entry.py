"""The `hub` command's entry point (pyproject.toml's `[project.scripts]`).

It imports nothing at the top, so Ctrl-C while the rest of the hub is still being imported
stops the command quietly, as it does once the command runs, instead of with a traceback.
"""

from __future__ import annotations


def main() -> int:
    try:
        from hub.commands.cli import main as run

        return run()
    except KeyboardInterrupt:
        return 130
