"""Random and hostile values in every parameter of every plugin URL (Hypothesis): never a 5xx, and a GET
changes nothing.

The URLs come from the app's url_map (every rule of the plugin's views, Flask-Admin's own included), so a
new view is fuzzed as soon as it is registered; ``RECIPES`` says which query and form parameters each one
reads, and ``test_every_plugin_endpoint_has_a_recipe`` fails for a view that has none.

Each example makes three orders (two of one customer, so merges have a candidate, and a canceled one),
then sends one request to every endpoint, as a logged-in manager with a valid CSRF token most of the time.
Text is drawn from the whole of Unicode (``UNICODE_TEXT``): lone surrogates (sent as the bytes a broken
client sends: the server reads U+FFFD), U+10FFFF, NUL and the other controls, direction marks, and NFKC
expanders (U+FDFA is 18 characters once normalised), in every parameter: query, form (urlencoded,
multipart, a file part), JSON, path, and ``lang``.
Examples are derandomized: the same ones on every run, for a stable CI. 15 by default (about a minute
a database); ``ORDER_ADMIN_TEST_FUZZ_EXAMPLES=300`` for a longer run.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests.hostile.conftest import csrf_token
from tests.unicode_text import UNICODE_TEXT, as_received, urlencoded, wire

FUZZ_EXAMPLES = int(os.environ.get("ORDER_ADMIN_TEST_FUZZ_EXAMPLES", "15"))

NASTY = [
    "", " ", "\x00", "a\x00b", "\r\n", "/admin/orders/\r\nSet-Cookie: x=1", "\t", "\x7f", "\u202e", "🏳️\u200d🌈",
    "²", "٣", "१२", "1²", "𝟙", "1e19", "1e12", str(2**63 - 1), str(2**63), str(2**64), str(10**30), "9" * 5000,
    "-1", "0", "1", "01", "+1", "1.5", "NaN", "inf", "0x10",
    "1' OR '1'='1", "1; DROP TABLE order_admin_orders; --", "%", "_", "%%", "\\", "'", '"', "*", "^", "=",
    "javascript:alert(1)", "//evil.example", "\\\\evil", "https://evil.example/", "/admin/orders/?page=2",
    "<script>alert(1)</script>", "x" * 5000, "null", "[]", "{}", "true",
    "9999-12-31 to 9999-12-31", "0001-01-01 to 9999-12-30", "2024-01-31 to 2024-01-01", "2024-02-30",
    "ORD-0000000001", "ord-", "nonsense", "taobao", "processing", "merged",
]
IDS = ["@order", "@basic", "@canceled", "@item"]  # filled in with the example's ids

hostile = st.one_of(
    st.sampled_from(NASTY), st.sampled_from(NASTY), UNICODE_TEXT, UNICODE_TEXT, st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(IDS),
)


def likely(*good: str) -> st.SearchStrategy[str]:
    """Mostly a good value, so the request gets past the first check and on to the next; anything otherwise."""
    return st.one_of(st.sampled_from(good), st.sampled_from(good), hostile)


FILTER_VALUES = likely("processing", "canceled", "taobao", "stock", "2020-01-01 to 2099-12-31", "Li",
                       "buyer@example.com", "c-fuzz")
PARAMETERS: dict[str, st.SearchStrategy[Any]] = {
    "csrf_token": likely("@csrf"),
    "id": likely(*IDS), "into": likely(*IDS), "version": likely("1", "2"),
    "action": likely("export_selected", "bulk_cancel", "bulk_close", "bulk_restore"),
    "rowid": st.lists(likely(*IDS), max_size=3),
    "tab": likely("items", "history", "comments"), "q": likely("1", "ORD-0000000001", "0001", "li wei", "a@"),
    "page": likely("0", "1", "2"), "page_size": likely("20", "50", "200"), "sort": likely("0", "1", "4"),
    "desc": likely("0", "1"), "url": likely("/admin/orders/", "/admin/orders/items/?page=1"),
    "back": likely("/admin/orders/"), "format": likely("xls", "xlsx"), "lang": likely("ru", "zh_Hans", "en"),
    "search": likely("li wei", "a@", "1"),
}


@dataclass(frozen=True)
class Recipe:
    """The parameters a view reads: from the query string, from the posted form; ``filters``: the
    ``flt<n>_<filter>`` arguments of every filter the view has."""

    query: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    filters: bool = False


LIST = Recipe(query=("page", "page_size", "sort", "desc", "search"), filters=True)
# Flask-Admin's own pages, which the plugin turns off (read-only models): they must still answer cleanly.
TURNED_OFF = {
    "create_view": Recipe(query=("url",), form=("csrf_token", "buyer_name", "status")),
    "edit_view": Recipe(query=("id", "url"), form=("csrf_token", "buyer_name", "status")),
    "delete_view": Recipe(query=("url",), form=("csrf_token", "id", "url")),
    "details_view": Recipe(query=("id", "url")),
    "ajax_lookup": Recipe(query=("name", "query")),
    "ajax_update": Recipe(form=("csrf_token", "list_form_pk", "status", "buyer_name")),
}
LISTS = ("orders", "items", "exports")
RECIPES: dict[str, Recipe] = {
    **{f"{tab}.{name}": recipe for tab in LISTS for name, recipe in TURNED_OFF.items()},
    **{f"{tab}.{name}": LIST for tab in LISTS for name in ("index_view", "export")},
    **{f"{tab}.export_matching_view": Recipe(query=LIST.query, form=("csrf_token", "format"), filters=True)
       for tab in ("orders", "items")},
    **{f"{tab}.action_view": Recipe(query=("url",), form=("csrf_token", "action", "rowid", "url"))
       for tab in LISTS},
    "exports.progress_view": Recipe(),
    "exports.status_view": Recipe(),
    "exports.download_view": Recipe(),
    "exports.cancel_view": Recipe(form=("csrf_token",)),
    "exports.again_view": Recipe(form=("csrf_token",)),
    "orders.export_order_job_view": Recipe(query=("url",), form=("csrf_token", "format")),
    "orders.details_view": Recipe(query=("id", "url", "tab")),
    "orders.search_view": Recipe(query=("q", "url", "back")),
    "orders.confirm_view": Recipe(query=("url", "version", "into")),
    "orders.merge_candidates_view": Recipe(query=("url", "version")),
    "orders.export_order_view": Recipe(query=("url", "format")),
    "orders.run_action_view": Recipe(query=("url",), form=("csrf_token", "version", "url", "reason", "into")),
    "orders.comment_view": Recipe(query=("url",), form=("csrf_token", "text", "url")),
    "orders.comment_edit_view": Recipe(query=("url",), form=("csrf_token", "text", "url")),
    "orders.comment_delete_confirm_view": Recipe(query=("url",)),
    "orders.comment_delete_view": Recipe(query=("url",), form=("csrf_token", "url")),
    "orders.unknown_page_view": Recipe(query=("url", "id", "q")),
    **{f"{tab}.bulk_matching_view": Recipe(query=LIST.query, filters=True) for tab in ("orders", "items")},
    **{f"{tab}.bulk_run_view": Recipe(query=LIST.query, form=("csrf_token", "orders", "url", "reason"),
                                      filters=True) for tab in ("orders", "items")},
    **{f"{tab}.bulk_result_view": Recipe() for tab in ("orders", "items")},
}
# Path values the router lets through (anything else is its 404): ids, and digits no order has.
PATH_VALUES = {
    "order_id": st.one_of(st.sampled_from(IDS), st.sampled_from(["0", "007", str(2**63), str(10**30), "²", "١٢"]),
                          UNICODE_TEXT),
    "note_id": st.one_of(st.sampled_from(IDS), st.sampled_from(["0", "1", "007", str(2**63), str(10**30), "²"]),
                         UNICODE_TEXT),
    "action_name": st.sampled_from(["cancel", "restore", "close", "merge"]),  # bulk views: the first three
    "key": st.sampled_from(["x" * 32, "0" * 22, "a" * 43, "-_" * 12, "ü" * 24, "x" * 200]),  # bulk results
    "export_type": likely("csv", "xls", "xlsx"),
    "export_id": st.one_of(st.sampled_from(["1", "2", "0", "007", str(2**63), str(10**30), "²"]), UNICODE_TEXT),
    "unknown_path": st.one_of(st.sampled_from(["nope", "1/close", "1/close/", "search", "items/nope", "../..", "%00",
                                               "²/x"]), UNICODE_TEXT),
}


def plugin_rules(app: Any) -> list[Any]:
    prefix = app.extensions["order_admin"].settings.endpoint_prefix + "_"
    return sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(prefix)),
                  key=lambda rule: rule.endpoint)


def recipe_name(app: Any, rule: Any) -> str:
    return rule.endpoint.removeprefix(app.extensions["order_admin"].settings.endpoint_prefix + "_")


def filter_names(app: Any, rule: Any) -> list[str]:
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == rule.endpoint.split(".")[0])
    return sorted(view._filter_args or ())


def test_every_plugin_endpoint_has_a_recipe(app):
    rules = plugin_rules(app)
    assert len(rules) >= 20, [rule.endpoint for rule in rules]
    missing = [rule.endpoint for rule in rules if recipe_name(app, rule) not in RECIPES]
    assert not missing, f"no parameter recipe for {missing}: add one to RECIPES"
    unknown_path_args = {arg for rule in rules for arg in rule.arguments} - set(PATH_VALUES)
    assert not unknown_path_args, f"no values for the path arguments {unknown_path_args}: add them to PATH_VALUES"


@st.composite
def requests_to(draw: Any, app: Any, rule: Any) -> dict[str, Any]:
    """One request to ``rule``: method, path, query and body, drawn from its recipe."""
    recipe = RECIPES[recipe_name(app, rule)]
    method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    path = re.sub(r"<(?:[^<>:]+:)?(\w+)>", lambda m: "{" + m.group(1) + "}", rule.rule)
    path_args = {name: draw(PATH_VALUES[name]) for name in rule.arguments}
    query_args = {name: PARAMETERS.get(name, hostile) for name in (*recipe.query, "lang")}
    if recipe.filters:
        for name in filter_names(app, rule):
            query_args[f"flt{draw(st.sampled_from(['0', '1', '9', 'x', '']))}_{name}"] = FILTER_VALUES
        query_args.update({"flt0_no_such_filter": FILTER_VALUES, "flt": FILTER_VALUES})
    query = draw(st.fixed_dictionaries({}, optional=query_args))
    # The CSRF token is always sent (mostly a valid one): without it, the view is never reached.
    form = draw(st.fixed_dictionaries(
        {name: PARAMETERS[name] for name in recipe.form if name == "csrf_token"},
        optional={name: PARAMETERS.get(name, hostile) for name in recipe.form if name != "csrf_token"},
    ))
    body = draw(st.sampled_from(["form", "multipart", "json"])) if method == "POST" else "form"
    files = draw(st.lists(st.sampled_from(sorted(form)), unique=True)) if body == "multipart" and form else []
    return {"method": method, "path": path, "path_args": path_args, "query": query, "form": form, "body": body,
            "files": files}


def send(test_client: Any, request: dict[str, Any], ids: dict[str, str]) -> Any:
    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(v) for v in value]
        return ids.get(value, value)

    path = request["path"].format(**{k: quote(wire(fill(v)), safe="") for k, v in request["path_args"].items()})
    form = {k: fill(v) for k, v in request["form"].items()}
    kwargs: dict[str, Any] = {"query_string": urlencoded({k: fill(v) for k, v in request["query"].items()}),
                              "follow_redirects": True}
    if request["method"] == "POST":
        if request["body"] == "json":
            kwargs["json"] = form  # JSON escapes a lone surrogate (\ud800): the server reads it back as one
            kwargs["headers"] = {"X-CSRFToken": ids["@csrf"]}
        elif request["body"] == "multipart":
            for name, value in form.items():
                if name in request["files"]:  # a text field sent as a file part
                    form[name] = (io.BytesIO(wire(str(value))), "part.txt")
                else:
                    form[name] = [as_received(v) for v in value] if isinstance(value, list) else as_received(value)
            kwargs["data"] = form
            kwargs["content_type"] = "multipart/form-data"
        else:
            kwargs["data"] = urlencoded(form)
            kwargs["content_type"] = "application/x-www-form-urlencoded"
    return test_client.open(path, method=request["method"], **kwargs)


@pytest.fixture
def fuzz_token(client):
    """The client's CSRF token, read once from an order page of the first example."""
    kept: list[str] = []

    def read(order_id: int) -> str:
        if not kept:
            kept.append(csrf_token(client, order_id))
        return kept[0]

    return read


# No shrinking: an example is some 30 requests and shrinking one took minutes; the failing request is
# noted (endpoint and parameters), and the app's exception propagates (TESTING), so it names the cause.
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_no_plugin_url_answers_5xx(app, client, make_order, wipe, db_state, fuzz_token, data):
    wipe()
    order = make_order("awaiting_payment", items=1, customer_ref="c-fuzz")
    ids = {"@order": str(order.id), "@item": str(order.items[0].id),
           "@basic": str(make_order("awaiting_payment", items=1, customer_ref="c-fuzz").id),
           "@canceled": str(make_order("canceled", items=1).id)}
    ids["@csrf"] = fuzz_token(order.id)
    for rule in plugin_rules(app):
        request = data.draw(requests_to(app, rule), label=rule.endpoint)
        note(f"{rule.endpoint}: {request}")
        before = db_state() if request["method"] == "GET" else None
        response = send(client, request, ids)
        assert response.status_code < 500, (response.status_code, rule.endpoint, request)
        if before is not None:
            assert db_state() == before, (rule.endpoint, request)
