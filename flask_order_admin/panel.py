"""The one object per app: ``app.extensions["order_admin"]`` (docs/design.md, "One object per app").

``OrderAdmin.init_app`` makes it; views take it; services find it from the current app (or are given it,
``panel=``), through what they need of it (``services.app_panel.ServicePanel``), never importing this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .jobs.host import Runner
from .jobs.runners import make_runner
from .models import utcnow
from .services.resolver_pool import ResolverPool
from .settings import Settings
from .store import OrderStore, builtin_store


@dataclass
class OrderPanel:
    """Everything the panel of one app works with: its settings, the order store, the resolver pool, the
    export runner, the clock, and the host's Flask-SQLAlchemy ``db`` (its session) and Flask-Admin."""

    settings: Settings
    # The order tables the panel reads and writes: the shop's own (``resolve_store(OrderModels(...))``) or the
    # plugin's (``builtin_store()``).
    store: OrderStore = field(default_factory=builtin_store)
    admin: Any = None
    db: Any = None
    views: list[Any] = field(default_factory=list)
    instance_path: str = "instance"
    # What "now" is, for export jobs (heartbeats, the stale check, expiry) and for the rules that measure time
    # (a note's edit window): tests put a clock of their own here instead of racing real time
    # (docs/design.md, "Clock").
    clock: Callable[[], datetime] = utcnow
    places_checked: bool = False  # no view the host added later sits at one of the plugin's URLs
    # Where Restore runs the price resolver; it starts a thread per call, so an idle pool holds none.
    resolver_pool: ResolverPool = field(init=False)
    # Export runners, made on first use and kept per runner configuration (tests and hosts may swap settings).
    _runners: dict[tuple[Any, ...], Runner] = field(default_factory=dict, repr=False)
    _runners_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.resolver_pool = ResolverPool(self.settings.price_resolver_workers)

    def export_folder(self) -> Path:
        """ORDER_ADMIN_EXPORT_STORAGE, or ``<instance folder>/order_admin_exports``."""
        return Path(self.settings.export_storage or Path(self.instance_path) / "order_admin_exports")

    def export_runner(self) -> Runner:
        """This app's export runner (``jobs.runners``), created lazily: a thread pool starts no thread until used."""
        s = self.settings
        key = (s.export_runner, s.export_rq_redis_url, s.export_rq_queue, s.export_app_factory, s.export_max_jobs,
               s.export_celery_app, s.export_celery_broker_url, s.export_celery_queue)
        with self._runners_lock:
            runner = self._runners.get(key)
            if runner is None:
                runner = self._runners[key] = make_runner(self)
            return runner

    def number_of(self, order: Any) -> str:
        """The order's number, as the panel shows it (an object of the store's order class)."""
        return self.store.number_of(order, self.settings.number_format)

    @property
    def session(self) -> Any:
        if self.db is None:
            raise RuntimeError("OrderAdmin was initialised without db=; the views need the host's Flask-SQLAlchemy db")
        return self.db.session
