"""Reading a user's classification table from a CSV file, refusing a bad one with a ValueError
that names the problem (and its line and column).

The file is streamed (:mod:`.csv_source`): rows are parsed a block at a time straight into
a float64 matrix that grows by doubling, labels into class codes, so that an accepted file
takes a small multiple of its size in memory and a file over a limit stops being read at the
limit.  The limits are the constants below and, for bytes, those of :mod:`.csv_source`.
"""

from __future__ import annotations

import csv
import itertools
import math
import operator
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from ..tasks import CLASSIFICATION, REGRESSION, check_task
from .checks import check_flag, check_seed, check_test_fraction, is_integer
from .csv_source import text_lines
from .dataset import Dataset, Raw
from .split import make_dataset

MAX_CSV_ROWS = 100_000
MAX_CSV_COLUMNS = 1_000
MAX_CSV_VALUES = 10_000_000      # rows x feature columns: 80 MB as float64
MAX_CLASSES = 50
MAX_LABELS = 1_000               # different label texts read before the file is refused
MAX_ABS_VALUE = 1e150            # (2 * 1e150)**2 * MAX_CSV_ROWS < 1.8e308: standardising cannot overflow
BLOCK_VALUES = 16_384            # feature values parsed at a time
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
DELIMITERS = (",", ";", "\t")


def load_csv(source, target: str | int | None = None, test_fraction: float = 0.3,
             seed: int = 0, standardize: bool = True, task: str = CLASSIFICATION,
             features: Sequence[str] | None = None) -> Dataset:
    """Load a classification (or regression) table from a CSV file with a header row.

    source : a path (str or Path), bytes, or a binary or text file object
        (e.g. Streamlit's UploadedFile), read from its start
    target : the label column's name (or index); None means the last column.
        Every other column is a numeric feature, each value within ±MAX_ABS_VALUE (beyond,
        standardising would overflow). Labels may be anything: numbers become classes in
        numeric order, anything else in string order.
    Missing values: an empty cell or one of MISSING_MARKERS (any case: NA, N/A, NaN, null,
        None, ?) is a missing value in every column, the label column included, and refuses
        the file naming its line and column: "nan" or "N/A" is never a class.
    features : the feature columns' names, in the order wanted (None: every column but the
        target); the other columns are not read, so they may hold anything.
    task : "regression" reads the target column as numbers (each within ±MAX_ABS_VALUE, not
        all equal) to predict: float targets, no classes, a split at random (not stratified).
    Delimiter ',' (or ';' / tab, sniffed from the header); UTF-8, BOM allowed. At most
        csv_source.MAX_CSV_BYTES bytes, MAX_CSV_ROWS data rows, MAX_CSV_COLUMNS columns,
        MAX_CSV_VALUES feature values and MAX_CLASSES classes.
    Raises ValueError naming the problem (and its line and column) for a bad file.
    """
    test_fraction = check_test_fraction(test_fraction)
    seed = check_seed(seed)
    standardize = check_flag("standardize", standardize)
    task = check_task(task)
    lines = text_lines(source)
    try:
        raw = _read_table(lines, target, _TargetTable if task == REGRESSION else _Table, features)
    finally:
        lines.close()
    return make_dataset(_source_name(source), raw, test_fraction, seed, standardize, task)


def preview_csv(source, rows: int = 5) -> tuple[list[str], list[list[str]]]:
    """The header and the first ``rows`` data rows of a CSV file, as text cells (for showing a
    file before it is loaded), read as ``load_csv`` reads it: streamed within the byte limits, the
    same delimiter; a file that is not CSV text is refused with the same ValueError."""
    lines = text_lines(source)
    try:
        blank, first = _first_line(lines)
        reader = csv.reader(itertools.chain(blank, [first], lines), delimiter=_delimiter(first))
        table = []
        for row in reader:
            if not _is_blank(row):
                table.append([cell.strip() for cell in row])
            if len(table) > rows:
                break
    except csv.Error as error:
        raise ValueError(f"not a valid CSV file: {error}") from None
    finally:
        lines.close()
    return table[0][:MAX_CSV_COLUMNS], [row[:MAX_CSV_COLUMNS] for row in table[1:]]


# ---- the header ------------------------------------------------------------------


def _read_table(lines: Iterator[str], target, table_type, features: Sequence[str] | None = None) -> Raw:
    blank, first = _first_line(lines)
    reader = csv.reader(itertools.chain(blank, [first], lines), delimiter=_delimiter(first), strict=True)
    try:
        header = next((row for row in reader if not _is_blank(row)), None)
        if header is None:
            raise ValueError("the CSV file is empty (only blank rows)")
        header = [cell.strip() for cell in header]
        _check_width(header)
        label_column = _target_index(header, target)
        feature_columns = [j for j in range(len(header)) if j != label_column]
        _check_names(header, [header[j] for j in feature_columns])
        if features is not None:
            feature_columns = _feature_indices(header, label_column, features)
        table = table_type(header, label_column, feature_columns)
        table.read(reader)
    except csv.Error as error:
        raise ValueError(f"not a valid CSV file: {error} (line {reader.line_num})") from None
    return table.raw()


def _first_line(lines: Iterator[str]) -> tuple[list[str], str]:
    """The blank lines before the first line with text, and that line."""
    blank = []
    for line in lines:
        if line.strip():
            return blank, line
        blank.append(line)
    raise ValueError("the CSV file is empty")


def _delimiter(first_line: str) -> str:
    return max(DELIMITERS, key=first_line.count)


def _is_blank(cells: list[str]) -> bool:
    """A row without text: an empty line, or only delimiters and spaces (skipped)."""
    return not any(cell and not cell.isspace() for cell in cells)


def _check_width(header: list[str]) -> None:
    if len(header) > MAX_CSV_COLUMNS:
        raise ValueError(f"too many columns: {len(header):,} (at most {MAX_CSV_COLUMNS:,})")
    if len(header) < 2:
        raise ValueError(f"the CSV file needs at least 1 feature column and a label column, "
                         f"found 1 column ({header[0]!r}); is it comma-separated?")


def _check_names(header: list[str], feature_names: list[str]) -> None:
    if all(_parse_number(name) is not None for name in feature_names):
        raise ValueError(f"the first row looks like data ({', '.join(header[:5])}), not column "
                         "names: the file looks headerless, but a header row with column names "
                         "is required")
    for j, name in enumerate(header):
        if not name:
            raise ValueError(f"column {j + 1} has no name in the header row")
    seen = {}
    for j, name in enumerate(header):
        if name in seen:
            raise ValueError(f"duplicate column name {name!r} (columns {seen[name] + 1} and {j + 1})")
        seen[name] = j


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


def _feature_indices(header: list[str], label_column: int, features: Sequence[str]) -> list[int]:
    """The columns of the named features, in that order: each a column of the header, not the
    target, none twice, at least one."""
    if isinstance(features, str) or not features:
        raise ValueError("features must be a list of at least one column name")
    columns = []
    for name in features:
        if not isinstance(name, str) or name.strip() not in header:
            raise ValueError(f"feature column {name!r} not found; the columns are {_listing(header)}")
        j = header.index(name.strip())
        if j == label_column:
            raise ValueError(f"column {name!r} is the target; it cannot also be a feature")
        if j in columns:
            raise ValueError(f"feature column {name!r} is named twice")
        columns.append(j)
    return columns


def _parse_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


# ---- the rows --------------------------------------------------------------------


class _Table:
    """The data rows, parsed a block at a time: X (rows, d) float64, growing by doubling,
    and a class code per row in order of first appearance of its label."""

    def __init__(self, header: list[str], label_column: int, features: list[int] | None = None):
        self.header, self.label_column = header, label_column
        every = [j for j in range(len(header)) if j != label_column]
        self.features = every if features is None else list(features)  # the features' columns, in order
        self.feature_columns = self.columns_read(len(header), label_column, features)  # the columns parsed
        # cells of a row -> the cells read (None: every cell but the label's, the fast path)
        self.pick = None if self.feature_columns == every else _picker(self.feature_columns)
        d = len(self.feature_columns)
        self.block_rows = max(1, BLOCK_VALUES // d)
        self.max_rows = min(MAX_CSV_ROWS, MAX_CSV_VALUES // d)
        self.X = np.empty((min(self.block_rows, self.max_rows), d))
        self.codes = np.empty(len(self.X), dtype=np.int64)
        self.n_rows = 0
        self.labels: dict[str, int] = {}
        self.block: list[list[str]] = []
        self.block_lines: list[int] = []
        self.block_codes: list[int] = []

    @staticmethod
    def columns_read(width: int, label_column: int, features: list[int] | None) -> list[int]:
        """The columns parsed as numbers into X: the features (None: every one but the label column)."""
        return [j for j in range(width) if j != label_column] if features is None else list(features)

    def read(self, reader) -> None:
        """Every data row of ``reader`` (the hot loop: one tuple of locals, checks on rare paths)."""
        width, label_column, labels = len(self.header), self.label_column, self.labels
        block, block_lines, block_codes = self.block, self.block_lines, self.block_codes
        block_rows, rows_left, pick = self.block_rows, self.max_rows, self.pick
        for row in reader:
            if len(row) != width:
                if _is_blank(row):
                    continue
                raise ValueError(f"line {reader.line_num} has {len(row)} values but the header "
                                 f"has {width} columns (ragged rows)")
            label = row[label_column].strip() if pick else row.pop(label_column).strip()
            if pick:
                row = pick(row)
            code = labels.get(label)
            if code is None:
                if not label and _is_blank(row):
                    continue
                code = self._new_label(label, reader.line_num)
            if not rows_left:
                self._too_many_rows()
            rows_left -= 1
            block.append(row)
            block_lines.append(reader.line_num)
            block_codes.append(code)
            if len(block) == block_rows:
                self._flush()

    def _new_label(self, label: str, line: int) -> int:
        column = self.header[self.label_column]
        if label.lower() in MISSING_MARKERS:
            shown = f" {label!r}" if label else ""
            raise ValueError(f"missing label{shown} in column {column!r} on line {line}"
                             f"{_MISSING_EVERYWHERE if label else ''}")
        if len(self.labels) == MAX_LABELS:
            raise ValueError(f"the target column {column!r} has over {MAX_LABELS:,} different "
                             f"labels by line {line}; is it really the label column?")
        code = self.labels[label] = len(self.labels)
        return code

    def _too_many_rows(self) -> None:
        if self.max_rows == MAX_CSV_ROWS:
            raise ValueError(f"too many rows: the CSV file has more than {MAX_CSV_ROWS:,} data rows")
        raise ValueError(f"too many values: more than {self.max_rows:,} rows of "
                         f"{len(self.feature_columns):,} features, over {MAX_CSV_VALUES:,} values")

    def _flush(self) -> None:
        if not self.block:
            return
        start, stop = self.n_rows, self.n_rows + len(self.block)
        if stop > len(self.X):
            capacity = min(max(stop, 2 * len(self.X)), self.max_rows)
            self.X.resize((capacity, self.X.shape[1]), refcheck=False)
            self.codes.resize(capacity, refcheck=False)
        values = self.X[start:stop]
        try:
            values[...] = self.block
        except ValueError:
            self._refuse_bad_cell()
        with np.errstate(invalid="ignore"):
            bad = ~(np.abs(values) <= MAX_ABS_VALUE)
        if bad.any():
            self._refuse_bad_cell()
        self.codes[start:stop] = self.block_codes
        self.n_rows = stop
        for pending in (self.block, self.block_lines, self.block_codes):
            pending.clear()

    def _refuse_bad_cell(self) -> None:
        names = [self.header[j] for j in self.feature_columns]
        for cells, line in zip(self.block, self.block_lines, strict=True):
            for cell, name in zip(cells, names, strict=True):
                _feature_value(cell.strip(), line, name)
        raise AssertionError("a block that failed to convert has no bad cell")  # pragma: no cover

    def raw(self) -> Raw:
        self._flush()
        if self.n_rows == 0:
            raise ValueError("the CSV file has a header row but no data rows")
        self.X.resize((self.n_rows, self.X.shape[1]), refcheck=False)
        X, codes = self.X, self.codes[:self.n_rows]
        class_names, recode = _classes(list(self.labels))
        _check_class_count(class_names, self.header[self.label_column])
        return Raw(X, recode[codes], class_names, [self.header[j] for j in self.feature_columns])


class _TargetTable(_Table):
    """A regression table: the target column is parsed as numbers with the features (so its
    missing, non-numeric or huge values are refused alike), then split off as ``y``."""

    @staticmethod
    def columns_read(width: int, label_column: int, features: list[int] | None) -> list[int]:
        """The features and the target, in the file's order."""
        return list(range(width)) if features is None else sorted([*features, label_column])

    def read(self, reader) -> None:
        width, block, block_lines, block_codes = len(self.header), self.block, self.block_lines, self.block_codes
        block_rows, rows_left = self.block_rows, self.max_rows
        pick = _picker(self.feature_columns) if self.feature_columns != list(range(width)) else None
        for row in reader:
            if len(row) != width or _is_blank(row):
                if _is_blank(row):
                    continue
                raise ValueError(f"line {reader.line_num} has {len(row)} values but the header "
                                 f"has {width} columns (ragged rows)")
            if not rows_left:
                self._too_many_rows()
            rows_left -= 1
            block.append(pick(row) if pick else row)
            block_lines.append(reader.line_num)
            block_codes.append(0)
            if len(block) == block_rows:
                self._flush()

    def raw(self) -> Raw:
        self._flush()
        if self.n_rows == 0:
            raise ValueError("the CSV file has a header row but no data rows")
        table = self.X[:self.n_rows]
        target = self.feature_columns.index(self.label_column)
        y = table[:, target].copy()
        if y.min() == y.max():
            raise ValueError(f"the target column {self.header[self.label_column]!r} has a single value "
                             f"({_number_name(float(y[0]))}); a regression needs targets that vary")
        order = [self.feature_columns.index(j) for j in self.features]
        return Raw(np.ascontiguousarray(table[:, order]), y, (), [self.header[j] for j in self.features])


def _picker(columns: list[int]):
    """row -> the list of its cells in ``columns``."""
    if len(columns) == 1:
        only = columns[0]
        return lambda row: [row[only]]
    get = operator.itemgetter(*columns)
    return lambda row: list(get(row))


_MISSING_EVERYWHERE = ("; empty cells and " + ", ".join(sorted(repr(m) for m in MISSING_MARKERS if m))
                       + " (any case) are missing values in every column, never a class")


def _feature_value(cell: str, line: int, column: str) -> float:
    where = f"in column {column!r} on line {line}"
    value = _parse_number(cell)
    if cell.lower() in MISSING_MARKERS or value is not None and math.isnan(value):
        raise ValueError(f"missing value {cell!r} (empty or NaN) {where}")
    if value is None:
        hint = "; use '.' as the decimal point" if "," in cell else ""
        raise ValueError(f"non-numeric value {cell!r} {where}; features must be numbers{hint}")
    if math.isinf(value) and "inf" in cell.lower():
        raise ValueError(f"infinite value {cell!r} {where}; features must be finite numbers")
    if not abs(value) <= MAX_ABS_VALUE:
        raise ValueError(f"value {cell!r} {where} is too large: features must lie within "
                         f"±{MAX_ABS_VALUE:g}, beyond which standardising them would overflow")
    return value


def _classes(labels: list[str]) -> tuple[list[str], np.ndarray]:
    """The class names, numbers in numeric order and anything else in string order, and the
    class of each label (``recode[code]``, codes in order of first appearance)."""
    values = [_parse_number(label) for label in labels]
    if all(value is not None and math.isfinite(value) for value in values):
        classes, recode = np.unique(np.array(values, dtype=np.float64), return_inverse=True)
        return [_number_name(value) for value in classes], recode.reshape(-1)
    classes, recode = np.unique(np.array(labels, dtype=str), return_inverse=True)
    return [str(name) for name in classes], recode.reshape(-1)


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
