"""Reading a user's classification table from a CSV file, refusing a bad one with a ValueError
that names the problem (and its line and column)."""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .checks import check_seed, check_test_fraction, is_integer
from .dataset import Dataset, Raw
from .split import make_dataset

MAX_CSV_ROWS = 100_000
MAX_CSV_COLUMNS = 1_000
MAX_CLASSES = 50
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
DELIMITERS = (",", ";", "\t")


def load_csv(source, target: str | int | None = None, test_fraction: float = 0.3,
             seed: int = 0, standardize: bool = True) -> Dataset:
    """Load a classification table from a CSV file with a header row.

    source : a path (str or Path), bytes, or a binary or text file object
        (e.g. Streamlit's UploadedFile), read from its start
    target : the label column's name (or index); None means the last column.
        Every other column is a numeric feature. Labels may be anything: numbers
        become classes in numeric order, anything else in string order.
    Delimiter ',' (or ';' / tab, sniffed from the header); UTF-8, BOM allowed.
    Raises ValueError naming the problem (and its line and column) for a bad file.
    """
    test_fraction = check_test_fraction(test_fraction)
    seed = check_seed(seed)
    header, lines, rows = _read_table(_read_text(source))
    label_column = _target_index(header, target)
    feature_columns = [j for j in range(len(header)) if j != label_column]
    feature_names = [header[j] for j in feature_columns]
    _check_header_is_names(feature_names)
    X = _feature_matrix(rows, lines, header, feature_columns)
    labels = [row[label_column] for row in rows]
    y, class_names = _encode_labels(labels, lines, header[label_column])
    raw = Raw(X, y, class_names, feature_names)
    return make_dataset(_source_name(source), raw, test_fraction, seed, standardize)


def _read_text(source) -> str:
    data = _read_source(source)
    text = data if isinstance(data, str) else _decode(bytes(data))
    if "\x00" in text:
        raise ValueError("not a CSV text file: it contains NUL characters (binary data)")
    return text.removeprefix("\ufeff")


def _read_source(source) -> str | bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        return _read_path(source)
    if hasattr(source, "read"):
        if getattr(source, "seekable", lambda: False)():
            source.seek(0)
        data = source.read()
        if isinstance(data, (str, bytes, bytearray)):
            return data
    raise ValueError(f"source must be a path, bytes or a file object, not {type(source).__name__}")


def _read_path(path: str | os.PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except (OSError, ValueError) as error:
        hint = " (pass CSV text as bytes or io.StringIO, not str)" if "\n" in str(path) else ""
        reason = getattr(error, "strerror", None) or error
        raise ValueError(f"cannot read the file {str(path)[:200]!r}: {reason}{hint}") from None


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ValueError("not a CSV text file: it contains NUL bytes (binary data such as an "
                         "image, or UTF-16 text); save it as CSV UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(f"not a CSV text file: byte {error.start} (line {line}) is not valid "
                         "UTF-8 (binary data or another encoding); save it as CSV UTF-8") from None


def _delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first_line.count)


def _read_table(text: str) -> tuple[list[str], list[int], list[list[str]]]:
    """header : n names, lines : (r,) line numbers, rows : r lists of n stripped cells."""
    if not text.strip():
        raise ValueError("the CSV file is empty")
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise ValueError("the CSV file is empty (only blank rows)")
    header = _header(first[1])
    lines, rows = [], []
    for line, cells in records:
        if len(cells) != len(header):
            raise ValueError(f"line {line} has {len(cells)} values but the header has "
                             f"{len(header)} columns (ragged rows)")
        if len(rows) == MAX_CSV_ROWS:
            raise ValueError(f"too many rows: the CSV file has more than {MAX_CSV_ROWS:,} "
                             "data rows")
        lines.append(line)
        rows.append(cells)
    if not rows:
        raise ValueError("the CSV file has a header row but no data rows")
    return header, lines, rows


def _records(text: str):
    """(line number, stripped cells) for every non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if any(cells):
                yield reader.line_num, cells
    except csv.Error as error:
        raise ValueError(f"not a valid CSV file: {error} (line {reader.line_num})") from None


def _header(names: list[str]) -> list[str]:
    if len(names) > MAX_CSV_COLUMNS:
        raise ValueError(f"too many columns: {len(names):,} (at most {MAX_CSV_COLUMNS:,})")
    if len(names) < 2:
        raise ValueError(f"the CSV file needs at least 1 feature column and a label column, "
                         f"found 1 column ({names[0]!r}); is it comma-separated?")
    for j, name in enumerate(names):
        if not name:
            raise ValueError(f"column {j + 1} has no name in the header row")
        if name in names[:j]:
            first = names.index(name) + 1
            raise ValueError(f"duplicate column name {name!r} (columns {first} and {j + 1})")
    return names


def _check_header_is_names(feature_names: list[str]) -> None:
    if all(_parse_number(name) is not None for name in feature_names):
        raise ValueError(f"the first row looks like data ({', '.join(feature_names[:5])}), "
                         "but a header row with column names is required")


def _listing(names: Sequence[str], limit: int = 20) -> str:
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f", ... ({len(names)} columns)" if len(names) > limit else "")


def _target_index(header: list[str], target) -> int:
    if target is None:
        return len(header) - 1
    if isinstance(target, str) and target.strip() in header:
        return header.index(target.strip())
    if is_integer(target) and -len(header) <= target < len(header):
        return int(target) % len(header)
    raise ValueError(f"target column {target!r} not found; the columns are {_listing(header)}")


def _parse_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _feature_matrix(rows, lines, header, columns) -> np.ndarray:
    """X : (r, len(columns)) float64; every cell must be a finite number."""
    cells = [[row[j] for j in columns] for row in rows]
    try:
        X = np.array(cells, dtype=np.float64)
    except ValueError:
        X = np.array([_feature_row(row, line, header, columns)
                      for row, line in zip(cells, lines, strict=True)])
    bad = np.argwhere(~np.isfinite(X))
    if len(bad):
        i, k = bad[0]
        _feature_value(cells[i][k], lines[i], header[columns[k]])
    return X


def _feature_row(cells: list[str], line: int, header: list[str], columns: list[int]) -> list[float]:
    return [_feature_value(cell, line, header[j]) for cell, j in zip(cells, columns, strict=True)]


def _feature_value(cell: str, line: int, column: str) -> float:
    where = f"in column {column!r} on line {line}"
    if cell.lower() in MISSING_MARKERS:
        raise ValueError(f"missing value {cell!r} (empty or NaN) {where}")
    value = _parse_number(cell)
    if value is None:
        hint = "; use '.' as the decimal point" if "," in cell else ""
        raise ValueError(f"non-numeric value {cell!r} {where}; features must be numbers{hint}")
    if not math.isfinite(value):
        raise ValueError(f"infinite value {cell!r} {where}; features must be finite numbers")
    return value


def _encode_labels(labels: list[str], lines: list[int], column: str):
    """y : (r,) int64 in 0..k-1 and the k class names, numbers in numeric order."""
    for label, line in zip(labels, lines, strict=True):
        if not label:
            raise ValueError(f"missing label in column {column!r} on line {line}")
    values = [_parse_number(label) for label in labels]
    if all(value is not None and math.isfinite(value) for value in values):
        classes, y = np.unique(np.array(values), return_inverse=True)
        class_names = [_number_name(value) for value in classes]
    else:
        classes, y = np.unique(np.array(labels, dtype=str), return_inverse=True)
        class_names = [str(name) for name in classes]
    _check_class_count(class_names, column)
    return y.astype(np.int64).reshape(-1), class_names


def _number_name(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(float(value))


def _check_class_count(class_names: list[str], column: str) -> None:
    if len(class_names) < 2:
        raise ValueError(f"the target column {column!r} has a single class ({class_names[0]!r}); "
                         "a classifier needs at least 2 classes")
    if len(class_names) > MAX_CLASSES:
        raise ValueError(f"the target column {column!r} has {len(class_names)} classes, more than "
                         f"{MAX_CLASSES}; is it really the label column?")


def _source_name(source) -> str:
    path = source if isinstance(source, (str, os.PathLike)) else getattr(source, "name", None)
    return Path(path).name if isinstance(path, (str, os.PathLike)) and str(path) else "csv"
