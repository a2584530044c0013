"""A generate with nothing changed writes nothing and does not even parse; any change to what the
pages are made from, or to a generated page, means a full run again."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import TODAY, VALID_STUDY, write_study
from hub import pipeline
from hub.core.problems import HubError
from hub.core.project import Project
from hub.load import files
from hub.pipeline import generate
from hub.write import record as stamp


def counted_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time generate validates."""
    calls: list[int] = []
    original = pipeline.check

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "check", counted)
    return calls


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a no-change generate must not validate")

    monkeypatch.setattr(pipeline, "check", refuse)


@pytest.fixture
def generated(project: Project) -> Project:
    write_study(project, "family-group-conferences", VALID_STUDY)
    first = generate(project, TODAY)
    assert first.studies == 1 and first.report.written > 100
    return project


def test_nothing_changed_means_nothing_read_or_written(generated: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    before = stamp.outputs(generated.docs)
    no_parsing(monkeypatch)
    again = generate(generated, TODAY)
    assert again.report.written == 0 and again.report.removed == 0
    assert again.report.unchanged == len(before)
    assert again.studies == 1 and again.newest is not None and again.newest.isoformat() == "2026-03-31"
    assert stamp.outputs(generated.docs) == before, "not a file touched"


def edit_study(project: Project) -> None:
    write_study(project, "family-group-conferences", VALID_STUDY.replace("More children", "Many more children"))


def add_readme(project: Project) -> None:
    (project.practice / "README.md").write_text("Case studies go here.\n", encoding="utf-8")


def edit_reference(project: Project) -> None:
    path = next(p for p in sorted(project.reference.rglob("*")) if p.is_file())
    path.write_bytes(path.read_bytes() + b"\n")


def edit_guide(project: Project) -> None:
    project.guide.write_text(project.guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")


def edit_generated_page(project: Project) -> None:
    page = project.docs / "practice" / "family-group-conferences.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nHand-edited.\n", encoding="utf-8")


def remove_generated_page(project: Project) -> None:
    (project.docs / "themes" / "family-networks.md").unlink()


def break_record(project: Project) -> None:
    (project.root / stamp.RECORD).write_text("{not json", encoding="utf-8")


def leave_a_half_built_folder(project: Project) -> None:
    """What a run killed while building a new generated folder leaves."""
    (project.docs / ".themes.x1y2z3ab.tmp").mkdir()
    (project.docs / ".themes.x1y2z3ab.tmp" / "family-networks.md").write_text("---\n", encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        edit_study,
        add_readme,
        edit_reference,
        edit_guide,
        edit_generated_page,
        remove_generated_page,
        break_record,
        leave_a_half_built_folder,
    ],
)
def test_any_change_means_a_full_run(generated: Project, change: Callable[[Project], None]) -> None:
    change(generated)
    with pytest.MonkeyPatch.context() as patch:
        calls = counted_checks(patch)
        again = generate(generated, TODAY)
    assert calls == [1], "validated again"
    if change in (edit_generated_page, remove_generated_page):
        assert again.report.written == 1, "the generated page is put back"
    assert "Hand-edited" not in (generated.docs / "practice" / "family-group-conferences.md").read_text(
        encoding="utf-8"
    )
    assert not (generated.docs / ".themes.x1y2z3ab.tmp").exists()
    with pytest.MonkeyPatch.context() as patch:
        no_parsing(patch)
        assert generate(generated, TODAY).report.written == 0, "and then nothing changed again"


def test_a_new_day_is_a_change(generated: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review notices depend on the date."""
    calls = counted_checks(monkeypatch)
    generate(generated, TODAY + timedelta(days=1))
    assert calls == [1]


def test_a_hand_written_clash_is_still_reported(generated: Project) -> None:
    (generated.docs / "practice.md").write_text("# Mine\n", encoding="utf-8")
    with pytest.raises(HubError) as error:
        generate(generated, TODAY)
    assert [p.message for p in error.value.problems] == [
        "clashes with the generated page practice/index.md (same address); rename it"
    ]


def test_problems_are_reported_every_time_and_keep_no_record(generated: Project) -> None:
    write_study(generated, "broken", "title: [unclosed\n")
    for _ in range(2):
        with pytest.raises(HubError):
            generate(generated, TODAY)
    (generated.practice / "broken.yml").unlink()
    assert generate(generated, TODAY).report.written == 0, "back as it was: the old record still holds"


def test_the_record_lives_in_the_ignored_cache_folder(generated: Project) -> None:
    assert (generated.root / stamp.RECORD).is_file()
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert f"{stamp.RECORD.parts[0]}/" in ignored


def test_an_unreadable_file_is_left_for_the_full_run_to_report(
    generated: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = write_study(generated, "locked", VALID_STUDY)
    original = os.open

    def refuse(path: str, flags: int, *args: int) -> int:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return original(path, flags, *args)

    readable = stamp.inputs(generated, TODAY)
    assert readable.practice["locked.yml"] == locked.read_bytes(), "the bytes read are handed on to the full run"
    monkeypatch.setattr(os, "open", refuse)
    assert files.read_listed(str(locked)) == (b"unreadable 13", None)
    unreadable = stamp.inputs(generated, TODAY)
    assert unreadable.fingerprint != readable.fingerprint, (
        "the fingerprint still works, and differs: no skip, the full run reports it"
    )
    assert "locked.yml" not in unreadable.practice, "the full run reads it again, and reports what it finds"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_case_study_is_a_problem_not_an_exception(generated: Project) -> None:
    locked = write_study(generated, "locked", VALID_STUDY)
    locked.chmod(0)
    try:
        with pytest.raises(HubError) as error:
            generate(generated, TODAY)
    finally:
        locked.chmod(0o600)
    assert "cannot be read" in error.value.problems[0].message
