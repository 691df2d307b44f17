// Stream a response with extended thinking: thinking deltas (if it
// thinks), then text.
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const stream = client.messages.stream({
  model: "claude-sonnet-5-5",
  max_tokens: 4096,
  // "summarized": the thinking's text is streamed; by default this model
  // omits it and sends only the block's signature
  thinking: { type: "adaptive", display: "summarized" },
  messages: [{ role: "user", content: "What is 27 * 453?" }],
});
stream
  .on("streamEvent", (event) => {
    if (event.type === "content_block_start") {
      process.stdout.write(`\n[${event.content_block.type}]\n`);
    }
  })
  .on("thinking", (thinking) => process.stdout.write(thinking))
  .on("text", (text) => process.stdout.write(text))
  .on("signature", () =>
    process.stdout.write(
      "\n[signature received: the thinking block is complete]",
    ),
  );
const message = await stream.finalMessage();

console.log(`\n\nstop_reason: ${message.stop_reason}`);
