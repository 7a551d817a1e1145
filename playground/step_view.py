"""The step inspector: the update that Step makes next, array by array, each next to its equation.

The arrays are the engine's own (:func:`engine.trace.next_step`): the trace of that update and the
weights after it, which equal what Step produces to the bit in full batch (with mini-batches: after
the epoch's first update). Every equation comes from the registry entries the engine computes with."""

from __future__ import annotations

import json

import numpy as np
import streamlit as st

from engine import ACTIVATIONS, HEADS, OPTIMIZERS, OUTPUTS
from engine.tasks import REGRESSION
from engine.trace import NextStep, next_step

from . import tables
from .frames import input_labels, output_labels


def draw(view) -> None:
    model = view.model
    if view.playing:
        st.info("Pause to see the next step's arrays: they change every epoch while training plays.",
                icon=":material/pause:")
        return
    if model.diverged:
        st.warning("Training diverged: press Reset (or Play, which starts again) for a fresh network first.")
        return
    with np.errstate(all="ignore"):  # an update that overflows is shown as such, as Step would meet it
        plan = next_step(model.trainer)
    _intro(plan, model)
    forward, backward, update = st.tabs(["Forward pass", "Backward pass", "Update"])
    with forward:
        _forward(plan, model)
    with backward:
        _backward(plan, model)
    with update:
        _update(plan, model)
    st.download_button("Download every array of this step (JSON, full precision)", data=lambda: to_json(plan, model),
                       file_name=f"step_{model.epoch + 1}.json", mime="application/json", on_click="ignore",
                       icon=":material/download:", key="inside_step_download")


# ---- what is shown ------------------------------------------------------------------------------
def _intro(plan: NextStep, model) -> None:
    n_train, n = len(model.data.y_train), len(plan.rows)
    epoch = model.epoch
    if plan.full_batch:
        st.markdown(f"Step trains one epoch. In full batch that is **one update on all {n} training rows**: "
                    f"the arrays below are that update's, and the weights under *after* (Update tab) are exactly "
                    f"the weights Step will leave, epoch {epoch} → {epoch + 1}.")
    else:
        st.markdown(f"Step trains one epoch: **{plan.updates} updates** on shuffled mini-batches of {n} of the "
                    f"{n_train} training rows. Shown is the **first** of them, on the mini-batch that epoch "
                    f"{epoch + 1} starts with; *after* is the weights after this first update. Step then makes "
                    f"{plan.updates - 1} more, so the weights after Step are not these.")
    st.caption(f"The first {min(tables.SHOWN_ROWS, n)} of {n} rows are shown, rounded; the download has every "
               "array in full precision. Layer l's weights W are (units of l) × (units of l − 1): rows are samples "
               "throughout.")


def _shape(array: np.ndarray) -> str:
    return r" \times ".join(str(k) for k in np.atleast_2d(array).shape) if array.ndim > 1 else str(array.shape[0])


def _latex(equation: str, array: np.ndarray | None = None) -> None:
    shape = "" if array is None else rf"\qquad [{_shape(array)}]"
    st.latex(equation + shape)


def _columns(model, layer: int, width: int) -> list[str]:
    """Column names of layer ``layer``'s output (0: the inputs): input features, units, or classes."""
    names = model.data
    if layer == 0:
        return input_labels(model.net, names)  # x₁², sin(x₁), … when the network computes input features
    if layer == len(model.net.params) and model.net.task == REGRESSION:
        return output_labels(model.net, names)
    if layer == len(model.net.params):
        classes = list(names.class_names)
        return [f"P({classes[1]})"] if width == 1 else [f"P({c})" for c in classes[:width]]
    return tables.units(width)


def _row_names(plan: NextStep) -> list[str]:
    """The traced rows by their index in the training split."""
    return [f"row {r}" for r in plan.rows[:tables.SHOWN_ROWS]]


def _function_label(model, layer: int) -> str:
    last = layer == len(model.net.params)
    entry = OUTPUTS[model.net.output] if last else ACTIVATIONS[model.net.activation]
    return f"output layer, {entry.label}" if last else f"hidden layer {layer}, {entry.label}"


def _forward(plan: NextStep, model) -> None:
    trace, L = plan.trace, len(plan.trace.layers)
    _latex(r"X = A^{[0]}", trace.X)
    tables.show(tables.frame(trace.X, _columns(model, 0, trace.X.shape[1]), _row_names(plan)), key="inside_step_X")
    for l, layer in enumerate(trace.layers, start=1):
        entry = OUTPUTS[layer.function] if l == L else ACTIVATIONS[layer.function]
        st.markdown(f"**Layer {l}** · {_function_label(model, l)}")
        _latex(rf"Z^{{[{l}]}} = A^{{[{l - 1}]}} W^{{[{l}]\top}} + b^{{[{l}]}}", layer.Z)
        left, right = st.columns([3, 2])
        with left:
            st.caption(f"W[{l}]: {layer.W.shape[0]} × {layer.W.shape[1]} (a row per unit of layer {l})")
            tables.show(tables.frame(layer.W, _columns(model, l - 1, layer.W.shape[1]),
                                     tables.units(layer.W.shape[0]), rows=None), key=f"inside_step_W_{l}")
        with right:
            st.caption(f"b[{l}]: {layer.b.shape[0]}")
            tables.show(tables.frame(layer.b[:, None], ["b"], tables.units(len(layer.b)), rows=None),
                        key=f"inside_step_b_{l}")
        tables.show(tables.frame(layer.Z, tables.units(layer.Z.shape[1], "z"), _row_names(plan)),
                    key=f"inside_step_Z_{l}")
        symbol = "P" if l == L else f"A^{{[{l}]}}"
        _latex(rf"{symbol} = g(Z^{{[{l}]}}),\quad {entry.formula}", layer.A)
        tables.show(tables.frame(layer.A, _columns(model, l, layer.A.shape[1]), _row_names(plan)),
                    key=f"inside_step_A_{l}")
    head = HEADS[trace.head]
    st.markdown(f"**Loss** · {head.label}")
    st.latex(rf"{head.loss_formula} = {trace.data_loss:.6g}")
    if trace.penalty:
        st.latex(_penalty_latex(trace) + rf" = {trace.penalty:.6g}")
        st.latex(rf"L + \text{{penalty}} = {trace.loss:.6g}")
    net = model.net
    if net.task == REGRESSION:  # the target as the user knows it; the loss compares P with it standardised
        st.caption(f"Targets y, one row per sample, in their own units; the output unit learns them standardised, "
                   f"Y = (y − {net.target_mean:.6g}) / {net.target_scale:.6g}, which the loss compares P with:")
        Y = model.data.y_train[plan.rows][:, None]
    else:
        st.caption("Targets Y, one row per sample:")
        Y = trace.Y
    tables.show(tables.frame(Y, _columns(model, L, Y.shape[1]), _row_names(plan)), key="inside_step_Y")


def _penalty_latex(trace) -> str:
    terms = []
    if trace.l2:
        terms.append(rf"\frac{{{trace.l2:g}}}{{2n}} \sum_l \lVert W^{{[l]}} \rVert^2")
    if trace.l1:
        terms.append(rf"\frac{{{trace.l1:g}}}{{n}} \sum_l \sum |W^{{[l]}}|")
    return r"\text{penalty} = " + " + ".join(terms)


def _backward(plan: NextStep, model) -> None:
    trace, L = plan.trace, len(plan.trace.layers)
    head = HEADS[trace.head]
    st.markdown(f"**Output layer** · {head.label}: the slope of the mean loss in each output pre-activation")
    _latex(head.delta_formula, trace.layers[-1].dZ)
    tables.show(tables.frame(trace.layers[-1].dZ, tables.units(trace.layers[-1].dZ.shape[1], "dz"), _row_names(plan)),
                key=f"inside_step_dZ_{L}")
    for l in range(L, 0, -1):
        layer = trace.layers[l - 1]
        st.markdown(f"**Layer {l}** · gradients of its weights and biases")
        penalty = ""
        if trace.l2:
            penalty += rf" + \frac{{{trace.l2:g}}}{{n}} W^{{[{l}]}}"
        if trace.l1:
            penalty += rf" + \frac{{{trace.l1:g}}}{{n}} \operatorname{{sign}}(W^{{[{l}]}})"
        _latex(rf"dW^{{[{l}]}} = dZ^{{[{l}]\top}} A^{{[{l - 1}]}}{penalty}", layer.dW)
        tables.show(tables.frame(layer.dW, _columns(model, l - 1, layer.dW.shape[1]),
                                 tables.units(layer.dW.shape[0]), rows=None), key=f"inside_step_dW_{l}")
        _latex(rf"db^{{[{l}]}} = \textstyle\sum_i dZ^{{[{l}]}}_i", layer.db)
        tables.show(tables.frame(layer.db, tables.units(len(layer.db))), key=f"inside_step_db_{l}")
        if l > 1:
            below = trace.layers[l - 2]
            entry = ACTIVATIONS[below.function]
            st.markdown(f"**Back to layer {l - 1}** · through its {entry.label}")
            _latex(rf"dA^{{[{l - 1}]}} = dZ^{{[{l}]}} W^{{[{l}]}}", below.dA)
            tables.show(tables.frame(below.dA, tables.units(below.dA.shape[1], "da"), _row_names(plan)),
                        key=f"inside_step_dA_{l - 1}")
            _latex(rf"dZ^{{[{l - 1}]}} = dA^{{[{l - 1}]}} \odot g'(Z^{{[{l - 1}]}}),\quad {entry.derivative_formula}",
                   below.dZ)
            tables.show(tables.frame(below.dZ, tables.units(below.dZ.shape[1], "dz"), _row_names(plan)),
                        key=f"inside_step_dZ_{l - 1}")
    _agreement(plan, model)


def _agreement(plan: NextStep, model) -> None:
    """Say whether these gradients are, bit for bit, the ones the engine's fast backprop trains with."""
    data, trainer = model.data, model.trainer
    _, grads = model.net.loss_and_gradients(data.X_train[plan.rows], data.y_train[plan.rows],
                                            l2=trainer.l2, l1=trainer.l1)
    equal = all(np.array_equal(dW, mine) and np.array_equal(db, mine_b)
                for (dW, db), (mine, mine_b) in zip(grads, plan.trace.grads))
    if equal:
        st.success("These dW and db are, bit for bit, the gradients the engine's backpropagation trains with.",
                   icon=":material/check:")
    else:
        st.error("These gradients differ from the engine's backpropagation: please report this.")


def _update(plan: NextStep, model) -> None:
    spec = OPTIMIZERS[plan.optimizer_name]
    st.markdown(f"**{spec.label}** · the rule, applied to every layer's W and b")
    for line in spec.rule:
        st.latex(line)
    constants = {r"\eta": plan.lr, **plan.optimizer.constants()}
    st.latex(r",\quad ".join(f"{symbol} = {value:g}" for symbol, value in constants.items()))
    if "t" in constants:
        st.caption(f"t counts Adam's updates; this one is update t = {constants['t']} (the values above are after it).")
    for l, (layer, (W_after, b_after)) in enumerate(zip(plan.trace.layers, plan.after), start=1):
        st.markdown(f"**Layer {l}**")
        columns = _columns(model, l - 1, layer.W.shape[1])
        rows = tables.units(layer.W.shape[0])
        before, after = st.columns(2)
        with before:
            st.caption(f"W[{l}] before")
            tables.show(tables.frame(layer.W, columns, rows, rows=None), key=f"inside_step_W_before_{l}")
        with after:
            st.caption(f"W[{l}] after")
            tables.show(tables.frame(W_after, columns, rows, rows=None), key=f"inside_step_W_after_{l}")
        st.caption(f"b[{l}] before and after")
        tables.show(tables.frame(np.vstack([layer.b, b_after]), rows, ["before", "after"], rows=None),
                    key=f"inside_step_b_{l}_update")
        for name, state in plan.optimizer.layer_state(l - 1).items():
            st.caption(f"{name.replace('_', ' of ')} after this update")
            names = rows if state.ndim == 1 else columns
            tables.show(tables.frame(state, names, None if state.ndim == 1 else rows, rows=None),
                        key=f"inside_step_{name}_{l}")
    if not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in plan.after):
        st.warning("This update overflows to infinity or NaN: Step will call it a divergence and keep the weights "
                   "from before it.")
    elif plan.full_batch:
        st.success("Press Step: the network's weights become exactly these *after* weights.", icon=":material/check:")
    else:
        st.info(f"Press Step: the weights pass through these *after* weights, then {plan.updates - 1} more updates "
                "on the epoch's other mini-batches.")


# ---- the download ---------------------------------------------------------------------------------
def to_json(plan: NextStep, model) -> str:
    """Every array of the step in full precision (JSON numbers round-trip float64)."""
    trace = plan.trace
    layers = []
    for layer, (W_after, b_after), index in zip(trace.layers, plan.after, range(len(trace.layers))):
        record = {name: getattr(layer, name).tolist() for name in ("W", "b", "Z", "A", "dZ", "dW", "db")}
        record["function"] = layer.function
        record["dA"] = None if layer.dA is None else layer.dA.tolist()
        record["W_after"], record["b_after"] = W_after.tolist(), b_after.tolist()
        record["optimizer_state_after"] = {name: state.tolist()
                                           for name, state in plan.optimizer.layer_state(index).items()}
        layers.append(record)
    document = {
        "epoch_before": model.epoch, "full_batch": plan.full_batch, "updates_in_epoch": plan.updates,
        "rows": plan.rows.tolist(), "X": trace.X.tolist(), "Y": trace.Y.tolist(), "head": trace.head,
        "loss": trace.loss, "data_loss": trace.data_loss, "penalty": trace.penalty, "l2": trace.l2, "l1": trace.l1,
        "optimizer": plan.optimizer_name, "learning_rate": plan.lr,
        "optimizer_constants_after": {name.lstrip("\\"): value for name, value in plan.optimizer.constants().items()},
        "layers": layers,
    }
    return json.dumps(document)
