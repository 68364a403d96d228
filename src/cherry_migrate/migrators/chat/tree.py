"""Turning a v1 topic's flat message list into the v2 message tree. Pure: no I/O.

v1 keeps a topic's messages as one array in conversation order; multi-model answers share the
``askId`` of the user message they answer, and ``foldSelected`` marks the answer the user kept.
v2 stores an adjacency list: every message has a parent, siblings that answer the same request
share a non-zero ``siblings_group_id``, and ``topic.active_node_id`` names the leaf being viewed.

Rules (upstream's ``buildMessageTree``, plus what makes the result a tree whatever the input):

* An ``askId`` shared by two or more messages forms a group. Its members all hang under the asked
  message when that message appears *before the group's first member*; otherwise (the user message
  was deleted, or the reference points forward) under the message preceding the first member.
* A user message right after a group member continues the group's ``foldSelected`` member (the
  first one marked), else the group's last member so far.
* Every other message continues the message before it.

Every parent therefore has a smaller index than its child, so cycles and self-references in the
legacy data cannot produce a cycle here. Skipped messages are then cut out: a kept message hangs
under its nearest kept ancestor, or under the topic's virtual root when it has none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

ROOT = -1
"""Parent index meaning "the topic's virtual root"."""


@dataclass(frozen=True, slots=True)
class TreeInput:
    """One legacy message, reduced to what the tree needs. ``ask_id`` is already resolved to the
    final id of an earlier message of the same topic where there is one."""

    id: str
    role: str
    ask_id: str | None
    fold_selected: bool
    kept: bool


@dataclass(frozen=True, slots=True)
class MessageTree:
    parents: list[int]
    """Per input: index of the parent, or ``ROOT``. Meaningful for kept inputs only."""
    sibling_groups: list[int]
    """Per input: 0, or the 1-based number of its multi-model group (groups with ≥ 2 kept members)."""
    active: int
    """Index of the message the topic shows (a kept one), or ``ROOT`` when nothing is kept."""
    promoted_to_root: int
    """Kept messages that had a legacy parent but no kept ancestor."""
    kept: list[bool]
    """Per input: whether it is written (as given)."""


def build_tree(nodes: Sequence[TreeInput]) -> MessageTree:
    legacy_parents, group_keys = _legacy_parents(nodes)
    nearest_kept = _nearest_kept(nodes, legacy_parents)
    parents = [ROOT] * len(nodes)
    promoted = 0
    for index, node in enumerate(nodes):
        if not node.kept:
            continue
        legacy = legacy_parents[index]
        parent = nearest_kept[legacy] if legacy != ROOT else ROOT
        parents[index] = parent
        if legacy != ROOT and parent == ROOT:
            promoted += 1
    return MessageTree(
        parents=parents,
        sibling_groups=_number_groups(nodes, group_keys),
        active=_active_node(nodes, group_keys, nearest_kept),
        promoted_to_root=promoted,
        kept=[node.kept for node in nodes],
    )


def _legacy_parents(nodes: Sequence[TreeInput]) -> tuple[list[int], list[str | None]]:
    """Parent index of every node (kept or not) and the key of the group it belongs to."""
    ask_counts = Counter(node.ask_id for node in nodes if node.ask_id)
    index_of: dict[str, int] = {}
    group_parent: dict[str, int] = {}
    group_anchor: dict[str, int] = {}
    anchored_by_fold: set[str] = set()
    parents: list[int] = []
    keys: list[str | None] = []
    previous_key: str | None = None
    for index, node in enumerate(nodes):
        key = node.ask_id if node.ask_id and ask_counts[node.ask_id] >= 2 else None
        if key is not None:
            if key not in group_parent:
                asked = index_of.get(key)
                group_parent[key] = asked if asked is not None else index - 1
            parent = group_parent[key]
            if key not in anchored_by_fold:
                group_anchor[key] = index
                if node.fold_selected:
                    anchored_by_fold.add(key)
        elif node.role == "user" and previous_key is not None:
            parent = group_anchor[previous_key]
        else:
            parent = index - 1
        parents.append(parent)
        keys.append(key)
        index_of.setdefault(node.id, index)
        previous_key = key
    return parents, keys


def _nearest_kept(nodes: Sequence[TreeInput], parents: Sequence[int]) -> list[int]:
    """For every node, itself when kept, else its nearest kept ancestor (``ROOT`` if none).
    One forward pass suffices because every parent index is smaller than its child's."""
    nearest = [ROOT] * len(nodes)
    for index, node in enumerate(nodes):
        if node.kept:
            nearest[index] = index
        elif parents[index] != ROOT:
            nearest[index] = nearest[parents[index]]
    return nearest


def _number_groups(nodes: Sequence[TreeInput], keys: Sequence[str | None]) -> list[int]:
    """Groups keep a number only when at least two members survive; numbered in order of appearance."""
    kept_members = Counter(key for node, key in zip(nodes, keys, strict=True) if key and node.kept)
    numbers: dict[str, int] = {}
    groups = [0] * len(nodes)
    for index, (node, key) in enumerate(zip(nodes, keys, strict=True)):
        if key is None or not node.kept or kept_members[key] < 2:
            continue
        if key not in numbers:
            numbers[key] = len(numbers) + 1
        groups[index] = numbers[key]
    return groups


def _active_node(nodes: Sequence[TreeInput], keys: Sequence[str | None], nearest_kept: Sequence[int]) -> int:
    """The last message (or the fold-selected answer of its group) if kept; else its nearest kept
    ancestor, which is where that branch now ends; else the last kept message."""
    if not nodes:
        return ROOT
    candidate = len(nodes) - 1
    last_key = keys[candidate]
    if last_key is not None:
        for index, (node, key) in enumerate(zip(nodes, keys, strict=True)):
            if key == last_key and node.fold_selected:
                candidate = index
                break
    if nearest_kept[candidate] != ROOT:
        return nearest_kept[candidate]
    for index in range(len(nodes) - 1, -1, -1):
        if nodes[index].kept:
            return index
    return ROOT
