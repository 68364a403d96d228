"""Fractional-index ``order_key`` strings (the same algorithm as upstream's fractional-indexing)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from fractional_indexing import generate_n_keys_between

T = TypeVar("T")


def order_keys(count: int) -> list[str]:
    """``count`` ascending keys for a fresh, empty scope."""
    if count <= 0:
        return []
    return list(generate_n_keys_between(None, None, count))


def order_keys_by_scope(items: Sequence[T], scope: Callable[[T], Hashable]) -> list[str]:
    """One ascending sequence per scope, in the order items appear; returns keys aligned with ``items``."""
    positions: dict[Hashable, list[int]] = {}
    for index, item in enumerate(items):
        positions.setdefault(scope(item), []).append(index)
    keys = [""] * len(items)
    for indexes in positions.values():
        for index, key in zip(indexes, order_keys(len(indexes)), strict=True):
            keys[index] = key
    return keys
