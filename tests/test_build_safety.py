"""What `hub build` does when it is not alone, not finished or not given what it expects: one
writer at a time, interrupted builds mended, links refused, files readable, no tracebacks."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import VALID_STUDY, copy_project, hub_command, run_hub, run_hub_process, snapshot, write_study
from hub.core import lock
from hub.core.project import Project
from hub.publish.build import _swap, recover


@pytest.fixture
def one_study(tmp_path: Path) -> Project:
    project = copy_project(tmp_path)
    write_study(project, "family-group-conferences", VALID_STUDY)
    return project


def test_a_second_writer_waits_its_turn_with_a_clear_message(
    one_study: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_hub(one_study, "build") == 0
    before = snapshot(one_study.root)
    with lock.held(one_study.root, "serve"):  # another process holding it, as far as flock knows
        capsys.readouterr()
        for command in ("build", "generate", "serve"):
            assert run_hub(one_study, command) == 1
            err = capsys.readouterr().err
            assert "another hub build, generate or serve is writing the site in this folder" in err
            assert f"then run hub {command} again" in err and "Traceback" not in err
    assert snapshot(one_study.root) == before
    assert not list(one_study.root.glob(".site-*"))
    assert run_hub(one_study, "check") == 0, "reading needs no lock"
    assert run_hub(one_study, "build") == 0, "the lock is free again"


def test_two_builds_started_together_one_builds_and_one_is_told(one_study: Project) -> None:
    command = hub_command("build")
    runs = [
        subprocess.Popen(command, cwd=one_study.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(run.wait(timeout=300), run.stderr.read() if run.stderr else "") for run in runs]
    codes = sorted(code for code, _ in results)
    if codes == [0, 0]:  # the first finished before the second asked: nothing to show this time
        pytest.skip("the builds did not overlap on this machine")
    assert codes == [0, 1]
    [told] = [err for code, err in results if code == 1]
    assert "is writing the site in this folder" in told and "Traceback" not in told
    assert not list(one_study.root.glob(".site-*")), "no scratch folder is left behind"
    assert (one_study.site / "index.html").is_file()


def test_what_a_killed_build_left_is_cleared_by_the_next(one_study: Project) -> None:
    assert run_hub(one_study, "build") == 0
    for name in (".site-abc123", ".site-old-xyz"):
        (one_study.root / name / "assets").mkdir(parents=True)
        (one_study.root / name / "assets" / "page.html").write_text("half built", encoding="utf-8")
    assert run_hub(one_study, "build") == 0
    assert not list(one_study.root.glob(".site-*"))


def test_a_site_moved_aside_and_never_replaced_is_put_back(one_study: Project) -> None:
    """Killed between the swap's two renames: the old site sits in .site-old-*/site."""
    assert run_hub(one_study, "build") == 0
    before = snapshot(one_study.site)
    aside = one_study.root / ".site-old-k1ll3d"
    aside.mkdir()
    one_study.site.rename(aside / "site")
    (one_study.root / ".site-n3w").mkdir()  # the scratch folder that was never renamed
    recover(one_study.site)
    assert snapshot(one_study.site) == before
    assert not list(one_study.root.glob(".site-*"))


def test_ctrl_c_during_the_swap_waits_until_the_site_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, new = tmp_path / "site", tmp_path / ".site-new"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "new.html").write_text("new", encoding="utf-8")
    rename = Path.rename
    renames = []

    def interrupted_rename(self: Path, target: Path) -> Path:
        moved = rename(self, target)
        renames.append(target)
        if len(renames) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between the two renames
            time.sleep(0.05)
        return moved

    monkeypatch.setattr(Path, "rename", interrupted_rename)
    # Another thread (a server's, say) that the operating system may hand the signal to.
    threading.Thread(target=time.sleep, args=(1,), daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        _swap(new, site)
    assert len(renames) == 2, "the second rename ran before Ctrl-C was delivered"
    assert (site / "new.html").read_text(encoding="utf-8") == "new"


def test_a_link_in_docs_or_overrides_is_refused_and_nothing_is_published(
    one_study: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_hub(one_study, "build") == 0
    before = snapshot(one_study.site)
    secret = one_study.root.parent / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    (one_study.docs / "leak.txt").symlink_to(secret)
    (one_study.root / "overrides" / "assets").mkdir(exist_ok=True)
    (one_study.root / "overrides" / "assets" / "leak.css").symlink_to(secret)
    (one_study.docs / "linked").symlink_to(secret.parent, target_is_directory=True)
    capsys.readouterr()
    assert run_hub(one_study, "build") == 1
    err = capsys.readouterr().err
    for shown in ("docs/leak.txt", "overrides/assets/leak.css", "docs/linked"):
        assert f"{shown}: is a symbolic link; the site publishes only real files inside the project" in err
    assert snapshot(one_study.site) == before
    assert not list(one_study.root.glob(".site-*"))


def test_docs_itself_as_a_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    real = tmp_path / "elsewhere"
    project.docs.rename(real)
    project.docs.symlink_to(real, target_is_directory=True)
    assert run_hub(project, "build") == 1
    assert "docs: is a symbolic link" in capsys.readouterr().err
    assert not project.site.exists()


def test_every_published_file_is_readable_whatever_the_umask(one_study: Project) -> None:
    before = os.umask(0o077)
    try:
        assert run_hub(one_study, "build") == 0
    finally:
        os.umask(before)
    assert os.umask(before) == before, "the build gave the umask back"
    for path in [one_study.site, *one_study.site.rglob("*")]:
        mode = path.stat().st_mode
        assert mode & stat.S_IROTH, path
        assert not mode & stat.S_IWOTH, path
        if path.is_dir():
            assert mode & stat.S_IXOTH, path


def test_a_case_study_dated_before_the_hub_could_publish_it_builds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    old = VALID_STUDY.replace("published: 2026-03-31", "published: 1969-05-01")
    write_study(project, "family-group-conferences", old + "review: 1970-01-01\n")
    assert run_hub(project, "build") == 1
    err = capsys.readouterr().err
    assert "family-group-conferences.yml:" in err and "'started' and 'ended'" in err
    assert "Traceback" not in err
    assert not project.site.exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["review", "--within", "3000000"],
        ["review", "--within", "-1"],
        ["bench", "--count", "-5"],
        ["bench", "--count", "many"],
        ["build", "--jobs", "0"],
    ],
)
def test_out_of_range_options_are_refused_without_a_traceback(one_study: Project, arguments: list[str]) -> None:
    result = run_hub_process(one_study, *arguments, today=None, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "error: argument" in result.stderr


@pytest.mark.parametrize("delay", [0.05, 0.15, 0.3, 0.6, 1.0])
def test_ctrl_c_at_any_moment_stops_without_a_traceback(one_study: Project, delay: float) -> None:
    run = subprocess.Popen(
        hub_command("build"), cwd=one_study.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(delay)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert run.returncode in (0, 130, -signal.SIGINT), err  # done already, stopped, or stopped before Python could act
    assert not list(one_study.root.glob(".site-*")) or run.returncode != 0


def test_contributing_md_as_a_link_is_refused(one_study: Project, capsys: pytest.CaptureFixture[str]) -> None:
    secret = one_study.root.parent / "os-release"
    secret.write_text('PRETTY_NAME="Debian"\n', encoding="utf-8")
    one_study.guide.unlink()
    one_study.guide.symlink_to(secret)
    for command in ("check", "build"):
        assert run_hub(one_study, command) == 1
        assert "CONTRIBUTING.md: is a symbolic link; links are never followed" in capsys.readouterr().err
    assert not one_study.site.exists()


def test_contributing_md_not_in_utf8_is_reported_where_it_goes_wrong(
    one_study: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    with one_study.guide.open("ab") as guide:
        guide.write(b"\n\nCaf\xe9\n")
    lines = one_study.guide.read_bytes().count(b"\n")
    for command in ("check", "build"):
        assert run_hub(one_study, command) == 1
        err = capsys.readouterr().err
        assert f"CONTRIBUTING.md:{lines}:4: is not valid UTF-8 (it looks like Latin-1 or Windows-1252)" in err
        assert "Traceback" not in err
