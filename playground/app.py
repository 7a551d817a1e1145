"""NN Playground's server. Run from the repo root:
streamlit run playground/app.py

Streamlit serves the page (page.py, the Streamlit script) with one route of ours beside it: the
live stream (stream.py), the WebSocket over which a playing element pulls its frames."""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402
from streamlit import config  # noqa: E402

from playground import stream  # noqa: E402

app = st.App(Path(__file__).with_name("page.py"), routes=stream.routes(config.get_option("server.baseUrlPath")))
