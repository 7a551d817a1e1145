"""The live element: one persistent Components v2 element that plays each tick's frames back
on canvases. Its JavaScript is several files in static/, concatenated at load into one module in
the order of JS_FILES (a later file may call what an earlier one declares; element.js, last,
holds the default export). The payload format is declared in frames.py.

  base.js       colours and small helpers      payload.js   decoding a tick's bytes
  counters.js   window.__nnpg (below)          schedule.js  the jitter buffer
  scene.js      per network: colour tables, images; a frame into them
  layout.js     where each panel sits, its size; the panel registry
  hover.js      tooltips (text nodes only) and hit-testing
  keys.js       keyboard shortcuts: space, → or s, r, f press Play, Step, Reset, Presenter
  evaluate.js   the network over the plane from a frame's weights (no DOM: it also runs in the worker)
  evaluator.js  where that runs: a Web Worker (the page itself only where workers are forbidden)
  stream.js     while playing, asking the server for each batch over the live stream (stream.py)
  panels/*.js   one painter per panel (boundary, curve, network, stats), in name order
  element.js    mounting, receiving, the animation loop

Before the files: the registries' JavaScript (registry_script): ACTIVATION_JS, OUTPUT_JS and
INPUT_JS, one function per entry of engine/activations.py and engine/features.py written from its
`javascript` field, and EVALUATOR_SOURCE, the text the Web Worker runs (those functions,
evaluate.js and worker.js). Nothing is evaluated from the payload: the code is the script's.

Adding a live-view panel touches three places:
  1. frames.py: one function that writes its section, registered by a decorator, e.g.
         @section("frame", "float32", item=lambda header: header["sizes"][-1])
         def outputs_section(src: Sources) -> bytes: ...
     (kind "scene", "frame" or "batch"; each frame then carries an item of it, and the element
     decodes it into frame.outputs with no change to payload.js);
  2. static/panels/<name>.js: registerPanel({name, build, resize, paint, hover, ...}) (the hooks
     are described in layout.js); it is picked up by the glob below;
  3. static/layout.js: its place (LAYOUT) and its size (measure).

Events from the element to Python: the element calls sendEvent(state, name, value) (element.js),
a Components v2 trigger value; ``on_event(name, handler)`` registers ``handler(value)`` for it,
called from the trigger's callback before the live fragment reruns (a handler may st.rerun with a
scope). "diagram" (diagram_edits.py): the network edited on its diagram; "points"
(points.py): a point clicked in; "stopped" (page.py): training stopped itself; "stream" and "tick"
(stream.py): the live stream failed, and the page is asked for a tick instead.

For tests and benchmarks, in the page:
  DOM      #nnpg-root, canvases #nnpg-boundary, #nnpg-net, #nnpg-curve; the stat values
           #nnpg-epoch, #nnpg-train-loss, #nnpg-test-loss, #nnpg-train-acc, #nnpg-test-acc
           (each id is also its data-testid), #nnpg-state (paused / training / diverged).
  window.__nnpg
           mounts         real (re)mounts of the element: 1 unless React remounted it
           framesPainted  training frames painted; fps = those in the last second; rafHz
           batches, lastSeq, bytes   payloads received, the last one's sequence and size
           pageUpdates    payloads the page handed over (a run of the live fragment); the rest came
                          over the live stream: stream {opened, closed, asked, answered, empty}
           run            network generation (a new network, new data or Reset bumps it)
           epoch, loss, testLoss, playing   what is on screen
           lastLagMs, avgLagMs, p95LagMs   frame computed on the server -> painted (p95 over
                          the last 240 painted frames, sorted when read)
           transitMs      payload sent by the server -> received by the element
           queued, holds  frames waiting to be shown; batches that arrived later than planned
           paintMs        time to paint one frame
           runShownAt     performance.now() when a new run's first frame was painted
           events, lastEvent   events sent to Python: how many, the last {name, value}
           evaluations, evaluation   networks evaluated over the plane in the browser; the last one:
                          {run, epoch, where ("page" or "worker"), ms, weights, values, codes, k,
                          resolution} (values: decision_boundary's, (res, res, k) row-major, before
                          encoding; codes: the boundary's); evalMs: the worker's time per evaluation
           textBoxes()    every text the canvases drew and the panels' buttons, in page pixels,
                          each {panel, text, x0, y0, x1, y1, canvas: its canvas's box}
"""

import json
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from engine.activations import ACTIVATIONS, OUTPUTS
from engine.features import INPUTS

from . import stream

KEY = "nnpg-live"
STATIC = Path(__file__).parent / "static"
JS_FILES = ("base.js", "counters.js", "payload.js", "schedule.js", "scene.js", "layout.js", "hover.js",
            "keys.js", "evaluate.js", "evaluator.js", "stream.js", "panels/*.js", "element.js")
WORKER_FILES = ("evaluate.js", "worker.js")  # the Web Worker's script, after the registries' functions


def layer_function(entry) -> str:
    """An activation entry as a JavaScript function (Z, units) overwriting the layer Z (rows x units,
    row-major) with its outputs; None when the entry has no JavaScript (the server evaluates then)."""
    if entry.javascript:
        return f"(Z) => {{ for (let i = 0; i < Z.length; i++) {{ const z = Z[i]; Z[i] = {entry.javascript}; }} }}"
    if entry.javascript_row:
        body = entry.javascript_row.replace("\n", "\n    ")
        return (f"(layer, units) => {{\n  for (let r = 0; r < layer.length; r += units) {{\n"
                f"    const Z = layer.subarray(r, r + units);\n    {body}\n  }}\n}}")
    return "null"


def registry_script() -> str:
    """The registries' JavaScript: ACTIVATION_JS, OUTPUT_JS (layer functions) and INPUT_JS ((x1, x2) => value)."""
    def table(name, entries, function):
        rows = ",\n".join(f"  {json.dumps(key)}: {function(entry)}" for key, entry in entries.items())
        return f"const {name} = {{\n{rows},\n}};"

    return "\n".join([
        table("ACTIVATION_JS", ACTIVATIONS, layer_function),
        table("OUTPUT_JS", OUTPUTS, layer_function),
        table("INPUT_JS", INPUTS, lambda entry: f"(x1, x2) => {entry.javascript}" if entry.javascript else "null"),
    ])


def script_files() -> list[str]:
    """The files of JS_FILES in their order (a glob in name order), as paths under static/."""
    return [path.relative_to(STATIC).as_posix() for pattern in JS_FILES for path in sorted(STATIC.glob(pattern))]


def script() -> str:
    """The element's JavaScript: the registries' (registry_script), EVALUATOR_SOURCE, then the files of
    JS_FILES in that order. The page assembles the same from the served files (loader)."""
    registries = registry_script()
    worker = "\n".join([registries, *((STATIC / name).read_text() for name in WORKER_FILES)])
    return "\n".join([f"// ---- the registries (live.registry_script)\n{registries}",
                      f"const EVALUATOR_SOURCE = {json.dumps(worker)};",
                      *(f"// ---- {name}\n{(STATIC / name).read_text()}" for name in script_files())])


def loader() -> str:
    """What the element is registered with: Streamlit sends a component's JavaScript with every rerun
    of the live fragment (about 90 kB four times a second). So the element's code stays on the server's
    static route (server.enableStaticServing: app/static/ is playground/static/, same origin, no
    network beyond it): this loader fetches the files once per page, assembles script() from them and
    the registries' JavaScript, imports it from a Blob, and hands it every update (those that arrived
    while it loaded, in order); it adds live.css to the page the same way."""
    files, registries = script_files(), registry_script()
    return f"""const FILES = {json.dumps(files)}, WORKER_FILES = {json.dumps(list(WORKER_FILES))}, CSS = "live.css";
const REGISTRIES = {json.dumps(registries)};
let element = null, loading = null;
const waiting = [];

async function load() {{
  const base = new URL("app/static/", document.baseURI);
  const names = [...new Set([...FILES, ...WORKER_FILES, CSS])];
  const texts = Object.fromEntries(await Promise.all(names.map(async (name) => {{
    const reply = await fetch(new URL(name, base));
    if (!reply.ok) throw new Error(`the live element's ${{name}}: HTTP ${{reply.status}}`);
    return [name, await reply.text()];
  }})));
  const worker = [REGISTRIES, ...WORKER_FILES.map((name) => texts[name])].join("\\n");
  const source = [`// ---- the registries (live.registry_script)\\n${{REGISTRIES}}`,
    `const EVALUATOR_SOURCE = ${{JSON.stringify(worker)}};`,
    ...FILES.map((name) => `// ---- ${{name}}\\n${{texts[name]}}`)].join("\\n");
  const style = document.createElement("style");
  style.id = "nnpg-css";
  style.textContent = texts[CSS];
  document.head.appendChild(style);
  const url = URL.createObjectURL(new Blob([source], {{ type: "text/javascript" }}));
  element = (await import(url)).default;
  window.__nnpgScript = source.length;  // for tests: what was assembled
  for (const component of waiting.splice(0)) element(component);
}}

export default function (component) {{
  if (element) return element(component);
  waiting.push(component);
  loading = loading || load();
}}
"""


_element = st.components.v2.component(
    "nn_playground_live",
    js=loader(),  # which also brings live.css, once per page
    isolate_styles=False,
)


EVENTS: dict[str, Callable[[object], None]] = {}  # event name -> handler(value)


def on_event(name: str, handler: Callable[[object], None]) -> None:
    """Call ``handler(value)`` when the element sends event ``name``."""
    EVENTS[name] = handler


HANDLED = "live_events_handled"  # session state: the ids of the events handled last
REMEMBERED = 64


def _callback(name: str) -> Callable[[], None]:
    """The handler of event ``name``, once per event id: a trigger that arrives again with a later
    rerun (Streamlit sends one that coincides with a timer tick twice; see clicks.py) is skipped."""

    @stream.guard
    def callback():
        sent = st.session_state.get(KEY)
        value = sent.get(name) if sent is not None else None
        if value is None:
            return
        event_id = value.get("id") if isinstance(value, dict) else None
        handled = st.session_state.setdefault(HANDLED, [])
        if event_id is not None:
            if event_id in handled:
                return
            handled.append(event_id)
            del handled[:-REMEMBERED]
        EVENTS[name](value)

    return callback


def show(payload: bytes) -> None:
    """Hand one tick's batch to the element; the key keeps it mounted across ticks."""
    _element(key=KEY, data=payload, **{f"on_{name}_change": _callback(name) for name in EVENTS})
