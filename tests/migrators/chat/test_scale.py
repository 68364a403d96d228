"""A very long topic with one very large block migrates in one piece."""

from __future__ import annotations

import pytest

from tests.migrators.chat.helpers import T0_MS, assistants_slice, run, shared, topic_meta

MESSAGES = 50_000
BIG_TEXT = "0123456789abcdef" * (20 * 1024 * 1024 // 16)  # 20 MiB


@pytest.mark.slow
def test_fifty_thousand_messages_and_a_twenty_megabyte_block(make_context):
    messages = [
        {
            "id": f"m{i:05d}",
            "role": "user" if i % 2 == 0 else "assistant",
            "createdAt": T0_MS + i * 1000,
            "status": "success",
            "blocks": [f"b{i:05d}"],
        }
        for i in range(MESSAGES)
    ]
    blocks = [
        {"id": f"b{i:05d}", "messageId": f"m{i:05d}", "type": "main_text", "content": f"message {i}"}
        for i in range(MESSAGES)
    ]
    blocks[123]["content"] = BIG_TEXT
    ctx = make_context(
        redux={"assistants": assistants_slice(topic_meta("long"))},
        dexie={"topics": [{"id": "long", "messages": messages}], "message_blocks": blocks},
        shared=shared(),
    )
    migrator, validated = run(ctx)

    assert validated.diagnostics["messages_written"] == MESSAGES
    assert (
        ctx.db.execute("SELECT count(*) FROM message WHERE topic_id = 'long'").fetchone()[0] == MESSAGES + 1
    )
    big = ctx.db.execute(
        "SELECT length(searchable_text), parent_id FROM message WHERE id = 'm00123'"
    ).fetchone()
    assert big == (len(BIG_TEXT), "m00122")
    assert ctx.db.execute("SELECT active_node_id FROM topic").fetchone() == (f"m{MESSAGES - 1:05d}",)
    assert migrator.ledger.kinds["dexie:message_blocks"].written == MESSAGES
