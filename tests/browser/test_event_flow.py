"""Event-flow diagrams show the events their cassette recorded, in the recorded order."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from streamdocs.paths import CASSETTES, DOCS, page_url
from streamdocs.recording import cassettes

SHORTCODE = re.compile(r"<!-- md:event-flow (\w+) -->")
FIGURE = re.compile(r'<svg class="event-flow".*?</svg>', re.S)
SVG = "{http://www.w3.org/2000/svg}"


def _wire_events(name: str) -> list[str]:
    body = cassettes.load(CASSETTES / f"{name}.yaml")["interactions"][0]["response"]
    return re.findall(r"^event: (\S+)$", body["body"]["string"], re.M)


def _drawn_events(svg: str) -> list[str]:
    """The events a reader sees, one per row, a row of N deltas standing for N."""
    root = ET.fromstring(svg)
    events = []
    for row in root.iter(f"{SVG}g"):
        shown = row.find(f"{SVG}text").text
        assert shown == row.get("data-event"), f"row labelled {shown!r} is {row.get('data-event')}"
        detail = row.findall(f"{SVG}text")[1].text or ""
        count = int(row.get("data-count"))
        if count > 1:
            assert detail.startswith(f"{count} × "), f"row {shown} of {count} says {detail!r}"
        events += [shown] * count
    return events


def test_each_diagram_matches_its_cassette(built_site):
    drawn = 0
    for md in sorted(DOCS.rglob("*.md")):
        names = SHORTCODE.findall(md.read_text(encoding="utf-8"))
        if not names:
            continue
        html_file = built_site / page_url(md) / "index.html"
        figures = FIGURE.findall(html_file.read_text(encoding="utf-8"))
        assert len(figures) == len(names), (
            f"{md.name}: {len(names)} shortcodes, {len(figures)} SVGs"
        )
        for name, svg in zip(names, figures, strict=True):
            root = ET.fromstring(svg)
            assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
            assert f"cassettes/{name}.yaml" in root.find(f"{SVG}title").text
            assert _drawn_events(svg) == _wire_events(name), (
                f"docs/{md.relative_to(DOCS)}: the diagram of {name} differs from "
                f"cassettes/{name}.yaml; the extension is streamdocs/markdown/event_flow.py"
            )
            drawn += 1
    assert drawn, "no page uses <!-- md:event-flow CASSETTE -->, so nothing was checked"


def test_each_diagram_says_where_its_recording_came_from(built_site):
    """T21: a diagram drawn from the emulator's recording says so, as an output does."""
    captions = 0
    for md in sorted(DOCS.rglob("*.md")):
        names = SHORTCODE.findall(md.read_text(encoding="utf-8"))
        html_text = (built_site / page_url(md) / "index.html").read_text(encoding="utf-8")
        for name in names:
            source = cassettes.load(CASSETTES / f"{name}.yaml")["recorded"]["source"]
            caption = f"<code>cassettes/{name}.yaml</code>, recorded from the {source}"
            assert caption in html_text, f"docs/{md.relative_to(DOCS)}: no {caption!r}"
            captions += 1
    assert captions, "no diagram was checked"
