// A tool loop with extended thinking: show the thinking apart from the
// answer, and send every assistant turn back unchanged.
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const tools: Anthropic.Tool[] = [
  {
    name: "get_weather",
    description: "Get the current weather for a city.",
    input_schema: {
      type: "object",
      properties: { location: { type: "string" } },
      required: ["location"],
    },
  },
];
const messages: Anthropic.MessageParam[] = [
  { role: "user", content: "Should I take an umbrella in Paris?" },
];

let answered = false;
// a turn limit: the model may keep calling the tool
for (let turn = 0; turn < 5 && !answered; turn++) {
  const stream = client.messages.stream({
    model: "claude-sonnet-5-5",
    max_tokens: 4096,
    thinking: { type: "adaptive", display: "summarized" },
    tools,
    messages,
  });
  stream
    .on("streamEvent", (event) => {
      if (event.type === "content_block_start") {
        const kind = event.content_block.type;
        if (kind === "thinking" || kind === "redacted_thinking") {
          process.stdout.write(`[${kind}] `);
        }
      } else if (event.type === "content_block_stop") {
        process.stdout.write("\n");
      }
    })
    .on("thinking", (thinking) => process.stdout.write(thinking))
    .on("text", (text) => process.stdout.write(text));
  const message = await stream.finalMessage();

  const calls = message.content.filter(
    (block) => block.type === "tool_use",
  );
  if (message.stop_reason !== "tool_use" || calls.length === 0) {
    console.log(`[done: stop_reason ${message.stop_reason}]`);
    answered = true;
    break;
  }
  // Unchanged, thinking blocks first: dropping or editing one fails the
  // next request with a 400.
  messages.push({ role: "assistant", content: message.content });
  const results: Anthropic.ToolResultBlockParam[] = calls.map((call) => {
    console.log(`[tool] ${call.name} ${JSON.stringify(call.input)}`);
    const { location } = call.input as { location?: string };
    return {
      type: "tool_result",
      tool_use_id: call.id,
      content: JSON.stringify({ location, rain: "70%" }),
    };
  });
  messages.push({ role: "user", content: results });
}
if (!answered) console.log("[stopped: no final answer after 5 turns]");
