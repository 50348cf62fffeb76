"""Blinker signals, the Flask way (as Flask-Login's ``user_logged_in``): hosts refund, e-mail or sync from them.

Each is sent once, after its action's transaction has committed; never for a refused
or rolled-back action. The sender is the Flask app of the current app context, or
None where a service runs outside one (a worker passing ``panel=``): a receiver
connected without a sender hears both, one connected with ``sender=app`` only that app.

The orders passed are the session's objects; the commit has expired them, so reading
an attribute loads it afresh. A receiver's exception reaches the caller of the action,
whose change is already committed.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()

order_canceled = _signals.signal("order-canceled", doc="""\
Sent with ``order``, ``actor``, ``from_status``, ``to_status``, ``details`` (``{"reason": …}`` or ``{}``)
and ``event`` (the ``OrderEvent`` written).""")

order_restored = _signals.signal("order-restored", doc="""\
Sent with ``order``, ``actor``, ``from_status``, ``to_status``, ``details`` (``priced_at``, ``items``,
``price_changes``: every old → new price) and ``event``.""")

order_closed = _signals.signal("order-closed", doc="""\
Sent with ``order``, ``actor``, ``from_status``, ``to_status``, ``details`` (``{}``) and ``event``.""")

order_commented = _signals.signal("order-commented", doc="""\
Sent with ``order``, ``actor``, ``details`` (``{"text": …}``) and ``event``.""")

order_comment_edited = _signals.signal("order-comment-edited", doc="""\
Sent when a note's author edits it, with ``order``, ``actor``, ``details`` (``{"comment_id", "text"}``) and
``event``.""")

order_comment_deleted = _signals.signal("order-comment-deleted", doc="""\
Sent when a note's author deletes it, with ``order``, ``actor``, ``details`` (``{"comment_id"}``) and ``event``;
the note's texts stay in the history.""")

orders_merged = _signals.signal("orders-merged", doc="""\
Sent with ``basic`` (the order that received the lines), ``added`` (now Merged), ``actor``, ``details``
(``{"moved": {"lines", "quantity", "goods", "china_delivery"}}``), ``basic_event`` and ``added_event``.""")

order_unmerged = _signals.signal("order-unmerged", doc="""\
Sent when a merge is undone, with ``basic`` (the order that gave the lines back), ``added`` (no longer Merged),
``actor``, ``details`` (``{"moved": …}``, as the merge recorded it), ``basic_event`` and ``added_event``.""")

orders_exported = _signals.signal("orders-exported", doc="""\
Sent by ``export_response`` (every download from the panel) once the file is written, with ``order_ids``,
``actor``, ``export_format`` ("xls" or "xlsx") and ``rows``.""")


def signal_sender() -> Any:
    """The Flask app of the current app context, or None outside one."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    return current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a proxy
