"""reply() against every answer the Messages API could give it.

The emulator kit's pytest plugin runs this test once per answer shape
(skipping those the API cannot give this request), and once more per
shape for the breaks of its answer.
"""

import anthropic

from reply import reply


def test_reply_survives_every_answer(claude_answer):
    # ANTHROPIC_BASE_URL names the kit's emulator while the test runs. A
    # short read timeout: a stall must end in an error, not a long wait.
    client = anthropic.Anthropic(timeout=anthropic.Timeout(10, read=1))
    claude_answer.check(reply, client, "Write a haiku about the sea.")
