"""Sphinx configuration: ``make docs`` builds docs/ to docs/_build/html with warnings as errors."""

import configparser
from pathlib import Path

_setup = configparser.ConfigParser()
_setup.read(Path(__file__).parent.parent / "setup.cfg", encoding="utf-8")

project = "flask-order-admin"
copyright = "the flask-order-admin authors"
release = _setup["metadata"]["version"]
version = ".".join(release.split(".")[:2])

# MyST: the pages are Markdown, as on GitHub; headings up to ### get anchors, so links such as
# configuration.md#languages resolve (and a link to a missing one fails the build).
extensions = ["myst_parser", "pallets_sphinx_themes"]
myst_heading_anchors = 3
myst_ref_domains = ["std"]  # links are to pages and headings; the theme's click and jinja domains resolve none
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

html_theme = "flask"
html_title = f"flask-order-admin {version}"
html_theme_options = {"index_sidebar_logo": False}
html_show_sourcelink = False
