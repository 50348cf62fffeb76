"""The plugin's schema as Alembic revisions, for the host's own Flask-Migrate (or Alembic).

The revisions in ``versions/`` form a branch of their own, labelled ``order_admin``, beside the
host's revisions in the same ``alembic_version`` table. A host adds their folder to its
``version_locations``::

    migrate = Migrate(app, db)
    migrate.configure(add_version_location)

then ``flask db upgrade heads`` creates the plugin's tables, and later upgrades them.
docs/database-migrations.md says how to adopt them on tables ``db.create_all()`` made. Importing this
module needs neither Alembic nor Flask.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

BRANCH = "order_admin"
VERSIONS_PATH = str(Path(__file__).resolve().with_name("versions"))

# Alembic's spellings of the separator of version_locations (its path_separator option).
_SEPARATORS = {"space": " ", "newline": "\n", "os": os.pathsep, ":": ":", ";": ";"}


def add_version_location(config: Any) -> Any:
    """Add ``VERSIONS_PATH`` to an Alembic ``Config``'s ``version_locations`` and return the config.

    A Flask-Migrate ``configure`` callback. When the host lists no ``version_locations``, its own
    folder (``<script_location>/versions``, Alembic's default) is kept first. When its config names
    no separator, the locations are separated by ``os.pathsep`` (spaces are legal in paths).
    """
    separator_name = config.get_main_option("path_separator") or config.get_main_option("version_path_separator")
    if separator_name is None:
        separator_name = "os"
        # Alembic 1.16+ reads path_separator (and then ignores the other); older ones only the other.
        config.set_main_option("path_separator", separator_name)
        config.set_main_option("version_path_separator", separator_name)
    separator = _SEPARATORS[separator_name]
    listed = config.get_main_option("version_locations")
    if listed:
        locations = [location.strip() for location in listed.split(separator) if location.strip()]
    else:
        locations = [os.path.join(config.get_main_option("script_location"), "versions")]
    if VERSIONS_PATH not in locations:
        locations.append(VERSIONS_PATH)
    # ConfigParser interpolates %(name)s: a literal % in a path is written %%.
    config.set_main_option("version_locations", separator.join(locations).replace("%", "%%"))
    return config
