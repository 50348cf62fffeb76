"""Text from the whole of Unicode for the fuzz tests, and how a client puts it on the wire.

Lone surrogates cannot be encoded as UTF-8: a client that sends one sends its three bytes (malformed UTF-8),
which Werkzeug reads as U+FFFD; in JSON it is an escape (``\\ud800``) that decodes to the surrogate itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from hypothesis import strategies as st

# The ends of Unicode and what its normalisations do: surrogates, the last code point, controls and direction
# marks, NFKC expanders, a noncharacter, a BOM, Hangul jamo that compose, a combining mark.
EDGES = [
    "\ud800", "\udbff", "\udc00", "\udfff", "\U0010ffff", "\U0010fffe", "\x00", "\x01", "\x1f", "\x7f", "\x85",
    "\x9f", "\u200e", "\u200f", "\u202e", "\u2066", "\u061c", "\u200b", "\ufeff", "\ufffd", "\uffff", "\ufdfa",
    "\ufb03", "\u3333", "\u2474", "\u1100\u1161\u11a8", "e\u0301", "\u0345", "\U0001d7d9", "\u00a0", "\u3000",
]
UNICODE_PIECES = st.one_of(
    st.characters(), st.integers(0, 0x10FFFF).map(chr), st.sampled_from(EDGES), st.sampled_from("aL1@ -"),
)
UNICODE_TEXT = st.one_of(
    st.lists(UNICODE_PIECES, max_size=30).map("".join),
    # Long once normalised: a few expanders, or past what any text field reads.
    st.builds(lambda text, times: text * times, st.sampled_from(["\ufdfa", "\u3333", "a\U0010ffff", "\x00"]),
              st.sampled_from([1, 11, 12, 300, 5000])),
    # A good value with an edge character before or after it.
    st.builds(lambda edge, good, last: good + edge if last else edge + good, st.sampled_from(EDGES),
              st.sampled_from(["li wei", "a@", "ORD-1", "1", "Li", "processing"]), st.booleans()),
)


def wire(text: str) -> bytes:
    """The bytes a client sends for ``text``: UTF-8, a lone surrogate as its three bytes (malformed UTF-8,
    which no browser sends but anyone can)."""
    return text.encode("utf-8", "surrogatepass")


def urlencoded(fields: dict[str, Any]) -> str:
    return "&".join(f"{quote_plus(wire(name))}={quote_plus(wire(value))}"
                    for name, values in fields.items() for value in (values if isinstance(values, list) else [values]))


def as_received(text: str) -> str:
    """What the server reads of ``text`` sent as a multipart field: its wire bytes decoded with U+FFFD for
    what is malformed (the test client could not encode a lone surrogate itself)."""
    return wire(text).decode("utf-8", "replace")
