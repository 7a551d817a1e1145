"""Arrays as tables for the views below the live view: the first rows of a matrix, rounded on screen.

Names that come from the data (features, classes) only ever appear as column or row labels of
a dataframe, never as Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext

import numpy as np
import pandas as pd
import streamlit as st

SHOWN_ROWS = 5
DIGITS = "%.4g"  # on screen; the downloads carry full precision


def frame(array: np.ndarray, columns: Sequence[str] | None = None, index: Sequence[str] | None = None,
          rows: int | None = SHOWN_ROWS) -> pd.DataFrame:
    """``array`` as a DataFrame: a vector becomes one row; at most ``rows`` rows (None: all)."""
    matrix = np.atleast_2d(array)
    if rows is not None:
        matrix = matrix[:rows]
        index = None if index is None else list(index)[:rows]
    columns = list(columns) if columns is not None else [str(j + 1) for j in range(matrix.shape[1])]
    return pd.DataFrame(matrix, columns=columns, index=index)


def show(table: pd.DataFrame, digits: str = DIGITS, key: str | None = None) -> None:
    """A compact dataframe, numbers rounded to ``digits`` (a printf format) on screen; the table
    itself keeps full precision. With a ``key`` it sits in a container of that key (tests and the
    page's CSS find it there: a display dataframe carries no key of its own)."""
    config = {name: st.column_config.NumberColumn(format=digits) for name in table.columns
              if pd.api.types.is_float_dtype(table[name])}
    with st.container(key=key) if key else nullcontext():
        st.dataframe(table, column_config=config, width="content")


def units(n: int, prefix: str = "unit") -> list[str]:
    return [f"{prefix} {j + 1}" for j in range(n)]
