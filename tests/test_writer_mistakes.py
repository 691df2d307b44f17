"""The mistakes a writer can make, each caught with a message that names the file and the fix.

The static checks (streamdocs/site/checks.py) run on the real tree, and on scratch pages
that make each mistake on purpose. The mistakes only a sample run can see (no
cassette, a cassette with a request left unplayed, a stale output, a changed prompt)
are made in a scratch copy of the project, whose own `pytest` must fail saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from streamdocs.paths import ROOT, copy_project
from streamdocs.recording import cassettes
from streamdocs.samples.cases import NAMED_TESTS, all_cases
from streamdocs.site import checks as pages

# Cassettes replayed by a test of their own rather than by tests/test_samples.py.
BESPOKE_CASSETTES = {Path(name).stem for name in NAMED_TESTS if name.endswith(".sh")}


def _report(problems: list[str]) -> str:
    return "\n".join(problems)


# --- the real tree ----------------------------------------------------------------------


def test_every_code_block_is_an_included_snippet_or_marked():
    assert not (problems := pages.unmarked_blocks(ROOT)), _report(problems)


def test_every_not_runnable_marker_marks_a_fence():
    assert not (problems := pages.stray_markers(ROOT)), _report(problems)


def test_every_include_names_an_existing_snippet():
    assert not (problems := pages.missing_includes(ROOT)), _report(problems)


def test_every_snippet_and_output_is_shown_on_a_page():
    assert not (problems := pages.unincluded_snippets(ROOT)), _report(problems)


def test_every_cassette_is_replayed_by_a_test():
    problems = pages.unused_cassettes(ROOT, all_cases(), BESPOKE_CASSETTES)
    assert not problems, _report(problems)


def test_the_checks_see_the_pages():
    """Guard against a parser change that silently finds nothing to check."""
    found = [block for page in pages.pages(ROOT) for block in pages.blocks(page)]
    placed = [s for page in pages.pages(ROOT) for s in pages.placed_samples(page, ROOT)[0]]
    assert len(placed) >= 20
    assert any(sample.file == "text_stream.py" for sample in placed)
    assert any(block.marked for block in found)


# --- the same checks on scratch pages ---------------------------------------------------


def _scratch(tmp_path: Path, page: str, snippets: dict[str, str] | None = None) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(textwrap.dedent(page), encoding="utf-8")
    (tmp_path / "snippets" / "output").mkdir(parents=True)
    for name, text in (snippets or {}).items():
        (tmp_path / "snippets" / name).write_text(text, encoding="utf-8")
    return tmp_path


PAGE = """\
    # A page

    <!-- md:sample hello -->

    <!-- md:not-runnable -->
    ```sh
    pip install anthropic
    ```

    === "Tab one"

        ```python
        print("typed into a tab")
        ```

    === "Tab two"
        !!! note

            <!-- md:not-runnable -->
            ```sh
            export ANTHROPIC_API_KEY="your key"
            ```

            ```python
            print("in an admonition in a tab")
            ```

    ````markdown
    === "Not a tab: this is text inside a fence"

        ```python
        --8<-- "hello.py"
        ```
    ````

    Some text.

        indented = "code"

    ```python title="hello.py"
    --8<-- "hello.py"
    ```
    """


def test_unmarked_blocks_are_found_at_every_depth(tmp_path):
    root = _scratch(tmp_path, PAGE, {"hello.py": "print('hello')\n", "output/hello.txt": "hello\n"})
    problems = pages.unmarked_blocks(root)
    where = [problem.split(": ", 1)[0] for problem in problems]
    assert where == [
        "docs/page.md:12",
        "docs/page.md:24",
        "docs/page.md:28",
        "docs/page.md:38",
        "docs/page.md:40",
    ]
    assert "```python block ('print(\"typed into a tab\")')" in problems[0]
    assert "```markdown block" in problems[2]
    assert "an indented code block ('indented = \"code\"')" in problems[3]
    assert "put `<!-- md:not-runnable -->` on the line right before" in problems[0]
    assert "move the code to snippets/<name>.py" in problems[0]
    assert "includes hello.py by hand" in problems[4]
    assert "`<!-- md:sample hello -->`" in problems[4]


def test_a_marker_must_touch_its_fence(tmp_path):
    page = """\
        <!-- md:not-runnable -->

        ```sh
        pip install anthropic
        ```
        """
    root = _scratch(tmp_path, page)
    assert pages.stray_markers(root) == [
        "docs/page.md:1: `<!-- md:not-runnable -->` marks nothing: put it on the line right "
        "before the opening ``` fence."
    ]
    assert len(pages.unmarked_blocks(root)) == 1


def test_an_include_of_a_missing_snippet_is_named(tmp_path):
    page = '```python\n--8<-- "helo.py:part"\n```\n'
    root = _scratch(tmp_path, page, {"hello.py": "print('hello')\n"})
    assert pages.missing_includes(root) == [
        "docs/page.md:2: includes 'helo.py:part', but snippets/helo.py does not exist. "
        "Create it, or fix the name (include paths are relative to snippets/)."
    ]


def test_a_snippet_or_output_no_page_shows_is_named(tmp_path):
    page = "<!-- md:sample hello output=none -->\n"
    files = {"hello.py": "", "output/hello.txt": "", "orphan.py": "", "output/orphan.txt": ""}
    root = _scratch(tmp_path, page, files)
    problems = pages.unincluded_snippets(root)
    assert [problem.split(" is ")[0] for problem in problems] == [
        "snippets/orphan.py",
        "snippets/output/hello.txt",
        "snippets/output/orphan.txt",
    ]
    assert "with `<!-- md:sample orphan -->`" in problems[0]
    assert "show it with `<!-- md:output hello -->`" in problems[1]


def test_a_marker_naming_no_sample_or_part_is_named_at_its_line(tmp_path):
    page = "# Page\n\n<!-- md:sample helo -->\n<!-- md:sample hello part=nope -->\n"
    root = _scratch(tmp_path, page, {"hello.py": "print('hello')\n"})
    assert pages.missing_includes(root) == [
        "docs/page.md:3: there is no snippets/helo.*: create the sample "
        "(then `make record NAME=<name>`), or fix the name",
        "docs/page.md:4: snippets/hello.py has no part 'nope': mark it with "
        "`# --8<-- [start:nope]` and `# --8<-- [end:nope]`, or drop `part=`",
    ]


def test_a_cassette_no_test_replays_is_named(tmp_path):
    (tmp_path / "cassettes").mkdir()
    for name in ["text_stream", "curl_stream", "renamed_sample", "complete_example_no_key"]:
        (tmp_path / "cassettes" / f"{name}.yaml").write_text("interactions: []\n")
    problems = pages.unused_cassettes(tmp_path, all_cases(), BESPOKE_CASSETTES)
    assert [problem.split(" is ")[0] for problem in problems] == [
        "cassettes/complete_example_no_key.yaml",
        "cassettes/renamed_sample.yaml",
    ]
    assert "makes no request" in problems[0]
    assert "no snippets/renamed_sample.py" in problems[1]
    assert "run `make record`" in problems[1]


# --- mistakes only a sample run sees: a scratch copy of the project, its own pytest -----

NEW_SAMPLE = '''\
"""A sample a writer just added."""

import anthropic

client = anthropic.Anthropic()
print(client.messages.create(
    model="claude-sonnet-5-5",
    max_tokens=64,
    messages=[{"role": "user", "content": "Say hello."}],
).content[0].text)
'''


FIXTURE_SAMPLE = '''\
"""A sample of the scratch project's own, so this test never reads the real ones."""

import anthropic

client = anthropic.Anthropic()
with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=256,
    messages=[{"role": "user", "content": "Write a haiku about a robot."}],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
print()
'''
# The same, in TypeScript (snippets/ts/changed_prompt.ts: case ts/changed_prompt).
FIXTURE_TS = """\
import Anthropic from "@anthropic-ai/sdk";

const stream = new Anthropic().messages.stream({
  model: "claude-sonnet-5-5",
  max_tokens: 256,
  messages: [{ role: "user", content: "Write a haiku about a robot." }],
});
stream.on("text", (text) => process.stdout.write(text));
await stream.finalMessage();
"""

FIXTURES = ["extra_request", "stale_output", "changed_prompt"]


def _pytest(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ANTHROPIC_API_KEY": ""},  # record through the emulator
    )


@pytest.fixture(scope="module")
def scratch_run(tmp_path_factory):
    """One pytest run in a broken scratch project: each test below reads its own failure.
    Its samples are its own fixtures, recorded first, so a writer's work in progress on the
    real samples never changes what these tests see."""
    root = copy_project(tmp_path_factory.mktemp("project"), ["streamdocs", "tests"])
    (root / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (root / "snippets" / "output").mkdir(parents=True)
    (root / "cassettes").mkdir()
    for name in FIXTURES:
        (root / "snippets" / f"{name}.py").write_text(FIXTURE_SAMPLE, encoding="utf-8")
    typescript = root / "snippets" / "ts"  # the real project's packages, linked, not copied
    typescript.mkdir()
    (typescript / "package.json").write_text('{"type": "module"}\n')
    (typescript / "node_modules").symlink_to(ROOT / "snippets" / "ts" / "node_modules")
    (typescript / "changed_prompt.ts").write_text(FIXTURE_TS, encoding="utf-8")
    selected = [arg for name in FIXTURES for arg in ("--sample", name)]
    recorded = _pytest(root, "tests/test_samples.py", "--record-mode=rewrite", *selected)
    assert recorded.returncode == 0, recorded.stdout[-3000:]

    # 1. a new sample, never recorded
    (root / "snippets" / "new_sample.py").write_text(NEW_SAMPLE, encoding="utf-8")
    # 2. a cassette holding one request more than its sample sends
    cassette = root / "cassettes" / "extra_request.yaml"
    data = cassettes.load(cassette)
    extra = yaml.safe_load(yaml.safe_dump(data["interactions"][0]))
    extra["request"]["body"]["json"]["messages"][0]["content"] = "Write a haiku about the moon."
    data["interactions"].append(extra)
    cassette.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    # 3. an output file that no longer matches what its sample prints
    output = root / "snippets" / "output" / "stale_output.txt"
    output.write_text(output.read_text(encoding="utf-8") + "a line the sample never printed\n")
    # 4. a changed prompt, not re-recorded
    sample = root / "snippets" / "changed_prompt.py"
    sample.write_text(FIXTURE_SAMPLE.replace("a robot", "a lighthouse keeper"), encoding="utf-8")
    # 5. the same in TypeScript
    sample = typescript / "changed_prompt.ts"
    sample.write_text(FIXTURE_TS.replace("a robot", "a lighthouse keeper"), encoding="utf-8")

    report = root / "report.xml"
    names = ["new_sample", *FIXTURES, "ts/changed_prompt"]
    result = _pytest(
        root,
        f"--junitxml={report}",
        *[f"tests/test_samples.py::test_sample[{name}]" for name in names],
    )
    cases = {case.get("name"): case for case in ET.parse(report).getroot().iter("testcase")}
    return result, cases


def _failure(cases: dict, name: str) -> tuple[str, float]:
    case = cases[f"test_sample[{name}]"]
    failure = case.find("failure")
    assert failure is not None, f"test_sample[{name}] passed in the broken copy"
    return failure.get("message"), float(case.get("time"))


def test_scratch_run_fails(scratch_run):
    result, _ = scratch_run
    assert result.returncode == 1, result.stdout + result.stderr
    assert "5 failed" in result.stdout, result.stdout


def test_a_sample_without_a_cassette_fails_fast_naming_it(scratch_run):
    message, seconds = _failure(scratch_run[1], "new_sample")
    assert "new_sample: no cassette at cassettes/new_sample.yaml for snippets/new_sample.py" in (
        message
    )
    assert "Record it with `make record NAME=new_sample`" in message
    # A generous sanity bound; `make bench` reports the real figure (target: under 2 s).
    assert seconds < 10, f"the missing cassette took {seconds:.1f} s to report"


def test_a_cassette_with_an_unplayed_request_fails(scratch_run):
    message, _ = _failure(scratch_run[1], "extra_request")
    assert (
        "cassettes/extra_request.yaml holds requests snippets/extra_request.py no longer sends"
        in (message)
    )
    assert "re-record with `make record NAME=extra_request`" in message


def test_a_stale_output_fails(scratch_run):
    message, _ = _failure(scratch_run[1], "stale_output")
    assert (
        "snippets/stale_output.py printed something other than snippets/output/stale_output.txt"
        in (message)
    )
    # outputs come from the recording: the fix never rewrites a hand edit away silently
    assert "git checkout snippets/output/stale_output.txt" in message
    assert "make record NAME=stale_output" in message
    assert "make outputs" not in message


def test_a_changed_prompt_fails_naming_the_cassette(scratch_run):
    message, _ = _failure(scratch_run[1], "changed_prompt")
    assert (
        "snippets/changed_prompt.py sent a request that cassettes/changed_prompt.yaml does not hold"
    ) in message
    assert "Re-record it with `make record NAME=changed_prompt`" in message


def test_a_changed_typescript_prompt_fails_naming_make_record(scratch_run):
    message, _ = _failure(scratch_run[1], "ts/changed_prompt")
    assert (
        "snippets/ts/changed_prompt.ts sent a request that cassettes/ts/changed_prompt.yaml "
        "does not hold"
    ) in message
    assert "Re-record it with `make record NAME=ts/changed_prompt`" in message
    assert "lighthouse keeper" in message  # the closest recorded request, and how it differs
