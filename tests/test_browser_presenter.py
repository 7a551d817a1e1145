"""Presenter mode on a short projector (1280x720) in a real browser (fixtures: browser_support.py):
the whole live view — stats, diagram, boundary and cost curve — is on screen without scrolling,
in the large type, with no text overlapping or leaving its canvas, for every extreme architecture.
At 1920x1080 the curve stays under the boundary; at 1280x720 it moves beside it."""

import pytest
from browser_support import assert_no_errors
from test_browser_diagram import EXTREMES, PROJECTOR, open_at, readable, sizes, text_boxes

SHORT_PROJECTOR = (1280, 720)
PRESENTER_SCALE = 1.45


def live_view_box(page) -> dict:
    return page.evaluate("""(() => {
        const root = document.getElementById('nnpg-root'), box = root.getBoundingClientRect();
        const canvases = ['nnpg-net', 'nnpg-boundary', 'nnpg-curve'].map(
            (id) => document.getElementById(id).getBoundingClientRect());
        return {bottom: Math.max(box.bottom, ...canvases.map((c) => c.bottom)), right: box.right,
                zoom: parseFloat(root.style.zoom), row: root.classList.contains('nnpg-row'),
                boundary: canvases[1].toJSON(), curve: canvases[2].toJSON()};
    })()""")


@pytest.mark.parametrize("hidden", EXTREMES + ["8"])
def test_presenter_mode_at_1280x720_shows_the_whole_live_view(browser, server, hidden):
    page = open_at(browser, server, SHORT_PROJECTOR, f"?present=1&hidden={hidden}")
    page.locator('[data-testid="nnpg-layers-more"]').wait_for()
    assert sizes(page)[1:-1] == ([int(n) for n in hidden.split(",")] if hidden else [])
    view = live_view_box(page)
    assert view["zoom"] == PRESENTER_SCALE  # the large type is kept
    assert view["bottom"] <= SHORT_PROJECTOR[1] and view["right"] <= SHORT_PROJECTOR[0], view
    assert view["row"] and view["curve"]["left"] >= view["boundary"]["right"], view  # the curve beside it
    assert view["boundary"]["height"] >= 300, view  # a boundary readable at the back of the room
    boxes = text_boxes(page)
    assert readable(boxes) == [], (hidden, readable(boxes))
    assert {"loss", "train", "test", "accuracy"} <= {b["text"] for b in boxes if b["panel"] == "curve"}
    assert_no_errors(page)
    page.context.close()


def test_presenter_mode_at_1920x1080_keeps_the_curve_under_the_boundary(browser, server):
    page = open_at(browser, server, PROJECTOR, "?present=1")
    view = live_view_box(page)
    assert not view["row"] and view["curve"]["top"] >= view["boundary"]["bottom"], view
    assert view["bottom"] <= PROJECTOR[1], view
    assert readable(text_boxes(page)) == []
    page.context.close()
