// Give up on a stream that stops making progress: a watchdog that resets
// on every event, so keep-alive pings alone do not keep you waiting,
// except while the model thinks without sending its thoughts.
//
// Usage: node stream_watchdog.ts [SECONDS]
import Anthropic from "@anthropic-ai/sdk";

// the longest wait for the next event (Node's fetch, by contrast, waits
// 300 s for the body's next bytes, and pings count as bytes)
const IDLE = Number(process.argv[2]) || 30;
const THINKING = ["thinking", "redacted_thinking"];

const client = new Anthropic();
const stream = client.messages.stream({
  model: "claude-sonnet-5-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Write a haiku about the sea." }],
});

// While a thinking block with omitted thoughts is open, no event may come
// for long (no document says how long): the watchdog waits, and only
// Node's fetch, which gives up after 300 s without bytes, is left.
let thinking = false;
let watchdog: NodeJS.Timeout | undefined;
const rearm = () => {
  clearTimeout(watchdog);
  if (!thinking) watchdog = setTimeout(() => stream.abort(), IDLE * 1000);
};
stream.on("connect", rearm);
stream.on("streamEvent", (event) => {
  // pings never arrive here
  if (event.type === "content_block_start") {
    thinking = THINKING.includes(event.content_block.type);
  } else if (event.type === "content_block_stop") {
    thinking = false;
  }
  rearm();
});
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
