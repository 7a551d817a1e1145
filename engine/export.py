"""A trained network exported: a standalone NumPy prediction script, and JSON.

:func:`to_python` writes a script with the weights inlined (each float64 as its ``repr``, which
reads back to the same bits), NumPy its only dependency beyond Python's own ``csv`` and ``sys``.
``python predict.py points.csv`` prints one predicted class name per line (a regression
network's predicted value); ``--proba`` prints the class probabilities (the outputs, for an
identity head) as CSV under a header of class names (``value`` for regression).  The points are
raw: the script finds the features' columns by name, in any order, standardises them as the
network was trained and computes its input features (:mod:`engine.features`) from them.  Its
layers compute what :class:`Network` computes, in the same order of operations; the activations'
and input features' code comes from the registries (``numpy_source``), so the predictions are
the engine's.

:func:`to_json` gives the config, the model card and the weights as one JSON object (floats
written exactly); :func:`from_json` reads it back, checked like a model file.

Both take the network and optionally ``data``: the Dataset it was trained on (or a
:class:`ModelCard`); without it, the card the network was loaded with; what neither has
is filled in with features ``x1 … xd`` and classes ``0 … k-1``, unstandardised.
"""

import json
from string import Template

import numpy as np

from . import model_file
from .activations import ACTIVATIONS, OUTPUTS
from .features import INPUTS
from .model_card import ModelCard
from .network import Network
from .tasks import REGRESSION

LINE_WIDTH = 100


def card_for(net, data=None):
    """The :class:`ModelCard` an export describes ``net`` with, complete."""
    card = ModelCard.of(data) if data is not None else net.card or ModelCard()
    return card.complete(net.sizes[0], net.n_classes)


# ---- JSON ------------------------------------------------------------------------------------

def to_json(net, data=None) -> str:
    """``{"format", "version", <the model file's fields>, "layers": [{"W", "b"}, ...]}``; the
    model card's parts are those ``data`` or the network's card has."""
    _check_finite(net)
    card = ModelCard.of(data) if data is not None else net.card
    header = {"format": model_file.FORMAT, "version": model_file.VERSION, **net.config(),
              **(card.fields() if card is not None else {})}
    header["layers"] = [{"W": W.tolist(), "b": b.tolist()} for W, b in net.params]
    return json.dumps(header, indent=1)


def from_json(text) -> Network:
    """The network of a :func:`to_json` text, with its card as ``net.card``; a malformed or
    foreign text is refused with a ValueError naming the problem."""
    try:
        header = json.loads(text, parse_constant=model_file._no_constant)
    except RecursionError:
        raise ValueError("the JSON model is nested too deeply to be a model") from None
    except ValueError as error:
        raise ValueError(f"{model_file.NOT_A_MODEL}: not valid JSON ({error})") from None
    if not isinstance(header, dict):
        raise ValueError(f"{model_file.NOT_A_MODEL}: the JSON is not an object")
    layers = header.pop("layers", None)
    config, card = model_file.split_card(model_file.check_header(header))
    shapes = model_file.array_shapes(config)
    if not isinstance(layers, list) or len(layers) != len(shapes) // 2:
        raise ValueError(f"the JSON model must list {len(shapes) // 2} layers of weights, as its sizes say")
    net = model_file.build(Network, config)
    for l, (layer, (W, b)) in enumerate(zip(layers, net.params)):
        if not isinstance(layer, dict) or sorted(layer) != ["W", "b"]:
            raise ValueError(f"layer {l}: must be {{\"W\": [[...]], \"b\": [...]}}")
        W[...] = _array(layer["W"], W.shape, f"layer {l}: weights W{l}")
        b[...] = _array(layer["b"], b.shape, f"layer {l}: biases b{l}")
    net.card = card
    return net


def _array(value, shape, what):
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers in the shape {shape}") from None
    if array.shape != shape:
        raise ValueError(f"{what} {array.shape} do not fit the config's sizes (expected {shape})")
    if not np.isfinite(array).all():
        raise ValueError(f"{what} must be finite numbers")
    return array


# ---- the NumPy script ------------------------------------------------------------------------

SCRIPT = Template('''\
#!/usr/bin/env python3
"""Predictions of a neural network trained with NN Playground: standalone, NumPy only.

    python predict.py points.csv           one predicted $answer per line
    python predict.py --proba points.csv   $proba_text, as CSV under a header of $header_text

points.csv: a header row naming the columns, then one row of numbers per point, in the raw
units of the training data (the standardisation is built in).  The columns needed are FEATURES,
in any order; other columns are ignored.  Comma, semicolon or tab separated; '-' reads stdin.
A bad file gets one line on stderr and exit status 2.

The network: sizes $sizes, $inputs_text, $hidden_text, $output output
($head), $n_params parameters.  Rows are points; layer l computes Z = A @ W.T + b with
W : (n_out, n_in) and b : (n_out,); layer 0 reads the input layer, computed from the
standardised points.
"""

import csv
import sys

import numpy as np

FEATURES = $features
CLASSES = $classes
INPUTS = $inputs
$mean
$scale
DELIMITERS = (",", ";", "\\t")

$layers


def input_layer(X):
    """Standardised points X : (n, d) -> the input layer: $input_layer_text."""
$input_body


def hidden(Z):
    """The hidden layers' activation: $activation."""
$hidden_body


def output(Z):
    """The output layer: $output."""
$output_body


def network(X):
    """Standardised points X : (n, d) -> the output layer's values (n, units)."""
    A = input_layer(X)
    for l, (W, b) in enumerate(LAYERS):
        Z = A @ np.ascontiguousarray(W.T)
        if b is not None:
            Z += b
        A = output(Z) if l == len(LAYERS) - 1 else hidden(Z)
    return A


$predictions


class BadInput(Exception):
    """A problem with the points file, told in one line."""


def read_points(path):
    """The file's points as raw features (n, d), columns in FEATURES' order."""
    try:
        if path == "-":
            text = sys.stdin.read().removeprefix("\\ufeff")
        else:
            with open(path, encoding="utf-8-sig", newline="") as stream:
                text = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read {path}: {error}") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(text.splitlines(keepends=True), delimiter=max(DELIMITERS, key=first.count),
                        strict=True)
    try:
        rows = [(reader.line_num, cells) for cells in ([c.strip() for c in row] for row in reader) if any(cells)]
    except csv.Error as error:
        raise BadInput(f"{path} is not a valid CSV file: {error} (line {reader.line_num})") from None
    if not rows:
        raise BadInput(f"{path} is empty: it needs a header row naming the columns {', '.join(FEATURES)}")
    header = rows[0][1]
    missing = [name for name in FEATURES if name not in header]
    if missing:
        raise BadInput(f"{path} has no column {missing[0]!r}; the columns needed are {', '.join(FEATURES)} "
                       "(in any order)")
    columns = [header.index(name) for name in FEATURES]
    raw = np.empty((len(rows) - 1, len(FEATURES)))
    for i, (line, cells) in enumerate(rows[1:]):
        if len(cells) != len(header):
            raise BadInput(f"{path} line {line} has {len(cells)} values but the header has {len(header)} columns")
        for j, column in enumerate(columns):
            raw[i, j] = number(cells[column], f"{path} line {line}, column {FEATURES[j]!r}")
    return raw


def number(cell, where):
    try:
        value = float(cell)
    except ValueError:
        raise BadInput(f"{where}: {cell!r} is not a number") from None
    if not np.isfinite(value):
        raise BadInput(f"{where}: {cell!r} is not a finite number")
    return value


def main(argv):
    options = [arg for arg in argv if arg.startswith("--")]
    paths = [arg for arg in argv if not arg.startswith("--")]
    if "--help" in options:
        print(__doc__)
        return 0
    if len(paths) != 1 or set(options) - {"--proba"}:
        print("usage: python predict.py [--proba] points.csv", file=sys.stderr)
        return 2
    try:
        raw = read_points(paths[0])
    except BadInput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if "--proba" in options:
        writer = csv.writer(sys.stdout, lineterminator="\\n")
        writer.writerow(HEADER)
        writer.writerows([repr(p) for p in row] for row in outputs(raw).tolist())
    else:
        sys.stdout.writelines(answer + "\\n" for answer in answers(raw))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
''')


CLASSIFY = '''\
HEADER = CLASSES


def outputs(raw):
    """Raw points (n, d), columns in FEATURES' order -> one column per class (n, k)."""
    P = network((raw - MEAN) / SCALE)
    return np.hstack([1.0 - P, P]) if P.shape[1] == 1 else P


def predict(raw):
    """Raw points (n, d) -> class numbers (n,): one output unit says class 1 from 0.5 up."""
    P = network((raw - MEAN) / SCALE)
    return (P[:, 0] >= 0.5).astype(np.int64) if P.shape[1] == 1 else P.argmax(axis=1)


def answers(raw):
    """Raw points (n, d) -> one line each: the predicted class's name."""
    return [CLASSES[c] for c in predict(raw).tolist()]
'''

REGRESS = '''\
HEADER = ["value"]
TARGET_MEAN = $target_mean  # the network learns (value - TARGET_MEAN) / TARGET_SCALE
TARGET_SCALE = $target_scale


def outputs(raw):
    """Raw points (n, d), columns in FEATURES' order -> the predicted values as a column (n, 1),
    in the target's own units."""
    return network((raw - MEAN) / SCALE) * TARGET_SCALE + TARGET_MEAN


def predict(raw):
    """Raw points (n, d) -> the predicted values (n,)."""
    return outputs(raw)[:, 0]


def answers(raw):
    """Raw points (n, d) -> one line each: the predicted value, written exactly."""
    return [repr(value) for value in predict(raw).tolist()]
'''


def to_python(net, data=None) -> str:
    """The standalone prediction script of ``net`` (see the module's docstring)."""
    _check_finite(net)
    card = card_for(net, data)
    hidden, output = ACTIVATIONS[net.activation], OUTPUTS[net.output]
    n_hidden = len(net.sizes) - 2
    hidden_text = (f"{n_hidden} {hidden.name} hidden layer{'s' if n_hidden > 1 else ''}" if n_hidden
                   else "no hidden layer")
    regression = net.task == REGRESSION
    inputs = ", ".join(INPUTS[name].label for name in net.inputs) if net.inputs else None
    return SCRIPT.substitute(
        answer="value" if regression else "class name",
        proba_text="the outputs (not probabilities)" if regression or not net.head.probabilities
        else "the class probabilities",
        header_text="value" if regression else "class names",
        sizes=net.sizes, inputs_text=f"input features {inputs}" if inputs else "the standardised points as inputs",
        hidden_text=hidden_text, output=output.name, head=net.head.key, n_params=net.n_params,
        features=repr(list(card.feature_names)), classes=repr(list(card.class_names)),
        inputs=repr(None if net.inputs is None else list(net.inputs)),
        mean=_vector_source(card.mean, "MEAN = "), scale=_vector_source(card.scale, "SCALE = "),
        layers=_layers_source(net), input_layer_text=f"the features {inputs} of x1, x2" if inputs else "X itself",
        input_body=_input_body(net.inputs), activation=hidden.name,
        hidden_body=_body(hidden), output_body=_body(output),
        predictions=_predictions(net).rstrip("\n"))


def _predictions(net):
    """The script's outputs/predict/answers: class names, or values in the target's own units."""
    if net.task != REGRESSION:
        return CLASSIFY
    return Template(REGRESS).substitute(target_mean=repr(net.target_mean), target_scale=repr(net.target_scale))


def _input_body(inputs):
    """The input layer's code: what :func:`engine.features.input_values` computes, from the
    registry's ``numpy_source`` of each feature."""
    if inputs is None:
        return "    return X"
    lines = ["    x1, x2 = np.ascontiguousarray(X[:, 0]), np.ascontiguousarray(X[:, 1])",
             f"    F = np.empty((len(X), {len(inputs)}))"]
    lines += [f"    F[:, {j}] = {INPUTS[name].numpy_source}" for j, name in enumerate(inputs)]
    return "\n".join([*lines, "    return F"])


def _body(activation):
    """The registry entry's NumPy source as an indented function body."""
    if not activation.numpy_source:
        raise ValueError(f"activation {activation.name!r} has no numpy_source to export")
    return "\n".join("    " + line for line in activation.numpy_source.splitlines())


def _layers_source(net):
    lines = []
    for l, (W, b) in enumerate(net.params):
        lines.append(f"W{l} = np.array([  # {W.shape[0]} x {W.shape[1]}")
        lines += [_wrapped([repr(v) for v in row], "    [", "],") for row in W.tolist()]
        lines.append("])")
        if net.bias:
            lines.append(_vector_source(b, f"b{l} = "))
    pairs = ", ".join(f"(W{l}, {f'b{l}' if net.bias else 'None'})" for l in range(len(net.params)))
    lines.append(f"LAYERS = [{pairs}]")
    return "\n".join(lines)


def _vector_source(values, prefix):
    return _wrapped([repr(v) for v in np.asarray(values, dtype=np.float64).tolist()],
                    prefix + "np.array([", "])")


def _wrapped(items, opening, closing):
    """``opening item, item, ... closing`` in lines of about LINE_WIDTH characters."""
    lines, line, started = [], opening, False
    for j, item in enumerate(items):
        piece = item + (", " if j < len(items) - 1 else "")
        if started and len(line) + len(piece) > LINE_WIDTH:
            lines.append(line.rstrip())
            line, started = " " * 8, False
        line, started = line + piece, True
    return "\n".join([*lines, line + closing])


def _check_finite(net):
    for l, (W, b) in enumerate(net.params):
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ValueError(f"layer {l} has weights that are not finite numbers; nothing to export")


FORMATS = {"python": to_python, "json": to_json}  # name -> export(net, data=None) -> text
