"""`make audit`: Lighthouse and axe over every page of the built site, against targets.

Builds the site, serves it gzip-compressed on loopback, runs Lighthouse (mobile
and desktop presets) and axe-core (light and dark scheme, phone and laptop
size) in the system Chromium, and prints one table. Then it names every page
below TARGETS (mobile performance 100, the other three categories 100 on
mobile and desktop, no axe violations, <= 60 KiB transferred) and exits 1 if
there is one, so `.github/workflows/audit.yml` fails on it.

Mobile performance is the median score of LIGHTHOUSE_RUNS runs (default 3),
the other mobile figures Lighthouse's median run. Each page is measured once
so: no page gets a second chance. The "mobile runs" column shows the lowest
and highest of the scores.

Run with the project's environment after `npm ci`: `python -m streamdocs.browser.audit`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import sync_playwright

from streamdocs.browser.chromium import DESKTOP, MOBILE, chromium_path, launch
from streamdocs.browser.server import SiteServer, pages
from streamdocs.paths import ROOT
from streamdocs.site import build as site

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = Path(__file__).with_name("lighthouse.mjs")
AXE_RUNS = [
    ("light", "412", MOBILE),
    ("light", "1350", DESKTOP),
    ("dark", "412", MOBILE),
    ("dark", "1350", DESKTOP),
]


def lighthouse(urls: list[str]) -> dict[tuple[str, str], dict]:
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    process = subprocess.Popen(
        ["node", str(LIGHTHOUSE), *urls], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    results = {}
    for line in process.stdout:
        if line.startswith("{"):
            run = json.loads(line)
            results[run["url"], run["formFactor"]] = run
            print(f"  lighthouse {run['formFactor']:<7} {run['url']}", file=sys.stderr)
    if process.wait() != 0:
        raise SystemExit(f"lighthouse exited with {process.returncode}")
    return results


def axe(urls: list[str]) -> dict[tuple[str, str], list[dict]]:
    """Violations per (url, run name), each {id, nodes}."""
    script = AXE.read_text(encoding="utf-8")
    results = {}
    with sync_playwright() as p:
        browser = launch(p)
        for scheme, size, viewport in AXE_RUNS:
            context = browser.new_context(color_scheme=scheme, viewport=viewport)
            page = context.new_page()
            for url in urls:
                page.goto(url, wait_until="load")
                page.add_script_tag(content=script)
                results[url, f"{scheme} {size}"] = page.evaluate(
                    """async () => (await axe.run(document, {resultTypes: ["violations"]}))
                        .violations.map(v => ({id: v.id, nodes: v.nodes.length,
                                               where: v.nodes[0].target.join(" ")}))"""
                )
            context.close()
            print(f"  axe {scheme} {size}: {len(urls)} pages", file=sys.stderr)
        browser.close()
    return results


# The lowest acceptable figures; each page must meet all of them.
TARGETS = {
    "mobile performance": 100,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "KiB transferred": 60,
}


def shortfalls(paths, base, lh, ax) -> list[str]:
    """One line per page and figure below TARGETS."""
    found = []
    for path in paths:
        url, page = base + path, "/" + path
        mobile = lh[url, "mobile"]
        performance = mobile["scores"]["performance"]
        if performance < TARGETS["mobile performance"]:
            found.append(
                f"{page}: mobile performance {performance} < {TARGETS['mobile performance']}"
            )
        for form in ("mobile", "desktop"):
            for category in ("accessibility", "best-practices", "seo"):
                score = lh[url, form]["scores"][category]
                if score < TARGETS[category]:
                    found.append(f"{page}: {category} ({form}) {score} < {TARGETS[category]}")
        kib = mobile["transferBytes"] / 1024
        if kib > TARGETS["KiB transferred"]:
            found.append(f"{page}: {kib:.0f} KiB transferred > {TARGETS['KiB transferred']}")
        for scheme, size, _ in AXE_RUNS:
            for violation in ax[url, f"{scheme} {size}"]:
                found.append(f"{page}: axe {violation['id']} ({scheme} {size})")
    return found


def spread(scores: list[int]) -> str:
    return f"{min(scores)}" if min(scores) == max(scores) else f"{min(scores)}-{max(scores)}"


def table(paths, base, lh, ax) -> list[str]:
    header = ["page", "perf m/d", "mobile runs", "a11y m/d", "best-pr m/d", "SEO m/d", "KiB",
              "LCP ms", "TBT ms", "axe L412/L1350/D412/D1350"]  # fmt: skip
    rows = [header]
    for path in paths:
        url = base + path
        m, d = lh[url, "mobile"], lh[url, "desktop"]

        def pair(category, m=m, d=d):
            return f"{m['scores'][category]}/{d['scores'][category]}"

        violations = "/".join(str(len(ax[url, f"{s} {z}"])) for s, z, _ in AXE_RUNS)
        rows.append([
            "/" + path, pair("performance"),
            spread(m["performanceRuns"]),
            pair("accessibility"), pair("best-practices"), pair("seo"),
            f"{m['transferBytes'] / 1024:.0f}", f"{m['lcpMs']:.0f}", f"{m['tbtMs']:.0f}",
            violations,
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def details(paths, base, lh, ax) -> list[str]:
    """What cost the points: failing Lighthouse audits and axe rules, with the pages they hit."""
    failing: dict[str, set[str]] = defaultdict(set)
    example: dict[str, str] = {}
    for path in paths:
        for form in ("mobile", "desktop"):
            for audit in lh[base + path, form]["failing"]:
                failing[f"lighthouse {audit} ({form})"].add("/" + path)
        for scheme, size, _ in AXE_RUNS:
            for violation in ax[base + path, f"{scheme} {size}"]:
                name = f"axe {violation['id']} ({scheme} {size})"
                failing[name].add("/" + path)
                example.setdefault(name, f"{violation['where']} on /{path}")
    return [f"{name}: {len(where)} pages, e.g. {example.get(name) or sorted(where)[0]}"
            for name, where in sorted(failing.items())]  # fmt: skip


def main() -> None:
    if not AXE.exists():
        raise SystemExit("node_modules missing: run `npm ci` first (make audit does).")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        try:
            site.built(Path(scratch))
        except RuntimeError as failed:  # mkdocs' words, without a traceback
            raise SystemExit(str(failed)) from None
        # `python -m streamdocs.browser.audit guides/curl/ ...` audits only those pages.
        paths = [p for p in pages(Path(scratch)) if not sys.argv[1:] or p in sys.argv[1:]]
        paths.sort(key=lambda path: (path != "", path))  # home page first
        with SiteServer(Path(scratch)) as server:
            urls = [server.url + path for path in paths]
            lh = lighthouse(urls)
            ax = axe(urls)
            base = server.url
    print("\n".join(table(paths, base, lh, ax)))
    print()
    mobile = [lh[base + path, "mobile"] for path in paths]
    runs = len(mobile[0]["performanceRuns"])
    print(f"Figures: Lighthouse scores mobile/desktop, mobile performance the median of {runs}"
          " runs' scores, the other mobile figures from the median run;")  # fmt: skip
    print("KiB transferred, LCP and TBT on mobile;")
    print("axe violations (rules) in light/dark at 412x823 and 1350x940.")
    print("\n".join(details(paths, base, lh, ax)) or "No failing audits, no axe violations.")
    heaviest = max(paths, key=lambda path: lh[base + path, "mobile"]["transferBytes"])
    heaviest_kib = lh[base + heaviest, "mobile"]["transferBytes"] / 1024
    print(f"heaviest page: /{heaviest}, {heaviest_kib:.1f} KiB transferred (target"
          f" <= {TARGETS['KiB transferred']}); its largest transfers:"
          f" {', '.join(lh[base + heaviest, 'mobile']['biggest'])}")  # fmt: skip
    print(f"\naudit of {len(paths)} pages took {time.perf_counter() - start:.0f} s")
    below = shortfalls(paths, base, lh, ax)
    if below:
        print(f"\n{len(below)} figures below target:\n" + "\n".join(below))
        sys.exit(1)
    print(f"\nEvery page meets the targets ({len(paths)} pages).")


if __name__ == "__main__":
    main()
