"""What the model and the view are built from: four frozen configs, one per part that a control
changes.  A changed DataConfig or NetConfig means a new network; a changed TrainConfig keeps the
weights; a ViewConfig changes only the picture.  Streamlit-free: settings.py builds them from the
controls' values."""

from __future__ import annotations

from dataclasses import dataclass

from engine.features import PLAIN_INPUTS


@dataclass(frozen=True)
class DataConfig:
    name: str = "moons"
    n_samples: int = 200
    noise: float = 0.2  # absolute, in the dataset's units
    test_fraction: float = 0.3
    seed: int = 0
    plane: tuple[int, int] = (0, 1)  # feature indices of the plane's axes
    all_features: bool = False
    source: object = None  # the learner's own data (user_data.UserData, equal only to itself); None: built in


@dataclass(frozen=True)
class NetConfig:
    hidden: tuple[int, ...] = (8,)
    activation: str = "tanh"
    head: str = "sigmoid:log_loss"
    init: str = "xavier"
    seed: int = 0
    inputs: tuple[str, ...] = PLAIN_INPUTS  # input features (engine.features.INPUTS) of the plane's x1, x2
    bias: bool = True  # layers with biases

    @property
    def feature_map(self) -> tuple[str, ...] | None:
        """What the engine's ``inputs=`` takes: None for the plain coordinates, so that a network on
        x1, x2 is the one it always was (and data with more features keeps all of them)."""
        return None if self.inputs == PLAIN_INPUTS else self.inputs

    @property
    def output(self) -> str:
        return self.head.split(":")[0]

    @property
    def loss(self) -> str:
        return self.head.split(":")[1]


@dataclass(frozen=True)
class TrainConfig:
    lr: float = 0.3
    optimizer: str = "sgd"
    batch_size: int | None = None
    reg: str = "none"
    reg_rate: float = 0.0

    @property
    def l1(self) -> float:
        return self.reg_rate if self.reg == "l1" else 0.0

    @property
    def l2(self) -> float:
        return self.reg_rate if self.reg == "l2" else 0.0


@dataclass(frozen=True)
class ViewConfig:
    speed: float | None = 60  # epochs per second; None = as fast as the machine goes
    discretize: bool = False
    show_test: bool = False
    theme: str = "standard"  # a name in palette.THEMES
    present: bool = False  # presenter mode: large type, thick lines
