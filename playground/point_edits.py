"""The points a learner clicked in or out, kept as edits that are replayed on rebuilt data.

An edit holds its row in the data's own units, so it survives a rebuild whose standardisation
differs (another test fraction, noise, number of points or seed, Regenerate, Reset, a new
network): an added point is added again at the same place with the same class; a removed one is
removed again wherever the rebuilt data still has that row (the same raw values, within rounding)
and is otherwise already gone.  Edits belong to one dataset (its menu entry, its file, its
feature columns): rebuilding another drops them (``Model.apply`` says so).  Streamlit-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ADD, REMOVE = "add", "remove"
SAME_ROW = 1e-9  # a raw row matches when every value is this close, relative to its size and its column's scale


@dataclass(frozen=True, eq=False)
class PointEdit:
    """``op``: ADD or REMOVE; ``raw``: the row ``(d,)`` in the data's own units; ``label``: its class."""

    op: str
    raw: np.ndarray
    label: int


def added(data, row: np.ndarray, label: int) -> PointEdit:
    """The edit that adds the standardised ``row`` of class ``label`` to ``data``."""
    return PointEdit(ADD, data.raw(row)[0], int(label))


def removed(data, index: int) -> PointEdit:
    """The edit that removes row ``index`` of ``data.X`` (training rows, then test rows)."""
    return PointEdit(REMOVE, data.raw(data.X[index])[0], int(data.y[index]))


def apply(data, edit: PointEdit):
    """``data`` with one edit made: the row added to the training rows, or the matching row removed
    (``data`` itself when it has none)."""
    if edit.op == ADD:
        return data.with_training_rows(data.standardized(edit.raw), [edit.label])
    index = find(data, edit)
    return data if index is None else data.without_rows([index])


def replay(data, edits: Sequence[PointEdit]):
    """``data`` with every edit made, in order."""
    for edit in edits:
        data = apply(data, edit)
    return data


def find(data, edit: PointEdit) -> int | None:
    """The first row of ``data.X`` with the edit's class and raw values; None when there is none."""
    if not len(data.y):
        return None
    rows = data.raw(data.X)
    close = np.abs(rows - edit.raw) <= SAME_ROW * (np.abs(edit.raw) + data.scale)
    matches = np.flatnonzero(close.all(axis=1) & (data.y == edit.label))
    return int(matches[0]) if len(matches) else None


def dropped_notice(edits: Sequence[PointEdit], name: str) -> str:
    """The one line that says the edits made on the dataset ``name`` were dropped."""
    adds = sum(edit.op == ADD for edit in edits)
    parts = [f"{count} {what}" for count, what in ((adds, "added"), (len(edits) - adds, "removed")) if count]
    return f"The points you clicked on {name} ({', '.join(parts)}) were dropped: they belong to that dataset."
