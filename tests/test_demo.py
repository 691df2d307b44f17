"""`make demo-scale` (streamdocs.demo.scale): the resumable relay's page, served through
nginx with Redis and two workers, picks an answer up after nginx or a worker restarts."""

from __future__ import annotations

import queue
import threading

import httpx

from streamdocs import demo, relay_stack
from streamdocs.samples import matrix

AUTH = {"Authorization": f"Bearer {demo.TOKEN}"}


def test_demo_scale_serves_a_page_that_resumes_after_restarts(capsys):
    commands: queue.Queue[str] = queue.Queue()
    port = relay_stack.free_port()
    run = threading.Thread(
        target=demo.scale, args=(port, 0.05, iter(commands.get, None)), daemon=True
    )
    run.start()
    url = f"http://127.0.0.1:{port}"
    try:
        page = None
        for _ in range(300):
            try:
                page = httpx.get(url + "/")
                break
            except httpx.TransportError:
                run.join(0.05)
        assert page is not None and "relay_resumable.js" in page.text
        with httpx.stream(
            "POST", url + "/chat", json={"message": "Write a haiku about the sea."}, headers=AUTH
        ) as response:
            answer_id = response.headers["x-answer-id"]
            read = []
            for event in relay_stack.events(response.iter_lines()):
                read.append(event)
                break
        for command in ("n",):
            commands.put(command)
        rest = httpx.get(
            f"{url}/chat/{answer_id}", headers={**AUTH, "Last-Event-ID": read[-1].id}, timeout=30
        )
        events = list(relay_stack.events(rest.text.splitlines() + [""]))
        text = "".join(e.data["text"] for e in read + events if e.type == "text")
        haiku = demo_haiku()
        assert text == haiku and events[-1].type == "done"
    finally:
        commands.put("q")
        run.join(30)
    assert not run.is_alive(), "q ends the demo"
    said = capsys.readouterr().out
    assert f"Access token: {demo.TOKEN}" in said
    assert [line for line in said.splitlines() if line.startswith("done:")] == [
        "done: n",
    ]  # fmt: skip


def demo_haiku() -> str:
    from streamdocs.emulator.scenarios import load_scenarios

    request = {
        "model": "claude-sonnet-5-5",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "Write a haiku about the sea."}],
    }
    return matrix.facts(load_scenarios()["text_haiku"], request).text
