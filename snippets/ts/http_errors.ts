// Tell apart the HTTP errors a request can get before its stream starts.
import Anthropic, { type APIError } from "@anthropic-ai/sdk";

const client = new Anthropic();

try {
  const stream = client.messages.stream({
    model: "claude-sonnet-5-5",
    max_tokens: 256,
    messages: [
      { role: "user", content: "Explain streaming in one sentence." },
    ],
  });
  stream.on("text", (text) => process.stdout.write(text));
  const message = await stream.finalMessage();
  console.log(`\nstop_reason: ${message.stop_reason}`);
} catch (err) {
  // status: the HTTP status; type: the error's type in the response body
  const say = (err: APIError, advice: string) => {
    console.error(`${err.status} ${err.type}: ${advice}`);
    process.exitCode = 1;
  };
  if (err instanceof Anthropic.AuthenticationError) {
    say(err, `check ANTHROPIC_API_KEY. (${err.apiMessage})`);
  } else if (err instanceof Anthropic.PermissionDeniedError) {
    say(err, "this key may not use this model or workspace.");
  } else if (err instanceof Anthropic.NotFoundError) {
    say(err, `check the model id. (${err.apiMessage})`);
  } else if (err instanceof Anthropic.RateLimitError) {
    say(err, "still rate limited after the SDK's retries.");
  } else if (err instanceof Anthropic.OverloadedError) {
    say(err, "the API is overloaded; the SDK already retried.");
  } else {
    throw err;
  }
}
