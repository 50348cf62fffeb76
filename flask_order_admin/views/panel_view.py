"""What the views' helper modules and mixins use of a panel view, as a protocol: they are imported by the view
classes, so naming those classes back would make an import circle (docs/design.md, "Structure")."""

from __future__ import annotations

from typing import Any, Protocol

from werkzeug.wrappers import Response

from ..jobs.service import ExportRequest
from ..panel import OrderPanel
from ..settings import Settings
from ..store import OrderStore


class PanelView(Protocol):
    """A view of the panel (``views.base.OrderAdminView`` and its subclasses)."""

    state: OrderPanel
    endpoint: str

    @property
    def settings(self) -> Settings: ...

    @property
    def binding(self) -> OrderStore: ...

    def render(self, template: str, **kwargs: Any) -> str: ...

    def get_url(self, endpoint: str, **kwargs: Any) -> str: ...

    def orders_list_url(self) -> str: ...

    def list_url(self) -> str: ...

    def order_url(self, order_id: int, return_url: str | None = None, **extra: Any) -> str: ...

    def require(self, action: str, order: Any = None) -> None: ...

    def refusals_go_to(self, url: str) -> None: ...


class OrderPageView(PanelView, Protocol):
    """The orders view, which the order actions are mixed into: a panel view that starts exports."""

    def start_export(self, wanted: ExportRequest) -> Response: ...
