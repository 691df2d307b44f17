"""The resumable relay in real Chromium, through nginx, with two workers and Redis.

Chromium reaches nginx through a loopback TCP proxy the test can cut (its "offline" switch
does not end a fetch that is already streaming). nginx alternates between the workers (no
sticky sessions) and every response names its worker, so a test can show which worker
answered the question, the reconnection and the Stop. The emulator sends an event every
PACE seconds: the report takes about 4.5 s, long enough to cut, stop or restart mid-answer.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from streamdocs import demo, relay_stack
from streamdocs.emulator import Emulator
from streamdocs.samples import matrix

# one process runs them all: they share one stack (`make test` runs --dist loadgroup)
pytestmark = pytest.mark.xdist_group("relay-resumable-browser")

PACE = 0.1
REPORT = "Write a report on ocean currents."  # 45 events
USERS = {"demo": demo.TOKEN, "other": "other-token", "limited": "limited-token"}


@pytest.fixture(scope="module")
def emulator():
    with Emulator(delay=PACE) as emu:
        yield emu


@pytest.fixture(scope="module")
def stack(emulator, tmp_path_factory):
    env = {
        "ANTHROPIC_API_KEY": demo.KEY,
        "ANTHROPIC_BASE_URL": emulator.url,
        "RELAY_TOKENS": ",".join(f"{user}:{token}" for user, token in USERS.items()),
        "RELAY_GRACE_SECONDS": "5",
    }
    with relay_stack.Stack(tmp_path_factory.mktemp("stack"), env) as stack:
        yield stack


class Tab:
    """A page of the relay in its own browser context, and every response it got."""

    def __init__(self, browser, stack) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.errors: list[str] = []
        self.responses: list[tuple[str, str, int, str]] = []  # method, path, status, worker
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("response", self._response)
        self.page.goto(stack.url)

    def _response(self, response) -> None:
        path = response.url.split("/", 3)[-1]
        worker = response.headers.get("x-relay-worker", "")
        self.responses.append((response.request.method, "/" + path, response.status, worker))

    def ask(self, question: str = REPORT, token: str = demo.TOKEN) -> None:
        self.page.fill("#token", token)
        self.page.fill("#message", question)
        self.page.click("#send")

    def text(self, selector: str = "#answer") -> str:
        return self.page.eval_on_selector(selector, "element => element.textContent")

    def wait_for_words(self, characters: int = 1) -> None:
        self.page.wait_for_function(
            f"document.getElementById('answer').textContent.length >= {characters}"
        )

    def wait_until_done(self) -> None:
        self.page.wait_for_function("!document.getElementById('send').disabled")

    def worker_of(self, method: str, path: str) -> list[str]:
        """The workers that answered these requests (a path ending in / is a prefix)."""
        return [
            w
            for m, p, _, w in self.responses
            if m == method and (p.startswith(path) if path.endswith("/") else p == path)
        ]

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors


@pytest.fixture
def tab(browser, stack):
    tab = Tab(browser, stack)
    yield tab
    tab.close()


def whole(emulator) -> str:
    return matrix.facts(emulator.scenarios["text_ocean_report"], emulator.requests[-1]["json"]).text


def test_a_cut_connection_resumes_on_the_other_worker_exactly(tab, stack, emulator):
    tab.ask()
    tab.wait_for_words(40)
    assert stack.proxy.cut() >= 1, "the page's connection was open through the proxy"
    tab.wait_until_done()
    assert tab.text() == whole(emulator), "0 characters duplicated or lost"
    assert tab.text("#status") == ""
    [asked] = tab.worker_of("POST", "/chat")
    resumed = tab.worker_of("GET", "/chat/")
    assert resumed and resumed[0] != asked, f"asked {asked}, resumed on {resumed}"


def test_stop_reaches_the_other_worker_and_ends_the_request_to_the_api(tab, emulator):
    closed = len(emulator.closed_early)
    tab.ask()
    tab.wait_for_words()
    tab.page.click("#stop")
    tab.wait_until_done()
    assert tab.text("#status") == "Stopped."
    assert whole(emulator).startswith(tab.text())
    [asked] = tab.worker_of("POST", "/chat")
    stopped = [w for m, p, s, w in tab.responses if p.endswith("/stop") and s == 202]
    assert stopped and stopped[0] != asked, f"asked {asked}, stopped on {stopped}"
    deadline = time.monotonic() + 3
    while len(emulator.closed_early) == closed and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(emulator.closed_early) > closed, "the emulator streamed on after Stop"


def test_two_tabs_stream_at_once(browser, stack, emulator):
    tabs = [Tab(browser, stack) for _ in range(2)]
    try:
        tabs[0].ask(token=USERS["demo"])
        tabs[1].ask(token=USERS["other"])
        for tab in tabs:
            tab.wait_for_words()
        assert all(len(tab.text()) < len(whole(emulator)) for tab in tabs), "both under way"
        for tab in tabs:
            tab.wait_until_done()
        assert [tab.text() for tab in tabs] == [whole(emulator)] * 2
    finally:
        for tab in tabs:
            tab.close()


def test_an_unknown_caller_is_refused_and_nothing_reaches_the_api(tab, emulator):
    before = len(emulator.requests)
    tab.ask(token="not-a-token-we-issued")
    tab.wait_until_done()
    assert tab.text("#status") == "Not sent (401): Unknown or missing token."
    assert len(emulator.requests) == before


def test_a_caller_over_the_limit_is_refused_and_nothing_reaches_the_api(tab, stack, emulator):
    headers = {"Authorization": f"Bearer {USERS['limited']}"}
    before = len(emulator.requests)
    for _ in range(2):  # two answers running: the limit at once
        with httpx.stream("POST", stack.url + "/chat", json={"message": REPORT}, headers=headers):
            pass
    deadline = time.monotonic() + 5
    while len(emulator.requests) < before + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(emulator.requests) == before + 2, "both answers reached the API"
    before += 2
    tab.ask(token=USERS["limited"])
    tab.wait_until_done()
    assert tab.text("#status") == ("Not sent (429): Limit reached: 2 answers at once, 30 an hour.")
    assert len(emulator.requests) == before


# Below, tests that stop parts of the stack: after them nginx may avoid a worker for a
# while, so the tests above, which count on nginx alternating, come first.


def test_restarting_nginx_mid_answer_resumes_exactly(tab, stack, emulator):
    tab.ask()
    tab.wait_for_words(40)
    stack.nginx.restart()
    tab.wait_until_done()
    assert tab.text() == whole(emulator)
    assert tab.worker_of("GET", "/chat/"), "the page reconnected"


def test_restarting_the_worker_it_reads_through_resumes_exactly(tab, stack, emulator):
    """The worker shuts down gently: it drops its readers after a second and finishes
    the answer it fetches into Redis; the page reads the rest from the other worker."""
    tab.ask()
    tab.wait_for_words(40)
    [asked] = tab.worker_of("POST", "/chat")
    restart = threading.Thread(target=stack.worker(asked).restart)
    restart.start()
    tab.wait_until_done()
    restart.join(30)
    assert tab.text() == whole(emulator)
    assert tab.text("#status") == ""
    assert asked not in tab.worker_of("GET", "/chat/")[-1:], "read the rest elsewhere"


def test_the_owner_dying_shows_what_was_stored_and_says_so(tab, stack, emulator):
    tab.ask()
    tab.wait_for_words(40)
    [asked] = tab.worker_of("POST", "/chat")
    stack.worker(asked).kill()
    tab.wait_until_done()
    shown = tab.text()
    assert shown and whole(emulator).startswith(shown) and shown != whole(emulator)
    assert tab.text("#status") == (
        "Error (worker_lost): The server answering this stopped before the answer ended."
    )
    stack.worker(asked).start().wait_ready()
