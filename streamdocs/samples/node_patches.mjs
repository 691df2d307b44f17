// Test runs of the TypeScript samples only: loaded with `node --import` before the sample
// (streamdocs/samples/runner.py, run_node), the Node twin of streamdocs/sdk_internals.py's
// patches. The one file that reaches into @anthropic-ai/sdk's internals: an SDK bump that
// renames one of them fails here, by name.
//
// STREAMDOCS_NODE_PATCHES lists what to patch (comma-separated), then is removed from the
// environment the sample sees:
// - "no-retry-wait": retries happen as in real use, without the back-off or the
//   `retry-after` wait (BaseAnthropic.prototype.retryRequest): replayed and emulated
//   429/529s need no real wait.
// - "fast-timeouts": a client made without its own `timeout` waits 1 s for the response's
//   headers instead of 10 minutes (BaseAnthropic.DEFAULT_TIMEOUT), as Python's clients
//   get a 1 s read timeout (in the worker pool, the job's read timeout: 2 s on the
//   matrix's stall shape, 10 s on the others). Once the headers are in, the SDK's timeout
//   no longer applies and Node's fetch waits 300 s for a silent body: the matrix's stalls
//   are waited out, as they would be.
// - "linger": the process stays 1.5 s after the sample is done, so a test can see a
//   connection closed by the SDK, not by the process ending (tests/test_typescript.py).
const wanted = new Set((process.env.STREAMDOCS_NODE_PATCHES ?? "").split(",").filter(Boolean));
delete process.env.STREAMDOCS_NODE_PATCHES;

// The same module instance the sample gets from `import Anthropic from "@anthropic-ai/sdk"`.
const client = new URL("../../snippets/ts/node_modules/@anthropic-ai/sdk/client.mjs", import.meta.url);
const { BaseAnthropic } = await import(client.href);

function need(condition, what) {
  if (!condition) throw new Error(`streamdocs/samples/node_patches.mjs: ${what} (an SDK or Node change?)`);
}

if (wanted.has("no-retry-wait")) {
  const proto = BaseAnthropic.prototype;
  const retry = proto.retryRequest;
  need(typeof retry === "function" && retry.length === 5, "BaseAnthropic.prototype.retryRequest(options, retriesRemaining, requestLogID, span, responseHeaders) is gone");
  need(typeof proto.calculateDefaultRetryTimeoutMillis === "function", "calculateDefaultRetryTimeoutMillis is gone");
  // without the response's headers it ignores retry-after, and the default back-off is 0
  proto.retryRequest = function (options, retriesRemaining, requestLogID, span) {
    return retry.call(this, options, retriesRemaining, requestLogID, span, undefined);
  };
  proto.calculateDefaultRetryTimeoutMillis = () => 0;
}

if (wanted.has("fast-timeouts")) {
  need(BaseAnthropic.DEFAULT_TIMEOUT === 600000, `BaseAnthropic.DEFAULT_TIMEOUT is ${BaseAnthropic.DEFAULT_TIMEOUT}, not 600000`);
  BaseAnthropic.DEFAULT_TIMEOUT = 1000;
  // node_worker.mjs runs many jobs in one process: each may ask for its own wait (seconds)
  globalThis[Symbol.for("streamdocs.defaultTimeout")] = (seconds) => {
    BaseAnthropic.DEFAULT_TIMEOUT = seconds * 1000;
  };
}

if (wanted.has("linger")) {
  let lingered = false; // once: the loop empties again after the timer
  process.on("beforeExit", () => {
    if (!lingered) setTimeout(() => {}, 1500);
    lingered = true;
  });
}
