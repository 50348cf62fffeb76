"""Reading exported files back: xlrd for cells, and the workbook's BIFF records for formulas.

xlrd does not decompile cell formulas, so ``xls_formulas`` walks the Workbook stream
itself and decodes each FORMULA record's tokens. Only the tokens a link uses are
understood; anything else shows up as ``("other", ptg)`` and fails the comparison.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import Any

import pytest
import xlrd
from xlrd.compdoc import CompDoc

BOF, FORMULA = 0x0809, 0x0006
WORKSHEET = 0x0010
PTG_STR = 0x17
PTG_FUNC_VAR = (0x22, 0x42, 0x62)
HYPERLINK = 359

Token = tuple[Any, ...]


def _tokens(rpn: bytes) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(rpn):
        ptg = rpn[i]
        if ptg == PTG_STR:
            length, flags = rpn[i + 1], rpn[i + 2]
            i += 3
            if flags & 1:
                tokens.append(("str", rpn[i:i + 2 * length].decode("utf-16-le")))
                i += 2 * length
            else:
                tokens.append(("str", rpn[i:i + length].decode("latin-1")))
                i += length
        elif ptg in PTG_FUNC_VAR:
            tokens.append(("func", struct.unpack_from("<H", rpn, i + 2)[0], rpn[i + 1]))
            i += 4
        else:
            tokens.append(("other", ptg))
            break
    return tokens


def formulas_of(data: bytes) -> dict[tuple[int, int, int], list[Token]]:
    """Every formula cell of the file: (sheet index, row, column) → its tokens."""
    mem, base, size = CompDoc(data, logfile=io.StringIO()).locate_named_stream("Workbook")
    found: dict[tuple[int, int, int], list[Token]] = {}
    sheet, pos, end = -1, base, base + size
    while pos + 4 <= end:
        record, length = struct.unpack_from("<HH", mem, pos)
        body = bytes(mem[pos + 4:pos + 4 + length])
        pos += 4 + length
        if record == BOF and struct.unpack_from("<H", body, 2)[0] == WORKSHEET:
            sheet += 1
        elif record == FORMULA:
            rowx, colx = struct.unpack_from("<HH", body)
            rpn_length = struct.unpack_from("<H", body, 20)[0]
            found[(sheet, rowx, colx)] = _tokens(body[22:22 + rpn_length])
    return found


def hyperlink_tokens(url: str, label: str) -> list[Token]:
    return [("str", url), ("str", label), ("func", HYPERLINK, 2)]


@pytest.fixture
def xls_formulas() -> Callable[[bytes], dict[tuple[int, int, int], list[Token]]]:
    return formulas_of


@pytest.fixture
def link_tokens() -> Callable[[str, str], list[Token]]:
    return hyperlink_tokens


@pytest.fixture
def open_xls() -> Callable[[bytes], xlrd.book.Book]:
    return lambda data: xlrd.open_workbook(file_contents=data, formatting_info=True)


@pytest.fixture
def data_rows() -> Callable[[xlrd.book.Book], list[list[Any]]]:
    """Every row under the headers, across all sheets, totals row included."""

    def rows(book: xlrd.book.Book) -> list[list[Any]]:
        return [sheet.row_values(rowx) for sheet in book.sheets() for rowx in range(1, sheet.nrows)]

    return rows
