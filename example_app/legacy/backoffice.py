"""The shop's own back-office views (customers, catalog), as it had them before the order panel."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from werkzeug.wrappers import Response

from .models import ShopCustomer, ShopProduct, db


class StaffOnly(ModelView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name: str, **kwargs: object) -> Response:
        return redirect(url_for("legacy_login.login", next=request.full_path.rstrip("?")))


class CustomersView(StaffOnly):
    column_list = ["code", "full_name", "email", "phone", "address"]
    column_searchable_list = ["code", "full_name", "email"]


class ProductsView(StaffOnly):
    column_list = ["sku", "name", "unit_price", "sale_price", "cn_shipping", "withdrawn_at"]
    column_searchable_list = ["sku", "name"]


def add_shop_views(admin: Admin) -> None:
    admin.add_view(CustomersView(ShopCustomer, db, name="Customers", category="Sales",
                                 endpoint="shop_customers"))
    admin.add_view(ProductsView(ShopProduct, db, name="Catalog", category="Sales", endpoint="shop_catalog"))
