"""The migrator's contract with the engine: metadata, prepare, cancel, reset, validate, warnings."""

from __future__ import annotations

from typing import Any

import pytest

from cherry_migrate.core.errors import MigrationCancelledError
from cherry_migrate.migrators.chat import ChatMigrator
from cherry_migrate.migrators.chat.migrator import SCRATCH_FILE
from cherry_migrate.sources.memory import InMemoryDexie, in_memory_sources
from tests.migrators.chat.helpers import assistants_slice, blocks_for, msg, run, shared, topic_meta


def test_metadata():
    assert (ChatMigrator.id, ChatMigrator.order) == ("chat", 4)
    assert ChatMigrator.owned_tables == ("topic", "message", "chat_message_file_ref")


class BlocksForbidden(InMemoryDexie):
    """Fails any read of ``message_blocks``: prepare must not load it."""

    def _check(self, table: str) -> None:
        if table == "message_blocks":
            raise AssertionError("prepare read message_blocks")

    def iter_rows(self, table: str) -> Any:
        self._check(table)
        return super().iter_rows(table)

    def iter_batches(self, table: str, batch_size: int) -> Any:
        self._check(table)
        return super().iter_batches(table, batch_size)

    def count(self, table: str) -> int:
        self._check(table)
        return super().count(table)

    def read_table(self, table: str) -> list[Any]:
        self._check(table)
        return super().read_table(table)


def test_prepare_counts_topics_and_never_reads_blocks(make_context):
    sources = in_memory_sources()
    sources.dexie = BlocksForbidden(
        {"topics": [{"id": "t1", "messages": []}, {"messages": []}, {"id": "t3"}], "message_blocks": []}
    )
    ctx = make_context(sources=sources)
    result = ChatMigrator().prepare(ctx)
    assert (result.success, result.item_count) == (True, 3)
    assert result.warnings == [
        "Topic row #1 has no id; it will be skipped.",
        "Topic t3 has no messages array.",
    ]


def test_prepare_without_tables(make_context):
    result = ChatMigrator().prepare(make_context())
    assert (result.success, result.item_count) == (True, 0)
    assert result.warnings == ["No Dexie 'topics' table: there are no chats to migrate."]


def test_cancel_stops_the_run_and_removes_the_scratch_index(make_context):
    m1 = msg("m1", "user")
    ctx = make_context(dexie={"topics": [{"id": "t1", "messages": [m1]}], "message_blocks": blocks_for(m1)})
    ctx.cancel.cancel()
    migrator = ChatMigrator()
    with pytest.raises(MigrationCancelledError):
        migrator.execute(ctx)
    assert not (ctx.paths.scratch_dir / SCRATCH_FILE).exists()
    assert ctx.db.execute("SELECT count(*) FROM message").fetchone() == (0,)


def test_reset_forgets_the_previous_attempt(make_context):
    m1 = msg("m1", "user")
    data = {"topics": [{"id": "t1", "messages": [m1]}], "message_blocks": blocks_for(m1)}
    migrator, _ = run(make_context(dexie=data, shared=shared()))
    migrator.reset()
    assert migrator.ledger.kinds == {}
    ctx = make_context(dexie=data, shared=shared())
    migrator.prepare(ctx)
    migrator.execute(ctx)
    assert migrator.validate(ctx).diagnostics["topics_written"] == 1


def test_validate_reports_broken_trees(make_context):
    m1, m2 = msg("m1", "user"), msg("m2")
    ctx = make_context(
        dexie={"topics": [{"id": "t1", "messages": [m1, m2]}], "message_blocks": blocks_for(m1, m2)},
        shared=shared(),
    )
    migrator, _ = run(ctx)
    insert = (
        "INSERT INTO message (id, parent_id, topic_id, role, data, status, created_at, updated_at) VALUES "
    )
    ctx.db.execute(insert + "('x1', 'nowhere', 't1', 'user', '{}', 'success', 1, 1)")
    ctx.db.execute(insert + "('x2', 'm1', 'no-topic', 'user', '{}', 'success', 1, 1)")
    ctx.db.execute(insert + "('x3', 'x3', 't1', 'user', '{}', 'success', 1, 1)")
    ctx.db.execute("UPDATE topic SET id = 't-renamed'")
    errors = {e.key: e.actual for e in migrator.validate(ctx).errors}
    assert errors == {
        "orphan_messages": 6,  # root, m1, m2, x1, x3 keep the old topic id; x2 names none
        "dangling_parent_ids": 1,  # x1
        "cross_topic_parents": 1,  # x2 under m1
        "unreachable_messages": 2,  # x1, and x3 (its own parent)
        "rootless_topics": 1,
    }


def test_warnings_name_ids_never_content(make_context):
    secret = "sk-live-1234567890abcdef"
    m1 = msg("m1", "user", blocks=["b-m1", "missing"], model={"id": "gone", "provider": "p"})
    blocks = blocks_for(msg("m1", "user"))
    blocks[0]["content"] = f"my key is {secret}"
    ctx = make_context(
        redux={"assistants": assistants_slice(topic_meta("t1"))},
        dexie={"topics": [{"id": "t1", "messages": [m1]}], "message_blocks": blocks},
        shared=shared(),
    )
    migrator = ChatMigrator()
    migrator.prepare(ctx)
    result = migrator.execute(ctx)
    assert any("m1" in w for w in result.warnings)
    assert not any(secret in w or "my key" in w for w in result.warnings)
    assert secret not in str(migrator.ledger.to_dict())
