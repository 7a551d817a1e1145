// Counters for tests and benchmarks on window.__nnpg (one element per page; the names are
// documented in playground/live.py). Kept off the per-frame path: a painted frame costs a few
// assignments and one write into a ring of lags; the p95 lag is sorted only when someone reads it.

const LAG_WINDOW = 240;  // painted frames the p95 lag looks back over (4 s at 60 fps)

const counters = window.__nnpg || (window.__nnpg = newCounters());

function newCounters() {
  const c = {
    mounts: 0, framesPainted: 0, repaints: 0, batches: 0, lastSeq: -1, run: null, playing: false,
    epoch: 0, loss: null, testLoss: null, fps: 0, rafHz: 0, queued: 0, holds: 0, bytes: 0,
    lastLagMs: null, avgLagMs: null, transitMs: null, paintMs: 0,
    runRecvWall: null, runShownAt: null, runShownWall: null,
  };
  const lags = new Float64Array(LAG_WINDOW);
  let filled = 0, next = 0;
  Object.defineProperty(c, "recordLag", {
    enumerable: false,
    value(lag) {
      lags[next] = lag;
      next = (next + 1) % LAG_WINDOW;
      filled = Math.min(filled + 1, LAG_WINDOW);
    },
  });
  Object.defineProperty(c, "p95LagMs", {
    enumerable: true,
    get() {
      if (!filled) return null;
      const sorted = lags.slice(0, filled).sort();
      return Math.round(sorted[Math.floor(filled * 0.95)]);
    },
  });
  return c;
}

// Events in the last second: add(now) each time, count(now) how many are left in the window.
class RateWindow {
  constructor() { this.times = []; }
  add(now) { this.times.push(now); }
  count(now) {
    while (this.times.length && this.times[0] < now - 1000) this.times.shift();
    return this.times.length;
  }
}

function countBatch(header, bytes) {
  counters.lastSeq = header.sequence;
  counters.transitMs = Math.round(Date.now() - header.sent_at_ms);
  counters.batches += 1;
  counters.bytes = bytes;
}

function countNewRun() {
  counters.runRecvWall = Date.now();
}

function countRunShown() {
  counters.runShownAt = performance.now();
  counters.runShownWall = Date.now();
}

function countAnimationFrame(state, now) {
  state.animationFrames.add(now);
  counters.rafHz = state.animationFrames.count(now);
  counters.queued = state.queue.length;
}

function countPaint(state, frame, now, paintMs) {
  counters.paintMs = Math.round((counters.paintMs * 0.9 + paintMs * 0.1) * 100) / 100;
  counters.framesPainted += 1;
  state.paintedFrames.add(now);
  const lag = Date.now() - frame.computed_at_ms;
  counters.lastLagMs = Math.round(lag);
  counters.avgLagMs = counters.avgLagMs == null ? lag : counters.avgLagMs * 0.95 + lag * 0.05;
  counters.recordLag(lag);
}

function countFps(state, now) {
  counters.fps = state.paintedFrames.count(now);
}
