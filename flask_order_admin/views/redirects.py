"""Return addresses (``url=``, ``next=``) accepted only when they stay on this site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

# Browsers drop these anywhere in a URL, so "java\tscript:" and "/\x00/evil" must be read without them.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/admin/orders/?page=2"); None otherwise.

    Rejects absolute URLs (even to this host: a path is all a return address needs),
    scheme-relative ``//evil.example``, ``\\\\evil`` and ``/\\evil`` (browsers read a
    backslash as a slash), and ``javascript:`` and other schemes.
    """
    if not target or len(target) > 2000:
        return None
    cleaned = _IGNORED_BY_BROWSERS.sub("", target).replace("\\", "/")
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return target


def return_url_arg(name: str = "url") -> str | None:
    """The local return address in the request's ``name`` argument (query string or form)."""
    return local_path(request.values.get(name))
