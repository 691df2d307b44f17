"""The emulator kit (docs/testing.md): its wheel holds the emulator, the breaks, the plugin
and the command and nothing of the site; installed offline into a fresh virtual environment
it runs the page's sample test suite (snippets/test_reply.py on snippets/reply.py) against
every answer shape that fits the sample's request and the breaks of each; its verdicts
catch code written wrong, naming the answer, the break and the fix; its command serves a
shape or a break, and runs any program once per answer."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from streamdocs import wheelhouse
from streamdocs.emulator import client
from streamdocs.emulator.fit import misfit
from streamdocs.emulator.models import known
from streamdocs.kit import catalogue
from streamdocs.kit.answers import NATURAL, answers
from streamdocs.paths import ROOT, SNIPPETS
from streamdocs.samples import matrix
from streamdocs.sse import json_events

[REPLY] = [sample for sample in matrix.samples() if sample.name == "reply"]
PROJECT = ("reply.py", "test_reply.py")  # the page's sample reader project
SHAPES = catalogue.catalogue()
# The modules and data the wheel must hold, and what it must not.
HOLDS = ("streamdocs/kit/plugin.py", "streamdocs/kit/cli.py", "streamdocs/emulator/breaks.py",
         "streamdocs/emulator/server.py", "streamdocs/emulator/models.yaml",
         "streamdocs/sse.py")  # fmt: skip
LEAVES_OUT = ("streamdocs/site/", "streamdocs/samples/", "streamdocs/markdown/",
              "streamdocs/recording/", "streamdocs/emulator/client.py",
              "streamdocs/emulator/canned.py")  # fmt: skip


# The tests that use the wheel run in one process, which builds it once.
ONE_WHEEL = pytest.mark.xdist_group("kit-wheel")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return wheelhouse.kit(tmp_path_factory.mktemp("dist"))


@ONE_WHEEL
def test_make_wheel_builds_the_emulator_its_breaks_the_plugin_and_the_command_only(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        requires = [
            Requirement(line.split(":", 1)[1].strip())
            for line in archive.read(f"{info}/METADATA").decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]
    missing = [name for name in HOLDS if name not in names]
    assert not missing, f"the wheel lacks {missing}"
    for folder in ("scenarios", "shapes"):
        here = sorted(p.name for p in (ROOT / "streamdocs/emulator" / folder).glob("*.yaml"))
        packed = sorted(n.rsplit("/", 1)[1] for n in names if f"emulator/{folder}/" in n)
        assert packed == here, f"the wheel's emulator/{folder}/ differs from the repository's"
    extra = [n for n in names if n.startswith(LEAVES_OUT)]
    assert not extra, f"the wheel holds parts of the site: {extra}"
    assert "claude-stream-emulator = streamdocs.kit.cli:main" in entry_points
    assert re.search(r"\[pytest11\]\s+claude_stream_emulator = streamdocs.kit.plugin", entry_points)
    # each dependency admits the version the lock installed (what the offline install uses)
    for requirement in requires:
        installed = metadata.version(requirement.name)
        assert requirement.specifier.contains(installed), (requirement, installed)


@pytest.fixture(scope="module")
def fresh_python(wheel, tmp_path_factory) -> Path:
    """A new virtual environment holding the kit and what the sample project needs, installed
    with pip --no-index from the wheel and the locked packages (streamdocs/wheelhouse.py)."""
    return wheelhouse.fresh_kit(tmp_path_factory.mktemp("fresh"), wheel)


def reader_project(folder: Path) -> Path:
    """The page's sample project, copied as a reader has it: two files in a folder."""
    folder.mkdir(exist_ok=True)
    for name in PROJECT:
        shutil.copy(SNIPPETS / name, folder / name)
    return folder


def clean_env(**extra: str) -> dict[str, str]:
    """No key, no base URL, no path to this checkout: only what a reader's shell has."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "PYTHON"))}
    return {**env, **extra}


def junit(path: Path) -> dict[str, tuple[str, str]]:
    """test name (with its parameters) -> (passed / skipped / failed, the message)."""
    found = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        param = case.get("name", "")
        child = next((c for c in case if c.tag in ("skipped", "failure", "error")), None)
        outcome = {None: "passed", "skipped": "skipped"}.get(getattr(child, "tag", None), "failed")
        said = "" if child is None else child.get("message", "") + (child.text or "")
        found[param] = (outcome, said)
    return found


@ONE_WHEEL
def test_installed_offline_the_kit_runs_the_pages_suite_against_every_answer(
    fresh_python, tmp_path
):
    project = reader_project(tmp_path / "project")
    report = tmp_path / "report.xml"
    done = subprocess.run(
        [str(fresh_python), "-m", "pytest", "-p", "no:cacheprovider", "-q",
         f"--junitxml={report}", "test_reply.py"],
        cwd=project, env=clean_env(), capture_output=True, text=True,
    )  # fmt: skip
    assert report.exists(), done.stdout + done.stderr
    ran = junit(report)
    expected = {}
    for answer in answers():
        why = None if answer.name == NATURAL else misfit(SHAPES[answer.name], REPLY.request)
        expected[f"test_reply_survives_every_answer[{answer.id}]"] = "skipped" if why else "passed"
    wrong = {
        answer: ran.get(answer, ("not run", ""))
        for answer, outcome in expected.items()
        if ran.get(answer, ("",))[0] != outcome
    }
    assert not wrong and set(ran) == set(expected), (
        f"expected {expected}, but: {wrong}; extra: {set(ran) - set(expected)}\n"
        + done.stdout[-3000:]
    )
    assert all("the API cannot give shape" in message for outcome, message in ran.values()
               if outcome == "skipped")  # fmt: skip
    # the plugin came by its entry point (no -p), with the kit's own model list
    probe = "import sys, streamdocs.kit.plugin; print('anthropic' in sys.modules)"
    said = subprocess.run([str(fresh_python), "-c", probe], cwd=tmp_path, env=clean_env(),
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert said.stdout.strip() == "False", "the kit imports the SDK to know its models"
    listed = subprocess.run(
        [str(fresh_python.parent / "claude-stream-emulator"), "--list"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert all(f"  {name}\n" in listed for name in SHAPES), listed[:500]


@ONE_WHEEL
def test_a_checkout_builds_the_kit_as_pip_install_does(fresh_python, tmp_path):
    """`pip install ./kit` from a clone: pip builds it in an isolated environment holding the
    backend kit/pyproject.toml names (here from the locked wheels, offline)."""
    wheelhouse.build(["hatchling"], tmp_path / "backend")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(fresh_python), "wheel", "--quiet",
         "--disable-pip-version-check", "--no-deps", "--no-index",
         "--find-links", str(tmp_path / "backend"), "-w", str(tmp_path / "built"),
         str(wheelhouse.KIT)],
        check=True, env=wheelhouse.pip_env(), capture_output=True, text=True,
    )  # fmt: skip
    [built] = (tmp_path / "built").glob("claude_stream_emulator-*.whl")
    with zipfile.ZipFile(built) as archive:
        assert all(name in archive.namelist() for name in HOLDS)


# --- the verdicts catch code written wrong ----------------------------------------------

WRONG = """
import anthropic
import pytest

MODEL = "claude-sonnet-5-5"
ASK = [{"role": "user", "content": "Write a haiku about the sea."}]
TOOLS = [{"name": "get_weather", "input_schema": {"type": "object"}}]


def stream(client, **extra):
    return client.messages.stream(
        model=MODEL, max_tokens=1024, messages=ASK, **extra
    )


def takes_a_clean_end_for_success(client):
    with stream(client) as answer:
        for text in answer.text_stream:
            print(text, end="")
    print("\\ndone")


def keeps_text_until_the_end(client):
    shown = []
    try:
        with stream(client) as answer:
            for text in answer.text_stream:
                shown.append(text)
            message = answer.get_final_message()
    except anthropic.APIError as err:
        print(f"interrupted: {err}")
        return
    print("".join(shown), message.stop_reason)


def assumes_a_tool_call(client):
    with stream(client, tools=TOOLS) as answer:
        message = answer.get_final_message()
    call = next(b for b in message.content if b.type == "tool_use")
    print(call.name, message.stop_reason)


def reads_the_version_from_the_model(client):
    with stream(client) as answer:
        message = answer.get_final_message()
    major = int(message.model.split("-")[2])
    print(message.content[-1].text, message.stop_reason, major)


def ignores_the_stop_reason(client):
    with stream(client) as answer:
        print(answer.get_final_text())


def check(claude_answer, code):
    # no retries, a short read timeout: the stalls here cost little
    client = anthropic.Anthropic(timeout=anthropic.Timeout(10, read=0.3), max_retries=0)
    claude_answer.check(code, client)


@pytest.mark.claude_answers(shapes=["natural"])
def test_clean_end(claude_answer):
    check(claude_answer, takes_a_clean_end_for_success)


@pytest.mark.claude_answers(shapes=["natural"])
def test_text_kept(claude_answer):
    check(claude_answer, keeps_text_until_the_end)


@pytest.mark.claude_answers(shapes=["tools_text_only"], faults=False)
def test_tool_call(claude_answer):
    check(claude_answer, assumes_a_tool_call)


@pytest.mark.claude_answers(shapes=["natural"])
def test_model(claude_answer):
    check(claude_answer, reads_the_version_from_the_model)


@pytest.mark.claude_answers(shapes=["max_tokens"], faults=False)
def test_stop_reason(claude_answer):
    check(claude_answer, ignores_the_stop_reason)


# made at import, before the test: its own settings, not the kit's (port 9: nothing there)
EARLY = anthropic.Anthropic(base_url="http://127.0.0.1:9", max_retries=0)


@pytest.mark.claude_answers(shapes=["natural"], faults=False)
def test_early_client(claude_answer):
    claude_answer.check(ignores_the_stop_reason, EARLY)


async def streams_asynchronously():
    async with anthropic.AsyncAnthropic() as client:
        async with client.messages.stream(
            model=MODEL, max_tokens=1024, messages=ASK
        ) as answer:
            message = await answer.get_final_message()
    print(message.content[-1].text, message.stop_reason)


@pytest.mark.claude_answers(shapes=["natural", "max_tokens"], faults=False)
def test_async(claude_answer):
    claude_answer.check(streams_asynchronously)
"""
CAUGHT = {
    "test_clean_end[natural-faults]": ("ended cleanly after event",
                                       "presented the answer as complete"),
    "test_text_kept[natural-faults]": ("dropped after event", "lost text that had"),
    "test_tool_call[tools_text_only]": ("tools_text_only", "crashed with StopIteration"),
    "test_model[natural-faults]": ("names model", "crashed with ValueError"),
    "test_stop_reason[max_tokens]": ("max_tokens", "did not say the answer stopped for"),
    "test_early_client[natural]": ("ignores_the_stop_reason", "sent no request to the emulator"),
}  # fmt: skip
# Their natural answers are whole and end normally: there, each is right, and passes.
RIGHT = ["test_clean_end[natural]", "test_text_kept[natural]", "test_model[natural]",
         "test_async[natural]", "test_async[max_tokens]"]  # fmt: skip


def test_the_plugin_fails_code_written_wrong_naming_answer_break_and_fix(tmp_path):
    (tmp_path / "test_wrong.py").write_text(WRONG, encoding="utf-8")
    report = tmp_path / "report.xml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "streamdocs.kit.plugin", "-p", "no:cacheprovider",
         "-q", f"--junitxml={report}", "--claude-stall=1", "test_wrong.py"],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True,
    )  # fmt: skip
    ran = junit(report)
    assert set(ran) == {*CAUGHT, *RIGHT}, done.stdout[-2000:]
    for case, (where, said) in CAUGHT.items():
        outcome, message = ran[case]
        assert outcome == "failed", f"{case}: the kit let it pass"
        assert where in message and said in message, (case, message[:800])
        if case != "test_early_client[natural]":  # no answer to serve again: none was asked
            assert "Fix:" in message and "claude-stream-emulator" in message, message[:800]
    assert all(ran[case][0] == "passed" for case in RIGHT), {c: ran[c] for c in RIGHT}


# --- the command -------------------------------------------------------------------------

KIT = [sys.executable, "-m", "streamdocs.kit"]
# Any language's program: this one is Python without the SDK, reading the stream itself.
PROGRAM = """
import json, os, sys, urllib.request

request = urllib.request.Request(
    os.environ["ANTHROPIC_BASE_URL"] + "/v1/messages",
    data=json.dumps({"model": "claude-sonnet-5-5", "max_tokens": 1024, "stream": True,
                     "messages": [{"role": "user", "content": "Write a haiku about the sea."}]}
                    ).encode(),
    headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"], "content-type": "application/json"},
)
stop = None
try:
    with urllib.request.urlopen(request, timeout=0.3) as response:
        for line in response:
            if line.startswith(b"data: "):
                event = json.loads(line[6:])
                if event["type"] == "content_block_delta" and "text" in event["delta"]:
                    print(event["delta"]["text"], end="", flush=True)
                elif event["type"] == "message_delta":
                    stop = event["delta"]["stop_reason"]
                elif event["type"] == "message_stop":
                    print(f"\\nstop_reason: {stop}")
                    sys.exit(0)
except Exception as err:
    sys.exit(f"\\ninterrupted: {err!r}")
CHECKED
"""


def test_the_command_lists_every_shape_and_rule():
    listed = subprocess.run([*KIT, "--list"], capture_output=True, text=True, check=True).stdout
    assert all(f"  {name}\n" in listed for name in SHAPES)
    assert all(rule in listed for _, rule, _ in catalogue.break_rules())


def test_the_command_serves_a_shape_and_a_break_of_its_answer():
    request = client.request_for(SHAPES["max_tokens"], stream=True)
    for options, check in (
        (["--shape", "max_tokens"], lambda events: events[-1][1]["type"] == "message_stop"),
        (["--shape", "max_tokens", "--fault", "cut=700"], lambda events: len(events) < 8),
    ):
        serving = subprocess.Popen([*KIT, *options, "--port", "0"], stdout=subprocess.PIPE,
                                   text=True)  # fmt: skip
        try:
            lines = [serving.stdout.readline() for _ in range(3)]
            url = next(line.split("=", 1)[1].strip() for line in lines if "BASE_URL=" in line)
            _, body = client.post(url, request, timeout=5)
        finally:
            serving.terminate()
            serving.wait(timeout=10)
        events = json_events(body)
        deltas = [e for _, e in events if e.get("type") == "message_delta"]
        assert check(events), (options, body[-300:])
        if "--fault" in options:
            assert len(body) == 700, "the cut is not where the spec says"
        else:
            assert deltas[0]["delta"]["stop_reason"] == "max_tokens"


@pytest.mark.parametrize("checked", [True, False], ids=["checked", "no-stop-check"])
def test_the_command_runs_a_program_once_per_answer_and_judges_it(tmp_path, checked):
    # written wrong, the program exits 0 when the stream ends without message_stop
    tail = 'sys.exit("\\ninterrupted: no message_stop")' if checked else 'print("\\ndone")'
    program = tmp_path / "program.py"
    program.write_text(PROGRAM.replace("CHECKED", tail), encoding="utf-8")
    done = subprocess.run(
        [*KIT, "--shape", "natural", "--shape", "max_tokens", "--shape", "tool_use",
         "--jobs", "2", "--stall", "1", "--", sys.executable, str(program)],
        capture_output=True, text=True, env=clean_env(), timeout=300,
    )  # fmt: skip
    out = done.stdout
    assert "skip  tool_use: it needs tools" in out, out
    if checked:
        assert done.returncode == 0, out + done.stderr
        assert "ok    natural\n" in out and "ok    max_tokens-faults (" in out, out
        return
    assert done.returncode == 1, out
    assert "FAIL  natural-faults:" in out and "ended cleanly after event" in out, out
    assert "presented the answer as complete" in out and "Run it again: " in out, out
    again = re.search(r"Run it again: claude-stream-emulator (--fault cut=\d+:clean) --", out)
    assert again, "no command that serves the failing answer again"
    assert json.loads(json.dumps(done.returncode)) == 1


# --- the page ----------------------------------------------------------------------------


def test_the_page_lists_every_shape_break_and_model_the_kit_has(built_site):
    """docs/testing.md's lists are filled at build time from the catalogue (streamdocs/
    markdown/kit.py): every shape, with what it is and what it needs; every break rule;
    every model id the kit knows."""
    page = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    for name in ("shapes", "faults", "models"):
        assert f"<!-- kit:{name} -->" in page, f"docs/testing.md lost its kit:{name} list"
    built = (built_site / "testing" / "index.html").read_text(encoding="utf-8")
    for shape in catalogue.shapes():
        row = re.search(rf"<td><code>{shape.name}</code></td>\s*<td>(.*?)</td>", built, re.S)
        assert row, f"the built page does not list shape {shape.name}"
        assert shape.tests.split("`")[0][:30] in row[1]
    for _, rule, _ in catalogue.break_rules():
        assert rule.split("`")[0][:40] in built
    assert all(f"<code>{model_id}</code>" in built for model_id in known())


def test_the_command_judges_a_typescript_program():
    """The TypeScript side gets the kit through the command: the site's TypeScript complete
    example, run by Node, against a few answers."""
    from streamdocs import node

    done = subprocess.run(
        [*KIT, "--shape", "natural", "--shape", "max_tokens", "--shape", "early_end",
         "--faults", "none", "--", node.executable(), "complete_example.ts"],
        cwd=SNIPPETS / "ts", capture_output=True, text=True, env=clean_env(), timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[:3] == ["ok    natural", "ok    max_tokens", "ok    early_end"]
