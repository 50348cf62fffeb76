"""Money, amounts and times as the manager reads them: in the host's locale (Babel) and timezone.

The one place that turns a number or a time into text for a page; the templates reach it through the
``oa`` presenter, the list cells call the presenter too. Every time says its timezone ("UTC+3"), as
stored times are UTC and a manager may be anywhere. Exports do not come here: their cells stay numbers.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit

from ..domain import money as to_money
from ..i18n import current_locale, current_timezone

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
    if value is None:
        return NOTHING
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    zone = current_timezone()
    locale = current_locale()
    shown = format_datetime(value, _pattern(str(locale)), tzinfo=zone, locale=locale)
    # A no-break space: the zone stays with the time it qualifies.
    return f"{shown}\N{NO-BREAK SPACE}{timezone_label(value.astimezone(zone).utcoffset())}"


def timezone_label(offset: timedelta | None) -> str:
    """``UTC``, ``UTC+3``, ``UTC+5:30``, ``UTC-4``: short, the same in every language."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


@lru_cache(maxsize=32)
def _pattern(locale_name: str) -> str:
    """The locale's medium date with its short time (no seconds), joined as the locale joins them."""
    locale = Locale.parse(locale_name)
    join = str(locale.datetime_formats["medium"])
    return join.replace("{1}", locale.date_formats["medium"].pattern).replace(
        "{0}", locale.time_formats["short"].pattern
    )
