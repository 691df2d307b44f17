// Stop reading once you have enough: `break` ends the request and closes
// the connection.
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const stream = client.messages.stream({
  model: "claude-sonnet-5-5",
  max_tokens: 1024,
  messages: [
    { role: "user", content: "Tell me a short story about a robot." },
  ],
});

let received = "";
let stopReason: string | null = null;
let stopped = false;
for await (const event of stream) {
  if (
    event.type === "content_block_delta" &&
    event.delta.type === "text_delta"
  ) {
    received += event.delta.text;
    if (received.length >= 120) {
      stopped = true;
      break; // the user pressed "stop": the request is aborted
    }
  } else if (event.type === "message_delta") {
    stopReason = event.delta.stop_reason;
  }
}

console.log(received);
if (stopped) {
  console.log(`\n[stopped after ${received.length} characters]`);
} else if (stopReason === null) {
  // No message_delta: the body ended early, a cut answer, not a stop.
  console.error("\nThe stream ended early: the answer is incomplete.");
  process.exitCode = 1;
} else {
  console.log(`\n[the answer ended first: stop_reason ${stopReason}]`);
}
