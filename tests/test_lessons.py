"""Lessons: the files load and are checked, every lesson's verdict passes through the command line,
a "what if" changes the measured figures, and a lesson built by the engine's runner is the same
experiment as the one the app builds from the same settings through its share-link codec."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.cli import main
from engine.evaluation import EpochRow
from engine.lessons import (
    Check,
    LessonError,
    Run,
    build,
    lessons,
    load_lesson,
    load_lessons,
    read_settings,
    run_lesson,
    train_run,
)
from engine.lessons.verdict import judge
from playground import lesson_setup, settings
from playground.model import Model

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lessons()
NAMES = list(LESSONS)
ISSUE_LESSONS = 9


def run_cli(capsys, *argv):
    status = main(["lesson", *argv])
    out, err = capsys.readouterr()
    return status, out, err


# ---- the files --------------------------------------------------------------------------------
def test_the_lessons_of_the_issue_are_there_in_menu_order():
    assert len(LESSONS) >= ISSUE_LESSONS
    assert [lesson.order for lesson in LESSONS.values()] == sorted(lesson.order for lesson in LESSONS.values())
    assert NAMES[0] == "xor"
    for lesson in LESSONS.values():
        sentences = re.findall(r"[.!?](\s|$)", lesson.watch)
        assert 2 <= len(sentences) <= 5, (lesson.name, lesson.watch)
        assert lesson.checks and lesson.runs
    comparisons = [lesson for lesson in LESSONS.values() if len(lesson.runs) > 1]
    assert len(comparisons) >= 5
    assert len(LESSONS["hidden_units"].runs) == 7


def write(folder, name, document):
    path = Path(folder) / f"{name}.json"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


GOOD = {
    "title": "Tiny", "watch": "One sentence. Two sentences.",
    "settings": {"dataset": "gaussian", "samples": 60, "hidden": "", "epochs": 50},
    "runs": [{"name": "only"}],
    "verdict": [{"run": "only", "figure": "train_accuracy", "compare": ">=", "expected": 0.9}],
}


def with_fields(**changes):
    return {**GOOD, **changes}


@pytest.mark.parametrize("document, says", [
    ("{not json", "not valid JSON"),
    (with_fields(colour="red"), "unknown field(s) colour"),
    ({k: v for k, v in GOOD.items() if k != "watch"}, "missing field(s) watch"),
    (with_fields(settings={"lr": -1}), "settings.lr: must be a number > 0"),
    (with_fields(settings={"learning_rate": 0.1}), "unknown setting 'learning_rate'"),
    (with_fields(settings={"hidden": 8}), 'settings.hidden: must be layer sizes as text, like "8,4"'),
    (with_fields(runs=[{"name": "only", "settings": {"batch": 0}}]), "runs[0].settings.batch"),
    (with_fields(runs=[{"name": "a"}, {"name": "a"}]), "two runs share a name"),
    (with_fields(settings={"dataset": "iris", "head": "sigmoid:log_loss"}), "runs[0] (only): head:"),
    (with_fields(settings={"dataset": "moons", "x": "petal width"}), "is not a feature of moons"),
    (with_fields(verdict=[{"run": "other", "figure": "train_accuracy", "compare": ">=", "expected": 1}]),
     "verdict[0].run: must be one of 'only'"),
    (with_fields(verdict=[{"run": "only", "figure": "speed", "compare": ">=", "expected": 1}]),
     "verdict[0].figure"),
    (with_fields(verdict=[{"run": "only", "figure": "train_loss", "compare": "between", "expected": 3}]),
     "with 'between', expected must be [low, high]"),
    (with_fields(verdict=[{"run": "only", "figure": "train_loss", "compare": "<", "expected": 1,
                           "relative_to": "nobody"}]), "verdict[0].relative_to"),
    (with_fields(verdict=[]), "verdict: must be a list of at least one check"),
])
def test_a_bad_lesson_file_is_refused_naming_the_file_and_the_field(tmp_path, document, says):
    path = write(tmp_path, "bad", document)
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    assert str(path) in str(error.value)
    assert says in str(error.value)


def test_a_teachers_new_lesson_is_one_file_and_runs(tmp_path):
    write(tmp_path, "tiny", GOOD)
    found = load_lessons(tmp_path)
    assert list(found) == ["tiny"]
    result = run_lesson(found["tiny"])
    assert result.verdict.passed
    assert result.verdict.measured["only: train_accuracy"] >= 0.9
    assert len(result.results["only"].history) == 50


def test_the_readme_example_lesson_loads_and_passes(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Writing a lesson"):]
    example = re.search(r"```json\n(.*?)```", section, flags=re.S).group(1)
    lesson = load_lesson(write(tmp_path, "readme_example", example))
    result = run_lesson(lesson)
    assert result.verdict.passed, result.verdict.text


# ---- the verdict is measured ------------------------------------------------------------------
def test_figures_are_measured_on_the_trained_network():
    result = train_run(Run("moons", read_settings({"dataset": "moons", "hidden": "4", "epochs": 100})))
    data, net = result.data, result.net
    assert result.measure("train_accuracy") == pytest.approx(net.accuracy(data.X_train, data.y_train))
    assert result.measure("test_accuracy") == pytest.approx(net.accuracy(data.X_test, data.y_test))
    assert result.measure("train_loss") == pytest.approx(net.loss_value(data.X_train, data.y_train))
    assert result.measure("gap") == pytest.approx(net.loss_value(data.X_test, data.y_test)
                                                  - net.loss_value(data.X_train, data.y_train))
    assert result.measure("loss_drop") == pytest.approx(result.start["train_loss"]
                                                        - net.loss_value(data.X_train, data.y_train))
    assert result.measure("predictions") == net.predict(data.X_train).tolist()
    assert result.measure("diverged") == 0
    net.params[0][0][:] = 0.0  # change the network: the figures follow it
    assert result.measure("predictions") == net.predict(data.X_train).tolist()


def test_the_rise_of_the_test_loss_is_from_its_lowest_point():
    result = train_run(Run("x", read_settings({"dataset": "gaussian", "samples": 40, "epochs": 3})))
    result.history = [EpochRow(1, 0.5, 0.6, 1, 1), EpochRow(2, 0.4, 0.3, 1, 1), EpochRow(3, 0.3, 0.45, 1, 1)]
    final = result.final["test_loss"]
    assert result.measure("test_loss_rise") == pytest.approx(final - min(0.3, final))


@pytest.mark.parametrize("compare, expected, measured, passed", [
    (">=", 0.9, 0.9, True), (">", 0.9, 0.9, False), ("<", 0.5, 0.4, True), ("<=", 0.5, 0.6, False),
    ("between", [0.5, 0.75], 0.75, True), ("between", [0.5, 0.75], 0.25, False),
    ("==", [0, 1, 1, 0], [0, 1, 1, 0], True), ("==", [0, 1, 1, 0], [0, 1, 1, 1], False),
    (">=", 0.9, None, False),
])
def test_comparisons(compare, expected, measured, passed):
    verdict = judge("t", [Check("r", "train_accuracy", compare, expected)], {"r": {"train_accuracy": measured}})
    assert verdict.passed is passed
    assert verdict.word == ("Passed" if passed else "Not yet")
    assert verdict.measured == {"r: train_accuracy": measured}


def test_a_check_relative_to_another_run_multiplies_its_figure():
    check = Check("adam", "train_loss", "<", 0.5, relative_to="sgd")
    fast = judge("t", [check], {"adam": {"train_loss": 0.1}, "sgd": {"train_loss": 0.3}})
    slow = judge("t", [check], {"adam": {"train_loss": 0.2}, "sgd": {"train_loss": 0.3}})
    assert fast.passed and not slow.passed
    assert "0.5 × sgd's (0.15)" in fast.expected["adam: train_loss"]


# ---- every lesson through the command line ----------------------------------------------------
def test_list_prints_each_lesson_name_then_its_title():
    done = subprocess.run([sys.executable, "-m", "engine", "lesson", "--list"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(maxsplit=1)[0] for line in lines] == NAMES
    assert [line.split(maxsplit=1)[1] for line in lines] == [lesson.title for lesson in LESSONS.values()]


@pytest.mark.parametrize("name", NAMES)
def test_every_lesson_passes_through_the_command_line(capsys, name):
    status, out, err = run_cli(capsys, name, "--json")
    assert err == ""
    result = json.loads(out)
    assert set(result) == {"lesson", "passed", "measured", "expected"}
    assert result["lesson"] == name
    assert result["passed"] is True, result
    assert status == 0
    checks = LESSONS[name].checks
    assert list(result["measured"]) == [f"{check.run}: {check.figure}" for check in checks]
    assert all(value is not None for value in result["measured"].values())


def test_the_text_verdict_names_each_measured_figure(capsys):
    status, out, _ = run_cli(capsys, "xor")
    assert status == 0
    assert "Passed: xor" in out
    assert "3 hidden neurons: predictions [0, 1, 1, 0]" in out
    assert "no hidden layer: final train loss 0.693" in out


def test_what_if_without_the_hidden_layer_is_measured_and_fails(capsys):
    status, out, _ = run_cli(capsys, "xor", "--set", "hidden=", "--json")
    result = json.loads(out)
    assert status == 1 and result["passed"] is False
    assert result["measured"]["3 hidden neurons: predictions"] != [0, 1, 1, 0]
    assert result["measured"]["no hidden layer: train_loss"] > 0.69


def test_what_if_settings_are_repeatable_and_apply_to_every_run(capsys):
    status, out, _ = run_cli(capsys, "learning_rate", "--set", "lr=0.3", "--set", "epochs=200", "--json")
    result = json.loads(out)
    assert status == 1 and result["passed"] is False
    assert result["measured"]["too large: diverged"] == 0  # at 0.3 nothing diverges
    lesson = LESSONS["learning_rate"].with_settings(read_settings({"lr": 0.3, "epochs": 200}))
    assert all(run.values["lr"] == 0.3 and run.values["epochs"] == 200 for run in lesson.runs)


@pytest.mark.parametrize("argv, says", [
    (["nope"], "no lesson 'nope'"),
    (["xor", "--set", "lr=fast"], "--set lr=fast: must be a number > 0"),
    (["xor", "--set", "colour=red"], "unknown setting 'colour'"),
    (["xor", "--set", "lr"], "write NAME=VALUE"),
    (["iris", "--set", "head=sigmoid:log_loss"], "head"),
    ([], "give a lesson's NAME"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, argv, says):
    status, out, err = run_cli(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and says in err


# ---- the engine's runner and the app build the same experiment ---------------------------------
EXTRA_RUNS = [
    Run("the defaults", {}),
    Run("iris plane", read_settings({"dataset": "iris", "x": "sepal width (cm)", "y": "petal width (cm)"})),
    Run("iris same axes", read_settings({"dataset": "iris", "x": "petal width (cm)", "y": "petal width (cm)"})),
    Run("iris x only", read_settings({"dataset": "iris", "x": "petal width (cm)", "samples": 90})),
    Run("batches and l1", read_settings({"dataset": "circles", "noise": 0.5, "test": 0.2, "data_seed": 3,
                                          "batch": 10, "reg": "l1", "reg_rate": 0.01, "optimizer": "momentum",
                                          "hidden": "5,4,3", "activation": "relu", "init": "he", "seed": 7})),
]
ALL_RUNS = [(lesson.name, run) for lesson in LESSONS.values() for run in lesson.runs] + \
           [("extra", run) for run in EXTRA_RUNS]


@pytest.mark.parametrize("lesson_name, run", ALL_RUNS, ids=[f"{n}-{r.name}" for n, r in ALL_RUNS])
def test_runner_and_app_build_the_same_data_weights_and_training(lesson_name, run):
    data, net, trainer = build(run.values)
    state, notices = lesson_setup.widget_state(run)
    assert notices == [], "a setting the widgets cannot show"
    _, data_cfg, net_cfg, train_cfg = lesson_setup.configs_for(run)
    model = Model(data_cfg, net_cfg, train_cfg)
    for part in ("X_train", "y_train", "X_test", "y_test", "mean", "scale"):
        assert np.array_equal(getattr(model.data, part), getattr(data, part)), part
    assert model.data.feature_names == data.feature_names
    assert model.net.config() == net.config()
    for (W_app, b_app), (W, b) in zip(model.net.params, net.params):
        assert np.array_equal(W_app, W) and np.array_equal(b_app, b)
    for name in ("lr", "optimizer", "batch_size", "l1", "l2"):
        assert getattr(model.trainer, name) == getattr(trainer, name), name
    assert model.trainer.step().as_dict() == trainer.step().as_dict()  # the same shuffling too


def test_the_widgets_show_every_setting_a_lesson_gives_but_the_truth_tables_size():
    for lesson in LESSONS.values():
        for run in lesson.runs:
            state, _ = lesson_setup.widget_state(run)
            shown_data, data_cfg, _, _ = lesson_setup.configs_for(run)
            if run.values["dataset"] == "xor" and run.values["samples"] == 4:
                ctx = settings.Values(state).context
                assert data_cfg.n_samples == 4
                assert shown_data.n_samples == settings.N_SAMPLES.resolve("default", ctx)
            else:
                assert shown_data == data_cfg
