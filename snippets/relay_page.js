// Show the relay's answer as it arrives. fetch() and a stream reader, not
// EventSource: EventSource cannot POST the question, and it reconnects by
// itself after a drop, which asks again and shows the text twice.
const form = document.getElementById("ask");
const send = document.getElementById("send");
const stop = document.getElementById("stop");
const answer = document.getElementById("answer");
const status = document.getElementById("status");
let controller = null;

// Aborting the fetch closes the connection: the relay sees the browser
// go away and closes its own request to the API.
stop.addEventListener("click", () => controller.abort());

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  controller = new AbortController();
  answer.textContent = "";
  status.textContent = "";
  send.disabled = true;
  stop.disabled = false;
  try {
    const response = await fetch("/chat", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        // the token you issued this user (see RELAY_TOKENS on the server)
        Authorization: `Bearer ${form.token.value}`,
      },
      body: JSON.stringify({ message: form.message.value }),
      signal: controller.signal,
    });
    if (!response.ok) {
      status.textContent = await refusal(response);
      return;
    }
    const ended = await readEvents(response.body, show);
    if (!ended) {
      status.textContent = "The connection closed before the answer ended.";
    }
  } catch (error) {
    const stopped = error.name === "AbortError";
    status.textContent = stopped ? "Stopped." : `Connection lost: ${error}`;
  } finally {
    send.disabled = false;
    stop.disabled = true;
  }
});

// One event from the relay. Returns true when the answer has ended.
function show(type, data) {
  if (type === "text") {
    // textContent, never innerHTML: model output is text, not markup.
    answer.textContent += data.text;
  } else if (type === "error") {
    // The text already shown stays; the error goes beneath it.
    status.textContent = `Error (${data.type}): ${data.message}`;
    return true;
  } else if (type === "done") {
    if (data.stop_reason !== "end_turn") {
      status.textContent = `The answer stopped early: ${data.stop_reason}`;
    }
    return true;
  }
  return false;
}

// Read Server-Sent Events ("event:" and "data:" lines, blank line between
// events) from a fetch body. True if an event said the answer ended.
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let ended = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return ended;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) type = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data) ended = onEvent(type, JSON.parse(data)) || ended;
    }
  }
}

// A 4xx from the relay (401 unknown token, 422 bad input, 429 over the
// limit): FastAPI says what was wrong in `detail`.
async function refusal(response) {
  try {
    const { detail } = await response.json();
    const why = Array.isArray(detail) ? detail[0].msg : detail;
    return `Not sent (${response.status}): ${why}`;
  } catch {
    return `Not sent (${response.status}).`;
  }
}
