"""The default cancel reasons are offered and shown in the reader's language, in the history too; a shop's own
reasons are shown as written in every language."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from flask_order_admin.domain.cancel_reasons import cancel_reasons
from flask_order_admin.services import cancel

READ = {
    "ru": ("Нет в наличии у продавца", "Другая причина (напишите ниже)", "Причина: Нет в наличии у продавца (красный, M)"),
    "zh_Hans_CN": ("卖家缺货", "其他原因（请在下方填写）", "原因：卖家缺货（红色，M）"),
}


def history_text(client, order_id) -> str:
    page = client.get("/admin/orders/details/", query_string={"id": order_id}).text
    return html.unescape(re.search(r'id="pane-history".*?</table>', page, re.S).group(0))


@pytest.mark.parametrize("locale", list(READ))
def test_default_reasons_are_offered_and_kept_in_the_readers_language(client, make_order, session, speak, locale):
    label, other, history = READ[locale]
    offered_to, canceled = make_order("processing"), make_order("processing")
    words = "красный, M" if locale == "ru" else "红色，M"
    cancel(session, canceled.id, actor="ann", reason_choice="out_of_stock", reason=words)
    speak(locale)
    page = html.unescape(client.get(f"/admin/orders/{offered_to.id}/confirm/cancel/").text)
    assert label in page and other in page
    assert history in history_text(client, canceled.id)


def test_the_same_event_reads_in_each_language(client, make_order, session, speak):
    order = make_order("processing")
    cancel(session, order.id, actor="ann", reason_choice="duplicate")
    for locale, text in (("ru", "Причина: Дубликат заказа"), ("zh_Hans_CN", "原因：重复订单"),
                         (None, "Reason: Duplicate order")):
        speak(locale)
        assert text in history_text(client, order.id)


def test_a_shops_reasons_are_shown_as_written_in_every_language(app, client, make_order, session, speak):
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, cancel_reasons=cancel_reasons(["Покупатель передумал"]))
    order = make_order("processing")
    cancel(session, order.id, actor="ann", reason_choice="Покупатель передумал")
    for locale, text in (("ru", "Причина: Покупатель передумал"), ("zh_Hans_CN", "原因：Покупатель передумал")):
        speak(locale)
        assert text in history_text(client, order.id)
