"""Whatever the flat legacy lists look like, the result is a tree per topic and every record is counted."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cherry_migrate.migrators.chat import ChatMigrator
from cherry_migrate.migrators.chat.kinds import MESSAGES_KIND
from cherry_migrate.migrators.chat.tree import ROOT, TreeInput, build_tree
from tests.migrators.chat.helpers import shared

ID_POOL = [f"m{i}" for i in range(8)]
TOPIC_POOL = ["t1", "t2", "t3"]
EXISTING_BLOCKS = ["b0", "b1", "b2"]

message_strategy = st.one_of(
    st.fixed_dictionaries(
        {
            "id": st.one_of(st.sampled_from(ID_POOL), st.just(""), st.none(), st.integers(0, 3)),
            "role": st.sampled_from(["user", "assistant", "assistant", "system", "tool"]),
            "askId": st.one_of(st.none(), st.sampled_from(ID_POOL), st.just("deleted")),
            "foldSelected": st.booleans(),
            "blocks": st.lists(st.sampled_from([*EXISTING_BLOCKS, "missing"]), max_size=3),
            "type": st.sampled_from([None, None, "clear"]),
            "createdAt": st.one_of(st.none(), st.integers(1_600_000_000_000, 1_700_000_000_000)),
            "status": st.sampled_from(["success", "error", "pending", "paused"]),
        }
    ),
    st.just("not a message"),
)
topic_strategy = st.fixed_dictionaries(
    {"id": st.sampled_from(TOPIC_POOL), "messages": st.lists(message_strategy, max_size=12)}
)


def blocks() -> list[dict[str, Any]]:
    return [
        {"id": "b0", "messageId": "m0", "type": "main_text", "content": "zero"},
        {"id": "b1", "messageId": "m1", "type": "unknown"},
        {"id": "b2", "messageId": "nobody", "type": "code", "content": "x", "language": "py"},
        {"id": "b0", "messageId": "m0", "type": "main_text", "content": "duplicate"},
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(topics=st.lists(topic_strategy, max_size=4))
def test_any_flat_list_becomes_a_tree_and_every_record_is_accounted(make_context, topics):
    ctx = make_context(dexie={"topics": topics, "message_blocks": blocks()}, shared=shared())
    migrator = ChatMigrator()
    migrator.prepare(ctx)
    assert migrator.execute(ctx).success
    validated = migrator.validate(ctx)

    assert validated.errors == []  # one root per topic, no dangling parents, everything reachable
    assert migrator.ledger.unbalanced() == {}
    written_messages = ctx.db.execute("SELECT count(*) FROM message WHERE role != 'root'").fetchone()[0]
    messages_kind = migrator.ledger.kinds.get(MESSAGES_KIND)
    assert written_messages == (messages_kind.written if messages_kind else 0)
    # every sibling group has at least two members, all under one parent
    groups = ctx.db.execute(
        """SELECT count(*), count(DISTINCT parent_id) FROM message
           WHERE siblings_group_id != 0 GROUP BY topic_id, siblings_group_id"""
    ).fetchall()
    assert all(members >= 2 and distinct_parents == 1 for members, distinct_parents in groups)
    # the active node of every topic is one of its messages
    assert (
        ctx.db.execute(
            """SELECT count(*) FROM topic t WHERE active_node_id IS NOT NULL AND NOT EXISTS
               (SELECT 1 FROM message m WHERE m.id = t.active_node_id AND m.topic_id = t.id)"""
        ).fetchone()[0]
        == 0
    )


tree_nodes = st.lists(
    st.builds(
        TreeInput,
        id=st.sampled_from(ID_POOL),
        role=st.sampled_from(["user", "assistant"]),
        ask_id=st.one_of(st.none(), st.sampled_from([*ID_POOL, "deleted"])),
        fold_selected=st.booleans(),
        kept=st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(nodes=tree_nodes)
def test_tree_parents_always_point_backwards_to_kept_messages(nodes):
    tree = build_tree(nodes)
    for index, node in enumerate(nodes):
        if node.kept:
            parent = tree.parents[index]
            assert parent == ROOT or (parent < index and nodes[parent].kept)
        else:
            assert tree.sibling_groups[index] == 0
    members: dict[int, set[int]] = {}
    for index, group in enumerate(tree.sibling_groups):
        if group:
            members.setdefault(group, set()).add(tree.parents[index])
    assert all(len(parents) == 1 for parents in members.values())
    assert sorted(members) == list(range(1, len(members) + 1))
    kept = [i for i, n in enumerate(nodes) if n.kept]
    assert (tree.active in kept) if kept else tree.active == ROOT
