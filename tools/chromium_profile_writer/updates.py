"""The edits ``--updates`` makes after the first browser session, and the rows they leave.

Every Dexie table is edited the same deterministic way, by position in the exported (primary
key) order, so that stale versions and deletion tombstones exist on disk for a reader to get
wrong:

* every 7th row from the 6th on is deleted; deleting a topic also deletes the blocks of its
  messages, as Cherry Studio does when a conversation is deleted (its metadata in the Redux
  ``assistants`` slice is left alone, like after an IndexedDB loss);
* every 3rd row from the 2nd on, if not deleted, is edited as a user would: text ``content``
  gets " (edited)", a ``count`` goes up by one, a topic's first message is marked useful, and
  ``updatedAt``/``updated_at`` move to :data:`EDITED_AT` (in the field's own type). Rows that no
  rule changes are not written again.

Tables are held in memory: ``--updates`` is meant for small fixture profiles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EDITED_AT = "2026-03-01T09:30:00.000Z"
_EDITED_AT_MS = int(datetime(2026, 3, 1, 9, 30, tzinfo=UTC).timestamp() * 1000)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class UpdatePlan:
    """Per table: the rows to put again (edited), the primary keys to delete, and the final rows."""

    puts: dict[str, list[Any]] = field(default_factory=dict)
    deletes: dict[str, list[Any]] = field(default_factory=dict)
    final: dict[str, list[Any]] = field(default_factory=dict)


def dump_rows(rows: Iterable[Any]) -> bytes:
    """A Dexie-export style JSON array (compact, UTF-8).

    Python keeps lone surrogates of the input as code points that UTF-8 cannot hold; they are
    written as ``\\udXXX`` escapes, which ``JSON.parse`` turns back into the same code units.
    """
    text = json.dumps(list(rows), ensure_ascii=False, separators=(",", ":"))
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def edit_row(row: dict[str, Any]) -> dict[str, Any]:
    """The row as a user's edit leaves it (see the module docstring); equal to ``row`` if untouched."""
    edited = dict(row)
    if isinstance(edited.get("content"), str):
        edited["content"] += " (edited)"
    count = edited.get("count")
    if isinstance(count, int) and not isinstance(count, bool):
        edited["count"] = count + 1
    messages = edited.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        edited["messages"] = [{**messages[0], "useful": True}, *messages[1:]]
    for name in ("updatedAt", "updated_at"):
        if isinstance(edited.get(name), str):
            edited[name] = EDITED_AT
        elif isinstance(edited.get(name), int | float) and not isinstance(edited.get(name), bool):
            edited[name] = _EDITED_AT_MS
    return edited


def _blocks_of_topic(topic: dict[str, Any]) -> set[Any]:
    """Message ids of a topic row (its blocks point at them through ``messageId``)."""
    messages = topic.get("messages")
    if not isinstance(messages, list):
        return set()
    return {m.get("id") for m in messages if isinstance(m, dict)}


def plan_updates(tables: dict[str, list[Any]]) -> UpdatePlan:
    """Decide the edits and deletions for every table (rows as exported, in primary-key order)."""
    plan = UpdatePlan()
    deleted: dict[str, set[Any]] = {}
    for name, rows in tables.items():
        deleted[name] = {row["id"] for i, row in enumerate(rows) if i % 7 == 5}
    if "message_blocks" in tables:
        messages_gone: set[Any] = set()
        for topic in tables.get("topics", []):
            if topic["id"] in deleted["topics"]:
                messages_gone |= _blocks_of_topic(topic)
        deleted["message_blocks"] |= {
            b["id"] for b in tables["message_blocks"] if b.get("messageId") in messages_gone
        }
    for name, rows in tables.items():
        puts: list[Any] = []
        final: list[Any] = []
        for i, row in enumerate(rows):
            if row["id"] in deleted[name]:
                continue
            if i % 3 == 1 and (edited := edit_row(row)) != row:
                puts.append(edited)
                row = edited
            final.append(row)
        plan.puts[name] = puts
        plan.deletes[name] = [row["id"] for row in rows if row["id"] in deleted[name]]
        plan.final[name] = final
    return plan


def read_tables(dexie_dir: Path, names: Iterable[str]) -> dict[str, list[Any]]:
    """Load exported tables whose rows are objects with an ``id`` (Cherry Studio's key path)."""
    tables: dict[str, list[Any]] = {}
    for name in names:
        rows = json.loads((dexie_dir / f"{name}.json").read_bytes())
        if not isinstance(rows, list) or not all(isinstance(r, dict) and "id" in r for r in rows):
            raise ValueError(f"{dexie_dir / name}.json: expected an array of objects with an 'id'")
        tables[name] = rows
    return tables
