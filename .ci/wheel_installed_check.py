"""Run by wheel_check.py with the fresh venv's Python, outside the repo: use the installed package."""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask
from flask_admin import Admin
from flask_sqlalchemy import SQLAlchemy

import flask_order_admin
from flask_order_admin import OrderAdmin
from flask_order_admin.migrations import VERSIONS_PATH
from flask_order_admin.models import Order


def html_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def main(root: Path) -> None:
    package = Path(flask_order_admin.__file__).resolve().parent
    assert root not in package.parents, f"imported from the source tree: {package}"
    source = html_under(root / "templates" / "order_admin")
    installed_folder = package / "templates" / "order_admin"
    installed = html_under(installed_folder) if installed_folder.is_dir() else []
    # Every template of the source tree must be in the wheel (none yet: then there is nothing to ship).
    assert installed == source, f"templates differ: installed {installed}, source {source}"
    if not source:
        print("warning: templates/order_admin/ has no .html files yet; nothing to check there")

    # PEP 561: type checkers read the installed package's annotations only with its py.typed marker.
    assert (package / "py.typed").is_file(), f"no py.typed in {package}"

    # The plugin's Alembic revisions are in the wheel, where VERSIONS_PATH says.
    versions = Path(VERSIONS_PATH)
    assert package in versions.parents, f"VERSIONS_PATH outside the installed package: {versions}"
    source_revisions = sorted(p.name for p in (root / "flask_order_admin" / "migrations" / "versions").glob("oa_*.py"))
    installed_revisions = sorted(p.name for p in versions.glob("oa_*.py"))
    assert source_revisions and installed_revisions == source_revisions, \
        f"revisions differ: installed {installed_revisions}, source {source_revisions}"

    app = Flask("wheel_check_host")
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x")
    db = SQLAlchemy(app)
    OrderAdmin(app, admin=Admin(app, name="Shop"), db=db)
    state = app.extensions["order_admin"]
    with app.app_context():
        db.create_all()
        db.session.add(Order(buyer_name="Li Wei"))
        db.session.commit()
        assert state.number_of(db.session.get(Order, 1)) == "ORD-0000000001"
    print(f"installed at {package}: {len(installed)} templates, {len(installed_revisions)} Alembic revisions, "
          f"{len(state.views)} admin views, tables created")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
