// Relay Claude's answer to a browser as Server-Sent Events, from Node.
//
// Run: RELAY_TOKENS="alice:<token>" node relay_app.ts
// then open http://127.0.0.1:8000 (relay_page.html and relay_page.js,
// beside this file, are the page)
import { timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import Anthropic from "@anthropic-ai/sdk";

// Fixed here, not sent by the browser: a caller cannot pick a dearer
// model or a longer answer. (The SDK reads your API key from
// ANTHROPIC_API_KEY; it never leaves the server.)
const MODEL = "claude-sonnet-5-5";
const MAX_TOKENS = 1024;
const SYSTEM = "You are a helpful assistant. Answer in plain text.";
const MAX_CHARS = 4000;
const MAX_PER_HOUR = 30; // answers one caller may start in an hour
const IDLE_MS = 60_000; // a stall ends in an error event after this
const PORT = Number(process.env.PORT ?? 8000);
const PAGE: Record<string, [string, string]> = {
  "/": ["relay_page.html", "text/html; charset=utf-8"],
  "/relay_page.js": ["relay_page.js", "text/javascript; charset=utf-8"],
};

// One token per user, issued by you: RELAY_TOKENS="alice:<token>,..."
const USERS = new Map<string, string>();
for (const entry of (process.env.RELAY_TOKENS ?? "").split(",")) {
  const [user, token] = entry.split(/:(.*)/s);
  if (!user || !token) {
    // an empty token would let anyone in
    console.error(`RELAY_TOKENS: '${entry}' is not user:token`);
    process.exit(1);
  }
  USERS.set(token, user);
}

// `timeout` bounds each attempt's wait for the response's headers; after
// them, the watchdog in relay() bounds each silence.
const client = new Anthropic({ timeout: IDLE_MS });
const started = new Map<string, number[]>(); // user -> answers' start times

// The user whose token came in `Authorization: Bearer ...`, or null.
function caller(header: string | undefined): string | null {
  const sent = Buffer.from(header?.replace(/^Bearer /, "") ?? "");
  for (const [token, user] of USERS) {
    const known = Buffer.from(token);
    if (sent.length === known.length && timingSafeEqual(sent, known)) {
      return user;
    }
  }
  return null;
}

// Seconds until the user may start another answer; 0 admits (counts) it.
function admit(user: string): number {
  const now = Date.now();
  const times = (started.get(user) ?? []).filter((t) => now - t < 3.6e6);
  started.set(user, times);
  if (times.length >= MAX_PER_HOUR) {
    return Math.ceil((3.6e6 - (now - times[0]!)) / 1000);
  }
  times.push(now);
  return 0;
}

// The question in a body of exactly {"message": "..."}, or why not.
function question(body: string): string | { refused: string } {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { refused: "The body is not JSON." };
  }
  const { message, ...other } = (data ?? {}) as { message?: unknown };
  if (typeof data !== "object" || Array.isArray(data) || !data) {
    return { refused: 'Send {"message": "..."}.' };
  }
  if (Object.keys(other).length) {
    return {
      refused: `Extra inputs are not permitted: ${Object.keys(other)}`,
    };
  }
  if (typeof message !== "string") return { refused: "message: a string" };
  const text = message.trim();
  if (!text) return { refused: "String should have at least 1 character" };
  if (text.length > MAX_CHARS) {
    return {
      refused: `String should have at most ${MAX_CHARS} characters`,
    };
  }
  return text;
}

function refuse(res: ServerResponse, status: number, detail: string) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ detail }));
}

// JSON on one line: a newline in the text cannot end the event.
function sse(event: string, data: object): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

async function relay(message: string, res: ServerResponse): Promise<void> {
  const stream = client.messages.stream({
    model: MODEL,
    max_tokens: MAX_TOKENS,
    system: SYSTEM,
    messages: [{ role: "user", content: message }],
  });
  // The browser went away: abort the request to the API. (Whether the API
  // then stops generating, and billing, is not documented by Anthropic.)
  res.on("close", () => stream.abort());
  const send = (event: string, data: object) => {
    if (!res.destroyed) res.write(sse(event, data));
  };
  // A stall: no event for IDLE_MS, except inside a thinking block, whose
  // omitted thoughts may take longer (Node's fetch waits 300 s for bytes).
  let thinking = false;
  let stalled = false;
  let watchdog: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(watchdog);
    if (thinking) return;
    watchdog = setTimeout(() => {
      stalled = true;
      stream.abort();
    }, IDLE_MS);
  };
  stream.on("connect", rearm).on("streamEvent", (event) => {
    if (event.type === "content_block_start") {
      thinking = ["thinking", "redacted_thinking"].includes(
        event.content_block.type,
      );
    } else if (event.type === "content_block_stop") {
      thinking = false;
    }
    rearm();
  });
  // Only text goes to the page (thinking blocks do not).
  stream.on("text", (text) => send("text", { text }));
  // At message_stop the answer is whole, whatever breaks after it.
  let answered = false;
  stream.on("message", (answer) => {
    answered = true;
    send("done", { stop_reason: answer.stop_reason });
  });
  try {
    await stream.finalMessage();
  } catch (err) {
    if (answered) {
      // it broke after message_stop: the page has the whole answer
    } else if (err instanceof Anthropic.APIUserAbortError && !stalled) {
      return; // the browser left
    } else if (stalled) {
      const seconds = IDLE_MS / 1000;
      const text = `No event from the API for ${seconds} s: gave up.`;
      send("error", { type: "stall", message: text });
    } else if (err instanceof Anthropic.APIConnectionError) {
      // no response, or the connection broke mid-stream: named with its
      // innermost cause (SocketError, ...)
      let cause: unknown = err;
      while (cause instanceof Error && cause.cause instanceof Error) {
        cause = cause.cause;
      }
      const why = (cause as Error).name;
      const text = `The connection to the API was interrupted (${why}).`;
      send("error", { type: err.name, message: text });
    } else if (err instanceof Anthropic.APIError) {
      // an HTTP error, or an `error` event
      const type = err.type ?? `HTTP ${err.status}`;
      send("error", { type, message: err.apiMessage ?? err.message });
    } else if (!stream.response) {
      // Nothing was sent: no credential the SDK could use. What it said
      // (which profile, file or token) is for your log, not the page.
      console.error(err);
      const text = "The server could not authenticate to the API.";
      send("error", { type: "credentials", message: text });
    } else {
      // no message_stop: the body ended early
      send("error", {
        type: "incomplete",
        message: "The answer ended early.",
      });
    }
  } finally {
    clearTimeout(watchdog);
  }
  res.end();
}

const server = createServer(async (req, res) => {
  const page = PAGE[req.url ?? ""];
  if (req.method === "GET" && page) {
    const [file, type] = page;
    const body = await readFile(new URL(file, import.meta.url));
    res.writeHead(200, { "Content-Type": type }).end(body);
    return;
  }
  if (req.method !== "POST" || req.url !== "/chat") {
    refuse(res, 404, "Not Found");
    return;
  }
  const user = caller(req.headers.authorization);
  if (user === null) {
    res.setHeader("WWW-Authenticate", "Bearer");
    refuse(res, 401, "Unknown or missing token.");
    return;
  }
  let body = "";
  req.setEncoding("utf8"); // a character split between packets stays whole
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4 * MAX_CHARS) break; // no need to read on
  }
  const message = question(body);
  if (typeof message !== "string") {
    refuse(res, 422, message.refused);
    return;
  }
  const wait = admit(user);
  if (wait) {
    res.setHeader("Retry-After", String(wait));
    refuse(res, 429, `Limit reached: ${MAX_PER_HOUR} answers an hour.`);
    return;
  }
  res.writeHead(200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    // nginx: pass each event on as it comes, unbuffered
    "X-Accel-Buffering": "no",
  });
  await relay(message, res);
});

server.listen(PORT, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  console.log(`Listening on http://127.0.0.1:${port}`);
});
