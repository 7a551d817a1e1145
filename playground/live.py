"""The live element: one persistent Components v2 element that plays each tick's frames back
on canvases (static/live.js, static/live.css; the payload format is in frames.py).

For tests and benchmarks, in the page:
  DOM      #nnpg-root, canvases #nnpg-boundary, #nnpg-net, #nnpg-curve; the stat values
           #nnpg-epoch, #nnpg-train-loss, #nnpg-test-loss, #nnpg-train-acc, #nnpg-test-acc
           (each id is also its data-testid), #nnpg-state (paused / training / diverged).
  window.__nnpg
           mounts         real (re)mounts of the element: 1 unless React remounted it
           framesPainted  training frames painted; fps = those in the last second; rafHz
           batches, lastSeq, bytes   payloads received, the last one's sequence and size
           run            network generation (a new network, new data or Reset bumps it)
           epoch, loss, testLoss, playing   what is on screen
           lastLagMs, avgLagMs, p95LagMs   frame computed on the server -> painted
           transitMs      payload sent by the server -> received by the element
           queued, holds  frames waiting to be shown; batches that arrived later than planned
           paintMs        time to paint one frame
           runShownAt     performance.now() when a new run's first frame was painted
"""

from pathlib import Path

import streamlit as st

KEY = "nnpg-live"
_STATIC = Path(__file__).parent / "static"

_element = st.components.v2.component(
    "nn_playground_live",
    js=(_STATIC / "live.js").read_text(),
    css=(_STATIC / "live.css").read_text(),
    isolate_styles=False,
)


def show(payload: bytes) -> None:
    """Hand one tick's batch to the element; the key keeps it mounted across ticks."""
    _element(key=KEY, data=payload)
