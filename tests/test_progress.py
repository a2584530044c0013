"""Feedback on long work: a line per phase always; a live counter only on a terminal outside CI."""

from __future__ import annotations

import io
import re

import pytest

from conftest import build
from hub.core.progress import Progress
from hub.core.project import Project

# "  mkdocs            195 pages             1.1 s  note"
PHASE_LINE = re.compile(r"^  (\w+(?: \w+)?)\s+([\d,]+) [a-z ]+?\s+\d+\.\d s(?:  .*)?$")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_phase(progress: Progress) -> None:
    progress.REFRESH = 0.0  # redraw on every tick
    progress.start("validate", 3, "case studies")
    for _ in range(3):
        progress.tick()
    progress.finish("all valid")


def test_a_terminal_gets_a_live_counter_that_ends_in_the_phase_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    out = Terminal()
    run_phase(Progress(out))
    text = out.getvalue()
    assert "\r\x1b[K  validate            2 of 3 case studies …" in text
    last = text.rsplit("\r\x1b[K", 1)[1]
    assert last.startswith("  validate            3 case studies") and last.endswith("s  all valid\n")


@pytest.mark.parametrize("ci", [True, False])
def test_ci_logs_and_pipes_get_only_the_phase_lines(monkeypatch: pytest.MonkeyPatch, ci: bool) -> None:
    out: io.StringIO
    if ci:
        monkeypatch.setenv("CI", "true")
        out = Terminal()
    else:
        monkeypatch.delenv("CI", raising=False)
        out = io.StringIO()
    run_phase(Progress(out))
    assert "\r" not in out.getvalue() and "…" not in out.getvalue()
    assert out.getvalue().count("\n") == 1 and "validate" in out.getvalue()


def test_hub_build_reports_each_phase_with_its_count_and_time(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    build(project)
    lines = capsys.readouterr().out.splitlines()
    phase_lines = [PHASE_LINE.match(line) for line in lines if line.startswith("  ")]
    assert all(phase_lines), lines
    found = {m.group(1): int(m.group(2).replace(",", "")) for m in phase_lines if m}
    assert list(found) == ["validate", "generate", "mkdocs", "scan", "search index"]
    assert found["validate"] == 0, "no case studies in this project"
    assert found["generate"] > 180 and found["mkdocs"] > 180 and found["scan"] == found["search index"] > 180
    assert lines[-1].startswith("Built the site for 0 case studies into site/ in ")
