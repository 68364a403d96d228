"""Message rows written by the migrator: tree, ids, parts, status, models, snapshots, stats, file refs."""

from __future__ import annotations

import base64
from typing import Any

from cherry_migrate.migrators.chat.kinds import BLOCKS_KIND, FILE_REFS_KIND, MESSAGES_KIND
from tests.migrators.chat.helpers import (
    assistants_slice,
    block,
    blocks_for,
    messages_by_id,
    ms,
    msg,
    parents,
    root_id,
    rows,
    run,
    shared,
    skip_reasons,
    skipped_ids,
    text_block,
    topic_meta,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def context(make_context, messages, blocks=None, topic_id="t1", **kwargs):
    """One topic owned by assistant ``a1``."""
    return make_context(
        redux={"assistants": assistants_slice(topic_meta(topic_id))},
        dexie={
            "topics": [{"id": topic_id, "messages": messages}],
            "message_blocks": blocks if blocks is not None else blocks_for(*messages),
        },
        shared=kwargs.pop("shared", shared()),
        **kwargs,
    )


def test_tree_with_root_groups_and_active_node(make_context):
    messages = [
        msg("u1", "user", 0),
        msg("a1", "assistant", 1, askId="u1"),
        msg("a2", "assistant", 2, askId="u1", foldSelected=True),
        msg("u2", "user", 3),
        msg("a3", "assistant", 4),
    ]
    ctx = context(make_context, messages)
    run(ctx)
    assert parents(ctx.db, "t1") == {"u1": "ROOT", "a1": "u1", "a2": "u1", "u2": "a2", "a3": "u2"}
    rows_by_id = messages_by_id(ctx.db, "t1")
    assert {k: v["siblings_group_id"] for k, v in rows_by_id.items() if v["role"] != "root"} == {
        "u1": 0,
        "a1": 1,
        "a2": 1,
        "u2": 0,
        "a3": 0,
    }
    root = rows_by_id[root_id(ctx.db, "t1")]
    assert {
        k: root[k] for k in ("parent_id", "role", "data", "status", "siblings_group_id", "created_at")
    } == {
        "parent_id": None,
        "role": "root",
        "data": {"parts": []},
        "status": "success",
        "siblings_group_id": 0,
        "created_at": ms(0),
    }
    assert rows(ctx.db, "SELECT active_node_id FROM topic") == [{"active_node_id": "a3"}]


def test_skipped_messages_are_bridged_and_reported(make_context):
    messages: list[Any] = [
        msg("u1", "user", 0),
        msg("a1", "assistant", 1, blocks=[]),  # no blocks at all
        msg("u2", "user", 2, blocks=["gone-1", "gone-2"]),  # every block missing
        msg("a2", "tool", 3),  # invalid role
        msg("a3", "assistant", 4),
        "not a message",
        msg("c1", "user", 5, type="clear", blocks=[]),  # context marker kept without blocks
    ]
    blocks = [*blocks_for(*messages[:5]), text_block("a2")]
    ctx = context(make_context, messages, blocks)
    migrator, validated = run(ctx)
    assert parents(ctx.db, "t1") == {"u1": "ROOT", "a3": "u1", "c1": "a3"}
    assert skip_reasons(migrator, MESSAGES_KIND) == {"no_blocks": 2, "invalid_role": 1, "invalid_record": 1}
    assert skipped_ids(migrator, MESSAGES_KIND, "no_blocks") == ["a1", "u2"]
    assert skipped_ids(migrator, BLOCKS_KIND, "message_skipped") == ["b-a2"]
    assert messages_by_id(ctx.db)["c1"]["data"] == {"parts": [{"type": "data-clear", "data": {}}]}
    assert validated.diagnostics["messages_with_missing_blocks"] == 1
    assert validated.diagnostics["missing_block_refs"] == 2
    assert rows(ctx.db, "SELECT active_node_id FROM topic") == [{"active_node_id": "c1"}]


def test_askid_pointing_to_a_deleted_message_keeps_siblings_together(make_context):
    messages = [
        msg("prev", "assistant", 0),
        msg("a1", askId="gone", minute=1),
        msg("a2", askId="gone", minute=2),
    ]
    ctx = context(make_context, messages)
    run(ctx)
    assert parents(ctx.db, "t1") == {"prev": "ROOT", "a1": "prev", "a2": "prev"}


def test_duplicate_and_missing_message_ids_get_fresh_ids_and_references_follow(make_context):
    t1 = [msg("u1", "user", 0), msg("a1", "assistant", 1)]
    t2 = [
        msg("u1", "user", 2, blocks=["b-u1-again"]),  # same id as in t1
        msg("a1", "assistant", 3, askId="u1", blocks=["b-a1-again"]),
        msg("a2", "assistant", 4, askId="u1", blocks=["b-a2"]),
        msg("", "user", 5, blocks=["b-noid"]),
    ]
    blocks = [
        *blocks_for(*t1),
        block("b-u1-again", "u1", "main_text", content="again"),
        block("b-a1-again", "a1", "main_text", content="answer again"),
        text_block("a2"),
        block("b-noid", "", "file", file={"id": "f1", "path": "/f1.txt", "ext": ".txt"}),
    ]
    ctx = make_context(
        dexie={
            "topics": [{"id": "t1", "messages": t1}, {"id": "t2", "messages": t2}],
            "message_blocks": blocks,
        },
        shared=shared(files=("f1",)),
    )
    migrator, validated = run(ctx)
    assert parents(ctx.db, "t1") == {"u1": "ROOT", "a1": "u1"}
    t2_parents = parents(ctx.db, "t2")
    new_u1, new_a1, a2, new_noid = list(t2_parents)
    assert a2 == "a2" and new_u1 not in ("u1", "a1") and new_a1 not in ("u1", "a1")
    assert t2_parents == {new_u1: "ROOT", new_a1: new_u1, "a2": new_u1, new_noid: "a2"}
    assert rows(ctx.db, "SELECT source_id FROM chat_message_file_ref") == [{"source_id": new_noid}]
    assert validated.diagnostics["renamed_message_ids"] == 3
    assert migrator.ledger.kinds[MESSAGES_KIND].written == 6


def test_topic_id_in_messages_is_corrected(make_context):
    m1 = msg("m1", "user", topicId="some-other-topic")
    ctx = context(make_context, [m1])
    run(ctx)
    assert rows(ctx.db, "SELECT topic_id FROM message WHERE id = 'm1'") == [{"topic_id": "t1"}]


def test_status_model_snapshot_and_stats(make_context):
    model = {"id": "gpt-4o", "name": "GPT-4o", "provider": "openai", "group": "gpt"}
    messages = [
        msg("u1", "user", 0, model=model),
        msg(
            "a1",
            "assistant",
            1,
            status="processing",
            model=model,
            usage={"prompt_tokens": 10, "completion_tokens": 5.0, "total_tokens": 15, "cost": 0.25},
            metrics={"time_first_token_millsec": 300, "time_completion_millsec": None},
            updatedAt=None,
        ),
        msg("a2", "assistant", 2, status="paused", modelId="anthropic::claude"),
        msg(
            "a3",
            "assistant",
            3,
            status="error",
            modelId="bare-model-id",
            model={"id": "x", "provider": "gone"},
        ),
    ]
    ctx = context(make_context, messages, shared=shared(models=("openai::gpt-4o", "anthropic::claude")))
    _, validated = run(ctx)
    got = messages_by_id(ctx.db, "t1")
    assert [(got[i]["status"], got[i]["model_id"]) for i in ("u1", "a1", "a2", "a3")] == [
        ("success", "openai::gpt-4o"),
        ("error", "openai::gpt-4o"),
        ("paused", "anthropic::claude"),
        ("error", None),
    ]
    assistant = {"id": "a1", "name": "Assistant a1", "avatar": {"kind": "emoji", "emoji": "🤖"}}
    assert got["u1"]["message_snapshot"] is None
    assert got["a1"]["message_snapshot"] == {**assistant, "model": model}
    assert got["a2"]["message_snapshot"] == assistant
    assert got["a1"]["stats"] == {
        "promptTokens": 10,
        "completionTokens": 5,
        "totalTokens": 15,
        "cost": 0.25,
        "timeFirstTokenMs": 300,
    }
    assert got["a2"]["stats"] is None
    assert (got["a1"]["created_at"], got["a1"]["updated_at"]) == (ms(1), ms(1))
    assert validated.diagnostics["unknown_model_refs"] == 1


def test_without_the_model_list_well_formed_references_are_kept(make_context):
    messages = [msg("a1", modelId="p::m"), msg("a2", modelId="no-separator")]
    data = shared()
    del data["user_model_ids"]
    ctx = context(make_context, messages, shared=data)
    from cherry_migrate.migrators.chat import ChatMigrator

    migrator = ChatMigrator()
    migrator.prepare(ctx)
    result = migrator.execute(ctx)
    assert {k: v["model_id"] for k, v in messages_by_id(ctx.db, "t1").items() if v["role"] != "root"} == {
        "a1": "p::m",
        "a2": None,
    }
    assert sum("no model list" in w for w in result.warnings) == 1


def test_parts_for_every_block_type_and_citations_on_the_first_text(make_context):
    blocks = [
        block("k1", "a1", "thinking", content="think", thinking_millsec=1200),
        block("k2", "a1", "main_text", content="answer"),
        block(
            "k3",
            "a1",
            "citation",
            response={"source": "ai-sdk", "results": [{"url": "https://s", "title": "S"}]},
        ),
        block("k4", "a1", "code", content="x = 1", language="python"),
        block("k5", "a1", "unknown"),
        block("k6", "a1", "image"),  # nothing to show
    ]
    messages = [msg("a1", blocks=[b["id"] for b in blocks])]
    ctx = context(make_context, messages, blocks)
    migrator, _ = run(ctx)
    assert messages_by_id(ctx.db)["a1"]["data"] == {
        "parts": [
            {
                "type": "reasoning",
                "text": "think",
                "state": "done",
                "providerMetadata": {"cherry": {"thinkingMs": 1200}},
            },
            {
                "type": "text",
                "text": "answer",
                "state": "done",
                "providerMetadata": {
                    "cherry": {
                        "references": [
                            {
                                "category": "citation",
                                "citationType": "web",
                                "content": {
                                    "results": [{"url": "https://s", "title": "S"}],
                                    "source": "ai-sdk",
                                },
                            }
                        ]
                    }
                },
            },
            {"type": "source-url", "sourceId": "citation-0", "url": "https://s", "title": "S"},
            {"type": "data-code", "data": {"content": "x = 1", "language": "python"}},
        ]
    }
    assert rows(ctx.db, "SELECT searchable_text FROM message WHERE id = 'a1'") == [
        {"searchable_text": "answer x = 1"}
    ]
    assert migrator.ledger.kinds[BLOCKS_KIND].written == 4
    assert skipped_ids(migrator, BLOCKS_KIND, "unknown_block_type") == ["k5"]
    assert skipped_ids(migrator, BLOCKS_KIND, "empty_block") == ["k6"]


def test_file_refs_for_existing_entries_and_dangling_ones_reported(make_context):
    f1 = {"id": "f1", "path": "/Data/Files/f1.pdf", "ext": ".pdf", "origin_name": "a.pdf"}
    f2 = {"id": "f2", "path": "/Data/Files/f2.png", "ext": ".png"}
    blocks = [
        block("x1", "u1", "file", file=f1),
        block("x2", "u1", "image", file=f1),  # same file twice in one message → one ref
        block("x3", "u1", "file", file=f2),  # not migrated by the file migrator
        block("y1", "u2", "file", file=f1),  # same file in another message → another ref
        text_block("u3"),
    ]
    messages = [
        msg("u1", "user", 0, blocks=["x1", "x2", "x3"]),
        msg("u2", "user", 1, blocks=["y1"]),
        msg("u3", "user", 2),
    ]
    ctx = context(make_context, messages, blocks, shared=shared(files=("f1",)))
    migrator, validated = run(ctx)
    refs = rows(
        ctx.db, "SELECT file_entry_id, source_id, role, created_at FROM chat_message_file_ref ORDER BY rowid"
    )
    assert refs == [
        {"file_entry_id": "f1", "source_id": "u1", "role": "attachment", "created_at": ms(0)},
        {"file_entry_id": "f1", "source_id": "u2", "role": "attachment", "created_at": ms(1)},
    ]
    assert skipped_ids(migrator, FILE_REFS_KIND, "file_entry_missing") == ["f2"]
    assert (validated.diagnostics["file_refs_inserted"], validated.diagnostics["file_refs_dangling"]) == (
        2,
        1,
    )


def test_inline_images_are_written_as_files_with_an_entry_and_a_ref(make_context):
    data_url = "data:image/jpeg;base64," + base64.b64encode(PNG).decode()
    blocks = [
        block("i1", "a1", "image", url=data_url),
        block("i2", "a1", "image", url="data:image/png;base64,@@@"),
    ]
    ctx = context(make_context, [msg("a1", blocks=["i1", "i2"], minute=7)], blocks)
    _, validated = run(ctx)
    (entry,) = rows(ctx.db, "SELECT * FROM file_entry")
    assert {k: entry[k] for k in ("origin", "name", "ext", "size", "created_at")} == {
        "origin": "internal",
        "name": "migrated-image",
        "ext": "png",  # the bytes are a PNG, whatever the data URL said
        "size": len(PNG),
        "created_at": ms(7),
    }
    staged = ctx.paths.staging_files_dir / f"{entry['id']}.png"
    assert staged.read_bytes() == PNG
    parts = messages_by_id(ctx.db)["a1"]["data"]["parts"]
    assert parts == [
        {
            "type": "file",
            "mediaType": "image/png",
            "url": f"file://{ctx.paths.target_files_dir / staged.name}",
            "providerMetadata": {"cherry": {"fileEntryId": entry["id"]}},
        },
        {"type": "file", "mediaType": "image/png", "url": "data:image/png;base64,@@@"},
    ]
    assert rows(ctx.db, "SELECT file_entry_id, source_id FROM chat_message_file_ref") == [
        {"file_entry_id": entry["id"], "source_id": "a1"}
    ]
    assert (validated.diagnostics["images_promoted"], validated.diagnostics["images_undecodable"]) == (1, 1)


def test_blocks_without_a_message_duplicates_and_bad_rows_are_accounted(make_context):
    messages = [msg("m1", "user")]
    blocks = [
        *blocks_for(*messages),
        text_block("m1", content="duplicate of b-m1"),
        block("orphan", "nobody", "main_text", content="x"),
        block("unlisted", "m1", "main_text", content="not in blocks[]"),
        {"messageId": "m1", "type": "main_text"},
        ["not", "a", "block"],
    ]
    ctx = context(make_context, messages, blocks)
    migrator, _ = run(ctx)
    assert messages_by_id(ctx.db)["m1"]["data"]["parts"][0]["text"] == "text of m1"  # the first copy wins
    assert migrator.ledger.kinds[BLOCKS_KIND].written == 1
    assert skip_reasons(migrator, BLOCKS_KIND) == {
        "duplicate_id": 1,
        "message_not_found": 1,
        "not_referenced": 1,
        "missing_id": 1,
        "invalid_record": 1,
    }
    assert skipped_ids(migrator, BLOCKS_KIND, "message_not_found") == ["orphan"]
    assert skipped_ids(migrator, BLOCKS_KIND, "not_referenced") == ["unlisted"]


def test_missing_message_blocks_table_skips_messages_with_a_warning(make_context):
    ctx = make_context(dexie={"topics": [{"id": "t1", "messages": [msg("m1", "user")]}]}, shared=shared())
    migrator, _ = run(ctx)
    assert skipped_ids(migrator, MESSAGES_KIND, "no_blocks") == ["m1"]
    assert rows(ctx.db, "SELECT role FROM message") == [{"role": "root"}]
