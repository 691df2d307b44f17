// Tell apart the HTTP errors a request can get before its stream starts.
import Anthropic from "@anthropic-ai/sdk";

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
  if (err instanceof Anthropic.AuthenticationError) {
    console.log(
      `${err.status} ${err.type}: check ANTHROPIC_API_KEY. (${err.apiMessage})`,
    );
  } else if (err instanceof Anthropic.PermissionDeniedError) {
    console.log(
      `${err.status} ${err.type}: this key may not use this model or workspace.`,
    );
  } else if (err instanceof Anthropic.NotFoundError) {
    console.log(
      `${err.status} ${err.type}: check the model id. (${err.apiMessage})`,
    );
  } else if (err instanceof Anthropic.RateLimitError) {
    console.log(
      `${err.status} ${err.type}: still rate limited after the SDK's retries.`,
    );
  } else if (err instanceof Anthropic.OverloadedError) {
    console.log(
      `${err.status} ${err.type}: the API is overloaded; the SDK already retried.`,
    );
  } else {
    throw err;
  }
}
