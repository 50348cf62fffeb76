from decimal import Decimal as D

from flask_order_admin.domain import line_totals, order_totals


def test_line_uses_discount_price_when_set():
    line = line_totals(3, D("100.00"), D("80.50"), D("5.10"))
    assert line.unit_price == D("80.50")
    assert line.goods == D("241.50")
    assert line.discount == D("58.50")
    assert line.china_delivery == D("15.30")
    assert line.total == D("256.80")


def test_line_without_discount_and_delivery():
    line = line_totals(2, D("9.99"), None, None)
    assert (line.goods, line.discount, line.china_delivery, line.total) == (D("19.98"), D("0.00"), D("0.00"), D("19.98"))


def test_order_total_is_sum_of_lines_exactly():
    lines = [line_totals(1, D("0.10"), None, D("0.20")) for _ in range(10)]
    totals = order_totals(lines)
    assert totals.lines == 10 and totals.quantity == 10
    assert totals.total == D("3.00")  # no float drift
