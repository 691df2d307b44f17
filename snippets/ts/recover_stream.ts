// Finish an answer whose stream broke: send the request again if nothing
// was shown yet, otherwise ask for the rest and stitch it on.
//
// Usage: node recover_stream.ts [MODEL]
import Anthropic, { type APIError } from "@anthropic-ai/sdk";

const client = new Anthropic();
const MODEL = process.argv[2] ?? "claude-sonnet-5-5";
const PROMPT =
  "How do I recover when a stream breaks? Answer in one paragraph.";
const ATTEMPTS = 4;
// Models that continue a final assistant turn (a prefill), less those
// the SDK deprecates; most others reject one with a 400.
const PREFILL_MODELS = ["claude-haiku-4-5"];

// A break or a passing overload, not a request the API refused.
function worthResuming(err: APIError): boolean {
  if (err instanceof Anthropic.APIConnectionError) return true; // dropped
  const status = err.status;
  // undefined: an `error` event inside the stream; the rest: worth a retry
  return (
    status === undefined ||
    [408, 409, 429].includes(status) ||
    status >= 500
  );
}

// What broke: the error's type (`overloaded_error`), else the error and
// the innermost cause of a network error (`APIConnectionError (...)`).
function describe(err: APIError): string {
  if (err.type) return err.type;
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) {
    cause = cause.cause;
  }
  return cause === err
    ? err.name
    : `${err.name} (${(cause as Error).name})`;
}

// --8<-- [start:request]
// The request for the rest of an answer that stopped after `shown`.
function continuation(shown: string): Anthropic.MessageParam[] {
  const asked: Anthropic.MessageParam = { role: "user", content: PROMPT };
  const soFar: Anthropic.MessageParam = {
    role: "assistant",
    content: shown,
  };
  if (PREFILL_MODELS.some((model) => MODEL.startsWith(model))) {
    // These continue a partial assistant turn.
    return [asked, soFar];
  }
  // Newer models reject a final assistant turn: ask instead.
  const carryOn =
    "Your previous response was interrupted. Continue exactly " +
    "where it ended, without repeating anything.";
  return [asked, soFar, { role: "user", content: carryOn }];
}
// --8<-- [end:request]

// --8<-- [start:stream]
let shown = ""; // the text on screen: never printed twice, never lost
let held = ""; // trailing whitespace not printed yet (see below)
let ended: string | null = null; // the stop reason, once message_delta says
let message: Anthropic.Message | undefined; // the whole answer, at the end
let failure = ""; // why it gave up
for (
  let attempt = 0;
  attempt < ATTEMPTS && !message && !failure;
  attempt++
) {
  const messages: Anthropic.MessageParam[] = shown
    ? continuation(shown)
    : [{ role: "user", content: PROMPT }];
  held = "";
  const stream = client.messages.stream({
    model: MODEL,
    max_tokens: 1024,
    messages,
  });
  stream.on("text", (delta) => {
    // Hold back trailing whitespace: a request may not end in it, and the
    // continuation starts with it again.
    const text = held + delta;
    const kept = text.trimEnd();
    held = text.slice(kept.length);
    process.stdout.write(kept);
    shown += kept;
  });
  stream.on("streamEvent", (event) => {
    if (event.type === "message_delta") ended = event.delta.stop_reason;
  });
  stream.on("message", (whole) => (message = whole));
  try {
    await stream.done();
  } catch (err) {
    if (!(err instanceof Anthropic.APIError) && !stream.response) {
      throw err; // nothing was sent: no credential the SDK could use
    }
    if (message) break; // it broke after message_stop: the answer is whole
    if (!(err instanceof Anthropic.APIError)) {
      // The body ended before message_start: a proxy ended it early.
      console.error("\n[the stream ended early; resuming]");
      continue;
    }
    if (ended) {
      // Nothing is missing but the end of the stream: asking for "the
      // rest" would make the model write more.
      failure = `the stream broke after the answer ended (${ended})`;
    } else if (!worthResuming(err)) {
      failure = `The API refused the request: ${err.message}`;
    } else {
      console.error(`\n[${describe(err)}; resuming]`);
    }
    continue;
  }
  if (!message && ended) {
    // message_delta came, message_stop did not: as above.
    failure = `the stream ended after the answer ended (${ended})`;
  } else if (!message) {
    // The body ended without message_stop: a proxy ended it early.
    console.error("\n[the stream ended early; resuming]");
  }
}
// --8<-- [end:stream]

if (message) {
  console.log(held);
  console.log(`\nstop_reason: ${message.stop_reason}`);
} else {
  const count = `${ATTEMPTS} attempts (${shown.length} characters)`;
  console.error(`\n${failure || `Gave up after ${count}.`}`);
  process.exitCode = 1;
}
