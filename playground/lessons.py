"""Lessons in the app: a menu, what to watch, a Run button, the verdict and the runs compared.

Opening a lesson (from the menu, or from ``?lesson=NAME`` on the first run) sets the data,
network and training controls to its first run's settings and shows that run's untrained
network (lesson_setup.py). "Run lesson" trains every run to its end on the server (not in the
live loop), one after the other: each is set up exactly as opening it would, trained, measured
with the engine's figures and pinned for Compare runs. The verdict is the engine's
(``engine.lessons``), judged on the networks trained here; the live view is left on the last
run, and the runs' boundaries are drawn side by side (lesson_pictures.py)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from engine.lessons import Lesson, LessonError, RunResult, Verdict, lessons, verdict_of
from engine.lessons.figures import shown

from . import compare, confusion_view, share, stream
from .lesson_pictures import Picture, picture, small_multiples
from .lesson_setup import open_run, restore_controls

PICK = "lesson_pick"  # the menu's widget key
OPENED = "lesson_opened"  # the lesson whose settings the controls hold
LINK_DONE = "lesson_link_done"  # ?lesson= has been opened (once per session)
RESULT = "lesson_result"  # the last "Run lesson": a Shown
FAILED = "lesson_failed"  # why a lesson could not open or run
VERDICT_KEY = "lesson-verdict"


# ---- running a lesson ----------------------------------------------------------------------
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
        pictures.append(picture(run.name, model, result.final))
        pins.append(compare.pin_of(model, run.name))
        data = model.data
        if run.name in predicted_runs:
            truth_tables[run.name] = [[*map(float, x), int(t), int(p)] for x, t, p in
                                      zip(data.X_train, data.y_train, model.net.predict(data.X_train))]
        if data.n_classes > 2 and len(data.y_test):
            confusions[run.name] = confusion_view.confusion(data.y_test, model.net.predict(data.X_test),
                                                            data.n_classes)
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


def open_lesson(name: str, key: str, browser_has_widgets: bool = True) -> None:
    found = _lessons().get(name)
    st.session_state.pop(RESULT, None)
    st.session_state.pop(FAILED, None)
    st.session_state[OPENED] = found.name if found else None
    _follow_in_link(found.name if found else None)
    if found is not None:
        open_run(found.runs[0], key, browser_has_widgets)


def _picked(key: str):
    @stream.guard
    def callback():
        open_lesson(st.session_state.get(PICK) or "", key)

    return callback


def _run(key: str):
    @stream.guard
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
    open_lesson(name, key, browser_has_widgets=False)


def show(where, key: str) -> None:
    """The Lessons section and Compare runs, in ``where``; call it before the controls are drawn
    (opening a lesson from a link sets them). ``key``: the session-state key of the player."""
    available = _lessons()
    _open_from_link(available, key)
    restore_controls()
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
        st.markdown(f"**{name}**: the test rows")
        st.dataframe(confusion_view.tables_for(counts, result.class_names)[0])


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


