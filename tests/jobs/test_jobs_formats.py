"""ORDER_ADMIN_EXPORT_FORMATS from the panel: every offered format for one order, selected rows and
all matching, instant and as a job; a format that is not offered is refused."""

from __future__ import annotations

import io
import re

import openpyxl
import xlrd


def xlsx_numbers(data: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {str(row[2]) for sheet in book.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)
            if str(row[2]).startswith("ORD-")}


def xls_numbers(data: bytes) -> set[str]:
    book = xlrd.open_workbook(file_contents=data)
    return {str(sheet.cell_value(r, 2)) for sheet in book.sheets() for r in range(1, sheet.nrows)
            if str(sheet.cell_value(r, 2)).startswith("ORD-")}


def actions(page: str) -> list[tuple[str, str]]:
    """The "With selected" export entries: (action, label); the bulk status actions are tested elsewhere."""
    return [(name, label) for name, label in re.findall(r"modelActions\.execute\('(\w+)'\);\">([^<]+)<", page)
            if name.startswith("export_")]


def test_both_formats_are_offered_everywhere(client, make_order, configure, folder, start_export, form_fields,
                                             wait_for, job_id_of):
    configure(export_formats=("xls", "xlsx"))
    order, other = make_order("shipped", items=2), make_order("shipped", items=1)
    page = client.get("/admin/orders/").text
    assert re.findall(r'name="format" value="(\w+)" class="dropdown-item"', page) == ["xls", "xlsx"]
    assert actions(page) == [("export_selected", "Export selected (.xls)"),
                             ("export_selected_xlsx", "Export selected (.xlsx)")]
    menu = client.get(f"/admin/orders/details/?id={order.id}").text
    assert re.findall(r'data-action="export" data-format="(\w+)">Export \(\.(\w+)\)', menu) == [
        ("xls", "xls"), ("xlsx", "xlsx")]

    one = client.get(f"/admin/orders/{order.id}/export/?format=xlsx")
    assert one.headers["Content-Disposition"].endswith(f"{order.number}.xlsx")
    assert xlsx_numbers(one.data) == {order.number}
    assert xls_numbers(client.get(f"/admin/orders/{order.id}/export/").data) == {order.number}

    matching = start_export(client, fmt="xlsx")
    assert xlsx_numbers(matching.data) == {order.number, other.number}
    fields = {**form_fields(page, "action_form"), "action": "export_selected_xlsx", "rowid": [other.id]}
    assert xlsx_numbers(client.post("/admin/orders/action/", data=fields).data) == {other.number}

    configure(export_inline_rows=1)
    export_id = job_id_of(start_export(client, fmt="xlsx"))
    record = wait_for(export_id, "done")
    assert record.fmt == "xlsx" and record.file_name.endswith(".xlsx")
    download = client.get(f"/admin/orders/exports/{export_id}/download/")
    assert download.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx_numbers(download.data) == {order.number, other.number}


def test_xlsx_only_is_not_refused_any_more(client, make_order, configure, folder, start_export, form_fields):
    configure(export_formats=("xlsx",))
    order = make_order("shipped", items=2)
    page = client.get("/admin/orders/").text
    assert 'name="format" value="xlsx"' in page and 'value="xls"' not in page
    assert actions(page) == [("export_selected_xlsx", "Export selected")]
    assert xlsx_numbers(client.get(f"/admin/orders/{order.id}/export/").data) == {order.number}
    assert xlsx_numbers(start_export(client, fmt="xlsx").data) == {order.number}
    fields = {**form_fields(page, "action_form"), "action": "export_selected_xlsx", "rowid": [order.id]}
    assert xlsx_numbers(client.post("/admin/orders/action/", data=fields).data) == {order.number}
    refused = start_export(client, fmt="xls")
    assert refused.status_code == 302
    assert "Export to .xls is not offered here; available: .xlsx." in client.get(refused.location).text
