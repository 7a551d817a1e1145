// Decoding one tick's payload (the format is declared in playground/frames.py): b"NNPG", a
// uint32 header length, the JSON header, then the sections the header lists as [offset, length].

const textDecoder = new TextDecoder();

// bytes -> { header, section(name, TypedArray) } over an aligned copy of our own, or null.
function readBatch(bytes) {
  if (bytes.length < 8 || textDecoder.decode(bytes.subarray(0, 4)) !== "NNPG") return null;
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  const header = JSON.parse(textDecoder.decode(bytes.subarray(8, 8 + headerLength)));
  return { header, bytes, bodyStart: 8 + headerLength };
}

function sectionViews(batch) {
  const buffer = batch.bytes.slice().buffer;  // aligned, for the typed-array views
  const { header, bodyStart } = batch;
  return (name, Ctor) => {
    const [offset, length] = header.sections[name];
    return new Ctor(buffer, bodyStart + offset, length / Ctor.BYTES_PER_ELEMENT);
  };
}

// The batch's frames with their boundary codes, weights and thumbnails as typed-array views; a
// frame that carries no weights or thumbnails shows the last ones received.
function decodeFrames(state, header, section) {
  const scene = state.scene;
  const gridSize = scene.res * scene.res, weightCount = scene.nParams;
  const thumbnailBytes = scene.nHidden * scene.th * scene.th;
  const grids = section("grids", Uint8Array), weights = section("weights", Float32Array);
  const thumbnails = section("maps", Uint8Array);
  return header.frames.map((f) => {
    const W = f.w >= 0 ? weights.subarray(f.w * weightCount, (f.w + 1) * weightCount) : state.lastWeights;
    const M = f.m >= 0 && thumbnailBytes ? thumbnails.subarray(f.m * thumbnailBytes, (f.m + 1) * thumbnailBytes) : state.lastThumbnails;
    state.lastWeights = W;
    state.lastThumbnails = M;
    return { ...f, sms: f.s * 1000, grid: grids.subarray(f.g * gridSize, (f.g + 1) * gridSize), W, M };
  });
}
