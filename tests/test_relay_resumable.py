"""The resumable relay (snippets/relay_resumable.py) on its real parts: Redis, two worker
processes and nginx with the guide's config (snippets/relay_resumable_nginx.conf), the
emulator behind them. No sticky sessions: nginx alternates between the workers, so the
request after a POST reaches the other worker, and each response names its worker.

The page and script it serves (relay_resumable.html, relay_resumable.js) are the
snippets; tests/browser/test_relay_resumable.py runs them in Chromium.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx
import pytest
import redis

from streamdocs import demo, relay_stack
from streamdocs.paths import SNIPPETS
from streamdocs.samples import matrix

# one process runs them all: they share one stack (`make test` runs --dist loadgroup)
pytestmark = pytest.mark.xdist_group("relay-resumable")

GRACE = 1  # the workers' RELAY_GRACE_SECONDS (the sample's default is 30)
HAIKU = "Write a haiku about the sea."  # about ten events
REPORT = "Write a report on ocean currents."  # 45 events
USERS = ["demo", "limited", "hourly", "stopper", "drainer", "leaver", "other"]
LOAD_USERS = [f"load-{n}" for n in range(10)]
TOKENS = {user: f"{user}-token" for user in USERS + LOAD_USERS}


def workers_env(emulator, grace: float = GRACE) -> dict[str, str]:
    return {
        "ANTHROPIC_API_KEY": demo.KEY,
        "ANTHROPIC_BASE_URL": emulator.url,
        "RELAY_TOKENS": ",".join(f"{user}:{token}" for user, token in TOKENS.items()),
        "RELAY_GRACE_SECONDS": str(grace),
    }


def auth(user: str = "demo") -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[user]}"}


@pytest.fixture(scope="module")
def emulator():
    from streamdocs.emulator import Emulator

    with Emulator(delay=0.05) as emu:
        yield emu


@pytest.fixture(scope="module")
def stack(emulator, tmp_path_factory):
    with relay_stack.Stack(tmp_path_factory.mktemp("stack"), workers_env(emulator)) as stack:
        yield stack


@pytest.fixture
def store(stack):
    with redis.Redis.from_url(stack.redis.url, decode_responses=True) as client:
        yield client


def expected_text(emulator, scenario: str) -> str:
    return matrix.facts(emulator.scenarios[scenario], emulator.requests[-1]["json"]).text


def wait_for(condition, seconds: float, what: str) -> float:
    """Poll until `condition()`; the time it became true (time.monotonic())."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)
    return time.monotonic()


def settle(stack) -> None:
    """Wait until no worker fetches an answer, so that the emulator's count of requests
    closed early counts only the test's own."""

    def idle() -> bool:
        return all(httpx.get(stack.url + "/health").json()["fetching_here"] == 0 for _ in range(2))

    wait_for(idle, 10, "answers from earlier tests still running")


def start(stack, user: str, message: str, texts: int = 1):
    """POST a question and read until `texts` text events came; then leave. Returns
    (answer id, worker, events read)."""
    read = []
    with httpx.stream(
        "POST", stack.url + "/chat", json={"message": message}, headers=auth(user), timeout=30
    ) as response:
        assert response.status_code == 200, response.read()
        for event in relay_stack.events(response.iter_lines()):
            read.append(event)
            if sum(e.type == "text" for e in read) == texts:
                break
        return response.headers["x-answer-id"], response.headers["x-relay-worker"], read


def resume(stack, user: str, answer_id: str, after: str | None) -> httpx.Response:
    headers = {**auth(user), **({"Last-Event-ID": after} if after else {})}
    return httpx.get(f"{stack.url}/chat/{answer_id}", headers=headers, timeout=30)


def events_of(response: httpx.Response) -> list[relay_stack.Event]:
    return list(relay_stack.events(response.text.splitlines() + [""]))


def text_of(events) -> str:
    return "".join(e.data["text"] for e in events if e.type == "text")


# --- what it serves ------------------------------------------------------------------------


def test_the_page_and_script_served_are_the_snippets(stack):
    for path, name in [
        ("/", "relay_resumable.html"),
        ("/relay_resumable.js", "relay_resumable.js"),
    ]:
        served = httpx.get(stack.url + path)
        assert served.text == (SNIPPETS / name).read_text(encoding="utf-8")
        assert demo.KEY not in served.text and "ANTHROPIC" not in served.text


def test_health_names_the_worker_and_redis(stack):
    health = [httpx.get(stack.url + "/health") for _ in range(2)]
    assert {h.json()["worker"] for h in health} == {"worker-1", "worker-2"}, "no sticky sessions"
    assert all(h.status_code == 200 and h.json()["redis"] == "ok" for h in health)


# --- not an open proxy ---------------------------------------------------------------------

CALLS = {
    "ask": ("POST", "/chat", {"message": HAIKU}),
    "resume": ("GET", "/chat/AAAAAAAAAAAAAAAA", None),
    "stop": ("POST", "/chat/AAAAAAAAAAAAAAAA/stop", None),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("token", [None, "not-a-token-we-issued"], ids=["none", "unknown"])
def test_an_unknown_caller_gets_401_and_nothing_reaches_the_api(stack, emulator, call, token):
    method, path, body = call
    before = len(emulator.requests)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.request(method, stack.url + path, json=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["detail"] == "Unknown or missing token."
    assert len(emulator.requests) == before


BAD = {
    "no message": ("POST", "/chat", {}, {}, 422),
    "chooses the model": ("POST", "/chat", {"message": "Hi", "model": "claude-opus-4-1"}, {}, 422),
    "too long": ("POST", "/chat", {"message": "x" * 4001}, {}, 422),
    "answer id not an id": ("GET", "/chat/not-an-id", None, {}, 422),
    "Last-Event-ID not an id": ("GET", "/chat/AAAAAAAAAAAAAAAA", None, {"Last-Event-ID": "x"}, 422),
    "no such answer": ("GET", "/chat/AAAAAAAAAAAAAAAA", None, {}, 404),
    "stop: unknown field": ("POST", "/chat/AAAAAAAAAAAAAAAA/stop", {"now": True}, {}, 422),
    "stop: no such answer": ("POST", "/chat/AAAAAAAAAAAAAAAA/stop", None, {}, 404),
}


@pytest.mark.parametrize("call", BAD.values(), ids=BAD.keys())
def test_bad_input_gets_a_4xx_naming_the_problem(stack, emulator, call):
    method, path, body, headers, status = call
    before = len(emulator.requests)
    response = httpx.request(method, stack.url + path, json=body, headers={**auth(), **headers})
    assert response.status_code == status, response.text
    assert response.json()["detail"], "the refusal says what was wrong"
    assert len(emulator.requests) == before


def test_another_users_answer_is_not_found(stack):
    answer_id, _, _ = start(stack, "other", HAIKU)
    assert resume(stack, "other", answer_id, None).status_code == 200
    assert resume(stack, "demo", answer_id, None).status_code == 404


def test_a_third_answer_at_once_gets_429_and_nothing_reaches_the_api(stack, emulator):
    emulator.delay = 0.1
    try:
        start(stack, "limited", REPORT)
        start(stack, "limited", REPORT)  # both run on: their grace period has not passed
        before = len(emulator.requests)
        refused = httpx.post(stack.url + "/chat", json={"message": HAIKU}, headers=auth("limited"))
    finally:
        emulator.delay = 0.05
    assert refused.status_code == 429
    assert refused.json()["detail"] == "Limit reached: 2 answers at once, 30 an hour."
    assert len(emulator.requests) == before


def test_the_hourly_limit_is_kept_in_redis_for_every_worker(stack, store, emulator):
    hour = int(time.time() // 3600)
    store.set(f"started:hourly:{hour}", 30)  # as if 30 answers had started this hour
    before = len(emulator.requests)
    for _ in range(2):  # one request to each worker
        refused = httpx.post(stack.url + "/chat", json={"message": HAIKU}, headers=auth("hourly"))
        assert refused.status_code == 429
    assert len(emulator.requests) == before
    assert store.get(f"started:hourly:{hour}") == "30", "a refused answer is not counted"


# --- resuming ------------------------------------------------------------------------------


def test_a_reader_resumes_on_the_other_worker_with_nothing_lost_or_doubled(stack, emulator):
    answer_id, first_worker, read = start(stack, "demo", HAIKU, texts=2)
    rest = resume(stack, "demo", answer_id, read[-1].id)
    assert rest.status_code == 200
    assert rest.headers["x-relay-worker"] != first_worker, "nginx sent it to the other worker"
    events = events_of(rest)
    assert text_of(read) + text_of(events) == expected_text(emulator, "text_haiku")
    assert events[-1].type == "done"
    everything = events_of(resume(stack, "demo", answer_id, None))  # from the start
    assert [e.id for e in everything] == [e.id for e in read + events]


def test_a_reader_back_within_the_grace_period_gets_the_whole_answer(stack, emulator):
    settle(stack)
    closed = len(emulator.closed_early)
    answer_id, _, read = start(stack, "leaver", HAIKU)
    time.sleep(GRACE / 2)
    rest = events_of(resume(stack, "leaver", answer_id, read[-1].id))
    assert text_of(read + rest) == expected_text(emulator, "text_haiku")
    assert rest[-1].type == "done"
    assert len(emulator.closed_early) == closed, "the answer was read to its end meanwhile"


def test_a_reader_gone_longer_than_the_grace_period_cancels_the_answer(stack, emulator):
    settle(stack)
    emulator.delay = 0.2  # the report takes about 9 s
    closed = len(emulator.closed_early)
    try:
        answer_id, _, read = start(stack, "leaver", REPORT)
        left = time.monotonic()
        cut = wait_for(lambda: len(emulator.closed_early) > closed, 7, "never cancelled")
    finally:
        emulator.delay = 0.05
    # the reader's mark lasts 3 s (SEEN), then GRACE without one, then the owner's next check
    assert 3 + GRACE - 0.6 < cut - left < 3 + GRACE + 1.5
    stored = events_of(resume(stack, "leaver", answer_id, None))
    assert stored[-1].type == "stopped" and stored[-1].data == {"then": "cancel"}
    assert text_of(stored).startswith(text_of(read))


# --- Stop, from any worker -----------------------------------------------------------------


@pytest.mark.parametrize("drain", [False, True], ids=["cancel", "drain"])
def test_stop_sent_to_the_other_worker(stack, emulator, store, drain):
    """Cancel ends the request to the API at once (and the final usage is never known);
    drain ends the page's answer but reads the API's to the end, so its usage is counted."""
    user = "drainer" if drain else "stopper"
    settle(stack)
    emulator.delay = 0.1
    closed = len(emulator.closed_early)
    try:
        answer_id, owner, read = start(stack, user, REPORT)
        stop = httpx.post(
            f"{stack.url}/chat/{answer_id}/stop", json={"drain": drain}, headers=auth(user)
        )
        assert stop.status_code == 202, stop.text
        assert stop.headers["x-relay-worker"] != owner, "Stop reached the other worker"
        rest = events_of(resume(stack, user, answer_id, read[-1].id))
        assert rest[-1].type == "stopped"
        assert rest[-1].data == {"then": "drain" if drain else "cancel"}
        if drain:
            wait_for(lambda: store.hget(f"usage:{user}", "output_tokens"), 8, "no usage counted")
            assert len(emulator.closed_early) == closed, "drained to the end"
        else:
            wait_for(lambda: len(emulator.closed_early) > closed, 3, "the API request went on")
            time.sleep(0.3)
            assert store.hget(f"usage:{user}", "output_tokens") is None
    finally:
        emulator.delay = 0.05


# --- many at once --------------------------------------------------------------------------


def test_answers_at_once_through_nginx_lose_no_event(stack, emulator):
    """The correctness half of the load run `make bench` times with 200 answers."""
    tokens = [TOKENS[user] for user in LOAD_USERS]
    answers, _ = relay_stack.load_run(stack.url, tokens, 20, HAIKU)
    expected = expected_text(emulator, "text_haiku")
    problems = {
        n: p for n, a in enumerate(answers) if (p := relay_stack.lost_or_doubled(a, expected))
    }
    assert not problems, problems
    assert {a.worker for a in answers} == {"worker-1", "worker-2"}


# --- when parts fail -----------------------------------------------------------------------


@pytest.fixture
def own():
    """A stack and an emulator of their own (at a slower pace), for a test that breaks a
    part: (stack, emulator)."""
    from streamdocs.emulator import Emulator

    with tempfile.TemporaryDirectory() as scratch, Emulator(delay=0.1) as emulator:
        env = workers_env(emulator, grace=5)
        with relay_stack.Stack(Path(scratch), env, persist=True) as stack:
            yield stack, emulator


@pytest.mark.xdist_group("relay-owner-dies")  # its own stack: free to run elsewhere
def test_the_owner_dying_leaves_the_stored_text_and_an_error_naming_it(own):
    own_stack, emulator = own
    answer_id, owner, read = start(own_stack, "demo", REPORT, texts=3)
    own_stack.worker(owner).kill()
    rest = resume(own_stack, "demo", answer_id, read[-1].id)  # nginx: the live worker
    assert rest.headers["x-relay-worker"] != owner
    events = events_of(rest)
    assert events[-1].type == "error" and events[-1].data["type"] == "worker_lost"
    assert events[-1].data["message"] == (
        "The server answering this stopped before the answer ended."
    )
    whole = expected_text(emulator, "text_ocean_report")
    shown = text_of(read + events)
    assert whole.startswith(shown), "what was stored, in order, nothing doubled"


@pytest.mark.xdist_group("relay-redis-down")  # its own stack: free to run elsewhere
def test_redis_down_refuses_new_answers_and_finishes_those_in_flight(own):
    own_stack, emulator = own
    answer_id, owner, read = start(own_stack, "demo", REPORT, texts=3)
    own_stack.redis.kill()
    refused = httpx.post(own_stack.url + "/chat", json={"message": HAIKU}, headers=auth())
    health = [httpx.get(own_stack.url + "/health") for _ in range(2)]
    time.sleep(1)  # the answer goes on meanwhile, its events held by the owner
    own_stack.redis.start().wait_ready()
    rest = resume(own_stack, "demo", answer_id, read[-1].id)
    assert refused.status_code == 503
    assert refused.json()["detail"] == "Cannot reach Redis; try again soon."
    assert [h.status_code for h in health] == [503, 503]
    assert all(h.json()["redis"].startswith("unreachable") for h in health)
    said = "".join(worker.logged() for worker in own_stack.workers)
    assert "Redis unreachable, refusing new answers" in said
    events = events_of(rest)
    assert text_of(read + events) == expected_text(emulator, "text_ocean_report")
    assert events[-1].type == "done"
    assert emulator.closed_early == [], "the answer in flight was read to its end"
