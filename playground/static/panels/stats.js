// Panel: the stats bar (epoch, losses, accuracies) and the paused / training / diverged pill.

registerPanel({
  name: "stats",

  build(state, slot) {
    const stat = (id, caption, big) => {
      const box = el("div", "nnpg-stat" + (big ? " nnpg-big" : ""), slot);
      el("div", "nnpg-k", box, caption);
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
    state.panels.stats = dom;
  },

  paint(state) {
    const frame = state.shown, dom = state.panels.stats;
    const set = (node, text) => { if (node.textContent !== text) node.textContent = text; };
    set(dom.epoch, epochDigits(frame.epoch));
    set(dom.trainLoss, fmt(frame.train_loss));
    set(dom.testLoss, fmt(frame.test_loss));
    set(dom.trainAccuracy, pct(frame.train_accuracy));
    set(dom.testAccuracy, pct(frame.test_accuracy));
    counters.epoch = frame.epoch;
    counters.loss = frame.train_loss;
    counters.testLoss = frame.test_loss;
    const status = state.message ? "diverged" : state.playing ? "training" : "paused";
    set(dom.pill, status === "training" ? "● training" : status === "diverged" ? "diverged" : "❚❚ paused");
    dom.pill.dataset.state = status;
  },
});
