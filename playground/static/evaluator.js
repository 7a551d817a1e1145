// Where the network is evaluated over the plane (evaluate.js) when the scene says the browser
// evaluates it (header.evaluated_by, frames.py): in a Web Worker made from a Blob of
// EVALUATOR_SOURCE (no network), so that painting never waits. A batch's frames are sent to the
// worker as they arrive, about a tick before they are painted; a frame shows its own weights'
// evaluation when it is ready, otherwise the one shown last. A heavier network's evaluations would
// keep the worker busy: it then evaluates every k-th frame, and a heavy one's (longer than a tick)
// only the newest weights, resting as long as it worked after each, so that it takes at most half
// of a core from the painting; the boundary refreshes as often as that allows while the frames
// still paint at 60 a second. Where a page forbids workers,
// the page evaluates each painted frame's weights itself.

const TICK_MS = 250;  // the server's tick (player.TICK): how much evaluation may wait in the worker
const DUTY = 0.5;  // of the worker's time, at most, spent evaluating
let evaluatorWorker = null, workerBroken = false, sceneIds = 0;

// The header's keys evaluate.js reads, or null when the server evaluates the network.
function browserModel(header) {
  if (header.evaluated_by !== "browser") return null;
  const keys = ["sizes", "activation", "output", "inputs", "bias", "task", "plane_features", "plane_fill",
    "plane_extent", "resolution", "weight_layout", "value_range", "target_scale", "target_mean"];
  const model = Object.fromEntries(keys.map((key) => [key, header[key]]));
  model.thumbnail_size = header.thumbnail_layout.size;
  return model;
}

// What buildScene adds for the evaluation: the model, the results by weights, the input units' thumbnails.
function evaluationScene(header) {
  const model = browserModel(header);
  return {
    model, id: ++sceneIds, results: new WeakMap(), requested: new WeakSet(), shownEvaluation: null,
    shownOwn: false, repaint: false, inputCodes: model ? inputCodes(model) : null,
  };
}

// A batch arrived: its frames' new weights to the worker, as many as keep it busy at most DUTY of the
// time (evenly spaced, the last always): on a 2-core machine a worker that never rests starves the
// painting. The frames left out show the evaluation before them.
function evaluateBatch(scene, frames) {
  if (!scene.model || workerBroken) return;
  const fresh = [];
  for (const frame of frames) {
    if (frame.weights && !scene.requested.has(frame.weights)) {
      scene.requested.add(frame.weights);
      fresh.push({ scene, weights: frame.weights, epoch: frame.epoch });
    }
  }
  if (!fresh.length) return;
  const worker = evaluatorWorker || (evaluatorWorker = startWorker());
  const keep = Math.max(1, Math.floor((DUTY * TICK_MS) / Math.max(worker.ms, 1)));
  const every = Math.ceil(fresh.length / keep);
  fresh.forEach((job, j) => { if ((fresh.length - 1 - j) % every === 0) enqueue(worker, job, keep); });
}

// At paint: the frame's boundary and thumbnail codes, from its own weights' evaluation or the last shown.
function evaluateFrame(scene, frame) {
  if (!scene.model) return;
  const weights = frame.weights;
  let result = weights ? scene.results.get(weights) : null;
  if (!result && weights && workerBroken) {
    const start = performance.now();
    result = evaluateNetwork(scene.model, weights);
    accept(scene, result, weights, frame.epoch, "page", performance.now() - start);
  }
  scene.shownOwn = !!result;
  result = result || scene.shownEvaluation;
  scene.shownEvaluation = result;
  frame.boundary = result ? result.boundary : null;
  frame.thumbnails = result ? result.thumbnails : null;
}

function accept(scene, result, weights, epoch, where, ms) {
  scene.results.set(weights, result);
  counters.evaluations = (counters.evaluations || 0) + 1;
  counters.evaluation = { run: scene.run, epoch, where, ms: Math.round(ms * 100) / 100, weights,
    values: result.values, codes: result.boundary, k: result.k, resolution: scene.resolution };
}

function enqueue(worker, job, keep) {
  worker.waiting.push(job);
  if (worker.waiting.length > keep) worker.waiting.splice(0, worker.waiting.length - keep);
  if (!worker.job && !worker.resting) next(worker);
}

function next(worker) {
  const job = worker.waiting.shift();
  if (!job) return;
  worker.job = { ...job, start: performance.now() };
  worker.postMessage({ id: job.scene.id, model: job.scene.model, weights: Float32Array.from(job.weights) });
}

function startWorker() {
  const url = URL.createObjectURL(new Blob([EVALUATOR_SOURCE], { type: "text/javascript" }));
  const worker = Object.assign(new Worker(url), { job: null, waiting: [], ms: 0, resting: false });
  worker.onmessage = ({ data }) => {
    const job = worker.job, ms = performance.now() - job.start;
    worker.job = null;
    worker.ms = worker.ms ? 0.7 * worker.ms + 0.3 * ms : ms;
    counters.evalMs = Math.round(worker.ms * 10) / 10;
    if (job.scene.id === data.id) {
      accept(job.scene, data, job.weights, job.epoch, "worker", ms);
      if (!job.scene.shownOwn) job.scene.repaint = true;  // the frame on screen waits for an evaluation
    }
    worker.resting = true;  // as long as it worked (DUTY): half its time at most
    setTimeout(() => { worker.resting = false; next(worker); }, (ms * (1 - DUTY)) / DUTY);
  };
  worker.onerror = () => {  // no worker here (a strict page policy): the page evaluates from now on
    workerBroken = true;
    evaluatorWorker = null;
    worker.terminate();
  };
  return worker;
}
