"""Fuzzing the chat message-tree builder with flat v1 message lists as they come: random and
duplicate ids, askIds pointing back, forward, at themselves or in cycles, several foldSelected
answers, deleted (skipped) messages. Whatever the list, the result is one tree per topic."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from cherry_migrate.migrators.chat.message_ids import normalize_ids
from cherry_migrate.migrators.chat.tree import ROOT, MessageTree, TreeInput, build_tree
from tests.fuzz.strategies import fuzz_settings

IDS = [f"m{i}" for i in range(10)]

raw_messages = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(IDS) | st.none() | st.just("") | st.integers(0, 3),
            "askId": st.none() | st.sampled_from(IDS) | st.just("gone") | st.just(""),
            "role": st.sampled_from(["user", "assistant", "assistant", "system", "tool", ""]),
            "foldSelected": st.booleans() | st.none(),
        }
    ),
    max_size=30,
)


def tree_inputs(
    messages: list[dict[str, Any]], kept: list[bool], taken: frozenset[str] = frozenset()
) -> tuple[list[TreeInput], list[str]]:
    """What the chat pipeline hands the builder: ids made unique (``taken``: ids other topics
    already use), askIds resolved."""
    ids = normalize_ids(messages, taken, set(), lambda index: f"new-{index}")
    nodes = [
        TreeInput(
            id=ids.ids[index],
            role=str(message["role"]),
            ask_id=ids.ask_ids[index],
            fold_selected=message["foldSelected"] is True,
            kept=kept[index],
        )
        for index, message in enumerate(messages)
    ]
    return nodes, ids.ids


def assert_one_tree(nodes: list[TreeInput], tree: MessageTree) -> None:
    kept = [index for index, node in enumerate(nodes) if node.kept]
    assert len(tree.parents) == len(tree.sibling_groups) == len(nodes)
    for index in kept:
        parent = tree.parents[index]
        # Parents come earlier and are kept. By induction every kept message then reaches the topic's
        # root in fewer steps than its index: no cycle, no dangling parent, nothing unreachable.
        assert parent == ROOT or (0 <= parent < index and nodes[parent].kept)
    for index, node in enumerate(nodes):
        if not node.kept:
            assert tree.sibling_groups[index] == 0
    members: dict[int, list[int]] = {}
    for index in kept:
        if tree.sibling_groups[index]:
            members.setdefault(tree.sibling_groups[index], []).append(index)
    assert sorted(members) == list(range(1, len(members) + 1))
    for group in members.values():
        assert len(group) >= 2
        assert len({tree.parents[index] for index in group}) == 1
    if kept:
        assert tree.active in kept
    else:
        assert tree.active == ROOT
    top_level = [index for index in kept if tree.parents[index] == ROOT]
    assert tree.promoted_to_root <= len(top_level)
    if len(kept) == len(nodes):
        assert tree.promoted_to_root == 0


@fuzz_settings()
@given(messages=raw_messages, data=st.data(), taken=st.frozensets(st.sampled_from(IDS), max_size=3))
@example(  # askId cycle: each answer names the other
    messages=[
        {"id": "m1", "askId": "m2", "role": "assistant", "foldSelected": None},
        {"id": "m2", "askId": "m1", "role": "assistant", "foldSelected": None},
    ],
    data=None,
    taken=frozenset(),
)
@example(  # self-reference and a duplicate id
    messages=[
        {"id": "m1", "askId": "m1", "role": "user", "foldSelected": True},
        {"id": "m1", "askId": "m1", "role": "assistant", "foldSelected": True},
    ],
    data=None,
    taken=frozenset({"m1"}),
)
def test_any_flat_list_becomes_one_tree(
    messages: list[dict[str, Any]], data: st.DataObject | None, taken: frozenset[str]
) -> None:
    kept = (
        [True] * len(messages)
        if data is None
        else data.draw(st.lists(st.booleans(), min_size=len(messages), max_size=len(messages)))
    )
    nodes, ids = tree_inputs(messages, kept, taken)
    assert len(set(ids)) == len(ids)  # every message of the topic keeps a distinct id
    assert_one_tree(nodes, build_tree(nodes))


@fuzz_settings()
@given(messages=raw_messages)
def test_plain_conversations_are_chains(messages: list[dict[str, Any]]) -> None:
    """Without shared askIds every kept message continues the one before it."""
    for message in messages:
        message["askId"] = None
    nodes, _ = tree_inputs(messages, [True] * len(messages))
    tree = build_tree(nodes)
    assert tree.parents == [index - 1 if index else ROOT for index in range(len(nodes))]
    assert tree.sibling_groups == [0] * len(nodes)
    assert tree.promoted_to_root == 0


@fuzz_settings(examples=10)
@given(seed_messages=raw_messages.filter(bool))
def test_large_topics_with_shared_ask_ids_form_one_tree(seed_messages: list[dict[str, Any]]) -> None:
    """A topic of 20,000 messages repeating the drawn pattern, each askId pointing at a later message
    of its round, a fifth of them skipped: the builder finishes (the suite's timeout bounds it)."""
    repeats = 20_000 // len(seed_messages) + 1
    messages = [
        {**message, "id": f"{message['id']}-{n}", "askId": f"{seed_messages[-1 - i]['id']}-{n}"}
        for n in range(repeats)
        for i, message in enumerate(seed_messages)
    ]
    nodes, _ = tree_inputs(messages, [i % 5 != 3 for i in range(len(messages))])
    assert_one_tree(nodes, build_tree(nodes))
