"""One learner's model: the data, network and trainer that the engine builds from the configs.

Moving a control re-applies the configs: new data or a new network when those parts changed,
otherwise the trainer takes the new settings and the weights stay. ``run`` counts the networks
built, so that what draws the model can tell a new one from a trained one."""

from __future__ import annotations

from engine import Network, Trainer, load_dataset
from engine.evaluation import first_row
from engine.heads import output_units

from . import frames
from .config import DataConfig, NetConfig, TrainConfig

HISTORY_KEPT = 1000  # rows of trainer.history kept; the curve has what we show


def load_data(cfg: DataConfig):
    """The dataset and the two features of its plane (column indices in the returned data)."""
    data = load_dataset(cfg.name, n_samples=cfg.n_samples, noise=cfg.noise,
                        test_fraction=cfg.test_fraction, seed=cfg.seed)
    if data.n_features > 2 and not cfg.all_features:
        return data.select(cfg.plane), (0, 1)
    return data, cfg.plane if data.n_features > 2 else (0, 1)


class Model:
    def __init__(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig):
        self.run = 0
        self.message: str | None = None
        self.data_cfg = data_cfg
        self.data, self.features = load_data(data_cfg)
        self.build(net_cfg, train_cfg)

    def build(self, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        """A new network and trainer (same seed -> same starting weights)."""
        data = self.data
        sizes = [data.n_features, *net_cfg.hidden, output_units(net_cfg.head, data.n_classes)]
        net = Network(sizes, activation=net_cfg.activation, output=net_cfg.output, loss=net_cfg.loss,
                      init=net_cfg.init, seed=net_cfg.seed)
        trainer = Trainer(net, data, lr=train_cfg.lr, optimizer=train_cfg.optimizer,
                          batch_size=train_cfg.batch_size, l1=train_cfg.l1, l2=train_cfg.l2, seed=net_cfg.seed)
        self.net, self.trainer = net, trainer
        self.net_cfg, self.train_cfg = net_cfg, train_cfg
        self.row = first_row(net, data)
        self.curve = frames.Curve(self.row)
        self.message = None
        self.run += 1

    def apply(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        """New data or network when those parts changed; otherwise keep the weights."""
        if data_cfg != self.data_cfg:
            data, features = load_data(data_cfg)
            self.data_cfg, self.data, self.features = data_cfg, data, features
            self.build(net_cfg, train_cfg)
        elif net_cfg != self.net_cfg:
            self.build(net_cfg, train_cfg)
        elif train_cfg != self.train_cfg:
            trainer, old = self.trainer, self.train_cfg
            trainer.lr, trainer.batch_size = train_cfg.lr, train_cfg.batch_size
            trainer.l1, trainer.l2 = train_cfg.l1, train_cfg.l2
            if train_cfg.optimizer != old.optimizer:
                trainer.optimizer = train_cfg.optimizer
            self.train_cfg = train_cfg

    def rebuild(self) -> None:
        """Fresh weights from the same seed."""
        self.build(self.net_cfg, self.train_cfg)

    # ---- training --------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def diverged(self) -> bool:
        return self.trainer.diverged is not None

    def train(self, epochs: int | None = None, seconds: float | None = None) -> list[dict]:
        """Up to ``epochs`` epochs and/or ``seconds``; the rows join the curve; a divergence
        becomes the message."""
        rows = self.trainer.run(epochs=epochs, seconds=seconds)
        for row in rows:
            self.curve.add(row)
        if rows:
            self.row = rows[-1]
        history = self.trainer.history
        if len(history) > 2 * HISTORY_KEPT:
            del history[:-HISTORY_KEPT]
        if self.trainer.diverged:
            self.message = self.trainer.diverged.message
        return rows
