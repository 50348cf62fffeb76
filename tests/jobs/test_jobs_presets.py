"""Column sets a manager picks from the export menu (ORDER_ADMIN_EXPORT_PRESETS): an instant download, a job
that remembers its set and the address it was started from, Run again, the order page's menu, a refusal."""

from __future__ import annotations

import xlrd

from flask_order_admin.domain.export_columns import column_set, presets
from flask_order_admin.models import ExportRecord

AGENT_COLUMNS = ["photo", "item_url", "item_id", "color_cn", "size_cn"]
AGENT = {"label": "For the agent in China", "columns": AGENT_COLUMNS}
LINE = {"title": "连衣裙", "url": "https://item.taobao.com/item.htm?id=77", "photo_url": "/static/photos/6.svg",
        "provider_item_id": "77", "color_cn": "红色", "size_cn": "中码", "quantity": 1}


def first_sheet(data: bytes) -> list[list[object]]:
    sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
    return [sheet.row_values(r) for r in range(sheet.nrows)]


def agent_rows(base: str) -> list[list[object]]:
    return [[f"{base}static/photos/6.svg", LINE["url"], "77", "红色", "中码"]]


def use_presets(configure, **more) -> None:
    configure(export_presets=presets({"china_agent": AGENT}, column_set([
        "customer_name", "customer_address", "order_number", "item", "color", "size", "color_cn", "size_cn", "photo",
        "quantity", "price", "discount_price", "china_delivery", "china_delivery_total", "total_price"])), **more)


def test_the_list_menu_offers_each_preset_and_downloads_its_columns(client, make_order, configure, form_fields,
                                                                   session):
    use_presets(configure)
    make_order("shipped", items=[LINE])
    page = client.get("/admin/orders/").text
    assert 'id="export-matching-form-default"' in page and 'id="export-matching-form-china_agent"' in page
    assert "For the agent in China" in page and "Standard columns" in page
    fields = {**form_fields(page, "export-matching-form-china_agent"), "format": "xls"}
    assert fields["preset"] == "china_agent"
    rows = first_sheet(client.post("/admin/orders/export-matching/", data=fields).data)
    assert rows[0] == ["Item photo (link)", "Item URL", "Item ID", "颜色分类", "尺码"]
    assert rows[1:] == agent_rows("http://localhost/")  # the request's host: no ORDER_ADMIN_PUBLIC_URL here
    assert session.query(ExportRecord).one().preset == "china_agent"
    standard = {**form_fields(page, "export-matching-form-default"), "format": "xls"}
    assert first_sheet(client.post("/admin/orders/export-matching/", data=standard).data)[0][0] == "Customer full name"


def test_a_job_remembers_its_preset_and_address_and_runs_again_with_them(
        client, make_order, jobs, folder, configure, form_fields, wait_for, job_id_of):
    use_presets(configure)
    for _ in range(4):
        make_order("shipped", items=[LINE])
    page = client.get("/admin/orders/").text
    fields = {**form_fields(page, "export-matching-form-china_agent"), "format": "xls"}
    export_id = job_id_of(client.post("/admin/orders/export-matching/", data=fields))
    record = wait_for(export_id, "done")
    # The job runs outside any request: the address is the one of the request that started it.
    assert (record.preset, record.base_url) == ("china_agent", "http://localhost/")
    rows = first_sheet(client.get(f"/admin/orders/exports/{export_id}/download/").data)
    assert rows[0][1:] == ["Item URL", "Item ID", "颜色分类", "尺码"]
    assert rows[1:5] == agent_rows("http://localhost/") * 4
    token = {"csrf_token": fields["csrf_token"]}  # the page offers Run again after a failure; the view takes any
    again_id = job_id_of(client.post(f"/admin/orders/exports/{export_id}/again/", data=token))
    again = wait_for(again_id, "done")
    assert (again.preset, again.base_url) == ("china_agent", "http://localhost/")
    assert first_sheet(client.get(f"/admin/orders/exports/{again_id}/download/").data)[1:5] == rows[1:5]


def test_the_order_page_offers_each_preset(client, make_order, configure):
    use_presets(configure, public_url="https://shop.example/")
    order = make_order("shipped", items=[LINE])
    page = client.get(f"/admin/orders/details/?id={order.id}").text
    assert "Export: For the agent in China" in page and "Export: Standard columns" in page
    assert f"/admin/orders/{order.id}/export/?preset=china_agent" in page.replace("&amp;", "&")
    rows = first_sheet(client.get(f"/admin/orders/{order.id}/export/?preset=china_agent").data)
    assert rows[1:] == agent_rows("https://shop.example/")  # the public URL wins over the request's host


def test_a_preset_no_longer_offered_is_refused_with_a_message(client, make_order, configure, form_fields, session):
    use_presets(configure)
    make_order("shipped", items=[LINE])
    fields = {**form_fields(client.get("/admin/orders/").text, "export-matching-form-china_agent"), "format": "xls"}
    configure(export_presets=presets({}, column_set(["order_number"])))  # the shop removed it meanwhile
    response = client.post("/admin/orders/export-matching/", data=fields)
    assert response.status_code == 302
    page = client.get(response.location).text
    assert "The export column set &#39;china_agent&#39; is not offered here; pick another from the export menu." in page
    assert session.query(ExportRecord).count() == 0
    order = make_order("shipped", items=[LINE])
    refused = client.get(f"/admin/orders/{order.id}/export/?preset=" + "x" * 5000)  # a hand-made link
    assert refused.status_code == 302 and "x" * 64 + "&#39; is not offered" in client.get(refused.location).text


def test_a_job_whose_preset_was_removed_before_it_ran_fails_saying_so(app, make_order, folder, session, configure,
                                                                    read_export):
    from flask_order_admin.jobs.work import run_export

    from .conftest import queued_job

    use_presets(configure)
    order = make_order("processing", items=[LINE])
    state = app.extensions["order_admin"]
    record = queued_job(session, state.settings, folder, [order.id], fmt="xls", source="order",
                        description="Order", preset="china_agent")
    configure(export_presets=presets({}, column_set(["order_number"])))  # the shop's settings changed meanwhile
    assert run_export(state, record.id) == "failed"
    assert str(read_export(record.id).error_message) == (
        "The export column set 'china_agent' is not offered here; pick another from the export menu.")
    assert list(folder.iterdir()) == []
