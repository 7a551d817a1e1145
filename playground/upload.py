"""Your own data: the sidebar's CSV upload.

A file is read by the engine (``load_csv``: streamed, within its limits of bytes, rows, columns
and values, a bad file refused with a message that names the problem) as soon as it arrives, with
its last column as the label; the label column, the feature columns and the problem can then be
chosen and the file read again. A good file becomes the session's upload (session state only,
never a module global: another browser never sees it) and the dataset menu's "Your data" entry,
trained like a built-in table. A bad one leaves everything as it was and says why. Everything from
the file (names, labels, values) is shown as text in dataframes and messages, never as Markdown
or HTML."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.datasets import preview_csv
from engine.tasks import CLASSIFICATION, REGRESSION, TASKS

from . import settings
from .control_writes import set_controls
from .plain import literal
from .user_data import SESSION_KEY, UPLOAD, UserData, class_counts, read_upload

FILE, LABEL, FEATURES, PROBLEM, USE = "upload_file", "upload_label", "upload_features", "upload_problem", "upload_use"
PROBLEM_KEY = "upload_message"  # session state: the last refusal, shown until the next good file
PREVIEW_ROWS = 5


def limit_mb() -> int:
    """The server's upload limit (``server.maxUploadSize`` in .streamlit/config.toml), in MB."""
    return int(st.get_option("server.maxUploadSize"))


def _columns(file) -> tuple[list[str], list[list[str]]]:
    """The file's header and first rows as text; ([], []) when there is no file or it is not CSV text."""
    if file is None:
        return [], []
    try:
        return preview_csv(file.getvalue(), PREVIEW_ROWS)
    except ValueError:
        return [], []


def _load(label: str | None, features: list[str] | None, task: str) -> None:
    """Read the uploaded file; a good one becomes the session's data and the dataset shown, a bad
    one's message is kept for the page and nothing else changes."""
    file = st.session_state.get(FILE)
    if file is None:
        return
    try:
        data = read_upload(file.name, file.getvalue(), label, task, features)
    except ValueError as error:
        st.session_state[PROBLEM_KEY] = refusal(file.name, str(error), task, label, file)
        return
    st.session_state.pop(PROBLEM_KEY, None)
    st.session_state[SESSION_KEY] = data
    set_controls({settings.PROBLEM.key: task, settings.DATASET.key: UPLOAD})


def refusal(file_name: str, reason: str, task: str, label: str | None, file=None) -> str:
    """The page's one message for a refused file: its name, load_csv's reason, and that nothing was
    lost; a classification refused over a numeric label (too many classes, say) also says Regression."""
    text = f"{file_name}: {reason}" + ("" if reason.endswith((".", "?", "!")) else ".")
    header, rows = _columns(file)
    labels = [row[header.index(label)] for row in rows if len(row) == len(header)] if label in header else []
    if task == CLASSIFICATION and _numbers(labels):
        text += f" If {label!r} is a number to predict, choose Regression and press Use these columns."
    return text + " The data you had is still loaded."


def _arrived() -> None:
    """A new file (or none): read it at once, its last column the label, as a classification, its
    features the columns that look numeric in the first rows."""
    st.session_state.pop(PROBLEM_KEY, None)
    header, _ = _columns(st.session_state.get(FILE))
    for key in (LABEL, FEATURES):
        st.session_state.pop(key, None)
    st.session_state[PROBLEM] = CLASSIFICATION
    if st.session_state.get(FILE) is None:
        return
    if not header:  # not CSV text: load_csv says why
        _load(None, None, CLASSIFICATION)
        return
    features = numeric_columns(*_columns(st.session_state.get(FILE)))
    if features and len(features) < len(header) - 1:  # an id or a name column stays out, as if unticked
        st.session_state[FEATURES] = features
    _load(header[-1], features or None, CLASSIFICATION)
    st.rerun(scope="app")


def numeric_columns(header: list[str], rows: list[list[str]]) -> list[str]:
    """The columns but the last (the label) whose cells in the first rows are all numbers: a guess
    at the features, shown in the feature menu (load_csv checks every row)."""
    return [name for j, name in enumerate(header[:-1]) if _numbers([row[j] if j < len(row) else "" for row in rows])]


def _numbers(cells: list[str]) -> bool:
    """Some cells, each a number."""

    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    return bool(cells) and all(number(cell) for cell in cells)


def _chosen() -> None:
    """Use these columns: read the file again with the chosen label, features and problem."""
    _load(st.session_state.get(LABEL), st.session_state.get(FEATURES) or [], st.session_state.get(PROBLEM))
    st.rerun(scope="app")


def show(locked: frozenset[str] = frozenset()) -> None:
    """The upload panel (in the sidebar, after the data controls). The same widgets are always drawn
    (disabled without a file): a fragment that removes widgets can leave them on screen."""
    off = settings.DATASET.lock_name in locked or "all" in locked
    with st.expander("Your own data (CSV)", icon=":material/upload_file:", expanded=SESSION_KEY in st.session_state):
        file = st.file_uploader(f"Upload a CSV file (at most {limit_mb()} MB)", type=["csv", "txt"], key=FILE,
                                on_change=_arrived, disabled=off,
                                help="A header row, then one row per example: numeric feature columns and a "
                                     "label column. At most 100,000 rows and 1,000 columns. It stays in this "
                                     "browser tab: a share link cannot carry it.")
        st.caption(f"Limit {limit_mb()} MB per file. The file stays in this browser tab only.")
        header, rows = _columns(file)
        label_options = header or ["(no file)"]
        label = st.selectbox("Label column", label_options, index=len(label_options) - 1, key=LABEL,
                             disabled=not header or off)
        others = [name for name in header if name != label]
        st.multiselect("Feature columns (empty: all the others)", others, key=FEATURES, disabled=not header or off)
        st.radio("Problem", list(TASKS), format_func=lambda name: TASKS[name].label, key=PROBLEM, horizontal=True,
                 disabled=not header or off, help="Regression predicts the label column as a number.")
        st.button("Use these columns", key=USE, on_click=_chosen, disabled=not header or off,
                  icon=":material/table_view:", width="stretch")
        problem = st.session_state.get(PROBLEM_KEY)
        if problem:
            st.error(literal(problem), icon=":material/warning:")
        if header:
            st.caption("The file's first rows:")
            st.dataframe(_text_table(header, rows), hide_index=True, width="stretch")
        loaded: UserData | None = st.session_state.get(SESSION_KEY)
        if loaded is not None:
            _summary(loaded)


def _text_table(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    """Cells as text, columns numbered (two columns may share a name in a file that will be refused)."""
    width = len(header)
    cells = [(row + [""] * width)[:width] for row in rows]
    frame = pd.DataFrame(cells, columns=[str(j) for j in range(width)], dtype=str)
    frame.columns = pd.Index([f"{name}" if header.count(name) == 1 else f"{name} ({j + 1})"
                              for j, name in enumerate(header)])
    return frame


def _summary(data: UserData) -> None:
    """The loaded table: rows, features, and the rows of each class."""
    features = ", ".join(data.raw.feature_names)
    kind = "a regression" if data.task == REGRESSION else f"{len(data.raw.class_names)} classes"
    st.caption(f"Loaded: {len(data.raw.y)} rows, {len(data.raw.feature_names)} features, {kind}.")
    st.dataframe(pd.DataFrame({"features": [features]}, dtype=str), hide_index=True, width="stretch")
    counts = class_counts(data)
    if counts:
        st.dataframe(pd.DataFrame({"class": list(counts), "rows": list(counts.values())}).astype({"class": str}),
                     hide_index=True, width="stretch")
