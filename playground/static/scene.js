// The scene: everything fixed for one network and view (colour tables, points, the images the
// frames are drawn into), and drawing a frame's boundary codes and thumbnails into those images.

function buildScene(header, pointRows) {
  const classCount = header.classes.length, levels = header.levels, sizes = header.sizes;
  const nParams = sizes.slice(1).reduce((a, n, i) => a + n * sizes[i] + n, 0);
  const nHidden = sizes.slice(1, -1).reduce((a, n) => a + n, 0);
  const res = header.res, th = header.th;
  const thumbnailColours = thumbnailLut();
  return {
    ...header, k: classCount, L: levels, nParams, nHidden, res, th,
    lut: boundaryLut(classCount, levels, header.discretize),
    mapLut: thumbnailColours,
    points: readPoints(pointRows),
    img: new OffscreenCanvas(res, res),
    imgData: new ImageData(res, res),
    atlas: new OffscreenCanvas(th, Math.max(1, th * nHidden)),
    atlasData: new ImageData(th, Math.max(1, th * nHidden)),
    inputs: inputThumbnails(header, th, thumbnailColours),
  };
}

// Boundary code (class * levels + confidence) -> pixel: the class colour, paler near a boundary.
function boundaryLut(classCount, levels, discretize) {
  const lut = new Uint32Array(256);
  for (let code = 0; code < 256; code++) {
    const c = Math.floor(code / levels), level = code % levels;
    if (c >= classCount) { lut[code] = packRGBA(BACKGROUND_RGB); continue; }
    const confidence = level / (levels - 1);
    const t = discretize ? 0.62 * Math.min(1, confidence / 0.05) : 0.72 * Math.pow(confidence, 0.75);
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

function readPoints(rows) {
  const points = [];
  for (let i = 0; i + 2 < rows.length; i += 3) {
    const code = rows[i + 2];
    points.push({ u: rows[i], v: rows[i + 1], c: code % 16, test: code >= 16 });
  }
  return points;
}

// One thumbnail per input feature: a ramp along its axis of the plane, flat (its mean) otherwise.
function inputThumbnails(header, th, colours) {
  const features = header.sizes[0];
  const canvas = new OffscreenCanvas(th, th * features);
  const data = new ImageData(th, th * features);
  const px = new Uint32Array(data.data.buffer);
  for (let f = 0; f < features; f++) {
    for (let r = 0; r < th; r++) {
      for (let q = 0; q < th; q++) {
        let v = 0;
        if (f === header.axes[0]) v = (q / (th - 1)) * 2 - 1;
        else if (f === header.axes[1]) v = 1 - (r / (th - 1)) * 2;
        px[(f * th + r) * th + q] = colours[Math.round((v + 1) * 127.5)];
      }
    }
  }
  canvas.getContext("2d").putImageData(data, 0, 0);
  return canvas;
}

// The frame's boundary into scene.img and its hidden-neuron thumbnails into scene.atlas.
function renderFrameImages(scene, frame) {
  if (frame.M) {
    const px = new Uint32Array(scene.atlasData.data.buffer), colours = scene.mapLut, codes = frame.M;
    for (let i = 0; i < codes.length; i++) px[i] = colours[codes[i]];
    scene.atlas.getContext("2d").putImageData(scene.atlasData, 0, 0);
  }
  const px = new Uint32Array(scene.imgData.data.buffer), lut = scene.lut, codes = frame.grid;
  for (let i = 0; i < codes.length; i++) px[i] = lut[codes[i]];
  scene.img.getContext("2d").putImageData(scene.imgData, 0, 0);
}

// Row of neuron i of hidden layer l in the thumbnail atlas.
function hiddenIndex(scene, l, i) {
  let row = 0;
  for (let q = 1; q < l; q++) row += scene.sizes[q];
  return row + i;
}
