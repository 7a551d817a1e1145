"""NN Playground's page, the Streamlit script that app.py serves (streamlit run playground/app.py).

Two fragments: "controls" (the widgets and the Play/Step/Reset buttons; rerun only when they must
change how they look) and "live" (the live element; no button is drawn in it, see clicks.py).
While a network plays, the element pulls its frames over the live stream (stream.py); where the
server has no stream (AppTest, page.py run on its own) the live fragment ticks every player.TICK
instead, one tick of training a run. A moving control reruns the live fragment at once, never the
whole app, so the element stays mounted and shows the change within a frame or two. Every run and
every callback that may change the network holds the session's lock (stream.guard), which the
stream's ticks take too."""

import logging
import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from playground import clicks, diagram_edits, downloads, history, inspector, live, settings, share, stream, widgets  # noqa: E402
from playground.model import Model  # noqa: E402
from playground.plain import literal  # noqa: E402
from playground.player import TICK, Player  # noqa: E402
from playground.points import EVENT as POINTS_EVENT  # noqa: E402
from playground.points import handler as points_handler  # noqa: E402
from playground.replica import show_notice as show_replica_notice  # noqa: E402
from playground.upload import show as show_upload  # noqa: E402

KEY = "pg"
PLAY_SHOWN = "play_shown"  # whether the Play button as drawn says Pause
PAGE_CSS = ("<style>[data-testid='stMainBlockContainer']{padding-top:2.2rem}"
            "@media (max-width:640px){[data-testid='stMainBlockContainer']{padding-top:3.8rem}}</style>")
# Presenter mode: no sidebar, the live view across the screen, big buttons; the live element
# scales its type and lines by --nnpg-scale.
PRESENTER_CSS = """<style>
[data-testid='stMainBlockContainer']{padding:1rem 2rem 1rem;max-width:100%}
header[data-testid='stHeader']{display:none}
section[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],[data-testid='stExpandSidebarButton']{display:none}
.st-key-play button,.st-key-step button,.st-key-reset button{min-height:3.4rem}
.st-key-play button p,.st-key-step button p,.st-key-reset button p{font-size:1.45rem;font-weight:600}
:root{--nnpg-scale:1.45}
</style>"""
log = logging.getLogger("nn_playground")


def _act(method: str):
    """A button callback (Play, Step, Reset; drawn by the controls, once per click: clicks.py): call the
    session's method (a ValueError becomes a message, never a traceback), then rerun the live view and
    the controls (the Play button's label, the history chart)."""

    @clicks.once
    @stream.guard
    def callback():
        sess = st.session_state.get(KEY)
        st.session_state.pop("error", None)
        if sess is not None:
            try:
                getattr(sess, method)()
            except ValueError as error:
                st.session_state.error = str(error)
            except Exception as error:
                log.exception("NN Playground: %s failed", method)
                st.session_state.error = f"Something went wrong: {error}"
            st.session_state[PLAY_SHOWN] = sess.playing  # what the controls are about to draw
        st.rerun([widgets.LIVE, widgets.CONTROLS])

    return callback


def _session(configs) -> Player:
    sess = st.session_state.get(KEY)
    if sess is None:
        sess = st.session_state[KEY] = Player(Model(*configs))
        sess.playing = share.extras().get("play") == "1"
    else:
        sess.apply(*configs)
    return sess


def _shielded(body):
    """Whatever goes wrong shows as words on the page; the log keeps the traceback. The body holds the
    session's lock: the stream does not train while it runs."""
    try:
        with stream.channel().lock:
            body()
    except ValueError as error:
        st.error(literal(str(error)), icon=":material/warning:")
    except Exception as error:
        log.exception("NN Playground failed")
        st.error(f"Something went wrong: {error}", icon=":material/error:")


@st.fragment(key=widgets.CONTROLS)
def controls_fragment(bar, below):
    def body():
        actions = {name: _act(name) for name in ("step", "reset")}
        locked = frozenset(share.locked())
        sess = st.session_state.get(KEY)
        if sess is not None:
            widgets.play_button(bar[0], sess.playing, _act("toggle"))
            st.session_state[PLAY_SHOWN] = sess.playing
        widgets.sidebar(actions, locked, after={"data": lambda: show_upload(locked)})
        widgets.toolbar(bar[1:], actions, locked)
        with below.expander("Loss and accuracy over the epochs", key="history_open", on_change="rerun"):
            shown = sess is not None and st.session_state.get("history_open")
            if shown and sess.playing:
                st.caption(f"Epoch {sess.model.epoch} when opened; the curve above is live. "
                           "Pause to refresh this chart.")
            else:
                st.caption("Every epoch so far (thinned to at most 400 points); hover for the values.")
            figure = history.figure(sess.model.curve) if shown else history.EMPTY
            st.plotly_chart(figure, key="history", config={"displayModeBar": False})
        if sess is not None:
            with below.expander("Export", key="export_open", icon=":material/download:"):
                downloads.show(sess.model, sess)
        inspector.show(below, KEY)

    _shielded(body)


@st.fragment(key=widgets.LIVE, run_every=None if stream.SERVED else TICK)
def live_fragment(bar):
    def body():
        clicks.note_live_run()
        diagram_edits.settle()
        data, net, train, view = settings.configs(st.session_state)
        share.sync_address_bar()
        sess = st.session_state.get(KEY)
        problem = st.session_state.get("error")
        try:
            sess = _session((data, net, train))
        except ValueError as error:
            problem = str(error)
        if sess is not None:
            if stream.SERVED:
                stream.channel().follow(sess, view)
            live.show(sess.payload(sess.advance(view.speed), view))
            problem = problem or sess.model.message
            if sess.model.notice:  # clicked points a dataset switch dropped (model.Model.apply)
                st.info(literal(sess.model.notice), icon=":material/info:")
        if problem:  # a ticking fragment clears its own stale elements on its next tick
            st.error(literal(problem), icon=":material/warning:")

    _shielded(body)


def _stopped(_event) -> None:
    """Training stopped itself (a divergence; the element says so): redraw the controls, whose Play
    button still says Pause. A rerun of the page instead could drop a link's settings on its first ticks."""
    sess = st.session_state.get(KEY)
    if sess is not None and sess.playing != st.session_state.get(PLAY_SHOWN, sess.playing):
        st.session_state[PLAY_SHOWN] = sess.playing
        st.rerun([widgets.LIVE, widgets.CONTROLS])


live.on_event("stopped", _stopped)
live.on_event("stream", lambda _event: stream.channel().fall_back())  # its WebSocket failed: it asks the page
live.on_event("tick", lambda _event: None)  # ... like this: the live fragment's rerun trains and hands over
live.on_event(diagram_edits.EVENT, diagram_edits.handler(KEY))
live.on_event(POINTS_EVENT, points_handler(KEY))
share.read_once()
presenting = settings.configs(st.session_state)[3].present
st.set_page_config(page_title="NN Playground", layout="wide",
                   initial_sidebar_state="collapsed" if presenting or "all" in share.locked() else "auto")
st.html(PRESENTER_CSS if presenting else PAGE_CSS)
title, present_column, keys_column, share_column = st.columns([5, 1.2, 1, 1.1], vertical_alignment="center")
title.markdown("#### :material/hub: NN Playground &nbsp;<span style='color:#666;font-weight:400'>watch a network "
               "learn</span>", unsafe_allow_html=True)
widgets.header(present_column)
with keys_column.popover("Keys", use_container_width=True):
    st.markdown("**Space** play / pause  \n**→** or **S** one step  \n**R** reset  \n**F** presenter mode  \n"
                "Keys do nothing while you type in a field.")
share.popover(share_column)
share.show_notices()
show_replica_notice()  # behind deploy/serve: the student's server stopped and nginx moved them
toolbar = st.columns([1.25, 1, 1.15, 4, 1.5, 1.5], vertical_alignment="bottom")
main = st.container()
below = st.container()
from playground import lessons  # noqa: E402  (lessons: drawn before the widgets, since opening one sets them)

with stream.channel().lock:  # a lesson opened from a link rebuilds the network
    lessons.show(below, KEY)
with main:
    live_fragment(toolbar)
    controls_fragment(toolbar, below)
st.caption("Colours are the classes; deeper colour means a more confident network. Links: teal positive, "
           "brown negative weights, thicker is larger. Hover a neuron to see what it computes over the plane, "
           "a link for its weight, the cost curve for its values. Click the plane to add a point of the class "
           "selected in the legend, shift-click for the next class, alt- or ctrl-click to remove the nearest.")
