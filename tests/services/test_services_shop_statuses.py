"""A shop's own tables as real shops keep them (issue 20): string states with several stored values per
status, an ``updated`` column with ``onupdate``, an integer customer id searched with typed text. A small
shop of this module's own, on SQLite and on every database in ``ORDER_ADMIN_TEST_DATABASE_URLS`` (its
``<name>_shop`` sibling: the panel's state table here refers to this shop's orders, not the legacy shop's).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, LargeBinary, Numeric, String, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Mapped, mapped_column, relationship

from flask_order_admin import Constant, OrderAdmin, OrderAdminConfigError, OrderModels, services
from flask_order_admin.domain import OrderStatus as S
from flask_order_admin.errors import ActionNotAllowed
from flask_order_admin.models import utcnow
from flask_order_admin.store import resolve_store
from tests.faults import statement_text, writes_to
from tests.views.test_views_status_pills import pills

db = SQLAlchemy()


class StOrder(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "st_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)  # 32-bit: "9429424071" does not fit
    big_user_id: Mapped[int | None] = mapped_column(BigInteger)
    buyer: Mapped[str] = mapped_column(String(100))
    placed: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    birthday: Mapped[Any] = mapped_column(Date, nullable=True)
    extra: Mapped[Any] = mapped_column(JSON, nullable=True)
    blob: Mapped[Any] = mapped_column(LargeBinary, nullable=True)
    lines: Mapped[list[StLine]] = relationship(back_populates="order", order_by="StLine.id")


class StLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "st_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("st_orders.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    order: Mapped[StOrder] = relationship(back_populates="lines")


STATUS_VALUES: dict[S, Any] = {
    S.AWAITING_PAYMENT: ("new", "pending"),
    S.PROCESSING: ("paid", "in_work"),  # both mean Processing: "paid" is the one the panel writes
    S.SHIPPED: "shipped",
    S.COMPLETED: ["done", "archived"],
    S.CANCELED: "canceled",
    S.MERGED: "merged",
}
MODELS = OrderModels(
    order=StOrder, line=StLine,
    order_fields={"status": StOrder.state, "provider": Constant("taobao"), "customer_ref": StOrder.user_id,
                  "buyer_name": StOrder.buyer, "created_at": StOrder.placed, "updated_at": StOrder.updated},
    status_values=STATUS_VALUES,
)
LONG_AGO = datetime(2001, 1, 1)


class Manager(UserMixin):
    def __init__(self, username: str) -> None:
        self.id = username


def _shop_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path_factory.mktemp('statuses') / 'shop.sqlite'}"
    parsed = make_url(database_url)
    return parsed.set(database=f"{parsed.database}_shop").render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def shop_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = Flask("statuses_shop")
    app.config.update(SQLALCHEMY_DATABASE_URI=_shop_url(database_url, tmp_path_factory),
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True}, SECRET_KEY="t", TESTING=True,
                      WTF_CSRF_ENABLED=False)
    Babel(app)
    db.init_app(app)
    LoginManager(app).user_loader(Manager)
    OrderAdmin(app, admin=Admin(app, name="Shop", theme=Bootstrap4Theme()), db=db, models=MODELS)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(shop_app: Flask) -> Iterator[Flask]:
    state = shop_app.extensions["order_admin"]
    store = state.store
    with shop_app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        yield shop_app
        db.session.remove()
    state.store = store


@pytest.fixture
def session(app: Flask) -> Any:
    return db.session


@pytest.fixture
def client(app: Flask) -> Any:
    test_client = app.test_client()
    with test_client.session_transaction() as flask_session:
        flask_session["_user_id"] = "manager"
        flask_session["_fresh"] = True
    return test_client


@pytest.fixture
def sent(app: Flask) -> Any:
    """The statements ``run()`` sends, on one line, upper case."""
    from sqlalchemy import event

    def record(run: Any) -> list[str]:
        texts: list[str] = []

        def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            texts.append(statement_text(statement))

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            run()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return texts

    return record


def make(session: Any, state: str, *, user_id: int | None = 7, lines: int = 1, **fields: Any) -> int:
    order = StOrder(state=state, user_id=user_id, buyer="Li Wei", updated=LONG_AGO, **fields)
    order.lines = [StLine(title=f"dress {n}", quantity=1, price=Decimal("10.00")) for n in range(lines)]
    session.add(order)
    session.commit()
    return order.id


def stored(session: Any, order_id: int) -> StOrder:
    session.expire_all()
    return session.get(StOrder, order_id)


# -- several stored values per status -------------------------------------------------------------------


def test_every_value_reads_as_its_status_and_the_first_is_the_one_written(app, session):
    paid, in_work, archived = make(session, "paid"), make(session, "in_work"), make(session, "archived")
    records = {i: services.get_order_record(session, i) for i in (paid, in_work, archived)}
    assert [(r.status, r.raw_status) for r in records.values()] == [
        (S.PROCESSING, "paid"), (S.PROCESSING, "in_work"), (S.COMPLETED, "archived")]
    services.close(session, in_work, actor="ann")
    assert stored(session, in_work).state == "done"  # COMPLETED's first value
    services.cancel(session, paid, actor="ann")
    assert stored(session, paid).state == "canceled"
    with pytest.raises(ActionNotAllowed):  # archived is Completed: read-only
        services.cancel(session, archived, actor="ann")


def test_status_in_the_filters_and_the_pills_match_every_value(app, session, client):
    ids = {state: make(session, state) for state in ("paid", "in_work", "new", "pending", "shipped", "paused")}
    binding = app.extensions["order_admin"].store
    matching = session.scalars(select(StOrder.state).where(binding.status_in([S.PROCESSING, S.AWAITING_PAYMENT])))
    assert sorted(matching) == ["in_work", "new", "paid", "pending"]
    assert session.scalar(select(func.count()).where(binding.status_in([S.MERGED]))) == 0
    numbers = {state: services.get_order_record(session, i).number for state, i in ids.items()}
    page = client.get("/admin/orders/?flt0_status_in_list=processing").text
    assert {s for s, n in numbers.items() if n in page} == {"paid", "in_work"}
    page = client.get("/admin/orders/?flt0_status_in_list=processing,shipped").text
    assert {s for s, n in numbers.items() if n in page} == {"paid", "in_work", "shipped"}
    shown = {status: label for status, (label, _, _) in pills(client.get("/admin/orders/").text).items()}
    assert (shown["processing"], shown["awaiting_payment"], shown["shipped"]) == (
        "Processing 2", "Awaiting payment 2", "Shipped 1")
    items = pills(client.get("/admin/orders/items/").text)  # the items tab: lines by their order's status
    assert items["processing"][0] == "Processing 2"


def test_the_same_value_under_two_statuses_is_refused_naming_both():
    with pytest.raises(OrderAdminConfigError, match=(
            r"status_values\['shipped'\]: 'paid' is already a value of 'processing'; a stored value belongs to one")):
        resolve_store(dataclasses.replace(MODELS, status_values={**STATUS_VALUES, S.SHIPPED: ("shipped", "paid")}))
    with pytest.raises(OrderAdminConfigError, match=r"status_values\['shipped'\]: give at least one value"):
        resolve_store(dataclasses.replace(MODELS, status_values={**STATUS_VALUES, S.SHIPPED: ()}))
    with pytest.raises(OrderAdminConfigError, match=r"'x' is already a value of it"):
        resolve_store(dataclasses.replace(MODELS, status_values={**STATUS_VALUES, S.SHIPPED: ("x", "x")}))
    mapping = resolve_store(MODELS).statuses
    assert mapping.values_of(S.PROCESSING) == ("paid", "in_work") and mapping.to_host(S.COMPLETED) == "done"


# -- refusals name the shop's statuses only -------------------------------------------------------------


def test_refusals_list_only_the_statuses_this_shop_maps(app, session):
    canceled, shipped = make(session, "canceled"), make(session, "shipped")
    with pytest.raises(ActionNotAllowed) as caught:
        services.close(session, canceled, actor="ann")
    assert str(caught.value).endswith(
        "Only orders in one of the statuses Processing, Shipped can be closed; this order is Canceled.")
    with pytest.raises(ActionNotAllowed) as caught:
        services.cancel(session, shipped, actor="ann")
    assert str(caught.value).endswith(
        "Only orders in one of the statuses Awaiting payment, Processing can be canceled; this order is Shipped.")


# -- onupdate, and one UPDATE per table ------------------------------------------------------------------


def test_a_merge_bumps_onupdate_of_both_orders_in_one_update_of_the_order_table(app, session, sent):
    added, basic = make(session, "new", lines=3), make(session, "pending", lines=2)
    written = sent(lambda: services.merge(session, added, basic, actor="ann"))
    assert sum(map(writes_to("st_orders"), written)) == 1
    assert sum(map(writes_to("order_admin_order_states"), written)) == 1  # neither had a state row: one INSERT
    after_added, after_basic = stored(session, added), stored(session, basic)
    assert (after_added.state, after_basic.state) == ("merged", "new")  # the result status's first value
    assert after_added.updated > LONG_AGO and after_basic.updated > LONG_AGO
    assert len(after_basic.lines) == 5
    # The unmerge: the same, the state rows now stored (one UPDATE of both).
    for order_id in (added, basic):
        session.execute(StOrder.__table__.update().where(StOrder.id == order_id).values(updated=LONG_AGO))
    session.commit()
    written = sent(lambda: services.unmerge(session, added, actor="ann"))
    assert sum(map(writes_to("st_orders"), written)) == 1
    assert [s.split()[0] for s in written if writes_to("order_admin_order_states")(s)] == ["UPDATE"]
    assert stored(session, added).updated > LONG_AGO and stored(session, basic).updated > LONG_AGO


def test_a_note_bumps_onupdate_too(app, session):
    order = make(session, "paid")
    services.add_comment(session, order, actor="ann", text="call the buyer")
    assert stored(session, order).updated > LONG_AGO


# -- the integer customer reference and typed text ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["9429424071", "99999999999999999999", "2147483648", "-1", "7.5"])
def test_text_past_an_integer_reference_finds_nothing_never_an_error(app, session, client, typed):
    number = services.get_order_record(session, make(session, "paid", user_id=2147483647)).number
    assert services.search(session, typed) == []
    response = client.get("/admin/orders/search/", query_string={"q": typed})
    assert response.status_code == 200 and number not in response.text
    response = client.get("/admin/orders/", query_string={"flt0_customer_equals": typed})  # the buyer's orders
    assert response.status_code == 200 and number not in response.text
    listed = client.get("/admin/orders/", query_string={"flt0_customer_equals": "2147483647"}).text
    assert number in listed


def test_an_integer_reference_in_range_is_found(app, session):
    top = make(session, "paid", user_id=2147483647)
    assert [services.get_order_record(session, o.id).id for o in services.search(session, "2147483647")] == [top]


def test_a_big_integer_reference_is_compared_within_its_own_range(app, session):
    app.extensions["order_admin"].store = resolve_store(dataclasses.replace(
        MODELS, order_fields={**MODELS.order_fields, "customer_ref": StOrder.big_user_id}))
    found = make(session, "paid", big_user_id=9429424071)
    assert [o.id for o in services.search(session, "9429424071")] == [found]
    assert services.search(session, "9223372036854775808") == []  # 2**63: past BIGINT
    top = make(session, "paid", big_user_id=2 ** 63 - 1)
    assert [o.id for o in services.search(session, str(2 ** 63 - 1))] == [top]


@pytest.mark.parametrize("column", [StOrder.birthday, StOrder.extra, StOrder.blob])
def test_a_reference_column_typed_text_cannot_be_is_refused_at_start_up(column):
    with pytest.raises(OrderAdminConfigError, match=rf"order_fields\['customer_ref'\]: StOrder.{column.key} holds"):
        resolve_store(dataclasses.replace(MODELS, order_fields={**MODELS.order_fields, "customer_ref": column}))
