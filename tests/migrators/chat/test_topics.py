"""Topic rules: metadata merge, empty topics, timestamps, assistants, order keys, pins, prompts."""

from __future__ import annotations

from cherry_migrate.migrators.chat.kinds import TOPIC_META_KIND, TOPICS_KIND
from cherry_migrate.migrators.shared_keys import TOPIC_PROMPT_CANDIDATES
from tests.conftest import FIXED_NOW_MS
from tests.migrators.chat.helpers import (
    T0_MS,
    assistants_slice,
    blocks_for,
    iso,
    ms,
    msg,
    rows,
    run,
    shared,
    skip_reasons,
    skipped_ids,
    topic_meta,
)


def topic_rows(ctx):
    return {r["id"]: r for r in rows(ctx.db, "SELECT * FROM topic")}


def test_redux_metadata_is_merged_over_the_dexie_row(make_context):
    m1 = msg("m1", "user", 5)
    ctx = make_context(
        redux={
            "assistants": assistants_slice(
                topic_meta(
                    "t1", name="From Redux", isNameManuallyEdited=True, pinned=False, prompt="Be brief"
                )
            )
        },
        dexie={
            "topics": [{"id": "t1", "name": "From Dexie", "pinned": True, "messages": [m1]}],
            "message_blocks": blocks_for(m1),
        },
        shared=shared(),
    )
    migrator, _ = run(ctx)
    (topic,) = topic_rows(ctx).values()
    assert topic == {
        "id": "t1",
        "name": "From Redux",
        "is_name_manually_edited": 1,
        "assistant_id": "a1",
        "active_node_id": "m1",
        "trace_id": None,
        "order_key": "a0",
        "last_activity_at": ms(5),
        "created_at": T0_MS,
        "updated_at": T0_MS,
        "deleted_at": None,
    }
    assert rows(ctx.db, "SELECT * FROM pin") == []  # Redux pinned:false beats Dexie pinned:true
    assert ctx.shared_data[TOPIC_PROMPT_CANDIDATES] == [
        {
            "topic_id": "t1",
            "name": "From Redux",
            "assistant_id": "a1",
            "prompt": "Be brief",
            "created_at": T0_MS,
            "updated_at": T0_MS,
        }
    ]
    assert migrator.ledger.kinds[TOPIC_META_KIND].written == 1


def test_first_redux_occurrence_wins_and_default_assistant_topics_are_remapped(make_context):
    a, b = msg("a", "user"), msg("b", "user")
    redux = assistants_slice(
        topic_meta("t1", name="first"),
        topic_meta("t1", name="second"),
        "not a topic",
        {"name": "no id"},
        id="default",
        name="Default",
        topics=[topic_meta("t2", name="of default")],
    )
    data = shared(assistants=("a1", "new-default"))
    data["legacy_assistant_id_remap"] = {"default": "new-default"}
    ctx = make_context(
        redux={"assistants": redux},
        dexie={
            "topics": [{"id": "t1", "messages": [a]}, {"id": "t2", "messages": [b]}],
            "message_blocks": blocks_for(a, b),
        },
        shared=data,
    )
    migrator, _ = run(ctx)
    topics = topic_rows(ctx)
    assert (topics["t1"]["name"], topics["t1"]["assistant_id"]) == ("first", "a1")
    assert (topics["t2"]["name"], topics["t2"]["assistant_id"]) == ("of default", "new-default")
    assert skip_reasons(migrator, TOPIC_META_KIND) == {
        "duplicate_id": 1,
        "invalid_record": 1,
        "missing_id": 1,
    }
    assert skipped_ids(migrator, TOPIC_META_KIND, "duplicate_id") == ["t1"]


def test_empty_topics_are_dropped_unless_the_user_cared(make_context):
    metas = [
        topic_meta("plain"),
        topic_meta("pinned", pinned=True),
        topic_meta("renamed", isNameManuallyEdited=True),
        topic_meta("prompted", prompt="You are a poet"),
        topic_meta("blank-prompt", prompt="   "),
    ]
    ctx = make_context(
        redux={"assistants": assistants_slice(*metas)},
        dexie={"topics": [{"id": m["id"], "messages": []} for m in metas], "message_blocks": []},
        shared=shared(),
    )
    migrator, validated = run(ctx)
    assert set(topic_rows(ctx)) == {"pinned", "renamed", "prompted"}
    assert skipped_ids(migrator, TOPICS_KIND, "empty_topic") == ["plain", "blank-prompt"]
    assert skipped_ids(migrator, TOPIC_META_KIND, "empty_topic") == ["plain", "blank-prompt"]
    assert (validated.stats.source_count, validated.stats.target_count, validated.stats.skipped_count) == (
        5,
        3,
        2,
    )
    # every kept topic still gets its one root and no active node
    assert rows(ctx.db, "SELECT topic_id, role FROM message ORDER BY topic_id") == [
        {"topic_id": "pinned", "role": "root"},
        {"topic_id": "prompted", "role": "root"},
        {"topic_id": "renamed", "role": "root"},
    ]
    assert {t["active_node_id"] for t in topic_rows(ctx).values()} == {None}


def test_redux_only_topics_are_kept_only_with_user_intent(make_context):
    ctx = make_context(
        redux={"assistants": assistants_slice(topic_meta("lost", pinned=True), topic_meta("forgotten"))},
        dexie={"topics": [], "message_blocks": []},
        shared=shared(),
    )
    migrator, validated = run(ctx)
    assert list(topic_rows(ctx)) == ["lost"]
    assert migrator.ledger.kinds[TOPIC_META_KIND].written == 1
    assert skipped_ids(migrator, TOPIC_META_KIND, "empty_topic") == ["forgotten"]
    assert (validated.stats.source_count, validated.stats.target_count, validated.stats.skipped_count) == (
        2,
        1,
        1,
    )
    assert validated.diagnostics["metadata_only_topics"] == 2


def test_invalid_and_duplicate_topic_rows_are_skipped_with_their_messages(make_context):
    a, b, c = msg("a", "user"), msg("b", "user"), msg("c", "user")
    ctx = make_context(
        dexie={
            "topics": [
                {"id": "t1", "messages": [a]},
                {"id": "t1", "messages": [b]},
                {"messages": [c]},
                "junk",
            ],
            "message_blocks": blocks_for(a, b, c),
        },
        shared=shared(),
    )
    migrator, _ = run(ctx)
    assert list(topic_rows(ctx)) == ["t1"]
    assert skip_reasons(migrator, TOPICS_KIND) == {"duplicate_id": 1, "missing_id": 1, "invalid_record": 1}
    assert skipped_ids(migrator, "dexie:topics.messages", "topic_skipped") == ["b", "c"]
    # their blocks are accounted for as belonging to skipped messages
    assert skipped_ids(migrator, "dexie:message_blocks", "message_skipped") == ["b-b", "b-c"]


def test_missing_topic_timestamps_come_from_messages(make_context):
    first, last = msg("m1", "user", 10), msg("m2", "assistant", 0, createdAt=ms(30))  # numeric epoch accepted
    ctx = make_context(
        dexie={
            "topics": [{"id": "t1", "messages": [first, last]}],
            "message_blocks": blocks_for(first, last),
        },
        shared=shared(),
    )
    run(ctx)
    topic = topic_rows(ctx)["t1"]
    assert (topic["created_at"], topic["updated_at"], topic["last_activity_at"]) == (ms(10), ms(30), ms(30))


def test_topic_without_any_readable_time_is_dated_to_the_run(make_context):
    m1 = msg("m1", "user", createdAt="not a date")
    ctx = make_context(
        redux={"assistants": assistants_slice(topic_meta("t1", createdAt=None, updatedAt="garbage"))},
        dexie={"topics": [{"id": "t1", "messages": [m1]}], "message_blocks": blocks_for(m1)},
        shared=shared(),
    )
    _migrator, validated = run(ctx)
    topic = topic_rows(ctx)["t1"]
    assert (topic["created_at"], topic["updated_at"]) == (FIXED_NOW_MS, FIXED_NOW_MS)
    assert validated.diagnostics["topics_without_timestamps"] == 1
    message = rows(ctx.db, "SELECT created_at FROM message WHERE id = 'm1'")[0]
    assert message["created_at"] == FIXED_NOW_MS


def test_unknown_deleted_or_missing_assistants_become_null(make_context):
    msgs = [msg(f"m{i}", "user") for i in range(4)]
    redux = {
        "assistants": {
            "assistants": [
                {"id": "a1", "topics": [topic_meta("known")]},
                {"id": "deleted", "topics": [topic_meta("orphan")]},
                {"id": "", "topics": [topic_meta("empty-owner", assistantId="")]},
            ]
        }
    }
    ctx = make_context(
        redux=redux,
        dexie={
            "topics": [
                {"id": "known", "messages": [msgs[0]]},
                {"id": "orphan", "messages": [msgs[1]]},
                {"id": "empty-owner", "messages": [msgs[2]]},
                {"id": "dexie-only", "messages": [msgs[3]]},
            ],
            "message_blocks": blocks_for(*msgs),
        },
        shared=shared(),
    )
    _, validated = run(ctx)
    assert {k: v["assistant_id"] for k, v in topic_rows(ctx).items()} == {
        "known": "a1",
        "orphan": None,
        "empty-owner": None,
        "dexie-only": None,
    }
    assert validated.diagnostics["orphaned_assistant_topics"] == 3


def test_missing_assistant_list_unlinks_every_topic_with_a_warning(make_context):
    m1 = msg("m1", "user")
    ctx = make_context(
        redux={"assistants": assistants_slice(topic_meta("t1"))},
        dexie={"topics": [{"id": "t1", "messages": [m1]}], "message_blocks": blocks_for(m1)},
    )
    from cherry_migrate.migrators.chat import ChatMigrator

    migrator = ChatMigrator()
    migrator.prepare(ctx)
    result = migrator.execute(ctx)
    assert topic_rows(ctx)["t1"]["assistant_id"] is None
    assert any("no assistant list" in w for w in result.warnings)


def test_order_keys_follow_recent_activity_and_pins_follow_the_same_order(make_context):
    topics, blocks, metas = [], [], []
    # activity: t-old 1 min, t-mid 20 min (a finished answer updated later), t-new 30 min
    specs = {
        "t-old": [msg("o1", "user", 1)],
        "t-mid": [msg("d1", "user", 2), msg("d2", "assistant", 3, updatedAt=iso(20))],
        "t-new": [msg("n1", "user", 30), msg("n2", "assistant", 40, status="error")],
    }
    for topic_id, messages in specs.items():
        topics.append({"id": topic_id, "messages": messages})
        blocks.extend(blocks_for(*messages))
        metas.append(topic_meta(topic_id, pinned=topic_id != "t-mid"))
    ctx = make_context(
        redux={"assistants": assistants_slice(*metas)},
        dexie={"topics": topics, "message_blocks": blocks},
        shared=shared(),
    )
    run(ctx)
    ordered = rows(ctx.db, "SELECT id, last_activity_at FROM topic ORDER BY order_key")
    assert ordered == [
        {"id": "t-new", "last_activity_at": ms(30)},  # the unfinished answer does not count
        {"id": "t-mid", "last_activity_at": ms(20)},
        {"id": "t-old", "last_activity_at": ms(1)},
    ]
    pins = rows(ctx.db, "SELECT entity_type, entity_id, created_at FROM pin ORDER BY order_key")
    assert pins == [
        {"entity_type": "topic", "entity_id": "t-new", "created_at": FIXED_NOW_MS},
        {"entity_type": "topic", "entity_id": "t-old", "created_at": FIXED_NOW_MS},
    ]


def test_existing_pin_is_tolerated(make_context):
    m1 = msg("m1", "user")
    ctx = make_context(
        redux={"assistants": assistants_slice(topic_meta("t1", pinned=True))},
        dexie={"topics": [{"id": "t1", "messages": [m1]}], "message_blocks": blocks_for(m1)},
        shared=shared(),
    )
    ctx.db.execute("INSERT INTO pin VALUES ('p0', 'topic', 't1', 'a0', 1, 1)")
    run(ctx)
    assert rows(ctx.db, "SELECT id FROM pin") == [{"id": "p0"}]


def test_unnamed_topic_gets_a_default_name(make_context):
    m1 = msg("m1", "user")
    ctx = make_context(
        dexie={"topics": [{"id": "t1", "name": "", "messages": [m1]}], "message_blocks": blocks_for(m1)},
        shared=shared(),
    )
    run(ctx)
    assert topic_rows(ctx)["t1"]["name"] == "Unnamed Topic"
