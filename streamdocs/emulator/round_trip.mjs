// The TypeScript SDK's side of tests/emulator/test_typescript_round_trips.py: read
// [{url, request, retries?}] as JSON on stdin; for each, stream the request with the helper
// (`messages.stream()`, its text events joined) and send it again without streaming
// (`messages.create()`); print [{streamed, created, text}] as JSON on stdout, or
// [{error}] for a run the SDK fails (its error's name and message).
const sdk = new URL("../../snippets/ts/node_modules/@anthropic-ai/sdk/index.mjs", import.meta.url);
const { default: Anthropic } = await import(sdk.href);

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { url, request, retries } of JSON.parse(input)) {
  const client = new Anthropic({ baseURL: url, apiKey: process.env.ANTHROPIC_API_KEY, maxRetries: retries ?? 0 });
  try {
    const stream = client.messages.stream(request);
    let text = "";
    stream.on("text", (delta) => (text += delta));
    const streamed = await stream.finalMessage();
    const created = await client.messages.create(request);
    results.push({ streamed, created, text });
  } catch (error) {
    results.push({ error: `${error.name}: ${error.message}` });
  }
}
process.stdout.write(JSON.stringify(results));
