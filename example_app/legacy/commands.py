"""The shop's CLI: ``flask --app example_app.legacy seed-shop`` and ``create-staff``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from ..languages import LANGUAGES
from .models import ShopOrder, Staff, db
from .seed import MIN_ORDERS, seed_shop


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-shop")
    @click.option("--orders", type=click.IntRange(min=MIN_ORDERS), default=300, show_default=True)
    @click.option("--seed", type=int, default=2024, show_default=True, help="Same seed, same shop.")
    @click.option("--if-empty", is_flag=True, help="Do nothing if the shop already has orders.")
    @click.option("--language", type=click.Choice(list(LANGUAGES)), default=None,
                  help="What the shop writes (customers, colours): en, ru or zh_Hans; DEMO_LANGUAGE by default.")
    def seed_shop_command(orders: int, seed: int, if_empty: bool, language: str | None) -> None:
        """Fill the shop's own tables (customers, catalog, orders); the order panel's tables stay empty."""
        existing = db.session.scalar(select(func.count()).select_from(ShopOrder))
        if existing:
            if if_empty:
                click.echo(f"The shop already has {existing} orders; nothing seeded.")
                return
            raise click.ClickException(f"The shop already has {existing} orders; seed an empty database.")
        summary = seed_shop(db.session, orders=orders, seed=seed, language=language or app.config["DEMO_LANGUAGE"])
        click.echo(f"Seeded {summary.orders} orders with {summary.lines} lines.")
        for what, numbers in summary.numbers.items():
            click.echo(f"  {what}: {', '.join(numbers)}")

    @app.cli.command("create-staff")
    @click.argument("login")
    @click.argument("full_name")
    @click.password_option()
    def create_staff_command(login: str, full_name: str, password: str) -> None:
        """Add a staff member who may log in to the back office."""
        if db.session.scalar(select(Staff).where(Staff.login == login)) is not None:
            raise click.ClickException(f"Staff member {login!r} already exists.")
        staff = Staff(login=login, full_name=full_name)
        staff.set_password(password)
        db.session.add(staff)
        db.session.commit()
        click.echo(f"Staff member {login!r} created.")



