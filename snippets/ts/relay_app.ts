// Relay Claude's answer to a browser as Server-Sent Events, from Node.
//
// Run: node relay_app.ts, then open http://127.0.0.1:8000
// (relay_page.html and relay_page.js beside this file are the page)
import { createServer, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import Anthropic from "@anthropic-ai/sdk";

// Fixed here, not sent by the browser: this is not an open proxy for
// your API key (which the SDK reads from ANTHROPIC_API_KEY).
const MODEL = "claude-sonnet-5-5";
const MAX_TOKENS = 1024;
const SYSTEM = "You are a helpful assistant. Answer in plain text.";
const MAX_CHARS = 4000;
const PORT = Number(process.env.PORT ?? 8000);
const PAGE: Record<string, [string, string]> = {
  "/": ["relay_page.html", "text/html; charset=utf-8"],
  "/relay_page.js": ["relay_page.js", "text/javascript; charset=utf-8"],
};

const client = new Anthropic();

// The question in a body of exactly {"message": "..."}, or null.
function question(body: string): string | null {
  try {
    const data: unknown = JSON.parse(body);
    if (typeof data !== "object" || data === null) return null;
    const { message, ...other } = data as { message?: unknown };
    if (typeof message !== "string" || Object.keys(other).length)
      return null;
    const text = message.trim();
    return text && text.length <= MAX_CHARS ? text : null;
  } catch {
    return null;
  }
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
  // The browser went away: abort the request to the API, which stops
  // generating, and you stop paying.
  res.on("close", () => stream.abort());
  const send = (event: string, data: object) => {
    if (!res.destroyed) res.write(sse(event, data));
  };
  stream.on("text", (text) => send("text", { text }));
  try {
    const answer = await stream.finalMessage();
    send("done", { stop_reason: answer.stop_reason });
  } catch (err) {
    if (err instanceof Anthropic.APIUserAbortError) return; // browser left
    if (err instanceof Anthropic.APIConnectionError) {
      // no response, or the connection broke or stalled mid-stream:
      // name the innermost cause (SocketError, BodyTimeoutError...)
      let cause: unknown = err;
      while (cause instanceof Error && cause.cause instanceof Error) {
        cause = cause.cause;
      }
      const type = (cause as Error).name;
      const text = `The connection to the API was interrupted (${type}).`;
      send("error", { type, message: text });
    } else if (err instanceof Anthropic.APIError) {
      // an HTTP error, or an `error` event
      const type = err.type ?? `HTTP ${err.status}`;
      send("error", { type, message: err.apiMessage ?? err.message });
    } else if (err instanceof Anthropic.AnthropicError) {
      // no message_stop: the body ended early
      send("error", {
        type: "incomplete",
        message: "The answer ended early.",
      });
    } else {
      throw err;
    }
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
    res.writeHead(404).end();
    return;
  }
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4 * MAX_CHARS) break; // no need to read on
  }
  const message = question(body);
  if (message === null) {
    res.writeHead(422, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: 'send {"message": "..."}' }));
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
