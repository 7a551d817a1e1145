// Hover: each panel that has a hover(state, x, y) gets its canvas's mouse events; what it returns
// is the tooltip: undefined leaves it as it is, null hides it, a list of lines shows it. A line is
// a list of pieces, a string or bold(text), and becomes text nodes and <b> elements: names that
// come from the data (class and feature names) are never read as HTML.

const bold = (text) => ({ bold: String(text) });

function hookHover(state) {
  for (const panel of panelsInLayout()) {
    if (!panel.hover) continue;
    const canvas = state.panels[panel.name].canvas;
    canvas.addEventListener("mousemove", (event) => {
      const box = canvas.getBoundingClientRect();
      const lines = panel.hover(state, (event.clientX - box.left) / SCALE, (event.clientY - box.top) / SCALE);
      if (lines !== undefined) showTip(state, event, lines);
    });
    canvas.addEventListener("mouseleave", () => {
      if (panel.leave) panel.leave(state);
      state.dom.tip.style.display = "none";
    });
  }
}

function showTip(state, event, lines) {
  const tip = state.dom.tip;
  if (!lines) { tip.style.display = "none"; return; }
  fillTip(tip, lines);
  tip.style.display = "block";
  const box = state.dom.root.getBoundingClientRect();  // viewport pixels; the tip sits in zoomed ones
  const width = box.width / SCALE, height = box.height / SCALE;
  const x = (event.clientX - box.left) / SCALE + 14, y = (event.clientY - box.top) / SCALE + 14;
  tip.style.left = Math.min(x, width - tip.offsetWidth - 4) + "px";
  tip.style.top = (y + tip.offsetHeight > height ? y - tip.offsetHeight - 24 : y) + "px";
}

function fillTip(tip, lines) {
  tip.textContent = "";
  lines.forEach((line, i) => {
    if (i) tip.appendChild(document.createElement("br"));
    for (const piece of line) {
      if (typeof piece === "string") tip.appendChild(document.createTextNode(piece));
      else el("b", "", tip, piece.bold);
    }
  });
}

// Distance from (x, y) to a link drawn as a cubic Bezier from (x0, y0) to (x1, y1) with both
// control points at the middle x (as the network panel draws it), over 12 straight pieces.
function linkDistance(link, x, y) {
  if (x < link.x0 - 2 || x > link.x1 + 2) return Infinity;
  const mx = (link.x0 + link.x1) / 2;
  let best = Infinity, px = link.x0, py = link.y0;
  for (let s = 1; s <= 12; s++) {
    const t = s / 12, u = 1 - t;
    const bx = u * u * u * link.x0 + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * link.x1;
    const by = u * u * u * link.y0 + 3 * u * u * t * link.y0 + 3 * u * t * t * link.y1 + t * t * t * link.y1;
    best = Math.min(best, segmentDistance(x, y, px, py, bx, by));
    px = bx; py = by;
  }
  return best;
}

function segmentDistance(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay, length2 = dx * dx + dy * dy;
  const t = length2 ? clamp(((x - ax) * dx + (y - ay) * dy) / length2, 0, 1) : 0;
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}
