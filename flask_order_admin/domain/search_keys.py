"""What the search box compares: the typed text and the buyer's keys, normalised the same way.

Everything is read through Unicode NFKC first, so ``２３`` (typed with a Chinese keyboard) is ``23``
and a full-width ``＠`` is ``@``; runs of spaces become one. A name's key is then case-folded, a
phone's key is its digits reversed (so "ends with these digits" is "starts with", an index range,
as for a shop's own order numbers).

Hosts that keep their own order tables compute the same keys with ``name_key`` and ``phone_key``
for the columns they give as ``buyer_name_key`` and ``buyer_phone_key`` (docs/performance.md).
"""

from __future__ import annotations

import re
import unicodedata

NAME_KEY_LENGTH = 200
PHONE_KEY_LENGTH = 32
# A phone is searched by at least this many of its last digits: fewer would match too many phones
# (and "23" is an order number first).
PHONE_MIN_DIGITS = 6
SEARCH_TEXT_LENGTH = 200

_SPACES = re.compile(r"\s+")
_NOT_DIGITS = re.compile(r"[^0-9]")
_LIKE_SPECIAL = re.compile(r"([\\%_])")


def normalize_text(text: object) -> str:
    """NFKC, the spaces around dropped and the runs of spaces inside made one."""
    text = text if isinstance(text, str) else str(text or "")
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def name_key(name: str | None) -> str:
    """A buyer's name as the search compares it: normalised and case-folded (``Li  WEI`` -> ``li wei``)."""
    return normalize_text(name).casefold()[:NAME_KEY_LENGTH]


def phone_digits(phone: str | None) -> str:
    return _NOT_DIGITS.sub("", normalize_text(phone))


def phone_key(phone: str | None) -> str:
    """A phone's digits, reversed: ``+86 138-1234-5678`` -> ``87654321831 68`` without spaces."""
    return phone_digits(phone)[::-1][:PHONE_KEY_LENGTH]


def next_prefix(prefix: str) -> str:
    """The smallest text after every text that starts with ``prefix`` (code point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def like_escaped(text: str) -> str:
    """``text`` for a LIKE pattern with ``ESCAPE '\\'``: its ``%``, ``_`` and ``\\`` taken literally."""
    return _LIKE_SPECIAL.sub(r"\\\1", text)


def has_word_characters(text: str) -> bool:
    """Some letter or digit: text made only of punctuation finds nothing worth a query."""
    return any(ch.isalnum() for ch in text)
