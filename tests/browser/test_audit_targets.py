"""`make audit` fails on any page below its targets (the figures here are made up)."""

from __future__ import annotations

from streamdocs.browser.audit import AXE_RUNS, LIGHTHOUSE, shortfalls, table

BASE = "http://127.0.0.1:1/"


def figures(performance=100, seo=100, kib=40, desktop_a11y=100):
    def run(a11y):
        scores = {"performance": performance, "accessibility": a11y}
        return {
            "scores": {**scores, "best-practices": 100, "seo": seo},
            "transferBytes": kib * 1024,
        }

    return {(BASE, "mobile"): run(100), (BASE, "desktop"): run(desktop_a11y)}


def no_violations(**found):
    return {(BASE, f"{scheme} {size}"): found.get(scheme, []) for scheme, size, _ in AXE_RUNS}


def test_a_page_at_target_passes():
    assert shortfalls([""], BASE, figures(performance=100, kib=60), no_violations()) == []


def test_each_figure_below_target_is_named():
    found = shortfalls(
        [""],
        BASE,
        figures(performance=99, seo=92, kib=61, desktop_a11y=96),
        no_violations(dark=[{"id": "color-contrast"}]),
    )
    assert found == [
        "/: mobile performance 99 < 100",
        "/: seo (mobile) 92 < 100",
        "/: accessibility (desktop) 96 < 100",
        "/: seo (desktop) 92 < 100",
        "/: 61 KiB transferred > 60",
        "/: axe color-contrast (dark 412)",
        "/: axe color-contrast (dark 1350)",
    ]


def test_the_lighthouse_script_is_where_the_audit_runs_it():
    """`make audit` runs this file with node; a move of the package must move the path."""
    assert LIGHTHOUSE.is_file(), f"{LIGHTHOUSE} does not exist"


def test_the_table_shows_the_spread_of_the_mobile_runs():
    lh = figures()
    for form in ("mobile", "desktop"):
        lh[BASE, form].update(lcpMs=900, tbtMs=0, performanceRuns=[97, 100, 100])
    row = table([""], BASE, lh, no_violations())[2].split()
    assert row[:3] == ["/", "100/100", "97-100"]
