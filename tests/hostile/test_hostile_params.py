"""Query and form values that used to reach Flask-Admin, WTForms or the database driver raw (issue 10,
defect 5): unknown filter values, CR/LF in return addresses, huge and negative pages, digits that are
not ASCII, and a text field sent as a file. Each gets a message or a 4xx, never a 500."""

from __future__ import annotations

import io

import pytest
import xlrd

from flask_order_admin.errors import OrderNotFound
from flask_order_admin.services.transaction import checked_id
from flask_order_admin.views.redirects import local_path
from tests.views.conftest import hidden_fields

TABS = ["/admin/orders/", "/admin/orders/items/"]
LIST_URLS = TABS + ["/admin/orders/export-matching/"]
XLS = "application/vnd.ms-excel"

BAD_FILTER_VALUES = [
    ("flt0_status_equals", "nonsense"),
    ("flt0_provider_equals", "nonsense"),
    # PostgreSQL text holds no NUL: psycopg refuses the parameter.
    ("flt0_provider_equals", "a\x00b"),
    ("flt0_buyer_contains", "a\x00b"),
    ("flt0_customer_equals", "a\x00b"),
    ("flt0_buyer_email_equals", "a\x00b"),
    # Longer than the search box takes, once normalised (U+FDFA is 18 characters): refused the same way. Before,
    # a LIKE pattern SQLite called too complex, a statement past MariaDB's packet limit.
    ("flt0_buyer_contains", "x" * 100_000),
    ("flt0_buyer_email_domain_is", "\ufdfa" * 100_000),
    ("flt0_customer_equals", "\ufdfa" * 12),
    # The last day a date can hold: "up to the end of that day" would overflow.
    ("flt0_date_between", "9999-12-31 to 9999-12-31"),
]

# Page arguments past what OFFSET / LIMIT take (BIGINT), negative, or not offered.
BAD_PAGES = [
    {"page_size": "1e19"}, {"page_size": str(10**19)}, {"page": str(10**12), "page_size": str(10**12)},
    {"page": "-1"}, {"page": str(2**63)}, {"page": str(10**18), "page_size": "200"}, {"page_size": "-50"},
]

CRLF = "/admin/orders/\r\nSet-Cookie: stolen=1"


@pytest.fixture
def order_id(make_order):
    return make_order("processing", items=1).id


def number(order_id):
    return f"ORD-{order_id:010d}"


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize(("arg", "value"), BAD_FILTER_VALUES, ids=lambda v: repr(v)[:24])
def test_bad_filter_values_are_refused_with_a_message(client, order_id, db_state, error_of, url, arg, value):
    before = db_state()
    if url.endswith("/export-matching/"):  # a POST with the list's form: its CSRF token and a format
        fields = {**hidden_fields(client.get(TABS[0]).text, "export-matching-form"), "format": "xls"}
        response = client.post(url, query_string={arg: value}, data=fields, follow_redirects=True)
    else:
        response = client.get(url, query_string={arg: value}, follow_redirects=True)
    assert response.status_code == 200, response.status_code
    assert response.mimetype != XLS, "a refused filter must not widen the export to every order"
    assert "Invalid Filter Value" in error_of(response)
    assert db_state() == before


@pytest.mark.parametrize("tab", TABS)
def test_a_known_filter_value_still_filters(client, make_order, tab):
    shipped, processing = make_order("shipped", items=1).id, make_order("processing", items=1).id
    page = client.get(tab, query_string={"flt0_status_equals": "shipped", "flt1_provider_equals": "taobao"}).text
    assert number(shipped) in page and number(processing) not in page


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("args", BAD_PAGES, ids=lambda a: "&".join(f"{k}={v}" for k, v in a.items())[:40])
def test_bad_page_arguments_are_clamped(client, order_id, db_state, tab, args):
    before = db_state()
    response = client.get(tab, query_string=args, follow_redirects=True)  # a page past the end goes to the last
    assert response.status_code == 200, response.status_code
    assert len(response.history) <= 1
    assert number(order_id) in response.text  # the first page, which is the last
    assert db_state() == before


def test_page_size_is_one_of_the_offered_sizes(client, make_order):
    for _ in range(3):
        make_order("processing", items=1)
    # 2 is not offered: the default (50) applies, so all three show.
    assert client.get("/admin/orders/", query_string={"page_size": "2"}).text.count("ORD-") >= 3


def test_crlf_in_return_addresses_never_reaches_a_header(client, order_id, token, db_state):
    csrf = token(client)
    before = db_state()
    responses = [
        client.get("/admin/orders/details/", query_string={"id": "0", "url": CRLF}),
        client.get("/admin/orders/search/", query_string={"q": "%%", "back": CRLF}),  # refused: no letter or digit
        client.get("/admin/orders/search/", query_string={"q": "abc", "url": CRLF}),
        client.get("/admin/orders/details/", query_string={"id": order_id, "url": CRLF}),
        client.get(f"/admin/orders/{order_id}/confirm/cancel/", query_string={"url": CRLF}),
        client.post(f"/admin/orders/{order_id}/comment/", data={"csrf_token": csrf, "text": "", "url": CRLF}),
        client.post(f"/admin/orders/{order_id}/close/", data={"csrf_token": csrf, "version": "x", "url": CRLF}),
    ]
    # A url= with a control character is refused outright (400, see _handle_view); back= falls back to the list.
    assert responses[1].status_code == 302 and responses[1].location == "/admin/orders/?q=%25%25"
    for response in responses:
        assert response.status_code in (200, 302, 400), response.status_code
        assert "\r" not in response.headers.get("Location", "") and "\n" not in response.headers.get("Location", "")
        assert "Set-Cookie: stolen" not in response.text
        assert "stolen" not in response.headers.get("Set-Cookie", "")
    assert db_state() == before


@pytest.mark.parametrize("target", ["/admin/orders/\r\nX: y", "/admin/\nx", "/admin/\rx", "/admin/\x00x", "/a\x7f"])
def test_return_addresses_with_control_characters_are_refused(target):
    assert local_path(target) is None


@pytest.mark.parametrize("text", ["²", "³", "¹²", "٣", "१२", "𝟙", "1²"])
def test_only_ascii_digits_make_an_id(text):
    with pytest.raises(OrderNotFound):
        checked_id(text)


@pytest.mark.parametrize("digits", ["²", "٣", "1²"])
def test_unicode_digits_in_ids_and_row_ids(client, order_id, token, db_state, refused, digits):
    csrf = token(client)
    before = db_state()
    refused(client.get("/admin/orders/details/", query_string={"id": digits}, follow_redirects=True))
    for tab in ("orders", "orders/items"):
        response = client.post(f"/admin/{tab}/action/", data={
            "csrf_token": csrf, "action": "export_selected", "rowid": digits}, follow_redirects=True)
        assert response.status_code < 500, response.status_code
        if response.mimetype == XLS:  # no order is named by these
            sheet = xlrd.open_workbook(file_contents=response.data).sheet_by_index(0)
            assert sheet.row_values(1)[0] == "There is nothing to export."
    assert db_state() == before


def file_part(content: bytes = b"from a file") -> tuple[io.BytesIO, str]:
    return io.BytesIO(content), "note.txt"


FILE_POSTS = [
    ("comment", {"text": file_part}),
    ("comment", {"text": "a note", "url": file_part}),
    ("cancel", {"version": "1", "reason": file_part}),
    ("cancel", {"version": "1", "url": file_part}),
    ("close", {"version": "1", "url": file_part}),
    ("merge", {"version": "1", "url": file_part, "into": "basic"}),
]


@pytest.mark.parametrize(("action", "fields"), FILE_POSTS, ids=lambda v: v if isinstance(v, str) else "-".join(v))
def test_a_text_field_sent_as_a_file_is_refused(client, make_order, token, db_state, refused, error_of,
                                                action, fields):
    order_id = make_order("awaiting_payment" if action == "merge" else "processing", customer_ref="c-7").id
    basic_id = make_order("awaiting_payment", customer_ref="c-7").id
    csrf = token(client)
    before = db_state()
    data = {"csrf_token": csrf}
    for name, value in fields.items():
        data[name] = value() if callable(value) else (str(basic_id) if value == "basic" else value)
    response = client.post(f"/admin/orders/{order_id}/{action}/", data=data, content_type="multipart/form-data",
                           follow_redirects=True)
    refused(response)
    assert "Nothing was changed" in error_of(response)
    assert db_state() == before


@pytest.mark.parametrize("body", [{"text": 5}, {"text": ["a"]}, {"reason": {"a": 1}, "version": 1}, [1, 2], "text"],
                         ids=["number", "list", "object", "array-body", "string-body"])
def test_a_json_body_is_not_read_as_the_form(client, order_id, token, db_state, refused, body):
    """Flask-WTF reads a JSON body as form data, whose values need not be text; the buttons post a form."""
    csrf = token(client)
    before = db_state()
    for action in ("comment", "cancel"):
        response = client.post(f"/admin/orders/{order_id}/{action}/", json=body, headers={"X-CSRFToken": csrf},
                               follow_redirects=True)
        refused(response)
    assert db_state() == before


# Flask-Admin's own endpoints under the plugin's views: the bulk action form, and the create, edit, delete,
# details and export pages the plugin turns off, which redirect to url= once Flask-Admin's is_safe_url
# passes it (it reads past CR/LF).
FLASK_ADMIN_REDIRECTS = [
    ("post", "/admin/orders/action/", {"action": "nonsense"}),
    ("post", "/admin/orders/items/action/", {"action": ""}),
    ("get", "/admin/orders/new/", {}),
    ("get", "/admin/orders/edit/", {"id": "1"}),
    ("post", "/admin/orders/items/delete/", {"id": "1"}),
    ("get", "/admin/orders/items/details/", {"id": "1"}),
    ("get", "/admin/orders/export/csv/", {}),
]


@pytest.mark.parametrize(("method", "path", "fields"), FLASK_ADMIN_REDIRECTS,
                         ids=lambda v: v if isinstance(v, str) else "")
def test_crlf_in_the_return_address_of_flask_admins_own_endpoints(client, order_id, token, db_state,
                                                                  method, path, fields):
    csrf = token(client)
    before = db_state()
    if method == "post":
        response = client.post(path, query_string={"url": CRLF}, data={"csrf_token": csrf, **fields})
    else:
        response = client.get(path, query_string={"url": CRLF, **fields})
    assert response.status_code == 400, response.status_code
    assert db_state() == before


@pytest.mark.parametrize("arg", ["flt0_who_contains", "flt0_state_equals"])
def test_a_nul_in_a_my_exports_filter_is_refused_with_a_message(client, db_state, error_of, arg):
    """PostgreSQL text holds no NUL: the exports list's own filters passed it to psycopg (a 500 there)."""
    before = db_state()
    response = client.get("/admin/orders/exports/", query_string={arg: "a\x00b"}, follow_redirects=True)
    assert response.status_code == 200, response.status_code
    assert "Invalid Filter Value" in error_of(response)
    assert db_state() == before
