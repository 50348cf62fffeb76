"""The plugin's typed errors: a refused action, export or bulk action (written for order managers), and a
wrong configuration value (``OrderAdminConfigError``, for the shop's developer).

``error.message`` is a ``Message`` (or a plain string), which the views show in the manager's language
(``i18n.translate``); ``str(error)`` is its English text, for logs and for code outside a request.
"""

from __future__ import annotations

from typing import Any

from .domain.messages import N_, Message, Quantity


class OrderActionError(Exception):
    """Base of every refused action; the database is left as it was."""

    def __init__(self, message: Message | str, *, order_number: str | None = None) -> None:
        super().__init__(message)
        self.message = message  # a Message is translated by the view that shows it (i18n.translate)
        self.order_number = order_number

    def __str__(self) -> str:
        return str(self.message)


class OrderNotFound(OrderActionError):
    @classmethod
    def deleted(cls, order_id: object) -> "OrderNotFound":
        """The order with this id is not (or no longer) there."""
        return cls(N_("There is no order %(order)s; it may have been deleted.", order=order_id))


class ActionNotAllowed(OrderActionError):
    """The order's status (or the read-only rule) does not allow the action."""


class MergeNotAllowed(ActionNotAllowed):
    pass


class AlreadyMerged(MergeNotAllowed):
    pass


class UnmergeNotAllowed(ActionNotAllowed):
    pass


class ReasonNotListed(OrderActionError):
    """The cancel reason posted is not one of ORDER_ADMIN_CANCEL_REASONS (a forged post, or the list changed)."""


class NoteNotFound(OrderActionError):
    """No note of that id on that order (a forged or stale address): the views answer 404."""


class NoteChangeRefused(ActionNotAllowed):
    """The manager may not edit or delete this note (not its author, or too late; ``domain.notes``)."""


class StaleOrder(OrderActionError):
    """The order changed after the manager's page showed it."""


class PricesChanged(StaleOrder):
    """The resolver's prices are not those of the preview the manager confirmed; ``preview`` is the new one."""

    def __init__(self, message: str | Message, *, order_number: str | None = None, preview: Any = None) -> None:
        super().__init__(message, order_number=order_number)
        self.preview = preview


class PriceResolutionFailed(OrderActionError):
    """The host's price resolver failed or no longer sells some items."""

    def __init__(
        self, message: Message | str, *, order_number: str | None = None, items: list[str] | None = None
    ) -> None:
        super().__init__(message, order_number=order_number)
        self.items = items or []


class OrderSearchError(OrderActionError):
    """The search text cannot find anything (empty, too long, no letter or digit)."""


class ActionFailed(OrderActionError):
    """The database gave up on the action (busy, connection lost); nothing was changed."""


class SessionHasUncommittedWork(RuntimeError):
    """The caller's session holds changes not yet committed (flushed or pending), which an action would
    have to discard to run in its own transaction: a programming error, so not an OrderActionError."""


class OrderAdminConfigError(ValueError):
    """A configuration value is wrong; the message names the key."""


# Exports


class ExportTooLarge(OrderActionError):
    """More rows than ``ORDER_ADMIN_EXPORT_MAX_ROWS``; refused before any file is written."""

    def __init__(self, rows: int, limit: int) -> None:
        super().__init__(N_("%(rows)s rows is more than the export limit of %(limit)s; narrow the filter.",
                            rows=Quantity(rows), limit=Quantity(limit)))
        self.rows = rows
        self.limit = limit


class ExportFormatNotOffered(OrderActionError):
    """The format is not in ``ORDER_ADMIN_EXPORT_FORMATS``."""


class ExportPresetNotOffered(OrderActionError):
    """The column set is not one of ``ORDER_ADMIN_EXPORT_PRESETS`` (a stale menu, or a hand-made request)."""


class ExportColumnFailed(OrderActionError):
    """A shop's own export column (``ORDER_ADMIN_EXPORT_COLUMNS``) raised; nothing is exported."""

    def __init__(self, header: str | Message, number: str | None, error: Exception) -> None:
        super().__init__(N_(
            "The export stopped: the shop's column %(column)s failed on order %(number)s (%(error)s). "
            "Tell the shop's administrator.", column=str(header), number=number or "", error=type(error).__name__))


class ExportLimitReached(OrderActionError):
    """Too many export jobs queued or running, for this user or for the shop."""


class ExportOwnerUnknown(OrderActionError):
    """A background export for a user without an ``ORDER_ADMIN_ACTOR_ID``: nobody could find it again."""


class ExportNotAvailable(OrderActionError):
    """The export's file cannot be downloaded (not finished, failed, canceled or expired)."""


class ExportNotFound(OrderActionError):
    """No export of that id (Cancel or Run again of one that is not in the exports log)."""


class ExportStillRunning(OrderActionError):
    """Run again of an export still queued or running."""


# Bulk actions
class BulkActionTooLarge(OrderActionError):
    """More orders than ``ORDER_ADMIN_BULK_ACTION_LIMIT``: nothing was changed."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(N_("More than %(limit)s orders are selected; one bulk action changes at most %(limit)s. "
                            "Narrow the selection or the filters.", limit=Quantity(limit)))
        self.count = count
        self.limit = limit
