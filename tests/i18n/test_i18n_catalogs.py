"""The committed catalogs match the code: the template is what ``pybabel extract`` (with the Makefile's own
options) makes of it now, the ru and zh_Hans catalogs translate every entry of it, with every placeholder,
and their compiled .mo files are those of the .po files. Each failure says to run ``make catalogs``."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from flask_order_admin.i18n import CATALOG_DIRECTORY, DOMAIN

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = CATALOG_DIRECTORY / f"{DOMAIN}.pot"
LANGUAGES = ("ru", "zh_Hans")
FIX = "Run `make catalogs`, translate the entries it leaves empty (or fuzzy) in both .po files, and run it again."
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extract_command(output: Path) -> list[str]:
    """The ``pybabel extract`` arguments of the Makefile's ``catalogs`` target, writing to ``output``: the
    Makefile is the one place the options are written."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    words = shlex.split(line.replace("$(VENV)/bin/pybabel", "pybabel").replace("$(CATALOGS)", str(CATALOG_DIRECTORY)))
    words[words.index("-o") + 1] = str(output)
    return words


def catalog_of(language: str) -> Catalog:
    with open(CATALOG_DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as po:
        return read_po(po, locale=language)


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(message.context, str(message.id)) for message in catalog if message.id}


def test_the_template_is_what_the_code_extracts_now(tmp_path, monkeypatch):
    fresh = tmp_path / "fresh.pot"
    monkeypatch.chdir(ROOT)
    command = extract_command(fresh)
    CommandLineInterface().run(command[:1] + ["--quiet"] + command[1:])
    assert fresh.read_text() == TEMPLATE.read_text(), (
        f"{TEMPLATE.name} does not match the strings marked in the code and templates. {FIX}"
    )


def test_the_extraction_finds_the_plugins_texts_in_code_and_templates():
    """The options reach every kind of marker: a check that compares nothing with nothing would pass."""
    with open(TEMPLATE, "rb") as pot:
        template = keys(read_po(pot))
    assert {
        ("order status", "Awaiting payment"),  # NC_ in the domain
        ("order action", "Cancel"),  # lazy_pgettext in a view
        (None, "Are you sure you want to cancel order %(number)s?"),  # N_ in a view
        (None, "Back to orders list"),  # oa_gettext in a template
        ("history", "Canceled"),  # oa_pgettext in a template
        (None, "('(%(num)s order, .%(format)s)', '(%(num)s orders, .%(format)s)')"),  # oa_ngettext in a template
        ("export totals row", "Total"),  # the export sheet
    } <= template


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(language):
    with open(TEMPLATE, "rb") as pot:
        template = keys(read_po(pot))
    catalog = catalog_of(language)
    translated = keys(catalog)
    missing = sorted(template - translated, key=str)
    obsolete = sorted(translated - template, key=str) + sorted(map(str, catalog.obsolete))
    fuzzy = sorted(str(m.id) for m in catalog if m.id and m.fuzzy)
    empty = sorted(str(m.id) for m in catalog if m.id and not all(_forms(m.string)))
    assert not (missing or obsolete or fuzzy or empty), (
        f"{language}: missing {missing}, obsolete {obsolete}, fuzzy {fuzzy}, untranslated {empty}. {FIX}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_placeholder_is_in_every_translation(language):
    catalog = catalog_of(language)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in _forms(message.id)))
        for form in _forms(message.string):
            found = set(PLACEHOLDER.findall(form))
            if found != wanted:
                wrong.append(f"{message.id!r} → {form!r}: has {sorted(found)}, needs {sorted(wanted)}")
    assert not wrong, f"{language}: placeholders differ from the msgid's:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_russian_has_three_plural_forms_and_chinese_one(language):
    catalog = catalog_of(language)
    assert catalog.num_plurals == {"ru": 3, "zh_Hans": 1}[language]
    for message in catalog:
        if message.pluralizable:
            assert len(message.string) == catalog.num_plurals, f"{language}: {message.id!r}. {FIX}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_that_of_the_po_file(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalog_of(language))
    committed = (CATALOG_DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes()
    assert compiled.getvalue() == committed, f"{language}: the .mo file is older than the .po file. {FIX}"


def _forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(text) if isinstance(text, (tuple, list)) else (text,)
