"""What the search box compares: the typed text and the buyer's keys, normalised the same way.

Everything is read through Unicode NFKC first, so ``２３`` (typed with a Chinese keyboard) is ``23``
and a full-width ``＠`` is ``@``; runs of spaces become one. A name's key is then case-folded, a
phone's key is its digits reversed (so "ends with these digits" is "starts with", an index range,
as for a shop's own order numbers).

Typed text is read through ``search_text`` before it reaches SQL, wherever it is typed (the search box,
a list's ``?search=``, a filter's value): NUL and lone surrogates are refused (no database holds them
alike: PostgreSQL refuses NUL), and so is text too long once normalised, or with nothing left
(docs/design.md, "Text from requests").

Hosts that keep their own order tables compute the same keys with ``name_key`` and ``phone_key``
for the columns they give as ``buyer_name_key`` and ``buyer_phone_key`` (docs/performance.md).
"""

from __future__ import annotations

import re
import unicodedata
from typing import cast

from .messages import N_, Message

NAME_KEY_LENGTH = 200
PHONE_KEY_LENGTH = 32
# A phone is searched by at least this many of its last digits: fewer would match too many phones
# (and "23" is an order number first).
PHONE_MIN_DIGITS = 6
SEARCH_TEXT_LENGTH = 200
# Typed text longer than this is refused unread: NFKC makes up to 18 characters of one (U+FDFA), so
# normalising 100,000 characters first cost a request a second; nothing typed that long is a search.
TYPED_TEXT_LENGTH = 20 * SEARCH_TEXT_LENGTH
LAST_CODE_POINT = "\U0010ffff"
_SURROGATES = range(0xD800, 0xE000)
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
NON_TEXT = N_("The text holds a character that is not text (NUL): type it again.")

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


class NotSearchText(ValueError):
    """The typed text cannot be compared; its one argument is a ``Message`` for managers."""

    @property
    def message(self) -> Message:
        return cast(Message, self.args[0])  # search_text raises it with a Message alone


def holds_non_text(text: str) -> bool:
    """NUL, or a lone surrogate (only code can make one: a request's malformed UTF-8 reads as U+FFFD)."""
    return _NOT_TEXT.search(text) is not None


def search_text(text: object, *, empty_allowed: bool = False) -> str:
    """``text`` as typed, normalised (``normalize_text``) and checked; NotSearchText when it cannot be
    compared: a character no database holds, too long, or (unless ``empty_allowed``) nothing left once
    normalised."""
    text = text if isinstance(text, str) else str(text or "")
    if holds_non_text(text):
        raise NotSearchText(NON_TEXT)
    too_long = NotSearchText(N_("Search for at most %(count)s characters.", count=SEARCH_TEXT_LENGTH))
    if len(text) > TYPED_TEXT_LENGTH:
        raise too_long
    cleaned = normalize_text(text)
    if not cleaned and not empty_allowed:
        raise NotSearchText(N_("Type an order number, or a buyer’s name, email or phone."))
    if len(cleaned) > SEARCH_TEXT_LENGTH:
        raise too_long
    return cleaned


def next_prefix(prefix: str) -> str | None:
    """The smallest text after every text that starts with ``prefix`` (code point order, surrogates
    skipped: no text holds them); None when there is none: ``prefix`` is only U+10FFFF, the last code
    point, so every text from ``prefix`` on starts with it."""
    kept = prefix.rstrip(LAST_CODE_POINT)  # "a" + U+10FFFF: its texts end where those of "a" end
    if not kept:
        return None
    following = ord(kept[-1]) + 1
    if following in _SURROGATES:
        following = _SURROGATES.stop
    return kept[:-1] + chr(following)


def like_escaped(text: str) -> str:
    """``text`` for a LIKE pattern with ``ESCAPE '\\'``: its ``%``, ``_`` and ``\\`` taken literally."""
    return _LIKE_SPECIAL.sub(r"\\\1", text)


def has_word_characters(text: str) -> bool:
    """Some letter or digit: text made only of punctuation finds nothing worth a query."""
    return any(ch.isalnum() for ch in text)
