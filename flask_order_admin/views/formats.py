"""Money, amounts and times as the manager reads them: in the host's locale (Babel) and timezone.

The one place that turns a number or a time into text for a page; the templates reach it through the
``oa`` presenter, the list cells call the presenter too. Times are written by ``i18n.format_moment``, which
also writes the times inside messages: every time says its timezone ("UTC+3"), as stored times are UTC
and a manager may be anywhere, unless the shop hides it (one zone for all). Exports do not come here: their cells stay numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    format_currency, format_decimal, get_currency_precision, get_decimal_symbol, get_group_symbol,
)
from babel.units import format_unit

from ..domain import money as to_money
from ..i18n import Reader, current_locale, format_moment

NOTHING = "—"


def money(value: Decimal | int | str | None, currency: str, locale: Locale | None = None) -> str:
    """An amount with its currency as the locale writes it: ``CN¥15,736.00``, ``15 736,00 CN¥``, ``¥15,736.00``;
    ``—`` for none (a line without a discount price). ``locale``: the page's (the presenter reads it once),
    else the current one."""
    if value is None:
        return NOTHING
    amount, locale = to_money(value), locale or current_locale()
    layout = _money_layout(currency, locale)
    if layout is None or not amount.is_finite():
        return format_currency(amount, currency, locale=locale)
    return layout.write(amount)


@dataclass(frozen=True)
class _MoneyLayout:
    """How a locale writes amounts of one currency (``CN¥1,234.50``, ``1 234,50 CN¥``), learnt from Babel once:
    the order page of 1,000 lines writes 7,000 amounts, and Babel works each one out afresh (the pattern,
    the symbol, the currency's plural name) at a third of a millisecond."""

    quantum: Decimal
    group: str
    decimal: str
    positive: tuple[str, str]  # prefix, suffix
    negative: tuple[str, str]

    def write(self, amount: Decimal) -> str:
        # As Babel: the sign from the amount as given (-0.00 is negative), the digits rounded half-even.
        prefix, suffix = self.negative if amount.is_signed() else self.positive
        whole, _, fraction = f"{abs(amount).quantize(self.quantum):f}".partition(".")
        number = f"{int(whole):,}".replace(",", self.group) + (self.decimal + fraction if fraction else "")
        return f"{prefix}{number}{suffix}"


# Amounts every layout is checked with against Babel before it is used (grouping from 1,000, rounding, signs).
_LAYOUT_CHECKS = tuple(map(Decimal, (
    "0", "-0.00", "0.5", "1", "-1", "12.345", "999.995", "1234.5", "-1234.56", "98765432.105", "1000000",
)))


@lru_cache(maxsize=64)
def _money_layout(currency: str, locale: Locale) -> _MoneyLayout | None:
    """The layout of ``currency`` in ``locale``; None (Babel writes every amount) where the layout, checked
    against Babel on a few amounts, would write any of them otherwise (a locale grouping by two, say)."""
    try:
        sample = format_currency(Decimal("1234567.89"), currency, locale=locale)
        negative = format_currency(Decimal("-1234567.89"), currency, locale=locale)
        group, point = get_group_symbol(locale), get_decimal_symbol(locale)
        digits = get_currency_precision(currency)
    except (ValueError, KeyError, LookupError):
        return None
    written = f"1{group}234{group}567" + (f"{point}{'89'[:digits]}" if digits else "")
    if digits not in (0, 2) or sample.count(written) != 1 or negative.count(written) != 1:
        return None
    layout = _MoneyLayout(Decimal(1).scaleb(-digits), group, point, _around(sample, written),
                          _around(negative, written))
    if any(layout.write(amount) != format_currency(amount, currency, locale=locale) for amount in _LAYOUT_CHECKS):
        return None
    return layout


def _around(text: str, number: str) -> tuple[str, str]:
    prefix, _, suffix = text.partition(number)
    return prefix, suffix


def amount(value: int | Decimal, locale: Locale | None = None) -> str:
    """A count or a quantity with the locale's digit grouping: ``12,345``, ``12 345``."""
    return format_decimal(value, locale=locale or current_locale())


def file_size(size: int | None) -> str:
    """``340 kB``, ``1.2 MB`` (``1,2 МБ``); ``—`` for none."""
    if size is None:
        return NOTHING
    locale = current_locale()
    if size < 2**20:
        return format_unit(max(1, round(size / 1024)), "digital-kilobyte", length="short", locale=locale)
    return format_unit(size / 2**20, "digital-megabyte", length="short", format="#,##0.0", locale=locale)


def date_time(value: datetime | None, read_by: Reader | None = None) -> str:
    """A stored time (naive UTC) in the host's timezone, to the minute, with that timezone:
    ``Nov 29, 2026, 2:05 PM UTC+3``; ``—`` for none."""
    return NOTHING if value is None else format_moment(value, read_by=read_by)


def short_date_time(value: datetime | None, read_by: Reader | None = None) -> str:
    """The same, with the locale's short numeric date, for list cells: ``07.12.2026, 16:51 UTC+3``."""
    return NOTHING if value is None else format_moment(value, short=True, read_by=read_by)


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
