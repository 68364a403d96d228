"""``to_epoch_ms``: the fast path for ISO strings reads every value as the plain rule does."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from cherry_migrate.core.timestamps import to_epoch_ms


def _plain_rule(text: str) -> int | None:
    """The documented order for strings: a number first, else an ISO time (naive means UTC)."""
    text = text.strip()
    if not text:
        return None
    try:
        return to_epoch_ms(float(text))
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


_iso_times = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
_numbers = st.one_of(
    st.integers(min_value=-(10**13), max_value=10**13).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
_near_misses = st.text(alphabet="0123456789-:.TZ+_ eE", max_size=30)


@given(st.one_of(_iso_times, _numbers, _near_misses, st.text(max_size=30)))
def test_strings_read_as_the_plain_rule(text: str) -> None:
    assert to_epoch_ms(text) == _plain_rule(text)


def test_iso_and_numeric_strings_give_the_same_instant() -> None:
    iso = "2024-06-11T09:35:57.560Z"
    expected = int(datetime(2024, 6, 11, 9, 35, 57, 560_000, tzinfo=UTC).timestamp() * 1000)
    assert to_epoch_ms(iso) == expected
    assert to_epoch_ms(str(expected)) == expected
    assert to_epoch_ms(str(expected // 1000)) == expected // 1000 * 1000


def test_compact_dates_are_numbers_not_iso_dates() -> None:
    # "20240611" is also a valid ISO basic date; as a number it comes first (seconds).
    assert to_epoch_ms("20240611") == 20240611 * 1000
