from __future__ import annotations

from cherry_migrate.migrators.chat.tree import ROOT, TreeInput, build_tree


def node(
    node_id: str, role: str = "assistant", ask: str | None = None, fold: bool = False, kept: bool = True
):
    return TreeInput(id=node_id, role=role, ask_id=ask, fold_selected=fold, kept=kept)


def shape(nodes: list[TreeInput]) -> dict[str, tuple[str | None, int]]:
    """``{id: (parent id or 'ROOT', sibling group)}`` for kept nodes."""
    tree = build_tree(nodes)
    return {
        n.id: ("ROOT" if tree.parents[i] == ROOT else nodes[tree.parents[i]].id, tree.sibling_groups[i])
        for i, n in enumerate(nodes)
        if n.kept
    }


def active(nodes: list[TreeInput]) -> str | None:
    tree = build_tree(nodes)
    return None if tree.active == ROOT else nodes[tree.active].id


def test_empty_list_gives_empty_tree():
    tree = build_tree([])
    assert (tree.parents, tree.sibling_groups, tree.active, tree.promoted_to_root) == ([], [], ROOT, 0)


def test_sequential_messages_form_a_chain():
    nodes = [node("u1", "user"), node("a1"), node("u2", "user"), node("a2")]
    assert shape(nodes) == {"u1": ("ROOT", 0), "a1": ("u1", 0), "u2": ("a1", 0), "a2": ("u2", 0)}
    assert active(nodes) == "a2"


def test_multi_model_answers_are_siblings_and_the_next_user_message_follows_fold_selected():
    nodes = [
        node("u1", "user"),
        node("a1", ask="u1", fold=True),
        node("a2", ask="u1"),
        node("u2", "user"),
        node("a3"),
    ]
    assert shape(nodes) == {
        "u1": ("ROOT", 0),
        "a1": ("u1", 1),
        "a2": ("u1", 1),
        "u2": ("a1", 0),
        "a3": ("u2", 0),
    }


def test_without_fold_selected_the_last_member_is_continued():
    nodes = [node("u1", "user"), node("a1", ask="u1"), node("a2", ask="u1"), node("u2", "user")]
    assert shape(nodes)["u2"] == ("a2", 0)


def test_active_node_is_the_fold_selected_answer_of_the_last_group():
    nodes = [node("u1", "user"), node("a1", ask="u1"), node("a2", ask="u1", fold=True), node("a3", ask="u1")]
    assert active(nodes) == "a2"


def test_single_answer_with_ask_id_is_not_a_group():
    assert shape([node("u1", "user"), node("a1", ask="u1")]) == {"u1": ("ROOT", 0), "a1": ("u1", 0)}


def test_deleted_asker_makes_members_share_the_preceding_message():
    nodes = [node("prev"), node("a1", ask="gone", fold=True), node("a2", ask="gone"), node("u1", "user")]
    assert shape(nodes) == {"prev": ("ROOT", 0), "a1": ("prev", 1), "a2": ("prev", 1), "u1": ("a1", 0)}


def test_deleted_asker_at_the_start_puts_members_under_the_root():
    assert shape([node("a1", ask="gone"), node("a2", ask="gone")]) == {"a1": ("ROOT", 1), "a2": ("ROOT", 1)}


def test_valid_and_orphan_groups_are_numbered_in_order_of_appearance():
    nodes = [
        node("u1", "user"),
        node("a1", ask="u1", fold=True),
        node("a2", ask="u1"),
        node("a3", ask="gone"),
        node("a4", ask="gone"),
    ]
    assert shape(nodes) == {
        "u1": ("ROOT", 0),
        "a1": ("u1", 1),
        "a2": ("u1", 1),
        "a3": ("a2", 2),
        "a4": ("a2", 2),
    }


def test_forward_and_self_references_cannot_make_cycles():
    nodes = [
        node("u0", "user"),
        node("a", ask="b"),  # points forward
        node("b", ask="a"),
        node("c", ask="b"),
        node("d", ask="a"),
        node("e", ask="e"),  # points at itself
        node("f", ask="e"),
    ]
    tree = build_tree(nodes)
    assert all(parent < index for index, parent in enumerate(tree.parents))
    assert shape(nodes) == {
        "u0": ("ROOT", 0),
        "a": ("u0", 1),  # group "b": its asker appears after the first member
        "b": ("a", 2),  # group "a": asker before the first member
        "c": ("u0", 1),
        "d": ("a", 2),
        "e": ("d", 3),  # group "e": the message itself is not an earlier asker
        "f": ("d", 3),
    }


def test_skipped_messages_are_bridged_to_the_nearest_kept_ancestor():
    nodes = [
        node("u1", "user"),
        node("a1", kept=False),
        node("u2", "user", kept=False),
        node("a2"),
        node("u3", "user"),
    ]
    tree = build_tree(nodes)
    assert shape(nodes) == {"u1": ("ROOT", 0), "a2": ("u1", 0), "u3": ("a2", 0)}
    assert tree.promoted_to_root == 0


def test_kept_messages_without_kept_ancestors_are_promoted_to_root():
    nodes = [node("u1", "user", kept=False), node("a1"), node("a2", kept=False), node("u2", "user")]
    tree = build_tree(nodes)
    assert shape(nodes) == {"a1": ("ROOT", 0), "u2": ("a1", 0)}
    assert tree.promoted_to_root == 1


def test_group_with_one_surviving_member_loses_its_group_number():
    nodes = [node("u1", "user"), node("a1", ask="u1"), node("a2", ask="u1", kept=False)]
    assert shape(nodes) == {"u1": ("ROOT", 0), "a1": ("u1", 0)}


def test_skipped_asker_keeps_members_siblings_under_its_ancestor():
    nodes = [node("a0"), node("u1", "user", kept=False), node("a1", ask="u1"), node("a2", ask="u1")]
    assert shape(nodes) == {"a0": ("ROOT", 0), "a1": ("a0", 1), "a2": ("a0", 1)}


def test_active_falls_back_to_the_nearest_kept_ancestor_then_the_last_kept_message():
    assert active([node("u1", "user"), node("a1"), node("u2", "user", kept=False)]) == "a1"
    assert active([node("a1"), node("u1", "user", kept=False), node("u2", "user", kept=False)]) == "a1"
    assert active([node("u1", "user", kept=False)]) is None
