"""Link rules: only safe http(s) URLs become HYPERLINK formulas, and nothing can change the formula."""

from __future__ import annotations

import io

import pytest
import xlwt

from flask_order_admin.export.cells import CUT_MARKER, Link
from flask_order_admin.export.links import FORMULA_STRING_LIMIT, item_cell, link_label, linkable_url, photo_cell
from flask_order_admin.export.sheets import write_sheets
from flask_order_admin.export.xls_writer import HyperlinkFormula, XlsBackend

GOOD = "https://item.taobao.com/item.htm?id=600000000001&spm=a1z10"
INJECTION = 'https://item.taobao.com/x")&HYPERLINK("http://evil/'
LONG = "https://item.taobao.com/item.htm?id=" + "1" * (300 - 36)


@pytest.mark.parametrize("url", [
    GOOD, "http://img.alicdn.com/a.jpg", "HTTPS://ITEM.TAOBAO.COM/", "https://[2001:db8::1]:8443/p",
    "https://item.taobao.com/搜索?q=连衣裙", INJECTION,
])
def test_http_urls_with_a_host_are_linkable(url: str) -> None:
    assert linkable_url(url) == url


@pytest.mark.parametrize("url", [
    None, "", "javascript:alert(1)", "JavaScript://item.taobao.com/%0Aalert(1)", "data:text/html,x",
    "file:///etc/passwd", "ftp://item.taobao.com/", "//item.taobao.com/x", "https://", "https:///path",
    "https://item.taobao.com@evil.example/", "https://item.taobao.com/a b", "https://item.taobao.com/\nx",
    "https://item.taobao.com/\x00", "https://item.taobao.com/\u202egpj.exe", "item.taobao.com/x", LONG,
])
def test_anything_else_is_not(url: str | None) -> None:
    assert linkable_url(url) is None


def test_the_255_character_limit_counts_utf16_units() -> None:
    base = "https://item.taobao.com/"
    assert linkable_url(base + "a" * (FORMULA_STRING_LIMIT - len(base))) is not None
    assert linkable_url(base + "a" * (FORMULA_STRING_LIMIT - len(base) + 1)) is None
    # An emoji is two UTF-16 units: 254 characters that are 256 units do not fit.
    assert linkable_url(base + "a" * (FORMULA_STRING_LIMIT - len(base) - 1) + "😀") is None


def test_item_cell_links_the_title_or_keeps_both_as_text() -> None:
    assert item_cell("Dress 连衣裙", GOOD) == Link(GOOD, "Dress 连衣裙")
    assert item_cell("", GOOD) == Link(GOOD, GOOD)
    assert item_cell("Dress", "javascript:alert(1)") == "Dress (javascript:alert(1))"
    assert item_cell("Dress", None) == "Dress"
    assert item_cell(None, LONG) == LONG
    assert item_cell(None, None) is None


def test_photo_cell_shows_the_address() -> None:
    assert photo_cell(GOOD) == Link(GOOD, GOOD)
    assert photo_cell("javascript:alert(1)") == "javascript:alert(1)"
    assert photo_cell(None) is None


def test_labels_are_one_line_and_cut_to_fit_a_formula() -> None:
    assert link_label("a\nb\t\x07c  d") == "a b c d"
    label = link_label("连" * 400)
    assert len(label) == FORMULA_STRING_LIMIT and label.endswith(CUT_MARKER)


@pytest.mark.parametrize("url", [GOOD, INJECTION, 'https://a.example/"', 'https://a.example/""";"x'])
def test_compiled_formula_is_exactly_what_xlwt_parses_from_the_quote_doubled_text(url: str) -> None:
    formula = HyperlinkFormula(Link(url, 'A "quoted" title; =1+1'))
    assert formula.text().count('"') == 4 + 2 * (url.count('"') + 2)
    assert xlwt.Formula(formula.text()).rpn() == formula.rpn()


def test_written_links_are_hyperlink_formulas_of_the_url_and_label_only(xls_formulas, link_tokens) -> None:
    rows = [
        ("Li", None, "ORD-1", Link(GOOD, "Dress"), *[None] * 4, Link(INJECTION, INJECTION), *[None] * 6),
    ]
    stream = io.BytesIO()
    write_sheets(XlsBackend(stream), rows)
    formulas = xls_formulas(stream.getvalue())
    assert formulas == {
        (0, 1, 3): link_tokens(GOOD, "Dress"),
        (0, 1, 8): link_tokens(INJECTION, INJECTION),
    }
