"""The Export section: the model, its history, its data and its boundary as downloads, and Import
weights.

Every download is a ``st.download_button`` whose bytes are made in memory when it is clicked (a
callable, so they hold the weights of that moment and cost nothing before): nothing is written on
the server's disk.  ``DOWNLOADS`` declares them, one entry each.  Import weights reads an ``.npz``
with the engine's hardened ``Network.load``, sets the network controls to the model's architecture
and makes its weights the starting point of that architecture (:class:`ImportedModel`); a file
that is bad, or that does not fit the current data or the playground's controls, leaves the
current network as it was and says why."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import streamlit as st
from PIL import Image

from engine import Network
from engine.boundary import decision_boundary, plane_for
from engine.evaluation import first_row
from engine.export import to_json, to_python
from engine.features import PLAIN_INPUTS
from engine.heads import output_units
from engine.model_card import ModelCard
from engine.tasks import REGRESSION

from . import frames, settings, stream
from .config import DataConfig, NetConfig, TrainConfig
from .control_writes import restore_controls, set_controls
from .model import Model, trainer_for
from .palette import THEMES
from .player import Player

KEY = "pg"  # the session's Player in st.session_state
IMPORT, IMPORT_ERROR, IMPORT_NOTICE = "import_weights", "import_error", "import_notice"
PNG_SIZE = 480  # pixels a side
POINT_RADIUS = 3.5  # pixels
CONFIDENCE_GAMMA = 0.75  # shading as the live element's: shade * confidence ** 0.75 (scene.js)


@dataclass(frozen=True)
class Download:
    label: str
    file_name: str  # "{name}" is the dataset's name
    mime: str
    make: Callable[..., bytes | str]  # make(player, theme) -> the file's bytes or text


# ---- the files ---------------------------------------------------------------------------------
def weights_npz(player, theme) -> bytes:
    """The network and its card (feature names, standardisation, class names), ``Network.load``'s format."""
    buffer = io.BytesIO()
    player.model.net.save(buffer, data=player.model.data)
    return buffer.getvalue()


def weights_json(player, theme) -> str:
    return to_json(player.model.net, player.model.data)


def numpy_script(player, theme) -> str:
    return to_python(player.model.net, player.model.data)


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _cell(value) -> str:
    return "" if value is None else repr(value)


def history_csv(player, theme) -> str:
    """Loss and accuracy per epoch (a regression: loss, MSE and R²); the curve's rows: every epoch,
    thinned on long runs."""
    columns = frames.history_columns(player.model.data.task)
    table = player.model.curve.table(columns)
    return _csv(columns, ([_cell(v) for v in row] for row in zip(*(table[c] for c in columns))))


def _free_name(name: str, taken) -> str:
    while name in taken:
        name += "_"
    return name


def data_csv(player, theme) -> str:
    """Every row in the features' raw units (``X * scale + mean``), its class name (a regression: its
    target value) and its split."""
    data = player.model.data
    card = ModelCard.of(data)
    regression = data.task == REGRESSION
    target = _free_name("target" if regression else "class", data.feature_names)
    split = _free_name("split", [*data.feature_names, target])
    rows = []
    for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
        for values, label in zip(card.raw(X).tolist(), y.tolist()):
            rows.append([*map(repr, values), repr(label) if regression else data.class_names[label], part])
    return _csv([*data.feature_names, target, split], rows)


def boundary_png(player, theme) -> bytes:
    """The decision boundary over the live view's plane, shaded like it (class colour by the lead of
    the likeliest class over the runner-up), with the training points."""
    model = player.model
    plane = plane_for(model.data, PNG_SIZE, player.plane.features)
    probs = decision_boundary(model.net, plane)[::-1]  # top row = largest y
    if model.data.task == REGRESSION:
        return _value_png(model, plane, probs[:, :, 0], theme)
    ranked = np.sort(probs, axis=2)
    confidence = np.clip(ranked[..., -1] - ranked[..., -2], 0.0, 1.0)
    colours = np.array([theme.classes[c % len(theme.classes)] for c in range(probs.shape[2])], dtype=float)
    background = np.array(theme.background, dtype=float)
    t = (theme.shade * confidence ** CONFIDENCE_GAMMA)[..., None]
    image = background + (colours[probs.argmax(axis=2)] - background) * t
    _draw_points(image, plane, model.data.X_train, model.data.y_train, colours, np.array(theme.point_outline))
    buffer = io.BytesIO()
    Image.fromarray(np.rint(image).astype(np.uint8), "RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _value_png(model, plane, values, theme) -> bytes:
    """A regression's predicted values (top row first) on the theme's diverging scale, as the live view
    draws them, with the training points coloured by their targets on the same scale."""
    span = frames.value_range(model.data)
    stops = np.linspace(0.0, 1.0, 256)
    colours = np.array([theme.value_colour(t) for t in stops], dtype=float)
    image = colours[np.rint(frames.scale_place(values, span) * 255).astype(int)]
    places = np.rint(frames.scale_place(model.data.y_train, span) * 255).astype(int)
    _draw_points(image, plane, model.data.X_train, places, colours, np.array(theme.point_outline))
    buffer = io.BytesIO()
    Image.fromarray(np.rint(image).astype(np.uint8), "RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _draw_points(image, plane, X, y, colours, outline):
    """Disks of the class colour ringed with ``outline`` at the rows' places on the plane."""
    size = image.shape[0]
    fx, fy = plane.features
    cols = (X[:, fx] - plane.xs[0]) / (plane.xs[-1] - plane.xs[0]) * (size - 1)
    rows = (plane.ys[-1] - X[:, fy]) / (plane.ys[-1] - plane.ys[0]) * (size - 1)
    grid_r, grid_c = np.mgrid[-5:6, -5:6]
    for r, c, label in zip(rows, cols, y):
        rr, cc = np.rint(r + grid_r).astype(int), np.rint(c + grid_c).astype(int)
        distance = np.hypot(rr - r, cc - c)
        inside = (rr >= 0) & (rr < size) & (cc >= 0) & (cc < size)
        image[rr[inside & (distance <= POINT_RADIUS + 1)], cc[inside & (distance <= POINT_RADIUS + 1)]] = outline
        image[rr[inside & (distance <= POINT_RADIUS)], cc[inside & (distance <= POINT_RADIUS)]] = colours[label]


DOWNLOADS: dict[str, Download] = {
    "download_npz": Download("Weights (.npz)", "{name}-model.npz", "application/octet-stream", weights_npz),
    "download_json": Download("Weights (JSON)", "{name}-model.json", "application/json", weights_json),
    "download_script": Download("NumPy script", "predict.py", "text/x-python", numpy_script),
    "download_history": Download("Cost history (CSV)", "{name}-history.csv", "text/csv", history_csv),
    "download_data": Download("Data with split (CSV)", "{name}-data.csv", "text/csv", data_csv),
    "download_boundary": Download("Decision boundary (PNG)", "{name}-boundary.png", "image/png", boundary_png),
}


# ---- import ----------------------------------------------------------------------------------
def _fits_data(net, data) -> None:
    """Refuse a network that does not read the current data's features or tell its classes apart."""
    names = net.card.feature_names if net.card is not None else None
    if names is not None and list(names) != list(data.feature_names):
        raise ValueError(f"this model reads {', '.join(names)}; the current data has "
                         f"{', '.join(data.feature_names)}. Choose the data it was trained on first.")
    if net.n_features != data.n_features:
        raise ValueError(f"this model reads {net.n_features} features; the current data has {data.n_features}. "
                         "Choose the data it was trained on first.")
    if net.task != data.task:
        raise ValueError(f"this model is for {net.task}; the current data poses {data.task}. "
                         "Choose the problem and the data it was trained on first.")
    if net.n_classes != data.n_classes:
        raise ValueError(f"this model tells {net.n_classes} classes apart; the current data has {data.n_classes}.")


def control_values(net, data, state) -> dict:
    """The network controls' values (widget key -> value) that rebuild ``net``'s architecture on
    ``data``, checked against what each control offers for it."""
    ctx = settings.Values(state).context
    hidden = net.sizes[1:-1]
    neurons = settings.NEURONS[0]
    if len(hidden) > settings.HIDDEN_LAYERS.high or any(not neurons.low <= n <= neurons.high for n in hidden):
        raise ValueError(f"this model's hidden layers {hidden} do not fit the playground: at most "
                         f"{settings.HIDDEN_LAYERS.high} layers of {neurons.low}..{neurons.high} neurons.")
    ctx = replace(ctx, hidden_layers=len(hidden))
    inputs = tuple(net.inputs) if net.inputs else PLAIN_INPUTS
    if inputs != PLAIN_INPUTS and settings.INPUT_FEATURES.is_disabled(ctx):
        raise ValueError("this model computes input features from two plane coordinates; the current data "
                         "trains on all its features. Turn that off first.")
    values = {settings.HIDDEN_LAYERS.key: len(hidden), settings.INPUT_FEATURES.key: list(inputs),  # the widget's type
              settings.BIAS.key: net.bias}
    values.update({control.key: n for control, n in zip(settings.NEURONS, hidden)})
    for control, value in ((settings.ACTIVATION, net.activation), (settings.HEAD, net.head.key),
                           (settings.INIT, net.init)):
        options = list(control.resolve("options", ctx))
        if value not in options:
            raise ValueError(f"this model's {control.resolve('label', ctx).lower()} {value!r} is not one the "
                             f"playground offers here ({', '.join(map(str, options))}).")
        values[control.key] = value
    if settings.SEED.low <= net.seed <= settings.SEED.high:
        values[settings.SEED.key] = net.seed
    built = [len(net.inputs) if net.inputs else data.n_features, *hidden, output_units(net.head.key, data.n_classes)]
    if built != net.sizes:
        raise ValueError(f"the playground would build {built} for this model's head, not its {net.sizes}.")
    return values


def _follow_controls(player) -> None:
    """The model as the controls now say (what the live view's next tick would do)."""
    player.apply(*settings.configs(st.session_state)[:3])


class ImportedModel(Model):
    """A model whose network starts from imported weights whenever it is built with the imported
    architecture on the data it was imported on (Reset too); any other starts from its seed.

    Keeping the weights as the starting point, rather than writing them once, makes the import
    survive a live tick that left the browser before the controls took the imported values: such a
    tick's old values are put back (:mod:`playground.control_writes`) and the page redrawn; were one
    to get through, it would build the old network, and the next one the imported network, from
    these weights."""

    def __init__(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig, weights,
                 after_run: int = 0, target: tuple[float, float] = (0.0, 1.0), clicked=()):
        self.imported = (data_cfg, net_cfg, [(W.copy(), b.copy()) for W, b in weights])
        self.imported_target = target  # a regression's target mean and scale, as the file has them
        super().__init__(data_cfg, net_cfg, train_cfg, clicked)
        self.run += after_run  # numbered after the model it replaces: the live element sees a new network

    @property
    def is_imported(self) -> bool:
        """The network is the imported architecture on the imported data."""
        return (self.data_cfg, self.net_cfg) == self.imported[:2]

    def apply(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        if restore_controls():  # a stale tick carried the controls' values from before the import
            st.rerun()
        super().apply(data_cfg, net_cfg, train_cfg)

    def build(self, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        super().build(net_cfg, train_cfg)
        if self.is_imported:
            for (W, b), (W_start, b_start) in zip(self.net.params, self.imported[2]):
                W[...] = W_start
                b[...] = b_start
            if self.net.task == REGRESSION:  # the file's target standardisation, and a trainer that reads it
                self.net.target_mean, self.net.target_scale = self.imported_target
                self.trainer = trainer_for(self.net, self.data, train_cfg, net_cfg.seed)
            self.row = first_row(self.net, self.data)
            self.curve = frames.Curve(self.row)


def install(player, net, state) -> Player:
    """A new player whose model is ``net`` on the current data, with the architecture the controls'
    values ``state`` (set to ``net``'s) give: paused at epoch 0.  Biases of a network saved
    without them are zeros, so its outputs are the same."""
    data_cfg, net_cfg, train_cfg, _ = settings.configs(state)
    weights = [(W, b if net.bias else np.zeros_like(b)) for W, b in net.params]
    same_data = data_cfg == player.model.data_cfg  # the points clicked on it stay (model.Model, point_edits)
    model = ImportedModel(data_cfg, net_cfg, train_cfg, weights, after_run=player.model.run,
                          target=(net.target_mean, net.target_scale),
                          clicked=tuple(player.model.point_edits) if same_data else ())
    if not model.is_imported or model.net.sizes != net.sizes:
        raise ValueError(f"the controls built {model.net.sizes}, not the model's {net.sizes}")
    return Player(model)


@stream.guard
def _import_weights() -> None:
    """The uploader's callback: a good file becomes the network; any problem, one message."""
    upload, player = st.session_state.get(IMPORT), st.session_state.get(KEY)
    st.session_state.pop(IMPORT_ERROR, None)
    if upload is None or player is None:
        return
    try:
        net = Network.load(upload.getvalue())
        _follow_controls(player)
        _fits_data(net, player.model.data)
        values = control_values(net, player.model.data, st.session_state)
        fresh = install(player, net, {**st.session_state.to_dict(), **values})
    except ValueError as error:
        st.session_state[IMPORT_ERROR] = f"{upload.name} was not imported: {error}"
        return
    set_controls(values)
    st.session_state[KEY] = fresh
    st.session_state[IMPORT_NOTICE] = f"{upload.name}: {net.sizes}, {net.activation}, {net.head.label}"


# ---- the section ------------------------------------------------------------------------------
def show(model, player) -> None:
    """The download buttons and the Import weights control, into the current container."""
    theme = THEMES[settings.configs(st.session_state)[3].theme]
    name = model.data.name
    columns = st.columns(3)
    for j, (key, download) in enumerate(DOWNLOADS.items()):
        columns[j % 3].download_button(
            download.label, lambda make=download.make: make(player, theme),
            file_name=download.file_name.format(name=name), mime=download.mime, key=key, on_click="ignore",
            icon=":material/download:", width="stretch")
    st.file_uploader("Import weights (.npz)", type=["npz"], key=IMPORT, on_change=_import_weights,
                     help="A model downloaded here or saved by 'python -m engine train --save': the network "
                          "controls take its architecture and the network its weights.")
    if IMPORT_ERROR in st.session_state:
        st.error(st.session_state[IMPORT_ERROR], icon=":material/error:")
    elif isinstance(model, ImportedModel) and IMPORT_NOTICE in st.session_state:
        if model.is_imported:
            st.success(f"Imported {st.session_state[IMPORT_NOTICE]}. Reset goes back to these weights.",
                       icon=":material/upload:")
        else:
            st.info(f"The network controls differ from the imported model ({st.session_state[IMPORT_NOTICE]}); "
                    "set them back to start from its weights again.", icon=":material/info:")
