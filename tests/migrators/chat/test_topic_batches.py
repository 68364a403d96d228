"""Topic rows are batched by count and by messages, so a batch's memory does not follow topic size."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cherry_migrate.migrators.chat.migrator import topic_batches

_rows: st.SearchStrategy[list[Any]] = st.lists(
    st.one_of(
        st.builds(lambda n: {"messages": [{}] * n}, st.integers(min_value=0, max_value=30)),
        st.just({"messages": "not a list"}),
        st.just("not a topic"),
    ),
    max_size=40,
)


def _messages(row: Any) -> int:
    listed = row.get("messages") if isinstance(row, dict) else None
    return len(listed) if isinstance(listed, list) else 0


@given(_rows, st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=40))
def test_batches_keep_every_row_in_order_within_both_limits(
    rows: list[Any], max_rows: int, max_messages: int
) -> None:
    batches = list(topic_batches(iter(rows), max_rows, max_messages))
    assert [row for batch in batches for row in batch] == rows
    for batch in batches:
        assert batch
        assert len(batch) <= max_rows
        # A batch ends on the row that reaches the message limit, never later.
        assert sum(_messages(row) for row in batch[:-1]) < max_messages
    for batch in batches[:-1]:
        assert len(batch) == max_rows or sum(map(_messages, batch)) >= max_messages


def test_a_topic_larger_than_the_limit_is_a_batch_of_its_own() -> None:
    big: dict[str, Any] = {"messages": [{}] * 50}
    small: dict[str, Any] = {"messages": [{}]}
    assert list(topic_batches([small, big, small], 10, 20)) == [[small, big], [small]]
