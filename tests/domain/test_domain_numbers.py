import pytest

from flask_order_admin.domain import NotAnOrderNumber, NumberFormat, TrailingDigits

FMT = NumberFormat("ORD-", 10)


def test_format_pads_the_id():
    assert FMT.format(23) == "ORD-0000000023"
    assert NumberFormat("SHOP/", 6).format(7) == "SHOP/000007"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23", TrailingDigits(23, 2)),
        ("0023", TrailingDigits(23, 4)),
        ("ORD-0000000023", TrailingDigits(23, 10)),
        ("ord-23", TrailingDigits(23, 2)),
        ("  23 \t", TrailingDigits(23, 2)),
        ("123456", TrailingDigits(123456, 6)),
    ],
)
def test_parse_reads_last_digits(text, expected):
    assert FMT.parse(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "abc", "ORD-00x", "%", "_", "0", "000", "1" * 11, "1" * 40,
                                  "23; DROP TABLE orders", "-1", "2.5", "２３"])
def test_parse_refuses_what_is_not_a_number_with_a_message(text):
    with pytest.raises(NotAnOrderNumber) as caught:
        FMT.parse(text)
    assert str(caught.value)
    assert "Traceback" not in str(caught.value)
