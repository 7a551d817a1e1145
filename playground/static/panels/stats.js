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
    state.panels.stats = dom;
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
    // a regression's MSE of a good fit is small: two significant digits, never "0.000"
    const small = (v) => (v != null && isFinite(v) && v !== 0 && Math.abs(v) < 0.1 ? v.toPrecision(2) : fmt(v));
    const loss = (v) => (figures.percent ? fmt(v) : small(v)), score = (v) => (figures.percent ? pct(v) : fmt(v));
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
