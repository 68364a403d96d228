"""Loading one whole (small) JSON document with errors that name the file and the position."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources.text_fixes import fix_surrogates


def parse_json_text(data: bytes | str, *, location: str | Path, record: str | None = None) -> tuple[Any, int]:
    """Parse JSON; returns the value and how many lone surrogates were replaced with U+FFFD.

    orjson first (fast, strict UTF-8); the standard library when orjson refuses lone surrogate escapes.
    NaN and Infinity are not JSON and are refused, as ``JSON.parse`` would.
    """
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
        except json.JSONDecodeError as exc:
            raise SourceDataError(
                location,
                f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                record=record,
            ) from exc
        except ValueError as exc:
            raise SourceDataError(location, f"is not valid JSON: {exc}", record=record) from fast_error
        return fix_surrogates(value)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def load_json_file(path: Path) -> tuple[Any, int]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceDataError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise SourceDataError(path, "the file is empty; expected a JSON document")
    return parse_json_text(data, location=path)
