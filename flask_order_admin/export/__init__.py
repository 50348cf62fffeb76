"""Export orders to Excel: ``order_xls(session, order_id) -> bytes`` (docs/design.md, "Export file" and "Public API").

One row per item with the 15 columns of ``columns.HEADERS`` (or the shop's column set:
``ORDER_ADMIN_EXPORT_COLUMNS``, ``ORDER_ADMIN_EXPORT_PRESETS``), a totals row, links only for
safe http(s) URLs, carrying their labels as stored results, sheets split at the format's row limit. ``.xls`` is
written with xlwt; ``.xlsx`` (opt-in, ``ORDER_ADMIN_EXPORT_FORMATS``) with XlsxWriter.
"""

from .columns import HEADERS
from .download import export_filename, export_response
from ..errors import (
    ExportFormatNotOffered, ExportLimitReached, ExportNotAvailable, ExportPresetNotOffered, ExportTooLarge,
)
from .files import CONTENT_TYPES, ExportSummary, export_bytes, order_xls, orders_xls, write_export

__all__ = [
    "CONTENT_TYPES", "ExportFormatNotOffered", "ExportLimitReached", "ExportNotAvailable", "ExportPresetNotOffered",
    "ExportSummary",
    "ExportTooLarge", "HEADERS",
    "export_bytes", "export_filename", "export_response", "order_xls", "orders_xls", "write_export",
]
