// NN Playground live element: receives one byte batch per tick and plays its frames back
// on canvases (boundary, network, cost curve) with requestAnimationFrame.
// Streamlit calls the default export again with the same parentElement on every update;
// state lives on that element, one animation loop runs per mount.

const CLASS_RGB = [[245, 147, 34], [8, 119, 189], [155, 77, 202], [44, 162, 95],
  [214, 39, 40], [140, 86, 75], [127, 127, 127], [188, 189, 34]];
const NEG = [245, 147, 34], POS = [8, 119, 189], MID = [240, 241, 242], BG = [250, 250, 251];
const MARGIN_MS = 12;
const dec = new TextDecoder();

// Counters for tests and benchmarks (one element per page): see playground/live.py.
const G = (window.__nnpg = window.__nnpg || {
  mounts: 0, framesPainted: 0, repaints: 0, batches: 0, lastSeq: -1, run: null, playing: false,
  epoch: 0, loss: null, testLoss: null, fps: 0, rafHz: 0, queued: 0, holds: 0, bytes: 0,
  lastLagMs: null, avgLagMs: null, p95LagMs: null, transitMs: null, paintMs: 0,
  runRecvWall: null, runShownAt: null, runShownWall: null,
});
const LAGS = [];

const clamp = (v, a, b) => Math.min(b, Math.max(a, v));
const mix = (a, b, t) => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));
const rgb = (c, a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;
const fmt = (v, d = 3) => (v == null || !isFinite(v) ? "–" : v.toFixed(d));
const pct = (v) => (v == null || !isFinite(v) ? "–" : (100 * v).toFixed(1) + "%");
const pad6 = (n) => String(n).padStart(6, "0").replace(/(\d{3})(\d{3})$/, "$1,$2");

function packRGBA(c, a = 255) {
  return (a << 24) | (c[2] << 16) | (c[1] << 8) | c[0];
}

function el(tag, cls, parent, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

function build(parent) {
  const root = el("div", "nnpg", parent);
  root.id = "nnpg-root";
  root.dataset.testid = "nnpg-root";
  const bar = el("div", "nnpg-bar", root);
  const stat = (key, label, big) => {
    const box = el("div", "nnpg-stat" + (big ? " nnpg-big" : ""), bar);
    el("div", "nnpg-k", box, label);
    const v = el("div", "nnpg-v", box, "–");
    v.id = "nnpg-" + key;
    v.dataset.testid = "nnpg-" + key;
    return v;
  };
  const s = {
    epoch: stat("epoch", "Epoch", true),
    tl: stat("train-loss", "Train loss"),
    vl: stat("test-loss", "Test loss"),
    ta: stat("train-acc", "Train accuracy"),
    va: stat("test-acc", "Test accuracy"),
  };
  const pill = el("div", "nnpg-pill", bar, "paused");
  pill.id = "nnpg-state";
  const body = el("div", "nnpg-body", root);
  const netBox = el("div", "nnpg-netbox", body);
  const net = el("canvas", "nnpg-net", netBox);
  net.id = "nnpg-net";
  net.dataset.testid = "nnpg-net";
  const out = el("div", "nnpg-out", body);
  const bnd = el("canvas", "nnpg-boundary", out);
  bnd.id = "nnpg-boundary";
  bnd.dataset.testid = "nnpg-boundary";
  const legend = el("div", "nnpg-legend", out);
  const curve = el("canvas", "nnpg-curve", out);
  curve.id = "nnpg-curve";
  curve.dataset.testid = "nnpg-curve";
  const tip = el("div", "nnpg-tip", root);
  return { root, s, pill, net, bnd, legend, curve, tip };
}

function mount(parent) {
  const st = {
    dom: build(parent), seq: null, run: null, scene: null, sceneKey: null,
    queue: [], shown: null, offset: null, playhead: -Infinity, needs: [], rafs: [],
    hist: null, histN: 0, tail: [], lastW: null, lastM: null,
    hover: null, curveHover: null, dirty: true, loop: false, paints: [], size: null,
  };
  st.dom.root.__nnpgState = st;
  new ResizeObserver(() => { st.size = null; st.dirty = true; }).observe(st.dom.root);
  hookEvents(st);
  return st;
}

export default function (component) {
  const { parentElement, data } = component;
  let st = parentElement.__nnpgState;
  if (!st || !st.dom.root.isConnected) {
    st = mount(parentElement);
    parentElement.__nnpgState = st;
    G.mounts += 1;
  }
  if (data instanceof Uint8Array) receive(st, data);
  if (!st.loop) {
    st.loop = true;
    requestAnimationFrame(() => tick(st));
  }
}

// ---- receiving ----------------------------------------------------------------------
function receive(st, bytes) {
  if (bytes.length < 8 || dec.decode(bytes.subarray(0, 4)) !== "NNPG") return;
  const hl = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  const h = JSON.parse(dec.decode(bytes.subarray(8, 8 + hl)));
  if (h.seq === st.seq && h.run === st.run) return;
  const buf = bytes.slice();  // an aligned copy of our own, for the typed-array views
  st.seq = h.seq;
  G.lastSeq = h.seq;
  G.transitMs = Math.round(Date.now() - h.t);
  G.batches += 1;
  G.bytes = buf.length;
  const base = 8 + hl;
  const view = (name, Ctor) => {
    const [o, n] = h.sections[name];
    return new Ctor(buf.buffer, base + o, n / Ctor.BYTES_PER_ELEMENT);
  };
  const newRun = h.run !== st.run;
  if (newRun) G.runRecvWall = Date.now();
  const key = [h.run, h.showTest, h.discretize, h.extent.join(), h.sizes.join()].join("|");
  if (newRun || key !== st.sceneKey) {
    setScene(st, h, view("points", Float32Array));
    st.sceneKey = key;
  }
  st.run = h.run;
  G.run = h.run;
  G.playing = h.playing;
  st.playing = h.playing;
  st.msg = h.msg || null;
  st.hist = view("hist", Float32Array);
  st.histN = h.histN;
  const sc = st.scene;
  const R2 = sc.res * sc.res, NP = sc.nParams, NM = sc.nHidden * sc.th * sc.th;
  const grids = view("grids", Uint8Array), ws = view("weights", Float32Array), ms = view("maps", Uint8Array);
  if (newRun) { st.lastW = null; st.lastM = null; st.tail = []; }
  const frames = h.frames.map((f) => {
    const w = f.w >= 0 ? ws.subarray(f.w * NP, (f.w + 1) * NP) : st.lastW;
    const m = f.m >= 0 && NM ? ms.subarray(f.m * NM, (f.m + 1) * NM) : st.lastM;
    st.lastW = w;
    st.lastM = m;
    return { ...f, sms: f.s * 1000, grid: grids.subarray(f.g * R2, (f.g + 1) * R2), W: w, M: m };
  });
  schedule(st, frames, h.live, newRun);
  st.dirty = true;
}

// Frames carry their time on the server's play clock (s); they are shown at s + offset, the
// offset chosen so that each batch starts as it arrives, with room for the late arrivals of the
// last few batches. A paused snapshot (not live) shows at once.
function schedule(st, frames, live, restart) {
  if (!frames.length) return;
  const now = performance.now();
  const last = st.queue.length ? st.queue[st.queue.length - 1] : st.shown;
  if (!live) {
    const f = frames[frames.length - 1];
    if (!restart && last && last.e === f.e) return;
    st.queue = [f];
    st.offset = now - f.sms;
    st.playhead = -Infinity;
    return;
  }
  const first = frames[0].sms;
  const need = now - first + MARGIN_MS;
  st.needs = st.needs.concat([need]).slice(-6);
  if (restart || st.offset == null || (last && first <= last.sms) || need > st.offset + 400) {
    st.offset = now - first;
    st.playhead = -Infinity;
    st.needs = [need];
    if (restart || (last && first <= last.sms)) st.queue = [];
  } else {
    // Aim at the third latest of the last 6 arrivals: the two latest are not worth their lag; a
    // batch later than that skips a frame or two rather than delaying all that follow.
    const sorted = [...st.needs].sort((a, b) => b - a);
    const target = sorted[Math.min(2, sorted.length - 1)];
    if (need > st.offset) G.holds += 1;
    st.offset += (target - st.offset) * 0.5;
  }
  for (const f of frames) st.queue.push(f);
}

// ---- animation loop -----------------------------------------------------------------
function tick(st) {
  if (!st.dom.root.isConnected) { st.loop = false; return; }
  requestAnimationFrame(() => tick(st));
  const now = performance.now();
  st.rafs = st.rafs.filter((x) => x > now - 1000);
  st.rafs.push(now);
  G.rafHz = st.rafs.length;
  let cur = null;
  if (st.queue.length) {
    const p = Math.max(now - st.offset, st.playhead);
    st.playhead = p;
    let i = -1;
    while (i + 1 < st.queue.length && st.queue[i + 1].sms <= p) i++;
    if (i >= 0) {
      const take = i < 2 ? 0 : i - 1;
      cur = st.queue[take];
      st.queue.splice(0, take + 1);
    }
  }
  G.queued = st.queue.length;
  if (!st.size) layout(st);
  if (cur) {
    st.shown = cur;
    const p0 = performance.now();
    paint(st);
    G.paintMs = Math.round((G.paintMs * 0.9 + (performance.now() - p0) * 0.1) * 100) / 100;
    G.framesPainted += 1;
    st.paints.push(now);
    const lag = Date.now() - cur.c;
    G.lastLagMs = Math.round(lag);
    G.avgLagMs = G.avgLagMs == null ? lag : G.avgLagMs * 0.95 + lag * 0.05;
    LAGS.push(lag);
    if (LAGS.length > 240) LAGS.shift();
    const sorted = [...LAGS].sort((a, b) => a - b);
    G.p95LagMs = Math.round(sorted[Math.floor(sorted.length * 0.95)]);
  } else if (st.dirty && st.shown) {
    paint(st);
    G.repaints += 1;
  }
  while (st.paints.length && st.paints[0] < now - 1000) st.paints.shift();
  G.fps = st.paints.length;
}

// ---- scene: everything fixed for one network and view --------------------------------
function setScene(st, h, pts) {
  const k = h.classes.length, L = h.levels, sizes = h.sizes;
  const nParams = sizes.slice(1).reduce((a, n, i) => a + n * sizes[i] + n, 0);
  const nHidden = sizes.slice(1, -1).reduce((a, n) => a + n, 0);
  const lut = new Uint32Array(256);
  for (let code = 0; code < 256; code++) {
    const c = Math.floor(code / L), lev = code % L;
    if (c >= k) { lut[code] = packRGBA(BG); continue; }
    const conf = lev / (L - 1);
    const t = h.discretize ? 0.62 * Math.min(1, conf / 0.05) : 0.72 * Math.pow(conf, 0.75);
    lut[code] = packRGBA(mix(BG, CLASS_RGB[c % 8], t));
  }
  const mapLut = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    const v = b / 127.5 - 1;
    mapLut[b] = packRGBA(v < 0 ? mix(MID, NEG, -v) : mix(MID, POS, v));
  }
  const points = [];
  for (let i = 0; i + 2 < pts.length; i += 3) {
    const code = pts[i + 2];
    points.push({ u: pts[i], v: pts[i + 1], c: code % 16, test: code >= 16 });
  }
  const res = h.res, th = h.th;
  const img = new OffscreenCanvas(res, res);
  const atlas = new OffscreenCanvas(th, Math.max(1, th * nHidden));
  st.scene = {
    ...h, k, L, nParams, nHidden, lut, mapLut, points, res, th, img, atlas,
    imgData: new ImageData(res, res), atlasData: new ImageData(th, Math.max(1, th * nHidden)),
    inputs: inputThumbs(h, th, mapLut),
  };
  st.size = null;
  const lg = st.dom.legend;
  lg.textContent = "";
  h.classes.forEach((name, c) => {
    const item = el("span", "nnpg-chip", lg);
    el("i", "", item).style.background = rgb(CLASS_RGB[c % 8]);
    el("span", "", item, name);
  });
  if (h.showTest && h.nTest) {
    const item = el("span", "nnpg-chip nnpg-testchip", lg);
    el("i", "", item);
    el("span", "", item, "test points");
  }
}

function inputThumbs(h, th, mapLut) {
  const d = h.sizes[0];
  const c = new OffscreenCanvas(th, th * d);
  const data = new ImageData(th, th * d);
  const px = new Uint32Array(data.data.buffer);
  for (let f = 0; f < d; f++) {
    for (let r = 0; r < th; r++) {
      for (let q = 0; q < th; q++) {
        let v = 0;
        if (f === h.axes[0]) v = (q / (th - 1)) * 2 - 1;
        else if (f === h.axes[1]) v = 1 - (r / (th - 1)) * 2;
        px[(f * th + r) * th + q] = mapLut[Math.round((v + 1) * 127.5)];
      }
    }
  }
  c.getContext("2d").putImageData(data, 0, 0);
  return c;
}

// ---- layout -------------------------------------------------------------------------
function fitCanvas(c, w, h) {
  const dpr = window.devicePixelRatio || 1;
  c.style.width = w + "px";
  c.style.height = h + "px";
  c.width = Math.round(w * dpr);
  c.height = Math.round(h * dpr);
  const ctx = c.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

function layout(st) {
  const W = Math.max(480, st.dom.root.clientWidth);
  const outW = Math.round(clamp(W * 0.36, 260, 470));
  const netW = W - outW - 20;
  const curveH = Math.round(clamp(outW * 0.34, 100, 150));
  const H = outW + 34 + curveH + 12;
  st.size = { W, outW, netW, curveH, H };
  st.ctx = {
    net: fitCanvas(st.dom.net, netW, H),
    bnd: fitCanvas(st.dom.bnd, outW, outW),
    curve: fitCanvas(st.dom.curve, outW, curveH),
  };
  if (st.scene) {
    netLayout(st);
    pointsLayer(st);
  }
  st.dirty = true;
}

function netLayout(st) {
  const sc = st.scene, { netW, H } = st.size, sizes = sc.sizes, n = sizes.length;
  const ctx = st.ctx.net;
  ctx.font = "600 13px system-ui, sans-serif";
  const textW = (names) => Math.max(0, ...names.map((t) => ctx.measureText(short(t, 18)).width));
  const outNames = sizes[n - 1] === 1 ? [`P(${sc.classes[1]})`] : sc.classes;
  const top = 56, bottom = 14, left = clamp(textW(sc.feats) + 16, 40, 170), right = clamp(textW(outNames) + 16, 40, 150);
  const areaH = H - top - bottom;
  const maxN = Math.max(...sizes);
  const node = clamp((areaH / maxN) * 0.74, 5, 46);
  const cols = sizes.map((count, l) => {
    const x = n === 1 ? left : left + ((netW - left - right - node) * l) / (n - 1);
    const gap = Math.min(areaH / count, node * 1.7);
    const y0 = top + (areaH - gap * count) / 2 + (gap - node) / 2;
    return { x, count, nodes: Array.from({ length: count }, (_, i) => ({ x, y: y0 + i * gap, s: node })) };
  });
  const links = [];
  let offW = 0;
  for (let l = 0; l + 1 < n; l++) {
    const nin = sizes[l], nout = sizes[l + 1];
    for (let j = 0; j < nout; j++) {
      for (let i = 0; i < nin; i++) {
        const a = cols[l].nodes[i], b = cols[l + 1].nodes[j];
        links.push({ l, i, j, w: offW + j * nin + i, x0: a.x + a.s, y0: a.y + a.s / 2, x1: b.x, y1: b.y + b.s / 2 });
      }
    }
    offW += nin * nout;
  }
  const biasOff = [];
  let ob = offW;
  for (let l = 1; l < n; l++) { biasOff.push(ob); ob += sizes[l]; }
  sc.net = { cols, links, node, top, biasOff, dense: links.length > 600 };
}

function pointsLayer(st) {
  const sc = st.scene, S = st.size.outW, dpr = window.devicePixelRatio || 1;
  const c = new OffscreenCanvas(Math.round(S * dpr), Math.round(S * dpr));
  const ctx = c.getContext("2d");
  ctx.scale(dpr, dpr);
  const r = clamp(S / 110, 2.4, 4.5);
  const draw = (p) => {
    ctx.beginPath();
    ctx.arc(p.u * S, (1 - p.v) * S, r, 0, 2 * Math.PI);
    ctx.fillStyle = rgb(CLASS_RGB[p.c % 8]);
    ctx.fill();
    ctx.lineWidth = p.test ? 1.6 : 1;
    ctx.strokeStyle = p.test ? "#111" : "#fff";
    ctx.stroke();
  };
  for (const p of sc.points) if (!p.test) draw(p);
  if (sc.showTest) for (const p of sc.points) if (p.test) draw(p);
  sc.pointsLayer = c;
}

// ---- painting -----------------------------------------------------------------------
function paint(st) {
  st.dirty = false;
  const f = st.shown, sc = st.scene;
  if (!f || !sc) return;
  if (st.paintedRun !== st.run) {
    st.paintedRun = st.run;
    G.runShownAt = performance.now();
    G.runShownWall = Date.now();
  }
  if (!st.size) layout(st);
  if (f.M) {
    const px = new Uint32Array(sc.atlasData.data.buffer);
    for (let i = 0; i < f.M.length; i++) px[i] = sc.mapLut[f.M[i]];
    sc.atlas.getContext("2d").putImageData(sc.atlasData, 0, 0);
  }
  const px = new Uint32Array(sc.imgData.data.buffer), lut = sc.lut, g = f.grid;
  for (let i = 0; i < g.length; i++) px[i] = lut[g[i]];
  sc.img.getContext("2d").putImageData(sc.imgData, 0, 0);
  paintBoundary(st);
  paintNet(st);
  paintCurve(st);
  paintStats(st);
}

function paintBoundary(st) {
  const sc = st.scene, ctx = st.ctx.bnd, S = st.size.outW, hv = st.hover;
  ctx.imageSmoothingEnabled = true;
  ctx.clearRect(0, 0, S, S);
  let caption = null;
  if (hv && hv.l > 0 && hv.l < sc.sizes.length - 1 && st.shown.M) {
    const th = sc.th, row = hiddenIndex(sc, hv.l, hv.i);
    ctx.drawImage(sc.atlas, 0, row * th, th, th, 0, 0, S, S);
    caption = `Hidden layer ${hv.l}, neuron ${hv.i + 1}: ${sc.act}(w·a + b)`;
  } else if (hv && hv.l === 0) {
    ctx.drawImage(sc.inputs, 0, hv.i * sc.th, sc.th, sc.th, 0, 0, S, S);
    caption = `Input ${sc.feats[hv.i]}` + (sc.axes.includes(hv.i) ? "" : " (held at its mean on this plane)");
  } else {
    ctx.drawImage(sc.img, 0, 0, S, S);
  }
  ctx.drawImage(sc.pointsLayer, 0, 0, S, S);
  ctx.strokeStyle = "rgba(0,0,0,0.15)";
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, S - 1, S - 1);
  ctx.font = "600 12px system-ui, sans-serif";
  ctx.fillStyle = "rgba(30,30,30,0.75)";
  ctx.textBaseline = "bottom";
  ctx.fillText(sc.axisNames[0] + " →", 8, S - 6);
  ctx.save();
  ctx.translate(16, S - 8 - ctx.measureText(sc.axisNames[0] + " →").width - 12);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(sc.axisNames[1] + " →", 0, 0);
  ctx.restore();
  if (caption) label(ctx, caption, 8, 8);
}

function label(ctx, text, x, y) {
  ctx.font = "600 13px system-ui, sans-serif";
  const w = ctx.measureText(text).width + 14;
  ctx.fillStyle = "rgba(255,255,255,0.92)";
  ctx.fillRect(x, y, w, 24);
  ctx.fillStyle = "#222";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x + 7, y + 12);
}

function hiddenIndex(sc, l, i) {
  let r = 0;
  for (let q = 1; q < l; q++) r += sc.sizes[q];
  return r + i;
}

function paintNet(st) {
  const sc = st.scene, ctx = st.ctx.net, { netW, H } = st.size, net = sc.net, W = st.shown.W;
  ctx.clearRect(0, 0, netW, H);
  const n = sc.sizes.length;
  ctx.textBaseline = "alphabetic";
  ctx.textAlign = "center";
  const room = n > 1 ? (net.cols[1].x - net.cols[0].x) * 0.92 : netW;
  const fit = (text) => {
    let t = text;
    while (t.length > 3 && ctx.measureText(t).width > room) t = t.slice(0, -2) + "…";
    return t;
  };
  for (let l = 0; l < n; l++) {
    const col = net.cols[l], cx = col.x + net.node / 2;
    const title = l === 0 ? "INPUT" : l === n - 1 ? "OUTPUT" : `HIDDEN ${l}`;
    ctx.font = "700 12px system-ui, sans-serif";
    ctx.fillStyle = "#333";
    ctx.fillText(fit(title), cx, 16);
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = "#777";
    const [outAct, outLoss] = sc.out.replace(/_/g, " ").split(" · ");
    const sub = l === 0 ? `${col.count} feature${col.count > 1 ? "s" : ""}` : l === n - 1 ? outAct : `${col.count} · ${sc.act.replace(/_/g, " ")}`;
    ctx.fillText(fit(sub), cx, 31);
    if (l === n - 1) ctx.fillText(fit(outLoss), cx, 45);
  }
  ctx.textAlign = "left";
  if (W && net.dense) drawDenseLinks(ctx, net.links, W);
  else if (W) {
    const hvL = st.hover;
    for (const k of net.links) {
      const w = W[k.w], a = Math.abs(w);
      const focus = hvL && hvL.link === k;
      ctx.strokeStyle = rgb(w >= 0 ? POS : NEG, focus ? 1 : clamp(0.18 + a * 0.5, 0.18, 0.9));
      ctx.lineWidth = focus ? Math.max(3, Math.min(9, 0.6 + a * 2.4)) : Math.min(9, 0.6 + a * 2.4);
      const mx = (k.x0 + k.x1) / 2;
      ctx.beginPath();
      ctx.moveTo(k.x0, k.y0);
      ctx.bezierCurveTo(mx, k.y0, mx, k.y1, k.x1, k.y1);
      ctx.stroke();
    }
  }
  ctx.imageSmoothingEnabled = true;
  const th = sc.th;
  for (let l = 0; l < n; l++) {
    const col = net.cols[l];
    col.nodes.forEach((p, i) => {
      const s = p.s;
      if (l === 0) ctx.drawImage(sc.inputs, 0, i * th, th, th, p.x, p.y, s, s);
      else if (l < n - 1 && st.shown.M) ctx.drawImage(sc.atlas, 0, hiddenIndex(sc, l, i) * th, th, th, p.x, p.y, s, s);
      else if (l === n - 1 && col.count === 1) ctx.drawImage(sc.img, 0, 0, sc.res, sc.res, p.x, p.y, s, s);
      else if (l === n - 1) { ctx.fillStyle = rgb(CLASS_RGB[i % 8]); ctx.fillRect(p.x, p.y, s, s); }
      else { ctx.fillStyle = rgb(MID); ctx.fillRect(p.x, p.y, s, s); }
      const hov = st.hover && st.hover.l === l && st.hover.i === i;
      ctx.lineWidth = hov ? 2.5 : 1;
      ctx.strokeStyle = hov ? "#111" : "rgba(0,0,0,0.35)";
      ctx.strokeRect(p.x + 0.5, p.y + 0.5, s - 1, s - 1);
      if (W && l > 0 && s >= 14) {
        const b = W[net.biasOff[l - 1] + i], bs = Math.max(4, s * 0.18);
        ctx.fillStyle = rgb(b >= 0 ? POS : NEG, clamp(0.3 + Math.abs(b) * 0.5, 0.3, 1));
        ctx.fillRect(p.x - bs - 2, p.y + s - bs, bs, bs);
      }
    });
  }
  ctx.font = "600 13px system-ui, sans-serif";
  ctx.fillStyle = "#333";
  ctx.textBaseline = "middle";
  const inCol = net.cols[0], outCol = net.cols[n - 1];
  ctx.textAlign = "right";
  inCol.nodes.forEach((p, i) => ctx.fillText(short(sc.feats[i], 18), p.x - 8, p.y + p.s / 2));
  ctx.textAlign = "left";
  outCol.nodes.forEach((p, i) => {
    const name = outCol.count === 1 ? `P(${sc.classes[1]})` : sc.classes[i];
    if (p.s >= 8 || i % 2 === 0) ctx.fillText(short(name, 18), p.x + p.s + 8, p.y + p.s / 2);
  });
  ctx.textAlign = "left";
}

// Thousands of links: straight lines in a few batches (sign x thickness), one stroke each.
function drawDenseLinks(ctx, links, W) {
  const buckets = new Map();
  for (const k of links) {
    const w = W[k.w], level = Math.min(5, Math.floor(Math.abs(w) * 2.5));
    const key = (w >= 0 ? 10 : 0) + level;
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key).push(k);
  }
  for (const [key, group] of [...buckets].sort((a, b) => (a[0] % 10) - (b[0] % 10))) {
    const level = key % 10;
    ctx.strokeStyle = rgb(key >= 10 ? POS : NEG, 0.12 + level * 0.12);
    ctx.lineWidth = 0.4 + level * 0.5;
    ctx.beginPath();
    for (const k of group) { ctx.moveTo(k.x0, k.y0); ctx.lineTo(k.x1, k.y1); }
    ctx.stroke();
  }
}

function short(s, n) {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

function curveRows(st) {
  const rows = [], h = st.hist, e = st.shown ? st.shown.e : 0;
  let lastE = -1;
  if (h) {
    for (let r = 0; r < st.histN; r++) {
      const ep = h[r * 5];
      if (ep > e) break;
      rows.push([ep, h[r * 5 + 1], h[r * 5 + 2], h[r * 5 + 3], h[r * 5 + 4]]);
      lastE = ep;
    }
  }
  st.tail = st.tail.filter((t) => t[0] > lastE || t[0] === e);
  for (const t of st.tail) if (t[0] > lastE && t[0] <= e) rows.push(t);
  return rows;
}

function paintCurve(st) {
  const ctx = st.ctx.curve, { outW: W, curveH: H } = st.size, f = st.shown;
  const nan = (v) => (v == null ? NaN : v);
  if (f && (!st.tail.length || st.tail[st.tail.length - 1][0] < f.e)) st.tail.push([f.e, nan(f.tl), nan(f.vl), nan(f.ta), nan(f.va)]);
  const rows = curveRows(st);
  st.curveRows = rows;
  ctx.clearRect(0, 0, W, H);
  const padL = 34, padR = 34, padT = 20, padB = 16;
  const pw = W - padL - padR, ph = H - padT - padB;
  const maxE = Math.max(1, rows.length ? rows[rows.length - 1][0] : 1);
  let maxL = 0;
  for (const r of rows) for (const v of [r[1], r[2]]) if (isFinite(v)) maxL = Math.max(maxL, v);
  maxL = maxL > 0 ? niceMax(maxL) : 1;
  const X = (e) => padL + (e / maxE) * pw, Y = (v) => padT + ph - (v / maxL) * ph, YA = (a) => padT + ph - a * ph;
  ctx.fillStyle = "#fafafa";
  ctx.fillRect(padL, padT, pw, ph);
  ctx.strokeStyle = "#ddd";
  ctx.lineWidth = 1;
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#777";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const q of [0, 0.5, 1]) {
    const y = Math.round(Y(maxL * q)) + 0.5;
    ctx.beginPath(); ctx.moveTo(padL, y); ctx.lineTo(padL + pw, y); ctx.stroke();
    ctx.fillText(fmtAxis(maxL * q), padL - 4, y);
  }
  ctx.textAlign = "left";
  ctx.fillText("100%", padL + pw + 3, YA(1));
  ctx.fillText("50%", padL + pw + 3, YA(0.5));
  ctx.textAlign = "right";
  ctx.textBaseline = "top";
  ctx.fillText(`epoch ${maxE}`, padL + pw, padT + ph + 3);
  ctx.textAlign = "left";
  const line = (idx, color, width, dash, yf) => {
    ctx.beginPath();
    let on = false;
    for (const r of rows) {
      const v = r[idx];
      if (!isFinite(v)) { on = false; continue; }
      const x = X(r[0]), y = yf(v);
      if (on) ctx.lineTo(x, y); else { ctx.moveTo(x, y); on = true; }
    }
    ctx.setLineDash(dash);
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.stroke();
    ctx.setLineDash([]);
  };
  line(3, "rgba(120,120,120,0.55)", 1.2, [4, 3], YA);
  line(4, "rgba(20,20,20,0.55)", 1.2, [4, 3], YA);
  line(1, "#8a8a8a", 2, [], Y);
  line(2, "#111", 2, [], Y);
  ctx.textBaseline = "middle";
  const key = (x, color, dash, text) => {
    ctx.setLineDash(dash); ctx.strokeStyle = color; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(x, 9); ctx.lineTo(x + 16, 9); ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = "#444"; ctx.fillText(text, x + 20, 9);
  };
  key(padL, "#111", [], "test loss");
  key(padL + 82, "#8a8a8a", [], "train loss");
  key(padL + 170, "rgba(20,20,20,0.55)", [4, 3], "accuracy");
  const hv = st.curveHover;
  if (hv != null && rows.length) {
    let best = rows[0];
    const e = ((hv - padL) / pw) * maxE;
    for (const r of rows) if (Math.abs(r[0] - e) < Math.abs(best[0] - e)) best = r;
    const x = X(best[0]);
    ctx.strokeStyle = "rgba(0,0,0,0.4)";
    ctx.beginPath(); ctx.moveTo(x, padT); ctx.lineTo(x, padT + ph); ctx.stroke();
    st.curvePick = best;
  } else st.curvePick = null;
}

function niceMax(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmtAxis(v) {
  return v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
}

function paintStats(st) {
  const f = st.shown, s = st.dom.s;
  const set = (node, text) => { if (node.textContent !== text) node.textContent = text; };
  set(s.epoch, pad6(f.e));
  set(s.tl, fmt(f.tl));
  set(s.vl, fmt(f.vl));
  set(s.ta, pct(f.ta));
  set(s.va, pct(f.va));
  G.epoch = f.e;
  G.loss = f.tl;
  G.testLoss = f.vl;
  const pill = st.dom.pill, state = st.msg ? "diverged" : st.playing ? "training" : "paused";
  set(pill, state === "training" ? "● training" : state === "diverged" ? "diverged" : "❚❚ paused");
  pill.dataset.state = state;
}

// ---- hover --------------------------------------------------------------------------
function hookEvents(st) {
  const { net, bnd, curve, tip } = st.dom;
  const local = (e, c) => { const r = c.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  const showTip = (e, html) => {
    if (!html) { tip.style.display = "none"; return; }
    tip.innerHTML = html;
    tip.style.display = "block";
    const r = st.dom.root.getBoundingClientRect();
    const x = e.clientX - r.left + 14, y = e.clientY - r.top + 14;
    tip.style.left = Math.min(x, r.width - tip.offsetWidth - 4) + "px";
    tip.style.top = (y + tip.offsetHeight > r.height ? y - tip.offsetHeight - 24 : y) + "px";
  };
  net.addEventListener("mousemove", (e) => {
    const sc = st.scene;
    if (!sc || !sc.net || !st.shown) return;
    const [x, y] = local(e, net);
    let hit = null;
    sc.net.cols.forEach((col, l) => col.nodes.forEach((p, i) => {
      if (x >= p.x - 3 && x <= p.x + p.s + 3 && y >= p.y - 3 && y <= p.y + p.s + 3) hit = { l, i };
    }));
    if (!hit && !sc.net.dense && st.shown.W) {
      let best = 5;
      for (const k of sc.net.links) {
        const d = linkDistance(k, x, y);
        if (d < best) { best = d; hit = { link: k }; }
      }
    }
    const same = JSON.stringify(hit && (hit.link ? hit.link.w : [hit.l, hit.i])) === JSON.stringify(st.hover && (st.hover.link ? st.hover.link.w : [st.hover.l, st.hover.i]));
    st.hover = hit;
    if (!same) st.dirty = true;
    showTip(e, hit ? nodeTip(st, hit) : null);
  });
  net.addEventListener("mouseleave", () => { st.hover = null; st.dirty = true; tip.style.display = "none"; });
  bnd.addEventListener("mousemove", (e) => {
    const sc = st.scene;
    if (!sc || !st.shown) return;
    const [x, y] = local(e, bnd), S = st.size.outW;
    const q = clamp(Math.floor((x / S) * sc.res), 0, sc.res - 1), r = clamp(Math.floor((y / S) * sc.res), 0, sc.res - 1);
    const code = st.shown.grid[r * sc.res + q], c = Math.floor(code / sc.L), lead = (code % sc.L) / (sc.L - 1);
    const sure = sc.k === 2 ? `${(50 + 50 * lead).toFixed(0)}%` : `leads by ${(100 * lead).toFixed(0)} pts`;
    const [x0, x1, y0, y1] = sc.extent, fx = x0 + (x / S) * (x1 - x0), fy = y1 - (y / S) * (y1 - y0);
    const raw = sc.raw;
    const vx = fx * raw[1] + raw[0], vy = fy * raw[3] + raw[2];
    showTip(e, `<b>${sc.classes[c] ?? "?"}</b> ${sure}<br>${sc.axisNames[0]} = ${vx.toFixed(2)}<br>${sc.axisNames[1]} = ${vy.toFixed(2)}`);
  });
  bnd.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  curve.addEventListener("mousemove", (e) => {
    if (!st.shown) return;
    st.curveHover = local(e, curve)[0];
    paintCurve(st);
    const r = st.curvePick;
    if (r) showTip(e, `epoch <b>${r[0]}</b><br>train loss ${fmt(r[1])} · test loss ${fmt(r[2])}<br>train acc ${pct(r[3])} · test acc ${pct(r[4])}`);
  });
  curve.addEventListener("mouseleave", () => { st.curveHover = null; tip.style.display = "none"; st.dirty = true; });
}

function linkDistance(k, x, y) {
  if (x < k.x0 - 2 || x > k.x1 + 2) return Infinity;
  const mx = (k.x0 + k.x1) / 2;
  let best = Infinity, px = k.x0, py = k.y0;
  for (let s = 1; s <= 12; s++) {
    const t = s / 12, u = 1 - t;
    const bx = u * u * u * k.x0 + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * k.x1;
    const by = u * u * u * k.y0 + 3 * u * u * t * k.y0 + 3 * u * t * t * k.y1 + t * t * t * k.y1;
    best = Math.min(best, segDist(x, y, px, py, bx, by));
    px = bx; py = by;
  }
  return best;
}

function segDist(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay, L2 = dx * dx + dy * dy;
  const t = L2 ? clamp(((x - ax) * dx + (y - ay) * dy) / L2, 0, 1) : 0;
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

function nodeTip(st, hit) {
  const sc = st.scene, W = st.shown.W, n = sc.sizes.length;
  const name = (l, i) => (l === 0 ? sc.feats[i] : l === n - 1 ? (sc.sizes[l] === 1 ? "output" : sc.classes[i]) : `H${l}.${i + 1}`);
  if (hit.link) {
    const k = hit.link;
    return `weight <b>${fmt(W[k.w])}</b><br>${name(k.l, k.i)} → ${name(k.l + 1, k.j)}`;
  }
  if (hit.l === 0) return `input <b>${sc.feats[hit.i]}</b>`;
  const b = W ? W[sc.net.biasOff[hit.l - 1] + hit.i] : null;
  const what = hit.l === n - 1 ? `output ${name(hit.l, hit.i)} (${sc.out})` : `hidden layer ${hit.l}, neuron ${hit.i + 1} (${sc.act})`;
  return `${what}<br>bias <b>${fmt(b)}</b>`;
}
