"""The Dexie ``message_blocks`` table: streamed into the scratch index, and accounted for at the end.

Every block read ends as written (a migrated message carries its part) or skipped with one of:
``invalid_record``, ``missing_id``, ``duplicate_id`` (a later copy of an id), ``unknown_block_type``
and ``empty_block`` (used, but nothing to carry), ``message_skipped`` (its message was skipped),
``not_referenced`` (its message was migrated but does not list it), ``message_not_found`` and
``too_deeply_nested`` (arrays and objects nested deeper than the sources accept elsewhere).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import orjson

from cherry_migrate.core.accounting import MAX_IDS_PER_REASON, Ledger
from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.db.bulk import to_json
from cherry_migrate.migrators.chat.block_index import BlockIndex, Outcome
from cherry_migrate.migrators.chat.kinds import BLOCKS_KIND
from cherry_migrate.sources.base import DexieTables
from cherry_migrate.sources.json_file import MAX_NESTING, nesting_depth

BLOCKS_TABLE = "message_blocks"
LOAD_BATCH = 2000
ACCOUNT_BATCH = 1000

_OUTCOME_REASONS = {
    Outcome.UNKNOWN_TYPE: ("unknown_block_type", "placeholder or unrecognised block type; it has no v2 part"),
    Outcome.EMPTY: ("empty_block", "the block holds nothing a v2 part can carry"),
}


def index_blocks(
    dexie: DexieTables,
    index: BlockIndex,
    ledger: Ledger,
    cancel: CancelToken,
    on_batch: Callable[[int], None],
) -> bool:
    """Stream every block into ``index``; False when the table does not exist.
    ``on_batch`` receives the number of blocks read so far."""
    if not dexie.table_exists(BLOCKS_TABLE):
        return False
    read = 0
    for batch in dexie.iter_batches(BLOCKS_TABLE, LOAD_BATCH):
        ledger.read(BLOCKS_KIND, len(batch))
        rows: list[tuple[str, str | None, bytes]] = []
        for block in batch:
            if not isinstance(block, dict):
                ledger.skip(BLOCKS_KIND, "invalid_record", detail="a block that is not a JSON object")
                continue
            block_id = block.get("id")
            if not isinstance(block_id, str) or not block_id:
                ledger.skip(BLOCKS_KIND, "missing_id", detail="a block without an id cannot be referenced")
                continue
            payload = _dump(block)
            if payload is None:
                ledger.skip(
                    BLOCKS_KIND,
                    "too_deeply_nested",
                    block_id,
                    detail=f"arrays and objects nested more than {MAX_NESTING} levels deep",
                )
                continue
            message_id = block.get("messageId")
            rows.append((block_id, message_id if isinstance(message_id, str) else None, payload))
        index.add(rows)
        read += len(batch)
        on_batch(read)
        cancel.raise_if_cancelled()
    for block_id in index.finish_loading():
        ledger.skip(
            BLOCKS_KIND, "duplicate_id", block_id, detail="another block has the same id; the first is kept"
        )
    return True


def account_blocks(index: BlockIndex, target: sqlite3.Connection, ledger: Ledger) -> None:
    """After every topic is written: count used blocks and classify the ones no message used."""
    totals = index.outcome_totals()
    ledger.written(BLOCKS_KIND, totals.get(Outcome.WRITTEN, 0))
    for outcome, (reason, detail) in _OUTCOME_REASONS.items():
        total = totals.get(outcome, 0)
        if total:
            skip_with_sample(
                ledger, BLOCKS_KIND, reason, index.outcome_sample(outcome, MAX_IDS_PER_REASON), total, detail
            )
    for batch in index.iter_unused(ACCOUNT_BATCH):
        message_ids = {message_id for _, message_id in batch if message_id}
        skipped = index.skipped_among(message_ids)
        migrated = _existing_messages(target, message_ids - skipped)
        for block_id, message_id in batch:
            if message_id in skipped:
                ledger.skip(BLOCKS_KIND, "message_skipped", block_id, detail="its message was skipped")
            elif message_id in migrated:
                ledger.skip(BLOCKS_KIND, "not_referenced", block_id, detail="its message does not list it")
            else:
                ledger.skip(BLOCKS_KIND, "message_not_found", block_id, detail="no message has its messageId")


def skip_with_sample(
    ledger: Ledger, kind: str, reason: str, sample: list[str], total: int, detail: str | None = None
) -> None:
    """Record ``total`` skips of which ``sample`` names the first ids."""
    for record_id in sample[:total]:
        ledger.skip(kind, reason, record_id, detail=detail)
    rest = total - min(len(sample), total)
    if rest:
        ledger.skip(kind, reason, detail=detail, n=rest)


def _existing_messages(target: sqlite3.Connection, message_ids: set[str]) -> set[str]:
    if not message_ids:
        return set()
    rows = target.execute(
        "SELECT m.id FROM json_each(?) AS j JOIN message AS m ON m.id = j.value",
        (orjson.dumps(list(message_ids)),),
    )
    return {row[0] for row in rows}


def _dump(block: dict[str, Any]) -> bytes | None:
    """The block as JSON; None when it is nested too deeply to be stored and read back."""
    try:
        return orjson.dumps(block)
    except orjson.JSONEncodeError:
        if nesting_depth(block) > MAX_NESTING:
            return None
        return to_json(block).encode("utf-8")
