"""NN Playground's engine: a from-scratch NumPy neural network.

Orientation: rows are samples; ``X : (n_samples, n_features)``; layer weights
``W : (n_out, n_in)``, biases ``b : (n_out,)``; labels ``y : (n_samples,)``.
"""

from .activations import ACTIVATIONS, OUTPUTS, Activation
from .boundary import Plane, decision_boundary, input_maps, neuron_maps, plane_for
from .datasets import DATASETS, Dataset, DatasetSpec, load_csv, load_dataset
from .evaluation import EpochRow, evaluate, evaluate_row, first_row
from .features import INPUTS, InputFeature
from .gradcheck import gradient_check
from .heads import HEADS, Head, head_of, heads_for, output_units
from .initializers import INITIALIZERS
from .losses import LOSS_FUNCTIONS
from .network import Network
from .optimizers import OPTIMIZERS
from .tasks import TASKS, Task
from .trainer import Divergence, Trainer

__all__ = [
    "ACTIVATIONS", "DATASETS", "HEADS", "INITIALIZERS", "INPUTS", "LOSS_FUNCTIONS", "OPTIMIZERS", "OUTPUTS",
    "TASKS", "Activation", "Dataset", "DatasetSpec", "Divergence", "EpochRow", "Head", "InputFeature", "Network",
    "Plane", "Task", "Trainer", "decision_boundary", "evaluate", "evaluate_row", "first_row", "gradient_check",
    "head_of", "heads_for", "input_maps", "load_csv", "load_dataset", "neuron_maps", "output_units", "plane_for",
]
