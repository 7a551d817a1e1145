import io

import numpy as np
import pytest

from engine.datasets import DATASETS, DEFAULTS, Dataset, dataset_names, load_csv, load_dataset

CLASSIFIERS = dataset_names("classification")  # regression datasets: tests/test_regression.py
SYNTHETIC = [name for name in CLASSIFIERS if name != "iris"]
GOOD_CSV = b"x1,x2,label\n" + b"".join(
    f"{i},{(i * 7) % 5},{'cat' if i % 2 else 'dog'}\n".encode() for i in range(20)
)


def csv_file(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def rows(n, label=lambda i: i % 2):
    return "".join(f"{i},{i * i % 7},{label(i)}\n" for i in range(n))


# --- generated datasets -----------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_every_dataset_has_the_right_shapes_and_dtypes(name):
    data = load_dataset(name)
    n, d = DEFAULTS[name]["n_samples"], data.n_features
    assert data.X_train.shape == (len(data.y_train), d)
    assert data.X_test.shape == (len(data.y_test), d)
    assert len(data.y_train) + len(data.y_test) == n
    assert len(data.y_test) == round(0.3 * n)
    for X in (data.X_train, data.X_test):
        assert X.dtype == np.float64 and X.flags.c_contiguous
    if data.task == "regression":
        assert data.y_train.dtype == data.y_test.dtype == np.float64 and data.n_classes == 0
    else:
        assert data.y_train.dtype == np.int64 and data.y_test.dtype == np.int64
        assert set(np.unique(data.y)) == set(range(data.n_classes))
    assert data.mean.shape == data.scale.shape == (d,)
    assert data.name == name


@pytest.mark.parametrize("name", SYNTHETIC)
def test_synthetic_datasets_are_two_class_planes(name):
    data = load_dataset(name, n_samples=101)
    assert data.n_classes == 2 and data.n_features == 2
    assert data.class_names == list(DATASETS[name].class_names) and data.feature_names == ["x1", "x2"]
    assert len(set(data.class_names)) == 2 and not any(label.isdigit() for label in data.class_names)
    assert len(data.y) == 101


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_is_bit_identical(name):
    first, second = load_dataset(name, seed=7), load_dataset(name, seed=7)
    for field in ("X_train", "y_train", "X_test", "y_test", "mean", "scale"):
        assert getattr(first, field).tobytes() == getattr(second, field).tobytes()


@pytest.mark.parametrize("name", DATASETS)
def test_different_seed_differs(name):
    first, second = load_dataset(name, seed=1), load_dataset(name, seed=2)
    assert not np.array_equal(first.X_train, second.X_train)


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_split_is_stratified(name):
    data = load_dataset(name, n_samples=97 if name != "iris" else 100, test_fraction=0.25)
    proportions = np.bincount(data.y) / len(data.y)
    for y in (data.y_train, data.y_test):
        assert np.all(np.abs(np.bincount(y, minlength=data.n_classes) - proportions * len(y)) <= 1)


def test_standardisation_is_fitted_on_training_rows_only():
    data = load_dataset("moons", seed=3)
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(data.X_train.std(axis=0), 1)
    assert not np.allclose(data.X_test.mean(axis=0), 0, atol=1e-12)
    raw = load_dataset("moons", seed=3, standardize=False)
    np.testing.assert_allclose(raw.X_train.mean(axis=0), data.mean)
    np.testing.assert_allclose(raw.X_train.std(axis=0), data.scale)
    np.testing.assert_allclose(data.X_test * data.scale + data.mean, raw.X_test)


def test_unstandardised_data_has_zero_mean_and_unit_scale():
    data = load_dataset("circles", standardize=False)
    assert np.array_equal(data.mean, [0, 0]) and np.array_equal(data.scale, [1, 1])


def test_xor_with_four_samples_is_the_truth_table():
    data = load_dataset("xor", n_samples=4)
    assert np.array_equal(data.X_train, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal(data.y_train, [0, 1, 1, 0])
    assert data.X_test.shape == (0, 2) and data.y_test.shape == (0,)
    assert data.X_train.dtype == np.float64 and data.y_train.dtype == np.int64
    assert np.array_equal(data.mean, [0, 0]) and np.array_equal(data.scale, [1, 1])


def test_noisy_xor_labels_follow_the_quadrants():
    data = load_dataset("xor", n_samples=400, noise=0, test_fraction=0, standardize=False)
    assert np.array_equal(data.y, (data.X[:, 0] * data.X[:, 1] < 0).astype(int))
    assert np.all(np.abs(data.X) >= 0.05) and np.all(np.abs(data.X) <= 1)


def test_moons_defaults_are_200_points_with_noise_0_2():
    assert DEFAULTS["moons"] == {"n_samples": 200, "noise": 0.2}
    assert len(load_dataset("moons").y) == 200


def test_noise_spreads_the_points():
    calm = load_dataset("circles", noise=0, test_fraction=0, standardize=False)
    radii = np.hypot(*calm.X.T)
    assert np.allclose(radii[calm.y == 0], 1) and np.allclose(radii[calm.y == 1], 0.5)
    noisy = load_dataset("circles", noise=0.3, test_fraction=0, standardize=False)
    assert not np.allclose(np.hypot(*noisy.X.T)[noisy.y == 0], 1)


def test_iris_has_150_rows_3_classes_and_readable_names():
    data = load_dataset("iris")
    assert len(data.y) == 150 and data.n_features == 4
    assert data.class_names == ["setosa", "versicolor", "virginica"]
    assert data.feature_names[0] == "sepal length (cm)"
    assert np.array_equal(np.bincount(data.y), [50, 50, 50])


def test_iris_subsamples_stratified():
    data = load_dataset("iris", n_samples=30, test_fraction=0)
    assert np.array_equal(np.bincount(data.y), [10, 10, 10])


def test_test_fraction_zero_keeps_no_test_rows():
    data = load_dataset("spiral", test_fraction=0)
    assert data.X_test.shape == (0, 2) and data.y_test.shape == (0,) and len(data.y_train) == 200


def test_properties_stack_train_then_test():
    data = load_dataset("gaussian")
    assert np.array_equal(data.X, np.vstack([data.X_train, data.X_test]))
    assert np.array_equal(data.y, np.concatenate([data.y_train, data.y_test]))


def test_select_keeps_the_chosen_columns_in_order():
    data = load_dataset("iris")
    picked = data.select([3, 0])
    assert isinstance(picked, Dataset) and picked.n_features == 2
    assert picked.feature_names == ["petal width (cm)", "sepal length (cm)"]
    assert np.array_equal(picked.X_train, data.X_train[:, [3, 0]])
    assert np.array_equal(picked.X_test, data.X_test[:, [3, 0]])
    assert np.array_equal(picked.mean, data.mean[[3, 0]])
    assert np.array_equal(picked.scale, data.scale[[3, 0]])
    assert picked.X_train.flags.c_contiguous and np.array_equal(picked.y_train, data.y_train)


@pytest.mark.parametrize("features", [[], [4], [-1], [0, 0], [0.5]])
def test_select_rejects_bad_columns(features):
    with pytest.raises(ValueError, match="feature ind|at least one"):
        load_dataset("iris").select(features)


def test_dataset_is_frozen():
    data = load_dataset("moons")
    with pytest.raises(AttributeError):
        data.name = "other"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "mnist"}, "unknown dataset 'mnist'; choose one of xor, moons, iris"),
        ({"name": 3}, "unknown dataset"),
        ({"name": ["moons"]}, "unknown dataset"),
        ({"name": "moons", "n_samples": 5}, "too small"),
        ({"name": "xor", "n_samples": 3}, "too small.*truth table"),
        ({"name": "moons", "n_samples": 100_001}, "too large"),
        ({"name": "iris", "n_samples": 151}, "too large for iris"),
        ({"name": "moons", "n_samples": 200.0}, "whole number"),
        ({"name": "moons", "noise": -0.1}, "noise"),
        ({"name": "moons", "noise": float("nan")}, "noise"),
        ({"name": "moons", "test_fraction": 0.95}, "test_fraction"),
        ({"name": "moons", "test_fraction": -0.1}, "test_fraction"),
        ({"name": "moons", "test_fraction": 0.001}, "no test rows"),
        ({"name": "moons", "seed": -1}, "seed"),
        ({"name": "moons", "seed": 1.5}, "seed"),
    ],
)
def test_load_dataset_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_dataset(**kwargs)


def test_iris_split_too_large_for_a_class_is_rejected():
    with pytest.raises(ValueError, match="leaves class 'versicolor' with no training row"):
        load_dataset("iris", n_samples=10, test_fraction=0.9)


def test_names_are_case_insensitive():
    assert load_dataset(" Moons ").name == "moons"


# --- good CSV files ---------------------------------------------------------


def test_csv_with_string_labels(tmp_path):
    data = load_csv(csv_file(tmp_path, GOOD_CSV))
    assert data.class_names == ["cat", "dog"] and data.feature_names == ["x1", "x2"]
    assert data.X_train.shape == (14, 2) and data.X_test.shape == (6, 2)
    assert data.X_train.dtype == np.float64 and data.y_train.dtype == np.int64
    assert data.name == "data.csv"


def test_csv_with_numeric_labels_sorts_numerically(tmp_path):
    text = "a,b,y\n" + "".join(f"{i},{i % 3},{[10, 2, 1.5][i % 3]}\n" for i in range(30))
    data = load_csv(csv_file(tmp_path, text), test_fraction=0, standardize=False)
    assert data.class_names == ["1.5", "2", "10"]
    assert np.array_equal(data.y[data.X[:, 1] == 0], np.full(10, 2))


def test_csv_with_target_in_the_middle(tmp_path):
    text = "f1,species,f2\n" + "".join(f"{i},{'ab'[i % 2]},{-i}\n" for i in range(10))
    data = load_csv(csv_file(tmp_path, text), target="species", test_fraction=0, standardize=False)
    assert data.feature_names == ["f1", "f2"]
    assert np.array_equal(data.X[:, 1], -data.X[:, 0])
    assert np.array_equal(data.y, data.X[:, 0].astype(int) % 2)


def test_csv_from_bytes_bytesio_text_and_path_agree(tmp_path):
    path = csv_file(tmp_path, GOOD_CSV)
    upload = io.BytesIO(GOOD_CSV)
    upload.read()
    sources = [GOOD_CSV, upload, io.StringIO(GOOD_CSV.decode()), str(path), path]
    loaded = [load_csv(source, seed=5) for source in sources]
    for data in loaded[1:]:
        assert np.array_equal(data.X_train, loaded[0].X_train)
        assert np.array_equal(data.y, loaded[0].y)


def test_csv_is_reproducible_and_standardised_on_train():
    first, second = load_csv(GOOD_CSV, seed=4), load_csv(GOOD_CSV, seed=4)
    assert first.X_train.tobytes() == second.X_train.tobytes()
    np.testing.assert_allclose(first.X_train.mean(axis=0), 0, atol=1e-12)


def test_csv_accepts_bom_whitespace_crlf_blank_lines_and_semicolons():
    text = "\ufeff x1 ; x2 ; label \r\n\r\n 1 ; 2 ; a \r\n3;4;b\r\n5;6;a\r\n7;8;b\r\n"
    data = load_csv(text.encode("utf-8"), test_fraction=0, standardize=False)
    assert data.feature_names == ["x1", "x2"] and data.class_names == ["a", "b"]
    assert len(data.y) == 4


def test_csv_accepts_tabs():
    data = load_csv(b"x\ty\tc\n1\t2\tp\n3\t4\tq\n", test_fraction=0)
    assert data.n_features == 2 and data.n_classes == 2


def test_csv_constant_column_gets_scale_one():
    data = load_csv(b"x,k,c\n1,0.1,a\n2,0.1,b\n3,0.1,a\n4,0.1,b\n", test_fraction=0)
    assert data.scale[1] == 1 and np.allclose(data.X[:, 1], 0, atol=1e-12)


# --- bad CSV files ----------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "not a CSV text file.*NUL bytes"),
        (b"a,b,c\n1,2,\xff\n", r"not a CSV text file: byte 10 \(line 2\) is not valid UTF-8"),
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"x1,x2,label\n", "header row but no data rows"),
        (b"x1,x2,label\n1,abc,a\n2,3,b\n", "non-numeric value 'abc' in column 'x2' on line 2"),
        (b"x1,x2,label\n1,2,a\n2,,b\n", "missing value '' .* in column 'x2' on line 3"),
        (b"x1,x2,label\n1,2,a\nNaN,3,b\n", "missing value 'NaN' .* in column 'x1' on line 3"),
        (b"x,x2,c\n1,2,a\n2,3,b\n4,-inf,a\n", "infinite value '-inf' in column 'x2' on line 4"),
        (b"x1,x2,label\n1,2,a\n2,3\n", "line 3 has 2 values but the header has 3 columns"),
        (b"x1,x2,label\n1,2,a\n2,3,a\n", "single class \\('a'\\)"),
        (b"x1,x1,label\n1,2,a\n2,3,b\n", "duplicate column name 'x1' \\(columns 1 and 2\\)"),
        (b"label\na\nb\n", "at least 1 feature column"),
        (b"x1,,label\n1,2,a\n2,3,b\n", "column 2 has no name"),
        (b"1,2,a\n3,4,b\n5,6,a\n", "header row with column names is required"),
        (b"x1,x2,label\n1,2,a\n2,3,\n", "missing label in column 'label' on line 3"),
        (b'x1,x2,label\n1,2,"a\n3,4,b\n', "not a valid CSV file: unexpected end of data"),
        (b'x1,x2,label\n1,2,"a"b\n', "not a valid CSV file"),
    ],
)
def test_bad_csv_is_rejected_with_a_clear_message(content, message):
    with pytest.raises(ValueError, match=message):
        load_csv(content)


def test_bad_csv_file_on_disk_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="non-numeric value 'x' in column 'a' on line 3"):
        load_csv(csv_file(tmp_path, "a,b,c\n1,2,p\nx,3,q\n"))


def test_missing_target_column_names_the_columns():
    expected = "target column 'kind' not found; the columns are 'x1', 'x2', 'label'"
    with pytest.raises(ValueError, match=expected):
        load_csv(GOOD_CSV, target="kind")


def test_too_many_classes():
    text = "x,label\n" + "".join(f"{i},c{i}\n" for i in range(51))
    with pytest.raises(ValueError, match="51 classes, more than 50"):
        load_csv(text.encode())


def test_too_many_rows():
    text = "x,label\n" + "1,a\n2,b\n" * 50_001
    with pytest.raises(ValueError, match="too many rows.*100,000"):
        load_csv(text.encode())


def test_too_many_columns():
    header = ",".join(f"c{j}" for j in range(1_001))
    with pytest.raises(ValueError, match="too many columns: 1,001"):
        load_csv(f"{header}\n".encode())


def test_split_leaving_a_class_without_training_rows():
    with pytest.raises(ValueError, match="leaves class 'b' with no training row"):
        load_csv(b"x,label\n" + b"1,a\n" * 8 + b"2,b\n3,b\n", test_fraction=0.9)


def test_missing_file_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="cannot read the file"):
        load_csv(tmp_path / "absent.csv")


def test_unsupported_source_type():
    with pytest.raises(ValueError, match="source must be a path, bytes or a file object"):
        load_csv(42)


def test_load_csv_checks_its_arguments():
    with pytest.raises(ValueError, match="test_fraction"):
        load_csv(GOOD_CSV, test_fraction=1.0)


# --- the registry and the checkerboard ----------------------------------------


def test_every_spec_describes_its_data_without_generating_it():
    from engine.datasets import DatasetSpec

    for name, spec in DATASETS.items():
        assert isinstance(spec, DatasetSpec) and spec.name == name
        data = load_dataset(name)
        assert list(spec.class_names) == data.class_names and list(spec.feature_names) == data.feature_names
        assert spec.n_classes == data.n_classes and spec.n_features == data.n_features
        assert len(data.y) == spec.n_samples
    assert {name: spec.label for name, spec in DATASETS.items()} == {
        "xor": "XOR", "moons": "Moons", "iris": "Iris (3 species, 4 features)", "circles": "Circles",
        "spiral": "Spiral", "gaussian": "Gaussian blobs", "checkerboard": "Checkerboard",
        "plane": "Plane (regression)", "multigauss": "Gaussian bumps (regression)"}
    assert {name: spec.max_rows for name, spec in DATASETS.items() if spec.max_rows} == {"iris": 150}


def test_the_iris_spec_names_are_scikit_learns():
    from sklearn.datasets import load_iris

    iris = load_iris()
    assert DATASETS["iris"].class_names == tuple(iris.target_names)
    assert DATASETS["iris"].feature_names == tuple(iris.feature_names)


def test_defaults_is_a_live_view_of_the_registry(monkeypatch):
    from dataclasses import replace

    assert dict(DEFAULTS) == {name: {"n_samples": s.n_samples, "noise": s.noise} for name, s in DATASETS.items()}
    monkeypatch.setitem(DATASETS, "bigmoons", replace(DATASETS["moons"], name="bigmoons", n_samples=300))
    assert DEFAULTS["bigmoons"] == {"n_samples": 300, "noise": 0.2}
    assert len(load_dataset("bigmoons").y) == 300


def checkerboard_colour(X):
    squares = np.floor((X + 1) * 2).astype(int)  # 4 squares across [-1, 1]
    return (squares[:, 0] + squares[:, 1]) % 2


def test_checkerboard_colours_points_by_their_square():
    data = load_dataset("checkerboard", noise=0.0, standardize=False, test_fraction=0.0, seed=3)
    X, y = data.X, data.y
    assert X.shape == (400, 2) and X.min() >= -1 and X.max() < 1
    np.testing.assert_array_equal(y, checkerboard_colour(X))
    squares = np.floor((X + 1) * 2).astype(int)
    assert len({tuple(s) for s in squares}) == 16  # every square has points
    assert abs(y.mean() - 0.5) < 0.1
    assert load_dataset("checkerboard", n_samples=10, noise=0.0, test_fraction=0.0).n_classes == 2


def test_checkerboard_noise_is_gaussian_jitter_of_the_same_points():
    plain = load_dataset("checkerboard", noise=0.0, standardize=False, test_fraction=0.0, seed=1)
    noisy = load_dataset("checkerboard", noise=0.05, standardize=False, test_fraction=0.0, seed=1)
    np.testing.assert_array_equal(plain.y, noisy.y)
    shift = noisy.X - plain.X
    assert shift.std() == pytest.approx(0.05, rel=0.1) and abs(shift.mean()) < 0.01
    assert (checkerboard_colour(noisy.X) != noisy.y).mean() > 0.01  # some points jitter across a border


def test_checkerboard_needs_hidden_layers():
    from engine import Network, Trainer

    data = load_dataset("checkerboard", seed=0)
    linear = Trainer(Network([2, 1], seed=0), data, lr=0.5)
    deep = Trainer(Network([2, 16, 16, 1], seed=0), data, lr=0.01, optimizer="adam")
    linear.run(500)
    deep.run(1500)
    assert linear.history[-1]["train_accuracy"] < 0.65
    assert deep.history[-1]["train_accuracy"] > 0.95 and deep.history[-1]["test_accuracy"] > 0.7
