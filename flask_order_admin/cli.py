"""``flask order-admin …``: the plugin's commands on the host's Flask CLI."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

order_admin_commands = AppGroup("order-admin", help="flask-order-admin: maintenance of the order panel.")


@order_admin_commands.command("index-numbers")
@click.option("--all", "everything", is_flag=True,
              help="Re-read every order's number (after your shop changed numbers), not only new orders.")
def index_numbers(everything: bool) -> None:
    """Index the shop's own order numbers for the search by last digits.

    The search indexes new orders by itself before each search; run this once after mounting
    the panel on a big shop, so the first search does not do it, and with --all after your shop
    changed existing numbers.
    """
    from .services.number_index import index_numbers

    state = current_app.extensions["order_admin"]
    if state.settings.models.numbers.field is None:
        click.echo("Order numbers are made from the order id: there is nothing to index.")
        return
    done = index_numbers(state.session, state.settings, everything=everything)
    click.echo(f"Indexed the numbers of {done} orders.")
