"""One writer at a time in a project folder.

`hub generate`, `hub build` and `hub serve` write docs/ and site/, and clear away what a
stopped build left behind; two of them at once in one checkout would trip over each other's
files. Each holds an exclusive lock on the project folder itself while it runs (`flock` on
the open folder, so no lock file is left in the project); the operating system releases it
when the process ends, however it ends, so a killed build never leaves the folder locked.
Windows cannot lock a folder: there the lock is on `.cache/hub/lock`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from hub.core.problems import HubError, Problem


@contextlib.contextmanager
def held(root: Path, command: str) -> Iterator[None]:
    """Hold the project's lock while `command` ("build") runs, or raise HubError."""
    fd = _open(root)
    try:
        if not _try_lock(fd):
            raise HubError(
                [
                    Problem(
                        root.name or str(root),
                        0,
                        0,
                        "another hub build, generate or serve is writing the site in this folder; "
                        f"wait for it to finish (or stop it), then run hub {command} again",
                    )
                ]
            )
        yield
    finally:
        os.close(fd)  # releases the lock


def _open(root: Path) -> int:
    if sys.platform != "win32":
        return os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    path = root / ".cache" / "hub" / "lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
