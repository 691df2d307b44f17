// Stop a stream from outside the loop that reads it: an AbortSignal you
// pass with the request (a Stop button, a closed page), or stream.abort().
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();
const stop = new AbortController(); // e.g. wired to a Stop button

const stream = client.messages.stream(
  {
    model: "claude-sonnet-5-5",
    max_tokens: 1024,
    messages: [
      { role: "user", content: "Tell me a short story about a robot." },
    ],
  },
  { signal: stop.signal },
);

let received = "";
stream.on("text", (text) => {
  // Events already received still arrive after an abort: ignore them.
  if (stop.signal.aborted) return;
  received += text;
  if (received.length >= 120) stop.abort(); // or: stream.abort()
});

try {
  const message = await stream.finalMessage();
  console.log(received);
  console.log(
    `\n[the answer ended first: stop_reason ${message.stop_reason}]`,
  );
} catch (err) {
  if (!(err instanceof Anthropic.APIUserAbortError)) throw err;
  // The request was aborted: no more tokens are read.
  console.log(received);
  console.log(`\n[stopped after ${received.length} characters]`);
}
