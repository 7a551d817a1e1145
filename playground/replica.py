"""Behind deploy/serve's nginx (several app processes, one per student session): when the process
that held a student's session stops, nginx sends the browser's reconnection to another process,
where a new session starts from the address bar's settings.  This tells the student so.

nginx passes the address of the replica that served the browser's page (its cookie
``nnpg_replica``) in the request header ``X-NNPG-Replica``; a session that starts on a different
replica has moved.  Without nginx (no header) nothing is shown."""

from __future__ import annotations

import streamlit as st

HEADER = "X-NNPG-Replica"
MOVED = "replica_moved"  # session_state: decided once, when the session starts
MESSAGE = ("The server you were on stopped, so you are now on another one. Your settings came back from the "
           "link; the training starts again from epoch 0. Press Play to go on.")


def moved(page_replica: str | None, port: int) -> bool:
    """Did this session start on another replica than the one that served the page?"""
    if not page_replica:
        return False
    return page_replica.rsplit(":", 1)[-1] != str(port)


def show_notice() -> None:
    if MOVED not in st.session_state:
        st.session_state[MOVED] = moved(st.context.headers.get(HEADER), st.get_option("server.port"))
    if st.session_state[MOVED]:
        st.warning(MESSAGE, icon=":material/sync_problem:")
