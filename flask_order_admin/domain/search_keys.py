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


# -- the keys of the panel's own search index (docs/design.md, "Search keys") ---------------------------

SEARCH_KEY_LENGTH = 200
# A phone is found by at least this many of its last digits once its digits are not an order number.
PHONE_END_DIGITS = 4
LOCAL_NUMBER_DIGITS = 9
# An item id's trailing digits are a key of their own from this many on (``tb-623456789012``: its digits).
ITEM_DIGITS_MIN = 5
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TRAILING_DIGITS = re.compile(r"([0-9]+)$")
_URL_ID = (
    re.compile(r"[?&#](?:id|item_?id|offer_?id|num_iid)=([0-9]{5,})", re.IGNORECASE),
    re.compile(r"/offer/([0-9]{5,})\.html?", re.IGNORECASE),
    re.compile(r"/(?:item|i|product|goods)/([0-9]{5,})(?:[./?#]|$)", re.IGNORECASE),
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def word_key(word: str) -> str:
    """One word as the index keeps it: NFKC, case-folded, ``ё`` read as ``е``."""
    return unicodedata.normalize("NFKC", word).casefold().replace("ё", "е")[:SEARCH_KEY_LENGTH]


def name_words(name: object) -> list[str]:
    """The words of a name, each a key (``Дмитрий Соколов`` -> ``["дмитрий", "соколов"]``), each once."""
    words: list[str] = []
    for match in _WORDS.finditer(normalize_text(name)):
        key = word_key(match.group(0))
        if key and key not in words:
            words.append(key)
    return words


def phone_ends(digits: str) -> list[str]:
    """The reversed endings a typed phone's ``digits`` are searched as: the digits themselves, and the rest
    of a local form (an 11-digit number's trunk ``8`` of Russia and Kazakhstan; the leading ``0`` of a
    national number of 9 digits or more: ``010 1234 5678``, ``07911 123456``)."""
    ends = [digits]
    if len(digits) == 11 and digits.startswith("8"):
        ends.append(digits[1:])
    elif digits.startswith("0") and len(digits) >= LOCAL_NUMBER_DIGITS:
        ends.append(digits.lstrip("0"))
    return [end[::-1][:PHONE_KEY_LENGTH] for end in ends if len(end) >= PHONE_END_DIGITS]


def email_key(email: object) -> str:
    return normalize_text(email).lower()[:SEARCH_KEY_LENGTH]


def url_key(url: object) -> str:
    """A URL without its scheme, lower-cased: ``https://Item.taobao.com/x`` -> ``item.taobao.com/x``."""
    return _SCHEME.sub("", normalize_text(url)).lower()[:SEARCH_KEY_LENGTH]


def url_item_id(url: object) -> str | None:
    """The marketplace item id a URL names (``?id=…``, 1688's ``offer/….html``, ``/item/…``), or None."""
    text = normalize_text(url)
    for pattern in _URL_ID:
        found = pattern.search(text)
        if found:
            return found.group(1)
    return None


def item_id_keys(item_id: object) -> list[str]:
    """An item id's keys: itself lower-cased and its trailing digits (``TB-623456789012`` ->
    ``["tb-623456789012", "623456789012"]``), so it is found with or without the shop's prefix."""
    text = normalize_text(item_id).lower()[:SEARCH_KEY_LENGTH]
    if not text:
        return []
    keys = [text]
    digits = _TRAILING_DIGITS.search(text)
    if digits and len(digits.group(1)) >= ITEM_DIGITS_MIN and digits.group(1) != text:
        keys.append(digits.group(1))
    return keys


def line_keys(item_id: object, url: object) -> list[str]:
    """A line's item keys: those of its item id, the id its URL names, and the URL itself."""
    keys = item_id_keys(item_id)
    if normalize_text(url):
        keys += [key for key in (url_item_id(url), url_key(url)) if key]
    return list(dict.fromkeys(keys))


def typed_item_keys(text: str) -> list[str]:
    """What typed text is searched as among the lines' item keys: a URL's item id and the URL, or the text
    and its trailing digits (``TB623456789012`` -> also ``623456789012``)."""
    if _SCHEME.match(text) or "/" in text:
        return list(dict.fromkeys(key for key in (url_item_id(text), url_key(text)) if key))
    return item_id_keys(text.replace(" ", ""))
