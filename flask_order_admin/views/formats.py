"""Money, amounts and times as the manager reads them: in the host's locale (Babel) and timezone.

The one place that turns a number or a time into text for a page; the templates reach it through the
``oa`` presenter, the list cells call the presenter too. Times are written by ``i18n.format_moment``, which
also writes the times inside messages: every time says its timezone ("UTC+3"), as stored times are UTC
and a manager may be anywhere, unless the shop hides it (one zone for all). Exports do not come here: their cells stay numbers.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from babel.units import format_unit

from ..domain import money as to_money
from ..i18n import current_locale, format_moment

NOTHING = "—"


def money(value: Decimal | int | str | None, currency: str) -> str:
    """An amount with its currency as the locale writes it: ``CN¥15,736.00``, ``15 736,00 CN¥``, ``¥15,736.00``;
    ``—`` for none (a line without a discount price)."""
    if value is None:
        return NOTHING
    return format_currency(to_money(value), currency, locale=current_locale())


def amount(value: int | Decimal) -> str:
    """A count or a quantity with the locale's digit grouping: ``12,345``, ``12 345``."""
    return format_decimal(value, locale=current_locale())


def file_size(size: int | None) -> str:
    """``340 kB``, ``1.2 MB`` (``1,2 МБ``); ``—`` for none."""
    if size is None:
        return NOTHING
    locale = current_locale()
    if size < 2**20:
        return format_unit(max(1, round(size / 1024)), "digital-kilobyte", length="short", locale=locale)
    return format_unit(size / 2**20, "digital-megabyte", length="short", format="#,##0.0", locale=locale)


def date_time(value: datetime | None) -> str:
    """A stored time (naive UTC) in the host's timezone, to the minute, with that timezone:
    ``Nov 29, 2026, 2:05 PM UTC+3``; ``—`` for none."""
    return NOTHING if value is None else format_moment(value)


def short_date_time(value: datetime | None) -> str:
    """The same, with the locale's short numeric date, for list cells: ``07.12.2026, 16:51 UTC+3``."""
    return NOTHING if value is None else format_moment(value, short=True)


def date_picker_locale() -> dict[str, object]:
    """The filters' date picker (Flask-Admin's daterangepicker on moment.js) in the reader's locale, from
    Babel's CLDR data: month and weekday names, and the first day of the week (Monday in ru and zh, not
    the picker's English Sunday). moment counts weekdays from Sunday, Babel from Monday."""
    locale = current_locale()
    first_day = (locale.first_week_day + 1) % 7
    # The narrow names (一 二 三) where they tell the days apart, else the short ones (пн вт ср: П В С repeats).
    narrow = [locale.days["stand-alone"]["narrow"][day] for day in range(7)]
    width = "narrow" if len(set(narrow)) == 7 else "short"
    return {
        "name": f"oa-{locale}",
        "months": [locale.months["stand-alone"]["wide"][month] for month in range(1, 13)],
        "monthsShort": [locale.months["stand-alone"]["abbreviated"][month] for month in range(1, 13)],
        "weekdaysMin": [locale.days["stand-alone"][width][(day - 1) % 7] for day in range(7)],
        "week": {"dow": first_day, "doy": 7 + first_day - locale.min_week_days},
    }
