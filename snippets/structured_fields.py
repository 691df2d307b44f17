"""Show each field of a structured answer as soon as it is complete."""

import anthropic
import pydantic


class Forecast(pydantic.BaseModel):
    city: str
    high_c: int
    summary: str


client = anthropic.Anthropic()
fields: list = []  # (name, value) parsed so far; the last may be unfinished
shown = 0

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[
        {"role": "user", "content": "Tomorrow's forecast for Paris?"}
    ],
    output_config={
        "format": {
            "type": "json_schema",
            "schema": anthropic.transform_schema(Forecast),
        }
    },
) as stream:
    for event in stream:
        if event.type != "text":
            continue
        try:
            snapshot = event.parsed_snapshot()  # the JSON so far, parsed
        except ValueError:
            continue  # not JSON: a refusal in words
        if isinstance(snapshot, dict):
            fields = list(snapshot.items())
        # a field is complete once the next one's value has begun
        for name, value in fields[shown:-1]:
            print(f"{name}: {value}")
            shown += 1
    message = stream.get_final_message()

if message.stop_reason == "end_turn":
    for name, value in fields[shown:]:  # the last field is whole now
        print(f"{name}: {value}")
    text = "".join(b.text for b in message.content if b.type == "text")
    forecast = Forecast.model_validate_json(text)
    print(f"\nA valid Forecast for {forecast.city}.")
else:
    print(f"\nIncomplete: the answer stopped for {message.stop_reason}.")
