"""The example shops' own catalog (Flask-Babel's ``messages`` domain in example_app/translations) matches their
code, as the plugin's does its own (tests/i18n): the template is what ``make example-catalogs`` extracts now, ru and
zh_Hans_CN translate every entry with every placeholder, and the .mo files are those of the .po files."""

from __future__ import annotations

import io
import shlex
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from example_app.languages import TRANSLATIONS
from tests.i18n.test_i18n_catalogs import PLACEHOLDER, _forms, keys

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = TRANSLATIONS / "messages.pot"
LANGUAGES = ("ru", "zh_Hans_CN")
FIX = "Run `make catalogs`, translate what it leaves empty (or fuzzy) in example_app/translations, and run it again."


def extract_command(output: Path) -> list[str]:
    """The Makefile's ``pybabel extract`` of the example shops, writing to ``output``."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = next(line for line in makefile.splitlines() if "pybabel extract" in line and "example_app/babel.cfg" in line)
    words = shlex.split(line.replace("$(VENV)/bin/pybabel", "pybabel").replace("$(EXAMPLE_CATALOGS)", str(TRANSLATIONS)))
    words[words.index("-o") + 1] = str(output)
    return words


def catalog_of(language: str) -> Catalog:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def test_the_template_is_what_the_code_extracts_now(tmp_path, monkeypatch):
    fresh = tmp_path / "fresh.pot"
    monkeypatch.chdir(ROOT)
    command = extract_command(fresh)
    CommandLineInterface().run(command[:1] + ["--quiet"] + command[1:])
    assert fresh.read_text() == TEMPLATE.read_text(), f"{TEMPLATE} does not match the texts marked in example_app. {FIX}"
    with open(TEMPLATE, "rb") as pot:
        template = keys(read_po(pot))
    # Each kind of marker reached: lazy_gettext (a menu), gettext (a flash), _() in a template.
    assert {(None, "Sales"), (None, "Wrong user name or password."), (None, "Legacy shop back office")} <= template


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_with_its_placeholders(language):
    with open(TEMPLATE, "rb") as pot:
        template = keys(read_po(pot))
    catalog = catalog_of(language)
    assert keys(catalog) == template, FIX
    untranslated = [str(m.id) for m in catalog if m.id and (m.fuzzy or not all(_forms(m.string)))]
    assert not untranslated, f"{language}: {untranslated}. {FIX}"
    for message in catalog:
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in _forms(message.id)))
        assert all(set(PLACEHOLDER.findall(form)) == wanted for form in _forms(message.string)), message.id
        if message.pluralizable:
            assert len(message.string) == {"ru": 3, "zh_Hans_CN": 1}[language], message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_that_of_the_po_file(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalog_of(language))
    committed = (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert compiled.getvalue() == committed, f"{language}: the .mo file is older than the .po file. {FIX}"
