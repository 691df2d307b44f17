// React to each event of a streamed message: blocks, deltas, stop.
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const tools: Anthropic.Tool[] = [
  {
    name: "get_weather",
    description: "Get the current weather for a city.",
    input_schema: {
      type: "object",
      properties: {
        location: { type: "string", description: "City and country" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["location"],
    },
  },
];

// --8<-- [start:loop]
const stream = client.messages.stream({
  model: "claude-sonnet-5-5",
  max_tokens: 1024,
  tools,
  messages: [
    { role: "user", content: "What's the weather like in Paris?" },
  ],
});
const show = JSON.stringify;
for await (const event of stream) {
  switch (event.type) {
    case "message_start":
      console.log(`message_start     id=${event.message.id}`);
      break;
    case "content_block_start":
      console.log(
        `content_block_start [${event.index}] ${event.content_block.type}`,
      );
      break;
    case "content_block_delta": {
      const delta = event.delta;
      if (delta.type === "text_delta") {
        console.log(`  text_delta        ${show(delta.text)}`);
      } else if (delta.type === "input_json_delta") {
        console.log(`  input_json_delta  ${show(delta.partial_json)}`);
      } else if (delta.type === "thinking_delta") {
        console.log(`  thinking_delta    ${show(delta.thinking)}`);
      } else if (delta.type === "signature_delta") {
        console.log("  signature_delta");
      } else if (delta.type === "citations_delta") {
        console.log(
          `  citations_delta   ${show(delta.citation.cited_text)}`,
        );
      } else {
        // a delta type added to the API after this code was written
        const { type } = delta as { type: string };
        console.log(`  ${type} (new delta type, skipped)`);
      }
      break;
    }
    case "content_block_stop":
      console.log(`content_block_stop  [${event.index}]`);
      break;
    case "message_delta":
      console.log(
        `message_delta     stop_reason=${event.delta.stop_reason}`,
      );
      break;
    case "message_stop":
      console.log("message_stop");
      break;
    // Any other type was added to the API after this code was written:
    // skipping it keeps the loop working.
  }
}
// --8<-- [end:loop]

// The model may call the tool, call it twice, or answer in text and call
// nothing.
const message = await stream.finalMessage();
const calls = message.content.filter((block) => block.type === "tool_use");
for (const call of calls) {
  console.log(`\n${call.name} called with ${show(call.input)}`);
}
if (calls.length === 0) console.log("\nNo tool was called.");
