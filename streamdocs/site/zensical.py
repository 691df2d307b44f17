"""Build the site with Zensical from the same mkdocs.yml, then the same post-build step.

    python -m streamdocs.site.zensical [SITE_DIR] [-f mkdocs.yml]     (make zensical)

Zensical has no option for the output folder, and wants it inside the project,
so a throwaway config next to mkdocs.yml inherits it (`INHERIT:`, which both
generators read) and sets `site_dir`; mkdocs.yml itself is not touched.

What Zensical cannot yet do the way MkDocs does is listed in GAPS: the build
prints it every time, the README lists it, and tests/test_zensical.py fails if
a gap closes or a new one opens, so the list stays true.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from streamdocs.site import postbuild

GAPS: dict[str, str] = {}

# Seen by running the browser tests (tests/browser/) by hand against this build, not by
# tests/test_zensical.py: the page layout is each generator's own theme. Printed by every
# build and listed in the README.
SEEN_BY_HAND = {
    "search markup": "search works (its index is held until wanted, then results show), "
    "but results are not Material's `.md-search-result__item`, so the browser tests' "
    "search checks do not apply",
    "short-page nav": "on a short page at laptop width the first nav links are out of view "
    "(test_no_nav_link_is_covered_on_a_short_page)",
}


def build(site_dir: Path, config: Path) -> subprocess.CompletedProcess:
    """Zensical's build of `config` into `site_dir` (inside its folder), then postbuild."""
    root = config.resolve().parent
    site_dir = site_dir.resolve() if site_dir.is_absolute() else (root / site_dir).resolve()
    throwaway = root / f".zensical-{os.getpid()}.yml"
    throwaway.write_text(
        f"INHERIT: {config.name}\nsite_dir: {site_dir.relative_to(root).as_posix()}\n",
        encoding="utf-8",
    )
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "zensical",
                "build",
                "--strict",
                "--clean",
                "-f",
                throwaway.name,
            ],
            capture_output=True,
            text=True,
            cwd=root,
        )
    finally:
        throwaway.unlink()
    if result.returncode != 0 or not (site_dir / "index.html").exists():
        return _without_traceback(result)
    code = postbuild.main([str(site_dir), "-f", str(config)])
    return subprocess.CompletedProcess(result.args, code, result.stdout, result.stderr)


def build_copy(scratch: Path) -> Path:
    """The site built by Zensical from a copy of the sources in `scratch` (Zensical writes
    only inside the project, and keeps a cache there); its folder. A failed build raises
    with Zensical's own words."""
    from streamdocs.paths import copy_project

    root = copy_project(scratch, ["mkdocs.yml", "docs", "snippets", "cassettes"])
    result = build(root / "site", root / "mkdocs.yml")
    if result.returncode:
        raise RuntimeError(f"zensical build failed:\n{result.stdout}\n{result.stderr}")
    return root / "site"


def _without_traceback(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    """A writer's mistake (streamdocs.BuildError) as its one line, not Zensical's two
    tracebacks around it; any other failure as Zensical printed it."""
    output = result.stdout + result.stderr
    mistakes = re.findall(r"BuildError: (.+)", output)
    if not mistakes:
        return result
    return subprocess.CompletedProcess(result.args, result.returncode, "", mistakes[0] + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streamdocs.site.zensical")
    parser.add_argument("site_dir", type=Path, nargs="?", default=Path("site-zensical"))
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    result = build(args.site_dir, args.config_file)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        return result.returncode
    if GAPS:
        print(f"Built with Zensical into {args.site_dir}/. Not yet the same as MkDocs:")
        for name, gap in GAPS.items():
            print(f"  - {name}: {gap}")
    else:
        print(f"Built with Zensical into {args.site_dir}/: no known gaps in what it carries.")
    print("Not the same in the browser (README: Zensical):")
    for name, note in SEEN_BY_HAND.items():
        print(f"  - {name}: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
