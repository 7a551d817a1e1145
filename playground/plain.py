"""Text that may hold the learner's own names (an uploaded file's columns, labels and cells) shown
through Streamlit's Markdown elements (st.error, st.warning, st.caption): every ASCII punctuation
mark is backslash-escaped (CommonMark's escapes), so a name like ``[x](http://e.com)``,
``<img src=x onerror=...>``, ``**bold**``, ``:red[x]`` or ``$x$`` shows literally, never as a link,
HTML, emphasis, a Streamlit directive or maths. Streamlit also turns bare addresses into links
after parsing (GFM's autolink literals: ``http://…``, ``www.…``, ``a@b.c``), which no escape
prevents: an invisible word joiner (U+2060) goes after "http"/"https", inside "www." and after "@"."""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_AUTOLINKS = re.compile(r"(?i)(https?)(?=:)|(www)(?=\.)|(@)")
JOINER = "\u2060"


def literal(text: str) -> str:
    """``text`` as Markdown that renders as ``text`` (with invisible joiners where it would link)."""
    unlinked = _AUTOLINKS.sub(lambda match: match[0] + JOINER, str(text))
    return _PUNCTUATION.sub(r"\\\1", unlinked).replace("\n", "  \n")
