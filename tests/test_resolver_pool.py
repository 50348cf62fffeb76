"""The resolver pool on its own: bounded, waits for live calls, refuses while abandoned ones fill it."""

import contextvars
import threading
import time

import pytest
from flask import Flask, has_app_context

from flask_order_admin.services.resolver_pool import (
    THREAD_NAME,
    ResolverBusy,
    ResolverPool,
    ResolverTimedOut,
)


def gate():
    """A call that runs until the returned event is set (or 10 s), and an event set once it started."""
    started, release = threading.Event(), threading.Event()

    def work():
        started.set()
        release.wait(10)
        return "late"

    return work, started, release


def in_background(call):
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as exc:  # asserted on by the test
            outcome["result"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_answer_and_exception_come_back_to_the_caller():
    pool = ResolverPool(2)
    assert pool.run(lambda: 42, timeout=5) == 42
    with pytest.raises(ZeroDivisionError):
        pool.run(lambda: 1 / 0, timeout=5)
    assert pool.abandoned == 0


def test_work_sees_the_callers_context_variables():
    # The caller's context variables (the host's own: a request id, a tenant) reach the host's resolver.
    current = contextvars.ContextVar("current")
    current.set("the caller's")
    assert ResolverPool(1).run(current.get, timeout=5) == "the caller's"


def test_work_runs_in_a_fresh_app_context_torn_down_at_the_end():
    app = Flask("pool_test")
    torn_down = threading.Event()
    app.teardown_appcontext(lambda exc: torn_down.set())
    assert ResolverPool(1).run(has_app_context, timeout=5, app=app) is True
    assert torn_down.is_set()


def test_a_caller_waits_for_a_place_held_by_a_live_call():
    pool = ResolverPool(1)
    work, started, release = gate()
    first, first_outcome = in_background(lambda: pool.run(work, timeout=5))
    assert started.wait(5)
    second, second_outcome = in_background(lambda: pool.run(lambda: "second", timeout=5))
    time.sleep(0.2)
    assert second.is_alive(), "the second call must wait for the place, not be refused"
    release.set()
    first.join(5)
    second.join(5)
    assert (first_outcome["result"], second_outcome["result"]) == ("late", "second")


def test_a_place_still_held_at_the_callers_timeout_is_busy():
    pool = ResolverPool(1)
    work, started, release = gate()
    first, outcome = in_background(lambda: pool.run(work, timeout=5))
    assert started.wait(5)
    try:
        with pytest.raises(ResolverBusy):
            pool.run(lambda: "never", timeout=0.1)
    finally:
        release.set()
        first.join(5)
    assert outcome["result"] == "late"


def test_abandoned_calls_keep_their_place_and_refuse_new_calls_at_once():
    pool = ResolverPool(2)
    releases = []
    for _ in range(2):
        work, _started, release = gate()
        releases.append(release)
        with pytest.raises(ResolverTimedOut):
            pool.run(work, timeout=0.1)
    assert pool.abandoned == 2
    ran = []
    started = time.monotonic()
    with pytest.raises(ResolverBusy):
        pool.run(lambda: ran.append(1), timeout=8)
    assert time.monotonic() - started < 2, "refused at once, not after waiting out its 8 s timeout"
    assert ran == []
    releases[0].set()
    deadline = time.monotonic() + 5
    while pool.abandoned > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.abandoned == 1
    assert pool.run(lambda: "free again", timeout=5) == "free again"
    releases[1].set()
    deadline = time.monotonic() + 5
    while any(t.name == THREAD_NAME for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.abandoned == 0 and not any(t.name == THREAD_NAME for t in threading.enumerate())
