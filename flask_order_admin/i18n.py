"""The plugin's own gettext domain, ``flask_order_admin``, in the host's locale.

The locale and timezone are the host's: Flask-Babel's selectors when the host has initialised
Flask-Babel, English and UTC otherwise (also when Flask-Babel is installed but not initialised, where
Flask-Admin's own pages fail). Outside a request (an export job, a CLI command) the selector is not
asked, as it may read the request: the app's default locale applies, or the one ``locale_of`` sets on the
app context's ``g`` (a job writes its file in the language of the manager who started it; docs/design.md,
"One object per app"). The catalogs ship in ``flask_order_admin/translations``; a host's own catalog of
the same domain, in one of its Flask-Babel translation directories, is read first, so a host can reword
any of the plugin's strings.

Views and templates call ``gettext``/``pgettext``/``ngettext`` (or ``translate`` for a ``Message``
built by the domain or the services). The ``lazy_*`` forms are for texts set at import time (column
titles, menu names), which must be translated per request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_datetime
from babel.numbers import format_decimal
from babel.support import LazyProxy, NullTranslations, Translations
from flask import current_app, g, has_app_context, has_request_context
from markupsafe import Markup

from .domain.messages import N_, NC_, Listing, Message, Moment, Quantity, TextTranslator, english

DOMAIN = "flask_order_admin"
CATALOG_DIRECTORY = Path(__file__).parent / "translations"
SOURCE_LOCALE = Locale("en")


# The ``g`` attribute holding a locale the plugin set for a stretch of code (an export job writing a manager's
# file): ``g`` belongs to the app context, so the locale is that job's alone.
_FORCED_LOCALE = "order_admin_locale"


def current_locale() -> Locale:
    """The locale the plugin's texts are shown in.

    In a request, Flask-Babel's (its selector, else ``BABEL_DEFAULT_LOCALE``); outside one (an export
    job, a CLI command) the app's default locale, never the selector, which may read the request.
    English when the host has not initialised Flask-Babel.
    """
    forced: Locale | None = g.get(_FORCED_LOCALE) if has_app_context() else None
    if forced is not None:
        return forced
    babel = _flask_babel()
    if babel is None:
        return SOURCE_LOCALE
    if not has_request_context():
        return parse_locale(babel.default_locale) or SOURCE_LOCALE
    import flask_babel

    return flask_babel.get_locale() or SOURCE_LOCALE


@contextmanager
def locale_of(locale: Locale | str | None) -> Iterator[None]:
    """Show the plugin's texts in ``locale`` within the block (None, or a name Babel does not know:
    the usual locale). Outside an app context the texts are English whatever the locale, so it changes nothing."""
    parsed = parse_locale(locale)
    if parsed is None or not has_app_context():
        yield
        return
    before = g.get(_FORCED_LOCALE)
    setattr(g, _FORCED_LOCALE, parsed)
    try:
        yield
    finally:
        setattr(g, _FORCED_LOCALE, before)


def source_language() -> Any:
    """The block reads the plugin's texts in English (e.g. names that end up in URLs)."""
    return locale_of(SOURCE_LOCALE)


def parse_locale(locale: Locale | str | None) -> Locale | None:
    if locale is None or isinstance(locale, Locale):
        return locale
    try:
        return Locale.parse(locale)
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def current_timezone() -> tzinfo:
    """The host's display timezone (a ``tzinfo``): Flask-Babel's, else UTC. Outside a request the app's
    default (``BABEL_DEFAULT_TIMEZONE``), without asking the selector, as for the locale."""
    babel = _flask_babel()
    if babel is None:
        return timezone.utc
    if not has_request_context():
        default: tzinfo = babel.instance.default_timezone
        return default
    import flask_babel

    return flask_babel.get_timezone() or timezone.utc


def translate(message: Message | Listing | str) -> str:
    """A ``Message`` in the current locale; a plain string is data and comes back as it is.

    A parameter that is markup (a link to an order) stays markup, and then so does the result, with the
    translated text and the other parameters escaped.
    """
    if not isinstance(message, (Message, Listing)):
        return message
    if has_app_context():
        # The locale and its catalog are read once for the message and every message inside it.
        locale = current_locale()
        message = _numbers_in_locale(message, locale)
        text: TextTranslator = partial(_from_catalog, _catalog(_catalog_names(locale), _host_directories()))
    else:
        text = english
    if isinstance(message, Message) and any(hasattr(value, "__html__") for value in message.params.values()):
        return message.render(lambda part: Markup.escape(text(part)))
    return message.render(text)


class _IntInLocale(int):
    """An int that ``%s`` writes the locale's way (``12 500`` in Russian) and ``%d`` as plain digits."""

    text: str

    def __str__(self) -> str:
        return self.text


class _DecimalInLocale(Decimal):
    text: str

    def __str__(self) -> str:
        return self.text


def _numbers_in_locale(message: Message | Listing, locale: Locale) -> Message | Listing:
    """``message`` with its ``Quantity`` parameters (and its plural count) written the locale's way; other
    numbers (ids) stay as they are."""
    if isinstance(message, Listing):
        return dataclasses.replace(message, items=tuple(
            _number_in_locale(item, locale) if isinstance(item, (Quantity, Moment, Message, Listing)) else item
            for item in message.items))
    params = {name: _number_in_locale(value, locale) if isinstance(value, (Quantity, Moment, Message, Listing)) else value
              for name, value in message.params.items()}
    if message.count is not None and "num" not in params:
        params["num"] = _number_in_locale(message.count, locale)
    return dataclasses.replace(message, params=params)


def _number_in_locale(value: Any, locale: Locale) -> Any:
    if isinstance(value, (Message, Listing)):
        return _numbers_in_locale(value, locale)
    if isinstance(value, Moment):
        return format_moment(value.at)
    if isinstance(value, Quantity):
        return _number_in_locale(value.value, locale)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    written = (_IntInLocale if isinstance(value, int) else _DecimalInLocale)(value)
    written.text = format_decimal(value, locale=locale)
    return written


def gettext(msgid: str, **params: Any) -> str:
    return translate(Message(msgid, params=params))


def pgettext(context: str, msgid: str, **params: Any) -> str:
    return translate(Message(msgid, context=context, params=params))


def ngettext(singular: str, plural: str, num: int, **params: Any) -> str:
    return translate(Message(singular, plural=plural, count=num, params=params))


# Full-width punctuation that ends a Chinese sentence: the next sentence follows with no space.
_FULL_WIDTH_ENDS = tuple("。！？；）")


def sentences(*texts: str) -> str:
    """Translated sentences one after another, with a space only where the language puts one."""
    written = ""
    for text in filter(None, texts):
        written += text if not written or written.endswith(_FULL_WIDTH_ENDS) else " " + text
    return written


def reads_chinese() -> bool:
    """Whether the plugin's texts are shown in Chinese."""
    return current_locale().language == "zh"


def beside_chinese(label: str, chinese: str, joiner: str = " ") -> str:
    """A label with the Chinese supplier's term for the same thing (``Color 颜色分类``); in Chinese the term
    alone, which would otherwise say it twice («颜色 颜色分类»)."""
    return chinese if reads_chinese() else f"{label}{joiner}{chinese}"


@dataclasses.dataclass(frozen=True)
class Reader:
    """The locale, timezone and zone setting the texts of one page are written for, read once (a page of
    1,000 lines writes some 10,000 amounts; asking Flask-Babel and ``g`` for each was a sixth of its time):
    ``reader()`` makes one, the ``oa`` presenter keeps it for its page."""

    locale: Locale
    zone: tzinfo
    shows_timezone: bool


def reader() -> Reader:
    """The current locale, timezone and ``ORDER_ADMIN_SHOW_TIMEZONE``, as of now."""
    return Reader(current_locale(), current_timezone(), _shows_timezone())


def format_moment(value: datetime, *, short: bool = False, read_by: Reader | None = None) -> str:
    """A stored time (naive UTC) in the shop's timezone, to the minute, as the reader's locale writes it:
    the medium date (``7 дек. 2026 г., 16:51``) or, for the lists, the short numeric one
    (``07.12.2026, 16:51``), followed by the zone (``UTC+3``) unless the shop hides it
    (``ORDER_ADMIN_SHOW_TIMEZONE``: one zone for every manager). ``read_by``: the page's reader, else
    the current one."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    read_by = read_by or reader()
    zone, locale = read_by.zone, read_by.locale
    shown = format_datetime(value, _moment_pattern(str(locale), "short" if short else "medium"), tzinfo=zone,
                            locale=locale)
    if not read_by.shows_timezone:
        return shown
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


def _shows_timezone() -> bool:
    state = current_app.extensions.get("order_admin") if has_app_context() else None
    settings = getattr(state, "settings", None)
    return getattr(settings, "show_timezone", True)


@lru_cache(maxsize=32)
def _moment_pattern(locale_name: str, width: str) -> str:
    """The locale's date of that width with its short time (no seconds), joined as the locale joins them."""
    locale = Locale.parse(locale_name)
    join = str(locale.datetime_formats[width])
    return join.replace("{1}", locale.date_formats[width].pattern).replace(
        "{0}", locale.time_formats["short"].pattern
    )


def lazy_gettext(msgid: str, **params: Any) -> LazyProxy:
    return lazy_translate(Message(msgid, params=params))


def lazy_pgettext(context: str, msgid: str, **params: Any) -> LazyProxy:
    return lazy_translate(Message(msgid, context=context, params=params))


def lazy_translate(message: Message | str) -> LazyProxy:
    """``translate(message)`` each time the text is used (a label set at import time)."""
    return LazyProxy(translate, message, enable_cache=False)


def lazy_beside_chinese(label: Message, chinese: str) -> LazyProxy:
    """``beside_chinese`` of a list's column label, each time it is shown (``Color / 颜色分类``)."""
    return LazyProxy(lambda: beside_chinese(translate(label), chinese, " / "), enable_cache=False)


def message_of(text: Any) -> Any:
    """The ``Message`` behind a lazy text of the plugin's (to keep it untranslated, e.g. in the database);
    anything else as it is."""
    if isinstance(text, LazyProxy) and text._func is translate and text._args:
        return text._args[0]
    return text


# Flask-Admin's own words on the panel's lists, said the panel's way: its catalogs give Russian managers
# title case («Добавить Фильтр») and Chinese ones 选中的 for the bulk menu. Other strings stay Flask-Admin's.
_FLASK_ADMIN_REWORDED = {
    "With selected": NC_("list menu", "Bulk actions"),
    "Add Filter": N_("Add filter"),
    "Reset Filters": N_("Reset filters"),
}


def reworded_flask_admin(flask_admin_gettext: Any) -> Any:
    """Flask-Admin's template ``_gettext``, with the panel's wording for the words above."""
    def reworded(msgid: str, **params: Any) -> str:
        message = _FLASK_ADMIN_REWORDED.get(msgid)
        return translate(message) if message is not None else flask_admin_gettext(msgid, **params)
    return reworded


def template_callables() -> dict[str, Any]:
    """The Jinja globals the plugin's templates translate with; ``make catalogs`` extracts them."""
    return {"oa_gettext": gettext, "oa_pgettext": pgettext, "oa_ngettext": ngettext, "oa_translate": translate,
            "oa_reworded_flask_admin": reworded_flask_admin, "oa_reads_chinese": reads_chinese,
            "oa_beside_chinese": beside_chinese}


def _from_catalog(catalog: NullTranslations, message: Message) -> str:
    if message.plural is not None:
        count = 1 if message.count is None else message.count
        if message.context is not None:
            return catalog.unpgettext(message.context, message.msgid, message.plural, count)
        return catalog.ungettext(message.msgid, message.plural, count)
    if message.context is not None:
        return catalog.upgettext(message.context, message.msgid)
    return catalog.ugettext(message.msgid)


def _flask_babel() -> Any:
    """The app's Flask-Babel configuration (``BabelConfiguration``), None when it has not initialised Flask-Babel."""
    if not has_app_context():
        return None
    return current_app.extensions.get("babel")


def _host_directories() -> tuple[str, ...]:
    """The host's Flask-Babel translation directories that hold a catalog of the plugin's domain."""
    babel = _flask_babel()
    if babel is None:
        return ()
    directories = getattr(babel, "translation_directories", None) or getattr(babel, "default_directories", ())
    return _absolute_directories(current_app.root_path, tuple(directories or ()))


@lru_cache(maxsize=64)
def _absolute_directories(root: str, directories: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(Path(root) / directory) for directory in directories)


@lru_cache(maxsize=64)
def _catalog_names(locale: Locale) -> tuple[str, ...]:
    """Catalog folders to try, most specific first: ``zh_Hans_CN``, ``zh_Hans``, ``zh_CN``, ``zh``.

    A locale without a script gets its likely one (CLDR): ``zh`` and ``zh_CN`` are written in Simplified
    Chinese (``zh_Hans``), ``zh_TW`` in Traditional (``zh_Hant``, which the plugin does not ship).
    """
    language, territory, script = locale.language, locale.territory, locale.script
    if not script:
        script = _likely_script(language, territory)
    names = [str(locale)]
    if script:
        names += [f"{language}_{script}_{territory}" if territory else f"{language}_{script}", f"{language}_{script}"]
    if territory:
        names.append(f"{language}_{territory}")
    names.append(language)
    return tuple(dict.fromkeys(names))


def _likely_script(language: str, territory: str | None) -> str | None:
    likely = get_global("likely_subtags")
    subtags = likely.get(f"{language}_{territory}") if territory else None
    subtags = subtags or likely.get(language)
    if not subtags:
        return None
    parts = subtags.split("_")
    return parts[1] if len(parts) > 2 else None


@lru_cache(maxsize=64)
def _catalog(names: tuple[str, ...], host_directories: tuple[str, ...]) -> NullTranslations:
    """The plugin's catalog for the locale behind the host's own catalogs of the same domain."""
    catalog: NullTranslations = Translations.load(str(CATALOG_DIRECTORY), list(names), DOMAIN)
    for directory in reversed(host_directories):
        host = Translations.load(directory, list(names), DOMAIN)
        if isinstance(host, Translations):
            host.add_fallback(catalog)
            catalog = host
    return catalog
