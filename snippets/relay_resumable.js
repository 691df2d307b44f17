// Show the relay's answer as it arrives, and pick it up where it was when
// the connection drops: the relay keeps every event in Redis under an id,
// and this page sends the last id it has when it reconnects.
const form = document.getElementById("ask");
const send = document.getElementById("send");
const stop = document.getElementById("stop");
const answer = document.getElementById("answer");
const status = document.getElementById("status");
const WAITS = [0.25, 0.5, 1, 2, 4, 8]; // seconds before each reconnection
let current = null; // the answer on the page: { id, last event id }

function auth() {
  // the token you issued this user (see RELAY_TOKENS on the server)
  return { Authorization: `Bearer ${form.token.value}` };
}

// Stop is a request of its own, which may reach another worker than the
// one streaming the answer; the answer then ends with a "stopped" event.
stop.addEventListener("click", async () => {
  stop.disabled = true;
  const url = `/chat/${current.id}/stop`;
  const response = await fetch(url, { method: "POST", headers: auth() });
  if (!response.ok) status.textContent = await refusal(response);
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  answer.textContent = "";
  status.textContent = "";
  send.disabled = true;
  try {
    const response = await fetch("/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...auth() },
      body: JSON.stringify({ message: form.message.value }),
    });
    if (!response.ok) {
      status.textContent = await refusal(response);
      return;
    }
    current = { id: response.headers.get("X-Answer-Id"), last: "0" };
    stop.disabled = false;
    await follow(response);
  } catch (error) {
    status.textContent = `Not sent: ${error}`;
  } finally {
    send.disabled = false;
    stop.disabled = true;
  }
});

// Read the answer to its end, reconnecting after each drop with the id
// of the last event shown: the relay sends only what came after it, so
// nothing is shown twice and nothing is skipped.
async function follow(response) {
  for (let attempt = 0; ; attempt++) {
    if (response?.ok) {
      status.textContent = "";
      const before = current.last;
      try {
        if (await readEvents(response.body, show)) return;
      } catch {
        // the connection dropped mid-answer: reconnect below
      }
      if (current.last !== before) attempt = 0; // it was getting through
    } else if (response && response.status < 500) {
      status.textContent = await refusal(response); // 401, 404...
      return;
    }
    if (attempt === WAITS.length) {
      status.textContent = "Connection lost. The text above is kept.";
      return;
    }
    status.textContent = "Connection lost, reconnecting…";
    const wait = WAITS[attempt] * 1000;
    await new Promise((resolve) => setTimeout(resolve, wait));
    response = await fetch(`/chat/${current.id}`, {
      headers: { ...auth(), "Last-Event-ID": current.last },
    }).catch(() => null); // still offline: wait longer, try again
  }
}

// One event from the relay. Returns true when the answer has ended.
function show(type, data) {
  if (type === "text") {
    // textContent, never innerHTML: model output is text, not markup.
    answer.textContent += data.text;
  } else if (type === "error") {
    // The text already shown stays; the error goes beneath it.
    status.textContent = `Error (${data.type}): ${data.message}`;
    return true;
  } else if (type === "stopped") {
    status.textContent = "Stopped.";
    return true;
  } else if (type === "done") {
    if (data.stop_reason !== "end_turn") {
      status.textContent = `The answer stopped early: ${data.stop_reason}`;
    }
    return true;
  }
  return false;
}

// Read Server-Sent Events ("id:", "event:" and "data:" lines, blank line
// between events) from a fetch body. True if an event said the answer
// ended. An event cut off by a drop is never shown, nor its id kept.
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return false; // ended without an end event: reconnect
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = "message";
      let data = "";
      let id = null;
      for (const line of block.split("\n")) {
        if (line.startsWith("id: ")) id = line.slice(4);
        else if (line.startsWith("event: ")) type = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (id) current.last = id;
      if (data && onEvent(type, JSON.parse(data))) return true;
    }
  }
}

// A 4xx or 5xx from the relay: FastAPI says what was wrong in `detail`.
async function refusal(response) {
  try {
    const { detail } = await response.json();
    const why = Array.isArray(detail) ? detail[0].msg : detail;
    return `Not sent (${response.status}): ${why}`;
  } catch {
    return `Not sent (${response.status}).`;
  }
}
