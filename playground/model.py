"""One learner's model: the data, network and trainer that the engine builds from the configs.

Moving a control re-applies the configs: new data or a new network when those parts changed,
otherwise the trainer takes the new settings and the weights stay. ``run`` counts the networks
built, so that what draws the model can tell a new one from a trained one.  Points clicked in or
out are kept as edits (``point_edits``) and replayed whenever the same dataset is built again."""

from __future__ import annotations

from engine import Network, Trainer, load_dataset
from engine.evaluation import first_row
from engine.features import INPUTS, check_plane
from engine.heads import output_units

from . import frames, point_edits
from .config import DataConfig, NetConfig, TrainConfig
from .user_data import NoRows

HISTORY_KEPT = 1000  # rows of trainer.history kept; the curve has what we show


def load_data(cfg: DataConfig):
    """The dataset and the two features of its plane (column indices in the returned data)."""
    if cfg.source is not None:  # the learner's own data (user_data.UserData)
        data = cfg.source.dataset(cfg.n_samples, cfg.test_fraction, cfg.seed)
    else:
        data = load_dataset(cfg.name, n_samples=cfg.n_samples, noise=cfg.noise,
                            test_fraction=cfg.test_fraction, seed=cfg.seed)
    if data.n_features > 2 and not cfg.all_features:
        return data.select(cfg.plane), (0, 1)
    return data, cfg.plane if data.n_features > 2 else (0, 1)


def network(data, cfg: NetConfig) -> Network:
    """The network ``cfg`` describes, for ``data``: its input features, hidden layers and head (an
    identity output for a regression target, learnt standardised: the data's target mean and
    scale).  No input feature chosen is a ValueError."""
    if not cfg.inputs:
        raise ValueError(f"Choose at least one input feature ({', '.join(INPUTS[name].label for name in INPUTS)}); "
                         "the network keeps the inputs it has.")
    inputs = cfg.feature_map
    if inputs is not None:
        check_plane(inputs, data.n_features, data.name)
    sizes = [data.n_features if inputs is None else len(inputs), *cfg.hidden, output_units(cfg.head, data.n_classes)]
    target = {"target_mean": data.target_mean, "target_scale": data.target_scale} if data.n_classes == 0 else {}
    return Network(sizes, activation=cfg.activation, output=cfg.output, loss=cfg.loss, init=cfg.init, bias=cfg.bias,
                   seed=cfg.seed, inputs=inputs, task=data.task, **target)


def trainer_for(net, data, cfg: TrainConfig, seed: int):
    """The engine's Trainer; for data without training rows (a blank plane before its first
    point) one that waits for them (user_data.NoRows)."""
    if not len(data.y_train):
        return NoRows(cfg.lr, cfg.optimizer, cfg.batch_size, cfg.l1, cfg.l2)
    return Trainer(net, data, lr=cfg.lr, optimizer=cfg.optimizer, batch_size=cfg.batch_size, l1=cfg.l1,
                   l2=cfg.l2, seed=seed)


def _dataset_key(data_cfg: DataConfig, data) -> tuple:
    """What clicked points belong to: the dataset menu's entry, the learner's own file, the columns."""
    return data_cfg.name, data_cfg.source, tuple(data.feature_names)


class Model:
    def __init__(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig,
                 clicked: tuple[point_edits.PointEdit, ...] = ()):
        """``clicked``: the points clicked on this same data by the model this one replaces (an
        imported network's), replayed on it."""
        self.run = 0
        self.edits = 0  # changes of the data that kept the network (points added or removed)
        self.message: str | None = None
        self.notice: str | None = None  # one line about the data: the clicked points a dataset switch dropped
        self.point_edits: list[point_edits.PointEdit] = list(clicked)  # the points clicked in and out, in order
        self.data_cfg = data_cfg
        data, self.features = load_data(data_cfg)
        self.data = point_edits.replay(data, self.point_edits)
        self.build(net_cfg, train_cfg)

    def build(self, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        """A new network and trainer (same seed -> same starting weights)."""
        data = self.data
        net = network(data, net_cfg)
        self.net, self.trainer = net, trainer_for(net, data, train_cfg, net_cfg.seed)
        self.net_cfg, self.train_cfg = net_cfg, train_cfg
        self.row = first_row(net, data)
        self.curve = frames.Curve(self.row)
        self.message = None
        self.run += 1

    def apply(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        """New data or network when those parts changed; otherwise keep the weights.  Settings the
        engine refuses (a ValueError that says why) leave the model as it was."""
        if data_cfg != self.data_cfg:
            data, features = load_data(data_cfg)
            network(data, net_cfg)  # refused here, before anything changes
            data = self._carry_edits(data_cfg, data)
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

    def _carry_edits(self, data_cfg: DataConfig, data):
        """The rebuilt ``data`` with the clicked points replayed when it is the same dataset (its menu
        entry, file and feature columns); otherwise the edits are dropped and ``notice`` says so."""
        self.notice = None
        if not self.point_edits:
            return data
        if _dataset_key(data_cfg, data) == _dataset_key(self.data_cfg, self.data):
            return point_edits.replay(data, self.point_edits)
        self.notice = point_edits.dropped_notice(self.point_edits, self.data.name)
        self.point_edits = []
        return data

    def edit_data(self, data, edit: point_edits.PointEdit | None = None) -> None:
        """The same network on changed data (points added or removed, the standardisation kept):
        the weights, the epoch count and the curve stay; a new trainer reads the new rows.  ``edit``
        (the click that made ``data``) is kept, to be replayed when the dataset is built again."""
        if edit is not None:
            self.point_edits.append(edit)
        old = self.trainer
        trainer = trainer_for(self.net, data, self.train_cfg, self.net_cfg.seed)
        trainer.epoch, trainer.history = old.epoch, old.history
        self.data, self.trainer = data, trainer
        self.message = self.notice = None
        self.edits += 1

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
        return self._record(self.trainer.run(epochs=epochs, seconds=seconds))

    def train_batches(self, count: int | None = None, seconds: float | None = None) -> list[dict]:
        """Up to ``count`` mini-batch updates and/or ``seconds``, continuing the epoch in progress
        (``Trainer.train_batches``): a frame may show part of an epoch; recorded as ``train``."""
        return self._record(self.trainer.train_batches(count=count, seconds=seconds))

    def _record(self, rows: list[dict]) -> list[dict]:
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
