// The live stream (playground/stream.py): while the network plays, the element asks the server for
// its next batch every tick_ms over a WebSocket of its own, instead of a rerun of the page's
// live fragment per tick. Each answer is a batch like the ones the page hands over (receive), or
// empty when nothing is new. The next request leaves once the answer is in and the period is up, so
// a slow or hidden page is never sent more than it asked for. The token and the period come with
// every batch (header.stream: {token, tick_ms}); a page whose server has no stream gets null and is
// fed by the page's ticks.
// Where the WebSocket cannot get through (a proxy passing only Streamlit's own), after FAILURES_TO_GIVE_UP
// attempts that never opened the element says so (the "stream" event) and asks the page instead: a
// "tick" event every tick_ms (the page then says 250) reruns the live fragment, which trains and
// hands over the batch, as a timer did before the stream.
// counters.stream: {opened, closed, asked, answered, empty, viaPage}.

const STREAM_RETRY_MS = 1000;  // after a lost connection, times the failures in a row (at most 5)
const STREAM_GONE = 4404;  // the server has no such session (it ended, or the server restarted)
const FAILURES_TO_GIVE_UP = 2;

function streamFollow(state, header) {
  const stream = state.stream || (state.stream = {
    token: null, tickMs: 100, socket: null, open: false, waiting: false, timer: null, retry: null, lastAsk: 0,
    failures: 0, everOpened: false, viaPage: false,
  });
  const token = header.stream ? header.stream.token : null;
  if (token !== stream.token) {  // another session (a replica changed), or none
    streamClose(stream);
    stream.token = token;
  }
  if (header.stream) stream.tickMs = header.stream.tick_ms;
  streamAsk(state);
}

function streamCount(name) {
  const c = counters.stream || (counters.stream = { opened: 0, closed: 0, asked: 0, answered: 0, empty: 0, viaPage: 0 });
  c[name] += 1;
}

function streamClose(stream) {
  clearTimeout(stream.timer);
  clearTimeout(stream.retry);
  stream.timer = stream.retry = null;
  const socket = stream.socket;
  stream.socket = null;
  stream.open = stream.waiting = false;
  if (socket) socket.close();
}

function streamSocket(state) {
  const stream = state.stream;
  const url = new URL(`nnpg/stream?token=${encodeURIComponent(stream.token)}`, document.baseURI);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  stream.socket = socket;
  socket.onopen = () => {
    if (stream.socket !== socket) return;
    stream.open = stream.everOpened = true;
    stream.failures = 0;
    streamCount("opened");
    streamAsk(state);
  };
  socket.onmessage = (event) => {
    if (stream.socket !== socket) return;
    stream.waiting = false;
    const bytes = new Uint8Array(event.data);
    streamCount(bytes.length ? "answered" : "empty");
    if (bytes.length) receive(state, bytes);  // which asks for the next
    else streamAsk(state);
  };
  socket.onclose = (event) => {
    if (stream.socket !== socket) return;
    stream.socket = null;
    stream.open = stream.waiting = false;
    streamCount("closed");
    if (event.code === STREAM_GONE) {  // wait for a batch from the page, which names a live session
      stream.token = null;
      return;
    }
    stream.failures += 1;
    if (!stream.everOpened && stream.failures >= FAILURES_TO_GIVE_UP) {
      stream.viaPage = true;
      sendEvent(state, "stream", { failed: event.code });
      streamAsk(state);
      return;
    }
    clearTimeout(stream.retry);
    stream.retry = setTimeout(() => { stream.retry = null; streamAsk(state); },
      STREAM_RETRY_MS * Math.min(stream.failures, 5));
  };
}

// Ask for the next batch when the network plays, nothing is asked yet, and the period is up: over
// the WebSocket, or (viaPage) with a "tick" event that does not wait for an answer (a run with nothing
// new hands over nothing), as the page's timer did.
function streamAsk(state) {
  const stream = state.stream;
  if (!stream || !state.playing || !stream.token || stream.waiting || stream.timer || stream.retry) return;
  if (!state.dom.root.isConnected) {
    streamClose(stream);
    return;
  }
  if (!stream.viaPage) {
    if (!stream.socket) streamSocket(state);
    if (!stream.open) return;  // it asks once open
  }
  const wait = Math.max(0, stream.lastAsk + stream.tickMs - performance.now());
  stream.timer = setTimeout(() => {
    stream.timer = null;
    if (!state.playing || !state.dom.root.isConnected) return;
    if (stream.viaPage) {
      stream.lastAsk = performance.now();
      streamCount("viaPage");
      sendEvent(state, "tick", {});
      streamAsk(state);
    } else if (stream.open && !stream.waiting) {
      stream.waiting = true;
      stream.lastAsk = performance.now();
      streamCount("asked");
      stream.socket.send("tick");
    }
  }, wait);
}
