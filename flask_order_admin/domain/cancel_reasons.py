"""The reasons a manager picks from when canceling an order (ORDER_ADMIN_CANCEL_REASONS).

The plugin's defaults are the usual ones of a Taobao reseller, kept in the history by key and shown in each
reader's language; a shop's own list is text, kept and shown as the shop wrote it (docs/design.md,
"Cancel reasons").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .messages import NC_, Message

# The value of the "Other" choice (the manager writes the reason): never a listed reason's value.
OTHER = "other"
MAX_REASONS = 30
MAX_REASON_LENGTH = 200


@dataclass(frozen=True)
class CancelReason:
    """``value``: what the form posts; ``label``: what the manager reads; ``stored``: what the history keeps."""

    value: str
    label: str | Message
    stored: dict[str, str]


def _default(key: str, label: Message) -> CancelReason:
    return CancelReason(key, label, {"key": key})


DEFAULT_CANCEL_REASONS: tuple[CancelReason, ...] = (
    _default("buyer_asked", NC_("cancel reason", "The buyer asked to cancel")),
    _default("out_of_stock", NC_("cancel reason", "Out of stock at the seller")),
    _default("price_changed", NC_("cancel reason", "The seller raised the price")),
    _default("not_paid", NC_("cancel reason", "The buyer did not pay")),
    _default("duplicate", NC_("cancel reason", "Duplicate order")),
)
_DEFAULT_LABELS = {reason.value: reason.label for reason in DEFAULT_CANCEL_REASONS}


def cancel_reasons(value: Any) -> tuple[CancelReason, ...]:
    """The setting's check: the defaults as they are, or a shop's list of texts (an empty list: free text only)."""
    if value is DEFAULT_CANCEL_REASONS:
        return value
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValueError("must be a list of reasons (strings)")
    if len(value) > MAX_REASONS:
        raise ValueError(f"must hold at most {MAX_REASONS} reasons")
    for text in value:
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_REASON_LENGTH or text != text.strip():
            raise ValueError(f"bad reason {text!r}: each must be a string of 1 to {MAX_REASON_LENGTH} characters, "
                             "without spaces around it")
        if text == OTHER:
            raise ValueError(f'bad reason {text!r}: "{OTHER}" is the value of the Other choice')
    if len(set(value)) != len(value):
        raise ValueError("must not list a reason twice")
    return tuple(CancelReason(text, text, {"text": text}) for text in value)


def stored_reason_label(stored: Any) -> str | Message | None:
    """The label of a reason the history kept (``CancelReason.stored``): a default's by its key, in the reader's
    language once translated, even after the shop changed its list; a shop's text as it is."""
    if not isinstance(stored, dict):
        return None
    if isinstance(stored.get("key"), str):
        return _DEFAULT_LABELS.get(stored["key"], stored["key"])
    return stored["text"] if isinstance(stored.get("text"), str) else None
