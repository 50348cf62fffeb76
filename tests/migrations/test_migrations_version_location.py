"""``add_version_location``: the plugin's folder joins the host's ``version_locations``."""

from __future__ import annotations

import os

from alembic.config import Config

from flask_order_admin.migrations import VERSIONS_PATH, add_version_location


def test_a_host_without_version_locations_keeps_its_own_folder_first():
    config = Config()
    config.set_main_option("script_location", "migrations")
    assert add_version_location(config) is config
    assert config.get_version_locations_list() == [os.path.join("migrations", "versions"), VERSIONS_PATH]


def test_a_host_list_keeps_its_separator_and_gets_the_folder_once():
    config = Config()
    config.set_main_option("script_location", "migrations")
    config.set_main_option("path_separator", "space")
    config.set_main_option("version_locations", "migrations/versions more/versions")
    add_version_location(add_version_location(config))
    assert config.get_version_locations_list() == ["migrations/versions", "more/versions", VERSIONS_PATH]


def test_a_percent_sign_in_a_path_survives_the_ini_interpolation():
    config = Config()
    config.set_main_option("script_location", "shop 100%%")  # as written in an alembic.ini
    add_version_location(config)
    assert config.get_version_locations_list()[0] == os.path.join("shop 100%", "versions")
