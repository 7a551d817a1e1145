// Panel: the decision boundary (class colours shaded by confidence, training and test points), or
// for a regression the predicted value on a diverging scale with the points coloured by their
// target on the same scale; while a neuron of the network is hovered, that neuron's thumbnail; the
// class legend (or the value scale) under it.

registerPanel({
  name: "boundary",

  build(state, slot) {
    state.panels.boundary = {
      canvas: panelCanvas("nnpg-boundary", slot, "nnpg-boundary"),
      legend: el("div", "nnpg-legend", slot),
      selected: 0,  // the class a click adds (the legend's chip clicked last)
    };
    hookPointClicks(state);
  },

  resize(state) {
    const panel = state.panels.boundary, { w, h } = state.size.boundary;
    panel.ctx = fitCanvas(panel.canvas, w, h);
    panel.legend.style.maxWidth = `${w}px`;  // long class names (an uploaded file's) never widen the column
  },

  scene(state) {
    const scene = state.scene, legend = state.panels.boundary.legend;
    legend.textContent = "";
    // One line, as the layout allows it: the chips shrink, a long name (an uploaded file's) ends in
    // "…" and shows in full on hover; the padding leaves room for the selected chip's outline.
    Object.assign(legend.style, { flexWrap: "nowrap", overflow: "hidden", padding: "3px 4px", boxSizing: "border-box" });
    const panel = state.panels.boundary, names = (panel.textNodes = []);
    if (scene.value_range) names.push(...valueLegend(scene, legend));
    panel.selected = Math.min(panel.selected, Math.max(scene.class_names.length - 1, 0));
    scene.class_names.forEach((name, c) => {
      const item = el("span", "nnpg-chip nnpg-class", legend);
      Object.assign(item.style, { flex: "0 1 auto", minWidth: "0" });
      Object.assign(el("i", "", item).style, { background: rgb(classRGB(c)), flexShrink: "0" });  // the dot stays round
      const text = el("span", "nnpg-name", item, name);
      Object.assign(text.style, { minWidth: "0", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" });
      text.title = name;
      item.dataset.label = String(c);
      item.title = `${name}: click here, then on the plane to add points of this class`;
      item.addEventListener("click", () => { panel.selected = c; markSelected(panel); });
      names.push(text);
    });
    markSelected(panel);
    if (scene.show_test && scene.n_test) {
      const item = el("span", "nnpg-chip nnpg-testchip", legend);
      item.style.flexShrink = "0";
      el("i", "", item);
      names.push(el("span", "", item, "test points"));
    }
  },

  // Where the legend's texts must stay (window.__nnpg.textBoxes()): as wide as the plane, from its
  // bottom to the top of the curve under it (or the height the layout gives the legend).
  textArea(state) {
    const panel = state.panels.boundary, c = panel.canvas.getBoundingClientRect();
    const below = state.panels.curve && state.panels.curve.canvas.getBoundingClientRect();
    const bottom = below && below.top > c.bottom ? below.top : c.bottom + LEGEND_HEIGHT * SCALE;  // page pixels, zoomed
    return { x0: c.left, y0: c.bottom, x1: c.right, y1: bottom };
  },

  // The points, drawn once per size and scene into a layer of their own.
  arrange(state) {
    const scene = state.scene, side = state.size.boundary.w, dpr = window.devicePixelRatio || 1;
    const layer = new OffscreenCanvas(Math.round(side * dpr), Math.round(side * dpr));
    const ctx = layer.getContext("2d");
    ctx.scale(dpr, dpr);
    const radius = clamp(side / 110, 2.4, 4.5);
    const draw = (p) => {
      ctx.beginPath();
      ctx.arc(p.u * side, (1 - p.v) * side, radius, 0, 2 * Math.PI);
      ctx.fillStyle = rgb(scene.valueScale ? valueRGB(scene.palette.value_scale, p.c) : classRGB(p.c));
      ctx.fill();
      ctx.lineWidth = p.test ? 1.6 : 1;
      // a regression's point on its own colour would vanish where the fit is good: a grey ring shows it
      ctx.strokeStyle = p.test ? "#111" : scene.valueScale ? "rgba(40,40,40,0.55)" : rgb(POINT_OUTLINE_RGB);
      ctx.stroke();
    };
    for (const p of scene.points) if (!p.test) draw(p);
    if (scene.show_test) for (const p of scene.points) if (p.test) draw(p);
    state.panels.boundary.points = layer;
  },

  paint(state) {
    const scene = state.scene, panel = state.panels.boundary, ctx = panel.ctx;
    const side = state.size.boundary.w, hovered = state.networkHover;
    ctx.imageSmoothingEnabled = true;
    ctx.clearRect(0, 0, side, side);
    let caption = null;
    if (hovered && hovered.l > 0 && hovered.l < scene.sizes.length - 1 && state.shown.thumbnails) {
      const th = scene.thumbnail_layout.size, row = thumbnailRow(scene, hovered.l, hovered.i);
      ctx.drawImage(scene.atlas, 0, row * th, th, th, 0, 0, side, side);
      caption = `Hidden layer ${hovered.l}, neuron ${hovered.i + 1}: ${scene.activation}(w·a + b)`;
    } else if (hovered && hovered.l === 0) {
      const th = scene.thumbnail_layout.size;
      ctx.drawImage(scene.inputs, 0, hovered.i * th, th, th, 0, 0, side, side);
      const held = !scene.inputs && !scene.plane_features.includes(hovered.i);
      caption = `Input ${scene.input_labels[hovered.i]}` + (held ? " (held at its mean on this plane)" : "");
    } else {
      ctx.drawImage(scene.boundaryImage, 0, 0, side, side);
    }
    ctx.drawImage(panel.points, 0, 0, side, side);
    ctx.strokeStyle = "rgba(0,0,0,0.15)";
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, side - 1, side - 1);
    ctx.font = font(600, 12);
    ctx.fillStyle = "rgba(30,30,30,0.75)";
    ctx.textBaseline = "bottom";
    const xLabel = fitText(ctx, scene.axis_names[0], 0.6 * side), xWidth = ctx.measureText(xLabel).width;
    ctx.fillText(xLabel, 8, side - 6);
    ctx.save();
    ctx.translate(16, side - 8 - xWidth - 12);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(fitText(ctx, scene.axis_names[1], side - xWidth - 36), 0, 0);
    ctx.restore();
    if (caption) label(ctx, caption, 8, 8);
  },

  // The class under the pointer, how sure the network is, and the point in the data's own units.
  hover(state, x, y) {
    const scene = state.scene;
    if (!scene || !state.shown || !state.shown.boundary) return undefined;
    const side = state.size.boundary.w, res = scene.resolution, levels = scene.confidence_levels;
    const column = clamp(Math.floor((x / side) * res), 0, res - 1), row = clamp(Math.floor((y / side) * res), 0, res - 1);
    const code = state.shown.boundary[row * res + column], c = Math.floor(code / levels);
    const [x0, x1, y0, y1] = scene.plane_extent, u = x0 + (x / side) * (x1 - x0), v = y1 - (y / side) * (y1 - y0);
    const [meanX, meanY] = scene.plane_mean, [scaleX, scaleY] = scene.plane_scale;
    const where = [[`${scene.axis_names[0]} = ${(u * scaleX + meanX).toFixed(2)}`],
      [`${scene.axis_names[1]} = ${(v * scaleY + meanY).toFixed(2)}`]];
    if (scene.value_range) {
      const [low, high] = scene.value_range;
      return [["predicted ", bold(fmt(low + (code / 255) * (high - low), 2))], ...where];
    }
    const lead = (code % levels) / (levels - 1);
    const sure = scene.class_names.length === 2 ? `${(50 + 50 * lead).toFixed(0)}%` : `leads by ${(100 * lead).toFixed(0)} pts`;
    return [[bold(scene.class_names[c] ?? "?"), " " + sure], ...where];
  },
});

const LEGEND_HEIGHT = 34;  // what the layout leaves under the plane for the legend (layout.js measure)

// A regression's legend: the diverging scale as a bar from its lowest to its highest value, the
// ends in a few characters (a price's 93,851 as 9.39e4); returns its text nodes.
function valueLegend(scene, legend) {
  const [low, high] = scene.value_range, item = el("span", "nnpg-chip nnpg-scale", legend);
  const ends = Math.max(Math.abs(low), Math.abs(high)) < 10 ? (v) => fmt(v, 2) : compact;
  const first = el("span", "", item, `target ${ends(low)}`);
  const bar = el("i", "", item);
  const stops = scene.palette.value_scale.map((c, i, all) => `${rgb(c)} ${((100 * i) / (all.length - 1)).toFixed(0)}%`);
  bar.style.background = `linear-gradient(to right, ${stops.join(", ")})`;
  Object.assign(bar.style, { width: "96px", borderRadius: "3px", flexShrink: "0" });
  return [first, el("span", "", item, ends(high))];
}

// Click to add points (ConvNetJS style): a click adds a point of the selected class, shift-click
// one of the next class, alt- or ctrl-click removes the nearest point. Each click is a "points"
// event for Python (points.py): where it fell across the plane (u right, v up, 0..1).
function hookPointClicks(state) {
  const canvas = state.panels.boundary.canvas;
  canvas.style.cursor = "crosshair";
  const click = (event) => {
    const scene = state.scene, panel = state.panels.boundary;
    if (!scene || scene.value_range || !scene.class_names.length) return;
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    const u = clamp((event.clientX - box.left) / box.width, 0, 1), v = clamp(1 - (event.clientY - box.top) / box.height, 0, 1);
    const remove = event.altKey || event.ctrlKey || event.metaKey, k = scene.class_names.length;
    const label = event.shiftKey ? (panel.selected + 1) % k : panel.selected;
    const id = performance.timeOrigin + performance.now();  // one click, however often its trigger arrives
    sendEvent(state, "points", { op: remove ? "remove" : "add", u, v, label, run: scene.run, id });
  };
  canvas.addEventListener("click", click);
  canvas.addEventListener("contextmenu", (event) => { if (event.ctrlKey) click(event); });  // ctrl-click on a Mac
}

// The selected class's chip is outlined.
function markSelected(panel) {
  for (const chip of panel.legend.querySelectorAll(".nnpg-class")) {
    const on = Number(chip.dataset.label) === panel.selected;
    chip.style.outline = on ? "2px solid rgba(0,0,0,0.55)" : "none";
    chip.style.outlineOffset = "2px";
    chip.style.borderRadius = "4px";
    chip.style.cursor = "pointer";
  }
}

// An axis name and its arrow within `width` pixels: a long name (an uploaded file's column) is cut with "…".
function fitText(ctx, name, width) {
  let text = name;
  while (text.length > 1 && ctx.measureText(text + (text === name ? "" : "…") + " →").width > width) text = text.slice(0, -1);
  return text + (text === name ? "" : "…") + " →";
}
