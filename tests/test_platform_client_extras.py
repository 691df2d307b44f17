"""Truth read 4, A10: the Bedrock and Vertex clients need the SDK's extras (their AWS and
Google libraries do not come with `anthropic`), and the binary event stream is
`AnthropicBedrock`'s: `AnthropicBedrockMantle` streams Server-Sent Events. Against the
emulator, in this environment, which installs `anthropic` without extras."""

from __future__ import annotations

import anthropic
import pytest
from anthropic.lib.bedrock import AnthropicBedrockMantle

from streamdocs.emulator import Emulator
from streamdocs.emulator.canned import REQUEST
from streamdocs.samples import matrix
from tests.sdk_claims import says


def test_the_platform_clients_need_the_extras_and_mantle_reads_sse():
    with Emulator() as emulator:
        mantle = AnthropicBedrockMantle(
            api_key=matrix.KEY, aws_region="us-east-1", base_url=emulator.url, max_retries=0
        )
        with mantle.messages.stream(**REQUEST) as stream:
            assert stream.get_final_text()
            assert stream.response.headers["content-type"].startswith("text/event-stream")
        bedrock = anthropic.AnthropicBedrock(
            aws_region="us-east-1",
            aws_access_key="read-4a",
            aws_secret_key="read-4a",  # pragma: allowlist secret
            base_url=emulator.url,
            max_retries=0,
        )
        with pytest.raises(ModuleNotFoundError, match="boto"):
            with bedrock.messages.stream(**REQUEST) as stream:
                stream.until_done()
        vertex = anthropic.AnthropicVertex(
            region="us-east5", project_id="read-4a", base_url=emulator.url, max_retries=0
        )
        with pytest.raises(anthropic.AnthropicError, match=r"anthropic\[vertex\]"):
            with vertex.messages.stream(**REQUEST) as stream:
                stream.until_done()
    says(
        "guides/python-sync.md",
        'install `"anthropic[bedrock]"` or `"anthropic[vertex]"` instead',
        "Through `AnthropicBedrock` the bytes on the wire are AWS's binary event stream",
        "`AnthropicBedrockMantle`, receives Server-Sent Events",
    )
