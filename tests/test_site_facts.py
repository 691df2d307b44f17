"""Facts stated across the site agree with the installed SDK.

- every model id on a page or in a sample is one the SDK lists, and not one it deprecates;
- every curl sample sends the `anthropic-version` the SDK sends;
- every stated Python minimum is the samples' (pyproject.toml) or, said so, the SDK's;
- the Versions page, built, shows the installed SDK.
"""

from __future__ import annotations

import re
import tomllib
import typing
from importlib.metadata import metadata, version
from pathlib import Path

import pytest
from anthropic.resources.messages.messages import DEPRECATED_MODELS
from anthropic.types import Model
from markdown import Markdown

from streamdocs import BuildError
from streamdocs.markdown import versions as versions_extension
from streamdocs.paths import DOCS, ROOT, SNIPPETS, rel, snippet_files
from streamdocs.sdk_internals import API_VERSION as ANTHROPIC_API_VERSION

PAGES = sorted(DOCS.rglob("*.md"))
SAMPLE_FILES = snippet_files()

KNOWN_MODELS = {arg for arg in typing.get_args(Model) if isinstance(arg, str)}
for _arg in typing.get_args(Model):
    KNOWN_MODELS |= set(typing.get_args(_arg))

# A model id: `claude-` and a name with a digit in it (`claude-sonnet-4-6`), or any name
# the SDK itself lists; `claude-streaming-docs` (this site's repository) is neither.
TOKEN = re.compile(r"\bclaude-[a-z0-9][a-z0-9.-]*[a-z0-9]")


def model_ids(text: str):
    for match in TOKEN.finditer(text):
        token = match[0]
        if any(c.isdigit() for c in token) or token in KNOWN_MODELS | set(DEPRECATED_MODELS):
            yield text.count("\n", 0, match.start()) + 1, token


def test_model_ids_are_current_models_of_the_sdk():
    problems = []
    seen = 0
    for path in PAGES + SAMPLE_FILES:
        for line, model in model_ids(path.read_text(encoding="utf-8", errors="replace")):
            seen += 1
            where = f"{rel(path)}:{line}: `{model}`"
            if model in DEPRECATED_MODELS:
                problems.append(
                    f"{where} is deprecated by the SDK (end of life {DEPRECATED_MODELS[model]}; "
                    "anthropic/resources/messages/messages.py DEPRECATED_MODELS)"
                )
            elif model not in KNOWN_MODELS:
                problems.append(
                    f"{where} is not in anthropic.types.Model "
                    f"(the SDK lists: {', '.join(sorted(KNOWN_MODELS))})"
                )
    assert seen, "no model id found under docs/ or snippets/: is the pattern still right?"
    assert not problems, "\n".join(problems) + (
        "\nFix: use a model from the list; a sample's change needs `make record`."
    )


CURL_SAMPLES = sorted(p for p in SNIPPETS.glob("*.sh") if "curl" in p.read_text(encoding="utf-8"))
VERSION_HEADER = re.compile(r"anthropic-version:\s*([0-9-]+)")


@pytest.mark.parametrize("sample", CURL_SAMPLES, ids=lambda p: p.name)
def test_curl_samples_send_the_sdk_api_version(sample: Path):
    text = sample.read_text(encoding="utf-8")
    sent = VERSION_HEADER.findall(text)
    assert sent, f"{rel(sample)} sends no anthropic-version header; add `{ANTHROPIC_API_VERSION}`"
    wrong = [v for v in sent if v != ANTHROPIC_API_VERSION]
    assert not wrong, (
        f"{rel(sample)} sends anthropic-version {', '.join(wrong)}, but the SDK sends "
        f"{ANTHROPIC_API_VERSION} (anthropic._constants.ANTHROPIC_API_VERSION). "
        "Fix the header, then `make record`."
    )


def test_there_is_a_curl_sample():
    assert CURL_SAMPLES, "no snippets/*.sh calls curl: the anthropic-version check reads nothing"


def sdk_python_minimum() -> str:
    requires = metadata("anthropic")["Requires-Python"]
    match = re.fullmatch(r"\s*>=\s*(3\.\d+)\s*", requires or "")
    assert match, f"anthropic's Requires-Python is {requires!r}, not a plain `>=3.N`"
    return match[1]


def samples_python_minimum() -> str:
    """What the samples are tested on: pyproject.toml's requires-python."""
    return versions_extension.samples_python_minimum()


# "Python 3.10 or newer", "Python 3.10+", "at least Python 3.10", "minimum ... Python 3.10".
PYTHON_MINIMUM = re.compile(
    r"Python\s+(?P<a>3\.\d+)\s*(?:\+|(?:or|and)\s+(?:newer|later|higher|above))"
    r"|(?:minimum|at\s+least|requires?)\s+(?:\w+\s+){0,3}?Python\s+(?P<b>3\.\d+)",
    re.IGNORECASE,
)


def python_minimums(text: str):
    text = text.replace("*", "").replace("_", " ")
    for match in PYTHON_MINIMUM.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match["a"] or match["b"], match[0]


# What the standard library added after the SDK's minimum that a sample may use, by the
# version that added it: a sample using one needs that Python, whatever the SDK needs.
NEWER_STDLIB = {"asyncio.timeout": "3.11", "asyncio.TaskGroup": "3.11", "tomllib": "3.11"}


def python_the_samples_need() -> dict[str, str]:
    """For each sample that uses a name of NEWER_STDLIB, the newest Python one needs."""
    needs = {}
    for path in sorted(SNIPPETS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        versions = [v for name, v in NEWER_STDLIB.items() if re.search(rf"\b{name}\b", text)]
        if versions:
            needs[path.name] = max(versions, key=lambda v: tuple(map(int, v.split("."))))
    return needs


def test_stated_python_minimums_are_the_samples_or_the_sdks():
    """A page may state the samples' minimum, or the SDK's on a line that says it is the
    SDK's; nothing else."""
    samples, sdk = samples_python_minimum(), sdk_python_minimum()
    problems = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        for line, stated, said in python_minimums("\n".join(lines)):
            if stated == samples or (stated == sdk and "SDK" in lines[line - 1]):
                continue
            problems.append(
                f"{rel(page)}:{line}: says {said!r}; the samples need Python >={samples} "
                f"(pyproject.toml), the anthropic SDK >={sdk} (say 'SDK' on that line)"
            )
    assert not problems, "\n".join(problems)


def test_setup_states_the_python_the_samples_need():
    """A sample that needs a newer Python than the SDK does (asyncio.timeout is 3.11) makes
    the SDK's minimum the wrong one to give readers of the samples."""
    samples = samples_python_minimum()
    needs = python_the_samples_need()
    key = lambda v: tuple(map(int, v.split(".")))  # noqa: E731
    too_new = {name: v for name, v in needs.items() if key(v) > key(samples)}
    assert not too_new, f"samples need a newer Python than pyproject.toml says: {too_new}"
    setup = (DOCS / "setup.md").read_text(encoding="utf-8")
    stated = {found for _, found, _ in python_minimums(setup)}
    assert samples in stated, (
        f"docs/setup.md does not say the samples need Python {samples} or newer "
        f"(stated: {sorted(stated)}; samples needing it: {needs})"
    )


@pytest.mark.parametrize(
    "text, found",
    [
        ("needs **Python 3.10 or newer**, the", "3.10"),
        ("installs on Python 3.10 and newer", "3.10"),
        ("Python 3.9+ works", "3.9"),
        ("requires at least Python 3.12.", "3.12"),
        ("tested on Python 3.11 and 3.12", None),
    ],
)
def test_python_minimum_pattern(text, found):
    assert [stated for _, stated, _ in python_minimums(text)] == ([found] if found else [])


def test_the_samples_need_python_3_11_for_asyncio_timeout():
    assert python_the_samples_need().get("stream_watchdog.py") == "3.11"


def test_built_versions_page_shows_the_installed_sdk(built_site):
    html = (built_site / "versions" / "index.html").read_text(encoding="utf-8")
    for what, value in [
        ("anthropic version", version("anthropic")),
        ("API version", ANTHROPIC_API_VERSION),
        ("SDK's Python minimum", f"Python {sdk_python_minimum()} or newer"),
        ("samples' Python minimum", f"Python {samples_python_minimum()} or newer"),
    ]:
        assert value in html, f"the built versions page does not show the {what} {value!r}"
    assert "<!-- version:" not in html and "&lt;!-- version:" not in html, (
        "a `<!-- version:... -->` placeholder was left unexpanded on the versions page"
    )


def test_versions_extension_rejects_an_unknown_placeholder():
    with pytest.raises(BuildError, match=r"docs/versions\.md: unknown placeholder `version:sdk`"):
        versions_extension.fill("<!-- version:sdk -->", "docs/versions.md: ")
    with pytest.raises(BuildError, match=r"unknown placeholder `version:sdk`"):
        Markdown(extensions=["streamdocs.markdown.versions"]).convert("<!-- version:sdk -->")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_lock_installs_the_versions_pyproject_pins():
    """A bump of pyproject.toml alone (no `make lock`) would leave CI on the old SDK: say so."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {}
    for spec in dependencies:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([0-9][0-9A-Za-z.]*)", spec)
        if match:
            pins[_normal(match[1])] = match[2]
    assert "anthropic" in pins, "pyproject.toml no longer pins anthropic exactly"
    locked = {
        _normal(m[1]): m[2]
        for m in re.finditer(
            r"^([A-Za-z0-9._-]+)==(\S+)", (ROOT / "requirements.lock").read_text(), re.M
        )
    }
    stale = [
        f"{name}: pyproject.toml pins {pin}, requirements.lock has {locked.get(name, 'nothing')}"
        for name, pin in sorted(pins.items())
        if locked.get(name) != pin
    ]
    assert not stale, "\n".join(stale) + "\nFix: `make lock`, then `make test`."


def test_the_sdk_bump_is_the_workflow_the_versions_page_describes():
    """docs/versions.md says what .github/workflows/sdk-bump.yml does; Dependabot bumps no pip."""
    page = (ROOT / "docs" / "versions.md").read_text()
    workflow = (ROOT / ".github" / "workflows" / "sdk-bump.yml").read_text()
    dependabot = (ROOT / ".github" / "dependabot.yml").read_text()
    assert "Dependabot" not in page, "versions.md credits Dependabot with the SDK bump"
    for said in (".github/workflows/sdk-bump.yml", "make lock UPGRADE=anthropic"):
        assert said in page, f"versions.md no longer says {said!r}"
    for step in ('make lock UPGRADE="$PACKAGE"', "make record", "make test", "create-pull-request"):
        assert step in workflow, f"sdk-bump.yml no longer runs {step!r}, which versions.md claims"
    assert "schedule:" in workflow and "default: anthropic" in workflow
    ecosystems = re.findall(r'package-ecosystem:\s*"?([\w-]+)', dependabot)
    assert ecosystems == ["github-actions"], f"Dependabot bumps {ecosystems}, not only actions"


def test_the_api_scope_extension_skips_only_what_no_page_documents():
    """streamdocs/markdown/api_scope.py keeps griffe out of the SDK's beta and organization
    modules; this fails if griffe drops the method it wraps, or a page documents a skipped one."""
    from griffe import GriffeLoader

    from streamdocs.markdown import api_scope as hook

    # Listing the extension is what turns the skip on, in whichever generator loads it.
    original = GriffeLoader._load_submodules
    try:
        Markdown(extensions=["streamdocs.markdown.api_scope"])
        assert GriffeLoader._load_submodules is hook._load_wanted_submodules
    finally:
        GriffeLoader._load_submodules = original

    assert callable(getattr(GriffeLoader, "_load_submodules", None)), "griffe renamed its loop"
    loader = GriffeLoader()
    hook._load_wanted_submodules(loader, loader.load("anthropic", submodules=False))
    loaded = loader.modules_collection["anthropic"]
    assert "streaming" in loaded["lib"].members
    assert "messages" in loaded["resources"].members
    for prefix in hook.SKIPPED["anthropic"]:
        parent = loaded
        for part in prefix[:-1]:
            parent = parent.members.get(part)
        member = parent.members.get(prefix[-1]) if parent is not None else None
        assert member is None or member.is_alias, (
            f"griffe still loaded anthropic.{'.'.join(prefix)}"
        )
    assert hook._skipped("anthropic", ("types", "beta", "messages"))
    assert not hook._skipped("anthropic", ("lib", "streaming", "_messages"))
    documented = re.findall(r"^::: (\S+)", "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")
    ), re.M)  # fmt: skip
    assert documented, "no `::: object` on any page: is the API reference gone?"
    for name in documented:
        parts = tuple(name.split(".")[1:])
        assert not hook._skipped(name.split(".")[0], parts), (
            f"a page documents {name}, under a prefix api_scope.py skips: take it out of SKIPPED"
        )


def _requirements(distribution: str, seen: set[str] | None = None) -> set[str]:
    """A distribution and everything it installs (extras left out), normalized names."""
    from importlib.metadata import PackageNotFoundError, requires

    seen = set() if seen is None else seen
    name = _normal(distribution)
    if name in seen:
        return seen
    seen.add(name)
    try:
        needs = requires(distribution) or []
    except PackageNotFoundError:
        return seen
    for need in needs:
        if "extra ==" not in need:
            _requirements(re.match(r"[A-Za-z0-9._-]+", need)[0], seen)
    return seen


def test_every_page_installs_what_its_samples_import():
    """T8: a package a sample imports that the SDK does not bring (httpx and httpx-sse do
    not come with it) is in a `pip install` line on the page that shows the sample."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    from streamdocs.markdown import shortcodes

    with_sdk = _requirements("anthropic")
    providers = packages_distributions()
    problems = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        commands = re.findall(r"pip install ([^\n`]+)", text.replace("\\\n", " "))
        installed = {
            _normal(name[0])
            for line in commands
            for word in line.split()
            if (name := re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", word))
        }
        for sample in shortcodes.samples_in(text, SNIPPETS):
            if not (sample.file or "").endswith(".py"):
                continue
            tree = ast.parse((SNIPPETS / sample.file).read_text(encoding="utf-8"))
            modules = {
                alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names
            } | {
                node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module and not node.level
            }  # fmt: skip
            shown = {Path(s.file).stem for s in shortcodes.samples_in(text, SNIPPETS) if s.file}
            # a module the page shows beside it (the reader's own file) needs no install
            for module in sorted(modules - set(sys.stdlib_module_names) - shown):
                needed = {_normal(d) for d in providers.get(module, [module])}
                if not needed & (with_sdk | installed):
                    problems.append(
                        f"{rel(page)} shows {sample.file}, which imports {module}: neither the "
                        f"SDK nor a `pip install` line on the page installs {sorted(needed)}"
                    )
    assert not problems, "\n".join(problems)
