"""The catalogs say what the glossary (``flask_order_admin/translations/GLOSSARY.md``) says: each row that names
a catalog entry is translated exactly as written there, and no entry uses a word the glossary forbids."""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest

from flask_order_admin.i18n import CATALOG_DIRECTORY
from tests.i18n.test_i18n_catalogs import catalog_of

GLOSSARY = CATALOG_DIRECTORY / "GLOSSARY.md"
ENTRY = re.compile(r"^`(.+)`$")


class Word(NamedTuple):
    context: str | None
    msgid: str
    ru: str
    zh_Hans: str


def _rows() -> list[list[str]]:
    """The cells of every table row of the glossary (header and ruler rows left out)."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if cells[0] in ("entry", "language"):
            continue
        rows.append(cells)
    return rows


def glossary_words() -> list[Word]:
    words = []
    for cells in _rows():
        match = ENTRY.match(cells[0])
        if match and len(cells) >= 4:
            context, _, msgid = match.group(1).rpartition("|")
            words.append(Word(context or None, msgid, cells[2], cells[3]))
    return words


def forbidden_words() -> list[tuple[str, str]]:
    return [(cells[0], cells[1]) for cells in _rows() if cells[0] in ("ru", "zh_Hans")]


def test_the_glossary_names_catalog_entries_and_forbidden_words():
    assert len(glossary_words()) >= 50
    assert ("zh_Hans", "关闭") in forbidden_words()


@pytest.mark.parametrize("word", glossary_words(), ids=lambda word: f"{word.context or ''}|{word.msgid}")
@pytest.mark.parametrize("language", ["ru", "zh_Hans"])
def test_each_glossary_word_is_the_catalogs_translation(language: str, word: Word):
    message = catalog_of(language).get(word.msgid, context=word.context)
    assert message is not None, f"{word.msgid!r} ({word.context}) is in the glossary but not in the catalogs"
    assert message.string == getattr(word, language), (
        f"{language} translates {word.msgid!r} ({word.context}) as {message.string!r}; the glossary says "
        f"{getattr(word, language)!r}: change the catalog, or the glossary and every use together")


@pytest.mark.parametrize(("language", "word"), forbidden_words())
def test_no_catalog_entry_uses_a_word_the_glossary_forbids(language: str, word: str):
    using = [str(message.id) for message in catalog_of(language) if message.id and any(
        word in text for text in ((message.string,) if isinstance(message.string, str) else message.string))]
    assert not using, f"{language} entries use {word!r}, which the glossary forbids: {using}"
