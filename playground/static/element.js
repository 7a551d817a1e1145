// The element: Streamlit calls the default export with the same parentElement on every update;
// the state lives on that element, one animation loop runs per mount. Each call hands over one
// tick's payload: decoded, scheduled, then painted frame by frame with requestAnimationFrame.

function mount(parent) {
  const state = {
    dom: null, panels: null, sequence: null, run: null, scene: null, sceneKey: null,
    queue: [], shown: null, offset: null, playhead: -Infinity, needs: [], lastItems: {}, setTriggerValue: null,
    networkHover: null, dirty: true, loop: false, size: null, paintedRun: null,
    playing: false, message: null, animationFrames: new RateWindow(), paintedFrames: new RateWindow(),
  };
  buildLayout(state, parent);
  state.dom.root.__nnpgState = state;
  new ResizeObserver(() => { state.size = null; state.dirty = true; }).observe(state.dom.root);
  hookHover(state);
  hookKeys();
  return state;
}

export default function (component) {
  const { parentElement, data } = component;
  let state = parentElement.__nnpgState;
  if (!state || !state.dom.root.isConnected) {
    state = mount(parentElement);
    parentElement.__nnpgState = state;
    counters.mounts += 1;
  }
  state.setTriggerValue = component.setTriggerValue || null;
  if (data instanceof Uint8Array) {
    counters.pageUpdates = (counters.pageUpdates || 0) + 1;  // the page's runs; the stream's batches: stream.js
    receive(state, data);
  }
  if (!state.loop) {
    state.loop = true;
    requestAnimationFrame(() => animate(state));
  }
}

// An event for Python: a one-time trigger value `name` that live.py hands to the handler
// registered for it (live.on_event). counters.events counts the ones sent.
// Each event carries an id: Streamlit can deliver a trigger twice (with the timer tick that leaves
// at the same moment, see playground/clicks.py), and live.py handles an id once.
function sendEvent(state, name, value) {
  counters.events = (counters.events || 0) + 1;
  const event = { ...value, id: value.id || `${performance.timeOrigin + performance.now()}:${counters.events}` };
  counters.lastEvent = { name, value: event };
  if (state.setTriggerValue) state.setTriggerValue(name, event);
}

function receive(state, bytes) {
  const batch = completeBatch(state, readBatch(bytes));
  if (!batch) return;
  const header = batch.header;
  if (header.sequence === state.sequence && header.run === state.run) return;
  // The page and the stream both bring batches; within one session (one stream token) sequences only
  // grow, so an older one that arrived late (a stream answer overtaken by the page's Pause) is dropped.
  const token = header.stream ? header.stream.token : null;
  if (token && token === state.streamToken && header.sequence < state.sequence) return;
  state.sequence = header.sequence;
  state.streamToken = token;
  countBatch(header, bytes.length);
  const newRun = header.run !== state.run;
  if (newRun) {
    countNewRun();
    state.lastItems = {};
  }
  const key = [header.run, header.show_test, header.discretize, header.plane_extent.join(), header.sizes.join(),
    header.theme, header.scale, header.edits].join("|");
  if (newRun || key !== state.sceneKey) {
    setPalette(header.palette, header.scale);
    state.dom.root.style.zoom = SCALE;
    const old = state.scene;
    state.scene = buildScene(batch);
    if (old && old.resolution === state.scene.resolution) state.scene.boundaryImage = old.boundaryImage;  // until
    // the new network's first evaluation arrives (from the worker, a few ms), the last boundary stays
    if (old && old.model && state.scene.model && !newRun && old.edits === header.edits) {  // the same network
      for (const key of ["results", "requested", "shownEvaluation"]) state.scene[key] = old[key];
    }
    state.sceneKey = key;
    state.size = null;
    for (const panel of panelsInLayout()) if (panel.scene) panel.scene(state);
  }
  state.run = header.run;
  counters.run = header.run;
  counters.playing = header.playing;
  state.playing = header.playing;
  if (header.message && !state.message) sendEvent(state, "stopped", { run: header.run });  // training stopped
  // itself (a divergence): the page redraws its Play button, which still says Pause (page.py)
  state.message = header.message || null;
  for (const panel of panelsInLayout()) if (panel.receive) panel.receive(state, batch, newRun);
  const frames = decodeFrames(batch, state.lastItems);
  evaluateBatch(state.scene, frames);
  schedule(state, frames, header.live, newRun);
  state.dirty = true;
  streamFollow(state, header);
}

// A batch that is not full (frames.batch) with the scene, history and palette of the last full one;
// null until a full batch of its network has arrived (after a remount: at most a few ticks).
function completeBatch(state, batch) {
  if (!batch) return null;
  if (batch.header.full) {
    state.full = batch;
    return batch;
  }
  const full = state.full;
  if (!full || full.header.run !== batch.header.run || full.header.edits !== batch.header.edits) return null;
  const header = { ...full.header, ...batch.header, sections: { ...full.header.sections, ...batch.header.sections } };
  return { header, sections: { ...full.sections, ...batch.sections } };
}

function animate(state) {
  if (!state.dom.root.isConnected) { state.loop = false; return; }
  requestAnimationFrame(() => animate(state));
  const now = performance.now();
  const frame = takeDueFrame(state, now);
  if (state.scene && state.scene.repaint) {  // the worker's evaluation arrived
    state.scene.repaint = false;
    state.dirty = true;
  }
  countAnimationFrame(state, now);
  if (!state.size) layout(state);
  if (frame) {
    state.shown = frame;
    const start = performance.now();
    paint(state);
    countPaint(state, frame, now, performance.now() - start);
  } else if (state.dirty && state.shown) {
    paint(state);
    counters.repaints += 1;
  }
  countFps(state, now);
}

function paint(state) {
  state.dirty = false;
  if (!state.shown || !state.scene) return;
  if (state.paintedRun !== state.run) {
    state.paintedRun = state.run;
    countRunShown();
  }
  if (!state.size) layout(state);
  renderFrameImages(state.scene, state.shown);
  for (const panel of panelsInLayout()) if (panel.paint) panel.paint(state);
}
