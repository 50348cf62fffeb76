"""``flask order-admin …`` commands: ``export``, ``purge-exports``, ``export-worker`` (the RQ worker),
``celery-worker`` and ``index-numbers``."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
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


# How often ``export`` looks at its job while it waits for it (a line in the exports log, one SELECT).
EXPORT_POLL_SECONDS = 0.5


@order_admin_cli.command("export")
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help="Export the orders in this status (a code: processing, shipped, …); repeat for several.")
@click.option("--order", "order_ids", multiple=True, type=int, metavar="ID", help="Export this order; repeatable.")
@click.option("--format", "fmt", default=None, help="xls or xlsx (one of ORDER_ADMIN_EXPORT_FORMATS; default: the first).")
@click.option("--preset", default=None, help="An ORDER_ADMIN_EXPORT_PRESETS key (default: the standard columns).")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the file.")
@click.option("--actor", default="command line", show_default=True,
              help="Who the exports log says exported it; also its owner (ORDER_ADMIN_ACTOR_ID) for a background job.")
@click.option("--user", "user_id", default=None,
              help="The Flask-Login id as whom your ORDER_ADMIN_ACCESS rule is asked about each order.")
def export_command(statuses: tuple[str, ...], order_ids: tuple[int, ...], fmt: str | None, preset: str | None,
                   output: Path, actor: str, user_id: str | None) -> None:
    """Export orders to an Excel file, as the panel does (and recorded in its exports log).

    A small export is written at once; a bigger one runs as a background job on the app's runner, and
    the command waits for it, then copies its file to --output.
    """
    from .domain.statuses import OrderStatus
    from .errors import OrderActionError
    from .i18n import translate
    from .jobs import Exporter, ExportRequest, InstantExport, start_export

    state = _state()
    settings = state.settings
    if bool(statuses) == bool(order_ids):
        raise click.UsageError("give either --status or --order")
    try:
        wanted_statuses = [OrderStatus(status) for status in statuses]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--status") from error
    binding = state.store
    matching = binding.order_ids_select(binding.status_in(wanted_statuses)) if statuses else None
    description = " ".join(["order-admin export", *(f"--status {s}" for s in statuses),
                            *(f"--order {i}" for i in order_ids)])
    wanted = ExportRequest(order_ids, fmt or settings.export_formats[0], "matching" if statuses else "selected",
                           description, matching=matching, preset=preset)
    try:
        result = start_export(state, wanted, Exporter(actor, actor, user_id))
    except OrderActionError as error:
        raise click.ClickException(translate(error.message)) from error
    if isinstance(result, InstantExport):
        result.file.save(output)
        click.echo(f"Export #{result.export_id}: {result.file.summary.rows} rows of "
                   f"{len(result.file.summary.order_ids)} orders written to {output}.")
        return
    if result.failure is not None:
        raise click.ClickException(f"Export #{result.export_id} could not start: {translate(result.failure)}")
    click.echo(f"Export #{result.export_id} runs in the background ({settings.export_runner} runner); waiting for it.")
    _copy_when_done(state, result.export_id, output)


def _copy_when_done(state: OrderPanel, export_id: int, output: Path) -> None:
    """Wait for the job to end (a job whose worker stopped fails by the stale check), then copy its file."""
    from .i18n import translate
    from .jobs.records import fail_if_stale
    from .jobs.storage import file_path
    from .models import ExportRecord, ExportState

    session = state.session
    while True:
        session.rollback()  # a new transaction, which sees what the job wrote meanwhile
        record = session.get(ExportRecord, export_id, populate_existing=True)
        if not record.active or fail_if_stale(session, state.settings, state.export_folder(), record, state.clock()):
            break
        time.sleep(EXPORT_POLL_SECONDS)
    record = session.get(ExportRecord, export_id, populate_existing=True)
    if record.state != ExportState.DONE or not record.file_name:
        raise click.ClickException(f"Export #{export_id} ended {record.state}: {translate(record.error_message or '')}")
    shutil.copyfile(file_path(state.export_folder(), record.file_name), output)
    click.echo(f"Export #{export_id}: {record.rows_written} rows of {record.order_count} orders written to {output}.")


@order_admin_cli.command("purge-exports")
def purge_exports_command() -> None:
    """Delete export files older than ORDER_ADMIN_EXPORT_KEEP_HOURS and fail jobs whose worker stopped."""
    from .jobs.service import purge_exports

    purged = purge_exports(_state())
    click.echo(f"{purged.expired} export file(s) expired and deleted; {purged.failed} stopped job(s) marked failed.")


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


@order_admin_cli.command("index-search")
@click.option("--everything", "everything", is_flag=True,
              help="Re-read every order and line (after your shop changed buyers or items in bulk), not only new ones.")
def index_search_command(everything: bool) -> None:
    """Index the buyers' names, phones and emails and the items' ids and URLs for the search box.

    The search indexes new orders and lines by itself before each search; run this once after
    installing or upgrading the panel on a big shop, so the first search does not do it, and with
    --everything after your shop changed existing buyers' names, phones or emails, or items, in bulk
    (an import, raw SQL).
    """
    from .services.search_index import index_search

    state = _state()
    done = index_search(state.session, state, everything=everything)
    click.echo(f"Indexed {done} orders and lines for the search.")
