"""Data for the playground: built-in datasets (classification and regression), iris, and CSV files.

Rows are samples: ``X : (n_samples, n_features)`` float64 and ``y : (n_samples,)`` int64 with
classes ``0..k-1``. Every dataset is split (stratified) into training and test rows and,
optionally, standardised with the mean and scale of the training rows. Everything random comes
from ``seed``, so the same arguments give bit-identical arrays.

One module per job: :mod:`.dataset` (the type), :mod:`.generators` (the ``DATASETS``
registry), :mod:`.split` (split and standardise), :mod:`.load` (``load_dataset``) and
:mod:`.csv_reader` (``load_csv``, which streams the file through :mod:`.csv_source`).
"""

from .csv_reader import load_csv, preview_csv
from .dataset import Dataset, Raw
from .generators import DATASETS, DEFAULTS, DatasetSpec, dataset_names
from .load import dataset_spec, load_dataset

__all__ = ["DATASETS", "DEFAULTS", "Dataset", "DatasetSpec", "Raw", "dataset_names", "dataset_spec", "load_csv",
           "load_dataset", "preview_csv"]
