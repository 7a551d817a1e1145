// Panel: the cost curve, legible at the back of a room: two plots over the same epochs, the loss
// above (for a regression the MSE) and the score under it on its own axis (accuracy, or R²; the
// header's "figures" name the columns and their labels). Train is a solid line, test a dashed one
// in another colour; the legend has an entry for each. From the thinned history the server sends
// with each batch, plus the frames shown since. Every text is kept for window.__nnpg.textBoxes().

const CURVE = { font: 13, legendH: 20, titleH: 18, axisH: 18, lossShare: 0.6 };
const SPLITS = [  // how each split is drawn: colour (ink, vermillion) and dash
  { split: "train", rgb: () => INK_RGB, dash: [], width: 2.2 },
  { split: "test", rgb: () => [213, 94, 0], dash: [7, 4], width: 2.2 },
];

registerPanel({
  name: "curve",

  build(state, slot) {
    state.panels.curve = {
      canvas: panelCanvas("nnpg-curve", slot, "nnpg-curve"), hoverX: null, pick: null,
      history: [], columns: [], tail: [], textBoxes: [],
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
    const frame = state.shown, tail = panel.tail, F = state.scene.figures;
    if (frame && (!tail.length || tail[tail.length - 1].epoch < frame.epoch)) tail.push(curveRow(frame, panel.columns));
    const rows = curveRows(panel, frame ? frame.epoch : 0);
    const boxes = (panel.textBoxes = []);
    ctx.clearRect(0, 0, width, height);
    ctx.font = font(0, CURVE.font);
    let maxLoss = 0;
    for (const r of rows) for (const { split } of SPLITS) if (isFinite(r[`${split}_${F.loss}`])) maxLoss = Math.max(maxLoss, r[`${split}_${F.loss}`]);
    maxLoss = maxLoss > 0 ? niceMax(maxLoss) : 1;
    const scoreText = (v) => (F.percent ? `${Math.round(100 * v)}%` : String(v));
    const padL = Math.ceil(Math.max(...[maxLoss, maxLoss / 2, 0].map((v) => ctx.measureText(axisNumber(v)).width),
      ...[0, 1].map((v) => ctx.measureText(scoreText(v)).width))) + 10, padR = 12;
    const plotW = width - padL - padR, plotsH = height - CURVE.legendH - 2 * CURVE.titleH - CURVE.axisH + 8;
    const loss = { top: CURVE.legendH + 4, h: Math.round(plotsH * CURVE.lossShare) };
    const score = { top: loss.top + loss.h + CURVE.titleH, h: plotsH - loss.h };
    const maxEpoch = Math.max(1, rows.length ? rows[rows.length - 1].epoch : 1);
    const X = (e) => padL + (e / maxEpoch) * plotW;
    loss.Y = (v) => loss.top + loss.h - (v / maxLoss) * loss.h;
    score.Y = (v) => score.top + score.h - clamp(v, 0, 1) * score.h;
    // The titles, the legend, the axes.
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    ctx.fillStyle = "#333";
    ctx.font = font(700, CURVE.font);
    putText(ctx, boxes, F.loss_label, padL, CURVE.legendH / 2 + 1);
    putText(ctx, boxes, F.score_label, padL, score.top - CURVE.titleH / 2);
    ctx.font = font(0, CURVE.font);
    let x = width - padR;
    for (const { split, rgb: colour, dash, width: lineWidth } of [...SPLITS].reverse()) {
      x -= ctx.measureText(split).width;
      ctx.fillStyle = "#333";
      putText(ctx, boxes, split, x, CURVE.legendH / 2 + 1);
      x -= 30;
      ctx.setLineDash(dash); ctx.strokeStyle = rgb(colour()); ctx.lineWidth = lineWidth;
      ctx.beginPath(); ctx.moveTo(x, CURVE.legendH / 2 + 1); ctx.lineTo(x + 24, CURVE.legendH / 2 + 1); ctx.stroke();
      ctx.setLineDash([]);
      x -= 14;
    }
    const grid = (plot, values, text) => {
      ctx.fillStyle = "#fafafa";
      ctx.fillRect(padL, plot.top, plotW, plot.h);
      ctx.strokeStyle = "#ddd";
      ctx.lineWidth = 1;
      ctx.fillStyle = "#555";
      ctx.textAlign = "right";
      for (const v of values) {
        const y = Math.round(plot.Y(v)) + 0.5;
        ctx.beginPath(); ctx.moveTo(padL, y); ctx.lineTo(padL + plotW, y); ctx.stroke();
        putText(ctx, boxes, text(v), padL - 5, y);
      }
    };
    grid(loss, [0, maxLoss / 2, maxLoss], axisNumber);
    grid(score, score.h >= 4 * CURVE.font ? [0, 0.5, 1] : [0, 1], scoreText);
    ctx.textBaseline = "top";
    ctx.fillStyle = "#555";
    ctx.textAlign = "left";
    putText(ctx, boxes, "0", padL, score.top + score.h + 4);
    ctx.textAlign = "right";
    putText(ctx, boxes, `epoch ${maxEpoch}`, padL + plotW, score.top + score.h + 4);
    // The lines: the loss's and the score's, train then test.
    const line = (column, plot, colour, lineWidth, dash) => {
      ctx.beginPath();
      let drawing = false;
      for (const r of rows) {
        const v = r[column];
        if (!isFinite(v)) { drawing = false; continue; }
        const px = X(r.epoch), py = plot.Y(v);
        if (drawing) ctx.lineTo(px, py); else { ctx.moveTo(px, py); drawing = true; }
      }
      ctx.setLineDash(dash);
      ctx.strokeStyle = colour;
      ctx.lineWidth = lineWidth;
      ctx.stroke();
      ctx.setLineDash([]);
    };
    for (const { split, rgb: colour, dash, width: lineWidth } of SPLITS) {
      line(`${split}_${F.loss}`, loss, rgb(colour()), lineWidth, dash);
      line(`${split}_${F.score}`, score, rgb(colour()), lineWidth, dash);
    }
    panel.pick = null;
    panel.plot = { left: padL, width: plotW };
    if (panel.hoverX != null && rows.length) {
      let best = rows[0];
      const e = ((panel.hoverX - padL) / plotW) * maxEpoch;
      for (const r of rows) if (Math.abs(r.epoch - e) < Math.abs(best.epoch - e)) best = r;
      const px = Math.round(X(best.epoch)) + 0.5;
      ctx.strokeStyle = "rgba(0,0,0,0.45)";
      ctx.lineWidth = 1;
      for (const plot of [loss, score]) {
        ctx.beginPath(); ctx.moveTo(px, plot.top); ctx.lineTo(px, plot.top + plot.h); ctx.stroke();
      }
      panel.pick = best;
    }
  },

  // The epoch nearest the pointer: a marker line, and its figures.
  hover(state, x) {
    if (!state.shown) return undefined;
    const panel = state.panels.curve;
    panel.hoverX = x;
    this.paint(state);
    const r = panel.pick, F = state.scene.figures, score = (v) => (F.percent ? pct(v) : compact(v));
    if (!r) return undefined;
    return [
      ["epoch ", bold(r.epoch)],
      [`train ${F.loss_label} ${compact(r[`train_${F.loss}`])} · test ${F.loss_label} ${compact(r[`test_${F.loss}`])}`],
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

function axisNumber(v) {  // a regression's MSE of prices: 6e9, not 6000000000
  if (v >= 1e4) return v.toExponential().replace("e+", "e");
  return v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
}
