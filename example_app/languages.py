"""The demo shops' languages and timezone, as a host sets them up with Flask-Babel.

The language is ``?lang=ru`` (or ``zh_Hans``, ``en``) on any page, kept in the session, else
``DEMO_LANGUAGE`` (``make demo DEMO_LANGUAGE=ru``); times are shown in ``DEMO_TIMEZONE``
(Flask-Babel's ``BABEL_DEFAULT_TIMEZONE``, Moscow by default, as the shop's managers work there).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, has_request_context, request, session
from flask_babel import Babel

# What ?lang= accepts, with its name in that language (the switcher's labels).
LANGUAGES = {"en": "English", "ru": "Русский", "zh_Hans": "简体中文"}
# The locale each is served in: Flask-Admin ships its Chinese catalog as zh_Hans_CN, and Babel looks a
# catalog up from the most specific name down (zh_Hans_CN, zh_Hans, zh), so zh_Hans_CN finds Flask-Admin's
# catalog and the plugin's zh_Hans one alike.
LOCALES = {"en": "en", "ru": "ru", "zh_Hans": "zh_Hans_CN"}
DEFAULT_TIMEZONE = "Europe/Moscow"
SESSION_KEY = "language"
# The shops' own texts (login pages, their menus): Flask-Babel's default domain, messages (make catalogs).
TRANSLATIONS = Path(__file__).parent / "translations"


def init_languages(app: Flask) -> None:
    """Flask-Babel on ``app`` with the demo's language choice; ``DEMO_LANGUAGE`` and ``DEMO_TIMEZONE`` may come
    from the environment or from the config given to ``create_app``."""
    app.config.setdefault("DEMO_LANGUAGE", os.environ.get("DEMO_LANGUAGE") or "en")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", os.environ.get("DEMO_TIMEZONE") or DEFAULT_TIMEZONE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))  # both shops', wherever their root
    if app.config["DEMO_LANGUAGE"] not in LANGUAGES:
        raise ValueError(f"DEMO_LANGUAGE: {app.config['DEMO_LANGUAGE']!r} is not one of {', '.join(LANGUAGES)}")
    Babel(app, locale_selector=lambda: LOCALES[chosen_language(app)])
    app.before_request(_keep_language)
    app.context_processor(lambda: {"demo_languages": LANGUAGES, "demo_language": chosen_language(app),
                                   "demo_language_url": language_url})


def chosen_language(app: Flask) -> str:
    """``?lang=`` of this request, else the one kept in the session, else ``DEMO_LANGUAGE``."""
    if has_request_context():
        asked = request.args.get("lang")
        if asked in LANGUAGES:
            return asked
        kept = session.get(SESSION_KEY)
        if kept in LANGUAGES:
            return kept
    return app.config["DEMO_LANGUAGE"]


def _keep_language() -> None:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session[SESSION_KEY] = asked


def language_url(language: str) -> str:
    """This page in ``language``: its URL with ``lang`` set (the list keeps its filters and page)."""
    args = request.args.copy()
    args.setlist("lang", [language])
    return f"{request.path}?{urlencode(list(args.items(multi=True)))}"
