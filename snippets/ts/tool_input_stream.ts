// Watch a tool's input arrive in fragments; parse it once, when its block
// stops, and cope with input that is not valid JSON.
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const stream = await client.messages.create({
  model: "claude-sonnet-5-5",
  max_tokens: 1024,
  tools: [
    {
      name: "get_weather",
      description: "Get the current weather for a city.",
      input_schema: {
        type: "object",
        properties: { location: { type: "string" } },
        required: ["location"],
      },
      // send the input as it is generated, not validated first
      eager_input_streaming: true,
    },
  ],
  messages: [{ role: "user", content: "What's the weather in Paris?" }],
  stream: true,
});

// --8<-- [start:accumulate]
// tool input so far, by block index
const fragments = new Map<number, string[]>();
let stopReason: string | null = null;
for await (const event of stream) {
  if (event.type === "content_block_start") {
    if (event.content_block.type === "tool_use") {
      fragments.set(event.index, []);
      console.log(`[${event.index}] calling ${event.content_block.name}`);
    }
  } else if (event.type === "content_block_delta") {
    if (event.delta.type === "input_json_delta") {
      const sofar = fragments.get(event.index);
      sofar?.push(event.delta.partial_json);
      console.log(`    so far: ${sofar?.join("")}`);
    }
  } else if (event.type === "content_block_stop") {
    const parts = fragments.get(event.index);
    if (parts === undefined) continue; // not a tool call
    fragments.delete(event.index);
    try {
      // the input is complete only now
      const args: unknown = JSON.parse(parts.join("") || "{}");
      console.log(`[${event.index}] arguments: ${JSON.stringify(args)}`);
    } catch (err) {
      // Answer with a tool_result that has is_error: true.
      console.log(
        `[${event.index}] not valid JSON: ${(err as Error).message}`,
      );
    }
  } else if (event.type === "message_delta") {
    stopReason = event.delta.stop_reason;
  }
}
// --8<-- [end:accumulate]

console.log(`stop_reason: ${stopReason}`);
