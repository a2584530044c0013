"""Reading files safely: the first thing the pipeline does with what it is given.

Files in practice/ come from strangers, so each is opened only as what a directory listing
said it was (never through a link, never waiting on a named pipe), read to a size limit, and
read once: the bytes the no-change fingerprint reads (`write.record`) are the bytes the
validator checks. Files editors leave beside the one being edited are not case studies.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MAX_BYTES = 256 * 1024  # a case study or reference file larger than this is refused unread


def open_listed(path: str) -> int:
    """Open for reading a file a directory listing showed as a regular file: never through a
    link, never waiting on a named pipe, should it have become one since."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def read_up_to(fd: int, limit: int, size: int) -> bytes:
    """At most `limit` bytes of the open file `fd`, whose size was `size` when looked at. The
    first read asks for that size and one byte more, which ends a file that did not change in
    one read: asking for `limit` instead would allocate that much for every small file."""
    data = b""
    step = size + 1
    while len(data) < limit and (chunk := os.read(fd, min(step, limit - len(data)))):
        data += chunk
        step = 65536
    return data


def kind(path: Path | os.DirEntry[str]) -> str:
    """What `path` is; an entry of a directory listing knows it without asking the disk again."""
    if path.is_symlink():
        return "link"
    if path.is_dir():
        return "folder"
    return "file" if path.is_file() else "other"


def read_marker(path: Path) -> bytes:
    """The file's bytes, or a marker: an unreadable file is for the full run to report."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # too big to be a case study: its size is enough
            return f"size {size}".encode()
        return b"bytes " + path.read_bytes()
    except OSError as error:
        return f"unreadable {error.errno}".encode()


def read_listed(path: str) -> tuple[bytes, bytes | None]:
    """`read_marker` for a file in practice/, listed as a regular file, which also hands back the
    bytes (when they are small enough to be a case study). Never through a link (should the
    file have become one since, opening fails), never waiting on a named pipe."""
    try:
        fd = open_listed(path)
    except OSError as error:
        return f"unreadable {error.errno}".encode(), None
    try:
        size = os.fstat(fd).st_size
        if size > MAX_BYTES:  # too big to be a case study: its size is enough
            return f"size {size}".encode(), None
        data = read_up_to(fd, MAX_BYTES + 1, size)
        if len(data) > MAX_BYTES:  # it grew since
            return f"size {len(data)}+".encode(), None
    except OSError as error:
        return f"unreadable {error.errno}".encode(), None
    finally:
        os.close(fd)
    return b"bytes " + data, data


# Files editors leave beside the one being edited: backups (x.yml~), Vim's swap files
# (.x.yml.swp, .swo, ...) and the file it writes to test a folder (4913), Emacs' auto-saves
# (#x.yml#) and lock links (.#x.yml). Never case studies, never worth a warning.
_EDITOR_LEFTOVER = re.compile(r"^(?:.*~|\..*\.sw[a-p]|#.*#|\.#.*|4913)$")


def editor_leftover(name: str) -> bool:
    """Whether a file named `name` is one an editor leaves while a file is open."""
    return bool(_EDITOR_LEFTOVER.match(name))
