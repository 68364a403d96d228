"""Loading one whole (small) JSON document with errors that name the file and the position."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources.text_fixes import fix_surrogates

MAX_NESTING = 254
"""Deepest nesting of arrays and objects accepted in a document: what orjson can write back (the
standard library's writer, the fallback, gives up a few hundred levels further on). Anything deeper
would make a migrator fail while storing the value, far from the file it came from."""


def parse_json_text(data: bytes | str, *, location: str | Path, record: str | None = None) -> tuple[Any, int]:
    """Parse JSON; returns the value and how many lone surrogates were replaced with U+FFFD.

    orjson first (fast, strict UTF-8); the standard library when orjson refuses lone surrogate escapes.
    NaN and Infinity are not JSON and are refused, as ``JSON.parse`` would, and so are documents
    nested deeper than :data:`MAX_NESTING`.
    """
    value, replaced = _parse(data, location=location, record=record)
    _check_nesting(value, location, record)
    return value, replaced


def _parse(data: bytes | str, *, location: str | Path, record: str | None) -> tuple[Any, int]:
    try:
        return orjson.loads(data), 0
    except orjson.JSONDecodeError as fast_error:
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError as exc:
            raise SourceDataError(
                location, f"is not valid UTF-8 (byte offset {exc.start})", record=record
            ) from exc
        try:
            value = json.loads(text, parse_constant=_refuse_constant)
            return fix_surrogates(value)
        except RecursionError as exc:  # orjson stops at 1024 levels, the standard library at its stack
            raise _too_deep(location, record) from exc
        except json.JSONDecodeError as exc:
            raise SourceDataError(
                location,
                f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                record=record,
            ) from exc
        except ValueError as exc:
            raise SourceDataError(location, f"is not valid JSON: {exc}", record=record) from fast_error


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _check_nesting(value: Any, location: str | Path, record: str | None) -> None:
    try:
        orjson.dumps(value)  # fast, and it fails for every document nested too deeply
    except orjson.JSONEncodeError:
        if nesting_depth(value) > MAX_NESTING:
            raise _too_deep(location, record) from None


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (a scalar: 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _too_deep(location: str | Path, record: str | None) -> SourceDataError:
    return SourceDataError(
        location,
        f"is nested too deeply (more than {MAX_NESTING} levels of arrays and objects)",
        record=record,
    )


def load_json_file(path: Path) -> tuple[Any, int]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceDataError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise SourceDataError(path, "the file is empty; expected a JSON document")
    return parse_json_text(data, location=path)
