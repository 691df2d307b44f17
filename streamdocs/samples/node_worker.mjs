// Runs TypeScript sample cases one after another in one Node process, as `node NAME.ts`
// would run each (streamdocs/samples/node_pool.py drives several of these at once). A new
// process per case costs ~0.3 s of CPU; here a case costs what its sample does.
//
// Protocol: one JSON job per line on stdin, {file, args, env, timeout, body_timeout,
// read_timeout, app}; one JSON result per line
// on the file descriptor STREAMDOCS_RESULTS_FD names, {output, stdout, exit_code, crash}. Each job gets its own
// process.env and argv, its output captured (stdout and stderr interleaved, as a terminal
// shows them), `process.exit` turned into the end of the job, and the module imported
// afresh. The job ends when the module has run and nothing it started is left (the test
// for a process that would exit), or at the job's own limit. An app job ({path, request,
// headers}: a server sample) is sent its request once it listens, its body is the result,
// and its servers are closed, as stopping its process would. node_patches.mjs, loaded with
// --import, has patched the SDK once for every job.
import { createInterface } from "node:readline";
import { writeSync } from "node:fs";
import { Server } from "node:net";
import { pathToFileURL } from "node:url";

const RESULTS = Number(process.env.STREAMDOCS_RESULTS_FD);
delete process.env.STREAMDOCS_RESULTS_FD;
const BASE_ENV = { ...process.env };
const ORIGINAL = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
  exit: process.exit,
};
// What a worker itself keeps open: stdin, and its own timers between checks.
const OWN = new Set(["PipeWrap", "TTYWrap", "FSReqCallback"]);

class Exit extends Error {}

// An app job (a server sample, `node relay_app.ts` with PORT=0): the servers it starts, so
// the worker can send it the case's request and close them after, as stopping the
// process would. A new process per app run cost ~0.3 s of CPU.
const listening = [];
const listen = Server.prototype.listen;
Server.prototype.listen = function (...args) {
  listening.push(this);
  return listen.apply(this, args);
};

// `crashed`: aborted when the job's code throws uncaught, as the process would have died
// then; the body that arrived until then is kept.
async function askApp(app, limit, crashed) {
  const deadline = Date.now() + limit;
  while (!listening.some((server) => server.listening)) {
    if (Date.now() > deadline || crashed.aborted) return { status: 0, body: "" };
    await new Promise((resolve) => setTimeout(resolve, 5).unref());
  }
  const { port } = listening.find((server) => server.listening).address();
  try {
    const response = await fetch(`http://127.0.0.1:${port}${app.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close", ...app.headers },
      body: JSON.stringify(app.request),
      signal: AbortSignal.any([AbortSignal.timeout(limit), crashed]),
      dispatcher: ASKING, // not the job's short body timeout, meant for the sample's own fetch
    });
    let body = "";
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body ?? []) body += decoder.decode(chunk, { stream: true });
    } catch (error) {
      return { status: response.status, body, error };
    }
    return { status: response.status, body: body + decoder.decode() };
  } catch (error) {
    return { status: 0, body: "", error };
  } finally {
    for (const server of listening.splice(0)) {
      server.closeAllConnections?.();
      server.close();
    }
  }
}

// Node's fetch (undici) waits 300 s for a silent body: a job may ask for less, the Node
// twin of a short read timeout, so that a generated stall outlasts it in a test's time.
new Response(""); // loads Node's fetch, which installs its default dispatcher
const DISPATCHER = [Symbol.for("undici.globalDispatcher.1"), Symbol.for("undici.globalDispatcher.2")];
const DEFAULT_AGENT = globalThis[DISPATCHER[0]];
const agents = new Map();

// The worker's own requests to an app job's server wait as long as the job may run.
const ASKING = new DEFAULT_AGENT.constructor({ bodyTimeout: 0, headersTimeout: 0 });

function bodyTimeout(seconds) {
  let agent = DEFAULT_AGENT;
  if (seconds) {
    if (!agents.has(seconds)) agents.set(seconds, new DEFAULT_AGENT.constructor({ bodyTimeout: seconds * 1000 }));
    agent = agents.get(seconds);
  }
  for (const key of DISPATCHER) globalThis[key] = agent;
}

function capture(into, alsoStdout) {
  return (chunk, encoding, callback) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    into.push(text);
    if (alsoStdout) alsoStdout.push(text);
    if (typeof encoding === "function") encoding();
    else if (typeof callback === "function") callback();
    return true;
  };
}

function describe(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`.split("\n")[0];
  return `Uncaught ${JSON.stringify(error)}`;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function quiet(limit) {
  // Like the process exit test: nothing left but the worker's own handles.
  const deadline = Date.now() + limit;
  for (;;) {
    await settle();
    const left = process.getActiveResourcesInfo().filter((name) => !OWN.has(name));
    if (left.length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5).unref());
  }
}

let runs = 0;

async function run(job) {
  const output = [];
  const stdout = [];
  let crash = null;
  let exitCode = null;
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, BASE_ENV, job.env);
  process.argv = [process.execPath, job.file, ...(job.args ?? [])];
  bodyTimeout(job.body_timeout ?? null);
  globalThis[Symbol.for("streamdocs.defaultTimeout")]?.(job.read_timeout ?? 1);
  process.exitCode = undefined;
  process.stdout.write = capture(output, stdout);
  process.stderr.write = capture(output);
  process.exit = (code) => {
    exitCode = code ?? process.exitCode ?? 0;
    throw new Exit();
  };
  const crashed = new AbortController();
  const failed = (error) => {
    if (error instanceof Exit || crash !== null) return;
    crashed.abort();
    crash = describe(error);
    // as Node prints an uncaught error, for whoever reads the output
    output.push(`\n${error instanceof Error ? error.stack : String(error)}\n`);
  };
  process.on("uncaughtException", failed);
  process.on("unhandledRejection", failed);
  let answer = null;
  listening.length = 0; // a server only the job it started may be asked
  try {
    runs += 1;
    await import(`${pathToFileURL(job.file).href}?run=${runs}`);
    if (job.app) answer = await askApp(job.app, (job.timeout ?? 30) * 1000, crashed.signal);
  } catch (error) {
    failed(error);
  }
  const done = await quiet((job.timeout ?? 30) * 1000);
  process.off("uncaughtException", failed);
  process.off("unhandledRejection", failed);
  process.stdout.write = ORIGINAL.stdout;
  process.stderr.write = ORIGINAL.stderr;
  process.exit = ORIGINAL.exit;
  if (!done && crash === null) crash = `Stuck: the run took longer than ${job.timeout ?? 30} s`;
  if (answer !== null) {
    // as runner.run_node_app reads a server sample: the body it streamed; 4xx/5xx is exit 1
    const ok = answer.status >= 200 && answer.status < 300;
    if (crash === null && (answer.status === 0 || answer.error)) {
      crash = answer.error ? describe(answer.error) : "no server";
    }
    return { output: answer.body, stdout: answer.body, exit_code: ok && crash === null ? 0 : 1, crash };
  }
  let code = exitCode ?? process.exitCode ?? 0;
  if (crash !== null && code === 0) code = 1;
  return { output: output.join(""), stdout: stdout.join(""), exit_code: Number(code), crash };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const result = await run(JSON.parse(line));
  writeSync(RESULTS, JSON.stringify(result) + "\n");
}
