"""Text from another person or from a file, shown as text wherever Streamlit renders Markdown.

A movie-night partner's name, titles and reasons from an imported file, a file's name: in Streamlit's Markdown
(st.success, st.caption, st.progress, expander and link labels, and `unsafe_allow_html` blocks) such text
could draw an image from any host (`![](http://host/x.png)`), a link or HTML. `as_text` makes it literal: HTML
special characters become entities and every other ASCII punctuation mark is backslash-escaped (CommonMark
lets any of them be escaped), so no Markdown, math, colour or icon syntax survives. `&` and `;` are left to
the entities. Whitespace runs (newlines included) become one space: the text stays one inline run.

Escapes cannot stop GFM's bare-URL links (they are found in the parsed text, after escapes are undone), so
`unlinked` puts an invisible WORD JOINER (U+2060) after `http`/`https`/`www` and before `@`: a bare URL or
e-mail address shows as typed but is not a link.
"""

from __future__ import annotations

import html
import re

WORD_JOINER = "\u2060"
_PUNCTUATION = re.compile("([" + re.escape("!\"#$%'()*+,-./:<=>?@[\\]^_`{|}~") + "])")
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")


def unlinked(text: str) -> str:
    """`text` with a WORD JOINER where GFM would start a bare-URL or e-mail link."""
    return _AUTOLINK_STARTS.sub(WORD_JOINER, text)


def as_text(text: object) -> str:
    """`text` shown literally inside Markdown or inline HTML (never inside an HTML attribute)."""
    one_line = " ".join(str(text).split())
    return _PUNCTUATION.sub(r"\\\1", html.escape(unlinked(one_line), quote=False))
