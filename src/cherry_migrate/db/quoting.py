"""SQL identifier quoting (tables and columns such as ``group`` are SQL keywords)."""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """Return ``name`` as a double-quoted SQLite identifier, doubling embedded quotes."""
    if not name:
        raise ValueError("an SQL identifier cannot be empty")
    if "\x00" in name:
        raise ValueError(f"an SQL identifier cannot contain NUL: {name!r}")
    return '"' + name.replace('"', '""') + '"'
