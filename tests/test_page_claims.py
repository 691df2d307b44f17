"""Claims the pages make about what neither the SDK nor a sample can show: nginx's
documented behaviour, the API's as Anthropic documents it, and what is not known. Each
test pins the sentence a truth read settled (the finding it came from is named), so that
a rewrite cannot quietly bring the old claim back."""

from __future__ import annotations

import json
import re

from streamdocs.paths import OUTPUTS
from tests.sdk_claims import never_says, says


def test_nginx_read_timeout_is_per_read_not_per_response():
    """T28: nginx docs: proxy_read_timeout is "set only between two successive read
    operations, not for the transmission of the whole response"."""
    page = "troubleshooting/production.md"
    never_says(page, "long answers are long-lived responses")
    says(page, "`proxy_read_timeout` limits the silence between two reads")


def test_message_stop_is_just_its_type_but_not_byte_for_byte():
    """T29: the curl output's message_stop parses to its type alone, spaced as it likes."""
    data = re.findall(r"^data: (.*)$", (OUTPUTS / "curl_stream.txt").read_text(), re.M)[-1]
    assert json.loads(data) == {"type": "message_stop"}
    assert data != '{"type":"message_stop"}', "the recorded bytes no longer show the spacing"
    never_says("guides/curl.md", 'is exactly `{"type":"message_stop"}`')
    says("guides/curl.md", "Its bytes may differ in spacing")
    never_says("reference/events.md", "nothing else: exactly")


def test_a_server_tool_result_may_come_in_a_later_response():
    """T43: with a client tool called in the same turn, the server tool's result comes
    after your tool_result (Anthropic's stop reasons page); the emulator has no such turn,
    and the page says so."""
    from streamdocs.emulator.scenarios import load_scenarios

    for name, scenario in load_scenarios().items():
        kinds = {block["type"] for reply in scenario.replies for block in reply.content}
        assert not {"tool_use", "server_tool_use"} <= kinds, (
            f"scenario {name} is a mixed turn now: test the web search sample against it "
            "and revise docs/guides/web-search.md"
        )
    page = "guides/web-search.md"
    never_says(page, "run on Anthropic's side during the same request")
    says(page, "a `server_tool_use` block can come without its result")
    says(page, "The project's emulator does not produce such a mixed turn")


def test_the_lower_nonstreaming_caps_are_for_ids_the_sdk_no_longer_lists():
    """T45: every capped id is missing from anthropic.types.Model, as the page says; the
    retirement itself is Anthropic's to state, and the page sends readers there."""
    import typing

    from anthropic.types import Model

    from streamdocs.sdk_internals import MODEL_NONSTREAMING_TOKENS

    listed = set()
    for arg in typing.get_args(Model):
        listed |= {arg} if isinstance(arg, str) else set(typing.get_args(arg))
    assert MODEL_NONSTREAMING_TOKENS, "no capped model any more: revise when-not-to-stream.md"
    assert not set(MODEL_NONSTREAMING_TOKENS) & listed, (
        "a model the SDK lists now has a lower cap: revise when-not-to-stream.md and index.md"
    )
    says("when-not-to-stream.md", "None of those ids is in the SDK's list of current models")
    says("when-not-to-stream.md", "Whether the older ids can still be called is not")
    never_says("index.md", "(less for a few models)")


def test_no_ping_interval_is_promised():
    """T46: no Anthropic page states how often pings come or how long a stream may be
    silent; the pages say the read timeout is a judgment (errors.md already says pings'
    timing is not to be counted on)."""
    never_says("guides/stalls.md", "far more often")
    says("guides/stalls.md", "a judgment, not a documented bound")
    says("troubleshooting/errors.md", "don't count on their timing")


def test_billing_after_a_disconnect_is_not_claimed():
    """T47: whether generation and billing stop when the client leaves is not documented;
    that message_delta never arrives after a stop is (tests/test_stop_early.py)."""
    for page in ("guides/stop-early.md", "guides/usage.md"):
        never_says(page, "You pay for the output the model generated")
        never_says(page, "You pay for what the model generated, received or not")
    says("guides/stop-early.md", "No Anthropic page says whether the model stops generating")
    never_says("troubleshooting/index.md", "(and the generation) goes on")
