"""The threads the host's price resolver runs on: a bounded number at once, none left to pile up.

The resolver is the host's code and may hang (a slow catalog, a remote call). Each call runs on
its own daemon thread inside a fresh app context, so Flask-SQLAlchemy's session of that context
is removed, and its connection returned, when the call ends; a hung call never keeps the process
from exiting, and an idle pool holds no thread. The caller waits at most its timeout. A call it
gave up on (abandoned) keeps its place until it returns, so a resolver that hangs holds at most
``workers`` threads and connections; while abandoned calls fill every place, new calls are
refused at once.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

Result = TypeVar("Result")
THREAD_NAME = "order-admin-price-resolver"


class ResolverBusy(Exception):
    """Every place is taken by calls that did not answer in time, or stayed taken past the timeout."""


class ResolverTimedOut(Exception):
    """The call did not answer within the timeout; it runs on, abandoned, in its place."""


class _Call(Generic[Result]):
    def __init__(self) -> None:
        self.abandoned = False  # guarded by the pool's lock
        self.answered = threading.Event()
        self.result: Result | None = None
        self.error: BaseException | None = None


class ResolverPool:
    """At most ``workers`` resolver calls at once, each on its own daemon thread."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._places = threading.Condition()
        self._running = 0
        self._abandoned = 0

    @property
    def abandoned(self) -> int:
        """Calls that timed out and are still running."""
        with self._places:
            return self._abandoned

    def run(self, work: Callable[[], Result], *, timeout: float, app: Any = None) -> Result:
        """``work()`` on a pool thread (in ``app``'s context when given); its result or its exception.

        Raises ResolverBusy when no place frees up in time (at once while abandoned calls hold
        them all), ResolverTimedOut when the call does not answer within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        self._take_place(deadline)
        call: _Call[Result] = _Call()
        # The caller's context variables go along (the host's, which its resolver may read).
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(self._work, call, work, app), name=THREAD_NAME,
                                  daemon=True)
        try:
            thread.start()
        except BaseException:
            self._leave(call)
            raise
        if not call.answered.wait(max(0.0, deadline - time.monotonic())):
            with self._places:
                if not call.answered.is_set():  # it may have answered just now: then take its answer
                    call.abandoned = True
                    self._abandoned += 1
                    raise ResolverTimedOut
        if call.error is not None:
            raise call.error
        return call.result  # type: ignore[return-value]

    def _take_place(self, deadline: float) -> None:
        with self._places:
            while self._running >= self.workers:
                remaining = deadline - time.monotonic()
                if self._abandoned >= self.workers or remaining <= 0:
                    raise ResolverBusy
                self._places.wait(remaining)
            self._running += 1

    def _work(self, call: _Call[Result], work: Callable[[], Result], app: Any) -> None:
        try:
            if app is None:
                call.result = work()
            else:
                with app.app_context():  # its teardown removes the context's database session
                    call.result = work()
        except BaseException as exc:  # handed to the caller, which re-raises it
            call.error = exc
        finally:
            call.answered.set()
            self._leave(call)

    def _leave(self, call: _Call[Any]) -> None:
        with self._places:
            self._running -= 1
            if call.abandoned:
                self._abandoned -= 1
            self._places.notify_all()
