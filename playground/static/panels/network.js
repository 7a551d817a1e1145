// Panel: the network diagram. Link colour = sign of the weight, thickness = its size; every
// neuron carries its thumbnail over the plane, and a small square for its bias.
//
// Laid out by the widest layer: a layer wider than the column has room for (at most MAX_SHOWN
// neurons) shows its first neurons and a "+48" marker for the rest. Every piece of text is drawn
// through putText, which keeps its box for tests (window.__nnpg.textBoxes()). The layer titles
// and subtitles take the longest form that fits between two columns ("HIDDEN 1", else "H1").
//
// Editing, as on TensorFlow Playground (when the page's "Hidden layers" control is enabled):
// - and + buttons over each hidden layer (its neurons) and under the diagram (the number of hidden
// layers), and a click on a link types its weight. Each sends a "diagram" event to Python
// (playground/diagram_edits.py): {op: "neurons", layer, delta}, {op: "layers", delta} or
// {op: "weight", run, layer, out, in, value}.

const NET = { top: 70, bottom: 38, minNode: 10, maxNode: 46, maxShown: 16, buttonsY: 40, buttonH: 22, buttonW: 16 };

registerPanel({
  name: "network",

  build(state, slot) {
    const box = el("div", "nnpg-netwrap", slot);
    box.dataset.panel = "network";
    state.panels.network = {
      canvas: panelCanvas("nnpg-net", box, "nnpg-net"), box, textBoxes: [],
      controls: el("div", "nnpg-edits", box), editable: null, editKey: null, editor: null,
    };
    state.panels.network.canvas.addEventListener("click", (event) => clickLink(state, event));
    const watch = setInterval(() => {  // the sidebar is drawn after the live view, and locks come with links
      if (!state.dom.root.isConnected) clearInterval(watch);
      else followEditable(state, state.panels.network, false);
    }, 1000);
  },

  resize(state) {
    const panel = state.panels.network, { w, h } = state.size.network;
    panel.ctx = fitCanvas(panel.canvas, w, h);
  },

  // Columns of nodes and the links between the neurons shown, for this size and network.
  arrange(state) {
    const scene = state.scene, panel = state.panels.network, ctx = panel.ctx;
    const { w: width, h: height } = state.size.network, sizes = scene.sizes, n = sizes.length;
    ctx.font = font(600, 13);
    const textW = (names) => Math.max(0, ...names.map((t) => ctx.measureText(short(t, 18)).width));
    const left = clamp(textW(inputNames(scene)) + 16, 40, 170), right = clamp(textW(outputNames(scene)) + 16, 40, 150);
    const spacing = (width - left - right) / (n - 1);
    const stacked = spacing < 2 * NET.buttonW + 8;  // no room for - and + side by side: one above the other
    const top = stacked ? NET.top + NET.buttonH + 4 : NET.top, areaH = height - top - NET.bottom;
    const slots = clamp(Math.floor(areaH / (NET.minNode * 1.4)), 3, NET.maxShown);
    const rows = sizes.map((count) => Math.min(count, slots));
    const node = clamp(Math.min((areaH / Math.max(...rows)) * 0.72, spacing * 0.42), 6, NET.maxNode);
    const gap = Math.min(areaH / Math.max(...rows), node * 1.7);
    const cols = sizes.map((count, l) => {
      const x = left + ((width - left - right - node) * l) / (n - 1);
      const shown = count <= slots ? count : slots - 1;
      const y0 = top + (areaH - gap * rows[l]) / 2 + (gap - node) / 2;
      const nodes = Array.from({ length: shown }, (_, i) => ({ x, y: y0 + i * gap, s: node }));
      const more = count - shown;
      return { x, count, nodes, more, moreY: y0 + shown * gap + node / 2 };
    });
    const links = [];
    scene.weight_layout.layers.forEach((layer, l) => {
      const nIn = layer.shape[1], from = cols[l].nodes, to = cols[l + 1].nodes;
      for (let j = 0; j < to.length; j++) {
        for (let i = 0; i < from.length; i++) {
          const a = from[i], b = to[j];
          links.push({ l, i, j, w: layer.W + j * nIn + i, x0: a.x + a.s, y0: a.y + a.s / 2, x1: b.x, y1: b.y + b.s / 2 });
        }
      }
    });
    panel.geometry = { cols, links, node, gap, spacing, top, stacked, dense: links.length > 600 };
    followEditable(state, panel, true);  // the edit buttons follow the new columns
  },

  paint(state) {
    const scene = state.scene, panel = state.panels.network, ctx = panel.ctx, net = panel.geometry;
    const { w: width, h: height } = state.size.network, W = state.shown.weights, n = scene.sizes.length;
    const boxes = (panel.textBoxes = []);
    ctx.clearRect(0, 0, width, height);
    for (let l = 0; l < n; l++) {
      const col = net.cols[l], cx = col.x + net.node / 2;
      // From the middle between this column and the next (or the canvas's edge) on either side.
      const from = l === 0 ? 2 : cx - net.spacing / 2 + 5, to = l === n - 1 ? width - 2 : cx + net.spacing / 2 - 5;
      const { title, subtitles } = columnText(scene, l, col.count);
      ctx.textBaseline = "alphabetic";
      ctx.font = font(700, 13);
      ctx.fillStyle = "#333";
      putWithin(ctx, boxes, title, cx, 16, from, to);
      ctx.font = font(0, 13);
      ctx.fillStyle = "#666";
      subtitles.forEach((forms, k) => putWithin(ctx, boxes, forms, cx, 32 + 15 * k, from, to));
    }
    if (W && net.dense) drawDenseLinks(ctx, net.links, W);
    else if (W) drawLinks(ctx, net.links, W, state.networkHover);
    ctx.imageSmoothingEnabled = true;
    const th = scene.thumbnail_layout.size;
    for (let l = 0; l < n; l++) {
      const col = net.cols[l];
      col.nodes.forEach((p, i) => {
        const s = p.s;
        if (l === 0) ctx.drawImage(scene.inputs, 0, i * th, th, th, p.x, p.y, s, s);
        else if (l < n - 1 && state.shown.thumbnails) ctx.drawImage(scene.atlas, 0, thumbnailRow(scene, l, i) * th, th, th, p.x, p.y, s, s);
        else if (l === n - 1 && col.count === 1) ctx.drawImage(scene.boundaryImage, 0, 0, scene.resolution, scene.resolution, p.x, p.y, s, s);
        else if (l === n - 1) { ctx.fillStyle = rgb(classRGB(i)); ctx.fillRect(p.x, p.y, s, s); }
        else { ctx.fillStyle = rgb(MIDDLE_RGB); ctx.fillRect(p.x, p.y, s, s); }
        const hovered = state.networkHover && state.networkHover.l === l && state.networkHover.i === i;
        ctx.lineWidth = hovered ? 2.5 : 1;
        ctx.strokeStyle = hovered ? "#111" : "rgba(0,0,0,0.35)";
        ctx.strokeRect(p.x + 0.5, p.y + 0.5, s - 1, s - 1);
        if (W && l > 0 && s >= 14) {
          const b = W[scene.weight_layout.layers[l - 1].b + i], bs = Math.max(4, s * 0.18);
          ctx.fillStyle = rgb(b >= 0 ? POSITIVE_RGB : NEGATIVE_RGB, clamp(0.3 + Math.abs(b) * 0.5, 0.3, 1));
          ctx.fillRect(p.x - bs - 2, p.y + s - bs, bs, bs);
        }
      });
      if (col.more) {  // "+49": the neurons not drawn, in a smaller type when the columns sit close
        const text = `+${col.more}`;
        ctx.font = font(700, 13);
        if (ctx.measureText(text).width > net.spacing - 6) ctx.font = font(700, 11);
        ctx.fillStyle = "#444";
        ctx.textBaseline = "middle";
        putCentred(ctx, boxes, text, col.x + net.node / 2, col.moreY, width);
      }
    }
    ctx.font = font(600, 13);
    ctx.fillStyle = "#333";
    ctx.textBaseline = "middle";
    const every = Math.max(1, Math.ceil(17 / net.gap));  // a name every few neurons when they sit closer than a line
    const inputs = net.cols[0], outputs = net.cols[n - 1], inNames = inputNames(scene), outNames = outputNames(scene);
    ctx.textAlign = "right";
    inputs.nodes.forEach((p, i) => {
      if (i % every === 0) putText(ctx, boxes, short(inNames[i], 18), p.x - 8, p.y + p.s / 2);
    });
    ctx.textAlign = "left";
    outputs.nodes.forEach((p, i) => {
      if (i % every === 0) putText(ctx, boxes, short(outNames[i], 18), p.x + p.s + 8, p.y + p.s / 2);
    });
  },

  // A neuron (its layer l and index i) or a link under the pointer: highlighted, and a tooltip.
  hover(state, x, y) {
    const net = state.panels.network.geometry;
    if (!state.scene || !net || !state.shown) return undefined;
    const hit = hitTest(net, x, y, !!state.shown.weights);
    const key = (h) => (h ? (h.link ? `w${h.link.w}` : `n${h.l}.${h.i}`) : "");
    if (key(hit) !== key(state.networkHover)) state.dirty = true;
    state.networkHover = hit;
    return hit ? networkTip(state, hit) : null;
  },

  leave(state) {
    state.networkHover = null;
    state.dirty = true;
  },
});

// The names of the input layer's units, and of the output layer's.
function inputNames(scene) {
  return scene.input_labels;  // the input features (x₁², sin(x₁)) or the data's features: frames.py
}

function outputNames(scene) {
  return scene.output_labels;  // P(a class), each class, or a regression's predicted value: frames.py
}

// A column's title and subtitle lines, each as its forms from the longest to the shortest.
function columnText(scene, l, count) {
  const n = scene.sizes.length, words = (s) => s.replace(/_/g, " ");
  if (l === 0) return { title: ["INPUT", "IN"], subtitles: [[`${count} feature${count > 1 ? "s" : ""}`, `${count}`]] };
  if (l === n - 1) return { title: ["OUTPUT", "OUT"], subtitles: [[words(scene.output)], [words(scene.loss)]] };
  return { title: [`HIDDEN ${l}`, `H${l}`], subtitles: [[`${count} · ${words(scene.activation)}`, `${count}`]] };
}

// The first of `forms` that fits in `room` pixels (the last, shortened, when none does).
function longestFitting(ctx, forms, room) {
  for (const form of forms) if (ctx.measureText(form).width <= room) return form;
  let text = forms[forms.length - 1];
  while (text.length > 2 && ctx.measureText(text).width > room) text = text.slice(0, -2) + "…";
  return text;
}

// Text centred on x, moved in so that it stays inside a canvas `width` wide.
function putCentred(ctx, boxes, text, x, y, width) {
  putWithin(ctx, boxes, [text], x, y, 2, width - 2);
}

// The longest of `forms` that fits between from and to, centred on x as far as it can be.
function putWithin(ctx, boxes, forms, x, y, from, to) {
  const text = longestFitting(ctx, forms, to - from), half = ctx.measureText(text).width / 2;
  ctx.textAlign = "center";
  putText(ctx, boxes, text, clamp(x, from + half, to - half), y);
}

// The neuron (its l, i) or link ({link}) at (x, y), or null.
function hitTest(net, x, y, withLinks) {
  let hit = null;
  net.cols.forEach((col, l) => col.nodes.forEach((p, i) => {
    if (x >= p.x - 3 && x <= p.x + p.s + 3 && y >= p.y - 3 && y <= p.y + p.s + 3) hit = { l, i };
  }));
  if (!hit && withLinks) {
    let best = 5;
    for (const link of net.links) {
      const d = net.dense ? segmentDistance(x, y, link.x0, link.y0, link.x1, link.y1) : linkDistance(link, x, y);
      if (d < best) { best = d; hit = { link }; }
    }
  }
  return hit;
}

function drawLinks(ctx, links, W, hovered) {
  for (const link of links) {
    const w = W[link.w], size = Math.abs(w);
    const focus = hovered && hovered.link === link;
    ctx.strokeStyle = rgb(w >= 0 ? POSITIVE_RGB : NEGATIVE_RGB, focus ? 1 : clamp(0.18 + size * 0.5, 0.18, 0.9));
    ctx.lineWidth = focus ? Math.max(3, Math.min(9, 0.6 + size * 2.4)) : Math.min(9, 0.6 + size * 2.4);
    const mx = (link.x0 + link.x1) / 2;
    ctx.beginPath();
    ctx.moveTo(link.x0, link.y0);
    ctx.bezierCurveTo(mx, link.y0, mx, link.y1, link.x1, link.y1);
    ctx.stroke();
  }
}

// Thousands of links: straight lines in a few batches (sign x thickness), one stroke each.
function drawDenseLinks(ctx, links, W) {
  const buckets = new Map();
  for (const link of links) {
    const w = W[link.w], level = Math.min(5, Math.floor(Math.abs(w) * 2.5));
    const key = (w >= 0 ? 10 : 0) + level;
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key).push(link);
  }
  for (const [key, group] of [...buckets].sort((a, b) => (a[0] % 10) - (b[0] % 10))) {
    const level = key % 10;
    ctx.strokeStyle = rgb(key >= 10 ? POSITIVE_RGB : NEGATIVE_RGB, 0.12 + level * 0.12);
    ctx.lineWidth = 0.4 + level * 0.5;
    ctx.beginPath();
    for (const link of group) { ctx.moveTo(link.x0, link.y0); ctx.lineTo(link.x1, link.y1); }
    ctx.stroke();
  }
}

function networkTip(state, hit) {
  const scene = state.scene, W = state.shown.weights, n = scene.sizes.length, names = inputNames(scene);
  const name = (l, i) => (l === 0 ? names[i] : l === n - 1 ? (scene.sizes[l] === 1 ? "output" : scene.class_names[i]) : `H${l}.${i + 1}`);
  if (hit.link) {
    const link = hit.link, more = state.panels.network.editable ? " (click to type it)" : "";
    return [["weight ", bold(fmt(W[link.w])), more], [`${name(link.l, link.i)} → ${name(link.l + 1, link.j)}`]];
  }
  if (hit.l === 0) return [["input ", bold(names[hit.i])]];
  const bias = W ? W[scene.weight_layout.layers[hit.l - 1].b + hit.i] : null;
  const what = hit.l === n - 1
    ? `output ${name(hit.l, hit.i)} (${scene.output} · ${scene.loss})`
    : `hidden layer ${hit.l}, neuron ${hit.i + 1} (${scene.activation})`;
  return [[what], ["bias ", bold(fmt(bias))]];
}

// ---- editing ---------------------------------------------------------------------------------
// The page's "Hidden layers" control says whether the network may be edited (absent: a link
// locked every control; disabled: locked) and its limits; looked at again every second.
const HIDDEN_CONTROL = ".st-key-hidden_layers input", NEURONS_CONTROL = ".st-key-neurons_1 input";

function editLimits() {
  const layers = document.querySelector(HIDDEN_CONTROL), neurons = document.querySelector(NEURONS_CONTROL);
  if (!layers || layers.disabled) return null;
  const max = (input, fallback) => Number(input && input.getAttribute("max")) || fallback;
  return { layers: max(layers, Infinity), neurons: max(neurons, Infinity) };
}

function followEditable(state, panel, rearranged) {
  if (!panel.geometry || !state.scene) return;
  const limits = editLimits(), key = JSON.stringify(limits);
  if (!rearranged && key === panel.editKey) return;
  panel.editKey = key;
  panel.editable = limits;
  buildEditButtons(state, panel, limits);
}

// The - and + buttons: over each hidden layer, and for the number of hidden layers under the diagram.
function buildEditButtons(state, panel, limits) {
  const box = panel.controls, net = panel.geometry, scene = state.scene, n = scene.sizes.length;
  box.textContent = "";
  if (!limits || !net) return;
  const send = (value) => sendEvent(state, "diagram", value);
  const button = (text, title, disabled, onClick) => {
    const b = el("button", "nnpg-edit", box, text);
    b.type = "button";
    b.title = title;
    b.setAttribute("aria-label", title);
    b.disabled = disabled;
    b.addEventListener("click", (event) => { event.stopPropagation(); onClick(); });
    return b;
  };
  const width = net.stacked ? clamp(net.spacing - 6, NET.buttonW, 26) : clamp((net.spacing - 8) / 2, NET.buttonW, 24);
  for (let l = 1; l < n - 1; l++) {
    const count = scene.sizes[l], cx = net.cols[l].x + net.node / 2;
    const less = button("−", `one neuron less in hidden layer ${l}`, count <= 1, () => send({ op: "neurons", layer: l, delta: -1 }));
    const more = button("+", `one neuron more in hidden layer ${l}`, count >= limits.neurons, () => send({ op: "neurons", layer: l, delta: 1 }));
    less.dataset.testid = `nnpg-neurons-${l}-less`;
    more.dataset.testid = `nnpg-neurons-${l}-more`;
    const places = net.stacked
      ? [[more, cx - width / 2, NET.buttonsY], [less, cx - width / 2, NET.buttonsY + NET.buttonH + 4]]
      : [[less, cx - width - 1, NET.buttonsY], [more, cx + 1, NET.buttonsY]];
    for (const [b, x, y] of places) {
      Object.assign(b.style, { left: `${x}px`, top: `${y}px`, width: `${width}px`, height: `${NET.buttonH}px` });
    }
  }
  const hidden = n - 2, row = el("div", "nnpg-layers", box);
  row.style.top = `${state.size.network.h - NET.bottom + 8}px`;
  const less = button("−", "one hidden layer less", hidden <= 0, () => send({ op: "layers", delta: -1 }));
  const more = button("+", "one hidden layer more", hidden >= limits.layers, () => send({ op: "layers", delta: 1 }));
  less.dataset.testid = "nnpg-layers-less";
  more.dataset.testid = "nnpg-layers-more";
  row.append(less, more);
  el("span", "nnpg-layers-count", row, `${hidden} hidden layer${hidden === 1 ? "" : "s"}`);
}

// A click on a link opens a box to type its weight; Enter sends it, Escape or leaving the box drops it.
function clickLink(state, event) {
  const panel = state.panels.network, net = panel.geometry;
  if (!panel.editable || !net || !state.shown || !state.shown.weights) return;
  const box = panel.canvas.getBoundingClientRect();
  const x = (event.clientX - box.left) / SCALE, y = (event.clientY - box.top) / SCALE;
  const hit = hitTest(net, x, y, true);
  if (hit && hit.link) openWeightEditor(state, hit.link, x, y);
}

function openWeightEditor(state, link, x, y) {
  const panel = state.panels.network;
  if (panel.editor) panel.editor.remove();
  const input = (panel.editor = el("input", "nnpg-weight", panel.box));
  input.type = "number";
  input.step = "any";
  input.dataset.testid = "nnpg-weight-input";
  input.setAttribute("aria-label", "weight");
  input.value = state.shown.weights[link.w].toFixed(3);
  Object.assign(input.style, { left: `${clamp(x - 45, 0, state.size.network.w - 96)}px`, top: `${y - 14}px` });
  let open = true;
  const close = () => {  // once: removing the box blurs it, which closes it again
    if (!open) return;
    open = false;
    if (panel.editor === input) panel.editor = null;
    input.remove();
  };
  input.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key === "Escape") close();
    if (event.key !== "Enter") return;
    const value = Number(input.value);
    if (input.value.trim() === "" || !isFinite(value)) { input.setCustomValidity("a number"); input.reportValidity(); return; }
    sendEvent(state, "diagram", { op: "weight", run: state.run, layer: link.l, out: link.j, in: link.i, value });
    state.shown.weights[link.w] = value;  // shown at once; the server's next frame carries it too
    state.dirty = true;
    close();
  });
  input.addEventListener("blur", close);
  input.focus();
  input.select();
}
