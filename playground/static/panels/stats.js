// Panel: the stats bar (epoch, losses, accuracies; for a regression MSE and R², as the header's
// "figures" name them) and the paused / training / diverged pill.

registerPanel({
  name: "stats",

  build(state, slot) {
    const captions = {};
    const stat = (id, caption, big) => {
      const box = el("div", "nnpg-stat" + (big ? " nnpg-big" : ""), slot);
      captions[id] = el("div", "nnpg-k", box, caption);
      const value = el("div", "nnpg-v", box, "–");
      value.id = "nnpg-" + id;
      value.dataset.testid = "nnpg-" + id;
      return value;
    };
    const dom = {
      epoch: stat("epoch", "Epoch", true),
      trainLoss: stat("train-loss", "Train loss"),
      testLoss: stat("test-loss", "Test loss"),
      trainAccuracy: stat("train-acc", "Train accuracy"),
      testAccuracy: stat("test-acc", "Test accuracy"),
      pill: el("div", "nnpg-pill", slot, "paused"),
    };
    dom.pill.id = "nnpg-state";
    dom.captions = captions;
    dom.slot = slot;
    dom.textNodes = [...Object.values(captions), dom.epoch, dom.trainLoss, dom.testLoss, dom.trainAccuracy,
      dom.testAccuracy, dom.pill];
    state.panels.stats = dom;
  },

  // On a phone (the layout's narrow mode) the row cannot hold six boxes: a grid of three columns,
  // the epoch, train and test figures across, the state under the epoch; every value on one line.
  resize(state) {
    const dom = state.panels.stats, narrow = state.dom.root.classList.contains("nnpg-narrow");
    dom.narrow = narrow;
    Object.assign(dom.slot.style, narrow
      ? { display: "grid", gridTemplateColumns: "repeat(3, minmax(0, 1fr))", gap: "6px" }
      : { display: "", gridTemplateColumns: "", gap: "" });
    const places = [[dom.pill, 2, 1], [dom.trainAccuracy.parentNode, 2, 2], [dom.testAccuracy.parentNode, 2, 3]];
    for (const [node, row, column] of places) Object.assign(node.style, narrow ? { gridRow: row, gridColumn: column } : { gridRow: "", gridColumn: "" });
    Object.assign(dom.pill.style, narrow ? { marginLeft: "0", justifySelf: "start" } : { marginLeft: "", justifySelf: "" });
    for (const box of dom.slot.querySelectorAll(".nnpg-stat")) {
      Object.assign(box.style, narrow ? { minWidth: "0", padding: "5px 10px" } : { minWidth: "", padding: "" });
    }
    for (const caption of Object.values(dom.captions)) {
      Object.assign(caption.style, narrow ? { fontSize: "10.5px", letterSpacing: "0.02em", whiteSpace: "nowrap" }
        : { fontSize: "", letterSpacing: "", whiteSpace: "" });
    }
    for (const value of [dom.trainLoss, dom.testLoss, dom.trainAccuracy, dom.testAccuracy]) value.style.fontSize = narrow ? "20px" : "";
    dom.epoch.style.fontSize = narrow ? "19px" : "";
  },

  // Where the stats' texts must stay (window.__nnpg.textBoxes()): one row as tall as its tallest box;
  // on a phone, the grid.
  textArea(state) {
    const dom = state.panels.stats, r = dom.slot.getBoundingClientRect();
    const tallest = Math.max(...[...dom.slot.children].map((child) => child.getBoundingClientRect().height));
    return { x0: r.left, y0: r.top, x1: r.right, y1: dom.narrow ? r.bottom : r.top + tallest };
  },

  // The captions name the task's figures: loss and accuracy, or MSE and R².
  scene(state) {
    const figures = state.scene.figures, captions = state.panels.stats.captions;
    const named = { "train-loss": `Train ${figures.loss_label}`, "test-loss": `Test ${figures.loss_label}`,
      "train-acc": `Train ${figures.score_label}`, "test-acc": `Test ${figures.score_label}` };
    for (const [id, text] of Object.entries(named)) captions[id].textContent = text;
  },

  paint(state) {
    const frame = state.shown, dom = state.panels.stats, figures = state.scene.figures;
    const set = (node, text) => { if (node.textContent !== text) node.textContent = text; };
    // a regression's MSE may be 2.5e9 (prices) or 0.0021 (a good fit), its R² -0.0321: every figure in a few
    // characters (compact), so that the row never wraps; a classifier's loss as before up to 10
    const loss = (v) => (figures.percent && Math.abs(v) < 10 ? fmt(v) : compact(v));
    const score = (v) => (figures.percent ? pct(v) : compact(v));
    set(dom.epoch, epochDigits(frame.epoch));
    set(dom.trainLoss, loss(frame["train_" + figures.loss]));
    set(dom.testLoss, loss(frame["test_" + figures.loss]));
    set(dom.trainAccuracy, score(frame["train_" + figures.score]));
    set(dom.testAccuracy, score(frame["test_" + figures.score]));
    counters.epoch = frame.epoch;
    counters.loss = frame.train_loss;
    counters.testLoss = frame.test_loss;
    const status = state.message ? "diverged" : state.playing ? "training" : "paused";
    set(dom.pill, status === "training" ? "● training" : status === "diverged" ? "diverged" : "❚❚ paused");
    dom.pill.dataset.state = status;
  },
});
