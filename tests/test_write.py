"""Writing generated pages: only what changed, stale pages removed, hand-written pages safe."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, snapshot
from hub.core.problems import HubError
from hub.write.docs import MARK, write_pages


def page(body: str) -> str:
    return f"{MARK}---\n\n{body}\n"


def test_writes_then_leaves_unchanged_files_alone(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    pages = {"index.md": page("home"), "practice/a.md": page("a"), "themes/t.md": page("t")}
    first = write_pages(docs, pages, tmp_path)
    assert (first.written, first.unchanged, first.removed) == (3, 0, 0)
    stamp = (docs / "practice/a.md").stat().st_mtime_ns
    os.utime(docs / "practice/a.md", ns=(stamp - 10**9, stamp - 10**9))
    second = write_pages(docs, pages, tmp_path)
    assert (second.written, second.unchanged, second.removed) == (0, 3, 0)
    assert (docs / "practice/a.md").stat().st_mtime_ns == stamp - 10**9, "an unchanged page is not rewritten"


def test_changed_page_is_rewritten_and_stale_page_removed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, {"practice/a.md": page("a"), "practice/b.md": page("b")}, tmp_path)
    (docs / "about.md").write_text("# About\n", encoding="utf-8")
    report = write_pages(docs, {"practice/a.md": page("a2")}, tmp_path)
    assert (report.written, report.removed) == (1, 1)
    assert (docs / "practice/a.md").read_text(encoding="utf-8") == page("a2")
    assert not (docs / "practice/b.md").exists()
    assert not list(docs.rglob("*.tmp")), "no temporary files are left"
    assert (docs / "about.md").read_text(encoding="utf-8") == "# About\n", "hand-written pages are left alone"


def test_hand_written_pages_are_never_touched(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "practice").mkdir(parents=True)
    (docs / "about.md").write_text("# About\n", encoding="utf-8")
    (docs / "practice" / "notes.md").write_text("# My notes\n", encoding="utf-8")
    with pytest.raises(HubError) as error:
        write_pages(docs, {"practice/a.md": page("a")}, tmp_path)
    assert [p.path for p in error.value.problems] == ["docs/practice/notes.md"]
    assert not (docs / "practice/a.md").exists(), "nothing is written when a problem is found"
    assert (docs / "practice" / "notes.md").read_text(encoding="utf-8") == "# My notes\n"
    assert (docs / "about.md").read_text(encoding="utf-8") == "# About\n"


def test_symlink_in_generated_folder_is_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "themes").mkdir(parents=True)
    outside = tmp_path / "secret.md"
    outside.write_text(MARK + "---\nsecret\n", encoding="utf-8")
    (docs / "themes" / "t.md").symlink_to(outside)
    with pytest.raises(HubError):
        write_pages(docs, {"themes/t.md": page("t")}, tmp_path)
    assert outside.read_text(encoding="utf-8") == MARK + "---\nsecret\n"


def test_symlinked_generated_folder_is_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "old.md").write_text(MARK + "---\nold\n", encoding="utf-8")
    (docs / "practice").symlink_to(outside, target_is_directory=True)
    with pytest.raises(HubError) as error:
        write_pages(docs, {"practice/a.md": page("a")}, tmp_path)
    assert "docs/practice: is a symbolic link" in str(error.value.problems[0])
    assert sorted(p.name for p in outside.iterdir()) == ["old.md"], "nothing written or removed through the link"


def test_page_clashing_with_a_generated_index_is_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "themes.md").write_text("# Themes, by hand\n", encoding="utf-8")
    with pytest.raises(HubError, match="problem"):
        write_pages(docs, {"themes/index.md": page("t")}, tmp_path)
    assert not (docs / "themes").exists()


def test_pages_are_readable_by_everyone(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, {"practice/a.md": page("a")}, tmp_path)
    assert (docs / "practice" / "a.md").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("fail_at", [1, 2, 3, 5])
def test_a_failure_half_way_leaves_docs_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    """Pages go first to copies beside existing ones (index.md, practice/) or into folders built
    under a temporary name (themes/, regions/, authorities/); a full disk at any page undoes both."""
    import errno

    import hub.write.docs

    docs = tmp_path / "docs"
    write_pages(docs, {"index.md": page("home"), "practice/a.md": page("a"), "practice/b.md": page("b")}, tmp_path)
    before, listing = snapshot(docs), sorted(p.name for p in docs.iterdir())
    real_write = hub.write.docs.os.write
    calls = {"n": 0}

    def full_disk(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(hub.write.docs.os, "write", full_disk)
    new_pages = {
        "index.md": page("home 2"),
        "practice/a.md": page("a2"),
        "themes/t.md": page("t"),
        "regions/r.md": page("r"),
        "authorities/x.md": page("x"),
    }
    with pytest.raises(OSError, match="No space"):
        write_pages(docs, new_pages, tmp_path)
    assert calls["n"] == fail_at, "stopped at the first failure"
    assert snapshot(docs) == before, "nothing changed, nothing left behind"
    assert sorted(p.name for p in docs.iterdir()) == listing, "no folder made, none left half built"


def test_a_new_generated_folder_appears_whole_and_readable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A generated folder that did not exist is built under a temporary name and renamed into
    place once every page is in it: no page is seen in docs/themes/ before all of them are."""
    import hub.write.docs

    docs = tmp_path / "docs"
    seen: list[list[str]] = []
    real_create = hub.write.docs._create

    def create(path: Path, data: bytes) -> os.stat_result:
        seen.append(sorted(p.name for p in docs.iterdir()))
        assert path.parent.name.startswith(".themes.") and path.parent.name.endswith(".tmp"), path
        return real_create(path, data)

    monkeypatch.setattr(hub.write.docs, "_create", create)
    report = write_pages(docs, {"themes/t.md": page("t"), "themes/u.md": page("u")}, tmp_path)
    assert len(seen) == 2 and all("themes" not in names for names in seen), (
        "the folder is not in place while pages are written"
    )
    assert report.written == 2 and sorted(p.name for p in docs.iterdir()) == ["themes"]
    assert (docs / "themes" / "u.md").read_text(encoding="utf-8") == page("u")
    assert (docs / "themes").stat().st_mode & 0o777 == 0o755, "a built folder is published like any other"
    assert (docs / "themes" / "t.md").stat().st_mode & 0o777 == 0o644


def test_copies_a_stopped_run_left_staged_are_removed_by_the_next(tmp_path: Path) -> None:
    """A run killed between staging and renaming leaves `.<name>.<random>.tmp` files beside the
    pages, and folders of that name beside the generated folders it was building."""
    docs = tmp_path / "docs"
    pages = {
        "index.md": page("home"),
        "practice/a.md": page("a"),
        "data/.hub-generated": "marker",
        "data/feed.xml": "<feed/>",
    }
    write_pages(docs, pages, tmp_path)
    left = [
        docs / ".index.md.k2j4_0ab.tmp",
        docs / "practice" / ".a.md.x9q1zzzz.tmp",
        docs / "data" / ".feed.xml.p0o9ab12.tmp",
        docs / "practice" / ".b.md.emptyyyy.tmp",
        docs / ".find.md.emptyyyy.tmp",
    ]
    for path in left[:2]:
        path.write_text(page("half"))
    left[2].write_text("<feed")
    for path in left[3:]:
        path.write_text("")  # stopped between creating the file and writing it
    building = [docs / ".themes.abcd_123.tmp", docs / ".authorities.zzzzzzzz.tmp"]  # new folders being built
    (building[0] / "sub").mkdir(parents=True)
    (building[0] / "sub" / "t.md").write_text(page("t"))
    building[1].mkdir()
    mine = docs / ".notes.md.tmp"  # not a copy of a generated page: not the hub's to remove
    mine.write_text("mine")
    also_mine = docs / ".notes.abcdefgh.tmp"
    also_mine.mkdir()
    report = write_pages(docs, pages, tmp_path)
    assert report.removed == 7 and not any(path.exists() for path in left + building)
    assert mine.read_text() == "mine" and also_mine.is_dir()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("where", ["practice/a.md", "practice/pipe"])
def test_a_named_pipe_or_folder_in_a_generated_folder_is_reported_without_waiting_on_it(
    tmp_path: Path, where: str
) -> None:
    """Opening a named pipe to read it waits for a writer for ever: the hub must see what it is first."""
    import threading

    docs = tmp_path / "docs"
    (docs / "practice").mkdir(parents=True)
    os.mkfifo(docs / where)
    (docs / "practice" / "b.md").mkdir()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            write_pages(docs, {"practice/a.md": page("a"), "practice/b.md": page("b")}, tmp_path)
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        with open(docs / where, "wb"):  # let the stuck reader go before failing
            pass
        pytest.fail("write_pages waited on a named pipe")
    assert len(outcome) == 1 and isinstance(outcome[0], HubError)
    assert sorted(p.path for p in outcome[0].problems) == sorted([f"docs/{where}", "docs/practice/b.md"])
    assert sorted(p.name for p in (docs / "practice").iterdir()) == sorted({"b.md", Path(where).name}), (
        "nothing written"
    )


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and the project's repository"
)
def test_what_a_stopped_run_leaves_in_docs_is_never_committed() -> None:
    """Half-written copies and half-built folders stay out of `git status` (and `make clean` removes them)."""
    left = ["docs/.index.md.k2j4_0ab.tmp", "docs/.practice.x9q1zzzz.tmp/a.md", "docs/.data.abcdefgh.tmp/feed.xml"]
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", *left, "docs/about.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.stdout.split() == left, "every leftover ignored, a hand-written page not"
