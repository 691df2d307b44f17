"""`<!-- md:event-flow CASSETTE -->` (see shortcodes.py): a cassette's SSE events as SVG.

The picture is read from the recorded wire (cassettes/CASSETTE.yaml), so it
cannot drift from it, and it costs no JavaScript: no mermaid, no CDN. Runs of
deltas for one block collapse to one row ("4 × text_delta").
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from streamdocs import BuildError
from streamdocs.recording import cassettes
from streamdocs.sse import json_events

# Geometry, in SVG user units (about CSS pixels at a phone's content width).
WIDTH = 420
ROW = 30
TOP = 14
DOT_X = 12
NAME_X = 28
DETAIL_X = 214


@dataclass
class Row:
    event: str  # the SSE event name, as on the wire
    count: int  # how many consecutive events this row stands for
    kind: str  # message | block | ping: picks the colour
    detail: str  # what a reader needs beside the name


def rows(events: list[tuple[str, dict]]) -> list[Row]:
    out: list[Row] = []
    for name, data in events:
        if name == "content_block_delta":
            label = f"{data['delta']['type']} [{data['index']}]"
            previous = out[-1] if out else None
            if previous and previous.event == name and previous.detail.endswith(label):
                previous.count += 1
                previous.detail = f"{previous.count} × {label}"
                continue
            out.append(Row(name, 1, "block", f"1 × {label}"))
        elif name == "content_block_start":
            out.append(Row(name, 1, "block", f"[{data['index']}] {data['content_block']['type']}"))
        elif name == "content_block_stop":
            out.append(Row(name, 1, "block", f"[{data['index']}]"))
        elif name == "message_delta":
            reason = data.get("delta", {}).get("stop_reason")
            out.append(Row(name, 1, "message", f"stop_reason: {reason}"))
        elif name == "message_start":
            out.append(Row(name, 1, "message", data.get("message", {}).get("model", "")))
        elif name == "ping":
            out.append(Row(name, 1, "ping", ""))
        elif name == "error":
            out.append(Row(name, 1, "error", data.get("error", {}).get("type", "")))
        else:
            out.append(Row(name, 1, "message", ""))
    return out


def svg(name: str, sse: str, source: str) -> str:
    """The inline SVG figure for one cassette's response body, recorded from `source`
    (the cassette's `recorded.source`: the local emulator or the live API)."""
    flow = rows(json_events(sse))
    height = TOP + ROW * len(flow)
    ident = f"event-flow-{name}"
    spoken = "; ".join(f"{row.event} {row.detail}".strip() for row in flow)
    parts = [
        f'<svg class="event-flow" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">Server-sent events of cassettes/{name}.yaml, in order</title>',
        f'<desc id="{ident}-desc">{html.escape(spoken)}</desc>',
        # The spine: one stream, read top to bottom.
        f'<line class="ef-spine" x1="{DOT_X}" y1="{TOP}" x2="{DOT_X}" y2="{height - ROW + TOP}"/>',
    ]
    for i, row in enumerate(flow):
        y = TOP + ROW * i
        parts.append(
            f'<g class="ef-row ef-{row.kind}" data-event="{row.event}" data-count="{row.count}">'
            f'<circle cx="{DOT_X}" cy="{y}" r="6"/>'
            f'<text class="ef-name" x="{NAME_X}" y="{y}" dy="0.35em">{row.event}</text>'
            f'<text class="ef-detail" x="{DETAIL_X}" y="{y}" dy="0.35em">'
            f"{html.escape(row.detail)}</text></g>"
        )
    parts.append("</svg>")
    # Where the events came from, as under an output: an emulator's event order and
    # pings are its imitation of the API, not the API's own.
    caption = (
        f"<figcaption>The events of <code>cassettes/{name}.yaml</code>, recorded from the "
        f"{html.escape(source)}, top to bottom; consecutive deltas of one block share a "
        "row.</figcaption>"
    )
    return f'<figure class="event-flow-figure">{"".join(parts)}{caption}</figure>'


def cassette_body(name: str, where: str = "") -> str:
    data = cassettes.by_name(name, where)
    try:
        return data["interactions"][0]["response"]["body"]["string"]
    except (KeyError, IndexError, TypeError) as error:
        raise BuildError(f"{where}cassettes/{name}.yaml holds no response body to draw") from error


def figure(name: str) -> str:
    """The figure for `<!-- md:event-flow NAME -->` (streamdocs.markdown.shortcodes)."""
    recorded = cassettes.by_name(name).get("recorded")
    if not recorded:
        raise BuildError(
            f"cassettes/{name}.yaml does not say where it came from. "
            f"Re-record it with `make record NAME={name}`."
        )
    return svg(name, cassette_body(name), recorded["source"])
