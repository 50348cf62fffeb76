"""Return addresses (``url=``, ``next=``) accepted only when they stay on this site."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import request

# Control characters are refused outright: a URL this site builds has them percent-encoded. Raw, CR/LF
# would split the Location header (a 500 from Werkzeug), and browsers drop a tab or NUL ("java\tscript:").
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/admin/orders/?page=2"); None otherwise.

    Rejects absolute URLs (even to this host: a path is all a return address needs),
    scheme-relative ``//evil.example``, ``\\\\evil`` and ``/\\evil`` (browsers read a
    backslash as a slash), ``javascript:`` and other schemes, and control characters.
    """
    if not target or len(target) > 2000 or _CONTROL.search(target):
        return None
    # Browsers drop blanks around a URL: " javascript:" is read as "javascript:".
    cleaned = target.replace(" ", "").replace("\\", "/")
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return target


def forged_url_arg() -> bool:
    """Whether the request's ``url`` holds a raw control character, which no link of this site carries."""
    return bool(_CONTROL.search(request.values.get("url", "")))


def return_url_arg(name: str = "url") -> str | None:
    """The local return address in the request's ``name`` argument (query string or form)."""
    return local_path(request.values.get(name))


def with_query_arg(path: str, name: str, value: str) -> str:
    """``path`` with its ``name`` argument set to ``value`` (the others kept as they were)."""
    parts = urlsplit(path)
    query = [(key, old) for key, old in parse_qsl(parts.query, keep_blank_values=True) if key != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))
