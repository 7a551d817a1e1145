"""The live element's payload: one bytes blob per tick, a small JSON header and quantised frames.

Layout: b"NNPG", uint32 header length, header JSON (space-padded to 4 bytes), then the
sections the header lists as [offset, length] from the start of the body (each 4-aligned).
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass

import numpy as np

MAGIC = b"NNPG"
HISTORY_LIMIT = 400


@dataclass(frozen=True)
class Frame:
    """The network as it was after one epoch: what the element paints."""

    row: dict  # epoch, train/test loss and accuracy
    sim: float  # seconds on the play clock, when it should be shown
    made: float  # unix ms when it was computed
    grid: bytes  # boundary codes, res * res
    weights: bytes | None  # float32: each layer's W (row-major) then b
    maps: bytes | None  # uint8 hidden-neuron thumbnails


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
    """Each layer's W (row-major), then each layer's b, as float32."""
    flat = np.concatenate([W.ravel() for W, _ in params] + [b for _, b in params]).astype(np.float32)
    if not np.isfinite(flat).all():
        flat = np.nan_to_num(flat, posinf=0.0, neginf=0.0)
    return flat.tobytes()


def point_bytes(X2: np.ndarray, y: np.ndarray, is_test: np.ndarray, extent) -> bytes:
    """(n, 2) points on the plane -> float32 (u, v, class + 16 * is_test), u, v in 0..1."""
    x0, x1, y0, y1 = extent
    u = (X2[:, 0] - x0) / (x1 - x0)
    v = (X2[:, 1] - y0) / (y1 - y0)
    return np.column_stack([u, v, y + 16 * is_test]).astype(np.float32).tobytes()


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

    def table(self) -> dict[str, list]:
        keys = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
        return {k: [r[k] for r in self.rows] for k in keys}


def _num(value):
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


def row_json(row: dict) -> dict:
    return {
        "e": row["epoch"],
        "tl": _num(row["train_loss"]),
        "vl": _num(row["test_loss"]),
        "ta": _num(row["train_accuracy"]),
        "va": _num(row["test_accuracy"]),
    }


def history_bytes(rows: list[dict]) -> bytes:
    def f(v):
        return math.nan if v is None else v

    table = [
        (r["epoch"], f(r["train_loss"]), f(r["test_loss"]), f(r["train_accuracy"]), f(r["test_accuracy"]))
        for r in rows
    ]
    return np.asarray(table, dtype=np.float32).reshape(-1, 5).tobytes()


def pack(header: dict, sections: dict[str, bytes]) -> bytes:
    body = bytearray()
    spans = {}
    for name, blob in sections.items():
        spans[name] = [len(body), len(blob)]
        body += blob
        body += b"\0" * (-len(body) % 4)
    text = json.dumps({**header, "sections": spans}, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-len(text) % 4)
    return MAGIC + struct.pack("<I", len(text)) + text + bytes(body)


def batch(scene: dict, points: bytes, frames: list[Frame], history: list[dict], **state) -> bytes:
    """One tick's payload: the scene (static per network), the frames, the thinned history."""
    grids, weights, maps, meta = [], [], [], []
    for f in frames:
        entry = {**row_json(f.row), "s": round(f.sim, 4), "c": round(f.made, 1), "g": len(grids), "w": -1, "m": -1}
        grids.append(f.grid)
        if f.weights is not None:
            entry["w"] = len(weights)
            weights.append(f.weights)
        if f.maps is not None:
            entry["m"] = len(maps)
            maps.append(f.maps)
        meta.append(entry)
    header = {**scene, **state, "frames": meta, "histN": len(history)}
    sections = {
        "grids": b"".join(grids),
        "weights": b"".join(weights),
        "maps": b"".join(maps),
        "points": points,
        "hist": history_bytes(history),
    }
    return pack(header, sections)


def unpack(payload: bytes) -> tuple[dict, dict[str, bytes]]:
    """The inverse of pack (for tests and tools)."""
    assert payload[:4] == MAGIC
    (n,) = struct.unpack("<I", payload[4:8])
    header = json.loads(payload[8 : 8 + n])
    body = payload[8 + n :]
    return header, {k: body[o : o + size] for k, (o, size) in header["sections"].items()}
