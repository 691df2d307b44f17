// Give up on a stream that stops making progress: a watchdog that resets
// on every event, so keep-alive pings alone do not keep you waiting.
//
// Usage: node stream_watchdog.ts [SECONDS]
import Anthropic from "@anthropic-ai/sdk";

// the longest wait for the next event (Node's fetch, by contrast, waits
// 300 s for the body's next bytes, and pings count as bytes)
const IDLE = Number(process.argv[2] ?? 30);

const client = new Anthropic();
const stream = client.messages.stream({
  model: "claude-sonnet-5-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Write a haiku about the sea." }],
});

let watchdog: NodeJS.Timeout | undefined;
const rearm = () => {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => stream.abort(), IDLE * 1000);
};
stream.on("connect", rearm).on("streamEvent", rearm); // pings never arrive
stream.on("text", (text) => process.stdout.write(text));

try {
  const message = await stream.finalMessage();
  console.log(`\n\nstop_reason: ${message.stop_reason}`);
} catch (err) {
  if (!(err instanceof Anthropic.APIUserAbortError)) throw err;
  console.error(`\n[no event for ${IDLE} s: gave up]`);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
}
