"""Stream an answer that follows a JSON schema, then validate it."""

import anthropic
import pydantic


class Forecast(pydantic.BaseModel):
    city: str
    high_c: int
    summary: str


client = anthropic.Anthropic()

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
    for text in stream.text_stream:
        print(text, end="", flush=True)  # JSON, a few tokens at a time
    message = stream.get_final_message()
print()

if message.stop_reason != "end_turn":
    # Cut short (max_tokens) or refused: the JSON is not a whole Forecast.
    print(f"No forecast: stop_reason={message.stop_reason}")
else:
    text = "".join(b.text for b in message.content if b.type == "text")
    forecast = Forecast.model_validate_json(text)
    print(f"{forecast.city}: {forecast.high_c} °C, {forecast.summary}")
