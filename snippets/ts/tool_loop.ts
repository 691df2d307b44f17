// A tool loop, streamed: show the text as it arrives, run each tool call,
// send the results back, until the model has answered.
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
// a model that keeps calling tools must not loop forever
const MAX_TURNS = 5;

function getWeather(location: string): string {
  // A stand-in for a real weather service.
  return JSON.stringify({ location, celsius: 18 });
}

// The tool_result for one call; a failing tool is told to the model.
function runTool(
  call: Anthropic.ToolUseBlock,
): Anthropic.ToolResultBlockParam {
  const input = call.input as { location?: unknown };
  if (call.name !== "get_weather" || typeof input.location !== "string") {
    return {
      type: "tool_result",
      tool_use_id: call.id,
      content: `Error: cannot run ${call.name}(${JSON.stringify(input)})`,
      is_error: true,
    };
  }
  return {
    type: "tool_result",
    tool_use_id: call.id,
    content: getWeather(input.location),
  };
}

const messages: Anthropic.MessageParam[] = [
  { role: "user", content: "What's the weather in Paris?" },
];

// --8<-- [start:loop]
let answered = false;
for (let turn = 0; turn < MAX_TURNS && !answered; turn++) {
  const stream = client.messages.stream({
    model: "claude-sonnet-5-5",
    max_tokens: 1024,
    tools,
    messages,
  });
  stream.on("text", (text) => process.stdout.write(text));
  const message = await stream.finalMessage();
  console.log();

  const calls = message.content.filter(
    (block) => block.type === "tool_use",
  );
  if (message.stop_reason !== "tool_use" || calls.length === 0) {
    console.log(`[done: stop_reason ${message.stop_reason}]`);
    answered = true;
    break;
  }
  // The assistant turn goes back unchanged, then one result per call.
  messages.push({ role: "assistant", content: message.content });
  const results = calls.map((call) => {
    console.log(`[tool] ${call.name} ${JSON.stringify(call.input)}`);
    return runTool(call);
  });
  messages.push({ role: "user", content: results });
}
if (!answered) {
  console.log(`[stopped: no final answer after ${MAX_TURNS} turns]`);
}
// --8<-- [end:loop]
