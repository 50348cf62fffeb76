"""Which language the plugin speaks: the host's Flask-Babel locale, English without Flask-Babel (also when it is
installed but not initialised), the app's default locale outside a request; a host's own catalog of the
plugin's domain rewords any string."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask_babel import Babel
from markupsafe import Markup

from flask_order_admin.domain import Action, OrderStatus, refusal_reason
from flask_order_admin.domain.messages import from_stored_text, stored_text
from flask_order_admin.errors import ActionNotAllowed
from flask_order_admin.i18n import DOMAIN, gettext, locale_of, ngettext, pgettext, translate


def host(locale: str | None = None, **config: object) -> Flask:
    """A host app with Flask-Babel, its locale selector answering ``locale``."""
    app = Flask("order_admin_i18n_host")
    app.config.update(config)
    Babel(app, locale_selector=lambda: locale)
    return app


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hans_CN", "zh_CN", "zh"])
def test_every_spelling_of_simplified_chinese_finds_the_zh_hans_catalog(locale):
    with host(locale).test_request_context():
        assert pgettext("order action", "Cancel") == "取消订单"
        assert translate(OrderStatus.READY_TO_SHIP.label) == "待发货"


def test_traditional_chinese_is_not_read_from_the_simplified_catalog():
    with host("zh_Hant_TW").test_request_context():
        assert pgettext("order action", "Cancel") == "Cancel"


@pytest.mark.parametrize("locale", ["ru", "ru_RU"])
def test_russian_cancels_the_order_rather_than_dismissing_a_dialog(locale):
    with host(locale).test_request_context():
        assert pgettext("order action", "Cancel") == "Отменить заказ"
        orders = "(%(num)s order, .%(format)s)", "(%(num)s orders, .%(format)s)"
        assert ngettext(*orders, 1, format="xls") == "(1 заказ, .xls)"
        assert ngettext(*orders, 3, format="xls") == "(3 заказа, .xls)"
        assert ngettext(*orders, 11, format="xls") == "(11 заказов, .xls)"


def test_a_service_refusal_is_translated_with_the_statuses_inside_it():
    error = ActionNotAllowed(refusal_reason(Action.RESTORE, OrderStatus.SHIPPED))
    assert str(error) == "Only orders in status Canceled can be restored; this order is Shipped."
    with host("ru").test_request_context():
        assert translate(error.message) == (
            "Восстановить можно только заказ в статусе «Отменён»; статус этого заказа — «Отправлен»."
        )
    with host("zh_Hans").test_request_context():
        assert translate(error.message) == "只有以下状态的订单可以恢复：已取消；此订单的状态是“已发货”。"


def test_without_flask_babel_the_plugin_speaks_english():
    app = Flask("order_admin_plain_host")
    with app.test_request_context():
        assert pgettext("order action", "Cancel") == "Cancel"
        assert gettext("Order %(number)s", number="ORD-1") == "Order ORD-1"


def test_flask_babel_installed_but_not_initialised_does_not_break_the_plugins_texts():
    """Flask-Admin's own pages fail there (KeyError 'babel'); the plugin's texts and refusals read in English."""
    app = Flask("order_admin_host_without_babel_init")
    assert "babel" not in app.extensions
    error = ActionNotAllowed(refusal_reason(Action.CANCEL, OrderStatus.SHIPPED))
    with app.test_request_context():
        assert translate(error.message) == str(error)
        assert ngettext("%(num)s order", "%(num)s orders", 2) == "2 orders"
    with app.app_context():
        assert pgettext("order status", "Shipped") == "Shipped"
    assert translate(error.message) == str(error)  # no app at all: English too


def test_outside_a_request_the_apps_default_locale_is_used_and_the_selector_is_not_asked():
    def selector() -> str:
        raise AssertionError("the locale selector reads the request; there is none in an export job")

    app = Flask("order_admin_job_host")
    app.config["BABEL_DEFAULT_LOCALE"] = "ru"
    Babel(app, locale_selector=selector)
    with app.app_context():
        assert pgettext("export totals row", "Total") == "Итого"
        with locale_of("zh_Hans_CN"):
            assert pgettext("export totals row", "Total") == "合计"
        with locale_of("not a locale"):
            assert pgettext("export totals row", "Total") == "Итого"


def test_a_stored_message_reads_in_each_managers_language():
    stored = stored_text(ActionNotAllowed(refusal_reason(Action.CLOSE, OrderStatus.CANCELED)).message, 5000)
    assert str(from_stored_text(stored)).startswith("Only orders in one of the statuses Processing, ")
    with host("ru").test_request_context():
        assert translate(from_stored_text(stored)).startswith("Закрыть можно только заказ в одном из статусов: В обработке, ")
    with host("zh_Hans").test_request_context():
        assert translate(from_stored_text(stored)).startswith("只有以下状态的订单可以完结：处理中、追加订单、")
    assert from_stored_text("The export failed.") == "The export failed."  # plain text of older rows
    assert stored_text("x" * 10, 5) == "xxxxx"


def test_an_order_link_stays_a_link_inside_a_translated_sentence_and_text_is_escaped():
    link = Markup('<a href="/admin/orders/details/?id=7">ORD-7</a>')
    with host("ru").test_request_context():
        text = gettext("Items moved into %(order)s", order=link)
        assert isinstance(text, Markup)
        assert text == 'Товары перенесены в <a href="/admin/orders/details/?id=7">ORD-7</a>'
        assert gettext("Reason: %(reason)s", reason="<b>late</b>") == "Причина: <b>late</b>"  # plain text: Jinja escapes
        mixed = gettext("%(item)s: %(why)s", item=link, why="<script>")
        assert mixed == '<a href="/admin/orders/details/?id=7">ORD-7</a>: &lt;script&gt;'


def compile_catalog(directory: Path, locale: str, entries: dict[tuple[str | None, str], str]) -> None:
    catalog = Catalog(locale=locale, domain=DOMAIN)
    for (context, msgid), text in entries.items():
        catalog.add(msgid, text, context=context)
    folder = directory / locale / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{DOMAIN}.mo", "wb") as mo:
        write_mo(mo, catalog)


def test_a_hosts_own_catalog_rewords_the_plugins_strings_and_the_rest_stays_the_plugins(tmp_path):
    """"Cancel" is also in Flask-Admin's catalog (a dialog's Cancel): the host's entry for the plugin's domain,
    with the plugin's context, is the one the order menu reads."""
    compile_catalog(tmp_path / "translations", "ru", {
        ("order action", "Cancel"): "Аннулировать заказ",
        (None, "Back to orders list"): "К заказам",
    })
    app = host("ru", BABEL_TRANSLATION_DIRECTORIES=f"translations;{tmp_path / 'translations'}")
    with app.test_request_context():
        assert pgettext("order action", "Cancel") == "Аннулировать заказ"
        assert gettext("Back to orders list") == "К заказам"
        assert pgettext("order action", "Merge") == "Объединить"  # not in the host's catalog: the plugin's
    with host("zh_Hans", BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations")).test_request_context():
        assert pgettext("order action", "Cancel") == "取消订单"  # the host reworded Russian only


def test_outside_a_request_the_apps_default_timezone_is_used_and_the_selector_is_not_asked():
    from flask_order_admin.i18n import current_timezone

    def selector() -> str:
        raise AssertionError("the timezone selector reads the request; there is none in an export job")

    app = Flask("order_admin_job_host")
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Shanghai"
    Babel(app, timezone_selector=selector)
    with app.app_context():
        assert str(current_timezone()) == "Asia/Shanghai"


def test_quantities_inside_messages_are_written_the_locales_way_and_ids_are_not():
    """In Russian "1,000" reads as one: a cap of 1,000 orders is "1 000" there, and the plural count too;
    an id stays digits."""
    from flask_order_admin.errors import OrderNotFound
    from flask_order_admin.errors import BulkActionTooLarge, ExportTooLarge

    cap = BulkActionTooLarge(1500, 1000)
    with host("en").test_request_context():
        assert "at most 1,000." in translate(cap.message)
        assert ngettext("(%(num)s order, .%(format)s)", "(%(num)s orders, .%(format)s)", 12500, format="xls") \
            == "(12,500 orders, .xls)"
    with host("ru").test_request_context():
        assert "1\N{NO-BREAK SPACE}000" in translate(cap.message)
        assert ngettext("(%(num)s order, .%(format)s)", "(%(num)s orders, .%(format)s)", 12500, format="xls") \
            == "(12\N{NO-BREAK SPACE}500 заказов, .xls)"
        assert "1,000" not in translate(ExportTooLarge(250000, 1000).message)
        assert "12345 " in translate(OrderNotFound.deleted(12345).message)
    with host("zh_Hans").test_request_context():
        assert "1,000" in translate(cap.message)
