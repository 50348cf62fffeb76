"""The shop's CLI: ``flask --app example_app seed-demo`` and ``create-user``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from flask_order_admin.models import Order

from .languages import LANGUAGES
from .models import Product, User, db
from .seed import MIN_ORDERS, seed_demo


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--orders", type=click.IntRange(min=MIN_ORDERS), default=400, show_default=True)
    @click.option("--seed", type=int, default=2024, show_default=True, help="Same seed, same shop.")
    @click.option("--if-empty", is_flag=True, help="Do nothing if there already are orders.")
    @click.option("--language", type=click.Choice(list(LANGUAGES)), default=None,
                  help="What the shop writes (buyers, colours, comments): en, ru or zh_Hans; DEMO_LANGUAGE by default.")
    def seed_demo_command(orders: int, seed: int, if_empty: bool, language: str | None) -> None:
        """Fill the database with a demo catalog and orders in every status."""
        existing = db.session.scalar(select(func.count()).select_from(Order))
        products = db.session.scalar(select(func.count()).select_from(Product))
        if existing or products:
            if if_empty:
                click.echo(f"The database already has {existing} orders; nothing seeded.")
                return
            raise click.ClickException(
                f"The database already has {existing} orders and {products} products; "
                "seed an empty database (or pass --if-empty)."
            )
        summary = seed_demo(db.session, orders=orders, seed=seed, photo_base=app.config.get("DEMO_PHOTO_BASE_URL", ""),
                            language=language or app.config["DEMO_LANGUAGE"])
        fmt = app.extensions["order_admin"].settings.number_format.format
        click.echo(f"Seeded {summary.orders} orders, {summary.items} items, {summary.events} events.")
        click.echo("Restore reprices: " + ", ".join(fmt(i) for i in summary.repriced_on_restore))
        click.echo("An item no longer sold (Restore offers to restore it without that item): "
                   + ", ".join(fmt(i) for i in summary.withdrawn))
        click.echo("Merge-ready (open the first, merge into the second): "
                   + "; ".join(f"{fmt(a)} → {fmt(b)}" for a, b in summary.merge_pairs))

    @app.cli.command("create-user")
    @click.argument("name")
    @click.password_option()
    def create_user_command(name: str, password: str) -> None:
        """Add a staff user who may log in to the admin."""
        if db.session.scalar(select(User).where(User.username == name)) is not None:
            raise click.ClickException(f"User {name!r} already exists.")
        user = User(username=name)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"User {name!r} created.")
