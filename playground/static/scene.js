// The scene: everything fixed for one network and view, the header's keys (frames.py
// scene_header) and what is built from them once (colour tables, the points, the images frames
// are drawn into); and drawing a frame's boundary codes and thumbnails into those images.

function buildScene(batch) {
  const { frames, sections, ...header } = batch.header, levels = header.confidence_levels;
  const res = header.resolution, thumbnails = header.thumbnail_layout, th = thumbnails.size;
  const thumbnailColours = thumbnailLut();
  const atlasHeight = Math.max(1, th * thumbnails.count);
  const valueScale = header.value_range ? valueLut(header.palette.value_scale, header.discretize) : null;
  counters.task = header.task;  // what the tests read: the problem shown and the diagram's input labels
  counters.inputLabels = header.input_labels;
  const evaluation = evaluationScene(header);  // the browser evaluates the network (evaluator.js), or null
  return {
    ...header,
    ...evaluation,
    valueScale,
    boundaryColours: valueScale || boundaryLut(header.class_names.length, levels, header.discretize),
    thumbnailColours,
    points: readPoints(tableRows(batch, "points"), header.test_label),
    boundaryImage: new OffscreenCanvas(res, res),
    boundaryPixels: new ImageData(res, res),
    atlas: new OffscreenCanvas(th, atlasHeight),
    atlasPixels: new ImageData(th, atlasHeight),
    inputs: inputThumbnails(evaluation.inputCodes || batch.sections.inputs, header.sizes[0], th, thumbnailColours),
  };
}

// A regression's value code 0..255 (its place on the scale, frames.py value_codes) -> pixel, along
// the palette's diverging stops; discretised, in ten bands.
function valueLut(stops, discretize) {
  const lut = new Uint32Array(256);
  for (let code = 0; code < 256; code++) {
    const place = discretize ? (Math.min(9, Math.floor(code / 25.6)) + 0.5) / 10 : code / 255;
    lut[code] = packRGBA(valueRGB(stops, place));
  }
  return lut;
}

// The colour at place 0..1 along the diverging stops (linear between them).
function valueRGB(stops, place) {
  const x = clamp(place, 0, 1) * (stops.length - 1), i = Math.min(Math.floor(x), stops.length - 2);
  return mix(stops[i], stops[i + 1], x - i);
}

// Boundary code (class * levels + confidence) -> pixel: the class colour, paler near a boundary.
function boundaryLut(classCount, levels, discretize) {
  const lut = new Uint32Array(256);
  for (let code = 0; code < 256; code++) {
    const c = Math.floor(code / levels), level = code % levels;
    if (c >= classCount) { lut[code] = packRGBA(BACKGROUND_RGB); continue; }
    const confidence = level / (levels - 1);
    const t = discretize ? 0.86 * SHADE * Math.min(1, confidence / 0.05) : SHADE * Math.pow(confidence, 0.75);
    lut[code] = packRGBA(mix(BACKGROUND_RGB, classRGB(c), t));
  }
  return lut;
}

// Thumbnail byte 0..255 (activation -1..1) -> pixel: orange below zero, blue above.
function thumbnailLut() {
  const lut = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    const v = b / 127.5 - 1;
    lut[b] = packRGBA(v < 0 ? mix(MIDDLE_RGB, NEGATIVE_RGB, -v) : mix(MIDDLE_RGB, POSITIVE_RGB, v));
  }
  return lut;
}

function readPoints(rows, testLabel) {
  return rows.map((row) => ({ u: row.u, v: row.v, c: row.label % testLabel, test: row.label >= testLabel }));
}

// One thumbnail per input unit, from the "inputs" section (frames.py): what each computes over the
// plane (x₁ a ramp, x₁² a valley, sin x₂ waves; a feature off the plane flat at its mean).
function inputThumbnails(codes, units, th, colours) {
  const canvas = new OffscreenCanvas(th, th * units);
  const data = new ImageData(th, th * units);
  const px = new Uint32Array(data.data.buffer);
  for (let i = 0; i < px.length && i < codes.length; i++) px[i] = colours[codes[i]];
  canvas.getContext("2d").putImageData(data, 0, 0);
  return canvas;
}

// The frame's boundary into scene.boundaryImage and its hidden-neuron thumbnails into scene.atlas
// (the server's codes, or the browser's evaluation of the frame's weights).
function renderFrameImages(scene, frame) {
  evaluateFrame(scene, frame);
  if (frame.thumbnails) {
    const px = new Uint32Array(scene.atlasPixels.data.buffer), colours = scene.thumbnailColours;
    const codes = frame.thumbnails;
    for (let i = 0; i < codes.length; i++) px[i] = colours[codes[i]];
    scene.atlas.getContext("2d").putImageData(scene.atlasPixels, 0, 0);
  }
  if (!frame.boundary) return;  // a heavy network's first evaluation is still in the worker
  const px = new Uint32Array(scene.boundaryPixels.data.buffer), colours = scene.boundaryColours;
  const codes = frame.boundary;
  for (let i = 0; i < codes.length; i++) px[i] = colours[codes[i]];
  scene.boundaryImage.getContext("2d").putImageData(scene.boundaryPixels, 0, 0);
}

// Row of neuron i of layer l (1 = the first hidden layer) in the thumbnail atlas.
function thumbnailRow(scene, l, i) {
  return scene.thumbnail_layout.layers[l - 1].first + i;
}
