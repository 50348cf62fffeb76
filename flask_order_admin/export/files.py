"""Exporting orders to a file: the public ``order_xls`` / ``orders_xls`` and the streaming core."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask import has_request_context, request
from sqlalchemy.orm import Session

from ..domain.export_columns import Preset
from ..domain.messages import N_, Listing
from ..settings import Settings
from ..services.app_panel import ServicePanel, find_panel
from ..errors import ExportFormatNotOffered, ExportPresetNotOffered
from .query import chunks_of, count_rows, export_ids, export_rows
from .sheets import SheetBackend, write_sheets
from .xls_writer import XlsBackend
from .xlsx_writer import XlsxBackend  # imports XlsxWriter only when used

CONTENT_TYPES = {
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportSummary:
    order_ids: list[int]  # distinct, in id order
    rows: int  # item rows (and no-items notes), without header and totals
    numbers: dict[int, str] = field(default_factory=dict)  # order id → order number


# A backend is made from the stream it writes and the folder for its temporary files (None: the system's).
BACKENDS: dict[str, Callable[[BinaryIO, Path | None], SheetBackend]] = {"xls": XlsBackend, "xlsx": XlsxBackend}
# The formats whose writer keeps temporary files (XlsxWriter's rows); .xls is put together in memory, so an
# .xls export needs no folder of its own (and never fails for want of one).
SCRATCH_FORMATS = frozenset({"xlsx"})


def export_base_url(settings: Settings) -> str | None:
    """What relative URLs in a file are made absolute on: ``ORDER_ADMIN_PUBLIC_URL``, else the address of
    the current request (its host, as the manager reached the shop), else None (they stay as stored)."""
    if settings.public_url:
        return settings.public_url
    return request.host_url if has_request_context() else None


def export_preset(settings: Settings, key: str | None) -> Preset:
    """The preset of that key (None: the default columns); ExportPresetNotOffered for one not configured."""
    preset = settings.export_preset(key)
    if preset is None:
        raise ExportPresetNotOffered(N_(
            "The export column set %(preset)s is not offered here; pick another from the export menu.",
            preset=repr(key)))
    return preset


def write_export(
    session: Session, order_ids: Iterable[object], stream: BinaryIO, *, fmt: str = "xls",
    panel: ServicePanel | None = None, settings: Settings | None = None, scratch: Path | None = None,
    preset: str | None = None, base_url: str | None = None,
) -> ExportSummary:
    """Write the orders' items to ``stream`` as one file (every status; nothing is changed).

    Counts the rows first, so a missing order or a too-large export is refused
    before any work; ``ORDER_ADMIN_EXPORT_MAX_ROWS`` is the limit. ``panel``: the current app's unless
    given (outside an app it must be; ``settings=``: deprecated, see ``find_panel``). ``scratch``: an
    existing folder for the writer's temporary files (export/scratch.py); None: the system's temporary folder.
    ``preset``: the key of an ``ORDER_ADMIN_EXPORT_PRESETS`` column set (None:
    ``ORDER_ADMIN_EXPORT_COLUMNS``); ``base_url``: what relative URLs are made absolute on (None:
    ``export_base_url``).
    """
    panel = find_panel(panel, settings)
    if fmt not in BACKENDS:
        raise ValueError(f"unknown export format {fmt!r}")
    columns = export_preset(panel.settings, preset).columns
    ids = export_ids(order_ids)
    count_rows(session, panel, ids, panel.settings.export_max_rows)
    numbers: dict[int, str] = {}
    rows = export_rows(session, panel, chunks_of(ids), panel.settings.export_max_rows, numbers, columns=columns,
                       base_url=base_url or export_base_url(panel.settings))
    written = write_sheets(BACKENDS[fmt](stream, scratch), rows, columns)
    return ExportSummary(order_ids=ids, rows=written, numbers=numbers)


def check_format_offered(fmt: str, panel: ServicePanel | None = None) -> None:
    """ExportFormatNotOffered unless ``fmt`` is one of ``ORDER_ADMIN_EXPORT_FORMATS`` (``panel``: the
    current app's unless given)."""
    offered = find_panel(panel).settings.export_formats
    if fmt not in offered:
        raise ExportFormatNotOffered(N_("Export to .%(format)s is not offered here; available: %(offered)s.",
                                        format=fmt, offered=Listing(tuple("." + f for f in offered))))


def export_bytes(
    session: Session, order_ids: Iterable[object], *, fmt: str, panel: ServicePanel | None = None,
    settings: Settings | None = None, preset: str | None = None, base_url: str | None = None,
) -> bytes:
    # Through a temporary file rather than BytesIO: the writer's own copies and the result need not coexist.
    panel = find_panel(panel, settings)
    with tempfile.TemporaryFile() as file:
        write_export(session, order_ids, file, fmt=fmt, panel=panel, preset=preset, base_url=base_url)
        file.seek(0)
        return file.read()


def order_xls(
    session: Session, order_id: int, *, panel: ServicePanel | None = None, settings: Settings | None = None,
    preset: str | None = None, base_url: str | None = None,
) -> bytes:
    """One order as the bytes of an Excel 97–2003 file (docs/design.md, "Public API")."""
    panel = find_panel(panel, settings)
    return export_bytes(session, [order_id], fmt="xls", panel=panel, preset=preset, base_url=base_url)


def orders_xls(
    session: Session, order_ids: Iterable[int], *, panel: ServicePanel | None = None, settings: Settings | None = None,
    preset: str | None = None, base_url: str | None = None,
) -> bytes:
    """Many orders in one .xls file: their items in order-number order, one row each."""
    panel = find_panel(panel, settings)
    return export_bytes(session, order_ids, fmt="xls", panel=panel, preset=preset, base_url=base_url)
