"""The address bar as the experiment: a link's settings are read once per browser session, the
address bar then follows every change, and a Share popover gives the link (with locks if the
teacher wants them). The codec itself is links.py."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from . import links, settings
from .user_data import UPLOAD

READ, WRITTEN, NOTICES, EXTRAS = "link_read", "link_written", "link_notices", "link_extras"
KEPT = ("lesson", "lock")  # extras that stay in the address bar


def read_once() -> None:
    """The link's settings into session state, before any widget is drawn (first run only)."""
    if st.session_state.get(READ):
        return
    params, notices = _without_upload(st.query_params.to_dict())
    decoded = links.decode(params)
    for key, value in decoded.updates.items():
        st.session_state[key] = value
    st.session_state[NOTICES] = notices + decoded.notices
    st.session_state[EXTRAS] = decoded.extras
    st.session_state[READ] = True


def _without_upload(params: dict) -> tuple[dict, list[str]]:
    """A link made while an uploaded table was shown: the file stayed in its browser, so the link
    opens the default dataset (its axes, named by the file's columns, go too) with a notice."""
    if params.get(settings.DATASET.link) != UPLOAD:
        return params, []
    dropped = {settings.DATASET.link, settings.PLANE_X.link, settings.PLANE_Y.link, settings.ALL_FEATURES.link,
               settings.PROBLEM.link}
    notice = ("This link was made with an uploaded dataset, which stays in the browser it was uploaded in: "
              "the default dataset is shown instead. Upload the file under \"Your own data (CSV)\".")
    return {name: value for name, value in params.items() if name not in dropped}, [notice]


def extras() -> dict[str, str]:
    return st.session_state.get(EXTRAS, {})


def locked() -> set[str]:
    """Link names of the controls the link locks; {"all"} locks every control."""
    text = extras().get("lock", "")
    names = {name.strip() for name in text.split(",") if name.strip()}
    return {"all"} if "all" in names else names


def params(state) -> dict[str, str]:
    """The current settings as link parameters, with the link's lesson, lock and presenter flags."""
    kept = {name: value for name, value in extras().items() if name in KEPT}
    return {**links.encode(state), **kept}


def sync_address_bar() -> None:
    """Write the current settings into the address bar when they changed."""
    current = params(st.session_state)
    if current != st.session_state.get(WRITTEN):
        st.query_params.from_dict(current)
        st.session_state[WRITTEN] = current


def show_notices() -> None:
    for notice in st.session_state.get(NOTICES, []):
        st.warning(notice, icon=":material/link_off:")


def _lockable() -> list[str]:
    return [c.link for c in settings.CONTROLS if c.link and c.kind != "state"]


def popover(where) -> None:
    """Share: the link to this experiment (st.code has a copy button), optionally with locks."""
    with where.popover("Share", icon=":material/share:", use_container_width=True):
        st.caption("Opening this link gives the same data, the same starting weights and the same losses.")
        if settings.configs(st.session_state)[0].source is not None:
            st.caption(":material/info: Your own data (an upload, or points you drew) can't travel in a link: "
                       "whoever opens it gets the default dataset (a blank plane for drawn points).")
        locks = st.multiselect("Lock for students", ["all", *_lockable()], key="share_locks",
                               help="Locked controls are disabled for whoever opens the link; 'all' hides them.")
        shared = {k: v for k, v in params(st.session_state).items() if k != "lock"}
        if locks:
            shared["lock"] = "all" if "all" in locks else ",".join(locks)
        base = st.context.url or ""
        st.code(f"{base}?{urlencode(shared)}" if shared else base or "(the app's address)", language=None,
                wrap_lines=True)
