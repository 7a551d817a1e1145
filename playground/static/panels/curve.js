// Panel: the cost curve. Train and test loss (solid, left axis) and accuracy (dashed, right axis)
// (for a regression MSE and R²: the header's "figures" name the columns and their labels)
// from the thinned history the server sends with each batch, plus the frames shown since.

registerPanel({
  name: "curve",

  build(state, slot) {
    state.panels.curve = {
      canvas: panelCanvas("nnpg-curve", slot, "nnpg-curve"), hoverX: null, pick: null,
      history: [], columns: [], tail: [],
    };
  },

  // The history up to the batch's first frame; the tail (frames shown since) starts again with a new run.
  receive(state, batch, newRun) {
    const panel = state.panels.curve;
    panel.history = tableRows(batch, "history");
    panel.columns = batch.header.sections.history.columns;
    if (newRun) panel.tail = [];
  },

  resize(state) {
    const panel = state.panels.curve, { w, h } = state.size.curve;
    panel.ctx = fitCanvas(panel.canvas, w, h);
  },

  paint(state) {
    const panel = state.panels.curve, ctx = panel.ctx, { w: width, h: height } = state.size.curve;
    const frame = state.shown, tail = panel.tail;
    if (frame && (!tail.length || tail[tail.length - 1].epoch < frame.epoch)) tail.push(curveRow(frame, panel.columns));
    const rows = curveRows(panel, frame ? frame.epoch : 0);
    ctx.clearRect(0, 0, width, height);
    const padL = 34, padR = 34, padT = 20, padB = 16;
    const plotW = width - padL - padR, plotH = height - padT - padB;
    const maxEpoch = Math.max(1, rows.length ? rows[rows.length - 1].epoch : 1);
    let maxLoss = 0;
    const F = state.scene.figures, lossOf = (r, split) => r[`${split}_${F.loss}`];
    for (const r of rows) for (const v of [lossOf(r, "train"), lossOf(r, "test")]) if (isFinite(v)) maxLoss = Math.max(maxLoss, v);
    maxLoss = maxLoss > 0 ? niceMax(maxLoss) : 1;
    const X = (e) => padL + (e / maxEpoch) * plotW;
    const Y = (v) => padT + plotH - (v / maxLoss) * plotH, YA = (a) => padT + plotH - clamp(a, 0, 1) * plotH;
    ctx.fillStyle = "#fafafa";
    ctx.fillRect(padL, padT, plotW, plotH);
    ctx.strokeStyle = "#ddd";
    ctx.lineWidth = 1;
    ctx.font = font(0, 11);
    ctx.fillStyle = "#777";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const q of [0, 0.5, 1]) {
      const y = Math.round(Y(maxLoss * q)) + 0.5;
      ctx.beginPath(); ctx.moveTo(padL, y); ctx.lineTo(padL + plotW, y); ctx.stroke();
      ctx.fillText(axisNumber(maxLoss * q), padL - 4, y);
    }
    ctx.textAlign = "left";
    ctx.fillText(F.percent ? "100%" : "1", padL + plotW + 3, YA(1));
    ctx.fillText(F.percent ? "50%" : "0.5", padL + plotW + 3, YA(0.5));
    ctx.textAlign = "right";
    ctx.textBaseline = "top";
    ctx.fillText(`epoch ${maxEpoch}`, padL + plotW, padT + plotH + 3);
    ctx.textAlign = "left";
    const line = (column, color, lineWidth, dash, toY) => {
      ctx.beginPath();
      let drawing = false;
      for (const r of rows) {
        const v = r[column];
        if (!isFinite(v)) { drawing = false; continue; }
        const x = X(r.epoch), y = toY(v);
        if (drawing) ctx.lineTo(x, y); else { ctx.moveTo(x, y); drawing = true; }
      }
      ctx.setLineDash(dash);
      ctx.strokeStyle = color;
      ctx.lineWidth = lineWidth;
      ctx.stroke();
      ctx.setLineDash([]);
    };
    line(`train_${F.score}`, "rgba(120,120,120,0.55)", 1.2, [4, 3], YA);
    line(`test_${F.score}`, "rgba(20,20,20,0.55)", 1.2, [4, 3], YA);
    line(`train_${F.loss}`, "#8a8a8a", 2, [], Y);
    line(`test_${F.loss}`, "#111", 2, [], Y);
    ctx.textBaseline = "middle";
    const key = (x, color, dash, text) => {
      ctx.setLineDash(dash); ctx.strokeStyle = color; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(x, 9); ctx.lineTo(x + 16, 9); ctx.stroke(); ctx.setLineDash([]);
      ctx.fillStyle = "#444"; ctx.fillText(text, x + 20, 9);
    };
    key(padL, "#111", [], `test ${F.loss_label}`);
    key(padL + 82, "#8a8a8a", [], `train ${F.loss_label}`);
    key(padL + 170, "rgba(20,20,20,0.55)", [4, 3], F.score_label);
    panel.pick = null;
    if (panel.hoverX != null && rows.length) {
      let best = rows[0];
      const e = ((panel.hoverX - padL) / plotW) * maxEpoch;
      for (const r of rows) if (Math.abs(r.epoch - e) < Math.abs(best.epoch - e)) best = r;
      const x = X(best.epoch);
      ctx.strokeStyle = "rgba(0,0,0,0.4)";
      ctx.beginPath(); ctx.moveTo(x, padT); ctx.lineTo(x, padT + plotH); ctx.stroke();
      panel.pick = best;
    }
  },

  // The epoch nearest the pointer: a marker line, and its losses and accuracies.
  hover(state, x) {
    if (!state.shown) return undefined;
    const panel = state.panels.curve;
    panel.hoverX = x;
    this.paint(state);
    const r = panel.pick, F = state.scene.figures, score = (v) => (F.percent ? pct(v) : fmt(v));
    if (!r) return undefined;
    return [
      ["epoch ", bold(r.epoch)],
      [`train ${F.loss_label} ${fmt(r[`train_${F.loss}`])} · test ${F.loss_label} ${fmt(r[`test_${F.loss}`])}`],
      [`train ${F.score_label} ${score(r[`train_${F.score}`])} · test ${F.score_label} ${score(r[`test_${F.score}`])}`],
    ];
  },

  leave(state) {
    state.panels.curve.hoverX = null;
    state.dirty = true;
  },
});

// The history rows up to the shown epoch, then the frames shown since the history ends.
function curveRows(panel, shownEpoch) {
  const rows = [];
  let lastEpoch = -1;
  for (const row of panel.history) {
    if (row.epoch > shownEpoch) break;
    rows.push(row);
    lastEpoch = row.epoch;
  }
  panel.tail = panel.tail.filter((t) => t.epoch > lastEpoch || t.epoch === shownEpoch);
  for (const t of panel.tail) if (t.epoch > lastEpoch && t.epoch <= shownEpoch) rows.push(t);
  return rows;
}

// A frame's figures as a history row; a missing one (no test rows) as NaN, which breaks the line.
function curveRow(frame, columns) {
  const row = {};
  for (const column of columns) row[column] = frame[column] == null ? NaN : frame[column];
  return row;
}

function niceMax(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function axisNumber(v) {
  return v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
}
