"""The live element's payload, declared once: one bytes blob per tick.

Layout: b"NNPG", uint32 header length, the header as JSON (space-padded to 4 bytes), then the
body: the sections, each 4-aligned. header["sections"][name] = {offset, length, dtype}, and for
a per-frame section `item` (values in one frame's item), for a table `columns`.

SECTIONS declares each section with the one function that writes it, by kind:
  scene  once per network, from (data, net, plane, thumbs)          points
  frame  one item per frame, from the same                          boundary, weights, thumbnails
         (a budgeted one rides on every few frames of a tick only: the element keeps the last)
  batch  each payload, from the curve's history rows                history
Where the network is evaluated over the plane (header["evaluated_by"], evaluation_side): in the
browser (static/evaluate.js, from each frame's weights and the scene's keys: sizes, activation,
output, inputs, bias, plane_features, plane_fill, plane_extent, resolution, thumbnail_layout), or on
the server, which then sends the sections declared `evaluated` (boundary, thumbnails, inputs).
The header: the scene's keys (scene_header, with the weight and thumbnail layouts), the batch's
keys (batch) and `frames`, one entry per frame (frame_entry); a batch that is not `full` leaves
out the scene and the history, which the element keeps from the last full one. The element (static/payload.js)
reads all of it from the header and derives none of it.
"""

from __future__ import annotations

import json
import math
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.activations import ACTIVATIONS, OUTPUTS
from engine.boundary import decision_boundary, input_maps, neuron_maps
from engine.evaluation import REGRESSION_METRICS
from engine.features import INPUTS
from engine.tasks import CLASSIFICATION, REGRESSION

from .palette import THEMES

MAGIC = b"NNPG"
HISTORY_LIMIT = 400
HISTORY_COLUMNS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")  # a classification's
CURVE_COLUMNS = HISTORY_COLUMNS + REGRESSION_METRICS  # the element's history and frames: every task's figures
POINT_COLUMNS = ("u", "v", "label")  # u, v in 0..1 across the plane; label = class, or for a regression the
# target's place on the value scale, 0..1 (+ TEST_LABEL for a test point)
TEST_LABEL = 16  # added to a test point's class


@dataclass(frozen=True)
class Figures:
    """What the stats and the curve show for a task: ``train_<loss>`` / ``test_<loss>`` on the loss
    axis and ``train_<score>`` / ``test_<score>`` on the score axis, under their labels; a score in
    0..1 shown as a percentage or as a number (R² can fall below 0)."""

    loss: str
    loss_label: str
    score: str
    score_label: str
    percent: bool


FIGURES = {
    CLASSIFICATION: Figures("loss", "loss", "accuracy", "accuracy", True),
    REGRESSION: Figures("mse", "MSE", "r2", "R²", False),  # the loss is half the MSE: the MSE is what reads
}


def history_columns(task: str) -> tuple[str, ...]:
    """A history table's columns for ``task`` (the cost-history download): the loss, then the task's figures."""
    return HISTORY_COLUMNS if task == CLASSIFICATION else ("epoch", "train_loss", "test_loss", *REGRESSION_METRICS)


@dataclass(frozen=True)
class Sources:
    """What the sections are written from: the data, the network and its two planes."""

    data: object  # engine Dataset
    net: object  # engine Network
    plane: object  # the boundary's plane (engine.boundary.Plane)
    thumbs: object  # the neuron thumbnails' plane


@dataclass(frozen=True)
class Section:
    name: str
    kind: str  # "scene", "frame" or "batch"
    dtype: str  # how the element views the bytes: "uint8" or "float32"
    write: Callable  # scene, frame: (Sources) -> bytes; batch: (history rows) -> bytes
    item: Callable | None = None  # frame: (scene header) -> values in one frame's item
    budgeted: bool = False  # frame: sent on some frames only, within the player's byte budget
    columns: tuple[str, ...] | None = None  # a table's columns
    evaluated: bool = False  # the network evaluated over a plane: sent when the server evaluates it


BROWSER, SERVER = "browser", "server"  # where the network is evaluated over the plane


SECTIONS: dict[str, Section] = {}


def section(kind: str, dtype: str, **declared):
    """Register the decorated `<name>_section` function as the writer of section <name>."""

    def register(write: Callable) -> Callable:
        name = write.__name__.removesuffix("_section")
        SECTIONS[name] = Section(name, kind, dtype, write, **declared)
        return write

    return register


def of_kind(kind: str, header: dict | None = None) -> list[Section]:
    """The sections of ``kind``; given a scene header, those its payloads carry (no `evaluated`
    section when the browser evaluates the network)."""
    browser = header is not None and header["evaluated_by"] == BROWSER
    return [s for s in SECTIONS.values() if s.kind == kind and not (browser and s.evaluated)]


def in_javascript(net) -> bool:
    """Whether the element can evaluate ``net``: its activation, output and input features have JavaScript."""
    functions = [ACTIVATIONS[net.activation], OUTPUTS[net.output], *(INPUTS[name] for name in net.inputs or ())]
    return all(getattr(f, "javascript", "") or getattr(f, "javascript_row", "") for f in functions)


def evaluation_side(net, wanted: str) -> str:
    """Where ``net`` is evaluated over the plane: ``wanted`` (BROWSER or SERVER), the server when the
    browser cannot (an activation or input feature registered without JavaScript)."""
    if wanted not in (BROWSER, SERVER):
        raise ValueError(f"the network is evaluated in the {BROWSER} or on the {SERVER}; got {wanted!r}")
    return BROWSER if wanted == BROWSER and in_javascript(net) else SERVER


# ---- the sections --------------------------------------------------------------------------
@section("scene", "float32", columns=POINT_COLUMNS)
def points_section(src: Sources) -> bytes:
    """Every point (training rows, then test rows) on the plane."""
    data, plane = src.data, src.plane
    fx, fy = plane.features
    is_test = np.arange(len(data.y)) >= len(data.y_train)
    labels = data.y if data.task == CLASSIFICATION else scale_place(data.y, value_range(data))
    return point_bytes(data.X[:, [fx, fy]], labels, is_test, plane_extent(plane))


@section("scene", "uint8", evaluated=True)
def inputs_section(src: Sources) -> bytes:
    """Each input unit over the thumbnails' plane (x₁², sin x₂, … as computed from x₁, x₂), as neuron_codes."""
    return neuron_codes([input_maps(src.net, src.thumbs)])


@section("frame", "uint8", item=lambda header: header["resolution"] ** 2, evaluated=True)
def boundary_section(src: Sources) -> bytes:
    """The boundary as codes, top row first (see boundary_codes); a regression's predicted value
    as its place on the value scale (value_codes)."""
    values = decision_boundary(src.net, src.plane)
    if src.data.task == REGRESSION:
        return value_codes(values[:, :, 0], value_range(src.data))
    return boundary_codes(values)


@section("frame", "float32", item=lambda header: header["weight_layout"]["size"], budgeted=True)
def weights_section(src: Sources) -> bytes:
    """Every layer's W then b, where header["weight_layout"] says (float32: a browser evaluating the
    network from them matches the engine run on the float32-rounded weights to 1e-6, and a frame of
    the default network's weights is 132 bytes)."""
    return weight_bytes(src.net.params)


@section("frame", "uint8", budgeted=True, evaluated=True,
         item=lambda header: header["thumbnail_layout"]["count"] * header["thumbnail_layout"]["size"] ** 2)
def thumbnails_section(src: Sources) -> bytes:
    """Each hidden neuron's activation over the thumbnails' plane, in header["thumbnail_layout"]'s order."""
    return neuron_codes(neuron_maps(src.net, src.thumbs))


@section("batch", "float32", columns=CURVE_COLUMNS)
def history_section(rows: list[dict]) -> bytes:
    """The curve's thinned history up to the first frame."""
    return history_bytes(rows)


# ---- encodings -----------------------------------------------------------------------------
def levels(n_classes: int) -> int:
    return 256 // n_classes


def boundary_codes(probs: np.ndarray) -> bytes:
    """(res, res, k) class probabilities, row i = ys[i] -> top-row-first codes class * L + confidence,
    the confidence being the lead of the likeliest class over the runner-up (0 on a boundary)."""
    k = probs.shape[2]
    top = levels(k)
    if not np.isfinite(probs).all():
        probs = np.nan_to_num(probs, nan=1.0 / k)
    probs = probs[::-1]
    if k == 2:
        p = probs[:, :, 1]
        code = (p > 0.5) * top + np.abs(2.0 * p - 1.0) * (top - 1) + 0.5
    else:
        best = probs.argmax(axis=2)
        two = np.partition(probs, k - 2, axis=2)
        code = best * top + np.clip(two[:, :, -1] - two[:, :, -2], 0.0, 1.0) * (top - 1) + 0.5
    return code.astype(np.uint8).tobytes()


def value_range(data) -> tuple[float, float]:
    """The value scale of a regression: symmetric about 0 (the diverging colour map's middle) out to
    the largest target in size when the targets take both signs, as the built-in ones do; otherwise
    (a table of prices) from the smallest target to the largest, its middle halfway."""
    y = data.y[np.isfinite(data.y)] if len(data.y) else data.y
    low, high = (float(y.min()), float(y.max())) if len(y) else (0.0, 0.0)
    if low < 0 < high:
        reach = max(-low, high)
        return -reach, reach
    if high > low:
        return low, high
    return (low - 1.0, high + 1.0) if math.isfinite(low) else (-1.0, 1.0)


def scale_place(values: np.ndarray, span: tuple[float, float]) -> np.ndarray:
    """Values -> their place 0..1 on the scale ``span`` (clipped at its ends; NaN in the middle)."""
    low, high = span
    return np.clip(np.nan_to_num((values - low) / (high - low), nan=0.5), 0.0, 1.0)


def value_codes(values: np.ndarray, span: tuple[float, float]) -> bytes:
    """(res, res) predicted values, row i = ys[i] -> top-row-first codes 0..255 along the value scale."""
    return np.rint(scale_place(values[::-1], span) * 255).astype(np.uint8).tobytes()


def neuron_codes(maps: list[np.ndarray]) -> bytes:
    """Per hidden layer (n, th, th) activations -> uint8, 0..255 for -s..s, s = max(1, |a|max) per neuron."""
    if not maps:
        return b""
    A = np.concatenate(maps)
    if not np.isfinite(A).all():
        A = np.nan_to_num(A, posinf=0.0, neginf=0.0)
    scale = np.maximum(1.0, np.abs(A).max(axis=(1, 2), keepdims=True))
    q = np.rint((np.clip(A / scale, -1.0, 1.0) + 1.0) * 127.5)
    return q[:, ::-1, :].astype(np.uint8).tobytes()


def weight_bytes(params) -> bytes:
    """Each layer's W (row-major), then each layer's b, as float32 (the order of weight_layout)."""
    flat = np.concatenate([W.ravel() for W, _ in params] + [b for _, b in params]).astype(np.float32)
    if not np.isfinite(flat).all():
        flat = np.nan_to_num(flat, posinf=0.0, neginf=0.0)
    return flat.tobytes()


def point_bytes(X2: np.ndarray, y: np.ndarray, is_test: np.ndarray, extent) -> bytes:
    """(n, 2) points on the plane -> float32 rows of POINT_COLUMNS."""
    x0, x1, y0, y1 = extent
    u = (X2[:, 0] - x0) / (x1 - x0)
    v = (X2[:, 1] - y0) / (y1 - y0)
    return np.column_stack([u, v, y + TEST_LABEL * is_test]).astype(np.float32).tobytes()


def history_bytes(rows: list[dict]) -> bytes:
    """Rows of CURVE_COLUMNS as float32, a missing value (or a figure the task has not) as NaN."""
    table = np.full((len(rows), len(CURVE_COLUMNS)), math.nan, dtype=np.float32)
    for j, column in enumerate(CURVE_COLUMNS):
        if rows and column in rows[0]:  # the rows' task has it (a classification has no MSE or R²)
            table[:, j] = [math.nan if r[column] is None else r[column] for r in rows]
    return table.tobytes()


# ---- the layouts ---------------------------------------------------------------------------
def weight_layout(sizes: list[int]) -> dict:
    """Where weight_bytes puts each layer: W (shape [n_out, n_in], row-major) at offset W, b at offset b."""
    shapes = list(zip(sizes[1:], sizes[:-1]))
    w_offsets = np.cumsum([0] + [o * i for o, i in shapes]).tolist()
    b_offsets = np.cumsum([w_offsets[-1]] + [o for o, _ in shapes]).tolist()
    layers = [{"W": w_offsets[k], "shape": [o, i], "b": b_offsets[k]} for k, (o, i) in enumerate(shapes)]
    return {"size": b_offsets[-1], "layers": layers}


def thumbnail_layout(sizes: list[int], size: int) -> dict:
    """Hidden layer l's neurons are thumbnails first .. first + count - 1, each size x size, top row first."""
    hidden = sizes[1:-1]
    firsts = np.cumsum([0] + hidden).tolist()
    return {"size": size, "count": firsts[-1],
            "layers": [{"first": first, "count": count} for first, count in zip(firsts, hidden)]}


def plane_extent(plane) -> list[float]:
    return [float(plane.xs[0]), float(plane.xs[-1]), float(plane.ys[0]), float(plane.ys[-1])]


# ---- the header ----------------------------------------------------------------------------
def input_labels(net, data) -> list[str]:
    """What the diagram writes by each input unit: the input features' labels (x₁², sin(x₁)), or the
    data's feature names when the network reads them as they are (x1, x2 as x₁, x₂)."""
    names = net.inputs or data.feature_names  # a plane's own x1, x2 read as the input features they are
    return [INPUTS[name].label if name in INPUTS else name for name in names]


def output_labels(net, data) -> list[str]:
    """What the diagram writes by each output unit: the predicted value, P(the second class), or each class."""
    if net.task == REGRESSION:
        return ["predicted value"]
    return [f"P({data.class_names[1]})"] if net.sizes[-1] == 1 else list(data.class_names)



def scene_header(run: int, src: Sources, evaluate: str = BROWSER) -> dict:
    """The header keys that stay the same for one network: names, sizes, the plane, the layouts, and
    where the network is evaluated over the plane (``evaluate``: wanted, see evaluation_side)."""
    data, net, plane = src.data, src.net, src.plane
    fx, fy = plane.features
    regression = data.task == REGRESSION
    return {
        "run": run,
        "dataset": data.name,
        "task": data.task,
        "figures": vars(FIGURES[data.task]),
        "value_range": list(value_range(data)) if regression else None,  # the diverging scale's ends
        "inputs": list(net.inputs) if net.inputs else None,  # input features' names; None: the data's features
        "input_labels": input_labels(net, data),
        "output_labels": output_labels(net, data),
        "sizes": list(net.sizes),
        "activation": net.activation,
        "output": net.output,
        "loss": net.loss,
        "bias": net.bias,
        # a regression's output unit learns the standardised target: predicted = output * scale + mean
        "target_scale": float(getattr(net, "target_scale", 1.0)),
        "target_mean": float(getattr(net, "target_mean", 0.0)),
        "evaluated_by": evaluation_side(net, evaluate),
        "class_names": list(data.class_names),
        "feature_names": list(data.feature_names),
        "plane_features": [fx, fy],
        "axis_names": [data.feature_names[fx], data.feature_names[fy]],
        "plane_extent": plane_extent(plane),  # x0, x1, y0, y1 in standardised units
        "plane_fill": [float(v) for v in plane.fill],  # every feature's value on the plane off its two axes
        "plane_mean": [float(data.mean[fx]), float(data.mean[fy])],  # raw = standardised * scale + mean
        "plane_scale": [float(data.scale[fx]), float(data.scale[fy])],
        "resolution": plane.resolution,
        "confidence_levels": levels(max(2, net.n_classes)),
        "test_label": TEST_LABEL,
        "n_train": len(data.y_train),
        "n_test": len(data.y_test),
        "weight_layout": weight_layout(list(net.sizes)),
        "thumbnail_layout": thumbnail_layout(list(net.sizes), src.thumbs.resolution),
    }


@dataclass(frozen=True)
class Scene:
    """What stays the same for one network: its header keys and its scene sections."""

    sources: Sources
    header: dict
    sections: dict[str, bytes]


def scene(run: int, src: Sources, edits: int = 0, evaluate: str = BROWSER) -> Scene:
    """``edits``: changes of the data that kept the network (points clicked in): the element rebuilds its
    scene. ``evaluate``: where the network is evaluated over the plane, wanted (see evaluation_side)."""
    header = {**scene_header(run, src, evaluate), "edits": edits}
    return Scene(src, header, {s.name: s.write(src) for s in of_kind("scene", header)})


# ---- frames --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """The network as it was after one epoch: what the element paints."""

    row: dict  # epoch, train/test loss and accuracy
    play_time: float  # seconds on the play clock, when it should be shown
    computed_at_ms: float  # unix ms when it was computed
    items: dict[str, bytes]  # this frame's item of each per-frame section it carries


def due(scene: Scene, slot: int, slots: int, budget: int, over_budget: bool = True) -> list[str]:
    """The per-frame sections that frame `slot` of `slots` in a tick carries: all that are not
    budgeted; a budgeted one on every k-th frame counted back from the last, which always has it, k
    keeping a tick's items within `budget` bytes; an item over the budget by itself (a 6x64
    network's 84 kB of weights) on the last frame, when `over_budget` (the player spaces those out)."""
    names = []
    for s in of_kind("frame", scene.header):
        item_bytes = s.item(scene.header) * np.dtype(s.dtype).itemsize
        if s.budgeted and item_bytes > budget and not over_budget:
            continue
        every = math.ceil(slots / max(1, budget // item_bytes)) if s.budgeted and item_bytes else 1
        if item_bytes and (slots - 1 - slot) % every == 0:
            names.append(s.name)
    return names


def frame(scene: Scene, row: dict, play_time: float, names: list[str]) -> Frame:
    """The network as it is now, with the items of the per-frame sections `names`."""
    items = {name: SECTIONS[name].write(scene.sources) for name in names}
    return Frame(row, play_time, time.time() * 1000, items)


def _num(value):
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


def frame_entry(f: Frame, indices: dict[str, int]) -> dict:
    """A frame's header entry: its row, when to show it, and the index of its item in each
    per-frame section it carries (a section it does not name: the element keeps the last)."""
    return {
        "epoch": f.row["epoch"],
        **{c: _num(f.row[c]) for c in CURVE_COLUMNS[1:] if c in f.row},  # the figures the row's task has
        "play_time": round(f.play_time, 4),
        "computed_at_ms": round(f.computed_at_ms, 1),
        "items": indices,
    }


# ---- the payload ---------------------------------------------------------------------------
BATCH_KEYS = ("run", "edits", "full", "sequence", "sent_at_ms", "live", "playing", "message", "show_test",
              "discretize", "theme", "scale", "stream", "frames")  # what every batch's header carries


def batch(scene: Scene, frames: list[Frame], history: list[dict], *, sequence: int, live: bool,
          playing: bool, message: str | None, show_test: bool, discretize: bool, theme: str = "standard",
          scale: float = 1.0, full: bool = True, stream: dict | None = None) -> bytes:
    """One tick's payload: the frames, and when ``full`` the scene (its header keys and sections), the
    palette and the history up to the first frame. A batch that is not full carries BATCH_KEYS and the
    frames' sections only: the element keeps the last full batch's scene and history (the player
    sends a full batch whenever they change, and every few ticks)."""
    items: dict[str, list[bytes]] = {s.name: [] for s in of_kind("frame", scene.header)}
    entries = []
    for f in frames:
        indices = {}
        for name, blob in f.items.items():
            indices[name] = len(items[name])
            items[name].append(blob)
        entries.append(frame_entry(f, indices))
    header = {
        **scene.header,
        "full": full,
        "sequence": sequence,
        "sent_at_ms": round(time.time() * 1000, 1),
        "live": live,
        "playing": playing,
        "message": message,
        "show_test": show_test,
        "discretize": discretize,
        "theme": theme,
        "palette": THEMES[theme].as_header(),
        "scale": scale,
        "stream": stream,  # the live stream's {token, tick_ms} (playground/stream.py), None where there is none
        "frames": entries,
    }
    body = {name: b"".join(blobs) for name, blobs in items.items()}
    if not full:
        return pack({key: header[key] for key in BATCH_KEYS}, body, scene.header)
    body = {**scene.sections, **body}
    body.update({s.name: s.write(history) for s in of_kind("batch")})
    return pack(header, body)


def pack(header: dict, sections: dict[str, bytes], layouts: dict | None = None) -> bytes:
    """``layouts``: the scene header that sizes a per-frame section's item, when ``header`` leaves it out."""
    body = bytearray()
    spans = {}
    for name, blob in sections.items():
        spec = SECTIONS[name]
        spans[name] = {"offset": len(body), "length": len(blob), "dtype": spec.dtype}
        if spec.item:
            spans[name]["item"] = spec.item(layouts or header)
        if spec.columns:
            spans[name]["columns"] = list(spec.columns)
        body += blob
        body += b"\0" * (-len(body) % 4)
    text = json.dumps({**header, "sections": spans}, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-len(text) % 4)
    return MAGIC + struct.pack("<I", len(text)) + text + bytes(body)


def unpack(payload: bytes) -> tuple[dict, dict[str, bytes]]:
    """The inverse of pack (for tests and tools)."""
    assert payload[:4] == MAGIC
    (n,) = struct.unpack("<I", payload[4:8])
    header = json.loads(payload[8 : 8 + n])
    body = payload[8 + n :]
    spans = header["sections"]
    return header, {k: body[s["offset"] : s["offset"] + s["length"]] for k, s in spans.items()}


# ---- the curve -----------------------------------------------------------------------------
class Curve:
    """Loss and accuracy per epoch, thinned to at most HISTORY_LIMIT rows by doubling the stride."""

    def __init__(self, first: dict):
        self.rows = [first]
        self.stride = 1

    def add(self, row: dict) -> None:
        if row["epoch"] % self.stride:
            return
        self.rows.append(row)
        if len(self.rows) > HISTORY_LIMIT:
            self.stride *= 2
            self.rows = self.rows[:1] + [r for r in self.rows[1:] if r["epoch"] % self.stride == 0]

    def before(self, epoch: int) -> list[dict]:
        return [r for r in self.rows if r["epoch"] < epoch]

    def table(self, columns: tuple[str, ...] = HISTORY_COLUMNS) -> dict[str, list]:
        return {k: [r.get(k) for r in self.rows] for k in columns}
