// The Web Worker's message loop (its script is EVALUATOR_SOURCE: the registries' functions,
// evaluate.js, then this). It gets {id, model, weights} and answers {id, values, k, boundary,
// thumbnails}, the arrays transferred, not copied. The model's grids are kept for the next job of
// the same scene id (they depend on the plane only).
let current = { id: null, model: null };

self.onmessage = ({ data }) => {
  if (data.id !== current.id) current = { id: data.id, model: data.model };
  const result = evaluateNetwork(current.model, data.weights);
  self.postMessage({ id: data.id, ...result },
    [result.values.buffer, result.boundary.buffer, result.thumbnails.buffer]);
};
