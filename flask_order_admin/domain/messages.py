"""Texts for managers, kept untranslated until a view shows them.

The domain and the services know no locale: they build a ``Message`` (a msgid, an optional gettext
context, an optional plural, and named parameters), and the views translate it through the plugin's
own catalog (``flask_order_admin.i18n.translate``). ``str(message)`` is the English text, for logs
and for code that runs outside a request.

The markers ``N_``, ``NC_`` and ``NP_`` are pybabel keywords (see ``babel.cfg``), so every message
built with them is extracted into the catalog template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Mapping, Protocol


@dataclass(frozen=True)
class Message:
    msgid: str
    context: str | None = None
    plural: str | None = None
    count: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate_text: "TextTranslator") -> str:
        """The text in the language ``translate_text`` speaks; parameters that are messages too
        (a status label inside a refusal) are translated by the same function."""
        text = translate_text(self)
        if not self.params and self.count is None:
            return text
        values = {name: _render_value(value, translate_text) for name, value in self.params.items()}
        if self.count is not None:
            values.setdefault("num", self.count)
        return text % values

    def __str__(self) -> str:
        return self.render(english)


class TextTranslator(Protocol):
    def __call__(self, message: Message) -> str: ...


def english(message: Message) -> str:
    """The source text: the msgid, or the plural msgid when ``count`` asks for it."""
    if message.plural is not None and message.count != 1:
        return message.plural
    return message.msgid


def _render_value(value: Any, translate_text: TextTranslator) -> Any:
    return value.render(translate_text) if isinstance(value, (Message, Listing)) else value


def N_(msgid: str, **params: Any) -> Message:
    """A message with ``%(name)s`` placeholders filled from ``params`` when shown."""
    return Message(msgid, params=params)


def NC_(context: str, msgid: str, **params: Any) -> Message:
    """A message whose English is ambiguous: ``context`` tells translators which sense is meant
    ("order action" for Cancel an order, not Cancel a dialog)."""
    return Message(msgid, context=context, params=params)


def NP_(singular: str, plural: str, count: int, **params: Any) -> Message:
    """A message with a plural form chosen by ``count`` (available as ``%(num)d``)."""
    return Message(singular, plural=plural, count=count, params=params)


# How the items of a list are joined: "、" in Chinese, "; " between whole sentences.
LIST_SEPARATOR = NC_("list separator", ", ")
CLAUSE_SEPARATOR = NC_("list separator", "; ")


@dataclass(frozen=True)
class Listing:
    """A parameter made of several values (status labels, item names), joined the target language's way."""

    items: tuple[Any, ...]
    separator: Message = LIST_SEPARATOR

    def render(self, translate_text: TextTranslator) -> str:
        joint = self.separator.render(translate_text)
        return joint.join(str(_render_value(item, translate_text)) for item in self.items)

    def __str__(self) -> str:
        return self.render(english)


@dataclass(frozen=True)
class Quantity:
    """A number inside a message that is a quantity (a count, a limit, seconds), not an id: the view writes it
    with the reader's digit grouping and decimal sign, since "1,000" reads as one in Russian."""

    value: int | float | Decimal

    def __str__(self) -> str:
        return f"{self.value:,}" if isinstance(self.value, int) else f"{self.value:,g}"


@dataclass(frozen=True)
class Moment:
    """A time inside a message (naive UTC, as stored): the view writes it in the shop's timezone and the
    reader's date format, as every other time on the pages; ``str()`` is ISO UTC, for logs."""

    at: datetime

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} UTC"


# A message kept in the database (an export's error) is stored as JSON, so that each manager reads it in
# their own language; older rows, and anything else, hold plain text, shown as it is.
_STORED = "oa-message"


def stored_text(message: Message | str, limit: int, too_long: Callable[[Message], str] = str) -> str:
    """``message`` as a column of ``limit`` characters holds it: JSON, or when that is too long the text
    ``too_long`` makes of it (English unless told)."""
    if not isinstance(message, Message):
        return message[:limit]
    text = json.dumps({_STORED: _encode(message)}, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= limit else too_long(message)[:limit]


def from_stored_text(text: str | None) -> Message | str | None:
    """What ``stored_text`` stored: the ``Message`` again, or the plain text."""
    if not text or not text.startswith('{"' + _STORED):
        return text
    try:
        decoded: Message | str | None = _decode(json.loads(text)[_STORED])
        return decoded
    except (ValueError, KeyError, TypeError):
        return text


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        encoded: dict[str, Any] = {"msgid": value.msgid, "context": value.context, "plural": value.plural, "count": value.count,
                   "params": {name: _encode(item) for name, item in value.params.items()}}
        return {key: item for key, item in encoded.items() if item not in (None, {})}  # a description has 500 characters
    if isinstance(value, Listing):
        encoded = {"items": [_encode(item) for item in value.items]}
        if value.separator != LIST_SEPARATOR:
            encoded["separator"] = _encode(value.separator)
        return encoded
    if isinstance(value, Quantity):
        return {"quantity": float(value.value) if isinstance(value.value, Decimal) else value.value}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return Message(value["msgid"], value.get("context"), value.get("plural"), value.get("count"),
                       {name: _decode(item) for name, item in (value.get("params") or {}).items()})
    if isinstance(value, dict) and "items" in value:
        separator = _decode(value["separator"]) if "separator" in value else LIST_SEPARATOR
        return Listing(tuple(_decode(item) for item in value["items"]), separator)
    if isinstance(value, dict) and "quantity" in value:
        return Quantity(value["quantity"])
    return value
