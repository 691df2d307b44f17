"""What the pages say the SDK does, tried against the installed SDK.

Each test pins one behavioural claim: it makes the SDK do the thing (through an
httpx2 MockTransport, no network) and checks the page still says it. When an SDK
bump changes the behaviour, the test names the page to fix.
"""

from __future__ import annotations

import json
import re
import runpy
import typing
from pathlib import Path

import anthropic
import httpx2
import pytest
from anthropic.lib.streaming import _types as helper_types
from anthropic.types.parsed_message import ParsedMessage

from streamdocs import environment, sdk_internals
from streamdocs.emulator import wire
from streamdocs.paths import CASSETTES, DOCS, SNIPPETS, rel
from streamdocs.recording import cassettes

ANTHROPIC = anthropic.Anthropic  # kept: run_sample patches the module's name
REQUEST = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "hi"}],
}


def page_text(page: str) -> str:
    """A page's Markdown with its line breaks folded, so a phrase may wrap."""
    return " ".join((DOCS / page).read_text(encoding="utf-8").split())


def says(page: str, *phrases: str) -> None:
    text = page_text(page)
    missing = [phrase for phrase in phrases if " ".join(phrase.split()) not in text]
    assert not missing, f"docs/{page} no longer says: {missing}"


def never_says(page: str, *phrases: str) -> None:
    text = page_text(page)
    found = [phrase for phrase in phrases if " ".join(phrase.split()) in text]
    assert not found, f"docs/{page} says {found}, which the SDK contradicts"


# --- a stream served from memory ------------------------------------------------------------


def sse(*events: dict) -> bytes:
    """The events as the API frames them (the emulator's own encoder)."""
    return b"".join(wire.encode_event(event, seq) for seq, event in enumerate(events))


START = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-6",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 20, "output_tokens": 1},
    },
}


def text_block(index: int, *pieces: str) -> list[dict]:
    return [
        {
            "type": "content_block_start",
            "index": index,
            "content_block": {"type": "text", "text": ""},
        },
        *(
            {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "text_delta", "text": p},
            }
            for p in pieces
        ),
        {"type": "content_block_stop", "index": index},
    ]


def end(input_tokens: int = 20, output_tokens: int = 9) -> list[dict]:
    return [
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        },
        {"type": "message_stop"},
    ]


class Body(httpx2.SyncByteStream):
    """A response body that yields `pieces`, then raises `error` (if any), and notes closing."""

    def __init__(self, pieces: list[bytes], error: Exception | None = None):
        self.pieces, self.error, self.closed = pieces, error, False

    def __iter__(self):
        yield from self.pieces
        if self.error is not None:
            raise self.error

    def close(self):
        self.closed = True


def client_serving(*responses, max_retries: int = 0, **options) -> anthropic.Anthropic:
    """A client whose transport answers `responses` in turn: (status, headers) or a Body."""
    queue = list(responses)

    def handler(request: httpx2.Request) -> httpx2.Response:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Body):
            return httpx2.Response(
                200, headers={"content-type": "text/event-stream"}, stream=answer
            )
        status, headers = answer
        body = {"type": "error", "error": {"type": "api_error", "message": "x"}}
        return httpx2.Response(status, headers=headers, json=body)

    return ANTHROPIC(
        api_key="sk-ant-claims",
        max_retries=max_retries,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        **options,
    )


# --- retries (errors.md, complete-example.md, exceptions.md) ---------------------------------


def attempts(status: int, headers: dict | None = None) -> int:
    calls = []

    def handler(request):
        calls.append(request)
        body = {"type": "error", "error": {"type": "api_error", "message": "x"}}
        return httpx2.Response(status, headers=headers or {}, json=body)

    client = anthropic.Anthropic(
        api_key="sk-ant-claims",
        max_retries=1,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    ).with_options(timeout=5)
    with pytest.raises(anthropic.APIStatusError):
        with client.messages.stream(**REQUEST):
            pass
    return len(calls)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 501, 529, 599])
def test_these_statuses_are_retried(status, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _: None)
    assert attempts(status) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 499])
def test_these_statuses_are_not_retried(status):
    assert attempts(status) == 1


def test_x_should_retry_overrides_the_status(monkeypatch):
    """Finding 9, 22: the pages say the header decides either way."""
    monkeypatch.setattr("time.sleep", lambda _: None)
    assert attempts(400, {"x-should-retry": "true"}) == 2
    assert attempts(503, {"x-should-retry": "false"}) == 1
    assert attempts(429, {"x-should-retry": "false"}) == 1
    for page in ("troubleshooting/errors.md", "complete-example.md", "reference/exceptions.md"):
        says(page, "x-should-retry")


def test_nothing_is_retried_once_a_200_stream_has_started():
    body = Body([sse(START, *text_block(0, "Half"))], httpx2.RemoteProtocolError("cut"))
    calls = []
    client = client_serving(body, max_retries=2)
    client._client._transport.handler = lambda request, h=client._client._transport.handler: (
        calls.append(1) or h(request)
    )
    with pytest.raises(httpx2.RemoteProtocolError):
        with client.messages.stream(**REQUEST) as stream:
            stream.until_done()
    assert len(calls) == 1
    says("complete-example.md", "Nothing is retried once a 200 response has started")


# --- timeouts (errors.md, complete-example.md) ------------------------------------------------


def test_default_timeouts_and_the_timeout_sample():
    """Finding 1, 29: the SDK already waits 600 s; the sample must set a *shorter* read."""
    assert (sdk_internals.DEFAULT_TIMEOUT.read, sdk_internals.DEFAULT_TIMEOUT.connect) == (
        600,
        5,
    ), (
        "the SDK's default timeouts changed: check docs/troubleshooting/errors.md, "
        "docs/complete-example.md and snippets/timeout_config.py"
    )
    sample = (DOCS.parent / "snippets" / "timeout_config.py").read_text(encoding="utf-8")
    (read,) = re.findall(r"\bread=([\d.]+)", sample)
    assert float(read) < sdk_internals.DEFAULT_TIMEOUT.read, (
        f"snippets/timeout_config.py sets read={read}, not shorter than the SDK's default "
        f"{sdk_internals.DEFAULT_TIMEOUT.read}: the page shows it as the way to notice a "
        "stall sooner"
    )
    says("troubleshooting/errors.md", "<!-- sdk:read-timeout -->", "watchdog")
    says("complete-example.md", "<!-- sdk:read-timeout -->")


# --- the non-streaming limit (index.md, when-not-to-stream.md) --------------------------------


def test_the_nonstreaming_refusal_needs_the_default_timeout():
    """Finding 12: refused only with no timeout on the request and the client's default."""
    big = {**REQUEST, "max_tokens": 64_000}
    with pytest.raises(ValueError, match="Streaming is required"):
        client_serving((200, {})).messages.create(**big)
    never = client_serving((500, {}))
    with pytest.raises(anthropic.InternalServerError):  # sent, not refused
        never.messages.create(**big, timeout=30)
    with pytest.raises(anthropic.InternalServerError):
        client_serving((500, {}), timeout=30).messages.create(**big)
    says("when-not-to-stream.md", "<!-- sdk:nonstreaming-max-tokens -->", "timeout")
    says("index.md", "<!-- sdk:nonstreaming-max-tokens -->")


# --- how a stream ends (exceptions.md, errors.md, complete-example.md) ------------------------


def test_a_clean_early_end_raises_nothing_and_leaves_stop_reason_none():
    """Finding 2: the SDK does not check that message_stop arrived."""
    client = client_serving(Body([sse(START, *text_block(0, "Hi", " there"))]))
    with client.messages.stream(**REQUEST) as stream:
        message = stream.get_final_message()
    assert message.stop_reason is None and stream.get_final_text() == "Hi there"
    for page in ("reference/exceptions.md", "complete-example.md"):
        says(page, "`stop_reason` is `None`")
    never_says("reference/exceptions.md", "closed before `message_stop`")
    never_says("troubleshooting/errors.md", "closed before `message_stop`")


def test_a_cut_before_message_start_is_already_a_raw_transport_error():
    """Finding 11: the boundary is the 200 response, not the first event."""
    client = client_serving(Body([b""], httpx2.RemoteProtocolError("cut")), max_retries=2)
    with client.messages.stream(**REQUEST) as stream:  # the 200 arrived: nothing raised yet
        with pytest.raises(httpx2.RemoteProtocolError):
            stream.until_done()
    says("reference/exceptions.md", "Once the `200` response has arrived")
    never_says("reference/exceptions.md", "Once the first event has arrived")


def test_exceptions_that_do_not_derive_from_anthropic_error():
    """Finding 10: the page lists these."""
    bad = Body([sse(START)[:-2] + b"\n" + b"event: content_block_start\ndata: {nope\n\n"])
    with pytest.raises(json.JSONDecodeError):
        with client_serving(bad).messages.stream(**REQUEST) as stream:
            stream.until_done()
    tool = [
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}},
        },
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": '{"a": yes]'},
        },
    ]
    with pytest.raises(ValueError):
        with client_serving(Body([sse(START, *tool)])).messages.stream(**REQUEST) as stream:
            stream.until_done()
    with pytest.raises(AssertionError):
        with client_serving(Body([b""])).messages.stream(**REQUEST) as stream:
            stream.get_final_message()
    assert not issubclass(json.JSONDecodeError, anthropic.AnthropicError)
    says(
        "reference/exceptions.md",
        "`json.JSONDecodeError`",
        "`ValueError`",
        "`AssertionError`",
        "`TypeError`",
    )


def test_no_credential_is_a_plain_type_error_at_the_first_request(monkeypatch, tmp_path):
    """Finding 10, 32: with nothing configured the client is created without complaint;
    the request raises a TypeError, which is no AnthropicError."""
    changes = environment.overlay({}, tmp_path)
    environment.apply(changes, monkeypatch.setenv, monkeypatch.delenv)
    client = anthropic.Anthropic(http_client=httpx2.Client(transport=httpx2.MockTransport(
        lambda request: httpx2.Response(500)
    )))  # fmt: skip
    with pytest.raises(TypeError, match="Could not resolve authentication method") as caught:
        with client.messages.stream(**REQUEST):
            pass
    assert not isinstance(caught.value, anthropic.AnthropicError)
    says("reference/exceptions.md", "Could not resolve authentication method")
    says("complete-example.md", "Could not resolve authentication method")
    says("setup.md", "`ANTHROPIC_AUTH_TOKEN`")


def test_break_leaves_the_connection_open_until_the_with_block_ends():
    """Finding 4, 23: closing happens when the `with` exits, not at `break`."""
    body = Body([sse(START, *text_block(0, "a", "b", "c"), *end())])
    with client_serving(body).messages.stream(**REQUEST) as stream:
        for _ in stream.text_stream:
            break
        assert not stream.response.is_closed
    assert stream.response.is_closed
    raw_body = Body([sse(START, *text_block(0, "a", "b", "c"), *end())])
    raw = client_serving(raw_body).messages.create(**REQUEST, stream=True)
    for _ in raw:
        break
    assert not raw.response.is_closed
    raw.close()
    says("index.md", "Leave the `with` block and the connection closes")
    says("guides/python-sync.md", "Bad file descriptor")


# --- events (python-events.md, raw-vs-helper.md, concepts.md) ---------------------------------


def test_neither_iterator_yields_ping_or_error():
    """Finding 24: "every event" is every event but these."""
    events = [START, {"type": "ping"}, *text_block(0, "a"), *end()]
    helper = [
        e.type for e in client_serving(Body([sse(*events)])).messages.stream(**REQUEST).__enter__()
    ]
    raw = [
        e.type for e in client_serving(Body([sse(*events)])).messages.create(**REQUEST, stream=True)
    ]
    assert "ping" not in helper and "ping" not in raw
    failing = [START, {"type": "error", "error": {"type": "overloaded_error", "message": "x"}}]
    with pytest.raises(anthropic.APIStatusError):
        list(client_serving(Body([sse(*failing)])).messages.create(**REQUEST, stream=True))
    says("guides/python-events.md", "`ping`", "`error`")
    says("guides/raw-vs-helper.md", "`ping`")
    never_says("guides/raw-vs-helper.md", "Both send the same request.")


def test_text_event_snapshot_is_its_blocks_text():
    """Finding 26: not the whole message."""
    events = [START, *text_block(0, "one"), *text_block(1, "two"), *end()]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        with pytest.raises(AssertionError):
            stream.current_message_snapshot  # noqa: B018
        snapshots = [e.snapshot for e in stream if e.type == "text"]
    assert snapshots == ["one", "two"]
    assert "snapshot" in helper_types.TextEvent.model_fields
    says("concepts.md", "the text of its own block so far", "`AssertionError`")


def test_usage_of_message_delta_overrides_message_start():
    """Finding 3, 13: message_delta repeats input; the SDK takes it as the total."""
    events = [START, *text_block(0, "a"), *end(input_tokens=25, output_tokens=7)]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        usage = stream.get_final_message().usage
    assert (usage.input_tokens, usage.output_tokens) == (25, 7)
    never_says("troubleshooting/production.md", "several times")
    never_says("troubleshooting/index.md", "several times")


def test_parsed_output_always_exists():
    """Finding 16."""
    assert isinstance(vars(ParsedMessage).get("parsed_output"), property)
    body = Body([sse(START, *text_block(0, "a"), *end())])
    with client_serving(body).messages.stream(**REQUEST) as stream:
        assert stream.get_final_message().parsed_output is None
    says("reference/helpers.md", "`parsed_output`, which is `None`")


def test_nothing_in_the_sdk_or_httpx2_asks_for_the_current_event_loop():
    """Finding 14: 'There is no current event loop' comes from code that calls
    asyncio.get_event_loop() outside a loop; neither the SDK nor httpx2 does."""
    callers = [
        rel(path) if path.is_relative_to(DOCS.parent) else str(path)
        for package in (anthropic, httpx2)
        for path in Path(package.__file__).parent.rglob("*.py")
        if "get_event_loop()" in path.read_text(encoding="utf-8")
    ]
    assert not callers, f"now calls asyncio.get_event_loop(): {callers}; revise errors.md"
    never_says(
        "troubleshooting/errors.md", "The async client was used outside a running event loop"
    )


# --- samples run against answers their cassettes do not hold -------------------------------------


def run_sample(name: str, body: Body, monkeypatch, capsys) -> str:
    monkeypatch.setattr(anthropic, "Anthropic", lambda **options: client_serving(body, **options))
    runpy.run_path(str(SNIPPETS / f"{name}.py"), run_name="__main__")
    return capsys.readouterr().out


def test_usage_sample_takes_input_tokens_from_message_delta(monkeypatch, capsys):
    """Finding 13: message_delta's input_tokens is the total; the sample must take it."""
    events = [START, *text_block(0, "a"), *end(input_tokens=25, output_tokens=7)]
    out = run_sample("usage_cumulative", Body([sse(*events)]), monkeypatch, capsys)
    assert out.strip() == "input_tokens=25 output_tokens=7 stop_reason=end_turn", out


def test_final_message_sample_survives_an_answer_without_text(monkeypatch, capsys):
    """Finding 31: get_final_text() raises RuntimeError when no block is text."""
    tool = [
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}},
        },
        {"type": "content_block_stop", "index": 0},
    ]
    out = run_sample("final_message", Body([sse(START, *tool, *end())]), monkeypatch, capsys)
    assert out.startswith("end_turn: 9 output tokens"), out


# --- the event flow (concepts.md, curl.md, events.md) ---------------------------------------------


def test_an_error_event_can_end_a_200_stream_before_message_start():
    """Finding 21: not every stream has the message_start ... message_stop shape."""
    failing = Body([sse({"type": "error", "error": {"type": "overloaded_error", "message": "x"}})])
    with pytest.raises(anthropic.APIStatusError) as caught:
        with client_serving(failing).messages.stream(**REQUEST) as stream:
            stream.until_done()
    assert caught.value.status_code == 200
    never_says("concepts.md", "Every stream follows the same shape")
    for page in ("concepts.md", "reference/events.md"):
        says(page, "An `error` event can end a `200` stream at any point")


def test_ping_placement_follows_the_wire_brief():
    """Finding 30: not "anywhere"; where it appears, and that it may be absent."""
    for page in ("concepts.md", "guides/curl.md", "reference/events.md"):
        never_says(page, "may appear anywhere", "can appear anywhere")
        says(page, "may be absent", "can repeat back to back")


def test_get_final_message_after_break_outside_the_block_is_a_bad_file_descriptor():
    """Finding 23: against a real socket (the emulator), as a reader would meet it."""
    from streamdocs.emulator.server import Emulator

    with Emulator(delay=0.005) as emulator:
        client = ANTHROPIC(api_key="sk-ant-claims", base_url=emulator.url, max_retries=0)
        request = {**REQUEST, "messages": [{"role": "user", "content": "Tell me a story."}]}
        with client.messages.stream(**request) as stream:
            for _ in stream.text_stream:
                break
        with pytest.raises(httpx2.ReadError, match="Bad file descriptor"):
            stream.get_final_message()
    says("guides/python-sync.md", "httpx2.ReadError: [Errno 9] Bad file descriptor")


def test_the_helper_sends_the_raw_body_plus_its_own_headers():
    """Finding 20: same body; the helper adds x-stainless-helper-method."""
    seen = []

    def handler(request):
        seen.append(request)
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, content=sse(START, *end())
        )

    client = ANTHROPIC(
        api_key="sk-ant-claims",
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    with client.messages.stream(**REQUEST) as stream:
        stream.until_done()
    with client.messages.create(**REQUEST, stream=True) as raw:
        list(raw)
    helper, plain = seen
    assert json.loads(helper.content) == json.loads(plain.content)
    assert helper.headers.get("x-stainless-helper-method") == "stream"
    assert "x-stainless-helper-method" not in plain.headers
    says(
        "guides/raw-vs-helper.md", "Both send the same body", "`x-stainless-helper-method: stream`"
    )
    bodies = {
        name: cassettes.load(CASSETTES / f"{name}.yaml")["interactions"][0]["request"]["body"]
        for name in ("text_stream", "raw_stream")
    }
    assert bodies["text_stream"] == bodies["raw_stream"], (
        "the page says text_stream.py and raw_stream.py send the same body; they do not "
        f"(cassettes/): {bodies}"
    )


def test_the_first_block_can_be_any_of_the_types_the_pages_name():
    """Finding 15, 25: the block types the pages name exist, and the thinking display knob."""
    from anthropic.types import ContentBlock
    from anthropic.types.thinking_config_adaptive_param import ThinkingConfigAdaptiveParam

    types_ = {typing.get_args(m.model_fields["type"].annotation)[0] for m in _members(ContentBlock)}
    named = {"thinking", "redacted_thinking", "tool_use", "server_tool_use", "text"}
    assert named <= types_, f"not block types of the SDK: {named - types_}"
    assert "omitted" in str(ThinkingConfigAdaptiveParam.__annotations__["display"])
    says("troubleshooting/text.md", "`redacted_thinking`", "`server_tool_use`", "citations")
    says("guides/python-events.md", "`redacted_thinking`", '`"omitted"`')
    never_says("troubleshooting/text.md", "with tools a `tool_use` block may follow")


def _members(union) -> tuple:
    if typing.get_origin(union) is typing.Annotated:
        union = typing.get_args(union)[0]
    return typing.get_args(union)


def test_setup_names_credential_sources_the_sdk_reads():
    """Finding 32: every ANTHROPIC_* variable setup.md names is one the SDK reads."""
    source = sdk_internals.client_source()
    named = set(re.findall(r"ANTHROPIC_[A-Z_]+", page_text("setup.md")))
    assert {"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE"} <= named
    unknown = [name for name in sorted(named) if name not in source]
    assert not unknown, f"docs/setup.md names {unknown}, which anthropic/_client.py never reads"
    sample = (SNIPPETS / "check_setup.py").read_text(encoding="utf-8")
    assert "os.environ" not in sample, "check_setup.py checks a variable: let the SDK look"
