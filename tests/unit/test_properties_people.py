"""Property tests (issue 9, item 7): what residents type about themselves, and the user
ids administrators type. No exception but the documented one escapes; what is accepted
is clean and reads back as itself."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInputError
from bot.domain.profile import NAME_MAX, NAME_MIN, clean_full_name, clean_phone
from bot.domain.staff import parse_user_id
from tests.unit.strategies import FAST, odd_text


@FAST
@given(st.one_of(odd_text(max_size=120), st.text(min_size=95, max_size=110)))
def test_a_name_is_clean_and_within_limits(text: str) -> None:
    try:
        name = clean_full_name(text)
    except InvalidInputError as error:
        assert error.problem in ("name_chars", "name_short", "name_long")
        return
    assert NAME_MIN <= len(name) <= NAME_MAX and any(ch.isalpha() for ch in name)
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert clean_full_name(name) == name


@FAST
@given(
    st.one_of(
        odd_text(),
        st.from_regex(r"\+?[0-9][0-9 ()\-]{5,22}", fullmatch=True),
    )
)
def test_a_phone_is_kept_as_plus_and_digits(text: str) -> None:
    try:
        phone = clean_phone(text)
    except InvalidInputError as error:
        assert error.problem == "phone"
        return
    digits = phone[1:]
    assert phone.startswith("+") and digits.isascii() and digits.isdigit()
    assert 7 <= len(digits) <= 15
    assert clean_phone(phone) == phone


@FAST
@given(st.integers(min_value=10**6, max_value=10**15 - 1))
def test_a_phone_written_with_spaces_and_dashes_reads_back(number: int) -> None:
    digits = str(number)
    written = f"+{digits[:3]} ({digits[3:5]}) {digits[5:8]}-{digits[8:]}".rstrip("-")
    assert clean_phone(written) == "+" + digits


@FAST
@given(st.one_of(odd_text(), st.integers(min_value=1, max_value=10**16 - 1).map(str)))
def test_a_typed_user_id_is_a_positive_id_that_reads_back(text: str) -> None:
    user_id = parse_user_id(text)
    if user_id is not None:
        assert 1 <= user_id < 10**16 and parse_user_id(str(user_id)) == user_id
