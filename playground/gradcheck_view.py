"""The gradient check: backpropagation against slopes measured by central differences, per layer.

Runs on a copy of the current network (float64) and the training rows, on a button press (it
evaluates the loss twice per parameter); the result stays on screen, marked with the epoch it
was measured at."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import streamlit as st

from engine import gradient_check

from . import tables

RESULT = "inside_gradcheck_result"
AGREE, CLOSE = 1e-7, 1e-4
MAX_EVALUATIONS = 4_000_000  # parameters × rows: beyond this the check uses the first rows only


@dataclass(frozen=True)
class Check:
    run: int
    epoch: int
    rows: int
    errors: list[float]
    seconds: float


def rows_for(n_params: int, n_rows: int) -> int:
    """How many training rows the check uses: all, unless that would take too long."""
    return max(1, min(n_rows, MAX_EVALUATIONS // max(n_params, 1)))


def measure(model) -> Check:
    net, data, trainer = model.net.copy(), model.data, model.trainer
    rows = rows_for(net.n_params, len(data.y_train))
    start = time.perf_counter()
    errors = gradient_check(net, data.X_train[:rows], data.y_train[:rows], l2=trainer.l2, l1=trainer.l1)
    return Check(model.run, model.epoch, rows, errors, time.perf_counter() - start)


def verdict(errors: list[float]) -> str:
    """Plain words for the largest relative error."""
    worst = max(errors)
    if worst == 0.0:
        return "Backprop and the measured slopes agree exactly."
    digits = int(math.floor(-math.log10(worst)))
    if worst < AGREE:
        return (f"Backprop agrees with the slope measured numerically to {digits} digits: the gradients the "
                "network learns from are right.")
    if worst < CLOSE:
        return (f"Backprop and the measured slopes agree to {digits} digits only. A ReLU unit sitting exactly at "
                "its kink (z = 0) can do this; anywhere else it would point to a mistake.")
    return ("Backprop and the measured slopes disagree: the gradients are wrong, or the loss is not smooth "
            "where the network is now.")


def draw(view) -> None:
    model = view.model
    st.caption("Backpropagation gives every weight's gradient at once. The check nudges each weight by ±1e-6, "
               "measures how the loss changes (central differences) and compares: the relative error "
               "‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) per layer.")
    if st.button("Run the gradient check", key="inside_gradcheck_run", icon=":material/calculate:"):
        if view.playing:
            st.info("Pause first: the check measures the network as it is at one epoch.")
        else:
            with st.spinner("Nudging every weight in turn…"):
                st.session_state[RESULT] = measure(model)
    check = st.session_state.get(RESULT)
    if check is None or check.run != model.run:
        return
    when = "now" if check.epoch == model.epoch else f"at epoch {check.epoch} (now {model.epoch})"
    st.markdown(f"Measured {when}, on {check.rows} training rows, in {check.seconds:.2f} s:")
    names = [f"layer {l}" for l in range(1, len(check.errors) + 1)]
    tables.show(tables.frame([check.errors], names, ["relative error"], rows=None), digits="%.2e",
                key="inside_gradcheck_errors")
    (st.success if max(check.errors) < AGREE else st.warning)(verdict(check.errors))
