"""The GitHub workflows hang together: what no runner here can run is at least read.

Each workflow parses; every step runs one thing; a step's `if:` or text reads only
the outputs of steps defined before it; a command piped into `tee` fails the step
when it fails (bash with pipefail); every `make TARGET` is a Makefile target; and
every scheduled workflow can also be started by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from streamdocs.paths import RECORDED, ROOT, rel

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TARGETS = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as true
    return workflow


def problems(workflow: dict) -> list[str]:
    found = []
    triggers = workflow["on"] if isinstance(workflow["on"], dict) else {}
    if "schedule" in triggers and "workflow_dispatch" not in triggers:
        found.append("scheduled but not startable by hand (workflow_dispatch)")
    for name, job in workflow["jobs"].items():
        job_shell = job.get("defaults", {}).get("run", {}).get("shell")
        seen: set[str] = set()
        for number, step in enumerate(job.get("steps", []), 1):
            where = f"job {name}, step {number} ({step.get('name') or step.get('uses')})"
            if ("uses" in step) == ("run" in step):
                found.append(f"{where}: needs exactly one of `uses` and `run`")
            text = yaml.safe_dump(step)
            for used in re.findall(r"steps\.([\w-]+)\.", text):
                if used not in seen:
                    found.append(f"{where}: reads steps.{used}, not defined before it")
            run = step.get("run", "")
            if re.search(r"\|\s*tee\b", run) and (step.get("shell") or job_shell) != "bash":
                found.append(f"{where}: pipes into tee without `shell: bash` (pipefail)")
            for target in re.findall(r"\bmake\s+([a-z][a-z-]*)", run):
                if target not in TARGETS:
                    found.append(f"{where}: runs `make {target}`, which the Makefile lacks")
            if "id" in step:
                seen.add(step["id"])
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_workflow_hangs_together(path):
    assert not problems(load(path)), f"{path.name}:\n" + "\n".join(problems(load(path)))


def test_the_checks_catch_a_broken_workflow():
    broken = {
        "on": {"schedule": [{"cron": "0 0 * * 1"}]},
        "jobs": {
            "j": {
                "steps": [
                    {"run": "make tset | tee out.txt", "if": "steps.later.outcome == 'x'"},
                    {"id": "later", "uses": "a/b@v1", "run": "true"},
                ]
            }
        },
    }
    found = "\n".join(problems(broken))
    for expected in ("workflow_dispatch", "reads steps.later", "without `shell: bash`",
                     "`make tset`", "exactly one of"):  # fmt: skip
        assert expected in found


def test_there_are_the_workflows_the_readme_names():
    readme = (ROOT / "README.md").read_text()
    names = {path.name for path in WORKFLOWS}
    assert {"test.yml", "deploy.yml", "audit.yml", "sdk-bump.yml", "live-rerecord.yml"} <= names
    for name in names:
        assert f".github/workflows/{name}" in readme, f"README does not mention {name}"


def test_the_bump_pull_request_carries_everything_make_record_rewrites():
    """Issue 23: it left out the answer-matrix page, which `make record` regenerates."""
    [bump] = [path for path in WORKFLOWS if path.name == "sdk-bump.yml"]
    steps = [step for job in load(bump)["jobs"].values() for step in job["steps"]]
    [opened] = [s for s in steps if "create-pull-request" in s.get("uses", "")]
    carried = set(opened["with"]["add-paths"].split())
    missing = [
        rel(path)
        for path in RECORDED
        if (rel(path) + "/**" if path.is_dir() else rel(path)) not in carried
    ]
    assert not missing, f"sdk-bump.yml's pull request leaves out {missing}: add them to add-paths"
