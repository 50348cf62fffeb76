"""Every export, read back by the readers shops feed it to: xlrd, pandas, openpyxl and LibreOffice.

xlrd, pandas and the importers built like them do not calculate: they read a formula's stored result.
LibreOffice calculates. Each must read the same titles, URLs and numbers, and these must be the order's.
The LibreOffice part converts every file of a test to CSV in one ``soffice`` run, with its own profile
folder (no clash with another run) and a timeout.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import shutil
import subprocess
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas
import pytest
import xlrd

from flask_order_admin import services
from flask_order_admin.domain import line_totals
from flask_order_admin.domain.export_columns import Col, HostColumn, column_set, presets
from flask_order_admin.export import export_bytes
from flask_order_admin.export.columns import column_headers

SOFFICE = shutil.which("soffice")
SOFFICE_SECONDS = 180
# Comma, double quote, UTF-8, from line 1, standard cell format, language, not quoted as text, special numbers,
# values as stored rather than as shown (numbers unformatted), results rather than formulas.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false"

PLACED_AT = datetime(2026, 1, 28, 15, 30)
PUBLIC_URL = "https://shop.example/"
ITEMS = [
    {"provider_item_id": "600000000001", "title": '2026新款连衣裙 "Summer" dress; 夏',
     "url": "https://item.taobao.com/item.htm?id=600000000001", "photo_url": "/static/photos/6.svg",
     "color": "Red", "size": "M", "color_cn": "红色", "size_cn": "中码", "quantity": 3, "price": Decimal("100.55"),
     "discount_price": Decimal("90.35"), "china_delivery": Decimal("7.30")},
    {"provider_item_id": "600000000002", "title": "Shoes 鞋", "url": "https://item.taobao.com/item.htm?id=600000000002",
     "photo_url": "https://img.alicdn.com/i1/shoes.jpg", "color": None, "size": "42", "color_cn": None,
     "size_cn": "42码", "quantity": 1, "price": Decimal("1234.50"), "discount_price": None,
     "china_delivery": Decimal("0.00")},
    {"provider_item_id": None, "title": "", "url": "https://item.taobao.com/item.htm?id=600000000003",
     "photo_url": None, "color": None, "size": None, "color_cn": None, "size_cn": None, "quantity": 2,
     "price": Decimal("0.10"), "discount_price": None, "china_delivery": Decimal("1.05")},
]
NOTE = "Ask the agent to check the seams 检查缝线"
WEIGHT = ("Weight, g", lambda line: line.quantity * 250)
EVERY_COLUMN = [*(col.key for col in Col), WEIGHT]
CHINA_AGENT = {"label": "For the agent in China", "columns": ["item_url", "item_id", "color_cn", "size_cn"]}

TEXT, NUMBER, DATE = "text", "number", "date"
KINDS = {Col.QUANTITY: NUMBER, Col.PRICE: NUMBER, Col.DISCOUNT_PRICE: NUMBER, Col.CHINA_DELIVERY: NUMBER,
         Col.CHINA_DELIVERY_TOTAL: NUMBER, Col.TOTAL_PRICE: NUMBER, Col.ORDER_DATE: DATE}


def expected_rows(order: Any, columns: Sequence[Any], status_label: str) -> list[list[Any]]:
    """The order's cells as the file must show them, worked out from the order, column by column."""
    rows = []
    for item in ITEMS:
        totals = line_totals(item["quantity"], item["price"], item["discount_price"], item["china_delivery"])
        photo = item["photo_url"] and ("https://shop.example" + item["photo_url"]
                                       if item["photo_url"].startswith("/") else item["photo_url"])
        values = {
            Col.CUSTOMER_NAME: "Li Wei 李伟", Col.CUSTOMER_ADDRESS: "Room 5, 12 Nanjing Rd, Shanghai",
            Col.ORDER_NUMBER: order.number, Col.ITEM: item["title"] or item["url"], Col.COLOR: item["color"],
            Col.SIZE: item["size"], Col.COLOR_CN: item["color_cn"], Col.SIZE_CN: item["size_cn"], Col.PHOTO: photo,
            Col.QUANTITY: item["quantity"], Col.PRICE: item["price"], Col.DISCOUNT_PRICE: item["discount_price"],
            Col.CHINA_DELIVERY: item["china_delivery"], Col.CHINA_DELIVERY_TOTAL: totals.china_delivery,
            Col.TOTAL_PRICE: totals.total, Col.BUYER_PHONE: "+86 138 0000 0000", Col.BUYER_EMAIL: "buyer@example.com",
            Col.ORDER_DATE: PLACED_AT, Col.STATUS: status_label, Col.COMMENT: NOTE,
            Col.ITEM_ID: item["provider_item_id"], Col.ITEM_URL: item["url"],
        }
        rows.append([values[c] if isinstance(c, Col) else c.value(dataclasses.replace(_Line(), **item)) for c in columns])
    return rows


@dataclasses.dataclass
class _Line:
    quantity: int = 0
    provider_item_id: Any = None
    title: Any = None
    url: Any = None
    photo_url: Any = None
    color: Any = None
    size: Any = None
    color_cn: Any = None
    size_cn: Any = None
    price: Any = None
    discount_price: Any = None
    china_delivery: Any = None


def normal(kind: str, value: Any) -> Any:
    """A read value in one form for every reader: text, a number to the cent, a time to the minute, or None."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == NUMBER:
        return round(float(value), 2)
    if kind == DATE:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return pandas.Timestamp(value).to_pydatetime().replace(second=0, microsecond=0)
    return str(value) if not isinstance(value, str) else value


def normal_rows(rows: list[list[Any]], columns: Sequence[Any]) -> list[list[Any]]:
    kinds = [KINDS.get(c, TEXT) if isinstance(c, Col) else NUMBER for c in columns]
    return [[normal(kind, value) for kind, value in zip(kinds, row)] for row in rows]


def read_xlrd(data: bytes) -> list[list[Any]]:
    book = xlrd.open_workbook(file_contents=data)
    sheet = book.sheet_by_index(0)
    rows = []
    for rowx in range(sheet.nrows):
        row = []
        for cell in sheet.row(rowx):
            row.append(xlrd.xldate_as_datetime(cell.value, book.datemode) if cell.ctype == xlrd.XL_CELL_DATE
                       else cell.value)
        rows.append(row)
    return rows


def read_openpyxl(data: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_pandas(data: bytes, fmt: str) -> list[list[Any]]:
    frame = pandas.read_excel(io.BytesIO(data), header=None, dtype=object, engine="xlrd" if fmt == "xls" else "openpyxl")
    return frame.values.tolist()


def read_libreoffice(files: dict[str, bytes], folder: Path) -> dict[str, list[list[str]]]:
    """Each file as LibreOffice Calc reads and calculates it, saved as CSV: one ``soffice`` run for all."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
    inputs, out = folder / "in", folder / "out"
    inputs.mkdir()
    for name, data in files.items():
        (inputs / name).write_bytes(data)
    command = [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", CSV_FILTER, "--outdir", str(out), *sorted(str(p) for p in inputs.iterdir())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_SECONDS, check=False)
    read = {}
    for name in files:
        path = out / (Path(name).stem + ".csv")
        assert path.exists(), f"LibreOffice wrote no {path.name}: {done.stdout} {done.stderr}"
        with path.open(encoding="utf-8", newline="") as stream:
            read[name] = list(csv.reader(stream))
    return read


def padded(rows: list[list[Any]], width: int) -> list[list[Any]]:
    return [list(row) + [None] * (width - len(row)) for row in rows]


@pytest.fixture
def exported(app, session, make_order):
    """An order with three kinds of line and a note, and a helper writing it with given settings."""
    state = app.extensions["order_admin"]
    order = make_order(items=ITEMS, created_at=PLACED_AT)
    services.add_comment(session, order.id, actor="manager", text="an older note")
    services.add_comment(session, order.id, actor="manager", text=NOTE)

    def write(fmt: str, preset: str | None = None, **settings: Any) -> bytes:
        state.settings = dataclasses.replace(state.settings, **settings)
        return export_bytes(session, [order.id], fmt=fmt, preset=preset)

    return order, write


# pandas reads .xls through xlrd, as the importers the stored results are for do.
@pytest.mark.filterwarnings("ignore:The xlrd engine is deprecated")
def test_every_reader_reads_the_orders_titles_urls_and_numbers(exported, tmp_path) -> None:
    order, write = exported
    every = column_set(EVERY_COLUMN)
    default = column_set([col.key for col in Col][:15])
    sets = presets({"every": {"label": "Every column", "columns": EVERY_COLUMN}}, default)
    files = {
        f"{name}.{fmt}": write(fmt, None if name == "default" else name, export_presets=sets, public_url=PUBLIC_URL,
                               export_formats=("xls", "xlsx"))
        for name in ("default", "every") for fmt in ("xls", "xlsx")
    }
    from flask_order_admin.i18n import translate
    from flask_order_admin.domain import OrderStatus

    status = translate(OrderStatus.AWAITING_PAYMENT.label)
    calc = read_libreoffice(files, tmp_path)
    for name, data in files.items():
        fmt = name.rsplit(".", 1)[1]
        columns = every.columns if name.startswith("every") else default.columns
        want = normal_rows(expected_rows(order, columns, status), columns)
        readers = {"pandas": read_pandas(data, fmt), "LibreOffice": calc[name]}
        readers["xlrd" if fmt == "xls" else "openpyxl"] = read_xlrd(data) if fmt == "xls" else read_openpyxl(data)
        for reader, rows in readers.items():
            rows = padded(rows, len(columns))
            assert [str(h) for h in rows[0]] == list(column_headers(every if name.startswith("every") else default)), \
                (name, reader)
            assert normal_rows(rows[1:1 + len(ITEMS)], columns) == want, (name, reader)
            total = normal_rows([rows[1 + len(ITEMS)]], columns)[0]
            assert total[columns.index(Col.QUANTITY)] == sum(item["quantity"] for item in ITEMS), (name, reader)
            assert total[columns.index(Col.TOTAL_PRICE)] == round(float(sum(r[columns.index(Col.TOTAL_PRICE)]
                                                                              for r in want)), 2), (name, reader)


def test_the_link_formula_targets_the_absolute_url(exported, xls_formulas, link_tokens) -> None:
    order, write = exported
    data = write("xls", public_url=PUBLIC_URL)
    formulas = xls_formulas(data)
    assert formulas[(0, 1, Col.ITEM)] == link_tokens(ITEMS[0]["url"], ITEMS[0]["title"])
    photo = "https://shop.example/static/photos/6.svg"
    assert formulas[(0, 1, Col.PHOTO)] == link_tokens(photo, photo)
    xlsx = openpyxl.load_workbook(io.BytesIO(write("xlsx", export_formats=("xls", "xlsx"), public_url=PUBLIC_URL)))
    assert xlsx.worksheets[0].cell(2, Col.PHOTO + 1).value == f'=HYPERLINK("{photo}","{photo}")'


def test_without_a_public_url_the_requests_host_makes_urls_absolute(app, exported, open_xls) -> None:
    order, write = exported
    with app.test_request_context("/admin/orders/", base_url="https://orders.shop.example:8443"):
        data = write("xls", export_presets=presets({}, column_set(["photo", "item_url"])))
    sheet = open_xls(data).sheet_by_index(0)
    assert sheet.cell_value(1, 0) == "https://orders.shop.example:8443/static/photos/6.svg"
    # Outside a request, with no public URL, a relative URL stays as stored (text: it is no link).
    assert open_xls(write("xls")).sheet_by_index(0).cell_value(1, 0) == "/static/photos/6.svg"


def test_a_preset_for_the_agent_in_china_has_only_its_columns(exported, open_xls) -> None:
    order, write = exported
    sets = presets({"china_agent": CHINA_AGENT}, column_set([col.key for col in Col][:15]))
    sheet = open_xls(write("xls", "china_agent", export_presets=sets)).sheet_by_index(0)
    assert sheet.row_values(0) == ["Item URL", "Item ID", "颜色分类", "尺码"]
    assert [sheet.row_values(rowx) for rowx in range(1, 4)] == [
        [item["url"], item["provider_item_id"] or "", item["color_cn"] or "", item["size_cn"] or ""] for item in ITEMS
    ]
    assert sheet.nrows == 4  # the totals row is empty: none of its sums is a column here


def test_a_host_column_gets_the_line_and_its_order(exported, open_xls) -> None:
    order, write = exported
    seen = []

    def order_and_title(line: Any) -> str:
        seen.append(line.order.id)
        return f"{line.order.number}: {line.title}"

    sets = presets({}, column_set([("Order and title", order_and_title), WEIGHT]))
    sheet = open_xls(write("xls", export_presets=sets)).sheet_by_index(0)
    assert sheet.row_values(0) == ["Order and title", "Weight, g"]
    assert sheet.row_values(1) == [f"{order.number}: {ITEMS[0]['title']}", 750.0]
    assert seen == [order.id] * len(ITEMS)


def test_unknown_columns_and_bad_presets_fail_at_start_naming_the_key() -> None:
    from flask_order_admin.errors import OrderAdminConfigError
    from flask_order_admin.settings import load_settings

    with pytest.raises(OrderAdminConfigError, match=r"^ORDER_ADMIN_EXPORT_COLUMNS: unknown column 'phone'"):
        load_settings({"ORDER_ADMIN_EXPORT_COLUMNS": ["order_number", "phone"]})
    with pytest.raises(OrderAdminConfigError, match=r"^ORDER_ADMIN_EXPORT_COLUMNS: bad column"):
        load_settings({"ORDER_ADMIN_EXPORT_COLUMNS": [("Weight", "not callable")]})
    with pytest.raises(OrderAdminConfigError, match=r"^ORDER_ADMIN_EXPORT_PRESETS: preset 'agent': columns unknown"):
        load_settings({"ORDER_ADMIN_EXPORT_PRESETS": {"agent": {"label": "Agent", "columns": ["url"]}}})
    with pytest.raises(OrderAdminConfigError, match=r"^ORDER_ADMIN_EXPORT_PRESETS: bad preset key 'default'"):
        load_settings({"ORDER_ADMIN_EXPORT_PRESETS": {"default": CHINA_AGENT}})
    with pytest.raises(OrderAdminConfigError, match=r"^ORDER_ADMIN_PUBLIC_URL: must be"):
        load_settings({"ORDER_ADMIN_PUBLIC_URL": "shop.example"})
    settings = load_settings({"ORDER_ADMIN_EXPORT_PRESETS": {"china_agent": CHINA_AGENT},
                              "ORDER_ADMIN_PUBLIC_URL": "https://shop.example"})
    assert [p.key for p in settings.export_presets] == ["default", "china_agent"]
    assert settings.public_url == PUBLIC_URL
    assert settings.export_preset("china_agent").columns.columns == (Col.ITEM_URL, Col.ITEM_ID, Col.COLOR_CN,
                                                                     Col.SIZE_CN)
    assert isinstance(load_settings({"ORDER_ADMIN_EXPORT_COLUMNS": [WEIGHT]}).export_columns.columns[0], HostColumn)


def test_the_total_row_says_total_in_the_first_column_when_the_names_column_is_left_out(exported, open_xls) -> None:
    order, write = exported
    sets = presets({}, column_set(["item_id", "quantity", "total_price"]))
    sheet = open_xls(write("xls", export_presets=sets)).sheet_by_index(0)
    assert sheet.row_values(sheet.nrows - 1) == ["Total", 6.0, pytest.approx(float(sum(
        line_totals(i["quantity"], i["price"], i["discount_price"], i["china_delivery"]).total for i in ITEMS)))]


def test_a_host_column_that_raises_stops_the_export_with_a_message(exported) -> None:
    from flask_order_admin.errors import ExportColumnFailed

    order, write = exported
    sets = presets({}, column_set(["order_number", ("Weight, g", lambda line: line.no_such_field)]))
    with pytest.raises(ExportColumnFailed) as refused:
        write("xls", export_presets=sets)
    assert str(refused.value) == (f"The export stopped: the shop's column Weight, g failed on order {order.number} "
                                  "(AttributeError). Tell the shop's administrator.")
