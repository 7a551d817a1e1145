// Where the network is evaluated over the plane (evaluate.js) when the scene says the browser
// evaluates it (header.evaluated_by, frames.py): in a Web Worker made from a Blob of
// EVALUATOR_SOURCE (no network), so that painting never waits. A batch's frames are sent to the
// worker as they arrive, about a tick before they are painted; a frame shows its own weights'
// evaluation when it is ready, otherwise the one shown last. A heavy network's evaluation takes
// longer than frames arrive: the worker keeps at most a tick's worth of work waiting, the newest
// weights, so the boundary refreshes as often as one evaluation takes. Where a page forbids workers,
// the page evaluates each painted frame's weights itself.

const TICK_MS = 250;  // the server's tick (player.TICK): how much evaluation may wait in the worker
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

// A batch arrived: each new set of weights of its frames to the worker.
function evaluateBatch(scene, frames) {
  if (!scene.model || workerBroken) return;
  for (const frame of frames) {
    const weights = frame.weights;
    if (!weights || scene.requested.has(weights)) continue;
    scene.requested.add(weights);
    enqueue(evaluatorWorker || (evaluatorWorker = startWorker()), { scene, weights, epoch: frame.epoch });
  }
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

function enqueue(worker, job) {
  worker.waiting.push(job);
  const keep = Math.max(1, Math.floor(TICK_MS / Math.max(worker.ms, 1)));
  if (worker.waiting.length > keep) worker.waiting.splice(0, worker.waiting.length - keep);
  if (!worker.job) next(worker);
}

function next(worker) {
  const job = worker.waiting.shift();
  if (!job) return;
  worker.job = { ...job, start: performance.now() };
  worker.postMessage({ id: job.scene.id, model: job.scene.model, weights: Float32Array.from(job.weights) });
}

function startWorker() {
  const url = URL.createObjectURL(new Blob([EVALUATOR_SOURCE], { type: "text/javascript" }));
  const worker = Object.assign(new Worker(url), { job: null, waiting: [], ms: 0 });
  worker.onmessage = ({ data }) => {
    const job = worker.job, ms = performance.now() - job.start;
    worker.job = null;
    worker.ms = worker.ms ? 0.7 * worker.ms + 0.3 * ms : ms;
    counters.evalMs = Math.round(worker.ms * 10) / 10;
    if (job.scene.id === data.id) {
      accept(job.scene, data, job.weights, job.epoch, "worker", ms);
      if (!job.scene.shownOwn) job.scene.repaint = true;  // the frame on screen waits for an evaluation
    }
    next(worker);
  };
  worker.onerror = () => {  // no worker here (a strict page policy): the page evaluates from now on
    workerBroken = true;
    evaluatorWorker = null;
    worker.terminate();
  };
  return worker;
}
