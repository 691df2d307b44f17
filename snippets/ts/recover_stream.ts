// Finish an answer whose stream broke: send the request again if nothing
// was shown yet, otherwise ask for the rest and stitch it on.
//
// Usage: node recover_stream.ts [MODEL]
import Anthropic, { type AnthropicError } from "@anthropic-ai/sdk";

const client = new Anthropic();
const MODEL = process.argv[2] ?? "claude-sonnet-5-5";
const PROMPT =
  "How do I recover when a stream breaks? Answer in one paragraph.";
const ATTEMPTS = 4;

// [4, 6] for "claude-sonnet-4-6"
function generation(model: string): [number, number] {
  const [major, minor] = model.split("-").slice(2, 4).map(Number);
  return [major ?? 0, minor ?? 0];
}

// What broke: the error's type (`overloaded_error`), else the error and
// the innermost cause of a network error (`APIConnectionError (...)`).
function describe(err: AnthropicError): string {
  if (err instanceof Anthropic.APIError && err.type) return err.type;
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) {
    cause = cause.cause;
  }
  const inner = cause as Error;
  return inner === err ? err.message : `${err.name} (${inner.name})`;
}

// --8<-- [start:request]
// The request for the rest of an answer that stopped after `shown`.
function continuation(shown: string): Anthropic.MessageParam[] {
  const asked: Anthropic.MessageParam = { role: "user", content: PROMPT };
  const soFar: Anthropic.MessageParam = {
    role: "assistant",
    content: shown,
  };
  const [major, minor] = generation(MODEL);
  if (major > 4 || (major === 4 && minor >= 6)) {
    // Claude 4.6 and later reject a final assistant turn: ask instead.
    const carryOn =
      "Your previous response was interrupted. Continue exactly " +
      "where it ended, without repeating anything.";
    return [asked, soFar, { role: "user", content: carryOn }];
  }
  // Claude 4.5 and earlier continue a partial assistant turn.
  return [asked, soFar];
}
// --8<-- [end:request]

// --8<-- [start:stream]
let shown = ""; // the text on screen: never printed twice, never lost
let held = ""; // trailing whitespace not printed yet (see below)
let message: Anthropic.Message | undefined; // the whole answer, at the end
for (let attempt = 0; attempt < ATTEMPTS && !message; attempt++) {
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
  try {
    message = await stream.finalMessage();
  } catch (err) {
    // An HTTP error, an `error` event, a dropped connection, or a body that
    // ended before message_stop: all AnthropicErrors. No key is not.
    if (
      !(err instanceof Anthropic.AnthropicError) ||
      err instanceof Anthropic.CredentialsError
    ) {
      throw err;
    }
    console.error(`\n[${describe(err)}; resuming]`);
  }
}
// --8<-- [end:stream]

if (message) {
  console.log(held);
  console.log(`\nstop_reason: ${message.stop_reason}`);
} else {
  const count = `${ATTEMPTS} attempts (${shown.length} characters)`;
  console.error(`\nGave up after ${count}.`);
  process.exitCode = 1;
}
