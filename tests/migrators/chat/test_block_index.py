from __future__ import annotations

from pathlib import Path

from cherry_migrate.migrators.chat.block_index import BlockIndex, Outcome


def test_index_lives_on_disk_and_keeps_the_first_copy_of_an_id(tmp_path: Path):
    path = tmp_path / "scratch" / "blocks.sqlite"
    index = BlockIndex(path)
    index.add([("b1", "m1", b'{"v":1}'), ("b2", None, b'{"v":2}')])
    index.add([("b1", "m9", b'{"v":"copy"}'), ("b3", "m3", b'{"v":3}'), ("b1", "m8", b'{"v":"again"}')])
    assert index.finish_loading() == ["b1", "b1"]
    assert path.is_file()

    located = index.locate(["b1", "b3", "nope", "b1"])
    assert set(located) == {"b1", "b3"}
    assert index.fetch([located["b1"], located["b3"]]) == {
        located["b1"]: b'{"v":1}',
        located["b3"]: b'{"v":3}',
    }
    assert index.locate([]) == {} and index.fetch([]) == {}

    index.mark_used([(located["b1"], Outcome.WRITTEN), (located["b3"], Outcome.EMPTY)])
    index.mark_used([(located["b1"], Outcome.UNKNOWN_TYPE)])  # a second use keeps the first outcome
    assert index.outcome_totals() == {Outcome.WRITTEN: 1, Outcome.EMPTY: 1}
    assert index.outcome_sample(Outcome.EMPTY, 5) == ["b3"]
    assert list(index.iter_unused(10)) == [[("b2", None)]]

    index.mark_skipped_messages(["m1", "m1", "m7"])
    assert index.skipped_among({"m1", "m2"}) == {"m1"}
    index.close()
    assert not path.exists()


def test_reopening_replaces_a_stale_file(tmp_path: Path):
    path = tmp_path / "blocks.sqlite"
    path.write_bytes(b"left over by a killed run")
    index = BlockIndex(path)
    index.add([("b1", "m1", b"{}")])
    assert index.finish_loading() == []
    assert index.locate(["b1"]) == {"b1": 1}
    index.close()
