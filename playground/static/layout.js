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

// The sizes of the panels for the element's current width (CSS pixels).
function measure(state) {
  const width = Math.max(480, state.dom.root.clientWidth);
  const sideW = Math.round(clamp(width * 0.36, 260, 470));
  const curveH = Math.round(clamp(sideW * 0.34, 100, 150));
  const height = sideW + 34 + curveH + 12;
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
