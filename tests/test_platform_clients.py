"""docs/guides/python-sync.md: the Bedrock and Vertex clients stream through the same
`messages` resource; Bedrock's stream decodes AWS's event stream into the same events."""

from __future__ import annotations

import inspect

import anthropic
from anthropic.lib.bedrock._stream import BedrockStream
from anthropic.resources.messages import Messages

from streamdocs.paths import DOCS


def test_bedrock_and_vertex_clients_stream_like_the_others():
    # no credentials: they are looked up when a request is sent, never here
    bedrock = anthropic.AnthropicBedrock(aws_region="us-east-1")
    vertex = anthropic.AnthropicVertex(region="us-east5", project_id="example")
    for client in (bedrock, vertex):
        assert type(client.messages) is Messages  # the same stream() and create()
    # Bedrock: AWS's binary event stream, decoded into the same events
    assert issubclass(BedrockStream, anthropic.Stream)
    assert "AWSEventStreamDecoder()" in inspect.getsource(BedrockStream)
    page = (DOCS / "guides" / "python-sync.md").read_text(encoding="utf-8")
    assert "AnthropicBedrock" in page and "AnthropicVertex" in page
