"""ORDER_ADMIN_CANCEL_REASONS: the defaults, a shop's list, and what start-up refuses."""

from __future__ import annotations

import pytest

from flask_order_admin.domain.cancel_reasons import (
    DEFAULT_CANCEL_REASONS, MAX_REASON_LENGTH, MAX_REASONS, stored_reason_label,
)
from flask_order_admin.errors import OrderAdminConfigError
from flask_order_admin.settings import load_settings

KEY = "ORDER_ADMIN_CANCEL_REASONS"


def test_the_defaults_are_the_plugins_keyed_messages():
    settings = load_settings({})
    assert settings.cancel_reasons == DEFAULT_CANCEL_REASONS
    assert [r.value for r in settings.cancel_reasons] == [
        "buyer_asked", "out_of_stock", "price_changed", "not_paid", "duplicate"]
    assert str(settings.cancel_reason("out_of_stock").label) == "Out of stock at the seller"
    assert settings.cancel_reason("out_of_stock").stored == {"key": "out_of_stock"}
    assert settings.cancel_reason("Out of stock at the seller") is None  # the form posts keys, not labels


def test_a_shops_list_is_kept_as_written():
    settings = load_settings({KEY: ["Покупатель передумал", "Нет размера"]})
    assert [(r.value, r.label, r.stored) for r in settings.cancel_reasons] == [
        ("Покупатель передумал", "Покупатель передумал", {"text": "Покупатель передумал"}),
        ("Нет размера", "Нет размера", {"text": "Нет размера"}),
    ]
    assert settings.cancel_reason("out_of_stock") is None  # the defaults are no longer offered
    assert load_settings({KEY: ()}).cancel_reasons == ()  # free text only


@pytest.mark.parametrize("value", [
    "Out of stock",  # a string, not a list of them
    {"a": "b"},
    None,
    [""],
    ["  "],
    [" padded "],
    [42],
    ["x" * (MAX_REASON_LENGTH + 1)],
    [f"reason {i}" for i in range(MAX_REASONS + 1)],
    ["Twice", "Twice"],
    ["other"],  # the value of the Other choice
])
def test_a_wrong_list_fails_at_start_up_naming_the_key(value):
    with pytest.raises(OrderAdminConfigError) as caught:
        load_settings({KEY: value})
    assert str(caught.value).startswith(KEY + ":")


def test_the_longest_list_of_the_longest_reasons_is_accepted():
    reasons = [f"{i:02d}" + "x" * (MAX_REASON_LENGTH - 2) for i in range(MAX_REASONS)]
    assert len(load_settings({KEY: reasons}).cancel_reasons) == MAX_REASONS


def test_a_stored_reason_reads_back_whatever_the_list_is_now():
    assert str(stored_reason_label({"key": "duplicate"})) == "Duplicate order"
    assert stored_reason_label({"text": "Нет размера"}) == "Нет размера"
    assert stored_reason_label({"key": "gone_since"}) == "gone_since"  # a key this version does not know
    assert stored_reason_label(None) is None and stored_reason_label({"key": 5}) is None
