// Stream a response end to end: live output, summary, and clean failures.
//
// Usage:
//   export ANTHROPIC_API_KEY=...  # Claude Console; never in code
//   node complete_example.ts [IDLE_SECONDS]
import Anthropic from "@anthropic-ai/sdk";

const MODEL = "claude-sonnet-5-5";
const PROMPT =
  "Write a short poem about a developer who finally fixed a bug.";
// The longest silence between two events before giving up. The SDK's
// `timeout` only covers the wait for the response's headers, and Node's
// fetch waits 300 s for a body that has gone quiet. Not while the model
// thinks without sending its thoughts: that can take longer.
const IDLE_SECONDS = Number(process.argv[2]) || 60;
const THINKING = ["thinking", "redacted_thinking"];

const client = new Anthropic();
let received = ""; // everything printed so far, kept if the stream fails

// Say what failed in one line; the text printed so far stays.
function fail(reason: string): number {
  if (received) {
    reason += `; kept the ${received.length} characters above`;
    console.log("\n");
  }
  console.error(`Stream failed: ${reason}`);
  return 1;
}

// A network error's innermost cause: `SocketError: other side closed`
function rootCause(err: Error): string {
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) {
    cause = cause.cause;
  }
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : "";
}

// Why the stream failed. `connected`: the response's headers had arrived.
function explain(err: unknown, connected: boolean): string {
  if (err instanceof Anthropic.APIUserAbortError) {
    // Only the watchdog aborts the stream.
    return `no event for ${IDLE_SECONDS} s: the stream stalled`;
  }
  if (err instanceof Anthropic.CredentialsError) {
    return "no credentials: set ANTHROPIC_API_KEY (Claude Console)";
  }
  if (err instanceof Anthropic.APIConnectionError) {
    if (connected) {
      // The connection broke or stalled after the stream had started.
      return `the stream was interrupted: ${rootCause(err)}`;
    }
    // No response arrived, even after the SDK's retries.
    return `could not reach the API: ${err.message}`;
  }
  if (err instanceof Anthropic.APIError) {
    // An HTTP error before the stream, or an `error` event inside it.
    return `${err.type}: ${err.apiMessage} (request id ${err.requestID})`;
  }
  if (!(err instanceof Anthropic.AnthropicError)) throw err;
  if (!connected) {
    // Nothing was sent: a profile, config file or identity token that
    // the SDK found but could not use. Its message says which.
    return `credentials: ${err.message}`;
  }
  // The body ended before message_start (a proxy closed it).
  return "the stream ended early, before the answer was complete";
}

async function main(): Promise<number> {
  const stream = client.messages.stream({
    model: MODEL,
    max_tokens: 1024,
    messages: [{ role: "user", content: PROMPT }],
  });
  let thinking = false;
  let watchdog: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(watchdog);
    if (thinking) return;
    watchdog = setTimeout(() => stream.abort(), IDLE_SECONDS * 1000);
  };
  stream.on("connect", rearm);
  stream.on("streamEvent", (event) => {
    if (event.type === "content_block_start") {
      thinking = THINKING.includes(event.content_block.type);
    } else if (event.type === "content_block_stop") {
      thinking = false;
    }
    rearm();
  });
  stream.on("text", (text) => {
    received += text;
    process.stdout.write(text);
  });
  let message: Anthropic.Message | undefined; // the whole answer
  stream.on("message", (whole) => (message = whole)); // at message_stop

  try {
    await stream.done();
  } catch (err) {
    // A break after message_stop loses nothing: the answer is whole.
    if (!message) return fail(explain(err, Boolean(stream.response)));
  } finally {
    clearTimeout(watchdog);
  }
  if (!message) {
    // The body ended without message_stop (a proxy closed it).
    return fail("the stream ended early, before the answer was complete");
  }

  console.log("\n");
  console.log(`stop reason:   ${message.stop_reason}`);
  console.log(`input tokens:  ${message.usage.input_tokens}`);
  console.log(`output tokens: ${message.usage.output_tokens}`);
  if (message.stop_reason !== "end_turn") {
    const reason = message.stop_reason;
    console.log(
      `The answer did not end normally (${reason}): see the docs.`,
    );
  }
  return 0;
}

process.exitCode = await main();
