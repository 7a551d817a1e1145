// Panel: the network diagram. Link colour = sign of the weight, thickness = its size; every
// neuron carries its thumbnail over the plane, and a small square for its bias.

registerPanel({
  name: "network",

  build(state, slot) {
    state.panels.network = { canvas: panelCanvas("nnpg-net", slot, "nnpg-net") };
  },

  resize(state) {
    const panel = state.panels.network, { w, h } = state.size.network;
    panel.ctx = fitCanvas(panel.canvas, w, h);
  },

  // Columns of nodes and the links between them, for this size and network.
  arrange(state) {
    const scene = state.scene, panel = state.panels.network, ctx = panel.ctx;
    const { w: width, h: height } = state.size.network, sizes = scene.sizes, n = sizes.length;
    ctx.font = font(600, 13);
    const textW = (names) => Math.max(0, ...names.map((t) => ctx.measureText(short(t, 18)).width));
    const top = 56, bottom = 14;
    const left = clamp(textW(scene.feature_names) + 16, 40, 170), right = clamp(textW(outputNames(scene)) + 16, 40, 150);
    const areaH = height - top - bottom;
    const node = clamp((areaH / Math.max(...sizes)) * 0.74, 5, 46);
    const cols = sizes.map((count, l) => {
      const x = n === 1 ? left : left + ((width - left - right - node) * l) / (n - 1);
      const gap = Math.min(areaH / count, node * 1.7);
      const y0 = top + (areaH - gap * count) / 2 + (gap - node) / 2;
      return { x, count, nodes: Array.from({ length: count }, (_, i) => ({ x, y: y0 + i * gap, s: node })) };
    });
    const links = [];
    scene.weight_layout.layers.forEach((layer, l) => {
      const [nOut, nIn] = layer.shape;
      for (let j = 0; j < nOut; j++) {
        for (let i = 0; i < nIn; i++) {
          const a = cols[l].nodes[i], b = cols[l + 1].nodes[j];
          links.push({ l, i, j, w: layer.W + j * nIn + i, x0: a.x + a.s, y0: a.y + a.s / 2, x1: b.x, y1: b.y + b.s / 2 });
        }
      }
    });
    panel.geometry = { cols, links, node, top, dense: links.length > 600 };
  },

  paint(state) {
    const scene = state.scene, panel = state.panels.network, ctx = panel.ctx, net = panel.geometry;
    const { w: width, h: height } = state.size.network, W = state.shown.weights, n = scene.sizes.length;
    ctx.clearRect(0, 0, width, height);
    ctx.textBaseline = "alphabetic";
    ctx.textAlign = "center";
    const room = n > 1 ? (net.cols[1].x - net.cols[0].x) * 0.92 : width;
    const fit = (text) => {
      let t = text;
      while (t.length > 3 && ctx.measureText(t).width > room) t = t.slice(0, -2) + "…";
      return t;
    };
    const outputActivation = scene.output.replace(/_/g, " "), outputLoss = scene.loss.replace(/_/g, " ");
    for (let l = 0; l < n; l++) {
      const col = net.cols[l], cx = col.x + net.node / 2;
      const title = l === 0 ? "INPUT" : l === n - 1 ? "OUTPUT" : `HIDDEN ${l}`;
      ctx.font = font(700, 12);
      ctx.fillStyle = "#333";
      ctx.fillText(fit(title), cx, 16);
      ctx.font = font(0, 12);
      ctx.fillStyle = "#777";
      const sub = l === 0 ? `${col.count} feature${col.count > 1 ? "s" : ""}` : l === n - 1 ? outputActivation : `${col.count} · ${scene.activation.replace(/_/g, " ")}`;
      ctx.fillText(fit(sub), cx, 31);
      if (l === n - 1) ctx.fillText(fit(outputLoss), cx, 45);
    }
    ctx.textAlign = "left";
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
    }
    ctx.font = font(600, 13);
    ctx.fillStyle = "#333";
    ctx.textBaseline = "middle";
    const inputs = net.cols[0], outputs = net.cols[n - 1], names = outputNames(scene);
    ctx.textAlign = "right";
    inputs.nodes.forEach((p, i) => ctx.fillText(short(scene.feature_names[i], 18), p.x - 8, p.y + p.s / 2));
    ctx.textAlign = "left";
    outputs.nodes.forEach((p, i) => {
      if (p.s >= 8 || i % 2 === 0) ctx.fillText(short(names[i], 18), p.x + p.s + 8, p.y + p.s / 2);
    });
  },

  // A neuron (its layer l and index i) or a link under the pointer: highlighted, and a tooltip.
  hover(state, x, y) {
    const net = state.panels.network.geometry;
    if (!state.scene || !net || !state.shown) return undefined;
    let hit = null;
    net.cols.forEach((col, l) => col.nodes.forEach((p, i) => {
      if (x >= p.x - 3 && x <= p.x + p.s + 3 && y >= p.y - 3 && y <= p.y + p.s + 3) hit = { l, i };
    }));
    if (!hit && !net.dense && state.shown.weights) {
      let best = 5;
      for (const link of net.links) {
        const d = linkDistance(link, x, y);
        if (d < best) { best = d; hit = { link }; }
      }
    }
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

function outputNames(scene) {
  return scene.sizes[scene.sizes.length - 1] === 1 ? [`P(${scene.class_names[1]})`] : scene.class_names;
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
  const scene = state.scene, W = state.shown.weights, n = scene.sizes.length;
  const name = (l, i) => (l === 0 ? scene.feature_names[i] : l === n - 1 ? (scene.sizes[l] === 1 ? "output" : scene.class_names[i]) : `H${l}.${i + 1}`);
  if (hit.link) {
    const link = hit.link;
    return [["weight ", bold(fmt(W[link.w]))], [`${name(link.l, link.i)} → ${name(link.l + 1, link.j)}`]];
  }
  if (hit.l === 0) return [["input ", bold(scene.feature_names[hit.i])]];
  const bias = W ? W[scene.weight_layout.layers[hit.l - 1].b + hit.i] : null;
  const what = hit.l === n - 1
    ? `output ${name(hit.l, hit.i)} (${scene.output} · ${scene.loss})`
    : `hidden layer ${hit.l}, neuron ${hit.i + 1} (${scene.activation})`;
  return [[what], ["bias ", bold(fmt(bias))]];
}
