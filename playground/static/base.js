// NN Playground live element, part 1 of the bundle (playground/live.py concatenates the files in
// a fixed order into one module): colours and small helpers every other part uses.

// The colours come with each payload (playground/palette.py declares them); these are the standard
// theme's until the first payload arrives. SCALE zooms the whole element in presenter mode (as the
// browser's zoom does: type, lines and layout together, so nothing overlaps).
let CLASS_RGB = [[230, 159, 0], [0, 114, 178], [0, 158, 115], [204, 121, 167],
  [213, 94, 0], [86, 180, 233], [240, 228, 66], [0, 0, 0]];
let NEGATIVE_RGB = [140, 81, 10], POSITIVE_RGB = [1, 102, 94];
let MIDDLE_RGB = [240, 241, 242], BACKGROUND_RGB = [250, 250, 251], INK_RGB = [34, 34, 34];
let POINT_OUTLINE_RGB = [255, 255, 255], SHADE = 0.72, SCALE = 1;

function setPalette(palette, scale) {
  if (palette) {
    CLASS_RGB = palette.classes;
    NEGATIVE_RGB = palette.weight_negative;
    POSITIVE_RGB = palette.weight_positive;
    BACKGROUND_RGB = palette.background;
    INK_RGB = palette.ink;
    POINT_OUTLINE_RGB = palette.point_outline;
    SHADE = palette.shade;
  }
  SCALE = scale || 1;
}

// A canvas font: weight (0 for normal) and size in CSS pixels.
const font = (weight, px) => `${weight ? weight + " " : ""}${px}px system-ui, sans-serif`;

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const mix = (a, b, t) => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));
const rgb = (c, alpha = 1) => `rgba(${c[0]},${c[1]},${c[2]},${alpha})`;
const classRGB = (c) => CLASS_RGB[c % CLASS_RGB.length];
const fmt = (v, digits = 3) => (v == null || !isFinite(v) ? "–" : v.toFixed(digits));
const pct = (v) => (v == null || !isFinite(v) ? "–" : (100 * v).toFixed(1) + "%");
// A figure of any size in a few characters: 3 decimals from 0.1 to 10 (as fmt), 2 significant digits
// below 0.1 (a good fit's MSE is never "0.000"), 4 up to 10,000, then 3 with a power of ten (2.47e9).
const compact = (v) => {
  if (v == null || !isFinite(v)) return "–";
  const a = Math.abs(v), power = (digits) => v.toExponential(digits).replace("e+", "e");
  if (a === 0 || (a >= 0.1 && a < 10)) return v.toFixed(3);
  if (a < 0.1) return a < 1e-4 ? power(1) : v.toPrecision(2);
  const plain = v.toPrecision(4);  // 9999.7 rounds to "1.000e+4": then the power of ten
  return a < 1e4 && !plain.includes("e") ? plain : power(2);
};
const epochDigits = (n) => String(n).padStart(6, "0").replace(/(\d{3})(\d{3})$/, "$1,$2");
const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

// A colour as one little-endian RGBA pixel, for writing ImageData through a Uint32Array.
function packRGBA(c, alpha = 255) {
  return (alpha << 24) | (c[2] << 16) | (c[1] << 8) | c[0];
}

// A new element with a class and text (never HTML), appended to parent.
function el(tag, cls, parent, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text != null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// A canvas sized to w x h CSS pixels at the screen's pixel ratio; returns its 2D context.
function fitCanvas(canvas, w, h) {
  const dpr = (window.devicePixelRatio || 1) * SCALE;  // sharp under the presenter zoom
  canvas.style.width = w + "px";
  canvas.style.height = h + "px";
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

// A caption on a white box at (x, y).
function label(ctx, text, x, y) {
  ctx.font = font(600, 13);
  const w = ctx.measureText(text).width + 14;
  ctx.fillStyle = "rgba(255,255,255,0.92)";
  ctx.fillRect(x, y, w, 24);
  ctx.fillStyle = "#222";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x + 7, y + 12);
}
