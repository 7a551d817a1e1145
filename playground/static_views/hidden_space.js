// The hidden space while training plays: a small persistent canvas element (playground/hidden_view.py
// sends it, about twice a second, the training points and the input plane's grid lines as one hidden
// layer sees them). Drawing a few thousand line points on a canvas costs the browser far less than
// fetching and decoding a picture, so the live view above keeps its frame rate.
//
// Data: b"HSPC", a uint32 header length, the JSON header, then float32 values: the points (n × 2),
// their classes (n), the grid lines (m × 2, NaN rows between lines) and the decision line (2 × 2 or none).

const hsDecoder = new TextDecoder();

function hsRead(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8 || hsDecoder.decode(bytes.subarray(0, 4)) !== "HSPC") return null;
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  const header = JSON.parse(hsDecoder.decode(bytes.subarray(8, 8 + headerLength)));
  const values = new Float32Array(bytes.slice(8 + headerLength).buffer);
  let at = 0;
  const take = (count) => values.subarray(at, (at += count));
  return {
    header,
    points: take(2 * header.n_points),
    classes: take(header.n_points),
    lines: take(2 * header.n_line_rows),
    decision: header.decision ? take(4) : null,
  };
}

function hsDraw(canvas, picture) {
  const { header, points, classes, lines, decision } = picture;
  const width = canvas.clientWidth || header.width, height = header.height;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = height + "px";
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const [x0, x1, y0, y1] = header.bounds;
  const sx = (x) => ((x - x0) / (x1 - x0)) * width;
  const sy = (y) => height - ((y - y0) / (y1 - y0)) * height;
  const colour = (c, alpha = 1) => `rgba(${c[0]},${c[1]},${c[2]},${alpha})`;
  ctx.fillStyle = colour(header.background);
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, width, height);
  ctx.clip();
  ctx.strokeStyle = colour(header.grid, 0.45);
  ctx.lineWidth = 1;
  ctx.beginPath();
  let drawing = false;
  for (let i = 0; i < lines.length; i += 2) {
    const x = lines[i], y = lines[i + 1];
    if (Number.isNaN(x)) { drawing = false; continue; }
    if (drawing) ctx.lineTo(sx(x), sy(y)); else { ctx.moveTo(sx(x), sy(y)); drawing = true; }
  }
  ctx.stroke();
  if (decision) {
    ctx.strokeStyle = colour(header.ink);
    ctx.lineWidth = 1.5;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(sx(decision[0]), sy(decision[1]));
    ctx.lineTo(sx(decision[2]), sy(decision[3]));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = colour(header.outline);
  for (let i = 0; i < classes.length; i++) {
    ctx.fillStyle = colour(header.colours[classes[i] % header.colours.length]);
    ctx.beginPath();
    ctx.arc(sx(points[2 * i]), sy(points[2 * i + 1]), 3.2, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

export default function (component) {
  const { parentElement, data } = component;
  let root = parentElement.querySelector(".nnpg-hidden-space");
  if (!root) {
    root = document.createElement("div");
    root.className = "nnpg-hidden-space";
    const canvas = document.createElement("canvas");
    canvas.setAttribute("data-testid", "nnpg-hidden-space");
    canvas.style.width = "100%";
    canvas.style.display = "block";
    const axes = document.createElement("div");
    axes.className = "nnpg-hidden-axes";
    root.append(canvas, axes);
    parentElement.append(root);
    window.__nnpgHidden = window.__nnpgHidden || { draws: 0, mounts: 0 };
    window.__nnpgHidden.mounts += 1;
  }
  const picture = hsRead(data);
  if (!picture) return;
  hsDraw(root.querySelector("canvas"), picture);
  const [across, up] = picture.header.axis_names;
  root.querySelector(".nnpg-hidden-axes").textContent = `Across: ${across} · up: ${up}`;  // text, never HTML
  window.__nnpgHidden.draws += 1;
  window.__nnpgHidden.epoch = picture.header.epoch;
}
