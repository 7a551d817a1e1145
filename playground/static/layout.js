// The layout: where each panel sits and how big it is. Panels register themselves (one file each
// in static/panels/); this file places them by name.
//
//   bar   the stats across the top
//   main  the network diagram, left, as wide as the side column leaves
//   side  the boundary (square, with its legend) and under it the cost curve

const PANELS = {};

// A panel: { name, and optional hooks:
//   build(state, slot)   once per mount: its DOM in its slot; keeps what it needs in
//                        state.panels[name] (its canvas as .canvas, for hover)
//   resize(state)        the sizes changed (state.size[name] is its { w, h })
//   scene(state)         a new network or view (state.scene)
//   receive(state, batch, newRun)   every payload: batch.header, batch.sections by name
//   arrange(state)       geometry that needs both the size and the scene
//   paint(state)         every shown frame (state.shown), and repaints after a hover
//   hover(state, x, y)   -> tooltip lines (see hover.js); leave(state) }
function registerPanel(panel) {
  PANELS[panel.name] = panel;
}

const LAYOUT = { bar: ["stats"], main: ["network"], side: ["boundary", "curve"] };

// The panels in layout order (bar, main, side), listed once: every panel file has registered
// by the time the first payload arrives.
let panelsInOrder = null;
function panelsInLayout() {
  return panelsInOrder || (panelsInOrder = Object.values(LAYOUT).flat().map((name) => PANELS[name]));
}

function buildLayout(state, parent) {
  const root = el("div", "nnpg", parent);
  root.id = "nnpg-root";
  root.dataset.testid = "nnpg-root";
  const bar = el("div", "nnpg-bar", root);
  const body = el("div", "nnpg-body", root);
  const slots = { bar, main: el("div", "nnpg-netbox", body), side: el("div", "nnpg-out", body) };
  state.dom = { root, tip: null };
  state.panels = {};
  for (const [slot, names] of Object.entries(LAYOUT)) {
    for (const name of names) PANELS[name].build(state, slots[slot]);
  }
  state.dom.tip = el("div", "nnpg-tip", root);
}

// The sizes of the panels for the element's current width (CSS pixels). Wide: the diagram on the
// left, the boundary and the curve in a column on the right. Narrow (a phone): one column, the
// boundary first, then the curve, then the diagram, each as wide as the element.
const NARROW = 620;

function measure(state) {
  const width = Math.max(280, state.dom.root.clientWidth);
  const narrow = width < NARROW;
  state.dom.root.classList.toggle("nnpg-narrow", narrow);
  if (narrow) {
    const side = Math.min(width, 460);
    return {
      network: { w: width, h: Math.round(clamp(width * 1.05, 320, 480)) },
      boundary: { w: side, h: side },
      curve: { w: width, h: Math.round(clamp(width * 0.62, 220, 280)) },
    };
  }
  // The boundary and the curve under it fit the window's height (a 1920x1080 projector, presenter mode).
  // Where they cannot (a short screen: a 1280x720 projector in presenter mode), the curve moves beside
  // the boundary ("row": diagram | boundary | curve) when that gives the boundary more room.
  const curveOf = (side) => Math.round(clamp(side * 0.55, 200, 250));
  const root = state.dom.root, top = clamp(root.getBoundingClientRect().top, 0, 400);
  const fits = (window.innerHeight - top) / SCALE - root.firstChild.offsetHeight - 24 - 40;
  let sideW = Math.round(clamp(width * 0.36, 300, 470));
  if (sideW + curveOf(sideW) > fits) sideW = Math.round(Math.max(260, fits - curveOf(sideW)));
  const rowSide = Math.round(Math.min(fits, (width - 40 - 360) / 2, 470));  // the diagram keeps 360 (6 x 64 fits)
  const row = sideW + curveOf(sideW) > fits && rowSide > fits - curveOf(rowSide) && rowSide >= 200;
  root.classList.toggle("nnpg-row", row);
  if (row) {
    return {
      network: { w: width - 2 * rowSide - 40, h: rowSide + 34 + 6 },
      boundary: { w: rowSide, h: rowSide },
      curve: { w: rowSide, h: rowSide },
    };
  }
  const curveH = curveOf(sideW);
  const height = sideW + 34 + 6 + curveH;
  return {
    network: { w: width - sideW - 20, h: height },
    boundary: { w: sideW, h: sideW },
    curve: { w: sideW, h: curveH },
  };
}

function layout(state) {
  state.size = measure(state);
  for (const panel of panelsInLayout()) if (panel.resize) panel.resize(state);
  if (state.scene) for (const panel of panelsInLayout()) if (panel.arrange) panel.arrange(state);
  state.dirty = true;
}

// A canvas panel's canvas, with the id and data-testid tests look for.
function panelCanvas(cls, slot, id) {
  const canvas = el("canvas", cls, slot);
  canvas.id = id;
  canvas.dataset.testid = id;
  return canvas;
}

// Text on a canvas, its box kept in `boxes` (canvas CSS pixels, from the text's own extent at
// the context's font, alignment and baseline) for window.__nnpg.textBoxes().
function putText(ctx, boxes, text, x, y) {
  ctx.fillText(text, x, y);
  const m = ctx.measureText(text);
  boxes.push({ text, font: ctx.font, x0: x - m.actualBoundingBoxLeft, y0: y - m.actualBoundingBoxAscent,
    x1: x + m.actualBoundingBoxRight, y1: y + m.actualBoundingBoxDescent });
}

// Every text box of the live view in page pixels: what each canvas panel last drew (its
// textBoxes) and the panels' buttons, each with the box of the canvas it belongs to.
function pageTextBoxes() {
  const root = document.getElementById("nnpg-root"), state = root && root.__nnpgState;
  if (!state) return [];
  const out = [];
  for (const panel of panelsInLayout()) {
    const own = state.panels[panel.name];
    if (own && own.textNodes && panel.textArea) out.push(...domTextBoxes(panel, own.textNodes, panel.textArea(state)));
    if (!own || !own.canvas || !own.textBoxes) continue;
    const r = own.canvas.getBoundingClientRect(), k = r.width / (parseFloat(own.canvas.style.width) || r.width);
    const canvas = { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    for (const b of own.textBoxes) {
      out.push({ panel: panel.name, text: b.text, font: b.font, canvas,
        x0: r.left + b.x0 * k, y0: r.top + b.y0 * k, x1: r.left + b.x1 * k, y1: r.top + b.y1 * k });
    }
    for (const node of root.querySelectorAll(`[data-panel="${panel.name}"] button, [data-panel="${panel.name}"] .nnpg-layers-count`)) {
      const b = node.getBoundingClientRect();
      out.push({ panel: panel.name, text: node.textContent, canvas, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom });
    }
  }
  return out;
}
// A panel's HTML texts (the legend's names, the stats) in page pixels, with the area they must stay in
// as their "canvas", how many lines each takes and whether it is cut (an ellipsis: its full text on hover).
function domTextBoxes(panel, nodes, area) {
  return nodes.filter((node) => node.isConnected).map((node) => {
    const b = node.getBoundingClientRect(), style = getComputedStyle(node);
    const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    const frame = ["paddingTop", "paddingBottom", "borderTopWidth", "borderBottomWidth"].reduce((sum, k) => sum + parseFloat(style[k]), 0);
    return { panel: panel.name, text: node.textContent, canvas: area, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom,
      lines: Math.round((b.height - frame) / line), cut: node.scrollWidth > node.clientWidth + 0.5, title: node.title || null };
  });
}
Object.defineProperty(counters, "textBoxes", { value: pageTextBoxes, configurable: true });
