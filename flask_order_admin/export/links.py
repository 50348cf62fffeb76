"""When a URL becomes a working hyperlink in the export, and what a cell shows otherwise.

docs/design.md, "Links in files": links accept only http/https URLs. A link is written as the formula
``HYPERLINK(url; label)`` with the label as its stored result, and a string inside an Excel formula
holds at most 255 characters, so a longer URL is written as plain text instead of a broken link.
A URL of the shop's own (``/static/photos/6.svg``) is made absolute on the shop's public address.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from .cells import Link, fit_text, utf16_length

FORMULA_STRING_LIMIT = 255
# http(s)://host[:port] then a path, query or fragment without spaces. The host is an ASCII
# name or an IPv6 literal: no user part ("https://taobao.com@evil.example"), no empty host.
LINKABLE_URL = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?(?:[/?#]\S*)?",
    re.IGNORECASE,
)


def linkable_url(url: str | None) -> str | None:
    """The URL when it may be a working link (see ``LINKABLE_URL``), else None."""
    if not url or utf16_length(url) > FORMULA_STRING_LIMIT or not LINKABLE_URL.fullmatch(url):
        return None
    # isprintable() is False for control and format characters (e.g. a right-to-left override).
    return url if url.isprintable() else None


def link_label(text: str) -> str:
    """The text on one line, cut to fit a formula string."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return fit_text(" ".join(text.split()), FORMULA_STRING_LIMIT)


def absolute_url(url: str, base_url: str | None) -> str:
    """``url`` as is when it names its scheme (or there is no base), else resolved against ``base_url``."""
    if base_url is None or url.startswith(("https://", "http://")) or "://" in url[:12]:
        return url
    return urljoin(base_url, url.strip())


def item_cell(title: str | None, url: str | None, base_url: str | None = None) -> Link | str | None:
    """The "Item (link to Taobao)" cell: the title linking to the item, or both as text."""
    title = title or ""
    if url:
        url = absolute_url(url, base_url)
    good_url = linkable_url(url)
    if good_url:
        return Link(good_url, link_label(title or good_url))
    if url and title:
        return f"{title} ({url})"  # nothing lost: the manager can still copy the address
    return title or url or None


def photo_cell(url: str | None, base_url: str | None = None) -> Link | str | None:
    """The "Item photo (link)" cell: the photo address, as a link when it may be one."""
    if url:
        url = absolute_url(url, base_url)
    good_url = linkable_url(url)
    return Link(good_url, good_url) if good_url else (url or None)


def formula_string(text: str) -> str:
    """A string literal for formula text: quotes doubled, so no text can end the literal early."""
    return '"' + text.replace('"', '""') + '"'
