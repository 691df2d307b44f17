"""Which answer shapes a request can get: what a shape needs of a request, what a request
holds, in the same terms, and whether the two fit.

A tool call needs tools offered, thinking needs thinking enabled, a server tool's blocks
need that server tool, `stop_sequence` needs the request's `stop_sequences`; a
`tool_choice` that forces a call admits only a call or a failure. The answer matrix, the
generated faults and the emulator kit's plugin and command all ask here.
"""

from __future__ import annotations

from typing import Any

from . import models
from .scenarios import Scenario, client_tools, server_tools, tool_choice

# Server-side blocks and the server tool (by family) a request must offer to get them.
_SERVER_FAMILY = {
    "web_search": "web_search",
    "web_search_tool_result": "web_search",
    "web_fetch": "web_fetch",
    "web_fetch_tool_result": "web_fetch",
    "code_execution": "code_execution",
    "bash_code_execution": "code_execution",
    "text_editor_code_execution": "code_execution",
    "code_execution_tool_result": "code_execution",
    "bash_code_execution_tool_result": "code_execution",
    "text_editor_code_execution_tool_result": "code_execution",
    "container_upload": "code_execution",
    "tool_search_tool_regex": "tool_search",
    "tool_search_tool_bm25": "tool_search",
    "tool_search_tool_result": "tool_search",
}
# What each need means, for a reader told why a shape was skipped.
NEEDS = {
    "tools": "tools of its own (and a tool_choice other than none)",
    "eager_input_streaming": "a tool with eager_input_streaming",
    "thinking": "thinking enabled",
    "thinking_omitted": "thinking with display omitted",
    "stop_sequences": "stop_sequences",
    "server:any": "a server tool",
}


def requirements(scenario: Scenario) -> set[str]:
    """What a request must hold for the real API to answer with this scenario's first reply."""
    needs: set[str] = set()
    reply = scenario.reply(0)
    for block in reply.content:
        kind = block["type"]
        if kind == "tool_use":
            needs.add("tools")
            if "_raw_json" in block:
                needs.add("eager_input_streaming")
        elif kind in ("thinking", "redacted_thinking"):
            needs.add("thinking")
            if kind == "thinking" and block["thinking"] == "":
                needs.add("thinking_omitted")
        elif kind == "server_tool_use":
            needs.add("server:" + _SERVER_FAMILY[block["name"]])
        elif kind in _SERVER_FAMILY:
            needs.add("server:" + _SERVER_FAMILY[kind])
    if reply.stop_reason == "stop_sequence":
        needs.add("stop_sequences")
    if reply.stop_reason == "pause_turn" and not any(n.startswith("server:") for n in needs):
        needs.add("server:any")
    return needs


def offers(request: dict[str, Any]) -> set[str]:
    """What a request holds, in the terms of `requirements`."""
    held = {"server:" + family for family in server_tools(request)}
    if held:
        held.add("server:any")
    tools = client_tools(request)
    if tools and tool_choice(request) != "none":
        held.add("tools")
        if any(t.get("eager_input_streaming") for t in tools):
            held.add("eager_input_streaming")
    if models.thinks(request):
        held.add("thinking")
        if models.display(request) == "omitted":
            held.add("thinking_omitted")
    if request.get("stop_sequences"):
        held.add("stop_sequences")
    return held


def is_failure(shape: Scenario) -> bool:
    """The shape's first answer fails: an HTTP error, or a stream that breaks."""
    return shape.reply(0).error is not None or shape.reply(0).interrupt is not None


def misfit(shape: Scenario, request: dict[str, Any]) -> str | None:
    """Why the API could not give this shape to this request (None: it could)."""
    missing = sorted(requirements(shape) - offers(request))
    if missing:
        said = [NEEDS.get(n, "the server tool " + n.removeprefix("server:")) for n in missing]
        return "it needs " + " and ".join(said) + ", which the request does not have"
    # tool_choice any/tool forces a call: only a call (or a failure) can answer
    forced = tool_choice(request) in ("any", "tool")
    if forced and not is_failure(shape) and "tools" not in requirements(shape):
        return f"the request forces a tool call (tool_choice {tool_choice(request)})"
    return None


def compatible(shape: Scenario, request: dict[str, Any]) -> bool:
    return misfit(shape, request) is None
