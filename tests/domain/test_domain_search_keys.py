"""The prefix range behind every "starts with" lookup, and the one reading of typed text (``search_text``)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flask_order_admin.domain.search_keys import (
    SEARCH_TEXT_LENGTH, TYPED_TEXT_LENGTH, NotSearchText, next_prefix, search_text,
)

TOP = "\U0010ffff"
# Any character a database holds (no surrogates), the ends of the ranges next_prefix steps over most often.
CHARACTERS = st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from([TOP, "\ud7ff", "\ue000", "a", "b"]))
TEXTS = st.text(CHARACTERS, max_size=6)


@settings(max_examples=500, derandomize=True, database=None)
@given(prefix=st.text(CHARACTERS, min_size=1, max_size=4), text=TEXTS)
@example(prefix=f"a{TOP}", text=f"a{TOP}z").via("the issue's text")
@example(prefix=TOP, text=TOP * 3)
@example(prefix="a\ud7ff", text="a\ue000")
def test_a_texts_range_holds_exactly_the_texts_that_start_with_it(prefix, text):
    """Code point order, the order of the key columns (C on PostgreSQL, utf8mb4_bin on MariaDB, SQLite's)."""
    high = next_prefix(prefix)
    in_range = prefix <= text and (high is None or text < high)
    assert in_range == text.startswith(prefix)
    assert high is None or not ("\ud800" <= high[-1] <= "\udfff")  # a bound no driver refuses


def test_the_next_prefix_of_the_last_code_point():
    assert next_prefix(f"a{TOP}") == "b"
    assert next_prefix(f"li wei{TOP}{TOP}") == "li wej"
    assert next_prefix(TOP) is None and next_prefix(TOP * 3) is None
    assert next_prefix("a\ud7ff") == "a\ue000"


def test_typed_text_is_normalised_then_measured():
    assert search_text("  Ｌｉ   Wei ") == "Li Wei"
    assert len(search_text("\ufdfa" * 11)) == 198  # 11 typed, 18 each once normalised: still a search
    with pytest.raises(NotSearchText):
        search_text("\ufdfa" * 12)  # 216


@pytest.mark.parametrize("typed", [
    "a\x00b", "\ud800", "x" * (SEARCH_TEXT_LENGTH + 1), " " * (TYPED_TEXT_LENGTH + 1), "\u3000\t",
])
def test_text_that_cannot_be_searched_is_refused(typed):
    with pytest.raises(NotSearchText):
        search_text(typed)


def test_an_empty_filter_value_is_allowed_where_the_caller_allows_it():
    assert search_text(" \u3000", empty_allowed=True) == ""
    with pytest.raises(NotSearchText):
        search_text("a\x00", empty_allowed=True)
