"""Refused exports; ``str(error)`` is written for order managers."""

from __future__ import annotations

from ..domain.messages import N_, Message, Quantity
from ..errors import OrderActionError


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
