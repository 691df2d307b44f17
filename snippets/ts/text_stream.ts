// Print Claude's answer while it is being written.
import Anthropic from "@anthropic-ai/sdk";

// reads ANTHROPIC_API_KEY from the environment
const client = new Anthropic();

// --8<-- [start:stream]
const stream = client.messages.stream({
  model: "claude-sonnet-5-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Write a haiku about the sea." }],
});
stream.on("text", (text) => process.stdout.write(text));
const message = await stream.finalMessage();
console.log(`\n\nstop_reason: ${message.stop_reason}`);
// --8<-- [end:stream]
