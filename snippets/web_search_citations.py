"""Stream an answer that searches the web, with numbered sources."""

import anthropic

client = anthropic.Anthropic()

search = {
    "type": "web_search_20250305",
    "name": "web_search",
    "max_uses": 3,
}
messages = [
    {"role": "user", "content": "What's the weather in Paris today?"}
]
sources: list[str] = []  # cited URLs, numbered by first citation


def show_block(block) -> None:
    """What a finished block adds: the search it ran, or its sources."""
    if block.type == "server_tool_use":
        print(f"[{block.name}: {block.input}]")
    elif block.type == "text":
        for cite in block.citations or []:
            if cite.type != "web_search_result_location":
                continue  # a citation of a document you sent
            if cite.url not in sources:
                sources.append(cite.url)
            print(f" [{sources.index(cite.url) + 1}]", end="")


TURNS = 3  # a paused turn is sent back to go on, but not forever
for turn in range(TURNS):
    with client.messages.stream(
        model="claude-sonnet-5-5",
        max_tokens=1024,
        tools=[search],
        messages=messages,
    ) as stream:
        for event in stream:
            if event.type == "text":
                print(event.text, end="", flush=True)
            elif event.type == "content_block_stop":
                show_block(event.content_block)
        message = stream.get_final_message()
    if message.stop_reason != "pause_turn" or turn == TURNS - 1:
        break
    # The server paused a long turn: send it back as it is to continue.
    print(f"\n[{message.stop_reason}: continuing the turn]")
    messages.append({"role": "assistant", "content": message.content})

print(f"\n\nstop_reason: {message.stop_reason}")
for number, url in enumerate(sources, 1):
    print(f"[{number}] {url}")
