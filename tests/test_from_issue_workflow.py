"""The from-issue workflow (.github/workflows/from-issue.yml) rehearsed on recorded `issues` events.

Each rehearsal runs the workflow's own `run:` scripts with bash, as the runner does (its shell,
its `if:` conditions, `${{ }}` expressions filled in from the event wherever they stand, outputs
passed on through $GITHUB_OUTPUT), in a git checkout of an empty hub whose `origin` is a bare
repository on disk. The real `hub from-issue` runs, and the real git commits and pushes; only
`gh`, GitHub's command line, is a stub on PATH that records what it was asked and with which
token. The events are recorded payloads (tests/fixtures/events/): an issue made from the form,
one whose answers are hostile but valid, and one whose hostile answers the hub refuses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, ROOT, copy_project
from hub.commands.from_issue import from_issue
from hub.model.reference import load_reference
from hub.model.values import suggest_slug
from test_workflows import FROM_ISSUE, FROM_ISSUE_WRITES

EVENTS = FIXTURES / "events"
ORDINARY = EVENTS / "issues-labeled.json"
HOSTILE = EVENTS / "issues-labeled-hostile.json"
REFUSED = EVENTS / "issues-labeled-hostile-refused.json"
REF = load_reference(ROOT / "practice" / "reference", ROOT)
VENV = Path(sys.executable).parent.parent
TOKEN = "ghs_rehearsal0000000000000000000000000000"
PULL_URL = "https://github.com/childrens-services-practice-hub/hub/pull/77"
# What the runner stands for with the rehearsal's own checkout and .venv.
REPLACED = {"actions/checkout", "actions/setup-python", "make install"}
# The steps a test reads by name.
ANSWERS, TELL, COMMIT, OPEN = (
    "Make the case study from the issue's answers",
    "Tell the contributor what to change",
    "Commit the case study to the issue's branch",
    "Open the pull request and link it on the issue",
)

# GitHub's command line, as a stub: one JSON line per call (arguments, the token and repository it
# was given, and the text of any --body-file); `gh pr create` prints the new pull request's address.
GH_STUB = """\
#!{python}
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
call = {{"args": args, "token": os.environ.get("GH_TOKEN"), "repo": os.environ.get("GH_REPO")}}
if "--body-file" in args:
    call["body"] = Path(args[args.index("--body-file") + 1]).read_text(encoding="utf-8")
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(call) + "\\n")
if args[:2] == ["pr", "create"]:
    print({url!r})
"""


# ---------------------------------------------------------------- GitHub's expressions, as the workflow uses them

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _lookup(path: str, context: dict[str, Any]) -> Any:
    """`github.event.issue.number` or `github.event.issue.labels.*.name` in the context."""
    value: Any = context
    for part in path.split("."):
        if part == "*":
            assert isinstance(value, list), path
            continue
        if isinstance(value, list):
            value = [item[part] for item in value]
        else:
            assert isinstance(value, dict) and part in value, f"the rehearsal does not know {path!r}"
            value = value[part]
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _fill(text: str, context: dict[str, Any]) -> str:
    """`text` with every `${{ path }}` replaced by its value, as the runner does before a step runs."""
    return EXPRESSION.sub(lambda m: _text(_lookup(m.group(1), context)), text)


def _holds(condition: str | None, context: dict[str, Any], failed: bool) -> bool:
    """Whether an `if:` holds: clauses joined by &&; success() is implied without a status check."""
    clauses = [c.strip() for c in EXPRESSION.sub(r"\1", condition or "").split("&&") if c.strip()]
    if not any(c in ("success()", "failure()", "always()") for c in clauses):
        clauses.append("success()")
    for clause in clauses:
        contains = re.fullmatch(r"contains\(([\w.*-]+),\s*'([^']*)'\)", clause)
        equals = re.fullmatch(r"([\w.*-]+)\s*==\s*'([^']*)'", clause)
        if clause in ("success()", "failure()", "always()"):
            held = {"success()": not failed, "failure()": failed, "always()": True}[clause]
        elif contains:
            held = contains.group(2) in _lookup(contains.group(1), context)
        elif equals:
            held = _text(_lookup(equals.group(1), context)) == equals.group(2)
        else:
            raise AssertionError(f"the rehearsal cannot evaluate {clause!r}")
        if not held:
            return False
    return True


# ---------------------------------------------------------------- the rehearsal


def _git(where: Path, *args: str) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(where), "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8"}
    result = subprocess.run(["git", *args], cwd=where, env=env, capture_output=True, text=True, check=True)
    return result.stdout


@dataclass
class Step:
    name: str
    outcome: str  # success, failure or skipped
    stdout: str = ""
    stderr: str = ""


@dataclass
class Rehearsal:
    ran: bool  # whether the job's `if:` held
    checkout: Path
    origin: Path
    temp: Path
    steps: dict[str, Step] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)  # what gh was asked, in order

    def commands(self) -> list[list[str]]:
        """gh's arguments, each --body-file's path shown as FILE."""
        return [["FILE" if a.startswith(str(self.temp)) else a for a in c["args"]] for c in self.calls]


def _workflow() -> dict[str, Any]:
    doc = yaml.safe_load(FROM_ISSUE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def rehearse(tmp_path: Path, event_path: Path, event: dict[str, Any] | None = None) -> Rehearsal:
    """Run the from-issue job on an `issues` event as a runner would; what happened."""
    doc = _workflow()
    assert doc["defaults"] == {"run": {"shell": "bash"}}, "the rehearsal runs scripts as `shell: bash` does"
    (name,) = doc["jobs"]
    job = doc["jobs"][name]
    event = event if event is not None else json.loads(event_path.read_text(encoding="utf-8"))
    tmp_path.mkdir(parents=True, exist_ok=True)
    recorded = tmp_path / "event.json"
    recorded.write_text(json.dumps(event), encoding="utf-8")
    github = {"event": event, "repository": event["repository"]["full_name"], "token": TOKEN}
    context: dict[str, Any] = {"github": github, "steps": {}}

    # The checkout: an empty hub committed on main, pushed to a bare `origin`, and the .venv in use.
    checkout, origin, temp, home, stubs = (tmp_path / d for d in ("checkout", "origin.git", "temp", "home", "bin"))
    for folder in (checkout, temp, home, stubs):
        folder.mkdir()
    copy_project(checkout)
    shutil.copy(ROOT / ".gitignore", checkout / ".gitignore")
    _git(checkout, "init", "-q", "-b", "main")
    _git(checkout, "add", "-A")
    _git(checkout, "-c", "user.name=Maintainer", "-c", "user.email=m@example.test", "commit", "-q", "-m", "The hub")
    _git(tmp_path, "init", "-q", "--bare", str(origin))
    _git(checkout, "remote", "add", "origin", str(origin))
    _git(checkout, "push", "-q", "origin", "main")
    (checkout / ".venv").symlink_to(VENV)
    log = tmp_path / "gh.jsonl"
    gh = stubs / "gh"
    gh.write_text(GH_STUB.format(python=sys.executable, log=str(log), url=PULL_URL), encoding="utf-8")
    gh.chmod(0o755)

    rehearsal = Rehearsal(ran=_holds(job.get("if"), context, failed=False), checkout=checkout, origin=origin, temp=temp)
    if not rehearsal.ran:
        return rehearsal
    runner = {
        "PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GITHUB_EVENT_PATH": str(recorded),
        "GITHUB_REPOSITORY": github["repository"],
        "RUNNER_TEMP": str(temp),
    }
    failed = False
    replaced = set()
    for index, step in enumerate(job["steps"]):
        where = step.get("uses", "").split("@")[0] or step.get("run")
        if where in REPLACED:
            replaced.add(where)
            continue
        if not _holds(step.get("if"), context, failed):
            rehearsal.steps[step["name"]] = Step(step["name"], "skipped")
            continue
        env = dict(runner)
        for values in (doc.get("env"), job.get("env"), step.get("env")):
            env.update({key: _fill(str(value), context) for key, value in (values or {}).items()})
        outputs = temp / f"output-{index}"
        outputs.touch()
        env["GITHUB_OUTPUT"] = str(outputs)
        script = temp / f"step-{index}.sh"
        script.write_text(_fill(step["run"], context), encoding="utf-8")
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        outcome = "success" if result.returncode == 0 else "failure"
        failed = failed or outcome == "failure"
        rehearsal.steps[step["name"]] = Step(step["name"], outcome, result.stdout, result.stderr)
        found = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
        if "id" in step:
            context["steps"][step["id"]] = {"outcome": outcome, "outputs": found}
    assert replaced == REPLACED, "every step the rehearsal does not run is one it stands for"
    if log.exists():
        rehearsal.calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return rehearsal


def _body(event_path: Path) -> str:
    body = json.loads(event_path.read_text(encoding="utf-8"))["issue"]["body"]
    assert isinstance(body, str)
    return body


def _expected(event_path: Path) -> tuple[str, set[str]]:
    """The file `hub from-issue` makes from the event's issue (its path), and the texts it may
    hold: `published` is the day it runs."""
    body = _body(event_path)
    title = re.search(r"^### Title\n\n(.*)$", body, re.M)
    assert title is not None
    texts = set()
    for day in (date.today() - timedelta(days=1), date.today()):
        text, problems = from_issue(body + "\n", REF, day, "standard input")
        assert problems == []
        texts.add(text)
    return f"practice/{suggest_slug(title.group(1))}.yml", texts


def _no_marker(tmp_path: Path) -> None:
    """Nothing the hostile text asks a shell to do was done: it would have made a file `pwned`."""
    assert list(tmp_path.rglob("pwned")) == []


# ---------------------------------------------------------------- the rehearsals


def _opens_a_pull_request(tmp_path: Path, event_path: Path) -> tuple[Rehearsal, str]:
    number = json.loads(event_path.read_text(encoding="utf-8"))["issue"]["number"]
    run = rehearse(tmp_path, event_path)
    assert run.ran
    _no_marker(tmp_path)
    assert {s.name: s.outcome for s in run.steps.values()} == {
        ANSWERS: "success",
        TELL: "skipped",
        COMMIT: "success",
        OPEN: "success",
    }, {s.name: s.stderr for s in run.steps.values()}
    path, texts = _expected(event_path)
    branch = f"case-study/issue-{number}"

    # One commit on the issue's branch, pushed, adding exactly the file hub from-issue makes.
    added = _git(run.origin, "diff-tree", "--no-commit-id", "--name-status", "-r", "main", branch)
    assert added == f"A\t{path}\n"
    assert _git(run.origin, "show", f"{branch}:{path}") in texts
    assert _git(run.origin, "rev-list", "--count", f"main..{branch}") == "1\n"
    bot = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    assert (
        _git(run.origin, "log", "-1", "--format=%an <%ae>%n%s", branch) == f"{bot}\nCase study from issue #{number}\n"
    )
    assert _git(run.origin, "for-each-ref", "--format=%(refname)") == f"refs/heads/{branch}\nrefs/heads/main\n"

    # gh: the token for git, the pull request, the comment; each with the token and the repository.
    assert run.commands() == [
        ["auth", "setup-git"],
        ["pr", "create", "--base", "main", "--head", branch, "--title", f"Case study from #{number}: {path}"]
        + ["--body-file", "FILE"],
        ["issue", "comment", str(number), "--body-file", "FILE"],
    ]
    assert all(c["token"] == TOKEN and c["repo"] == "childrens-services-practice-hub/hub" for c in run.calls)
    pull, comment = run.calls[1]["body"], run.calls[2]["body"]
    assert pull == (
        f"Made by the from-issue workflow (`hub from-issue`) from the answers in #{number}.\n\n"
        f"Before merging, check `{path}` with the contributor on #{number} and against its sources.\n"
        "The check does not run by itself on a pull request opened by GitHub Actions:\n"
        "close and reopen this pull request to run it.\n\n"
        f"Closes #{number}.\n"
    )
    assert comment == (
        f"Thank you. Your answers are now a case study in a pull request: {PULL_URL}\n\n"
        "A maintainer will check it with you there before it is published.\n"
    )
    return run, path


def test_an_accepted_issue_becomes_a_pull_request(tmp_path: Path) -> None:
    _opens_a_pull_request(tmp_path, ORDINARY)


def test_hostile_answers_are_only_ever_data(tmp_path: Path) -> None:
    run, path = _opens_a_pull_request(tmp_path, HOSTILE)
    made = _git(run.origin, "show", f"case-study/issue-42:{path}")
    for typed in ("$(touch pwned)", "`touch pwned`", "${{ github.token }}", "::warning::a warning", "<script>"):
        assert typed in made, f"{typed!r} is kept as typed"
    assert TOKEN not in made
    # Nothing the contributor typed reaches gh or the log, but the file's name: letters, digits, hyphens.
    assert re.fullmatch(r"practice/[a-z0-9-]+\.yml", path)
    sent = json.dumps([c["args"] + [c.get("body", "")] for c in run.calls]).replace(path, "FILE")
    for typed in ("touch", "octocat", "script", "::"):
        assert typed not in sent
    assert not any(line.startswith("::") for s in run.steps.values() for line in (s.stdout + s.stderr).splitlines())


def test_refused_answers_are_quoted_back_as_plain_text_and_nothing_is_opened(tmp_path: Path) -> None:
    run = rehearse(tmp_path, REFUSED)
    assert {s.name: s.outcome for s in run.steps.values()} == {
        ANSWERS: "failure",
        TELL: "success",
        COMMIT: "skipped",
        OPEN: "skipped",
    }, {s.name: s.stderr for s in run.steps.values()}
    _no_marker(tmp_path)
    assert _git(run.origin, "for-each-ref", "--format=%(refname)") == "refs/heads/main\n", "nothing pushed"
    assert not list((run.checkout / "practice").glob("*.yml")), "nothing written"
    assert run.commands() == [["issue", "comment", "43", "--body-file", "FILE"]]
    assert run.calls[0]["token"] == TOKEN

    problems = (run.temp / "problems.txt").read_text(encoding="utf-8")
    assert "standard input:" in problems and "nothing was written" in problems
    heading = "'### $(touch pwned) ```` @octocat <b>bold</b>' is not a question on the form"
    assert heading in problems
    # The comment quotes hub's messages in a code block whose fence no line of them can close,
    # so the contributor's text shows as typed: no markup, no mention, no way out of the block.
    comment = run.calls[0]["body"].split("\n")
    fences = [i for i, line in enumerate(comment) if re.fullmatch(r"`{3,}", line)]
    assert len(fences) == 2, comment
    fence = comment[fences[0]]
    assert comment[fences[1]] == fence and comment[-1] == ""
    assert "\n".join(comment[fences[0] + 1 : fences[1]]) + "\n" == problems
    assert not any(fence in line for line in comment[fences[0] + 1 : fences[1]])
    assert "@octocat" not in "\n".join(comment[: fences[0]])

    # The messages shown in the log are fenced off from workflow commands by a token nobody can guess.
    shown = run.steps[ANSWERS].stdout.split("\n")
    stop = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", shown[0])
    assert stop is not None, shown[0]
    assert shown[1:] == [*problems.split("\n")[:-1], f"::{stop.group(1)}::", ""]


def test_it_runs_only_for_the_accepted_label_on_an_issue_made_from_the_form(tmp_path: Path) -> None:
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "case-study.yml").read_text(encoding="utf-8"))
    assert form["labels"] == ["case study"], "the label the workflow looks for"
    event = json.loads(ORDINARY.read_text(encoding="utf-8"))
    other_label = dict(event, label=dict(event["label"], name="duplicate"))
    not_from_form = dict(event, issue=dict(event["issue"], labels=[event["label"]]))
    for n, skipped in enumerate((other_label, not_from_form)):
        run = rehearse(tmp_path / str(n), ORDINARY, skipped)
        assert not run.ran and run.calls == []


def test_the_job_holds_only_what_it_uses() -> None:
    doc = _workflow()
    assert doc["permissions"] == {}
    assert {name: job["permissions"] for name, job in doc["jobs"].items()} == FROM_ISSUE_WRITES
    # The token goes to the steps that call gh, and only them; hub never sees it.
    for step in doc["jobs"]["pull-request"]["steps"]:
        run = step.get("run", "")
        assert ("GH_TOKEN" in step.get("env", {})) == bool(re.search(r"\bgh ", run)), step["name"]
        if ".venv/bin/hub from-issue" in run:
            assert set(step["env"]) == {"ISSUE_BODY"}
    assert "GH_TOKEN" not in str(doc["jobs"]["pull-request"]["env"])


@pytest.mark.parametrize("event_path", [ORDINARY, HOSTILE, REFUSED], ids=lambda p: p.stem)
def test_the_recorded_events_are_issues_labeled_accepted_from_the_form(event_path: Path) -> None:
    event = json.loads(event_path.read_text(encoding="utf-8"))
    assert event["action"] == "labeled" and event["label"]["name"] == "accepted"
    assert {label["name"] for label in event["issue"]["labels"]} == {"case study", "accepted"}
    assert _body(event_path).startswith("### Title\n\n")
