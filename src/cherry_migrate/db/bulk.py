"""Fast writes for migrators: prepared multi-row inserts and JSON column values."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence

import orjson

from cherry_migrate.db.quoting import quote_identifier


def insert_rows(
    conn: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> int:
    """Insert ``rows`` (values in ``columns`` order) with one prepared statement.

    ``rows`` may be a lazy iterable; it is consumed once. Returns the number of rows inserted.
    Runs in the caller's transaction, if any (wrap large loads in one: autocommit would sync
    every row).
    """
    if not columns:
        raise ValueError("insert_rows needs at least one column")
    column_list = ", ".join(quote_identifier(column) for column in columns)
    placeholders = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {quote_identifier(table)} ({column_list}) VALUES ({placeholders})"
    return conn.executemany(sql, rows).rowcount


def to_json(value: object) -> str:
    """Serialise a JSON column value as JavaScript's ``JSON.stringify`` would.

    Compact (no spaces), non-ASCII characters written as themselves, NaN and ±Infinity as
    ``null``. Floats use Python's shortest round-trip form (``1.0`` stays ``1.0``, which
    ``JSON.parse`` reads as the same number).

    Strings with unpaired UTF-16 surrogates (possible in data decoded from V8 or IndexedDB) are
    written like ES2019 ``JSON.stringify`` does: a lone surrogate becomes a ``\\udXXX`` escape, a
    high+low pair becomes the character it encodes. Nothing is lost and the text stays valid
    UTF-8, which SQLite needs. orjson refuses such strings, so they take a slower path.
    """
    try:
        return orjson.dumps(value).decode("utf-8")
    except orjson.JSONEncodeError:
        return _to_json_slow(value)


_SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _to_json_slow(value: object) -> str:
    """Stdlib fallback for what orjson rejects (surrogates, non-string keys, huge integers)."""
    text = json.dumps(
        _without_non_finite_floats(value),
        ensure_ascii=False,
        separators=(",", ":"),
        default=_orjson_native,
    )
    # Surrogates can only occur inside string literals, so rewriting them in the output is safe.
    return _SURROGATES.sub(_fix_surrogates, text)


def _fix_surrogates(match: re.Match[str]) -> str:
    chars = match.group()
    if len(chars) == 2:
        return chars.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return f"\\u{ord(chars):04x}"


def _without_non_finite_floats(value: object) -> object:
    # The stdlib writes NaN/Infinity literally (invalid JSON); orjson and JSON.stringify write null.
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _without_non_finite_floats(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_non_finite_floats(item) for item in value]
    return value


def _orjson_native(value: object) -> object:
    # Types orjson serialises natively (datetime, UUID, dataclass, enum, …) but the stdlib does not.
    return orjson.loads(orjson.dumps(value))
