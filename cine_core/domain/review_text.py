"""A review's words without its markup: Letterboxd exports reviews as HTML (<i>, <b>, <a href>, <br />,
&quot;…), sometimes escaped twice (&lt;i&gt;). Read with the standard library's HTML parser, so links keep
their text, line breaks stay line breaks and entities become the characters they stand for."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAKS = {"br", "p", "div", "li", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
_SKIPPED = {"script", "style"}
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _one_pass(text: str) -> str:
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def review_to_text(raw: str | None) -> str:
    """Plain text of a review (HTML or not); '' for nothing. Idempotent on text without markup."""
    if not raw:
        return ""
    text = _one_pass(raw)
    if _TAG.search(text):  # the markup was escaped once more (&lt;i&gt;): its tags only appear now
        text = _one_pass(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
