"""Truth read 4, D15: where `ping` and `error` come in a stream is what recorded streams
showed, not what Anthropic documents. Its streaming page says only that a stream "may also
include any number of `ping` events" and that errors may "occasionally" be sent in it
(https://platform.claude.com/docs/en/build-with-claude/streaming); events.md says which is
which, and keeps the advice that code must expect both anywhere."""

from __future__ import annotations

from tests.sdk_claims import says


def test_the_placement_of_pings_and_errors_is_not_presented_as_documented():
    says(
        "reference/events.md",
        "That placement is what streams recorded from the API have shown, not a documented rule",
        'a stream "may also include any number of `ping` events"',
        'errors may "occasionally" be sent in the event stream',
        "so expect both anywhere",
    )
