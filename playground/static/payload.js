// Decoding one tick's payload. The format is declared in playground/frames.py: b"NNPG", a uint32
// header length, the JSON header, then the sections that header.sections lists by name with
// their offset, length and dtype (and, per-frame, the values in one frame's item).

const textDecoder = new TextDecoder();
const DTYPES = { uint8: Uint8Array, float32: Float32Array };

// bytes -> { header, sections: name -> typed array over an aligned copy of our own }, or null.
function readBatch(bytes) {
  if (bytes.length < 8 || textDecoder.decode(bytes.subarray(0, 4)) !== "NNPG") return null;
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  const header = JSON.parse(textDecoder.decode(bytes.subarray(8, 8 + headerLength)));
  const buffer = bytes.slice().buffer, bodyStart = 8 + headerLength;
  const sections = {};
  for (const [name, { offset, length, dtype }] of Object.entries(header.sections)) {
    const Ctor = DTYPES[dtype];
    sections[name] = new Ctor(buffer, bodyStart + offset, length / Ctor.BYTES_PER_ELEMENT);
  }
  return { header, sections };
}

// The batch's frames: each header entry, its time on the play clock in ms (playMs), and for each
// per-frame section a view of its item as a property of the section's name. A frame that carries
// no item of a section shows the last one received (kept in `last`, per section name).
function decodeFrames(batch, last) {
  const { header, sections } = batch;
  const perFrame = Object.entries(header.sections).filter(([, spec]) => spec.item != null);
  return header.frames.map((entry) => {
    const frame = { ...entry, playMs: entry.play_time * 1000 };
    for (const [name, spec] of perFrame) {
      const index = entry.items[name];
      if (index != null) last[name] = sections[name].subarray(index * spec.item, (index + 1) * spec.item);
      frame[name] = last[name] || null;
    }
    return frame;
  });
}

// A table section (one with columns) -> a list of row objects keyed by column name.
function tableRows(batch, name) {
  const columns = batch.header.sections[name].columns, values = batch.sections[name], rows = [];
  for (let r = 0; r + columns.length <= values.length; r += columns.length) {
    const row = {};
    columns.forEach((column, c) => { row[column] = values[r + c]; });
    rows.push(row);
  }
  return rows;
}
