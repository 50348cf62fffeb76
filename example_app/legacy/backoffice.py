"""The shop's own back-office views (customers, catalog), as it had them before the order panel."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_babel import lazy_gettext
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
    column_labels = {"code": lazy_gettext("Card"), "full_name": lazy_gettext("Name"), "email": lazy_gettext("Email"),
                     "phone": lazy_gettext("Phone"), "address": lazy_gettext("Address")}
    column_searchable_list = ["code", "full_name", "email"]


class ProductsView(StaffOnly):
    column_list = ["sku", "name", "unit_price", "sale_price", "cn_shipping", "withdrawn_at"]
    column_labels = {"sku": lazy_gettext("SKU"), "name": lazy_gettext("Title"), "unit_price": lazy_gettext("Price"),
                     "sale_price": lazy_gettext("Discount price"), "cn_shipping": lazy_gettext("China delivery"),
                     "withdrawn_at": lazy_gettext("Withdrawn from sale")}
    column_searchable_list = ["sku", "name"]


def add_shop_views(admin: Admin) -> None:
    # Flask-Admin files a category under its English name (the app is built outside a request); the first view
    # to name it gives the menu its text, translated on each page: the panel's views (ORDER_ADMIN_MENU_CATEGORY
    # "Sales") join this one.
    sales = lazy_gettext("Sales")
    admin.add_view(CustomersView(ShopCustomer, db, name=lazy_gettext("Customers"), category=sales,
                                 endpoint="shop_customers"))
    admin.add_view(ProductsView(ShopProduct, db, name=lazy_gettext("Catalog"), category=sales,
                                endpoint="shop_catalog"))
