"""Lessons in the app: a menu, what to watch, a Run button, the verdict and the runs compared.

Opening a lesson (from the menu, or from ``?lesson=NAME`` on the first run) sets the data,
network and training controls to its first run's settings, through the share-link codec, before
the widgets are drawn, and shows that run's untrained network. "Run lesson" trains every run to
its end on the server (not in the live loop), one after the other: each is set up exactly as
opening it would, trained, measured with the engine's figures and pinned for Compare runs. The
verdict is the engine's (``engine.lessons``), judged on the networks trained here; the live view
is left on the last run.

Some settings are beyond what the widgets show (XOR's truth table has 4 points, below the samples
slider): the model is built from the lesson's settings, and :class:`LessonModel` keeps that data
for as long as the widgets' data settings are still those the lesson set."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from engine.boundary import decision_boundary, plane_for
from engine.lessons import SETTINGS, Lesson, LessonError, Run, RunResult, Verdict, lessons, verdict_of
from engine.lessons.figures import shown

from . import compare, links, settings, share
from .model import Model
from .palette import THEMES
from .player import Player

PICK = "lesson_pick"  # the menu's widget key
OPENED = "lesson_opened"  # the lesson whose settings the controls hold
LINK_DONE = "lesson_link_done"  # ?lesson= has been opened (once per session)
RESULT = "lesson_result"  # the last "Run lesson": a Shown
FAILED = "lesson_failed"  # why a lesson could not open or run
VERDICT_KEY = "lesson-verdict"
PICTURE = 48  # grid points per side of each run's boundary in the small multiples
PARTS = ("data", "network", "training")


# ---- a lesson run -> the controls and the configs -------------------------------------------
def link_params(run: Run) -> dict[str, str]:
    """The run's settings as share-link parameters (``epochs`` is the lesson's, not a control)."""
    return {name: SETTINGS[name].text(value) for name, value in run.settings.items() if name != "epochs"}


def widget_state(run: Run) -> tuple[dict, list[str]]:
    """The value of every data, network and training control for ``run`` (the link codec's reading
    of its settings, the controls' defaults for the rest) and the codec's notices. The number of
    points is read on its own: a count the slider cannot show (the truth table's 4) leaves the
    slider alone without a notice, since the data config carries the lesson's count anyway."""
    params = link_params(run)
    samples = params.pop(settings.N_SAMPLES.link, None)
    decoded = links.decode(params)
    updates = dict(decoded.updates)
    if samples is not None:
        updates.update(links.decode({**params, settings.N_SAMPLES.link: samples}).updates)
    values = settings.Values(updates)
    state = {c.key: values[c] for c in settings.CONTROLS if c.part in PARTS and c.kind != "button"}
    return state, decoded.notices


def configs_for(run: Run):
    """``(widgets' data config, the run's data config, net config, train config)``: the configs
    the widgets give for the run, with the lesson's own number of points."""
    state, _ = widget_state(run)
    shown_data, net, train, _ = settings.configs(state)
    spec_rows = run.values["samples"]
    data = replace(shown_data, n_samples=int(min(spec_rows, _max_rows(shown_data.name))))
    return shown_data, data, net, train


def _max_rows(dataset: str) -> float:
    return settings.Context(dataset, 0, "none").spec.max_rows or math.inf


class LessonModel(Model):
    """A lesson run's model. While the widgets' data config is ``shown_data_cfg`` (the one the
    lesson set), it stands for the lesson's data, which the widgets may be unable to show."""

    def __init__(self, shown_data_cfg, data_cfg, net_cfg, train_cfg, after_run: int = 0):
        super().__init__(data_cfg, net_cfg, train_cfg)
        self.shown_data_cfg = shown_data_cfg
        self.run += after_run  # numbered after the model it replaces: the live element sees a new network

    def apply(self, data_cfg, net_cfg, train_cfg) -> None:
        if data_cfg == self.shown_data_cfg:
            data_cfg = self.data_cfg
        super().apply(data_cfg, net_cfg, train_cfg)


def open_run(run: Run, key: str) -> Player:
    """Set the controls to ``run`` and put its untrained network in the live view."""
    state, notices = widget_state(run)
    for name, value in state.items():
        st.session_state[name] = value
    st.session_state[share.NOTICES] = notices
    shown_data, data, net, train = configs_for(run)
    old = st.session_state.get(key)
    model = LessonModel(shown_data, data, net, train, after_run=old.model.run if old else 0)
    player = Player(model)
    if old is not None:
        player.seq = old.seq
    st.session_state[key] = player
    return player


# ---- running a lesson ----------------------------------------------------------------------
@dataclass(frozen=True)
class Picture:
    """A trained run's boundary on a small grid and its points, for the small multiples."""

    name: str
    xs: np.ndarray
    ys: np.ndarray
    probs: np.ndarray  # (len(ys), len(xs), k)
    X: np.ndarray  # training rows on the plane's two features
    y: np.ndarray
    train_accuracy: float | None
    test_accuracy: float | None


@dataclass(frozen=True)
class Shown:
    """What "Run lesson" measured: the verdict, each run's picture, the truth tables of checks on
    predictions and the test rows' confusion matrices (more than two classes)."""

    lesson: str
    verdict: Verdict
    pictures: tuple[Picture, ...]
    truth_tables: dict  # run name -> rows (inputs..., expected, predicted)
    confusions: dict  # run name -> (k, k) counts, rows the true class
    class_names: tuple[str, ...]


def picture(name: str, model: Model, result: RunResult) -> Picture:
    plane = plane_for(model.data, PICTURE, model.features)
    fx, fy = model.features
    return Picture(name, plane.xs, plane.ys, decision_boundary(model.net, plane), model.data.X_train[:, [fx, fy]],
                   model.data.y_train, result.final["train_accuracy"], result.final["test_accuracy"])


def confusion(y: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (y, predicted), 1)
    return counts


def run_lesson(lesson: Lesson, key: str) -> Shown:
    """Every run set up as opening it would, trained to its end, measured; the runs pinned."""
    results, pictures, pins, truth_tables, confusions = {}, [], [], {}, {}
    predicted_runs = {check.run for check in lesson.checks if check.figure == "predictions"}
    for run in lesson.runs:
        model = open_run(run, key).model
        start = model.row
        rows = model.train(epochs=run.values["epochs"])
        result = RunResult(run.name, model.data, model.net, start, rows, model.trainer.diverged)
        results[run.name] = result
        pictures.append(picture(run.name, model, result))
        pins.append(compare.pin_of(model, run.name))
        data = model.data
        if run.name in predicted_runs:
            truth_tables[run.name] = [[*map(float, x), int(t), int(p)] for x, t, p in
                                      zip(data.X_train, data.y_train, model.net.predict(data.X_train))]
        if data.n_classes > 2 and len(data.y_test):
            confusions[run.name] = confusion(data.y_test, model.net.predict(data.X_test), data.n_classes)
    if len(lesson.runs) > 1:
        compare.set_pins(pins)
    return Shown(lesson.name, verdict_of(lesson, results), tuple(pictures), truth_tables, confusions,
                 tuple(model.data.class_names))


# ---- the panel -----------------------------------------------------------------------------
def _lessons() -> dict[str, Lesson]:
    try:
        return lessons()
    except LessonError as error:
        st.error(f"A lesson file could not be read: {error}", icon=":material/school:")
        return {}


def _follow_in_link(name: str | None) -> None:
    """The address bar (and so the Share link) names the open lesson."""
    extras = share.extras()
    if share.EXTRAS in st.session_state:
        if name:
            extras["lesson"] = name
        else:
            extras.pop("lesson", None)


def open_lesson(name: str, key: str) -> None:
    found = _lessons().get(name)
    st.session_state.pop(RESULT, None)
    st.session_state.pop(FAILED, None)
    st.session_state[OPENED] = found.name if found else None
    _follow_in_link(found.name if found else None)
    if found is not None:
        open_run(found.runs[0], key)


def _picked(key: str):
    def callback():
        open_lesson(st.session_state.get(PICK) or "", key)

    return callback


def _run(key: str):
    def callback():
        found = _lessons().get(st.session_state.get(OPENED) or "")
        if found is None:
            return
        st.session_state.pop(FAILED, None)
        try:
            st.session_state[RESULT] = run_lesson(found, key)
        except ValueError as error:
            st.session_state.pop(RESULT, None)
            st.session_state[FAILED] = f"The lesson could not run: {error}"

    return callback


def _open_from_link(available: dict[str, Lesson], key: str) -> None:
    """``?lesson=NAME``: open it once, at the start of the session's first run."""
    if st.session_state.get(LINK_DONE):
        return
    st.session_state[LINK_DONE] = True
    name = share.extras().get("lesson")
    if not name:
        return
    if name not in available:
        st.session_state[FAILED] = f"Link parameter 'lesson={name}' is not a lesson here; it was ignored."
        return
    st.session_state[PICK] = name
    open_lesson(name, key)


def show(where, key: str) -> None:
    """The Lessons section and Compare runs, in ``where``; call it before the controls are drawn
    (opening a lesson from a link sets them). ``key``: the session-state key of the player."""
    available = _lessons()
    _open_from_link(available, key)
    opened = available.get(st.session_state.get(OPENED) or "")
    failed = st.session_state.get(FAILED)
    with where.expander("Lessons", expanded=opened is not None or bool(failed), icon=":material/school:"):
        if failed:
            st.warning(failed, icon=":material/school:")
        st.selectbox("Lesson", ["", *available], key=PICK, on_change=_picked(key),
                     format_func=lambda name: available[name].title if name else "Choose a lesson…",
                     help="Sets the controls to the lesson's experiment; Run lesson trains it and gives the verdict.")
        if opened is not None:
            _lesson_panel(opened, key)
    compare.show(where, key)


def _lesson_panel(lesson: Lesson, key: str) -> None:
    st.markdown(f"**{lesson.title}**")
    st.write(lesson.watch)
    runs = ", ".join(f"{run.name} ({run.values['epochs']} epochs)" for run in lesson.runs)
    st.caption(f"Runs: {runs}.")
    st.button("Run lesson", key="lesson_run", type="primary", icon=":material/play_lesson:", on_click=_run(key))
    result: Shown | None = st.session_state.get(RESULT)
    with st.container(key=VERDICT_KEY):
        if result is None or result.lesson != lesson.name:
            st.caption("The verdict appears here once the lesson has run.")
            return
        _verdict(result)
    if len(result.pictures) > 1:
        st.plotly_chart(small_multiples(result.pictures), key="lesson_boundaries", config={"displayModeBar": False})
    for name, counts in result.confusions.items():
        st.markdown(f"**{name}**: test rows, true species down, predicted across")
        names = list(result.class_names)
        st.dataframe({"": names, **{f"called {c}": counts[:, j].tolist() for j, c in enumerate(names)}},
                     hide_index=True)


def _verdict(result: Shown) -> None:
    verdict = result.verdict
    headline = f"**{verdict.word}** — measured on the trained network{'s' if len(result.pictures) > 1 else ''}"
    (st.success if verdict.passed else st.warning)(headline, icon=":material/check_circle:" if verdict.passed
                                                    else ":material/pending:")
    st.markdown("\n".join(f"- {outcome.text}" for outcome in verdict.outcomes))
    for name, rows in result.truth_tables.items():
        n_inputs = len(rows[0]) - 2
        st.markdown(f"**{name}**: the truth table")
        table = {f"x{i + 1}": [shown(row[i]) for row in rows] for i in range(n_inputs)}
        table |= {"expected": [row[-2] for row in rows], "predicted": [row[-1] for row in rows]}
        st.dataframe(table, hide_index=True)


def _hex(colour) -> str:
    return "#" + "".join(f"{v:02x}" for v in colour)


def small_multiples(pictures: tuple[Picture, ...]) -> go.Figure:
    """Each run's boundary side by side (the likeliest class, deeper where surer) with its training
    points, its name and accuracies above."""
    columns = min(len(pictures), 4)
    rows = math.ceil(len(pictures) / columns)
    titles = [f"{p.name}<br>train {shown(p.train_accuracy)} · test {shown(p.test_accuracy)}" for p in pictures]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.03,
                        vertical_spacing=0.12)
    colours = THEMES["standard"].classes
    for i, pic in enumerate(pictures):
        row, col = i // columns + 1, i % columns + 1
        k = pic.probs.shape[-1]
        label = pic.probs.argmax(axis=-1)
        sure = np.sort(pic.probs, axis=-1)
        lead = sure[..., -1] - sure[..., -2]
        z = label + np.clip(lead, 0, 0.999)  # class c spans [c, c + 1): deeper colour further in
        scale = []
        for c in range(k):
            r, g, b = colours[c % len(colours)]
            end = 1.0 if c == k - 1 else (c + 1) / k - 1e-6
            scale += [[c / k, "rgb(250,250,251)"], [end, f"rgba({r},{g},{b},0.75)"]]
        fig.add_trace(go.Heatmap(x=pic.xs, y=pic.ys, z=z, zmin=0, zmax=k, colorscale=scale, showscale=False,
                                 hoverinfo="skip"), row=row, col=col)
        fig.add_trace(go.Scatter(x=pic.X[:, 0], y=pic.X[:, 1], mode="markers", hoverinfo="skip", showlegend=False,
                                 marker={"size": 5, "color": [_hex(colours[c % len(colours)]) for c in pic.y],
                                         "line": {"width": 0.6, "color": "white"}}), row=row, col=col)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=230 * rows + 40, margin={"l": 5, "r": 5, "t": 50, "b": 5}, plot_bgcolor="white")
    return fig
