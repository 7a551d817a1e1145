"""The plain approach, for comparison in benchmarks/bench_live.py: the same engine (moons, one hidden
layer of 8 tanh units, SGD lr 0.3, full batch) trained in an ``st.fragment(run_every=0.1)`` that redraws
the 100 x 100 decision boundary with ``st.plotly_chart`` (a heatmap + the points) on every run.

    streamlit run benchmarks/baseline_plotly_app.py   # ?play=1 is accepted and ignored: it always plays

The figure's ``layout.meta`` carries {"seq", "run", "epoch", "t"} (t: unix ms when it was computed) so
the benchmark can count redraws, read the epoch and measure lag in the page.  "Neurons" is the network
slider and "Noise" the data slider (each change: a new network), "Speed" the epochs per second ("max":
train for 60% of each run)."""

import sys
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402

from engine import Network, Trainer, decision_boundary, load_dataset, plane_for  # noqa: E402

RUN_EVERY = 0.1
SPEEDS = (1, 10, 30, 60, 120, 250, 500, 1000, "max")


class Run:
    """One network: its trainer and plane, and a play clock that says how many epochs are due."""

    def __init__(self, neurons: int, noise: float, number: int):
        self.data = load_dataset("moons", n_samples=200, noise=noise, test_fraction=0.3, seed=0)
        self.net = Network([2, neurons, 1], activation="tanh", output="sigmoid", loss="log_loss",
                           init="xavier", seed=0)
        self.trainer = Trainer(self.net, self.data, lr=0.3, optimizer="sgd", seed=0)
        self.plane = plane_for(self.data, 100)
        self.key, self.number = (neurons, noise), number
        self.anchor, self.seq, self.loss = None, 0, float("nan")

    def advance(self, speed) -> None:
        now = time.perf_counter()
        if self.anchor is None or self.anchor[2] != speed:
            self.anchor = (now, self.trainer.epoch, speed)
        if speed == "max":
            rows = self.trainer.run(seconds=0.6 * RUN_EVERY)
        else:
            t0, e0, _ = self.anchor
            due = e0 + int((now - t0) * speed)
            rows = self.trainer.run(epochs=due - self.trainer.epoch) if due > self.trainer.epoch else []
        if rows:
            self.loss = rows[-1]["train_loss"]

    def figure(self) -> go.Figure:
        self.seq += 1
        P = decision_boundary(self.net, self.plane)[:, :, 1]
        X, y = self.data.X, self.data.y
        fig = go.Figure()
        fig.add_trace(go.Heatmap(x=self.plane.xs, y=self.plane.ys, z=np.round(P, 3), zmin=0, zmax=1,
                                 colorscale=[[0, "#f59322"], [0.5, "#f0f1f2"], [1, "#0877bd"]], showscale=False,
                                 hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=X[:, 0], y=X[:, 1], mode="markers", hoverinfo="skip",
                                 marker={"color": np.where(y == 1, "#0877bd", "#f59322"), "size": 7,
                                         "line": {"color": "white", "width": 1}}))
        fig.update_layout(
            width=470, height=470, margin={"l": 10, "r": 10, "t": 36, "b": 10}, showlegend=False,
            title=f"epoch {self.trainer.epoch}  ·  loss {self.loss:.3f}",
            xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
            meta={"seq": self.seq, "run": self.number, "epoch": self.trainer.epoch, "t": time.time() * 1000},
        )
        return fig


st.set_page_config(page_title="plain st.plotly_chart baseline", layout="wide")
st.markdown("#### Baseline: the engine with `st.plotly_chart` in `st.fragment(run_every=0.1)`")


@st.fragment(run_every=RUN_EVERY)
def live():
    neurons, noise = st.session_state.get("neurons", 8), st.session_state.get("noise", 0.2)
    run = st.session_state.get("run")
    if run is None or run.key != (neurons, noise):
        run = st.session_state.run = Run(neurons, noise, 1 if run is None else run.number + 1)
    run.advance(st.session_state.get("speed", 60))
    st.plotly_chart(run.figure(), key="boundary", config={"displayModeBar": False})


with st.sidebar:
    st.slider("Noise", 0.0, 1.5, 0.2, step=0.01, key="noise")
    st.slider("Neurons", 1, 16, 8, key="neurons")
    st.select_slider("Speed (epochs per second)", SPEEDS, value=60, key="speed")
live()
