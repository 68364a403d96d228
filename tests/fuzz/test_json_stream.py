"""Fuzzing the streaming Dexie table reader: any bytes give rows or a SourceDataError, and valid JSON
gives exactly the rows it holds however the stream is cut into reads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast
from unittest import mock

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources import json_stream
from cherry_migrate.sources.json_stream import JsonArrayFile, _SurrogateFilter
from cherry_migrate.sources.text_fixes import fix_surrogates, replace_lone_surrogate_escapes
from tests.fuzz.strategies import (
    chunk_sizes,
    encode_json,
    fuzz_settings,
    json_values,
    lone_surrogates_in,
    mutated_bytes,
)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file rewritten by every example (hypothesis cannot use function-scoped fixtures)."""
    return tmp_path_factory.mktemp("fuzz-json-stream") / "table.json"


class ChoppyReader(io.RawIOBase):
    """A raw stream that returns at most the next of ``sizes`` bytes per read, like a pipe."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data = data
        self._sizes = sizes
        self._position = 0
        self._reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        limit = self._sizes[self._reads % len(self._sizes)]
        self._reads += 1
        wanted = limit if size is None or size < 0 else min(size, limit)
        chunk = self._data[self._position : self._position + wanted]
        self._position += len(chunk)
        return chunk


def read_all(path: Path) -> list[Any] | SourceDataError:
    """Rows, or the SourceDataError; any other exception fails the test."""
    try:
        return list(JsonArrayFile(path))
    except SourceDataError as exc:
        assert str(path) in str(exc)
        return exc


def filtered(data: bytes, sizes: list[int]) -> Iterator[bytes]:
    stream = _SurrogateFilter(cast(BinaryIO, ChoppyReader(data, sizes)))
    while chunk := stream.read(sizes[0]):
        yield chunk


@fuzz_settings()
@given(data=st.binary(max_size=300))
@example(data=b'[{"a":"\xed\xa0\x80"}]')  # a surrogate encoded as UTF-8 (CESU-8)
@example(data=b"[" + b"[" * 5000)
@example(data=b'["' + b"\\" * 3001 + b'"]')
def test_random_bytes_give_rows_or_a_source_data_error(table: Path, data: bytes) -> None:
    table.write_bytes(data)
    read_all(table)


@fuzz_settings()
@given(data=st.data(), rows=st.lists(json_values, max_size=6), ascii_only=st.booleans())
def test_mutated_tables_give_rows_or_a_source_data_error(
    table: Path, data: st.DataObject, rows: list[Any], ascii_only: bool
) -> None:
    table.write_bytes(data.draw(mutated_bytes(encode_json(rows, ascii_only=ascii_only))))
    read_all(table)


@fuzz_settings()
@given(rows=st.lists(json_values, max_size=6), ascii_only=st.booleans(), read_size=st.integers(1, 64))
def test_valid_tables_read_back_exactly_whatever_the_read_size(
    table: Path, rows: list[Any], ascii_only: bool, read_size: int
) -> None:
    """Lone surrogates become U+FFFD and are counted; everything else is the value that was written,
    even when escapes, surrogate pairs and backslash runs straddle two reads."""
    table.write_bytes(encode_json(rows, ascii_only=ascii_only))
    expected, _ = fix_surrogates(rows)
    reader = JsonArrayFile(table)
    with mock.patch.object(json_stream, "READ_CHUNK", read_size):
        assert list(reader) == expected
    assert reader.surrogates_replaced == lone_surrogates_in(rows)


@fuzz_settings()
@given(rows=st.lists(json_values, max_size=6), ascii_only=st.booleans(), sizes=chunk_sizes())
@example(rows=["x" * 11 + "\ud83d\ude00"], ascii_only=True, sizes=[13])  # a pair across two reads
@example(rows=["\\" * 40 + "ud800"], ascii_only=True, sizes=[1])  # escaped backslashes, then "ud800"
def test_the_surrogate_filter_equals_one_pass_over_the_whole_stream(
    rows: list[Any], ascii_only: bool, sizes: list[int]
) -> None:
    data = encode_json(rows, ascii_only=ascii_only)
    assert b"".join(filtered(data, sizes)) == replace_lone_surrogate_escapes(data)[0]


@fuzz_settings(examples=50)
@given(prefix=st.integers(0, 40), run=st.integers(0, 3000), sizes=chunk_sizes(max_size=16))
def test_long_backslash_runs_cut_anywhere(prefix: int, run: int, sizes: list[int]) -> None:
    r"""A run of escaped backslashes followed by text that looks like a surrogate escape: however the
    run is cut into reads, ``\\`` pairs stay pairs and nothing is replaced."""
    data = b'["' + b"x" * prefix + b"\\\\" * run + b'ud800"]'
    assert b"".join(filtered(data, sizes)) == data
