"""The relay guide's nginx config (snippets/relay_nginx.conf), served by real nginx.

nginx runs in the foreground on a loopback port with everything it writes under the
test's own directory: a main config written here `include`s the snippet with only its
`listen` and `proxy_pass` ports changed. Behind it, the relay app, and behind that the
emulator at a slow pace. With the config, the answer's first bytes reach the client long
before its end, uncompressed though the main config turns gzip on; either of its two
switches alone (the config's `proxy_buffering off`, the app's `X-Accel-Buffering: no`)
is enough; with neither, an answer shorter than one proxy buffer arrives only at the end.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest

from streamdocs import demo, relay_stack
from streamdocs.emulator import Emulator
from streamdocs.loopback import AppServer
from streamdocs.paths import SNIPPETS, rel

SNIPPET = SNIPPETS / "relay_nginx.conf"
PACE = 0.2  # seconds between events: a haiku's answer takes about two seconds
MARGIN = 0.5
QUESTION = {"message": "Write a haiku about the sea."}  # short: under one proxy buffer
BUFFER = 4096  # nginx's smallest proxy_buffer_size (one memory page)

# What each run takes out of the snippet. nginx talks HTTP/1.0 to the app unless told
# otherwise; over HTTP/1.1 (chunked) it passes each chunk on even while buffering, so the
# runs that test one switch alone drop `proxy_http_version 1.1` too.
VERSION = ("proxy_http_version 1.1;", 'proxy_set_header Connection "";')
BUFFERING = "proxy_buffering off;"
HEADER = "X-Accel-Buffering"  # the app's header, ignored by nginx when this run says so


def site_config(app_port: int, remove=(), ignore_header=False) -> str:
    replacements = {
        "listen 80;": "listen 127.0.0.1:{port};",
        "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://127.0.0.1:{app_port};",
    }
    replacements.update(dict.fromkeys(remove, ""))
    text = relay_stack.site_config(SNIPPET, replacements)
    if ignore_header:
        # as if the app sent no `X-Accel-Buffering: no`
        text = text.replace("location / {", f"location / {{\n proxy_ignore_headers {HEADER};")
    return text


def Nginx(directory, app_port: int, **changes) -> relay_stack.Nginx:
    try:
        return relay_stack.Nginx(directory, site_config(app_port, **changes))
    except relay_stack.StackError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def relay():
    with Emulator(delay=PACE) as emulator, demo.api_env(emulator.url):
        app = demo.relay_app()
        with AppServer(app) as server:
            yield server


def timed_answer(url: str) -> tuple[float, float, bytes, httpx.Headers]:
    """(first bytes of the answer, end of the response), both time.monotonic()."""
    first, body = None, b""
    with httpx.stream(
        "POST",
        url + "/chat",
        json=QUESTION,
        headers={"accept-encoding": "gzip", "authorization": f"Bearer {demo.TOKEN}"},
        timeout=30,
    ) as response:
        assert response.status_code == 200, response.read()
        for chunk in response.iter_raw():
            if chunk and first is None:
                first = time.monotonic()
            body += chunk
        headers = response.headers
    return first, time.monotonic(), body, headers


def test_through_the_config_the_answer_streams(relay, tmp_path):
    with Nginx(tmp_path / "nginx", relay.port) as nginx:
        first, end, body, headers = timed_answer(f"http://127.0.0.1:{nginx.port}")
    assert b"event: done" in body
    assert "content-encoding" not in headers, "the config's `gzip off` keeps the stream plain"
    assert end - first >= MARGIN, (
        f"through nginx the first bytes came only {end - first:.2f} s before the end: "
        f"{rel(SNIPPET)} lets nginx buffer the stream"
    )


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"remove": (BUFFERING, *VERSION)}, id="app-header-alone"),
        pytest.param({"remove": VERSION, "ignore_header": True}, id="proxy_buffering-off-alone"),
    ],
)
def test_either_switch_alone_turns_buffering_off(relay, tmp_path, changes):
    with Nginx(tmp_path / "nginx", relay.port, **changes) as nginx:
        first, end, _, _ = timed_answer(f"http://127.0.0.1:{nginx.port}")
    assert end - first >= MARGIN, f"with {changes} the answer came in one piece"


def test_without_both_a_short_answer_arrives_only_at_the_end(relay, tmp_path):
    direct_first, direct_end, direct_body, _ = timed_answer(relay.url)
    assert direct_end - direct_first >= MARGIN, "the app itself streams"
    assert len(direct_body) < BUFFER, "the answer fits in one proxy buffer"
    changes = {"remove": (BUFFERING, *VERSION), "ignore_header": True}
    with Nginx(tmp_path / "nginx", relay.port, **changes) as nginx:
        first, end, body, _ = timed_answer(f"http://127.0.0.1:{nginx.port}")
    assert body == direct_body
    assert end - first < MARGIN, (
        f"buffered, the first bytes still came {end - first:.2f} s before the end: "
        "this test no longer shows what the config prevents"
    )


def test_a_stall_reaches_the_page_as_an_error_before_nginx_gives_up():
    """The relay's own read timeout must end a silent answer (with an `error` event the
    page shows) before nginx's proxy_read_timeout cuts the connection (which the page can
    only call a lost connection)."""
    with demo.api_env("http://127.0.0.1:9"):
        relay = demo.relay_app_module()
    nginx = re.search(r"proxy_read_timeout (\d+)s;", SNIPPET.read_text(encoding="utf-8"))
    assert nginx, f"{rel(SNIPPET)} sets no proxy_read_timeout"
    read = relay["client"].timeout.read
    assert read is not None and read < int(nginx.group(1)), (
        f"the relay waits {read} s for a silent API, nginx only {nginx.group(1)} s"
    )
