"""Message ids: kept as they are, except where two messages would collide.

``message.id`` is the primary key of one table shared by all topics, but v1 ids were only unique in
practice. A message whose id is missing, not a string, or already used (earlier in the run, or
earlier in this topic) gets a fresh UUIDv7; the first holder keeps the original. ``askId``
references follow the rename only towards an *earlier* message of the same topic, which is the
message an answer can have been asked by.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class NormalizedIds:
    ids: list[str]
    """Final id of every message, in order."""
    ask_ids: list[str | None]
    """``askId`` of every message, resolved to the final id of the nearest earlier message with that
    legacy id in the same topic; left as written (so unresolvable) when there is none."""
    renamed: list[int]
    """Indexes of the messages that got a fresh id."""


def normalize_ids(
    messages: Sequence[dict[str, Any]],
    taken: Container[str],
    used_in_batch: set[str],
    fresh_id: Callable[[int], str],
) -> NormalizedIds:
    """``taken``: ids already in the target; ``used_in_batch``: ids given out earlier in the current
    batch (updated here); ``fresh_id(index)`` makes a new id for the message at ``index``."""
    ids: list[str] = []
    ask_ids: list[str | None] = []
    renamed: list[int] = []
    local: dict[str, str] = {}
    for index, message in enumerate(messages):
        raw_ask = message.get("askId")
        ask = raw_ask if isinstance(raw_ask, str) and raw_ask else None
        ask_ids.append(local.get(ask, ask) if ask is not None else None)
        raw_id = message.get("id")
        if isinstance(raw_id, str) and raw_id and raw_id not in used_in_batch and raw_id not in taken:
            final = raw_id
        else:
            final = fresh_id(index)
            renamed.append(index)
        used_in_batch.add(final)
        ids.append(final)
        if isinstance(raw_id, str) and raw_id:
            local[raw_id] = final
    return NormalizedIds(ids=ids, ask_ids=ask_ids, renamed=renamed)
