"""``fewer_collections`` raises the first-generation threshold only for its block."""

from __future__ import annotations

import gc

import pytest

from cherry_migrate.core.gc_tuning import fewer_collections


def test_threshold_is_raised_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_collections(before[0] + 1000):
        inside = gc.get_threshold()
    assert inside == (before[0] + 1000, *before[1:])
    assert gc.get_threshold() == before


def test_threshold_is_restored_when_the_block_raises() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections(before[0] + 1000):
        raise RuntimeError("stop")
    assert gc.get_threshold() == before


def test_a_higher_threshold_already_set_is_kept() -> None:
    before = gc.get_threshold()
    gc.set_threshold(before[0] * 100, *before[1:])
    try:
        with fewer_collections(before[0] + 1):
            assert gc.get_threshold()[0] == before[0] * 100
    finally:
        gc.set_threshold(*before)
