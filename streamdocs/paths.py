"""Where things live. Every other module takes its paths from here."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = ROOT / "snippets"
OUTPUTS = SNIPPETS / "output"
TYPESCRIPT = SNIPPETS / "ts"  # the TypeScript samples: their own npm project (streamdocs/node.py)
CASSETTES = ROOT / "cassettes"
DOCS = ROOT / "docs"
ANSWER_MATRIX = DOCS / "reference" / "answer-matrix.md"
# Everything `make record` rewrites: the bump workflow's pull request carries all of it.
RECORDED = (CASSETTES, OUTPUTS, ANSWER_MATRIX)


def page_url(page: str | Path) -> str:
    """A page's URL path, as both generators write directory URLs: `guides/curl.md` is
    `guides/curl/`, `reference/index.md` is `reference/`, `index.md` is `` (the site root).
    `page` is relative to docs/, or a path under DOCS."""
    page = Path(page)
    if page.is_absolute():
        page = page.relative_to(DOCS)
    stem = page.as_posix().removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


# The TypeScript samples' npm project files: configuration, not samples (streamdocs/node.py).
TYPESCRIPT_PROJECT = {"package.json", "package-lock.json", "tsconfig.json"}


def snippet_files(snippets: Path = SNIPPETS) -> list[Path]:
    """Every file under snippets/ a page could show: installed packages (node_modules),
    caches and symbolic links (the TypeScript relay's copies of its page) left out."""
    import os

    found = []
    for folder, subfolders, files in os.walk(snippets):
        subfolders[:] = [d for d in subfolders if d not in ("node_modules", "__pycache__")]
        found += [Path(folder, name) for name in files if not Path(folder, name).is_symlink()]
    return sorted(found)


def is_project_file(name: str) -> bool:
    """`name` (relative to snippets/) is the TypeScript samples' npm configuration."""
    return name.startswith("ts/") and name.removeprefix("ts/") in TYPESCRIPT_PROJECT


def rel(path: Path) -> str:
    """A path as a writer types it: relative to the repository root."""
    return str(path.relative_to(ROOT))


def copy_project(dest: Path, names: list[str]) -> Path:
    """Copy these top-level files and folders into dest: a scratch project a test may break."""
    import shutil

    skip = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache", "node_modules")
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=skip)
        else:
            shutil.copy(source, dest / name)
    # the TypeScript samples' installed packages (80 MB) are linked, not copied
    modules = TYPESCRIPT / "node_modules"
    if "snippets" in names and modules.is_dir():
        (dest / "snippets" / "ts" / "node_modules").symlink_to(modules)
    return dest


# What a scratch copy needs to run the suite's own machinery (pytest, make record).
SUITE = ["streamdocs", "tests", "snippets", "cassettes", "pyproject.toml"]


def tracked_files() -> list[Path]:
    """Every file git tracks in the project (what a clone holds)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [ROOT / name for name in listed.stdout.split("\0") if name]
