"""``flask order-admin …`` commands: ``purge-exports``, ``export-worker`` (the RQ worker), ``celery-worker``
and ``index-numbers``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

if TYPE_CHECKING:
    from .panel import OrderPanel

order_admin_cli = AppGroup("order-admin", help="flask-order-admin maintenance commands.")


def _state() -> OrderPanel:
    state: OrderPanel = current_app.extensions["order_admin"]
    return state


@order_admin_cli.command("purge-exports")
def purge_exports_command() -> None:
    """Delete export files older than ORDER_ADMIN_EXPORT_KEEP_HOURS and fail jobs whose worker stopped."""
    from .jobs.records import fail_stale, purge_expired

    state = _state()
    folder = state.export_folder()
    now = state.clock()
    failed = fail_stale(state.session, state.settings, folder, now)
    expired = purge_expired(state.session, state.settings, folder, now)
    click.echo(f"{expired} export file(s) expired and deleted; {failed} stopped job(s) marked failed.")


@order_admin_cli.command("export-worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of a forked work horse each.")
def export_worker_command(burst: bool, simple: bool) -> None:
    """Run an RQ worker on this app's export queue (ORDER_ADMIN_EXPORT_RQ_QUEUE, _RQ_REDIS_URL).

    Like ``rq worker --url <ORDER_ADMIN_EXPORT_RQ_REDIS_URL> <ORDER_ADMIN_EXPORT_RQ_QUEUE>``, but it stops
    within about a second when told to; each job builds the app from ORDER_ADMIN_EXPORT_APP_FACTORY.
    """
    from redis import Redis
    from rq import Queue

    from .jobs.rq_worker import ExportWorker, SimpleExportWorker

    settings = _state().settings
    connection = Redis.from_url(settings.export_rq_redis_url)
    worker_class = SimpleExportWorker if simple else ExportWorker
    worker = worker_class([Queue(settings.export_rq_queue, connection=connection)], connection=connection)
    click.echo(f"export worker on queue {settings.export_rq_queue!r} at {settings.export_rq_redis_url}")
    worker.work(burst=burst)


@order_admin_cli.command("celery-worker", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def celery_worker_command(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker on this app's export queue (ORDER_ADMIN_EXPORT_CELERY_QUEUE).

    Through ORDER_ADMIN_EXPORT_CELERY_APP, or a Celery app on ORDER_ADMIN_EXPORT_CELERY_BROKER_URL; each
    job builds the app from ORDER_ADMIN_EXPORT_APP_FACTORY. Other arguments go to ``celery worker``,
    e.g. ``--concurrency 2`` or ``--pool solo``.
    """
    from .jobs import celery_task  # noqa: F401  (registers the export task on every Celery app)
    from .jobs.runners import CeleryRunner

    state = _state()
    runner = state.export_runner()
    if not isinstance(runner, CeleryRunner):
        raise click.UsageError('ORDER_ADMIN_EXPORT_RUNNER is not "celery"')
    click.echo(f"export worker on Celery queue {runner.queue_name!r}")
    runner.celery_app().worker_main(["worker", "--queues", runner.queue_name, *celery_args])


@order_admin_cli.command("index-numbers")
@click.option("--all", "everything", is_flag=True,
              help="Re-read every order's number (after your shop changed numbers), not only new orders.")
def index_numbers_command(everything: bool) -> None:
    """Index your shop's own order numbers for the search by last digits (OrderModels with a number).

    The search indexes new orders by itself before each search; run this once after mounting
    the panel on a big shop, so the first search does not do it, and with --all after your shop
    changed existing numbers.
    """
    from .services.number_index import index_numbers

    state = _state()
    if state.store.numbers.field is None:
        click.echo("Order numbers are made from the order id: there is nothing to index.")
        return
    done = index_numbers(state.session, state, everything=everything)
    click.echo(f"Indexed the numbers of {done} orders.")
